"""Renstra lines not budgeted this year, and several printings of the plan (issue 17 items 5 and 6).

Figures from Ngoro/Mojokerto 2021 (seed lines 318-340 and the Rencana Kinerja Tahunan of Bab II A):
Program Penyelenggaraan Pemerintahan dan Pelayanan Publik has PK Murni 35.000.000 and, after the
revision, DPA/PK Perubahan 22.680.000 = 10.000.000 + 12.680.000 (its two sub kegiatan). The kode
values are Permendagri 90/2019 style kodes given to those lines here (the report prints none).
Expected values are plain arithmetic.
"""

from __future__ import annotations

from typing import Any

import pytest

from sakip_xlsx.pipeline import check_file

IDENTITAS = {"pemda": "Kabupaten Mojokerto", "instansi": "Kecamatan Ngoro", "tahun": 2021}
SASARAN = [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya kualitas pelayanan publik"}]
INDIKATOR = [
    {
        "kode": "IK1",
        "sasaran_kode": "S1",
        "uraian": "Nilai IKM Kecamatan",
        "satuan": "Indeks",
        "polaritas": "Positif",
        "target": "80",
        "realisasi": "86,64",
    }
]
PROGRAM = "7.01.02"
KEGIATAN = "7.01.02.2.01"
SUB = ["7.01.02.2.01.0001", "7.01.02.2.01.0002"]
SUB_PAGU = [10_000_000, 12_680_000]
SUB_REAL = [9_999_618, 12_671_929]
ANGGARAN = [
    {
        "kode": PROGRAM,
        "tingkat": "Program",
        "uraian": "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
    },
    {"kode": KEGIATAN, "tingkat": "Kegiatan", "uraian": "Pelaksanaan Urusan Pemerintahan yang Dilimpahkan"},
    *[
        {"kode": k, "tingkat": "Sub Kegiatan", "uraian": f"Sub kegiatan {k}", "pagu": p, "realisasi": r}
        for k, p, r in zip(SUB, SUB_PAGU, SUB_REAL, strict=True)
    ],
]
PK = [
    {
        "uraian": "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
        "anggaran": "35.000.000",
        "versi": "Murni",
    },
    {
        "uraian": "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
        "anggaran": "22.680.000",
        "versi": "Perubahan",
    },
]
UNBUDGETED = "7.01.02.2.01.0003"  # planned for 2022 only: not in Anggaran 2021


def rp(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def findings(filled_template, renstra: list[dict[str, Any]], pk: list | None = None) -> list[dict]:
    tables = {"sasaran": SASARAN, "indikator": INDIKATOR, "anggaran": ANGGARAN, "renstra": renstra}
    if pk is not None:
        tables["pk_anggaran"] = pk
    cells = {**IDENTITAS, "renstra_awal": 2021, "renstra_akhir": 2022}
    path = filled_template(cells=cells, tables=tables)
    return [f.to_dict() for f in check_file(path).findings if f.table == "renstra"]


def plan_2022(third: int, program_total: int, akhir: int | None = None) -> list[dict[str, Any]]:
    rows = [
        {"kode": PROGRAM, "tahun": 2022, "pagu": rp(program_total)},
        {"kode": KEGIATAN, "tahun": 2022, "pagu": rp(program_total)},
        {"kode": SUB[0], "tahun": 2022, "pagu": rp(SUB_PAGU[0])},
        {"kode": SUB[1], "tahun": 2022, "pagu": rp(SUB_PAGU[1])},
        {"kode": UNBUDGETED, "tahun": 2022, "pagu": rp(third)},
    ]
    if akhir is not None:
        rows.append({"kode": UNBUDGETED, "tahun": 2021, "pagu": "0", "pagu_akhir_dilaporkan": rp(akhir)})
    return rows


def test_unbudgeted_line_counts_in_its_parents(filled_template) -> None:
    # the PK Murni 35.000.000 of 2021 planned again for 2022, with a third sub kegiatan not budgeted in 2021
    third = 35_000_000 - sum(SUB_PAGU)
    found = findings(filled_template, plan_2022(third, 35_000_000, akhir=third))
    assert [f for f in found if f["severity"] == "error"] == []
    assert not [f for f in found if f["code"] == "unknown-reference"]


def test_unbudgeted_line_wrong_figures_fire(filled_template) -> None:
    third = 13_320_000  # typed one digit off: 35.000.000 - 22.680.000 = 12.320.000
    found = findings(filled_template, plan_2022(third, 35_000_000, akhir=12_320_000))
    errors = {(f["cell"], f["field"]): f for f in found if f["severity"] == "error"}
    expected = sum(SUB_PAGU) + third
    # the kegiatan is off by 1.000.000 from its rows; the program, typed as the Σ of its typed
    # kegiatan, follows it (issue 16: one wrong figure, one error)
    assert {f["expected"] for f in errors.values() if f["field"] == "pagu"} == {expected}
    assert {f["row_key"] for f in errors.values() if f["field"] == "pagu"} == {KEGIATAN}
    program = next(f for f in found if f["row_key"] == PROGRAM and f["field"] == "pagu")
    assert (program["code"], program["expected"]) == ("follows-root", expected)
    # its own period total: 0 (2021) + 13.320.000 (2022), stated 12.320.000
    akhir = [f for f in errors.values() if f["field"] == "pagu_akhir_dilaporkan"]
    assert len(akhir) == 1 and akhir[0]["expected"] == 0 + third and akhir[0]["stated"] == 12_320_000


def test_parent_of_an_unbudgeted_line_follows_its_wrong_kegiatan(filled_template) -> None:
    # the kegiatan typed as the Σ of the budgeted sub kegiatan only (the unbudgeted third left out);
    # the program typed as that kegiatan: one root (the kegiatan), the program follows it (issue 16)
    third = 12_320_000
    rows = plan_2022(third, sum(SUB_PAGU), akhir=third + 1_000_000)  # and an independent slip
    found = findings(filled_template, rows)
    errors = [f for f in found if f["severity"] == "error"]
    kegiatan = next(f for f in errors if f["row_key"] == KEGIATAN and f["field"] == "pagu")
    assert kegiatan["expected"] == sum(SUB_PAGU) + third
    program = next(f for f in found if f["row_key"] == PROGRAM and f["field"] == "pagu")
    assert (program["code"], program["severity"]) == ("follows-root", "warning")
    assert program["caused_by"] == f"{kegiatan['sheet']}!{kegiatan['cell']}"
    assert program["expected"] == sum(SUB_PAGU) + third
    akhir = [f for f in errors if f["field"] == "pagu_akhir_dilaporkan"]
    assert len(akhir) == 1 and akhir[0]["expected"] == 0 + third
    assert len(errors) == 2


def test_a_name_that_is_no_kode_still_warns(filled_template) -> None:
    found = findings(
        filled_template, [{"kode": "Pengadaan Gedung Kantor", "tahun": 2022, "pagu": "1.000.000"}]
    )
    assert [f["code"] for f in found] == ["unknown-reference"]


def renja_2021(program: int, sub: list[int], sumber: str = "Renja") -> list[dict[str, Any]]:
    return [
        {"kode": PROGRAM, "tahun": 2021, "pagu": rp(program), "sumber": sumber},
        {"kode": KEGIATAN, "tahun": 2021, "pagu": rp(sum(sub)), "sumber": sumber},
        *[{"kode": k, "tahun": 2021, "pagu": rp(p), "sumber": sumber} for k, p in zip(SUB, sub, strict=True)],
    ]


def test_renja_pagu_against_pk_murni_and_the_revised_dpa(filled_template) -> None:
    # Renja 2021 = PK Murni 35.000.000 (sub kegiatan 17.500.000 each before the revision)
    found = findings(filled_template, renja_2021(35_000_000, [17_500_000, 17_500_000]), PK)
    assert [f for f in found if f["severity"] in ("error", "warning")] == []
    dpa = {f["row_key"]: f for f in found if f["code"] == "renstra-mismatch"}
    # the DPA was revised (a PK Perubahan exists): a Renja line that differs from it is info only
    assert dpa[PROGRAM]["severity"] == "info" and dpa[PROGRAM]["expected"] == sum(SUB_PAGU)
    assert "(Renja)" in dpa[PROGRAM]["message"]
    # a Renja program pagu that is not the PK Murni: warning, expected the PK Murni figure
    found = findings(filled_template, renja_2021(36_000_000, [18_000_000, 18_000_000]), PK)
    warnings = [f for f in found if f["severity"] == "warning"]
    assert (
        len(warnings) == 1 and warnings[0]["expected"] == 35_000_000 and warnings[0]["stated"] == 36_000_000
    )


def test_renja_without_a_revision_is_checked_against_the_dpa(filled_template) -> None:
    found = findings(filled_template, renja_2021(35_000_000, [17_500_000, 17_500_000]), PK[:1])
    program = [f for f in found if f["row_key"] == PROGRAM and f["code"] == "renstra-mismatch"]
    assert [f["severity"] for f in program] == ["warning"] and program[0]["expected"] == sum(SUB_PAGU)


@pytest.mark.parametrize(("second", "severity"), [("Renstra", "error"), ("Renstra Perubahan", "info")])
def test_several_printings_of_one_target(filled_template, second: str, severity: str) -> None:
    # IKM target 2021: 80 in the Renstra, printed again as 78 (Tabel 3.3 of the seed prints 78 Baik)
    rows = [
        {"kode": "IK1", "tahun": 2021, "target": "80"},
        {"kode": "IK1", "tahun": 2021, "target": "78", "sumber": second},
    ]
    found = findings(filled_template, rows)
    second_row = [f for f in found if f["stated"] == 78.0 and f["expected"] == 80.0]
    assert second_row and {f["severity"] for f in second_row} == {severity}
    # the same figure printed twice is quiet
    rows[1]["target"] = "80"
    found = findings(filled_template, rows)
    assert [f for f in found if f["severity"] != "info"] == []


def test_revised_target_against_the_indicator_is_info(filled_template) -> None:
    rows = [{"kode": "IK1", "tahun": 2021, "target": "78", "sumber": "Usulan Perubahan"}]
    found = findings(filled_template, rows)
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("info", 78.0, 80.0)]
    rows[0]["sumber"] = "Renstra"
    found = findings(filled_template, rows)
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("warning", 78.0, 80.0)]


