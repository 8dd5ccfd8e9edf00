"""``sakip-xlsx impor``: a finished report (text, Word, PDF) into a filled template.

The expected figures are the hand transcriptions of the seed reports
(``samples/data/<name>.json``), compared field by field as numbers read the
way ``check`` reads them.  The Word versions are built here from the seed text
(tables as real Word tables); the PDF versions are those Word files converted
by LibreOffice in one soffice call.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import is_indonesian
from impor_docs import SEEDS, build_docx, build_long_budget_docx, long_budget_lines, persen, rupiah, to_pdf
from impor_measure import measure

from sakip_xlsx.cli import main
from sakip_xlsx.impor.place import IMPOR_SHEET, import_report
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.rules import load_rules
from sakip_xlsx.values import UnreadableValue, parse_value

DATA = Path(__file__).resolve().parents[1] / "samples" / "data"
SAMPLES = DATA.parent
NAMES = ("kragan-rembang-2021", "ngoro-jombang-2024", "ngoro-mojokerto-2021")
CORE = {
    "indikator": ("target", "realisasi", "capaian_dilaporkan"),
    "anggaran": ("pagu", "realisasi", "persen_dilaporkan"),
}
RINGKASAN = ("total_pagu_dilaporkan", "total_realisasi_dilaporkan", "persen_serapan_dilaporkan")
#: the issue's goal is 90 %; reached on the seeds as text, Word and PDF: 100 % each, asserted with room for
#: one or two figures
REACHED = 0.98

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")


def _data(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text("utf-8"))


def _value(text: Any, value_type: str) -> Any:
    """A printed figure as check reads it (number), or its text when it is not a figure."""
    if text in (None, ""):
        return None
    try:
        parsed = parse_value(text, value_type)
    except UnreadableValue:
        return str(text).strip()
    return parsed.value if parsed.kind in ("number", "range") else str(text).strip()


def _words(text: str) -> set[str]:
    return {
        word for word in "".join(c if c.isalnum() else " " for c in text.lower()).split() if len(word) > 2
    }


def _same_line(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def core_figures(workbook: Path, data: dict[str, Any]) -> tuple[int, int, list[tuple]]:
    """(placed correctly, core figures in the transcription, misses).

    A transcription row is paired with the imported row of the same table whose
    uraian shares most words with it, of the same level when wordings tie (each
    imported row used once).
    """
    submission = read_workbook(workbook)
    right = total = 0
    misses: list[tuple] = []
    for name in RINGKASAN:
        want = data["cells"].get(name)
        if want in (None, ""):
            continue
        total += 1
        entry = submission.cells.get(name)
        got = entry.raw if entry is not None else None
        if _value(want, "number") == _value(got, "number"):
            right += 1
        else:
            misses.append((name, want, got))
    for table_id, fields in CORE.items():
        table = submission.tables.get(table_id)
        got_rows = [
            {k: e.raw for k, e in record.entries.items()} for record in (table.records if table else [])
        ]
        free = set(range(len(got_rows)))
        for want in data["tables"].get(table_id, []):
            # a kegiatan and its only sub kegiatan may bear the same wording: the level decides then
            scored = [
                (
                    _same_line(str(got_rows[i].get("uraian") or ""), want.get("uraian") or ""),
                    got_rows[i].get("tingkat") == want.get("tingkat"),
                    i,
                )
                for i in free
            ]
            score, _level, index = max(scored, default=(0.0, False, None))
            got = got_rows[index] if index is not None and score >= 0.5 else {}
            if got:
                free.discard(index)
            for name in fields:
                if want.get(name) in (None, ""):
                    continue
                total += 1
                value_type = "rupiah" if name in ("pagu", "realisasi") else "number"
                if _value(want[name], value_type) == _value(got.get(name), value_type):
                    right += 1
                else:
                    misses.append(
                        (table_id, (want.get("uraian") or "")[:50], name, want[name], got.get(name))
                    )
    return right, total, misses


def _import(source: Path, name: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{source.stem}-{source.suffix[1:]}.xlsx"
    import_report(source, out, rules=load_rules(_data(name)["rules"]))
    return out


def _report(label: str, right: int, total: int, misses: Iterable[tuple]) -> None:
    print(f"\n{label}: {right}/{total} core figures placed correctly = {right / total:.1%}")
    for miss in misses:
        print("   missed:", miss)


# --- text --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_text_seed_core_figures_equal_the_transcription(name: str, tmp_path: Path) -> None:
    out = _import(SEEDS / f"lkjip-{name}.txt", name, tmp_path)
    right, total, misses = core_figures(out, _data(name))
    _report(f"{name} text", right, total, misses)
    assert total > 20
    assert right / total >= REACHED, misses


@pytest.mark.parametrize("name", NAMES)
def test_text_seed_identity_and_population_equal_the_transcription(name: str, tmp_path: Path) -> None:
    data = _data(name)
    submission = read_workbook(_import(SEEDS / f"lkjip-{name}.txt", name, tmp_path))
    for field in ("pemda", "instansi", "kepala_nama", "kepala_jabatan"):
        if data["cells"].get(field):
            assert submission.cells[field].raw == data["cells"][field], field
    for field in ("tahun", "renstra_awal", "renstra_akhir"):
        if data["cells"].get(field):
            assert _value(submission.cells[field].raw, "number") == data["cells"][field], field
    want = data["tables"].get("penduduk", [])
    got = submission.tables["penduduk"].records
    assert len(got) == len(want)
    for record, row in zip(got, want, strict=True):
        for field in ("tahun", "laki_laki", "perempuan", "total_dilaporkan"):
            if row.get(field) not in (None, ""):
                assert _value(record.entries[field].raw, "number") == _value(row[field], "number"), field


def test_check_on_imported_text_seeds_finds_the_known_wrong_figures(tmp_path: Path) -> None:
    """The wrong figures check finds in the hand transcription (samples/<name>.xlsx) are found after impor.

    Asserted on the core tables (section 3 of the spec); citations, free tables and the Renstra
    matrix are printed as well (tests/impor_measure.py: per kind, and for Word and PDF).
    """
    found = known = found_all = known_all = 0
    for name in NAMES:
        result = measure(name, _import(SEEDS / f"lkjip-{name}.txt", name, tmp_path))
        print(f"\n{name}: {result['counts']}; missed {result['missed']}")
        # a figure correct as printed never gets an error: every error also stands on the transcription
        # (or is the consequence of a root printed only where impor does not read yet)
        assert result["false"] == []
        core_found, core_known = result["counts"]["inti"]
        found, known = found + core_found, known + core_known
        found_all, known_all = found_all + result["found"], known_all + result["known"]
    print(f"core tables {found}/{known} = {found / known:.1%}; all sheets {found_all}/{known_all}")
    assert known > 10
    assert found / known >= 0.80


# --- Word and PDF ------------------------------------------------------------------------------


LONG = "long-budget"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Word versions of the three seeds and of a long budget table, and their PDFs from one soffice call."""
    folder = tmp_path_factory.mktemp("impor-docs")
    words = {name: build_docx(SEEDS / f"lkjip-{name}.txt", folder / f"lkjip-{name}.docx") for name in NAMES}
    words[LONG] = build_long_budget_docx(folder / f"{LONG}.docx", long_budget_lines())
    made: dict[str, dict[str, Path]] = {name: {"docx": path} for name, path in words.items()}
    if shutil.which("soffice"):
        pdfs = to_pdf(list(words.values()), folder, tmp_path_factory.mktemp("soffice-profile"))
        for name, pdf in zip(words, pdfs, strict=True):
            made[name]["pdf"] = pdf
    return made


