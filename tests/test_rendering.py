"""Every page the tool writes, as LibreOffice prints it on A4: legible, charts honest.

One soffice call converts a blank template, two results workbooks and a rekap to PDF;
pdfplumber then reads every character's size, and the pages holding charts are rendered to
PNG (pdftoppm) to see that each chart was drawn.  The chart parts of the workbooks say that
every value axis starts at 0.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from recalc import require_soffice

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
#: the smallest character a printed page may show (points)
MIN_POINTS = 7.0
#: bar colours: realisasi and serapan (#2E75B6), the rekap's capaian (#548235)
BAR_BLUE = (0x2E, 0x75, 0xB6)
BAR_GREEN = (0x54, 0x82, 0x35)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    soffice = require_soffice()
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not found")
    from click.testing import CliRunner
    from recalc import _run

    from sakip_xlsx.cli import main

    folder = tmp_path_factory.mktemp("render")
    runner = CliRunner()
    commands = [
        ["template", "-o", str(folder / "template.xlsx"), "--rules", "jombang"],
        ["results", str(SAMPLES / "kragan-rembang-2021.xlsx"), "-o", str(folder / "hasil-kragan.xlsx")],
        ["results", str(SAMPLES / "contoh-bersih.xlsx"), "-o", str(folder / "hasil-contoh.xlsx")],
        ["rekap", str(SAMPLES), "-o", str(folder / "rekap.xlsx")],
    ]
    for args in commands:
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    workbooks = sorted(folder.glob("*.xlsx"))
    output = _run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, workbooks),
        ],
        timeout=600,
    )
    pdfs = {book: folder / f"{book.stem}.pdf" for book in workbooks}
    assert all(pdf.exists() for pdf in pdfs.values()), output
    return pdfs


def _pages(pdf: Path):
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            yield number, page.chars, page.extract_words()


def test_no_text_below_7_points_on_any_page(rendered):
    small = []
    for workbook, pdf in rendered.items():
        for number, chars, _ in _pages(pdf):
            assert chars, f"{pdf.name} page {number} is empty"
            tiny = [c for c in chars if c["size"] < MIN_POINTS and c["text"].strip()]
            if tiny:
                sample = "".join(c["text"] for c in tiny[:40])
                small.append(f"{workbook.name} p{number}: {len(tiny)} chars < {MIN_POINTS} pt ({sample!r})")
    assert not small, "\n".join(small)


def test_blank_template_prints_what_staff_need(rendered):
    """The blank template prints fewer pages than its 20 of old, and not the rules as TOML."""
    pdf = next(pdf for book, pdf in rendered.items() if book.stem == "template")
    pages = list(_pages(pdf))
    assert len(pages) < 20
    text = " ".join(" ".join(w["text"] for w in words) for _, _, words in pages)
    assert "[capaian]" not in text and "batas_atas" not in text  # the TOML stays on screen only
    assert "Istimewa (Sangat Berhasil)" in text  # a predikat printed whole, not cut


def _chart_parts(workbook: Path) -> dict[str, str]:
    with zipfile.ZipFile(workbook) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name)
        }


def test_every_value_axis_starts_at_zero(rendered):
    counted = {}
    for workbook in rendered:
        parts = _chart_parts(workbook)
        counted[workbook.stem] = len(parts)
        for name, xml in parts.items():
            axes = re.findall(r"<c:valAx>.*?</c:valAx>", xml, re.S)
            assert axes, (workbook.name, name)
            for axis in axes:
                scaling = re.search(r"<c:scaling>.*?</c:scaling>", axis, re.S).group(0)
                assert '<c:min val="0"/>' in scaling, (workbook.name, name, scaling)
    assert counted == {"hasil-contoh": 2, "hasil-kragan": 2, "rekap": 2, "template": 0}


def _axis_numbers(words) -> list[list[float]]:
    """Rows of numbers laid out left to right on one line (a horizontal value axis)."""
    lines: dict[int, list[tuple[float, float]]] = {}
    for word in words:
        text = word["text"]
        if re.fullmatch(r"[\d.,]+", text):
            number = float(re.sub(r"[.,](?=\d{3}\b)", "", text).replace(",", "."))
            lines.setdefault(round(word["top"]), []).append((word["x0"], number))
    rows = []
    for items in lines.values():
        numbers = [n for _, n in sorted(items)]
        if len(numbers) >= 3 and numbers == sorted(numbers) and len(set(numbers)) == len(numbers):
            rows.append(numbers)
    return rows


@pytest.mark.parametrize(
    ("stem", "title", "colour"),
    [
        ("hasil-contoh", "Pagu dan Realisasi per Program", BAR_BLUE),
        ("hasil-kragan", "Pagu dan Realisasi per Program", BAR_BLUE),
        ("rekap", "Serapan Anggaran per Kecamatan (%)", BAR_BLUE),
        ("rekap", "Rata-rata Capaian Sasaran Strategis per Kecamatan (%)", BAR_GREEN),
    ],
)
def test_rendered_bar_charts_are_drawn_and_start_at_zero(rendered, stem, title, colour, tmp_path):
    """The page holding the chart shows its bars, and its value axis reads from 0."""
    from PIL import Image

    pdf = next(pdf for book, pdf in rendered.items() if book.stem == stem)
    pages = [
        (number, words) for number, _, words in _pages(pdf) if title in " ".join(w["text"] for w in words)
    ]
    assert pages, f"{title} not printed in {pdf.name}"
    drawn = None
    for number, words in pages:  # the page where the chart is drawn (not a neighbour holding its edge)
        image = tmp_path / f"page-{number}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "50",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(pdf),
                image,
            ],
            check=True,
            timeout=120,
        )
        picture = Image.open(f"{image}.png").convert("RGB")
        # Pillow 12+ names it get_flattened_data; getdata goes in Pillow 14
        pixels = getattr(picture, "get_flattened_data", picture.getdata)()
        bars = sum(1 for p in pixels if all(abs(a - b) <= 12 for a, b in zip(p, colour, strict=True)))
        if bars > 200:
            drawn = words
            break
    assert drawn is not None, f"no bars drawn for {title} on pages {[n for n, _ in pages]}"
    axes = _axis_numbers(drawn)
    assert axes and all(axis[0] == 0 for axis in axes), axes
