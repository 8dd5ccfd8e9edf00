"""Issue 17 class 8 (number readings) in the core sheets of a real workbook (audit of "done when" item 1).

tests/test_values.py tests ``parse_value`` alone; here the three readings go through a filled
template and ``check_file``, where a misreading would corrupt the sums above the cell:

* Kragan 2021 LRA, Program II (seed lines 593-595): kegiatan 5.072.550 / 5.069.300 and 25.059.325 /
  24.464.600; the program row prints realisasi 30.127.900 (Σ 29.533.900), selisih 3.975 and 99,99 %,
  the second kegiatan 100,00 % (97,63). The realisasi 24.464.600 is typed "24,464.600" (a last group
  of three digits after mixed separators: thousands in a rupiah column) and a pagu with the trailing
  comma "Rp 25.059.325,".
* Mojokerto 2021, Tabel 1.2 (seed lines 129-132): population 2020 43.391 + 43.278 = 86.669 and 2021
  41.553 + 41.464 = 83.017; Tabel 3.8 (seed line 470) prints 87.767 for 2021. A count has no
  decimals: "83.017" is read without an ambiguous-value note.
"""

from __future__ import annotations

import pytest
from test_renstra_printings import INDIKATOR, SASARAN  # one indicator: the budget is what is tested

from sakip_xlsx.pipeline import check_file

IDENTITAS = {"pemda": "Kabupaten Rembang", "instansi": "Kecamatan Kragan", "tahun": 2021}
PROGRAM, KEGIATAN = "7.01.02", ["7.01.02.2.01", "7.01.02.2.02"]
PAGU = [5_072_550, 25_059_325]
REAL = [5_069_300, 24_464_600]


