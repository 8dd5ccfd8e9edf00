"""compute() called directly: the recomputed figures of a filled template, derived here by arithmetic."""

from __future__ import annotations

import pytest
from check_helpers import IDENTITAS, indikator, kegiatan, program, tables

from sakip_xlsx.compute import compute
from sakip_xlsx.expr import guarded_value
from sakip_xlsx.reader import read_workbook

TARGETS = [("IK1", 80, 60), ("IK2", 50, 50), ("IK3", 40, 50)]  # below, at and above target


@pytest.fixture
def computation(filled_template):
    rows = [indikator(kode=kode, target=str(t), realisasi=str(r)) for kode, t, r in TARGETS]
    budget = [
        program(pagu="3.000.000", realisasi="2.750.000"),
        kegiatan("7.01.01.1.01", pagu="1.000.000", realisasi="900.000"),
        kegiatan("7.01.01.1.02", pagu="2.000.000", realisasi="1.850.000"),
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(rows, budget))
    return compute(read_workbook(path))


def test_capaian_of_each_indicator_is_realisasi_over_target(computation) -> None:
    capaian = {result.record.key: guarded_value(result.capaian) for result in computation.indikator.values()}
    assert capaian == {kode: pytest.approx(r / t * 100) for kode, t, r in TARGETS}


def test_rata_rata_and_counts_above_at_below_target(computation) -> None:
    values = [r / t * 100 for _, t, r in TARGETS]
    totals = {name: guarded_value(expr) for name, expr in computation.totals.items()}
    assert totals["rata_capaian:Sasaran Strategis"] == pytest.approx(sum(values) / len(values))
    assert totals["jumlah_di_bawah"] == sum(v < 100 for v in values) == 1
    assert totals["jumlah_tepat"] == sum(v == 100 for v in values) == 1
    assert totals["jumlah_di_atas"] == sum(v > 100 for v in values) == 1


def test_budget_totals_serapan_and_sisa(computation) -> None:
    pagu, realisasi = 1_000_000 + 2_000_000, 900_000 + 1_850_000
    totals = {name: guarded_value(expr) for name, expr in computation.totals.items()}
    assert totals["total_pagu"] == pagu and totals["total_realisasi"] == realisasi
    assert totals["sisa_anggaran"] == pagu - realisasi
    assert totals["persen_serapan"] == pytest.approx(realisasi / pagu * 100)
    serapan = sorted(guarded_value(line.serapan) for line in computation.budget.values())
    assert serapan == pytest.approx(sorted([90.0, 1_850_000 / 2_000_000 * 100, realisasi / pagu * 100]))


def test_every_derived_value_has_its_excel_formula(computation) -> None:
    for result in computation.indikator.values():
        formula = result.capaian.formula()
        target, realisasi = result.record.entry("target"), result.record.entry("realisasi")
        assert target.cell in formula and realisasi.cell in formula, formula
    assert "SUM" in computation.totals["total_pagu"].formula().upper()


def test_the_tables_of_bab_iii_are_there(computation) -> None:
    ids = [table.id for table in computation.tables]
    assert {"capaian_kinerja", "realisasi_anggaran", "capaian_program"} <= set(ids)
    assert len(ids) == len(set(ids))
