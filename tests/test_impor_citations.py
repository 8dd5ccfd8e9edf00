"""``impor`` reads the figures a report restates in its sentences into the Kutipan sheet.

One measure, per seed and per format (text, Word, PDF): the known wrong figures, i.e. the errors ``check``
raises on the hand transcription ``samples/<name>.xlsx`` (matched by sheet, field and stated value), found
after ``impor`` then ``check`` with no hand typing; and no false error (every error raised on the imported
workbook also stands on the transcription).  The wrong figures the transcription cites from the narrative
(its Kutipan rows whose lokasi is a chapter, "Bab ...") must all be found.  A small report written here
checks the rules that keep a sentence out when it cannot be read without guessing.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from impor_docs import SEEDS, build_docx, to_pdf
from impor_measure import matched

from sakip_xlsx.compute import ROW_COUNT
from sakip_xlsx.impor.place import IMPOR_SHEET, import_report
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.rules import load_rules

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NAMES = ("kragan-rembang-2021", "ngoro-jombang-2024", "ngoro-mojokerto-2021")


def _error_keys(findings) -> set[tuple]:
    return {
        (f.sheet, f.field, round(float(f.stated), 2) if isinstance(f.stated, (int, float)) else f.stated)
        for f in findings
        if f.severity == "error"
    }


def _rules(name: str):
    import json

    return load_rules(json.loads((SAMPLES / "data" / f"{name}.json").read_text("utf-8"))["rules"])


def _transcription(name: str) -> tuple[set[tuple], set[tuple], set[tuple]]:
    """The transcription's errors, those that follow a root (still wrong), and its narrative citation errors."""
    from sakip_xlsx.pipeline import check_file

    sample = SAMPLES / f"{name}.xlsx"
    findings = check_file(sample).findings
    records = read_workbook(sample).tables["kutipan"].records
    # a count of a free table's rows ("dari 5 jenis layanan") is not read from sentences: impor would first
    # have to place the table it counts (Jombang's IKM table is not placed)
    lokasi = {
        f"D{record.row}": str(record.entries["lokasi"].raw or "")
        for record in records
        if record.get("besaran") != ROW_COUNT
    }
    narrative = _error_keys(
        f for f in findings if f.sheet == "Kutipan" and lokasi.get(f.cell, "").startswith("Bab")
    )
    linked = _error_keys(replace(f, severity="error") for f in findings if f.code == "follows-root")
    return _error_keys(findings), linked, narrative


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The seeds as text, as Word files built from the text, and as PDFs of those (one soffice call)."""
    if not SEEDS.is_dir():
        pytest.skip("seed reports not available")
    folder = tmp_path_factory.mktemp("citations")
    made = {name: {"txt": SEEDS / f"lkjip-{name}.txt"} for name in NAMES}
    for name in NAMES:
        made[name]["docx"] = build_docx(made[name]["txt"], folder / f"lkjip-{name}.docx")
    if shutil.which("soffice"):
        pdfs = to_pdf([made[name]["docx"] for name in NAMES], folder, tmp_path_factory.mktemp("profile"))
        for name, pdf in zip(NAMES, pdfs, strict=True):
            made[name]["pdf"] = pdf
    return made


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_wrong_figures_cited_in_sentences_are_found_after_impor(kind: str, reports, tmp_path: Path) -> None:
    from sakip_xlsx.pipeline import check_file

    if kind not in reports[NAMES[0]]:
        pytest.skip("LibreOffice (soffice) not available")
    found = known = narrative_found = narrative_known = 0
    for name in NAMES:
        out = tmp_path / f"{name}.xlsx"
        import_report(reports[name][kind], out, rules=_rules(name))
        expected, linked, narrative = _transcription(name)
        got = _error_keys(check_file(out).findings)
        print(
            f"\n{name} {kind}: known wrong figures found {len(matched(expected, got))}/{len(expected)}; "
            f"cited in sentences {len(narrative & got)}/{len(narrative)}; missed {sorted(map(str, expected - got))}"
        )
        # a figure correct as printed never gets an error
        false = got - matched(got, expected | linked)  # a free table column may be named by more header words
        assert not false, sorted(map(str, false))
        assert narrative <= got, sorted(map(str, narrative - got))
        found, known = found + len(matched(expected, got)), known + len(expected)
        narrative_found, narrative_known = (
            narrative_found + len(narrative & got),
            narrative_known + len(narrative),
        )
    print(
        f"{kind}: all sheets {found}/{known} = {found / known:.1%}; sentences {narrative_found}/{narrative_known}"
    )
    assert narrative_known >= 10


# --- the rules, on a small report --------------------------------------------------------------

TARGETS = {"IKM": ("80,00", "84,00"), "DESA": ("90,00", "81,00")}
IKM = "Indeks Kepuasan Masyarakat terhadap Layanan Kecamatan"
DESA = "Persentase Desa yang Menyampaikan Laporan Keuangan Tepat Waktu"
KEGIATAN = (
    (
        "7.01.01",
        "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
        "30.000.000",
        "27.000.000",
        "90",
    ),
    ("7.01.01.1.01", "Pelayanan Administrasi Terpadu Kecamatan", "20.000.000", "18.000.000", "90"),
    ("7.01.01.1.02", "Survei Kepuasan Masyarakat", "10.000.000", "9.000.000", "90"),
    ("7.01.02", "Program Pembinaan dan Pengawasan Pemerintahan Desa", "10.000.000", "10.000.000", "100"),
    ("7.01.02.1.01", "Fasilitasi Laporan Keuangan Desa", "10.000.000", "10.000.000", "100"),
)
SENTENCES = {
    "counts": "Dalam Perjanjian Kinerja tahun 2023 terdapat 2 program dan 4 kegiatan untuk mencapai sasaran.",
    "qualified": "Ada 1 program yang tidak mencapai target dan 2 kegiatan yang belum selesai.",
    "indicator": f"Indikator {IKM} dengan target 80 telah tercapai 84 dengan capaian 110 %.",
    "other year": f"Indikator {DESA} tahun 2022 mencapai capaian 70 %.",
    "two indicators": f"Capaian {IKM} dan {DESA} masing-masing 105 % dan 90 %.",
    "mean": "Rata-rata capaian kinerja sasaran tahun 2023 sebesar 99,5 %.",
    "mean of kegiatan": "Secara rata-rata capaian kinerja kegiatan menunjukkan angka 98 %.",
}


#: figures the second table prints differently from the first (IKM's target 80,00, DESA's realisasi 81,00)
REPEATED = {"target": "82,00", "realisasi": "85,00"}


def _small_report(folder: Path) -> Path:
    rows = [
        "Sasaran\tIndikator Kinerja\tTarget\tRealisasi\tCapaian",
        f"Meningkatnya kualitas pelayanan publik\t{IKM}\t80,00\t84,00\t105 %",
        f"Meningkatnya tertib administrasi desa\t{DESA}\t90,00\t81,00\t90 %",
    ]
    # a second table repeats the indicators (target and this year's realisasi) beside earlier years; the
    # last row is an indicator of the same wording under another sasaran (an older set): not these
    again = [
        "Sasaran\tIndikator Kinerja\tTarget\tRealisasi Tahun 2023\tRealisasi Tahun 2022",
        f"Meningkatnya kualitas pelayanan publik\t{IKM}\t{REPEATED['target']}\t84,00\t83,00",
        f"Meningkatnya tertib administrasi desa\t{DESA}\t90,00\t{REPEATED['realisasi']}\t80,00",
        f"Meningkatnya tata kelola kecamatan\t{IKM}\t75,00\t70,00\t60,00",
    ]
    budget = ["Program / Kegiatan\tPagu (Rp)\tRealisasi (Rp)\t%"]
    budget += [f"{kode} {uraian}\t" + "\t".join(figures) for kode, uraian, *figures in KEGIATAN]
    text = "\n\n".join(
        [
            "# LAPORAN KINERJA INSTANSI PEMERINTAH KECAMATAN SUKAMAJU KABUPATEN CONTOH TAHUN 2023",
            "# BAB II PERENCANAAN KINERJA",
            SENTENCES["counts"],
            "# BAB III AKUNTABILITAS KINERJA",
            "Tabel 3.1 Pencapaian Kinerja",
            "\n".join(rows),
            *(SENTENCES[key] for key in SENTENCES if key != "counts"),
            "Tabel 3.3 Perbandingan Realisasi Kinerja",
            "\n".join(again),
            "Tabel 3.4 Realisasi Anggaran",
            "\n".join(budget),
        ]
    )
    path = folder / "laporan.txt"
    path.write_text(text + "\n", "utf-8")
    return path


def test_sentences_become_citations_and_doubtful_ones_are_left_for_the_reviewer(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from sakip_xlsx.pipeline import check_file

    out = tmp_path / "isian.xlsx"
    import_report(_small_report(tmp_path), out)
    rows = [
        {key: entry.raw for key, entry in record.entries.items()}
        for record in read_workbook(out).tables["kutipan"].records
    ]
    cited = {(row["besaran"], str(row.get("kode") or ""), str(row["nilai"])) for row in rows}
    assert ("jumlah program", "", "2") in cited and ("jumlah kegiatan", "", "4") in cited
    assert {("capaian", "IK1", "110 %"), ("target", "IK1", "80"), ("realisasi kinerja", "IK1", "84")} <= cited
    assert ("rata-rata capaian", "", "99,5 %") in cited
    # the lokasi says under which heading the sentence stands
    assert all(row["lokasi"].startswith("BAB I") for row in rows if row["besaran"] == "jumlah program")
    # nothing from a qualified count, another year, two indicators at once, or the kegiatan's mean
    assert not any(row["nilai"] in ("1", "70 %", "105 %", "90 %", "98 %") for row in rows), rows
    assert sum(1 for row in rows if row["besaran"] == "jumlah kegiatan") == 1
    sheet = load_workbook(out, read_only=True)[IMPOR_SHEET]
    listed = " ".join(
        str(row[3]) for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] != "diisi"
    )
    for key in ("other year", "two indicators", "mean of kegiatan"):
        assert SENTENCES[key][:60] in listed, key
    for key in ("indicator", "mean"):
        assert SENTENCES[key][:60] not in listed, key

    # check judges the cited figures against the tables
    errors = {
        (f.stated, round(float(f.expected), 2))
        for f in check_file(out).findings
        if f.sheet == "Kutipan" and f.severity == "error"
    }
    capaian_ikm = 84 / 80 * 100
    capaian_desa = 81 / 90 * 100
    kegiatan = sum(1 for kode, *_rest in KEGIATAN if kode.count(".") == 4)
    assert (110.0, round(capaian_ikm, 2)) in errors
    assert (99.5, round((capaian_ikm + capaian_desa) / 2, 2)) in errors
    assert (4.0, float(kegiatan)) in errors
    # figures repeated in another table: the ones printed differently are cited and judged
    assert ("target", "IK1", REPEATED["target"]) in cited
    assert ("realisasi kinerja", "IK2", REPEATED["realisasi"]) in cited
    assert (82.0, 80.0) in errors and (85.0, 81.0) in errors
    # not the equal ones, not last year's column, not the indicator of the other sasaran
    assert not any(row["nilai"] in ("84,00", "90,00", "83,00", "80,00", "75,00", "70,00") for row in rows), (
        rows
    )
    # the program count, the sentence's target and realisasi are right
    assert len(errors) == 5, errors