def rp(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def pct(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def anggaran(program_real: int, selisih: int, persen: str, second_persen: str) -> list[dict]:
    return [
        {
            "kode": PROGRAM,
            "tingkat": "Program",
            "uraian": "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
            "pagu": rp(sum(PAGU)),
            "realisasi": rp(program_real),
            "selisih_dilaporkan": rp(selisih),
            "persen_dilaporkan": persen,
        },
        {
            "kode": KEGIATAN[0],
            "tingkat": "Kegiatan",
            "uraian": "Penyelenggaraan Urusan Pemerintahan Yang Tidak dilaksanakan oleh Unit Kerja",
            "pagu": rp(PAGU[0]),
            "realisasi": rp(REAL[0]),
            "persen_dilaporkan": "99,94",
        },
        {
            "kode": KEGIATAN[1],
            "tingkat": "Kegiatan",
            "uraian": "Pelaksanaan Urusan Pemerintahan yang dilimpahkan Kepada Camat",
            "pagu": "Rp 25.059.325,",  # trailing comma
            "realisasi": "24,464.600",  # thousands group after mixed separators
            "persen_dilaporkan": second_persen,
        },
    ]


def budget_findings(filled_template, rows: list[dict]) -> list[dict]:
    path = filled_template(
        cells=IDENTITAS, tables={"sasaran": SASARAN, "indikator": INDIKATOR, "anggaran": rows}
    )
    return [f.to_dict() for f in check_file(path).findings if f.sheet == "Anggaran"]


def test_budget_lines_read_as_printed_are_quiet(filled_template) -> None:
    total_real = sum(REAL)
    assert (sum(PAGU), total_real) == (30_131_875, 29_533_900)
    assert pct(REAL[0] / PAGU[0] * 100) == "99,94"
    rows = anggaran(
        total_real, sum(PAGU) - total_real, pct(total_real / sum(PAGU) * 100), pct(REAL[1] / PAGU[1] * 100)
    )
    found = budget_findings(filled_template, rows)
    assert found == []  # no error, no unreadable or ambiguous note on the two mangled amounts


def test_budget_wrong_figures_of_the_seed_fire(filled_template) -> None:
    found = budget_findings(filled_template, anggaran(30_127_900, 3_975, "99,99", "100,00"))
    errors = {(f["row_key"], f["field"]): f for f in found if f["severity"] == "error"}
    assert errors[(PROGRAM, "realisasi")]["expected"] == sum(REAL)
    assert errors[(PROGRAM, "realisasi")]["stated"] == 30_127_900
    second = errors[(KEGIATAN[1], "persen_dilaporkan")]
    assert second["expected"] == pytest.approx(24_464_600 / 25_059_325 * 100, abs=1e-6)
    # selisih and % of the program follow the wrong realisasi, or are wrong on their own: either
    # way their ground value is from the kegiatan rows as read (9,998.750-style misreading would
    # change it by 24.439.xxx)
    for field, ground in (
        ("selisih_dilaporkan", sum(PAGU) - sum(REAL)),
        ("persen_dilaporkan", sum(REAL) / sum(PAGU) * 100),
    ):
        item = next(f for f in found if (f["row_key"], f["field"]) == (PROGRAM, field))
        assert item["expected"] == pytest.approx(ground, abs=1e-6)
    assert not [f for f in found if f["code"] in ("unreadable-value", "ambiguous-value")]


def test_population_counts_read_without_a_note(filled_template) -> None:
    penduduk = [
        {"tahun": 2020, "laki_laki": "43.391", "perempuan": "43.278", "total_dilaporkan": "86.669"},
        {"tahun": 2021, "laki_laki": "41.553", "perempuan": "41.464", "total_dilaporkan": "87.767"},
    ]
    path = filled_template(
        cells={"pemda": "Kabupaten Mojokerto", "instansi": "Kecamatan Ngoro", "tahun": 2021},
        tables={"sasaran": SASARAN, "indikator": INDIKATOR, "penduduk": penduduk},
    )
    found = [f.to_dict() for f in check_file(path).findings if f.sheet == "Penduduk"]
    assert 43_391 + 43_278 == 86_669 and 41_553 + 41_464 == 83_017
    # the 2021 total of Tabel 3.8 fires; every other count is read quietly (no ambiguous-value info)
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", 87_767, 83_017)]


# ---------------------------------------------------------------------------
# The Kutipan sheet: "Nilai Tertulis" is read by its besaran. Mojokerto's narrative "Jumlah penduduk
# ... Tahun 2021 sebesar 83.017 Jiwa" (seed line 122) and Tabel 3.8's 2021 total 87.767 (line 470) are
# counts: no ambiguous-value note, 87.767 fires. A rupiah citation of Jombang's Tabel 3.10 (six sub
# kegiatan, Σ 74.101.968; printed 71.636.200) copied with mixed separators reads as thousands.
# ---------------------------------------------------------------------------
def test_citations_read_by_their_besaran(filled_template) -> None:
    from test_kutipan_kinds import SUB, SUB_REALISASI, cite

    penduduk = [
        {"tahun": 2020, "laki_laki": "43.391", "perempuan": "43.278"},
        {"tahun": 2021, "laki_laki": "41.553", "perempuan": "41.464"},
    ]
    lines = f"{SUB[0]}..{SUB[5]}"
    found = cite(
        filled_template,
        ("penduduk total", 2021, "83.017 Jiwa"),
        ("penduduk laki-laki", 2021, "41.553"),
        ("penduduk total", 2021, "87.767"),
        ("realisasi", lines, "74,101.968"),
        ("realisasi", lines, "Rp 74.101.968,"),
        ("realisasi", lines, "71,636.200"),
        ("jumlah sub kegiatan", None, "6"),
        penduduk=penduduk,
    )
    assert 41_553 + 41_464 == 83_017 and sum(SUB_REALISASI) == 74_101_968
    assert [(f["severity"], f["code"], f["stated"], f["expected"]) for f in found] == [
        ("error", "citation-mismatch", 87_767, 83_017),
        ("error", "citation-mismatch", 71_636_200, 74_101_968),
    ]


def test_a_citation_its_besaran_cannot_read_is_read_as_a_number(filled_template) -> None:
    from test_kutipan_kinds import cite

    # a count printed with a decimal comma is no count: read as a number (as before), and judged
    found = cite(filled_template, ("jumlah indikator", None, "2,5"), ("jumlah indikator", None, "2"))
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", 2.5, 2)]