def test_each_printing_is_rolled_up_on_its_own(filled_template) -> None:
    # Renstra and Renja pagu of 2022 differ; each sums its own lines: no mix, no error
    rows = plan_2022(12_320_000, 35_000_000)
    rows += [
        {"kode": PROGRAM, "tahun": 2022, "pagu": rp(sum(SUB_PAGU)), "sumber": "Renja"},
        {"kode": SUB[0], "tahun": 2022, "pagu": rp(SUB_PAGU[0]), "sumber": "Renja"},
        {"kode": SUB[1], "tahun": 2022, "pagu": rp(SUB_PAGU[1]), "sumber": "Renja"},
    ]
    found = findings(filled_template, rows)
    assert [f for f in found if f["severity"] == "error"] == []
    infos = [f for f in found if f["severity"] == "info" and f["row_key"] == PROGRAM]
    assert [(f["stated"], f["expected"]) for f in infos] == [(sum(SUB_PAGU), 35_000_000)]


# Ngoro/Mojokerto 2021, Rencana Kinerja Tahunan (seed line 269): kegiatan "Penyediaan Jasa Penunjang
# Urusan Pemerintah Daerah" 40.000.000 while its sub kegiatan are 40.000.000 + 26.808.960; the report
# spells the kegiatan "Pemerintah" where the budget table says "Pemerintahan".
JASA = [
    {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program Penunjang Urusan Pemerintahan Daerah"},
    {"kode": "", "tingkat": "Kegiatan", "uraian": "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah"},
    {
        "kode": "",
        "tingkat": "Sub Kegiatan",
        "uraian": "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik",
        "pagu": "40.000.000",
        "realisasi": "32.615.139",
    },
    {
        "kode": "",
        "tingkat": "Sub Kegiatan",
        "uraian": "Penyediaan Jasa Pelayanan Umum Kantor",
        "pagu": "26.808.960",
        "realisasi": "26.808.960",
    },
]


def jasa_findings(filled_template, renstra: list[dict[str, Any]]) -> list[dict]:
    tables = {"sasaran": SASARAN, "indikator": INDIKATOR, "anggaran": JASA, "renstra": renstra}
    path = filled_template(cells=IDENTITAS, tables=tables)
    return [f.to_dict() for f in check_file(path).findings if f.table == "renstra"]


def test_a_name_spelled_almost_the_same_is_that_line(filled_template) -> None:
    rows = [
        {"kode": "Penyediaan Jasa Penunjang Urusan Pemerintah Daerah", "tahun": 2021, "pagu": "40.000.000"},
        {
            "kode": "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik",
            "tahun": 2021,
            "pagu": "40.000.000",
        },
        {"kode": "Penyediaan Jasa Pelayanan Umum Kantor", "tahun": 2021, "pagu": "26.808.960"},
    ]
    found = jasa_findings(filled_template, rows)
    errors = [f for f in found if f["severity"] == "error"]
    assert [(f["stated"], f["expected"]) for f in errors] == [(40_000_000, 40_000_000 + 26_808_960)]
    assert not [f for f in found if f["code"] == "unknown-reference"]


def test_an_unknown_row_leaves_the_sum_above_it_unchecked(filled_template) -> None:
    # a sub kegiatan of the plan that names no budget line: the kegiatan's own sum is not computed short
    rows = [
        {"kode": "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah", "tahun": 2021, "pagu": "76.808.960"},
        {
            "kode": "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik",
            "tahun": 2021,
            "pagu": "40.000.000",
        },
        {"kode": "Penyediaan Jasa Kebersihan Kantor", "tahun": 2021, "pagu": "10.000.000"},
        {"kode": "Penyediaan Jasa Pelayanan Umum Kantor", "tahun": 2021, "pagu": "26.808.960"},
    ]
    found = jasa_findings(filled_template, rows)
    assert [f for f in found if f["severity"] == "error"] == []
    unknown = [f for f in found if f["code"] == "unknown-reference"]
    assert len(unknown) == 1 and "tidak dijumlah ulang" in unknown[0]["message"]