def _no_false_errors(out: Path, name: str) -> None:
    """Every error check raises on the imported workbook also stands on the hand transcription
    (as an error, or as the consequence of a root printed where impor does not read yet; see
    test_check_on_imported_text_seeds_finds_the_known_wrong_figures)."""
    assert measure(name, out)["false"] == []


@pytest.mark.parametrize("name", NAMES)
def test_word_seed_core_figures_equal_the_transcription(name: str, documents, tmp_path: Path) -> None:
    out = _import(documents[name]["docx"], name, tmp_path)
    right, total, misses = core_figures(out, _data(name))
    _report(f"{name} docx", right, total, misses)
    assert right / total >= REACHED, misses
    _no_false_errors(out, name)


@pytest.mark.parametrize("name", NAMES)
def test_pdf_seed_core_figures(name: str, documents, tmp_path: Path) -> None:
    """Measured 100 % on each (as text and Word): tables continued over pages are joined again."""
    if "pdf" not in documents[name]:
        pytest.skip("LibreOffice not installed")
    out = _import(documents[name]["pdf"], name, tmp_path)
    right, total, misses = core_figures(out, _data(name))
    _report(f"{name} pdf", right, total, misses)
    assert right / total >= REACHED, misses
    _no_false_errors(out, name)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_long_budget_table_over_pages_is_read_row_for_row(kind: str, documents, tmp_path: Path) -> None:
    """A budget table over several pages: header repeated on each page, rows cut by the page breaks,
    figures wrapped inside narrow cells (and cut by the break: "1.271." on one page, "604.932" on the
    next). Every line comes back with its level and its figures as printed, and check finds nothing
    wrong in the budget (parents are the sums of their children)."""
    if kind not in documents[LONG]:
        pytest.skip("LibreOffice not installed")
    from sakip_xlsx.pipeline import check_file

    source = documents[LONG][kind]
    if kind == "pdf":
        import pdfplumber

        with pdfplumber.open(str(source)) as pdf:
            assert len(pdf.pages) >= 3  # the table really runs over page breaks
    out = tmp_path / f"long-{kind}.xlsx"
    import_report(source, out, rules=load_rules(None))
    records = read_workbook(out).tables["anggaran"].records
    lines = long_budget_lines()
    assert len(records) == len(lines)
    for record, (level, uraian, pagu, realisasi) in zip(records, lines, strict=True):
        got = {name: entry.raw for name, entry in record.entries.items()}
        assert got["tingkat"] == level
        assert _same_line(str(got["uraian"]), uraian) >= 0.9, (got["uraian"], uraian)
        assert (got["pagu"], got["realisasi"], got["persen_dilaporkan"]) == (
            rupiah(pagu),
            rupiah(realisasi),
            persen(pagu, realisasi),
        )
    errors = [f for f in check_file(out).findings if f.severity == "error" and f.sheet == "Anggaran"]
    assert errors == []


