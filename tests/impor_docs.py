"""Build Word (and, through LibreOffice, PDF) versions of the seed reports for the impor tests.

The seed text is a converter's output: tab- or ``|``-separated table lines,
``#`` headings, ``**bold**`` lines.  Here each run of table lines becomes a
real Word table (python-docx), headings become Word headings and other lines
paragraphs, so the importer reads tables from the document's structure.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")

_TAG = re.compile(r"<[^>]{0,200}>")
_RULE = re.compile(r"^[\s|:\-–—]+$")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub(" ", text).replace("**", "").replace("$", " ")).strip()


def _table_cells(line: str) -> list[str] | None:
    if "\t" in line:
        return [_plain(cell) for cell in line.split("\t")]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return [_plain(cell) for cell in inner.split("|")]
    return None


def seed_blocks(text: str) -> list[tuple[str, object]]:
    """("heading"|"paragraph", text) and ("table", rows) in order; a table runs over blank lines."""
    blocks: list[tuple[str, object]] = []
    rows: list[list[str]] | None = None
    gap = False
    for line in text.splitlines():
        if not line.strip():
            gap = True
            continue
        cells = _table_cells(line)
        if cells is not None:
            if _RULE.match(line) or all(not cell or set(cell) <= set("-–—: ") for cell in cells):
                continue
            filled = [cell for cell in cells if cell]
            if gap and rows and len(filled) >= 2 and not any(re.search(r"\d", cell) for cell in filled):
                rows = None  # a header after a blank line: a new table
            gap = False
            if rows is None:
                rows = []
                blocks.append(("table", rows))
            rows.append(cells)
            continue
        rows = None
        gap = False
        stripped = line.strip()
        if stripped.startswith("#"):
            blocks.append(("heading", _plain(stripped.lstrip("#"))))
        else:
            blocks.append(("paragraph", _plain(stripped)))
    return blocks


def build_docx(seed: Path, out: Path, pages_of: int = 1) -> Path:
    """A Word document of the seed (``pages_of`` copies one after the other, for size tests)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(8)
    blocks = seed_blocks(seed.read_text("utf-8"))
    for _copy in range(pages_of):
        for kind, content in blocks:
            if kind == "heading":
                document.add_heading(str(content), level=2)
            elif kind == "paragraph":
                if content:
                    document.add_paragraph(str(content))
            else:
                rows = content  # type: ignore[assignment]
                width = max(len(row) for row in rows)
                table = document.add_table(rows=len(rows), cols=width)
                table.style = "Table Grid"
                for r, row in enumerate(rows):
                    for c in range(width):
                        table.cell(r, c).text = row[c] if c < len(row) else ""
    document.save(str(out))
    return out


def to_pdf(documents: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Convert Word documents to PDF with LibreOffice, all in one soffice call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("soffice not installed")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return [outdir / f"{document.stem}.pdf" for document in documents]


def long_budget_lines(programs: int = 4, kegiatan: int = 3, subs: int = 4) -> list[tuple[str, str, int, int]]:
    """(level, uraian, pagu, realisasi) of a long budget table; parents are the sums of their children."""
    lines: list[tuple[str, str, int, int]] = []
    words = "pelayanan administrasi perkantoran koordinasi pembinaan pengawasan desa kelurahan".split()
    for p in range(programs):
        program_at = len(lines)
        lines.append(("Program", f"Program Contoh Nomor {p + 1} " + " ".join(words[p:] + words[:p]), 0, 0))
        for k in range(kegiatan):
            kegiatan_at = len(lines)
            lines.append(("Kegiatan", f"Kegiatan {p + 1}.{k + 1} " + " ".join(words[k:]), 0, 0))
            for s in range(subs):
                pagu = 1_000_000_000 + 123_456_789 * (p + 1) + 9_876_543 * (k + 1) + 1_234_567 * (s + 1)
                realisasi = pagu - 3_456_789 * (s + 1) - 1_000 * k
                text = f"Sub Kegiatan {p + 1}.{k + 1}.{s + 1} " + " ".join(words[s:] + words[: s + 2])
                lines.append(("Sub Kegiatan", text, pagu, realisasi))
                for parent in (program_at, kegiatan_at):
                    level, uraian, total_pagu, total_realisasi = lines[parent]
                    lines[parent] = (level, uraian, total_pagu + pagu, total_realisasi + realisasi)
    return lines


def rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def persen(pagu: int, realisasi: int) -> str:
    return f"{realisasi / pagu * 100:.2f}".replace(".", ",")


def build_long_budget_docx(out: Path, lines: list[tuple[str, str, int, int]]) -> Path:
    """A budget table over several pages, as offices print them: the header row repeated on every page,
    rows allowed to break across pages, amount columns so narrow that the figures wrap inside their cells."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading("3.2 Realisasi Anggaran", level=2)
    document.add_paragraph("Tabel 3.5 Realisasi Anggaran Program, Kegiatan dan Sub Kegiatan Tahun 2024")
    header = ("No", "Program / Kegiatan / Sub Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "%")
    widths = (Cm(1.0), Cm(9.0), Cm(1.7), Cm(1.7), Cm(1.5))
    table = document.add_table(rows=1 + len(lines), cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for r, row in enumerate(table.rows):
        if r == 0:
            texts = header
        else:
            level, uraian, pagu, realisasi = lines[r - 1]
            texts = (str(r), f"{level}: {uraian}", rupiah(pagu), rupiah(realisasi), persen(pagu, realisasi))
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
            cell.text = texts[c]
    document.save(str(out))
    return out
