"""A citation counting the rows of a free table (issue 17 item 7, "a count of layanan"), on real xlsx files.

Ngoro/Jombang 2024, Bab III 3.1.1 (seed lines 601-614): "IKM Kecamatan Ngoro pada tahun 2024 adalah 97,17
dari 5 jenis layanan ..." above a table of six layanan (IKD included) under the heading row "1 Kecamatan
Ngoro", with a mean row ("Nilai rata-rata per unsur 6"), a sum row ("Total layanan - 6") and another mean
row, typed as the Tabel Bebas instructions ask ("Rata-rata", "Jumlah"). The IPP aspect table (lines
620-628, its repeat at 1334-1340) has six aspects; Tabel 3.2 (lines 641-643) three categories, two of
them printed "–". Every expected count is counted here from the rows typed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from helpers import is_indonesian

from sakip_xlsx.cli import main
from sakip_xlsx.filling import FreeTable, fill_workbook
from sakip_xlsx.freetables import FIRST_TABLE_ROW
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.rules import load_rules
from sakip_xlsx.template import blank_workbook, live_formula_spans, share_formulas

IKM_TITLE = "Indeks Kepuasan Masyarakat (IKM) Kecamatan Ngoro 2024 per Unsur dan Jenis Layanan"
UNSUR = [
    "Persyaratan",
    "Prosedur",
    "Waktu",
    "Biaya",
    "Produk",
    "Kompetensi",
    "Perilaku",
    "Sarpras",
    "Pengaduan",
]
LAYANAN = [
    [
        "",
        "Fasilitasi KTP – elektronik",
        *"93.54 93.27 91.7 97.58 92.91 93.04 95.11 93.13 93.81".split(),
        "93.79",
    ],
    [
        "",
        "Fasilitasi Kartu Keluarga (KK)",
        *"97.33 97.57 96.12 98.54 96.36 96.84 98.54 97.82 98.3".split(),
        "97.49",
    ],
    ["", "Fasilitasi SKCK", *"97.66 97.66 97.27 98.05 96.09 94.53 98.05 98.05 98.05".split(), "97.27"],
    [
        "",
        "Fasilitasi Pindah Kependudukan",
        *"95.45 96.21 95.45 100 96.97 96.97 97.73 96.97 97.73".split(),
        "97.05",
    ],
    ["", "Pendaftaran IKD", *"98.08 98.08 97.69 100 97.69 98.08 98.46 98.46 98.08".split(), "98.29"],
    [
        "",
        "Fasilitasi Surat Keterangan Lainnya",
        *"99.48 98.44 98.44 100 98.44 99.48 99.48 98.96 99.48".split(),
        "99.13",
    ],
]
MEAN = ["", "Rata-rata", *"96.92 96.87 96.11 99.03 96.41 96.49 97.9 97.23 97.58".split(), "97.17"]
TOTAL = ["", "Jumlah", *"581.54 581.23 576.67 594.17 578.46 578.94 587.37 583.39 585.45".split(), "5247.22"]
IKM_ROWS = [["1", "Kecamatan Ngoro"], *LAYANAN, MEAN, TOTAL, MEAN]
IKM = FreeTable(IKM_TITLE, ["Nomor", "Layanan", *UNSUR, "Rata-rata"], IKM_ROWS, {"L": "=AVERAGE(C:K)"})
ASPEK = [
    ["1.", "Kebijakan Pelayanan", "2,94", "0,71"],
    ["2.", "Profesional SDM", "3,4", "0,85"],
    ["3.", "Sarana dan Prasarana", "3,6", "0,65"],
    ["4.", "Sistem Informasi Pelayanan Publik", "3,4", "0,37"],
    ["5.", "Konsultasi dan Pengaduan", "3,25", "0,33"],
    ["6.", "Inovasi", "3", "0,36"],
]
IPP_HEADER = ["No.", "Aspek", "Nilai Indikator", "Nilai Aspek"]
IPP = FreeTable("Aspek Penilaian Indeks Pelayanan Publik (IPP) Kecamatan Ngoro 2024", IPP_HEADER, ASPEK)
IPP_AGAIN = FreeTable("Aspek Penilaian IPP Kecamatan Ngoro 2024 (ulangan)", IPP_HEADER, ASPEK)
KATEGORI = [["Melebihi/melampaui target", "101,4"], ["Sesuai target", "–"], ["Tidak mencapai target", "–"]]
TABEL_3_2 = FreeTable(
    "Tabel 3.2 Pencapaian Kinerja Sasaran Kecamatan Ngoro Tahun 2024", ["Kategori", "%"], KATEGORI
)
#: the layanan typed: IKM rows with a figure, not the heading, mean or sum rows
SIX = sum(1 for row in IKM_ROWS if row[1] not in ("Rata-rata", "Jumlah") and any(row[2:]))


def workbook(
    path: Path,
    *citations: tuple[str, Any, Any],
    free: tuple[FreeTable, ...] = (IKM, IPP, IPP_AGAIN, TABEL_3_2),
):
    """A template filled as staff would: identity, the free tables, one Kutipan row per citation."""
    book = blank_workbook(load_rules("jombang"))
    kutipan = [
        {"lokasi": f"Bab III 3.1.1 alinea {n}", "besaran": b, "kode": k, "nilai": v}
        for n, (b, k, v) in enumerate(citations, 1)
    ]
    cells = {"pemda": "Kabupaten Jombang", "instansi": "Kecamatan Ngoro", "tahun": 2024}
    fill_workbook(book, cells, {"kutipan": kutipan}, free)
    book.save(path)
    share_formulas(path, live_formula_spans())
    return path


def kutipan_findings(path: Path) -> dict[str, dict]:
    """Kutipan findings by cell (one per citation at most)."""
    found = [f.to_dict() for f in check_file(path).findings if f.table == "kutipan"]
    by_cell = {f["cell"]: f for f in found}
    assert len(by_cell) == len(found)
    return by_cell


def test_five_layanan_fires_six_is_quiet(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "ikm.xlsx",
        ("jumlah baris tabel", IKM_TITLE, "5"),  # "dari 5 jenis layanan" (line 601)
        ("jumlah baris tabel", IKM_TITLE, "6"),  # "Total layanan - 6" (line 613)
        ("jumlah baris tabel", "Indeks Kepuasan Masyarakat (IKM)", "6"),  # the start of the title
        ("jumlah baris tabel", f"Judul: {IKM_TITLE.upper()}", 6),  # as the title row shows it, any case
        ("jumlah baris tabel", "Aspek Penilaian IPP Kecamatan Ngoro 2024 (ulangan)", "6"),  # "dari 6 aspek"
        ("jumlah baris tabel", "Tabel 3.2", "3"),  # its number; rows printed "–" are rows too
    )
    found = kutipan_findings(path)
    assert list(found) == ["D4"]
    five = found["D4"]
    assert (five["code"], five["severity"], five["stated"], five["expected"]) == (
        "citation-mismatch",
        "error",
        5,
        SIX,
    )
    # the heading, mean and sum rows typed are not counted: rows title, header, Rumus, heading, layanan
    assert len(IKM_ROWS) - SIX == 4
    first, last = FIRST_TABLE_ROW + 4, FIRST_TABLE_ROW + 4 + SIX - 1
    assert f"baris {first}–{last}" in five["message"]
    assert five["message"].startswith("Kutipan!D4:") and is_indonesian(five["message"])


def test_wrong_counts_of_the_other_tables_fire(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "lain.xlsx",
        ("jumlah baris tabel", "Tabel 3.2", "2"),  # the two "–" categories are rows of the table
        ("jumlah baris tabel", "Aspek Penilaian Indeks Pelayanan Publik (IPP)", "7"),
        ("jumlah baris tabel", IKM_TITLE, "-"),  # a count printed "-" is none (0)
    )
    found = kutipan_findings(path)
    assert {cell: (f["severity"], f["stated"], f["expected"]) for cell, f in found.items()} == {
        "D4": ("error", 2, len(KATEGORI)),
        "D5": ("error", 7, len(ASPEK)),
        "D6": ("error", 0, SIX),
    }


def test_unknown_or_ambiguous_table_is_an_unknown_reference(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "tidak-ada.xlsx",
        ("jumlah baris tabel", "Tabel 3.9", "6"),
        ("jumlah baris tabel", "Aspek Penilaian", "6"),  # the start of both IPP tables
        ("jumlah baris tabel", None, "6"),
    )
    found = kutipan_findings(path)
    assert {cell: (f["code"], f["severity"]) for cell, f in found.items()} == {
        cell: ("unknown-reference", "warning") for cell in ("D4", "D5", "D6")
    }
    for cell, finding in found.items():
        assert finding["message"].startswith(f"Kutipan!{cell}: kutipan “jumlah baris tabel”")
        assert is_indonesian(finding["message"]), finding["message"]
    assert "tidak cocok dengan judul atau nomor tabel" in found["D4"]["message"]
    ipp_rows = [FIRST_TABLE_ROW + len(IKM_ROWS) + 4, FIRST_TABLE_ROW + len(IKM_ROWS) + 4 + len(ASPEK) + 3]
    assert (
        f"lebih dari satu tabel di lembar Tabel Bebas (judul di sel A{ipp_rows[0]}, A{ipp_rows[1]})"
        in (found["D5"]["message"])
    )


def test_no_free_tables_at_all(tmp_path: Path) -> None:
    path = workbook(tmp_path / "kosong.xlsx", ("jumlah baris tabel", IKM_TITLE, "5"), free=())
    found = kutipan_findings(path)
    assert [(f["cell"], f["code"]) for f in found.values()] == [("D4", "unknown-reference")]
    assert "lembar Tabel Bebas" in found["D4"]["message"]


def test_text_and_json_output_and_results_workbook(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "cli.xlsx",
        ("jumlah baris tabel", IKM_TITLE, "5"),
        ("jumlah baris tabel", "Tabel 9.9", "6"),
    )
    runner = CliRunner()
    text = runner.invoke(main, ["check", str(path)])
    assert text.exit_code == 1, text.output
    assert "Traceback" not in text.output
    assert f"Kutipan!D4: jumlah baris tabel {IKM_TITLE}" in text.output and f"seharusnya {SIX}" in text.output
    assert "Kutipan!D5: kutipan “jumlah baris tabel” untuk “Tabel 9.9”" in text.output
    as_json = runner.invoke(main, ["check", "--format", "json", str(path)])
    assert as_json.exit_code == 1 and "Traceback" not in as_json.output
    findings = json.loads(as_json.output)["files"][0]["findings"]
    assert {(f["cell"], f["code"]) for f in findings if f["table"] == "kutipan"} == {
        ("D4", "citation-mismatch"),
        ("D5", "unknown-reference"),
    }
    results = runner.invoke(main, ["results", str(path), "--outdir", str(tmp_path / "hasil")])
    assert results.exit_code == 0, results.output
    cek = openpyxl.load_workbook(next((tmp_path / "hasil").glob("*.xlsx")))["Cek Kutipan"]
    rows = [row for row in cek.iter_rows(values_only=True) if row[1] == "jumlah baris tabel"]
    assert [row[2] for row in rows] == [IKM_TITLE, "Tabel 9.9"]
    assert str(rows[0][4]).lstrip("=") == str(SIX)  # the right count beside the cited 5
    assert rows[1][4] in (None, "", '=""')  # no table of that name: no value (a blank formula)


def test_kutipan_help_names_the_table_and_fits_excel() -> None:
    from sakip_xlsx.description import KUTIPAN, LISTS

    help_text = next(column.help for column in KUTIPAN.columns if column.field == "kode")
    assert "judul tabel untuk jumlah baris tabel" in help_text
    assert len(help_text) <= 255  # Excel shows at most 255 characters of an input message
    assert "jumlah baris tabel" in next(values.values for values in LISTS if values.id == "besaran")
    assert "jumlah baris tabel (mis. jumlah layanan" in KUTIPAN.purpose