@pytest.mark.parametrize("name", ["ngoro-jombang-2024", LONG])
def test_pdf_pages_read_through_pdfium_equal_pdfplumbers_own_reading(name: str, documents) -> None:
    """The reader takes each page's characters and lines from PDFium (fast) and lets pdfplumber find the
    tables and assemble the text; the document is the same as when pdfplumber reads the pages itself
    (pdfminer), and the cells the same as pdfplumber's own ``Table.extract()``."""
    if "pdf" not in documents[name]:
        pytest.skip("LibreOffice not installed")
    import pdfplumber

    from sakip_xlsx.impor import read_document
    from sakip_xlsx.impor.document import Document, Paragraph
    from sakip_xlsx.impor.pdf import _extract, finish_pdf, read_page

    source = documents[name]["pdf"]
    fast = read_document(source)
    slow = Document(source, "pdf")
    compared = 0
    with pdfplumber.open(str(source)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            read_page(page, number, slow)
            by_height = sorted(
                (((c["top"] + c["bottom"]) / 2, i, c) for i, c in enumerate(page.chars)), key=lambda x: x[0]
            )
            for table in page.find_tables():
                assert _extract(table, by_height) == table.extract()
                compared += 1
    finish_pdf(slow)
    assert compared >= 3

    def shape(document: Document) -> list:
        return [(b.page, b.text) if isinstance(b, Paragraph) else (b.page, b.rows) for b in document.blocks]

    assert shape(fast) == shape(slow)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("2,750,979,\n428", "2,750,979,428"),  # wrapped after a separator
        ("1.967.401.71\n8", "1.967.401.718"),  # only together a well-formed figure
        ("10.000.000\n225.000.000\n15.000.00\n0", "10.000.000 225.000.000 15.000.000"),  # one a line
        ("99,99\n97,40\n100", "99,99 97,40 100"),
        ("Realisasi\nAnggaran", "Realisasi Anggaran"),
    ],
)
def test_pdf_cell_lines_join_wrapped_figures_only(cell: str, text: str) -> None:
    from sakip_xlsx.impor.pdf import _cell_text

    assert _cell_text(cell) == text


# --- the Impor sheet, the command, bad input ----------------------------------------------------


