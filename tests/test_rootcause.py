"""One wrong figure, one error (SPEC 7, issue 16): a root error and its linked consequences.

Every workbook here is filled the way staff fill it: one figure is typed wrong and
every other figure is computed *by hand in this test* from the typed numbers (as
staff compute theirs).  Each check must then give exactly one ``error`` (at the
wrong figure) and ``follows-root`` warnings for the figures computed from it, each
carrying ``caused_by`` = the root's cell; a second, independent mistake still gets
its own error.
"""

from __future__ import annotations

import importlib.util
import json
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import cell_of, cell_schema

from sakip_xlsx.checks import run_checks
from sakip_xlsx.cli import main
from sakip_xlsx.compute import compute
from sakip_xlsx.findings import Finding
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
IDENTITAS = {"pemda": "Kabupaten Uji", "instansi": "Kecamatan Uji", "tahun": 2024}
SASARAN = [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya kualitas pelayanan"}]


def r2(value: float, decimals: int = 2) -> float:
    """Half-up rounding, as a report prints a percentage."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def analyse(path: Path, only: list[str] | None = None) -> list[Finding]:
    submission = read_workbook(path)
    return run_checks(submission, compute(submission), only=only)


def at(spec: tuple) -> str:
    """``Sheet!A1`` of ``("cell", field)`` or ``(table, field, index)``."""
    if spec[0] == "cell":
        cell = cell_schema(spec[1])
        return f"{cell['sheet']}!{cell['cell']}"
    sheet, cell = cell_of(*spec)
    return f"{sheet}!{cell}"


def errors(found: list[Finding]) -> list[str]:
    return sorted(item.location for item in found if item.severity == "error")


def followers(found: list[Finding], code: str = "follows-root") -> dict[str, str | None]:
    """Location -> caused_by of every finding of ``code``."""
    return {item.location: item.caused_by for item in found if item.code == code}


# ---------------------------------------------------------------------------
# A budget as staff type it: every parent figure computed from the typed rows
# ---------------------------------------------------------------------------

#: kode -> (pagu, realisasi) of the sub kegiatan lines (the ground).
SUBS = {
    "7.01.01.2.01.0001": (400_000, 380_000),
    "7.01.01.2.01.0002": (600_000, 570_000),
    "7.01.01.2.02.0001": (300_000, 240_000),
    "7.01.01.2.02.0002": (200_000, 190_000),
}
KEGIATAN = ("7.01.01.2.01", "7.01.01.2.02")
PROGRAM = "7.01.01"
#: table index of each line in the Anggaran sheet (a line, then its children)
ORDER = [PROGRAM, KEGIATAN[0], *list(SUBS)[:2], KEGIATAN[1], *list(SUBS)[2:]]
INDEX = {kode: index for index, kode in enumerate(ORDER)}


def staff_budget(typed: dict[tuple[str, str], float] | None = None) -> dict[str, Any]:
    """Every figure of the budget as staff compute it from the typed rows.

    ``typed`` overrides a typed figure ``(kode, field)`` (a slip); everything computed from
    it afterwards uses the typed value, as staff do.  Returns the Anggaran rows and the
    figures the other sheets copy (``total_pagu``, ``total_realisasi``, ``serapan``, ``sisa``,
    ``program_pagu``, ``program_serapan``).
    """
    typed = dict(typed or {})
    amounts: dict[str, dict[str, float]] = {}
    for kode, (pagu, realisasi) in SUBS.items():
        amounts[kode] = {"pagu": pagu, "realisasi": realisasi}
    for kegiatan in KEGIATAN:
        subs = [k for k in SUBS if k.startswith(kegiatan + ".")]
        amounts[kegiatan] = {f: sum(amounts[k][f] for k in subs) for f in ("pagu", "realisasi")}
        for f in ("pagu", "realisasi"):
            amounts[kegiatan][f] = typed.get((kegiatan, f), amounts[kegiatan][f])
    amounts[PROGRAM] = {f: sum(amounts[k][f] for k in KEGIATAN) for f in ("pagu", "realisasi")}
    for f in ("pagu", "realisasi"):
        amounts[PROGRAM][f] = typed.get((PROGRAM, f), amounts[PROGRAM][f])
    rows = []
    for kode in ORDER:
        pagu, realisasi = amounts[kode]["pagu"], amounts[kode]["realisasi"]
        tingkat = "Program" if kode == PROGRAM else ("Kegiatan" if kode in KEGIATAN else "Sub Kegiatan")
        rows.append(
            {
                "kode": kode,
                "tingkat": tingkat,
                "uraian": f"{tingkat} {kode}",
                "pagu": pagu,
                "realisasi": realisasi,
                "persen_dilaporkan": typed.get((kode, "persen_dilaporkan"), r2(realisasi / pagu * 100)),
                "selisih_dilaporkan": typed.get((kode, "selisih_dilaporkan"), pagu - realisasi),
            }
        )
    program = amounts[PROGRAM]
    total_pagu = typed.get(("ringkasan", "total_pagu"), program["pagu"])
    total_realisasi = typed.get(("ringkasan", "total_realisasi"), program["realisasi"])
    return {
        "rows": rows,
        "total_pagu": total_pagu,
        "total_realisasi": total_realisasi,
        "serapan": typed.get(("ringkasan", "serapan"), r2(total_realisasi / total_pagu * 100)),
        "sisa": typed.get(("ringkasan", "sisa"), total_pagu - total_realisasi),
        "program_pagu": program["pagu"],
        "program_serapan": r2(program["realisasi"] / program["pagu"] * 100),
        "pk": typed.get(("pk", "anggaran"), program["pagu"]),
    }


def staff_workbook(filled_template, budget: dict[str, Any], **extra_tables: Any) -> Path:
    return filled_template(
        cells={
            **IDENTITAS,
            "total_pagu_dilaporkan": budget["total_pagu"],
            "total_realisasi_dilaporkan": budget["total_realisasi"],
            "persen_serapan_dilaporkan": budget["serapan"],
            "sisa_anggaran_dilaporkan": budget["sisa"],
        },
        tables={
            "sasaran": SASARAN,
            "indikator": [
                {
                    "kode": "IK1",
                    "sasaran_kode": "S1",
                    "uraian": "Indikator",
                    "satuan": "%",
                    "polaritas": "Positif",
                    "target": 100,
                    "realisasi": 98,
                }
            ],
            "anggaran": budget["rows"],
            "pk_anggaran": [
                {"program_kode": PROGRAM, "uraian": "Program", "anggaran": budget["pk"], "versi": "Murni"}
            ],
            "kutipan": [
                {"lokasi": "Bab IV alinea 1", "besaran": "total pagu", "nilai": budget["total_pagu"]},
                {
                    "lokasi": "Tabel 3.9",
                    "besaran": "serapan",
                    "kode": PROGRAM,
                    "nilai": budget["program_serapan"],
                },
            ],
            **extra_tables,
        },
    )


GROUND_PAGU = sum(p for p, _ in SUBS.values())
GROUND_REALISASI = sum(r for _, r in SUBS.values())


def test_one_wrong_kegiatan_pagu_is_one_error_and_its_consequences_follow_it(filled_template) -> None:
    """Kegiatan 7.01.01.2.01 pagu typed 1.100.000 (its lines add up to 1.000.000); staff then compute its
    %, selisih, the program total, its % and selisih, the Ringkasan, the PK and the citations from it."""
    budget = staff_budget({(KEGIATAN[0], "pagu"): 1_100_000})
    assert budget["total_pagu"] == 1_100_000 + 500_000  # computed from the typed kegiatan row
    found = analyse(staff_workbook(filled_template, budget))
    root = at(("anggaran", "pagu", INDEX[KEGIATAN[0]]))
    assert errors(found) == [root]
    expected_followers = {
        at(("anggaran", "persen_dilaporkan", INDEX[KEGIATAN[0]])),
        at(("anggaran", "selisih_dilaporkan", INDEX[KEGIATAN[0]])),
        at(("anggaran", "pagu", INDEX[PROGRAM])),
        at(("anggaran", "persen_dilaporkan", INDEX[PROGRAM])),
        at(("anggaran", "selisih_dilaporkan", INDEX[PROGRAM])),
        at(("cell", "total_pagu_dilaporkan")),
        at(("cell", "persen_serapan_dilaporkan")),
        at(("cell", "sisa_anggaran_dilaporkan")),
        at(("pk_anggaran", "anggaran", 0)),
        at(("kutipan", "nilai", 0)),
        at(("kutipan", "nilai", 1)),
    }
    assert followers(found) == dict.fromkeys(expected_followers, root)
    (error,) = [item for item in found if item.severity == "error"]
    assert set(error.consequences) == expected_followers
    # a consequence says what the figure becomes once the root is fixed
    program_pct = next(
        i for i in found if i.location == at(("anggaran", "persen_dilaporkan", INDEX[PROGRAM]))
    )
    assert program_pct.severity == "warning"
    assert program_pct.expected == pytest.approx(GROUND_REALISASI / GROUND_PAGU * 100, abs=1e-6)
    assert "92,00" in program_pct.message  # 1.380.000 / 1.500.000 × 100, after the fix
    assert root in program_pct.message or at(("anggaran", "pagu", INDEX[PROGRAM])) in program_pct.message
    # the root comes first, its consequences right after it
    first = [item.location for item in found if item.severity != "info"][: 1 + len(expected_followers)]
    assert first[0] == root and set(first[1:]) == expected_followers


def test_an_independent_second_mistake_keeps_its_own_error(filled_template) -> None:
    """The same slip plus a sub kegiatan selisih typed 70.000 (pagu 300.000 − realisasi 240.000 = 60.000)
    and a PK anggaran typed 1.650.000 (neither the DPA pagu 1.500.000 nor the typed 1.600.000)."""
    budget = staff_budget(
        {
            (KEGIATAN[0], "pagu"): 1_100_000,
            ("7.01.01.2.02.0001", "selisih_dilaporkan"): 70_000,
            ("pk", "anggaran"): 1_650_000,
        }
    )
    found = analyse(staff_workbook(filled_template, budget))
    assert errors(found) == sorted(
        [
            at(("anggaran", "pagu", INDEX[KEGIATAN[0]])),
            at(("anggaran", "selisih_dilaporkan", INDEX["7.01.01.2.02.0001"])),
            at(("pk_anggaran", "anggaran", 0)),
        ]
    )
    selisih = next(
        i for i in found if i.location == at(("anggaran", "selisih_dilaporkan", INDEX["7.01.01.2.02.0001"]))
    )
    assert (selisih.code, selisih.caused_by, selisih.expected) == (
        "difference-mismatch",
        None,
        300_000 - 240_000,
    )


def test_a_parent_right_by_its_lines_beside_a_wrong_typed_row_is_a_warning(filled_template) -> None:
    """The kegiatan pagu is typed wrong but the program pagu is typed as the Σ of the sub kegiatan (right):
    no error on the program, a warning naming the wrong kegiatan row."""
    budget = staff_budget({(KEGIATAN[0], "pagu"): 1_100_000, (PROGRAM, "pagu"): GROUND_PAGU})
    found = analyse(staff_workbook(filled_template, budget), only=["budget-sums"])
    root = at(("anggaran", "pagu", INDEX[KEGIATAN[0]]))
    assert errors(found) == [root]
    assert followers(found, "right-by-ground") == {at(("anggaran", "pagu", INDEX[PROGRAM])): root}
    (warning,) = [i for i in found if i.code == "right-by-ground"]
    assert root in warning.message and warning.severity == "warning"


def test_a_wrong_program_percentage_copied_into_a_citation(filled_template) -> None:
    """Program % typed 92,50 (1.380.000 / 1.500.000 × 100 = 92,00); the citation copies 92,50."""
    budget = staff_budget({(PROGRAM, "persen_dilaporkan"): 92.5})
    budget["program_serapan"] = 92.5
    found = analyse(staff_workbook(filled_template, budget))
    root = at(("anggaran", "persen_dilaporkan", INDEX[PROGRAM]))
    assert errors(found) == [root]
    assert followers(found) == {at(("kutipan", "nilai", 1)): root}


def test_ringkasan_totals_root_and_second_mistake(filled_template) -> None:
    """Total realisasi typed 1.830.000 (the table says 1.380.000); staff compute serapan and sisa from their
    typed totals: 1.830.000 / 1.500.000 × 100 and 1.500.000 − 1.830.000."""
    budget = staff_budget({("ringkasan", "total_realisasi"): 1_830_000})
    assert budget["serapan"] == r2(1_830_000 / 1_500_000 * 100) and budget["sisa"] == 1_500_000 - 1_830_000
    found = analyse(staff_workbook(filled_template, budget), only=["ringkasan-totals"])
    root = at(("cell", "total_realisasi_dilaporkan"))
    assert errors(found) == [root]
    assert followers(found) == {
        at(("cell", "persen_serapan_dilaporkan")): root,
        at(("cell", "sisa_anggaran_dilaporkan")): root,
    }
    # independent: the serapan typed from nothing (93,00) is its own error
    budget = staff_budget({("ringkasan", "total_realisasi"): 1_830_000, ("ringkasan", "serapan"): 93.0})
    found = analyse(staff_workbook(filled_template, budget), only=["ringkasan-totals"])
    assert errors(found) == sorted([root, at(("cell", "persen_serapan_dilaporkan"))])


# ---------------------------------------------------------------------------
# Indicators: rata-rata capaian, efisiensi, predikat
# ---------------------------------------------------------------------------

INDIKATOR = [
    {
        "kode": "IK1",
        "sasaran_kode": "S1",
        "uraian": "A",
        "satuan": "%",
        "polaritas": "Positif",
        "target": 100,
        "realisasi": 98.32,
    },
    {
        "kode": "IK2",
        "sasaran_kode": "S1",
        "uraian": "B",
        "satuan": "%",
        "polaritas": "Positif",
        "target": 80,
        "realisasi": 84,
    },
]


def test_rata_rata_capaian_and_predikat_follow_a_wrong_indicator_capaian(filled_template) -> None:
    """IK1 capaian typed 89,32 (98,32 / 100 × 100 = 98,32); staff average their own capaian:
    (89,32 + 84 / 80 × 100) / 2, and grade IK1 by 89,32 ("Tinggi" on the default scale: >75–90)."""
    typed_ik1 = 89.32
    ik2 = r2(84 / 80 * 100)
    rows = [
        {**INDIKATOR[0], "capaian_dilaporkan": typed_ik1, "predikat_dilaporkan": "Tinggi"},
        {**INDIKATOR[1], "capaian_dilaporkan": ik2},
    ]
    path = filled_template(
        cells={**IDENTITAS, "rata_capaian_dilaporkan": r2((typed_ik1 + ik2) / 2)},
        tables={"sasaran": SASARAN, "indikator": rows, "anggaran": staff_budget()["rows"]},
    )
    found = analyse(path, only=["indikator-capaian", "ringkasan-totals", "labels"])
    root = at(("indikator", "capaian_dilaporkan", 0))
    assert errors(found) == [root]
    assert followers(found) == {
        at(("cell", "rata_capaian_dilaporkan")): root,
        at(("indikator", "predikat_dilaporkan", 0)): root,
    }
    # independent: a rata-rata typed from nothing is its own error
    path = filled_template(
        cells={**IDENTITAS, "rata_capaian_dilaporkan": 99.0},
        tables={"sasaran": SASARAN, "indikator": rows, "anggaran": staff_budget()["rows"]},
        name="second.xlsx",
    )
    found = analyse(path, only=["indikator-capaian", "ringkasan-totals"])
    assert errors(found) == sorted([root, at(("cell", "rata_capaian_dilaporkan"))])


def test_efisiensi_follows_the_wrong_typed_program_pagu(filled_template) -> None:
    """IK1 linked to the program; the kegiatan pagu slip makes the typed program serapan
    1.380.000 / 1.600.000 × 100; staff write efisiensi = capaian 98 − that serapan."""
    budget = staff_budget({(KEGIATAN[0], "pagu"): 1_100_000})
    budget["rows"][INDEX[PROGRAM]]["indikator_kode"] = "IK1"
    efisiensi = r2(98 - r2(1_380_000 / 1_600_000 * 100))
    path = filled_template(
        cells=IDENTITAS,
        tables={
            "sasaran": SASARAN,
            "indikator": [
                {
                    "kode": "IK1",
                    "sasaran_kode": "S1",
                    "uraian": "Indikator",
                    "satuan": "%",
                    "polaritas": "Positif",
                    "target": 100,
                    "realisasi": 98,
                    "efisiensi_dilaporkan": efisiensi,
                }
            ],
            "anggaran": budget["rows"],
        },
    )
    found = analyse(path, only=["budget-sums", "indikator-efisiensi"])
    root = at(("anggaran", "pagu", INDEX[KEGIATAN[0]]))
    assert errors(found) == [root]
    assert followers(found)[at(("indikator", "efisiensi_dilaporkan", 0))] == root


# ---------------------------------------------------------------------------
# Renstra roll-ups
# ---------------------------------------------------------------------------


def test_renstra_program_pagu_follows_a_wrong_kegiatan_row(filled_template) -> None:
    """Renstra 2023: kegiatan 7.01.01.2.01 typed 1.100.000 over its sub kegiatan 400.000 + 600.000; the
    program typed as the Σ of the typed kegiatan rows 1.100.000 + 500.000."""
    renstra = [
        {"kode": "7.01.01.2.01.0001", "tahun": 2023, "pagu": 400_000},
        {"kode": "7.01.01.2.01.0002", "tahun": 2023, "pagu": 600_000},
        {"kode": "7.01.01.2.01", "tahun": 2023, "pagu": 1_100_000},
        {"kode": "7.01.01.2.02", "tahun": 2023, "pagu": 500_000},
        {"kode": "7.01.01", "tahun": 2023, "pagu": 1_100_000 + 500_000},
    ]
    path = filled_template(
        cells=IDENTITAS,
        tables={"sasaran": SASARAN, "anggaran": staff_budget()["rows"], "renstra": renstra},
    )
    found = analyse(path, only=["renstra"])
    root = at(("renstra", "pagu", 2))
    assert errors(found) == [root]
    assert followers(found) == {at(("renstra", "pagu", 4)): root}
    # independent: the program typed 1.700.000 (neither 1.500.000 nor 1.600.000) is its own error
    renstra[4] = {**renstra[4], "pagu": 1_700_000}
    path = filled_template(
        cells=IDENTITAS,
        tables={"sasaran": SASARAN, "anggaran": staff_budget()["rows"], "renstra": renstra},
        name="second.xlsx",
    )
    assert errors(analyse(path, only=["renstra"])) == sorted([root, at(("renstra", "pagu", 4))])


# ---------------------------------------------------------------------------
# One finding per cause (issue 18 item 2)
# ---------------------------------------------------------------------------


def test_one_blank_column_is_one_finding_listing_its_cells(filled_template) -> None:
    """Serapan typed on every sub kegiatan while their pagu is blank: one no-value finding with the cells."""
    rows = [
        {"kode": kode, "tingkat": "Sub Kegiatan", "uraian": kode, "realisasi": r, "persen_dilaporkan": 95}
        for kode, (_, r) in SUBS.items()
    ]
    rows.insert(2, {"kode": KEGIATAN[1], "tingkat": "Kegiatan", "uraian": "Kegiatan 2"})
    rows.insert(0, {"kode": KEGIATAN[0], "tingkat": "Kegiatan", "uraian": "Kegiatan 1"})
    rows.insert(0, {"kode": PROGRAM, "tingkat": "Program", "uraian": "Program"})
    path = filled_template(cells=IDENTITAS, tables={"sasaran": SASARAN, "anggaran": rows})
    found = [i for i in analyse(path, only=["budget-ratios"]) if i.code == "no-value"]
    assert len(found) == 1
    (item,) = found
    assert sorted(item.cells) == sorted(cell_of("anggaran", "persen_dilaporkan", i)[1] for i in (2, 3, 5, 6))
    assert str(len(SUBS)) in item.message


def test_indicators_linked_on_every_level_are_one_finding(filled_template) -> None:
    rows = [dict(row, indikator_kode="IK1") for row in staff_budget()["rows"]]
    path = filled_template(
        cells=IDENTITAS, tables={"sasaran": SASARAN, "indikator": INDIKATOR[:1], "anggaran": rows}
    )
    found = [i for i in analyse(path, only=["allocation-shares"]) if i.code == "overlapping-allocation"]
    assert len(found) == 1
    assert len(found[0].cells) == len(rows) - 1  # every line below the program
    assert "satu tingkat" in found[0].message


# ---------------------------------------------------------------------------
# Where it shows: JSON, text report, Pemeriksaan
# ---------------------------------------------------------------------------


def test_json_text_and_pemeriksaan_show_the_root_and_its_consequences(filled_template, tmp_path) -> None:
    budget = staff_budget({(KEGIATAN[0], "pagu"): 1_100_000})
    path = staff_workbook(filled_template, budget)
    root = at(("anggaran", "pagu", INDEX[KEGIATAN[0]]))
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    (entry,) = json.loads(result.output)["files"]
    by_location = {f"{f['sheet']}!{f['cell']}": f for f in entry["findings"] if f["cell"]}
    assert by_location[root]["severity"] == "error" and len(by_location[root]["consequences"]) == 11
    for cell in by_location[root]["consequences"]:
        assert by_location[cell]["caused_by"] == root
    assert entry["summary"]["error"] == 1, [
        f["message"] for f in entry["findings"] if f["severity"] == "error"
    ]

    text = CliRunner().invoke(main, ["check", str(path)]).output
    assert "1 kesalahan akar masalah, 11 akibatnya" in text
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("[KESALAHAN]") and root in line)
    assert "akibatnya (11)" in lines[start + 1] or "akibatnya (11)" in lines[start + 2]

    target = tmp_path / "hasil.xlsx"
    outcome = check_file(path, results_file=target)
    assert outcome.summary["error"] == 1
    sheet = openpyxl.load_workbook(target)["Pemeriksaan"]
    header = [cell.value for cell in sheet[3]]
    column = header.index("Akibat dari")
    location = header.index("Lokasi (klik)")
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    root_row = next(i for i, row in enumerate(rows) if row[location] == root)
    linked = [row for row in rows if row[column]]
    assert len(linked) == 11
    assert all(root in row[column] for row in linked)
    # the consequences sit right under their root
    assert all(rows[root_row + k][column] for k in range(1, 12))


# ---------------------------------------------------------------------------
# The new-user case: a filled template with 4 mistakes, the rest computed from them
# ---------------------------------------------------------------------------

_spec = importlib.util.spec_from_file_location("samples_build", ROOT / "samples" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def _number(text: Any) -> float:
    """A figure of the clean sample as written there ("Rp. 1.234.567", "96,22 %", "1,124,500.00")."""
    digits = str(text).replace("Rp", "").replace("%", "").replace(",-", "").strip(" .")
    if digits.count(",") and digits.count(".") and digits.rfind(",") > digits.rfind("."):
        digits = digits.replace(".", "").replace(",", ".")  # 1.234,56
    elif digits.count(",") == 1 and len(digits.split(",")[1]) != 3:
        digits = digits.replace(",", ".")  # 96,22
    else:
        digits = digits.replace(",", "")  # 1,124,500.00
        if digits.count(".") > 1 or (digits.count(".") == 1 and len(digits.split(".")[1]) == 3):
            digits = digits.replace(".", "")
    return float(digits)


def test_new_user_four_mistakes_give_four_errors(tmp_path) -> None:
    """contoh-bersih (every figure right) with 4 slips; every other figure recomputed here from the
    typed numbers, as staff do: (1) kegiatan 7.01.02.2.01 pagu 41.975.000 instead of 39.975.000,
    (2) IK2 capaian 93,32 instead of 98,32, (3) sub kegiatan 7.01.06.2.01.0001 selisih 2.563.000
    instead of 2.536.000, (4) Ringkasan total realisasi 2.360.218.000 instead of 2.306.218.000."""
    data = json.loads((ROOT / "samples" / "data" / "contoh-bersih.json").read_text("utf-8"))
    rows = {row["kode"]: row for row in data["tables"]["anggaran"]}
    cells = data["cells"]
    # (1) the kegiatan pagu, then everything staff compute from it
    kegiatan, program = rows["7.01.02.2.01"], rows["7.01.02"]
    kegiatan["pagu"] = 41_975_000
    k_real = _number(kegiatan["realisasi"])
    kegiatan["persen_dilaporkan"] = r2(k_real / 41_975_000 * 100)
    kegiatan["selisih_dilaporkan"] = 41_975_000 - k_real
    program_pagu = 41_975_000 + _number(rows["7.01.02.2.02"]["pagu"])
    p_real = _number(program["realisasi"])
    program["pagu"] = program_pagu
    program["persen_dilaporkan"] = r2(p_real / program_pagu * 100)
    program["selisih_dilaporkan"] = program_pagu - p_real
    programs = [row for row in data["tables"]["anggaran"] if row["tingkat"] == "Program"]
    total_pagu = sum(_number(row["pagu"]) for row in programs)
    cells["total_pagu_dilaporkan"] = total_pagu
    for pk in data["tables"]["pk_anggaran"]:
        if pk["program_kode"] == "7.01.02":
            pk["anggaran"] = program_pagu
    cells["total_pk_dilaporkan"] = sum(_number(pk["anggaran"]) for pk in data["tables"]["pk_anggaran"])
    # IK1 is linked to program 7.01.02: its efisiensi = capaian − the program's (typed) serapan
    ik = {row["kode"]: row for row in data["tables"]["indikator"]}
    ik["IK1"]["efisiensi_dilaporkan"] = r2(
        _number(ik["IK1"]["capaian_dilaporkan"]) - program["persen_dilaporkan"]
    )
    # (2) IK2 capaian, and the rata-rata staff compute from their typed capaian
    ik["IK2"]["capaian_dilaporkan"] = 93.32
    jenis = {row["kode"]: row["jenis"] for row in data["tables"]["sasaran"]}
    strategic = [row for row in ik.values() if jenis[row["sasaran_kode"]] == "Sasaran Strategis"]
    cells["rata_capaian_dilaporkan"] = r2(
        math.fsum(_number(row["capaian_dilaporkan"]) for row in strategic) / len(strategic)
    )
    # (3) an independent selisih slip
    rows["7.01.06.2.01.0001"]["selisih_dilaporkan"] = 2_563_000
    # (4) the Ringkasan total realisasi, then serapan and sisa from the typed Ringkasan totals
    total_realisasi = 2_360_218_000
    cells["total_realisasi_dilaporkan"] = total_realisasi
    cells["persen_serapan_dilaporkan"] = r2(total_realisasi / total_pagu * 100)
    cells["sisa_anggaran_dilaporkan"] = total_pagu - total_realisasi

    source = tmp_path / "baru.json"
    source.write_text(json.dumps(data), "utf-8")
    built = build.build_sample(source, tmp_path / "baru.xlsx", warn=None)
    outcome = check_file(built.out_path)
    wrong = sorted(item.location for item in outcome.findings if item.severity == "error")
    assert wrong == sorted(
        [
            at(("anggaran", "pagu", 8)),  # 7.01.02.2.01 is the 9th line of the sample
            at(("indikator", "capaian_dilaporkan", 1)),
            at(("anggaran", "selisih_dilaporkan", 16)),
            at(("cell", "total_realisasi_dilaporkan")),
        ]
    ), [item.message for item in outcome.findings if item.severity == "error"]
    consequences = [item for item in outcome.findings if item.code == "follows-root"]
    assert consequences and all(item.caused_by in wrong for item in consequences)


# ---------------------------------------------------------------------------
# Free tables: kode roll-ups, sub totals, column rules, row equalities
# ---------------------------------------------------------------------------


def free(rows: list[list[object]]) -> list[Finding]:
    from sakip_xlsx.freetables import FREE_SHEET, check_free_tables, parse_free_tables

    width = max(len(r) for r in rows)
    tables, _ = parse_free_tables([list(r) + [""] * (width - len(r)) for r in rows], FREE_SHEET)
    return check_free_tables(tables)


def lra(d5: object, d4: object, f5: object = "92,86", f4: object = "90,00") -> list[list[object]]:
    """5 = 5.1 + 5.2; 5.1 = 5.1.02 + 5.1.01 = 400.000 + 300.000; % = realisasi / anggaran × 100."""
    return [
        ["Tabel 3.11 LRA"],
        ["No", "Kode Rekening", "Uraian", "Anggaran", "Realisasi", "%"],
        ["Rumus", "kode", "", "", "", "=E/D*100"],
        ["1", "5", "Belanja", d4, "900.000", f4],
        ["2", "5.1", "Belanja Operasi", d5, "650.000", f5],
        ["3", "5.1.02", "Barang dan Jasa", "400.000", "380.000", "95,00"],
        ["4", "5.1.01", "Pegawai", "300.000", "270.000", "90,00"],
        ["5", "5.2", "Belanja Modal", "300.000", "250.000", "83,33"],
    ]


def test_free_table_kode_parent_and_percent_follow_a_wrong_child_total() -> None:
    """5.1 typed 720.000 (its rows add up to 700.000); staff type 5 = 720.000 + 300.000 and the % of 5.1
    as 650.000 / 720.000 × 100 and of 5 as 900.000 / 1.020.000 × 100."""
    found = free(
        lra(
            "720.000", "1.020.000", f5=str(r2(650_000 / 720_000 * 100)), f4=str(r2(900_000 / 1_020_000 * 100))
        )
    )
    assert errors(found) == ["Tabel Bebas!D5"]
    assert followers(found) == {
        "Tabel Bebas!D4": "Tabel Bebas!D5",
        "Tabel Bebas!F5": "Tabel Bebas!D5",
        "Tabel Bebas!F4": "Tabel Bebas!D5",
    }
    # independent: 5 typed 1.100.000 (neither 1.000.000 nor 1.020.000) is its own error
    found = free(lra("720.000", "1.100.000", f5=str(r2(650_000 / 720_000 * 100))))
    assert errors(found) == ["Tabel Bebas!D4", "Tabel Bebas!D5"]


def staff_grid(sub_a: object, total: object) -> list[list[object]]:
    """Two blocks (10 + 20, 5 + 7) with sub totals and a grand total."""
    return [
        ["Tabel 4 Pegawai per bidang"],
        ["No", "Bidang", "Jumlah Pegawai"],
        ["1", "Sekretariat", 10],
        ["2", "Keuangan", 20],
        ["", "Sub Total", sub_a],
        ["3", "Pemerintahan", 5],
        ["4", "Trantib", 7],
        ["", "Sub Total", 12],
        ["", "Jumlah Total", total],
    ]


def test_free_table_grand_total_follows_a_wrong_sub_total() -> None:
    """Sub total typed 32 (10 + 20 = 30); the grand total typed from the sub totals: 32 + 12."""
    found = free(staff_grid(32, 32 + 12))
    assert errors(found) == ["Tabel Bebas!C5"]
    assert followers(found) == {"Tabel Bebas!C9": "Tabel Bebas!C5"}
    # independent: a grand total of 45 (neither 42 nor 44) is its own error
    assert errors(free(staff_grid(32, 45))) == ["Tabel Bebas!C5", "Tabel Bebas!C9"]


def test_free_table_equality_on_the_total_row_follows_its_rows() -> None:
    """People by sex (B:C) = by education (D:E); a row counts one person twice: 1 + 1 vs 2 + 1."""
    rows = [
        ["Tabel 5 Pegawai"],
        ["Nama", "Lk", "Pr", "S1", "SLTA"],
        ["Rumus", "cek: SUM(B:C)=SUM(D:E)"],
        ["Bidang A", 1, 1, 2, 1],
        ["Bidang B", 2, 0, 1, 1],
        ["Jumlah", 3, 1, 3, 2],
    ]
    found = free(rows)
    assert errors(found) == ["Tabel Bebas!D4"] or errors(found) == ["Tabel Bebas!B4"]
    (root,) = errors(found)
    assert followers(found) == {root.replace("4", "6"): root}
    # independent: Bidang B also counts one person twice (2 + 0 vs 2 + 1): two errors, and the total
    # row (3 + 1 vs 4 + 2) differs by the sum of both rows' gaps, so it follows them
    rows[4] = ["Bidang B", 2, 0, 2, 1]
    rows[5] = ["Jumlah", 3, 1, 4, 2]
    found = free(rows)
    assert len(errors(found)) == 2 and len(followers(found)) == 1
