"""Check findings that need a hand-made setting (PK matching, orphan lines, row order)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from check_helpers import (
    IDENTITAS,
    analyse,
    approx,
    assert_message,
    indikator,
    kegiatan,
    program,
    sub_kegiatan,
    tables,
)
from helpers import cell_of

from sakip_xlsx.checks import run_checks
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.rules import load_rules


def test_capaian_below_zero_is_implausible(filled_template, tmp_path: Path) -> None:
    rules_file = tmp_path / "tanpa-batas-bawah.toml"
    rules_file.write_text(
        'nama = "Uji"\n[capaian]\nbatas_atas = "tidak ada"\nbatas_bawah = "tidak ada"\n', "utf-8"
    )
    path = filled_template(cells=IDENTITAS, tables=tables([indikator(target="10", realisasi="-5")]))
    (item,) = run_checks(*analyse(path, load_rules(rules_file)), only=["capaian-plausible"])
    assert (item.code, item.severity) == ("capaian-implausible", "warning")
    assert (item.sheet, item.cell, item.field, item.row_key) == (
        *cell_of("indikator", "realisasi"),
        "realisasi",
        "IK1",
    )
    assert item.stated == approx(-5.0)
    assert "-50,00" in item.message
    assert_message(item)


def test_pk_murni_only_program_is_compared_while_revised_one_is_not(filled_template) -> None:
    """Program A has Murni and Perubahan (only Perubahan is compared); program B has only Murni."""
    budget = [
        program(pagu="1.000.000", realisasi="900.000"),
        program("7.01.02", uraian="Program B", pagu="500.000", realisasi="450.000"),
    ]
    pk = [
        {"program_kode": "7.01.01", "uraian": "A", "anggaran": "800.000", "versi": "Murni"},
        {"program_kode": "7.01.01", "uraian": "A", "anggaran": "1.000.000", "versi": "Perubahan"},
        {"program_kode": "7.01.02", "uraian": "B", "anggaran": "600.000", "versi": "Murni"},
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget, pk_anggaran=pk))
    found = run_checks(*analyse(path), only=["pk-vs-dpa"])
    assert [(item.code, item.cell, item.stated, item.expected) for item in found] == [
        ("pk-budget-mismatch", cell_of("pk_anggaran", "anggaran", 2)[1], 600_000, 500_000)
    ]
    assert "Murni" in found[0].message


def test_pk_name_that_matches_two_programs_is_not_guessed(filled_template) -> None:
    budget = [
        program(pagu="1.000.000", realisasi="900.000"),
        program("7.01.02", pagu="500.000", realisasi="450.000"),
    ]  # same uraian twice
    pk = [
        {
            "program_kode": None,
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "anggaran": "1.000.000",
            "versi": "Murni",
        }
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget, pk_anggaran=pk))
    found = run_checks(*analyse(path), only=["pk-vs-dpa"])
    assert [item for item in found if item.code == "pk-budget-mismatch"] == []


def test_parent_serapan_uses_the_rolled_up_amounts(filled_template) -> None:
    """% is recomputed at every level from Σ children, never summed or averaged."""
    budget = [
        program(persen_dilaporkan="91,25"),  # mean of 90 and 92,5, not 2.750.000 / 3.000.000
        kegiatan("7.01.01.2.01", pagu="1.000.000", realisasi="900.000"),
        kegiatan("7.01.01.2.02", pagu="2.000.000", realisasi="1.850.000"),
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget))
    (item,) = run_checks(*analyse(path), only=["budget-ratios"])
    assert item.expected == approx(2_750_000 / 3_000_000 * 100)
    assert item.cell == cell_of("anggaran", "persen_dilaporkan", 0)[1]


def test_orphan_line_with_an_output_indicator_is_still_checked(filled_template, tmp_path: Path) -> None:
    """A sub kegiatan whose kegiatan is missing has no place in the budget tree (nor in the program
    analysis), but its own capaian is still in the Capaian Program table and still checked."""
    budget = [
        program(pagu="1.000.000", realisasi="900.000"),
        sub_kegiatan(
            "7.02.05.2.01.0001",
            pagu="500.000",
            realisasi="400.000",
            indikator_keluaran="Jumlah dokumen",
            satuan="Dokumen",
            target="4",
            realisasi_kinerja="3",
            capaian_dilaporkan="80",
            target_renstra_akhir="10",  # an analysis field on a line outside the tree also once stopped it
        ),
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget))
    outcome = check_file(path, results_dir=tmp_path)
    codes = {(item.code, item.cell) for item in outcome.findings}
    assert ("orphan-budget-line", cell_of("anggaran", "tingkat", 1)[1]) in codes
    (capaian,) = [item for item in outcome.findings if item.field == "capaian_dilaporkan"]
    assert (capaian.code, capaian.stated, capaian.expected) == ("ratio-mismatch", 80, approx(75.0))
    assert capaian.cell == cell_of("anggaran", "capaian_dilaporkan", 1)[1]
    results = openpyxl.load_workbook(outcome.results_path, data_only=True)
    rows = [
        row for row in results["Capaian Program"].iter_rows(values_only=True) if row[0] == "7.02.05.2.01.0001"
    ]
    assert len(rows) == 1 and rows[0][7] == approx(75.0)


def test_budget_without_kode_follows_row_order(filled_template) -> None:
    """A printed report without kode: the hierarchy follows tingkat and row order."""
    budget = [
        {"tingkat": "Program", "uraian": "Program A", "pagu": "3.000.000", "realisasi": "2.750.000"},
        {"tingkat": "Kegiatan", "uraian": "Kegiatan A.1", "pagu": "1.000.000", "realisasi": "900.000"},
        {"tingkat": "Kegiatan", "uraian": "Kegiatan A.2", "pagu": "2.000.000", "realisasi": "1.850.000"},
        {"tingkat": "Program", "uraian": "Program B", "pagu": "600.000", "realisasi": "500.000"},
        {"tingkat": "Kegiatan", "uraian": "Kegiatan B.1", "pagu": "500.000", "realisasi": "500.000"},
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget))
    found = run_checks(*analyse(path), only=["budget-sums"])
    assert [(item.code, item.cell, item.stated, item.expected) for item in found] == [
        ("sum-mismatch", cell_of("anggaran", "pagu", 3)[1], 600_000, 500_000)
    ]
    assert found[0].row_key is None and "Program B" in found[0].message