def test_renja_matrix_goes_to_the_renstra_sheet_and_its_wrong_pagu_is_found(tmp_path: Path) -> None:
    """Mojokerto prints its Rencana Kinerja Tahunan 2021 (a Renja): its budget lines go to the Renstra
    sheet as printing "Renja", year 2021, figures as printed; check then finds the kegiatan whose pagu
    is not the sum of its sub kegiatan (samples/data/ngoro-mojokerto-2021.errors.md), and nothing the
    transcription does not find."""
    from sakip_xlsx.pipeline import check_file

    name = "ngoro-mojokerto-2021"
    out = _import(SEEDS / f"lkjip-{name}.txt", name, tmp_path)
    rows = [{k: e.raw for k, e in r.entries.items()} for r in read_workbook(out).tables["renstra"].records]
    assert rows and all(row["sumber"] == "Renja" and _value(row["tahun"], "number") == 2021 for row in rows)
    transcribed = [
        entry for entry in _data(name)["extra"]["renstra"] if entry.get("_tingkat") in ("Program", "Kegiatan")
    ]
    # every program and kegiatan the Renja prints under a name the budget tables also print, with its figures
    compared = 0
    for entry in transcribed:
        scores = sorted(
            ((_same_line(str(row["kode"]), entry["_uraian"]), i) for i, row in enumerate(rows)), reverse=True
        )
        if not scores or scores[0][0] < 0.8 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            continue
        same = rows[scores[0][1]]
        compared += 1
        assert _value(same["target"], "target") == _value(entry["target"], "target")
        if same.get("pagu") not in (None, ""):
            assert _value(same["pagu"], "rupiah") == _value(entry["pagu"], "rupiah")
    assert compared >= len(transcribed) // 2
    wrong = [
        f
        for f in check_file(out).findings
        if f.sheet == "Renstra" and f.severity == "error" and f.field == "pagu"
    ]
    # 40.000.000 printed; its sub kegiatan 40.000.000 + 26.808.960
    assert [(f.stated, f.expected) for f in wrong] == [(40_000_000, 40_000_000 + 26_808_960)]
    _no_false_errors(out, name)


def test_growth_sentence_becomes_a_citation_check_judges(tmp_path: Path) -> None:
    """Mojokerto: "pertumbuhan penduduk rata-rata dalam 6 tahun terakhir mencapai 1,62 %" is cited over the
    six years of its population table (2016-2021); the table's own totals give a mean yearly rate well below
    zero, so check calls the printed 1,62 % wrong (samples/data/ngoro-mojokerto-2021.errors.md)."""
    from sakip_xlsx.pipeline import check_file

    name = "ngoro-mojokerto-2021"
    out = _import(SEEDS / f"lkjip-{name}.txt", name, tmp_path)
    rows = [{k: e.raw for k, e in r.entries.items()} for r in read_workbook(out).tables["kutipan"].records]
    growth = [row for row in rows if row["besaran"] == "laju pertumbuhan penduduk"]
    assert [(row["kode"], _value(row["nilai"], "number")) for row in growth] == [("2016-2021", 1.62)]
    totals = [
        _value(row["total_dilaporkan"], "number")
        for row in sorted(_data(name)["tables"]["penduduk"], key=lambda row: int(row["tahun"]))
    ]
    mean = sum((b / a - 1) * 100 for a, b in zip(totals[:-1], totals[1:], strict=True)) / (len(totals) - 1)
    assert mean < 0
    wrong = [
        f
        for f in check_file(out).findings
        if f.sheet == "Kutipan" and f.severity == "error" and f.stated == 1.62
    ]
    assert len(wrong) == 1 and abs(float(wrong[0].expected) - mean) < 0.01, wrong


