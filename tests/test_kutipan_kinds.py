"""New kinds of citation in the Kutipan sheet (issue 17 item 7), on figures of the seed reports.

Ngoro/Jombang 2024: IK1 Nilai Evaluasi AKIP target 81, realisasi 80,15 (2024), 80,74 (2023), 75,56
(2022); IK2 IKPP target 8,22, realisasi 8,54 / 7,86 / 8,16 (Tabel 3.4, seed lines 707-708); Tabel 3.10
Administrasi Umum: six sub kegiatan whose realisasi add up to 74.101.968, printed 71.636.200;
Tabel 3.2 "Tidak mencapai target -" although IK1 (99,0 %) is below its target.
Ngoro/Mojokerto 2021, Tabel 1.2 (seed lines 129-132): population 2020 L 43.391 P 43.278,
2021 L 41.553 P 41.464. Kode values of budget lines are given here (the reports print none).
Every expected value is plain arithmetic.
"""

from __future__ import annotations

from typing import Any

import pytest

from sakip_xlsx.description import LISTS, TEMPLATE
from sakip_xlsx.pipeline import check_file

KEGIATAN = "7.01.01.2.03"
SUB = [f"{KEGIATAN}.000{n}" for n in range(1, 7)]
SUB_REALISASI = [3_236_800, 9_324_550, 31_970_000, 7_616_800, 2_352_000, 19_601_818]
INDIKATOR = [
    {
        "kode": "IK1",
        "sasaran_kode": "S1",
        "uraian": "Nilai Evaluasi AKIP Kecamatan Ngoro",
        "satuan": "Nilai",
        "polaritas": "Positif",
        "target": "81",
        "realisasi": "80,15",
        "realisasi_lalu_1": "80,74",
        "realisasi_lalu_2": "75,56",
    },
    {
        "kode": "IK2",
        "sasaran_kode": "S2",
        "uraian": "Indeks Kualitas Pelayanan Publik (IKPP) Kecamatan Ngoro",
        "satuan": "Indeks",
        "polaritas": "Positif",
        "target": "8,22",
        "realisasi": "8,54",
        "realisasi_lalu_1": "7,86",
        "realisasi_lalu_2": "8,16",
    },
]
SASARAN = [
    {
        "kode": "S1",
        "jenis": "Sasaran Strategis",
        "uraian": "Meningkatnya Akuntabilitas dan Kinerja Kecamatan",
    },
    {"kode": "S2", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya kualitas layanan publik"},
]
ANGGARAN = [
    {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program Penunjang Urusan Pemerintahan Daerah"},
    {"kode": KEGIATAN, "tingkat": "Kegiatan", "uraian": "Administrasi Umum Perangkat Daerah"},
    *[
        {"kode": k, "tingkat": "Sub Kegiatan", "uraian": f"Sub kegiatan {k}", "pagu": v, "realisasi": v}
        for k, v in zip(SUB, SUB_REALISASI, strict=True)
    ],
]
PENDUDUK = [
    {"tahun": 2020, "laki_laki": "43.391", "perempuan": "43.278"},
    {"tahun": 2021, "laki_laki": "41.553", "perempuan": "41.464"},
]
CAPAIAN_IK1 = 80.15 / 81 * 100
CAPAIAN_IK2 = 8.54 / 8.22 * 100


def cite(
    filled_template,
    *rows: tuple[str, Any, Any],
    sasaran=SASARAN,
    renstra=None,
    anggaran=ANGGARAN,
    indikator=None,
    everything=False,
    penduduk=PENDUDUK,
) -> list[dict]:
    kutipan = [
        {"lokasi": f"Bab III alinea {n}", "besaran": b, "kode": k, "nilai": v}
        for n, (b, k, v) in enumerate(rows)
    ]
    tables = {
        "sasaran": sasaran,
        "indikator": indikator
        or ([dict(row, sasaran_kode="S1") for row in INDIKATOR] if len(sasaran) == 1 else INDIKATOR),
        "anggaran": anggaran,
        "penduduk": penduduk,
        "kutipan": kutipan,
    }
    if renstra:
        tables["renstra"] = renstra
    path = filled_template(
        cells={"pemda": "Kabupaten Jombang", "instansi": "Kecamatan Ngoro", "tahun": 2024}, tables=tables
    )
    return [f.to_dict() for f in check_file(path).findings if everything or f.table == "kutipan"]


def by_value(found: list[dict]) -> dict[float, dict]:
    return {f["stated"]: f for f in found}


def test_earlier_year_realisasi(filled_template) -> None:
    found = cite(
        filled_template,
        ("realisasi kinerja", "IK1@2023", "80,74"),
        ("realisasi kinerja", "IK2@2022", "8,16"),
        ("realisasi kinerja", "IK1@2022", "80,74"),  # the 2023 figure cited for 2022
        ("realisasi kinerja", "IK1@2024", "80,15"),  # the report year itself
    )
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", 80.74, 75.56)]


def test_earlier_year_capaian_against_its_renstra_target(filled_template) -> None:
    renstra = [{"kode": "IK1", "tahun": 2023, "target": "81"}]
    capaian_2023 = 80.74 / 81 * 100  # 99,68
    found = cite(
        filled_template,
        ("capaian", "IK1@2023", f"{capaian_2023:.2f}".replace(".", ",")),
        ("capaian", "IK1@2023", "99,0"),  # the 2024 capaian cited for 2023
        ("target", "IK1@2023", "81"),
        renstra=renstra,
    )
    errors = [f for f in found if f["severity"] == "error"]
    assert len(errors) == 1 and errors[0]["stated"] == 99.0
    assert errors[0]["expected"] == pytest.approx(capaian_2023, abs=1e-6)


def test_sasaran_capaian(filled_template) -> None:
    # one indicator: the sasaran's capaian is its indicator's (99,0 %)
    found = cite(filled_template, ("capaian", "S1", "99,0"), ("capaian", "S2", "99,0"))
    assert [(f["stated"], f["expected"]) for f in found] == [(99.0, pytest.approx(CAPAIAN_IK2, abs=1e-6))]
    # two indicators under one sasaran: the mean, 101,4 as Tabel 3.2 prints it
    mean = (CAPAIAN_IK1 + CAPAIAN_IK2) / 2
    one = [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Semua"}]
    found = cite(filled_template, ("capaian", "S1", "101,4"), ("capaian", "S1", "98,95"), sasaran=one)
    assert [(f["stated"], f["expected"]) for f in found] == [(98.95, pytest.approx(mean, abs=1e-6))]


def test_sum_of_several_lines(filled_template) -> None:
    total = sum(SUB_REALISASI)
    assert total == 74_101_968
    found = cite(
        filled_template,
        ("realisasi", f"{SUB[0]}..{SUB[5]}", "71.636.200"),  # the kegiatan figure printed in Tabel 3.10
        ("realisasi", f"{SUB[0]} s/d {SUB[5]}", "74.101.968"),
        ("realisasi", f"{SUB[0]}+{SUB[1]}", "12.561.350"),
        ("pagu", f"{SUB[2]}+{SUB[3]}+{SUB[4]}", "41.938.800"),
        ("serapan", f"{SUB[0]}..{SUB[2]}", "100"),
    )
    assert SUB_REALISASI[0] + SUB_REALISASI[1] == 12_561_350
    assert SUB_REALISASI[2] + SUB_REALISASI[3] + SUB_REALISASI[4] == 41_938_800
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", 71_636_200, total)]


def test_sex_ratio_and_growth(filled_template) -> None:
    ratio_2020 = 43_391 / 43_278 * 100  # 100,26
    growth_2021 = ((41_553 + 41_464) - (43_391 + 43_278)) / (43_391 + 43_278) * 100  # -4,21
    found = cite(
        filled_template,
        ("rasio jenis kelamin", 2020, f"{ratio_2020:.2f}".replace(".", ",")),
        ("rasio jenis kelamin", 2020, "103,45"),  # 43.466 / 42.016 of Tabel 3.8, not Tabel 1.2
        ("laju pertumbuhan penduduk", 2021, f"{growth_2021:.2f}".replace(".", ",")),
        ("laju pertumbuhan penduduk", 2021, "1,62"),  # the narrative's "1,62 %" (seed line 122)
        ("laju pertumbuhan penduduk", 2020, "1,26"),  # no 2019 row here: cannot be computed
    )
    errors = {f["stated"]: f["expected"] for f in found if f["severity"] == "error"}
    assert errors == {103.45: pytest.approx(ratio_2020, abs=1e-6), 1.62: pytest.approx(growth_2021, abs=1e-6)}
    assert [f["code"] for f in found if f["severity"] == "warning"] == ["unknown-reference"]


def test_mean_growth_over_several_years(filled_template) -> None:
    # Mojokerto Tabel 1.2 (seed lines 129-132), totals 2016-2021; the narrative (line 122): "pertumbuhan
    # penduduk rata-rata dalam 6 tahun terakhir mencapai 1,62 %"
    totals = [86_456, 87_736, 89_844, 85_591, 86_669, 83_017]
    males = [43_101, 43_772, 44_947, 42_830, 43_391, 41_553]
    penduduk = [
        {"tahun": 2016 + n, "laki_laki": rp_text(m), "perempuan": rp_text(t - m)}
        for n, (m, t) in enumerate(zip(males, totals, strict=True))
    ]
    rates = [(b - a) / a * 100 for a, b in zip(totals, totals[1:], strict=False)]
    mean = sum(rates) / len(rates)  # -0,76
    geometric = ((totals[-1] / totals[0]) ** (1 / 5) - 1) * 100  # -0,81 (BPS)
    found = cite(
        filled_template,
        ("laju pertumbuhan penduduk", "2016-2021", f"{mean:.2f}".replace(".", ",")),
        ("laju pertumbuhan penduduk", "2016 s/d 2021", f"{geometric:.2f}".replace(".", ",")),
        ("laju pertumbuhan penduduk", "2016..2021", "1,62"),
        ("laju pertumbuhan penduduk", "2015-2021", "1,62"),  # no 2015 row: cannot be computed
        penduduk=penduduk,
    )
    assert round(mean, 2) != round(geometric, 2)
    errors = [(f["stated"], f["expected"]) for f in found if f["severity"] == "error"]
    assert errors == [(1.62, pytest.approx(mean, abs=1e-6))]
    assert [f["code"] for f in found if f["severity"] == "warning"] == ["unknown-reference"]


def rp_text(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def test_counts_against_target(filled_template) -> None:
    # IK1 99,0 % is below its target, IK2 103,9 % above; Tabel 3.2 says nobody is below ("-")
    found = cite(
        filled_template,
        ("jumlah indikator di atas target", None, "1"),
        ("jumlah indikator sesuai target", None, "0"),
        ("jumlah indikator di bawah target", None, "0"),
    )
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", 0, 1)]


def test_kutipan_sheet_says_which_kode_fits_which_besaran() -> None:
    kutipan = next(table for table in TEMPLATE.tables if table.id == "kutipan")
    besaran = next(values for values in LISTS if values.id == "besaran").values
    for name in ("rasio jenis kelamin", "laju pertumbuhan penduduk", "jumlah indikator di bawah target"):
        assert name in besaran
    text = kutipan.purpose + next(c.help for c in kutipan.columns if c.field == "kode")
    for needle in ("IK1@2020", "kode+kode", "kode..kode", "Murni", "S1", "tahun"):
        assert needle in text


# ---------------------------------------------------------------------------
# The root-cause rule (issue 16) for the new kinds: a citation computed from a wrong typed figure
# follows it (warning naming the root); an independent wrong citation keeps its own error.
# ---------------------------------------------------------------------------
OTHER_KEGIATAN = "7.01.01.2.04"
OTHER_SUB = f"{OTHER_KEGIATAN}.0001"
OTHER_REALISASI = 14_268_905  # Rapat Koordinasi (Mojokerto Tabel 3.9)


def _located(found: list[dict], **where: Any) -> dict:
    return next(f for f in found if all(f.get(k) == v for k, v in where.items()))


def test_sum_of_lines_follows_a_wrong_typed_kegiatan(filled_template) -> None:
    anggaran = [
        ANGGARAN[0],
        dict(ANGGARAN[1], realisasi="71.636.200"),  # Tabel 3.10's Administrasi Umum total, wrong
        *ANGGARAN[2:],
        {"kode": OTHER_KEGIATAN, "tingkat": "Kegiatan", "uraian": "Koordinasi"},
        {
            "kode": OTHER_SUB,
            "tingkat": "Sub Kegiatan",
            "uraian": "Rapat koordinasi",
            "pagu": OTHER_REALISASI,
            "realisasi": OTHER_REALISASI,
        },
    ]
    as_typed = 71_636_200 + OTHER_REALISASI  # what staff add up from the printed kegiatan rows
    ground = sum(SUB_REALISASI) + OTHER_REALISASI
    found = cite(
        filled_template,
        ("realisasi", f"{KEGIATAN}+{OTHER_KEGIATAN}", f"{as_typed:,}".replace(",", ".")),
        ("realisasi", f"{KEGIATAN}+{OTHER_KEGIATAN}", f"{as_typed + 1_000_000:,}".replace(",", ".")),
        anggaran=anggaran,
        everything=True,
    )
    root = _located(found, table="anggaran", row_key=KEGIATAN, field="realisasi", severity="error")
    follows = _located(found, table="kutipan", stated=as_typed)
    assert (follows["code"], follows["severity"]) == ("follows-root", "warning")
    assert follows["expected"] == ground
    assert follows["caused_by"] == f"{root['sheet']}!{root['cell']}"
    wrong = _located(found, table="kutipan", stated=as_typed + 1_000_000)
    assert (wrong["code"], wrong["severity"], wrong["expected"]) == ("citation-mismatch", "error", ground)


def test_sasaran_capaian_follows_a_wrong_typed_indicator_capaian(filled_template) -> None:
    indikator = [
        dict(INDIKATOR[0], sasaran_kode="S1", capaian_dilaporkan="99,5"),
        dict(INDIKATOR[1], sasaran_kode="S1"),
    ]
    one = [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Semua"}]
    as_typed = (99.5 + CAPAIAN_IK2) / 2  # the typed (wrong) IK1 capaian in the mean
    ground = (CAPAIAN_IK1 + CAPAIAN_IK2) / 2
    found = cite(
        filled_template,
        ("capaian", "S1", f"{as_typed:.2f}".replace(".", ",")),
        ("capaian", "S1", "90,00"),
        sasaran=one,
        indikator=indikator,
        everything=True,
    )
    root = _located(found, table="indikator", field="capaian_dilaporkan", severity="error")
    assert root["stated"] == 99.5
    follows = _located(found, table="kutipan", stated=round(as_typed, 2))
    assert (follows["code"], follows["caused_by"]) == ("follows-root", f"{root['sheet']}!{root['cell']}")
    assert follows["expected"] == pytest.approx(ground, abs=1e-6)
    wrong = _located(found, table="kutipan", stated=90.0)
    assert wrong["severity"] == "error" and wrong["expected"] == pytest.approx(ground, abs=1e-6)


def test_share_of_total_pagu_follows_the_typed_program_pagu(filled_template) -> None:
    # IK1's budget is the kegiatan (Σ sub pagu 74.101.968); the program is typed 75.000.000
    anggaran = [
        dict(ANGGARAN[0], pagu="75.000.000"),
        dict(ANGGARAN[1], indikator_kode="IK1"),
        *ANGGARAN[2:],
    ]
    alokasi = sum(SUB_REALISASI)
    as_typed = alokasi / 75_000_000 * 100  # 98,80: the share of the printed total
    found = cite(
        filled_template,
        ("persen alokasi", "IK1", f"{as_typed:.2f}".replace(".", ",")),
        ("persen alokasi", "IK1", "90"),
        anggaran=anggaran,
        everything=True,
    )
    root = _located(found, table="anggaran", row_key="7.01.01", field="pagu", severity="error")
    follows = _located(found, table="kutipan", stated=round(as_typed, 2))
    assert (follows["code"], follows["caused_by"]) == ("follows-root", f"{root['sheet']}!{root['cell']}")
    assert follows["expected"] == pytest.approx(100.0, abs=1e-6)  # the only program: all of the total
    wrong = _located(found, table="kutipan", stated=90)
    assert wrong["severity"] == "error"


def test_counts_against_target_follow_a_wrong_typed_capaian(filled_template) -> None:
    # IK1 (99,0 %, below target) typed as 101,0 %: Tabel 3.2 counting from the typed capaian says
    # 2 above and 0 below; those counts follow the typed capaian, a count of 3 is wrong on its own
    assert CAPAIAN_IK1 < 100 < CAPAIAN_IK2
    indikator = [dict(INDIKATOR[0], capaian_dilaporkan="101,0"), INDIKATOR[1]]
    found = cite(
        filled_template,
        ("jumlah indikator di atas target", None, "2"),
        ("jumlah indikator di bawah target", None, "0"),
        ("jumlah indikator di atas target", None, "3"),
        indikator=indikator,
        everything=True,
    )
    root = _located(found, table="indikator", field="capaian_dilaporkan", severity="error")
    assert root["stated"] == 101.0
    cited = [f for f in found if f["table"] == "kutipan"]
    assert [(f["stated"], f["code"], f["expected"], f.get("caused_by")) for f in cited] == [
        (2, "follows-root", 1, f"{root['sheet']}!{root['cell']}"),  # IK2 only is above target
        (0, "follows-root", 1, f"{root['sheet']}!{root['cell']}"),  # IK1 is below
        (3, "citation-mismatch", 1, None),
    ]