def test_impor_sheet_says_where_rows_came_from_and_what_was_not_placed(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    name = "ngoro-mojokerto-2021"
    out = _import(SEEDS / f"lkjip-{name}.txt", name, tmp_path)
    sheet = load_workbook(out, read_only=True)[IMPOR_SHEET]
    rows = [tuple(cell for cell in row) for row in sheet.iter_rows(min_row=5, values_only=True)]
    filled = [row for row in rows if row[0] == "diisi"]
    budget = [row for row in filled if str(row[1]).startswith("Anggaran baris")]
    assert len(budget) == len(_data(name)["tables"]["anggaran"])
    assert all("baris" in str(row[3]) for row in budget)  # the text line the table starts on
    # another numeric table goes to the free-tables sheet under its printed title
    assert any(str(row[1]).startswith("Tabel Bebas") and "Tabel 1.1" in str(row[3]) for row in filled)
    # the Renja matrix goes to the Renstra sheet, each line named, with where the matrix is printed
    renstra = [row for row in filled if str(row[1]).startswith("Renstra baris")]
    assert renstra and all(
        "RENCANA KINERJA TAHUNAN" in str(row[3]) and "baris" in str(row[3]) for row in renstra
    )
    assert any("Penyediaan Jasa Penunjang" in str(row[2]) and "2021" in str(row[2]) for row in renstra)
    # a table that fits nowhere (Kragan's table of contents: page numbers) is left for the reviewer, with
    # where it is printed; Kragan's IKU list goes to Tabel Bebas, as in the transcription
    kragan = _import(SEEDS / "lkjip-kragan-rembang-2021.txt", "kragan-rembang-2021", tmp_path)
    rows = list(load_workbook(kragan, read_only=True)[IMPOR_SHEET].iter_rows(min_row=5, values_only=True))
    assert any(
        row[0] == "tidak ditempatkan" and "DAFTAR ISI" in str(row[3]) and "baris" in str(row[3])
        for row in rows
    )
    assert any(
        row[0] == "diisi"
        and str(row[1]).startswith("Tabel Bebas")
        and "Indikator Kinerja Utama" in str(row[3])
        for row in rows
    )
    # so is a sentence with figures that fits nowhere (Kragan's budget of one sasaran)
    assert any(row[0] == "tidak ditempatkan" and "kalimat" in str(row[2]) for row in rows)


def test_cli_impor_writes_a_workbook_check_reads(tmp_path: Path) -> None:
    out = tmp_path / "isian.xlsx"
    runner = CliRunner()
    result = runner.invoke(
        main, ["impor", str(SEEDS / "lkjip-kragan-rembang-2021.txt"), "-o", str(out), "--rules", "rembang"]
    )
    assert result.exit_code == 0, result.output
    assert "Isian dibuat" in result.output and "tidak ditempatkan" in result.output
    # the template's live-check columns stay one shared formula each (written in full: > 1 MB)
    assert out.stat().st_size < 1_000_000
    checked = runner.invoke(main, ["check", str(out), "--format", "json"])
    assert checked.exit_code == 1  # the report's own wrong figures
    report = json.loads(checked.output)
    assert report["files"][0]["summary"]["error"] > 0
    again = runner.invoke(main, ["impor", str(SEEDS / "lkjip-kragan-rembang-2021.txt"), "-o", str(out)])
    assert again.exit_code == 2 and is_indonesian(again.output)


def test_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "laporan.txt"
    source.write_text("Laporan\tTabel\n1\t2\n", "utf-8")
    before = source.read_bytes()
    result = CliRunner().invoke(main, ["impor", str(source), "-o", str(source), "--overwrite"])
    assert result.exit_code == 2
    assert source.read_bytes() == before


def _minimal_pdf_without_text() -> bytes:
    """A valid one-page PDF with no text on it (what a scan without OCR gives, minus the image)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _bomb_docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<a>" + b" " * (40 * 1024 * 1024) + b"</a>")
    return path


def _entity_docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    return path


@pytest.mark.parametrize(
    ("filename", "make", "words"),
    [
        (
            "terkunci.docx",
            lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600),
            "kata sandi",
        ),
        ("rusak.docx", lambda p: p.write_bytes(b"PK\x03\x04 ini bukan zip"), "rusak"),
        ("bom.docx", _bomb_docx, "mengembang"),
        ("entitas.docx", _entity_docx, "DOCTYPE"),
        ("pindaian.pdf", lambda p: p.write_bytes(_minimal_pdf_without_text()), "pindai"),
        ("rusak.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n rusak"), "rusak"),
        ("laporan.doc", lambda p: p.write_bytes(b"apa saja"), ".docx"),
    ],
)
def test_bad_documents_get_an_indonesian_message_and_exit_2(filename, make, words, tmp_path: Path) -> None:
    source = tmp_path / filename
    make(source)
    before = source.read_bytes()
    out = tmp_path / "isian.xlsx"
    result = CliRunner().invoke(main, ["impor", str(source), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert words.lower() in result.output.lower(), result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert source.read_bytes() == before


def test_password_protected_pdf_gets_an_indonesian_message(tmp_path: Path) -> None:
    """A PDF exported by LibreOffice with an opening password."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    import subprocess

    import docx

    word = tmp_path / "terkunci.docx"
    document = docx.Document()
    document.add_paragraph("Laporan Kinerja Instansi Pemerintah Tahun 2024")
    document.save(str(word))
    options = (
        '{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"rahasia"}}'
    )
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
         f"pdf:writer_pdf_Export:{options}", "--outdir", str(tmp_path), str(word)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    source = tmp_path / "terkunci.pdf"
    before = source.read_bytes()
    out = tmp_path / "isian.xlsx"
    result = CliRunner().invoke(main, ["impor", str(source), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "kata sandi" in result.output and "Traceback" not in result.output
    assert not out.exists() and source.read_bytes() == before


def test_output_must_be_an_xlsx_workbook(tmp_path: Path) -> None:
    out = tmp_path / "isian.xls"
    result = CliRunner().invoke(main, ["impor", str(SEEDS / "lkjip-kragan-rembang-2021.txt"), "-o", str(out)])
    assert result.exit_code == 2
    assert ".xlsx" in result.output and is_indonesian(result.output.split("ditulis:")[-1])
    assert not out.exists()
