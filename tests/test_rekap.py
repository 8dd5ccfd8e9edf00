"""Tests for ``sakip-xlsx rekap``: the kabupaten consolidation workbook.

The main fixture builds 20 kecamatan submissions modelled on the four samples
(``samples/data/*.json``: their sasaran, indicators and budget hierarchy, with
each sample's rules preset), exactly as ``samples/build.py`` builds the
samples: a fresh blank template for the preset, filled through the published
schema.  Every figure is replaced by the test's own numbers (different per
kecamatan), so the expected rekap can be computed here with plain Python from
what was written -- never with the package's functions.  Four broken files
sit in the same folder.

Finding counts are the one figure that cannot be recomputed in plain Python;
they are compared with the public ``sakip-xlsx check --format json`` output.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import fill_template, is_indonesian, schema, write_blank_template
from recalc import compare_cached, recalculate, require_soffice

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "samples" / "data"
PRESETS = ROOT / "templates"

LEVEL = {"Program": 0, "Kegiatan": 1, "Sub Kegiatan": 2}

#: (sample data file, year, how many kecamatan are modelled on it)
PLAN = (
    ("contoh-bersih", 2024, 12),
    ("ngoro-jombang-2024", 2024, 3),
    ("ngoro-mojokerto-2021", 2021, 3),
    ("kragan-rembang-2021", 2021, 2),
)
KECAMATAN = (
    "Bandar Kedung Mulyo",
    "Perak",
    "Gudo",
    "Diwek",
    "Ngoro",
    "Mojowarno",
    "Bareng",
    "Wonosalam",
    "Mojoagung",
    "Sumobito",
    "Jogoroto",
    "Peterongan",
    "Jombang",
    "Megaluh",
    "Tembelang",
    "Kesamben",
    "Kudu",
    "Ngusikan",
    "Ploso",
    "Kabuh",
)
BROKEN = {
    "90-rusak.xlsx": "text",
    "91-kosong.xlsx": "empty",
    "92-bukan-template.xlsx": "plain workbook",
    "93-versi-lama.xlsx": "old version",
}


# -- independent arithmetic (plain Python) -------------------------------------------------------


def norm(text: Any) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).split())


def program_norm(text: Any) -> str:
    words = norm(text).split()
    return " ".join(words[1:] if words[:1] == ["program"] else words)


def indicator_norm(text: str, instansi: str) -> str:
    return norm(re.sub(re.escape(instansi), " ", text, flags=re.IGNORECASE))


def load_preset(name: str) -> dict[str, Any]:
    data = tomllib.loads((PRESETS / f"{name}.toml").read_text("utf-8"))
    cap = data["capaian"].get("batas_atas")
    floor = data["capaian"].get("batas_bawah")
    return {
        "nama": data["nama"],
        "cap": cap if isinstance(cap, (int, float)) else None,
        "floor": floor if isinstance(floor, (int, float)) else None,
        "negative": data["capaian"]["rumus_polaritas_negatif"].replace(" ", ""),
        "bands": data["predikat"],
    }


def expected_capaian(t: float, r: float, upper: float | None, negative: bool, rules: dict[str, Any]) -> float:
    def against(target: float) -> float:
        if not negative:
            return r / target * 100
        if rules["negative"] == "T/R":
            return target / r * 100
        return (2 * target - r) / target * 100

    if upper is None or r < t:
        value = against(t)
    elif r > upper:
        value = against(upper)
    else:
        value = 100
    if rules["floor"] is not None:
        value = max(rules["floor"], value)
    if rules["cap"] is not None:
        value = min(rules["cap"], value)
    return value


def expected_predikat(value: float | None, rules: dict[str, Any]) -> str | None:
    if value is None:
        return None
    for band in rules["bands"]:
        if "lebih_dari" in band and not value > band["lebih_dari"]:
            continue
        if "mulai" in band and not value >= band["mulai"]:
            continue
        if "sampai" in band and not value <= band["sampai"]:
            continue
        if "kurang_dari" in band and not value < band["kurang_dari"]:
            continue
        return band["label"]
    return None


def expected_rank(value: float | None, values: list[float | None]) -> int | None:
    if value is None:
        return None
    return 1 + sum(1 for v in values if v is not None and v > value)


def mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


# -- building the submissions --------------------------------------------------------------------


def rupiah_text(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".") + ",00"


def build_submission(folder: Path, number: int, sample: str, year: int, kecamatan: str) -> dict[str, Any]:
    """Write one submission modelled on ``sample`` with this kecamatan's own figures; return what was written."""
    data = json.loads((SAMPLE_DATA / f"{sample}.json").read_text("utf-8"))
    preset = data["rules"]
    rules = load_preset(preset)
    rng = random.Random(7919 * number + 17)
    instansi = f"Kecamatan {kecamatan}"
    name = f"{number:02d}-{norm(kecamatan).replace(' ', '-')}.xlsx"
    path = folder / name

    sasaran = [{k: row[k] for k in ("kode", "jenis", "uraian")} for row in data["tables"]["sasaran"]]
    jenis_of = {row["kode"]: row["jenis"] for row in sasaran}

    indicators, indicator_rows = [], []
    for row in data["tables"]["indikator"]:
        uraian = row["uraian"].replace("Kecamatan Ngoro", instansi)
        negative = row["polaritas"] == "Negatif"
        upper = None
        if row.get("target_atas") not in (None, ""):  # a range target "60 – 70"
            t, upper = 60, 70
            r = rng.choice([55.5, 66.8, 70, 74.2])
        elif negative:
            t = 10
            r = rng.choice([8, 10, 12.5])
        else:
            t = rng.choice([8.5, 60, 80, 82, 95, 100])
            r = round(t * rng.choice([0.55, 0.7, 0.93, 1.0, 1.08, 1.2]), 2)
        indicator_rows.append(
            {
                "kode": row["kode"],
                "sasaran_kode": row["sasaran_kode"],
                "uraian": uraian,
                "satuan": row["satuan"],
                "polaritas": row["polaritas"],
                "target": t,
                "target_atas": upper,
                "realisasi": r,
            }
        )
        indicators.append(
            {
                "uraian": uraian,
                "jenis": jenis_of.get(row["sasaran_kode"], "Sasaran Strategis"),
                "satuan": row["satuan"],
                "target": t,
                "realisasi": r,
                "capaian": expected_capaian(t, r, upper, negative, rules),
            }
        )

    source = data["tables"]["anggaran"]
    levels = [LEVEL[row["tingkat"]] for row in source]
    budget_rows, programs = [], []
    for index, row in enumerate(source):
        leaf = index + 1 == len(source) or levels[index + 1] <= levels[index]
        out = {k: row.get(k) for k in ("kode", "tingkat", "uraian", "indikator_kode")}
        if levels[index] == 0:
            programs.append({"kode": row.get("kode"), "uraian": row["uraian"], "pagu": 0, "realisasi": 0})
        if leaf:
            pagu = rng.randrange(5_000_000, 900_000_000, 1000)
            realisasi = round(pagu * rng.uniform(0.55, 1.0))
            out["pagu"] = rupiah_text(pagu) if number % 4 == 3 else pagu  # some typed the printed way
            if number == 6 and index == len(source) - 1:
                realisasi = None  # one line without realisasi: skipped, never counted as 0
            out["realisasi"] = realisasi
            programs[-1]["pagu"] += pagu
            programs[-1]["realisasi"] += realisasi or 0
        budget_rows.append(out)

    total_pagu = sum(p["pagu"] for p in programs)
    cells = {
        "pemda": "Kabupaten Uji Rekap",
        "instansi": instansi,
        "tahun": year,
        "kepala_nama": f"Camat {kecamatan}",
    }
    if number % 3 == 1:
        cells["total_pagu_dilaporkan"] = total_pagu + 1000  # a wrong restated total: one more error
    elif number % 3 == 0:
        cells["total_pagu_dilaporkan"] = total_pagu
    shutil.copyfile(blank_template(folder.parent, preset), path)
    fill_template(path, cells, {"sasaran": sasaran, "indikator": indicator_rows, "anggaran": budget_rows})
    return {
        "file": name,
        "instansi": instansi,
        "tahun": year,
        "preset": preset,
        "rules": rules,
        "pemda": cells["pemda"],
        "programs": programs,
        "indicators": indicators,
    }


def blank_template(folder: Path, preset: str) -> Path:
    """One blank template per rules preset, written once and copied for each submission."""
    blank = folder / f"blank-{preset}.xlsx"
    if not blank.exists():
        write_blank_template(blank, preset)
    return blank


def write_broken(folder: Path, valid: Path) -> None:
    (folder / "90-rusak.xlsx").write_bytes(b"ini bukan buku kerja, hanya teks\n")
    (folder / "91-kosong.xlsx").write_bytes(b"")
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Rekap manual"
    workbook.save(folder / "92-bukan-template.xlsx")
    rules = schema()["rules"]
    shutil.copyfile(valid, folder / "93-versi-lama.xlsx")
    workbook = openpyxl.load_workbook(folder / "93-versi-lama.xlsx")
    workbook[rules["sheet"]][rules["version_cell"]] = "0.9"
    workbook.save(folder / "93-versi-lama.xlsx")


def expected_figures(built: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every per-file figure of the rekap, from what was written."""
    figures = {}
    for item in built:
        pagu = sum(p["pagu"] for p in item["programs"])
        realisasi = sum(p["realisasi"] for p in item["programs"])
        capaian = [i["capaian"] for i in item["indicators"]]
        main = [i["capaian"] for i in item["indicators"] if i["jenis"] == "Sasaran Strategis"]
        rata = mean(main)
        figures[item["file"]] = {
            "pagu": pagu,
            "realisasi": realisasi,
            "sisa": pagu - realisasi,
            "serapan": realisasi / pagu * 100,
            "rata": rata,
            "predikat": expected_predikat(rata, item["rules"]),
            "di_atas": sum(1 for c in capaian if c > 100),
            "tepat": sum(1 for c in capaian if c == 100),
            "di_bawah": sum(1 for c in capaian if c < 100),
            "programs": len(item["programs"]),
            "indicators": len(item["indicators"]),
        }
    serapan = [f["serapan"] for f in figures.values()]
    rata = [f["rata"] for f in figures.values()]
    for f in figures.values():
        f["rank_serapan"] = expected_rank(f["serapan"], serapan)
        f["rank_capaian"] = expected_rank(f["rata"], rata)
    return figures


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sakip_xlsx.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


# -- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("kiriman")
    jobs = []
    for sample, year, count in PLAN:
        blank_template(
            folder.parent, json.loads((SAMPLE_DATA / f"{sample}.json").read_text("utf-8"))["rules"]
        )
        jobs += [(sample, year)] * count
    # openpyxl load + save of a template takes about a second: build the submissions side by side
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = [
            pool.submit(build_submission, folder, number, sample, year, KECAMATAN[number])
            for number, (sample, year) in enumerate(jobs)
        ]
        built = [future.result() for future in futures]
    write_broken(folder, folder / built[0]["file"])
    return {"folder": folder, "built": built, "expected": expected_figures(built)}


@pytest.fixture(scope="module")
def check_counts(inputs: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Finding counts per file as the public ``check --format json`` reports them."""
    result = run_cli("check", str(inputs["folder"]), "--format", "json")
    assert result.returncode == 2, result.stderr  # the broken files
    report = json.loads(result.stdout)
    return {Path(f["file"]).name: f["summary"] for f in report["files"] if "summary" in f}


@pytest.fixture(scope="module")
def rekap(inputs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("rekap") / "rekap.xlsx"
    result = run_cli("rekap", str(inputs["folder"]), "-o", str(out), "--format", "json", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    values = openpyxl.load_workbook(out, data_only=True)
    formulas = openpyxl.load_workbook(out)
    return {
        "path": out,
        "json": json.loads(result.stdout),
        "stderr": result.stderr,
        "values": values,
        "formulas": formulas,
    }


def table(ws, header_row: int | None = None, first_header: str = "No") -> tuple[int, dict[str, int]]:
    """(header row, header text -> column index) of a sheet's table."""
    for row in ws.iter_rows(min_row=1, max_row=40):
        if row[0].value == first_header and (header_row is None or row[0].row == header_row):
            return row[0].row, {c.value: c.column for c in row if c.value}
    raise AssertionError(f"no table header in {ws.title}")


def summary_rows(ws) -> tuple[dict[str, dict[str, Any]], dict[str, Any], dict[int, dict[str, Any]], dict]:
    header, columns = table(ws)
    rows, total, years = {}, None, {}
    for r in range(header + 1, ws.max_row + 1):
        record = {name: ws.cell(r, col).value for name, col in columns.items()}
        record["_row"] = r
        instansi = str(record["Instansi"] or "")
        if record["No"] is not None:
            rows[record["Berkas"]] = record
        elif instansi.startswith("Jumlah tahun"):
            years[record["Tahun"]] = record
        elif instansi.startswith("Jumlah"):
            total = record
    return rows, total, years, columns


# -- the summary sheet -------------------------------------------------------------------------------


def test_every_submission_figure_matches_independent_arithmetic(inputs, rekap, check_counts):
    rows, _, _, _ = summary_rows(rekap["values"]["Ringkasan"])
    assert set(rows) == {item["file"] for item in inputs["built"]}
    version = schema()["template_version"]
    for item in inputs["built"]:
        row, expected = rows[item["file"]], inputs["expected"][item["file"]]
        assert row["Instansi"] == item["instansi"]
        assert row["Pemerintah Daerah"] == item["pemda"]
        assert row["Tahun"] == item["tahun"]
        assert row["Versi Template"] == version
        assert row["Aturan Perhitungan"] == item["rules"]["nama"]
        counts = check_counts[item["file"]]
        assert (row["Kesalahan"], row["Peringatan"], row["Info"]) == (
            counts["error"],
            counts["warning"],
            counts["info"],
        )
        assert row["Jumlah Program"] == expected["programs"]
        assert row["Jumlah Indikator"] == expected["indicators"]
        assert row["Total Pagu (Rp)"] == expected["pagu"]
        assert row["Total Realisasi (Rp)"] == expected["realisasi"]
        assert row["Sisa Anggaran (Rp)"] == expected["sisa"]
        assert row["Serapan (%)"] == pytest.approx(expected["serapan"], rel=1e-12)
        assert row["Rata-rata Capaian Sasaran Strategis (%)"] == pytest.approx(expected["rata"], rel=1e-12)
        assert row["Predikat (aturan berkas)"] == expected["predikat"]
        assert row["Indikator di Atas Target (>100%)"] == expected["di_atas"]
        assert row["Indikator Tepat Target (=100%)"] == expected["tepat"]
        assert row["Indikator di Bawah Target (<100%)"] == expected["di_bawah"]
        assert row["Peringkat Serapan"] == expected["rank_serapan"]
        assert row["Peringkat Capaian"] == expected["rank_capaian"]
    # the data vary: not every kecamatan has the same errors, rules, ranks or predikat
    assert len({r["Kesalahan"] for r in rows.values()}) > 1
    assert len({r["Aturan Perhitungan"] for r in rows.values()}) == 4
    assert sorted(r["Peringkat Serapan"] for r in rows.values()) == list(range(1, 21))
    assert any(inputs["expected"][f]["tepat"] for f in rows)


def test_summary_figures_are_formulas_over_the_data_sheets(rekap):
    ws = rekap["formulas"]["Ringkasan"]
    _, columns = table(rekap["values"]["Ringkasan"])
    rows, total, years, _ = summary_rows(rekap["values"]["Ringkasan"])
    row = next(iter(rows.values()))["_row"]

    def formula(header: str, r: int = row) -> str:
        value = ws.cell(r, columns[header]).value
        assert isinstance(value, str) and value.startswith("="), (header, value)
        return value

    assert "SUM('Data Program'!" in formula("Total Pagu (Rp)")
    assert "SUM('Data Program'!" in formula("Total Realisasi (Rp)")
    assert "/" in formula("Serapan (%)") and "*100" in formula("Serapan (%)")
    assert "AVERAGE('Data Indikator'!" in formula("Rata-rata Capaian Sasaran Strategis (%)")
    assert "IF(" in formula("Predikat (aturan berkas)")
    assert "COUNTIF('Data Indikator'!" in formula("Indikator di Atas Target (>100%)")
    assert "RANK(" in formula("Peringkat Serapan") and "RANK(" in formula("Peringkat Capaian")
    assert "SUM(Ringkasan!" in formula("Total Pagu (Rp)", total["_row"])
    for year_row in years.values():
        assert "SUMIF(" in formula("Total Pagu (Rp)", year_row["_row"])
    # raw identity and counts are values
    assert ws.cell(row, columns["Kesalahan"]).value == rows[next(iter(rows))]["Kesalahan"]
    data = rekap["formulas"]["Data Indikator"]
    _, data_columns = table(rekap["values"]["Data Indikator"])
    capaian = data.cell(4, data_columns["Capaian (%)"]).value
    assert capaian.startswith("=") and "*100" in capaian


def test_total_and_per_year_rows(inputs, rekap):
    _, total, years, _ = summary_rows(rekap["values"]["Ringkasan"])
    figures = inputs["expected"]
    pagu = sum(f["pagu"] for f in figures.values())
    realisasi = sum(f["realisasi"] for f in figures.values())
    assert total["Instansi"] == "Jumlah (20 berkas)"
    assert total["Total Pagu (Rp)"] == pagu
    assert total["Total Realisasi (Rp)"] == realisasi
    assert total["Sisa Anggaran (Rp)"] == pagu - realisasi
    assert total["Serapan (%)"] == pytest.approx(realisasi / pagu * 100, rel=1e-12)
    assert total["Rata-rata Capaian Sasaran Strategis (%)"] == pytest.approx(
        mean([f["rata"] for f in figures.values()]), rel=1e-12
    )
    for name, key in (
        ("Indikator di Atas Target (>100%)", "di_atas"),
        ("Indikator Tepat Target (=100%)", "tepat"),
        ("Indikator di Bawah Target (<100%)", "di_bawah"),
        ("Jumlah Program", "programs"),
        ("Jumlah Indikator", "indicators"),
    ):
        assert total[name] == sum(f[key] for f in figures.values())
    assert set(years) == {2021, 2024}
    for year, row in years.items():
        files = [item["file"] for item in inputs["built"] if item["tahun"] == year]
        year_pagu = sum(figures[f]["pagu"] for f in files)
        year_realisasi = sum(figures[f]["realisasi"] for f in files)
        assert row["Instansi"] == f"Jumlah tahun {year} ({len(files)} berkas)"
        assert row["Total Pagu (Rp)"] == year_pagu
        assert row["Total Realisasi (Rp)"] == year_realisasi
        assert row["Serapan (%)"] == pytest.approx(year_realisasi / year_pagu * 100, rel=1e-12)


def test_mixed_years_and_rules_are_flagged(inputs, rekap):
    ws = rekap["values"]["Ringkasan"]
    notes = [ws.cell(r, 1).value or "" for r in range(3, 8)]
    year_note = next(n for n in notes if "tahun laporan yang berbeda" in n)
    assert "2021: 5 berkas" in year_note and "2024: 15 berkas" in year_note and is_indonesian(year_note)
    assert any("aturan perhitungan yang berbeda" in n for n in notes)
    assert any("4 berkas tidak dapat dibaca" in n for n in notes)
    assert "tahun laporan bercampur" in rekap["values"]["Peringkat"]["A2"].value
    report = rekap["json"]
    assert report["mixed_years"] is True and report["mixed_template_versions"] is False
    assert report["years"] == [2021, 2024]
    assert {n["code"] for n in report["notes"]} == {"tahun-campur", "aturan-campur", "tidak-terbaca"}
    # the minority year's cells are coloured
    rows, _, _, columns = summary_rows(ws)
    for row in rows.values():
        fill = ws.cell(row["_row"], columns["Tahun"]).fill.fgColor.rgb or ""
        assert fill.endswith("FFE699") == (row["Tahun"] == 2021)


# -- other sheets ------------------------------------------------------------------------------------------


def test_rankings_sheet_orders_by_serapan_and_capaian(inputs, rekap):
    ws = rekap["values"]["Peringkat"]
    header, _ = table(ws, first_header="Peringkat")
    figures = {item["instansi"]: inputs["expected"][item["file"]] for item in inputs["built"]}
    left = [
        (ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 4).value)
        for r in range(header + 1, header + 21)
    ]
    right = [
        (ws.cell(r, 6).value, ws.cell(r, 7).value, ws.cell(r, 9).value, ws.cell(r, 10).value)
        for r in range(header + 1, header + 21)
    ]
    by_serapan = sorted(figures, key=lambda name: -figures[name]["serapan"])
    assert [name for _, name, _ in left] == by_serapan
    for rank, name, value in left:
        assert rank == figures[name]["rank_serapan"]
        assert value == pytest.approx(figures[name]["serapan"], rel=1e-12)
    assert [rank for rank, *_ in right] == sorted(figures[name]["rank_capaian"] for name in figures)
    for rank, name, value, predikat in right:
        assert rank == figures[name]["rank_capaian"]
        assert value == pytest.approx(figures[name]["rata"], rel=1e-12)
        assert predikat == figures[name]["predikat"]
    assert "RANK(" not in str(rekap["formulas"]["Peringkat"].cell(header + 1, 1).value)  # refers to Ringkasan
    assert str(rekap["formulas"]["Peringkat"].cell(header + 1, 1).value).startswith("=")


def test_program_table_across_kecamatan(inputs, rekap):
    ws = rekap["values"]["Program"]
    header, columns = table(ws, first_header="Kode")
    expected: dict[str, dict[str, Any]] = {}
    for item in inputs["built"]:
        for program in item["programs"]:
            group = expected.setdefault(program_norm(program["uraian"]), {"members": []})
            group["members"].append((item["instansi"], program["pagu"], program["realisasi"]))
    found: dict[str, dict[str, Any]] = {}
    current = None
    grand = None
    for r in range(header + 1, ws.max_row + 1):
        name = ws.cell(r, columns["Program / Kecamatan"]).value
        count = ws.cell(r, columns["Jumlah Kecamatan"]).value
        record = {h: ws.cell(r, c).value for h, c in columns.items()}
        if name == "Jumlah seluruh program":
            grand = record
        elif count is not None:
            current = found.setdefault(program_norm(name), {"head": record, "members": []})
        elif name:
            current["members"].append(record)
    assert set(found) == set(expected)
    for key, group in expected.items():
        head, members = found[key]["head"], found[key]["members"]
        pagu = sum(m[1] for m in group["members"])
        realisasi = sum(m[2] for m in group["members"])
        assert head["Jumlah Kecamatan"] == len({m[0] for m in group["members"]})
        assert head["Pagu (Rp)"] == pagu and head["Realisasi (Rp)"] == realisasi
        assert head["Sisa (Rp)"] == pagu - realisasi
        assert head["Serapan (%)"] == pytest.approx(realisasi / pagu * 100, rel=1e-12)
        assert sorted(
            (m["Program / Kecamatan"], m["Pagu (Rp)"], m["Realisasi (Rp)"]) for m in members
        ) == sorted(group["members"])
        rates = [m[2] / m[1] * 100 for m in group["members"]]
        for member in members:
            rate = member["Realisasi (Rp)"] / member["Pagu (Rp)"] * 100
            assert member["Serapan (%)"] == pytest.approx(rate, rel=1e-12)
            assert member["Peringkat Serapan dalam Program"] == expected_rank(rate, rates)
    assert any(len(g["members"]) >= 10 for g in expected.values())  # matched across samples and spellings
    total_pagu = sum(f["pagu"] for f in inputs["expected"].values())
    assert grand["Pagu (Rp)"] == total_pagu
    assert grand["Realisasi (Rp)"] == sum(f["realisasi"] for f in inputs["expected"].values())


def test_shared_indicator_table(inputs, rekap):
    ws = rekap["values"]["Indikator Bersama"]
    header, columns = table(ws, first_header="Indikator / Kecamatan")
    groups: dict[str, list[tuple[str, dict[str, Any], dict[str, Any]]]] = {}
    for item in inputs["built"]:
        for indicator in item["indicators"]:
            groups.setdefault(indicator_norm(indicator["uraian"], item["instansi"]), []).append(
                (item["instansi"], indicator, item["rules"])
            )
    shared = {k: v for k, v in groups.items() if len({m[0] for m in v}) >= 2}
    found: dict[str, dict[str, Any]] = {}
    current = None
    for r in range(header + 1, ws.max_row + 1):
        record = {h: ws.cell(r, c).value for h, c in columns.items()}
        if record["Jumlah Kecamatan"] is not None:
            current = found.setdefault(norm(record["Indikator / Kecamatan"]), {"head": record, "members": []})
        elif record["Indikator / Kecamatan"]:
            current["members"].append(record)
    assert set(found) == set(shared)
    assert "nilai evaluasi akip" in found  # "... Kecamatan <own name>" matched across kecamatan
    for key, members in shared.items():
        head = found[key]["head"]
        assert head["Jumlah Kecamatan"] == len({m[0] for m in members})
        values = [m[1]["capaian"] for m in members]
        assert head["Capaian (%)"] == pytest.approx(mean(values), rel=1e-12)
        rows = sorted(found[key]["members"], key=lambda m: m["Indikator / Kecamatan"])
        for row, (instansi, indicator, rules) in zip(rows, sorted(members, key=lambda m: m[0]), strict=True):
            assert row["Indikator / Kecamatan"] == instansi
            assert row["Target"] == indicator["target"] and row["Realisasi"] == indicator["realisasi"]
            assert row["Capaian (%)"] == pytest.approx(indicator["capaian"], rel=1e-12)
            assert row["Predikat (aturan berkas)"] == expected_predikat(indicator["capaian"], rules)
            assert row["Peringkat Capaian dalam Indikator"] == expected_rank(indicator["capaian"], values)


def test_data_sheets_hold_every_program_and_indicator(inputs, rekap):
    ws = rekap["values"]["Data Indikator"]
    header, columns = table(ws)
    by_file: dict[str, list[dict[str, Any]]] = {}
    for r in range(header + 1, ws.max_row + 1):
        record = {h: ws.cell(r, c).value for h, c in columns.items()}
        by_file.setdefault(record["Berkas"], []).append(record)
    for item in inputs["built"]:
        rows = by_file[item["file"]]
        assert len(rows) == len(item["indicators"])
        expected = sorted(item["indicators"], key=lambda i: i["uraian"])
        for row, indicator in zip(sorted(rows, key=lambda r: r["Indikator"]), expected, strict=True):
            assert row["Jenis"] == indicator["jenis"]
            assert row["Capaian (%)"] == pytest.approx(indicator["capaian"], rel=1e-12)
            assert row["Predikat (aturan berkas)"] == expected_predikat(indicator["capaian"], item["rules"])
    ws = rekap["values"]["Data Program"]
    header, columns = table(ws)
    programs: dict[str, list[tuple[str, int, int]]] = {}
    for r in range(header + 1, ws.max_row + 1):
        record = {h: ws.cell(r, c).value for h, c in columns.items()}
        programs.setdefault(record["Berkas"], []).append(
            (record["Program"], record["Pagu (Rp)"], record["Realisasi (Rp)"])
        )
    for item in inputs["built"]:
        assert programs[item["file"]] == [(p["uraian"], p["pagu"], p["realisasi"]) for p in item["programs"]]


def test_unreadable_files_are_listed_with_reasons(inputs, rekap):
    ws = rekap["values"]["Tidak Terbaca"]
    header, columns = table(ws)
    listed = {
        ws.cell(r, columns["Berkas"]).value: ws.cell(r, columns["Alasan"]).value
        for r in range(header + 1, ws.max_row + 1)
        if ws.cell(r, 1).value
    }
    assert set(listed) == set(BROKEN)
    for reason in listed.values():  # the reader's own Indonesian reasons, passed through
        assert (
            reason
            and "Traceback" not in reason
            and re.search(r"\b(bukan|tidak|rusak|kosong|versi)\b", reason, re.IGNORECASE)
        ), reason
    assert "0.9" in listed["93-versi-lama.xlsx"]
    report = rekap["json"]
    assert report["files"] == {"total": 24, "read": 20, "unreadable": 4, "superseded": 0}
    assert {u["file"] for u in report["unreadable"]} == set(BROKEN)
    for name in BROKEN:
        assert f"Tidak dapat dibaca: {inputs['folder'] / name}" in rekap["stderr"]


def test_native_charts_and_rules_sheet(rekap):
    with zipfile.ZipFile(rekap["path"]) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        for name in charts:
            xml = archive.read(name).decode("utf-8")
            assert "<c:barChart>" in xml and "Peringkat!" in xml
    assert rekap["values"].sheetnames == [
        "Ringkasan",
        "Peringkat",
        "Program",
        "Indikator Bersama",
        "Data Program",
        "Data Indikator",
        "Tidak Terbaca",
        "Aturan",
    ]
    rules = [c.value for c in rekap["values"]["Aturan"]["A"] if c.value]
    for name in ("Aturan bawaan sakip-xlsx", "Kabupaten Jombang", "Kabupaten Mojokerto", "Kabupaten Rembang"):
        assert f"Aturan: {name}" in rules


def test_json_summary_matches_workbook(inputs, rekap):
    report = rekap["json"]
    assert report["written"] is True and report["output"] == str(rekap["path"])
    by_file = {s["file"]: s for s in report["submissions"]}
    for item in inputs["built"]:
        entry, expected = by_file[item["file"]], inputs["expected"][item["file"]]
        assert entry["instansi"] == item["instansi"] and entry["tahun"] == item["tahun"]
        assert entry["total_pagu"] == expected["pagu"] and entry["total_realisasi"] == expected["realisasi"]
        assert entry["persen_serapan"] == pytest.approx(expected["serapan"], rel=1e-12)
        assert entry["rata_capaian"] == pytest.approx(expected["rata"], rel=1e-12)
        assert entry["predikat"] == expected["predikat"]
        assert (entry["jumlah_di_atas"], entry["jumlah_tepat"], entry["jumlah_di_bawah"]) == (
            expected["di_atas"],
            expected["tepat"],
            expected["di_bawah"],
        )
        assert entry["peringkat_serapan"] == expected["rank_serapan"]
    pagu = sum(f["pagu"] for f in inputs["expected"].values())
    assert report["total"]["total_pagu"] == pagu
    assert set(report["by_year"]) == {"2021", "2024"}


@pytest.fixture(scope="module")
def edge_rekap(inputs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A rekap with an identity-only submission, one with zero pagu and no readable Sasaran Strategis capaian, and a
    normal one."""
    from sakip_xlsx.rekap import collect_summaries, write_rekap

    folder = tmp_path_factory.mktemp("tepi")
    blank = blank_template(folder, "default")
    identity = {"pemda": "Kabupaten Uji Rekap", "tahun": 2024}
    empty = fill_template(
        shutil.copyfile(blank, folder / "a-kosong.xlsx"), identity | {"instansi": "Kecamatan Kosong"}
    )
    other = fill_template(
        shutil.copyfile(blank, folder / "b-lainnya.xlsx"),
        identity | {"instansi": "Kecamatan Lain"},
        {
            "sasaran": [
                {"kode": "S1", "jenis": "Kinerja Lainnya", "uraian": "Akuntabilitas"},
                {"kode": "S2", "jenis": "Sasaran Strategis", "uraian": "Pelayanan"},
            ],
            "indikator": [
                {
                    "kode": "I1",
                    "sasaran_kode": "S1",
                    "uraian": "Nilai SAKIP",
                    "satuan": "Nilai",
                    "polaritas": "Positif",
                    "target": 70,
                    "realisasi": 77,
                },
                {
                    "kode": "I2",
                    "sasaran_kode": "S2",
                    "uraian": "Indeks layanan",
                    "satuan": "Indeks",
                    "polaritas": "Negatif",
                    "target": "tujuh puluh",
                    "realisasi": 50,
                },
            ],
            "anggaran": [
                {
                    "kode": "7.01.01",
                    "tingkat": "Program",
                    "uraian": "Program Penunjang",
                    "pagu": 0,
                    "realisasi": 0,
                }
            ],
        },
    )
    normal = inputs["folder"] / inputs["built"][0]["file"]
    out = folder / "rekap-tepi.xlsx"
    report = write_rekap(collect_summaries([empty, other, normal], jobs=1), out)
    return {"path": out, "json": report, "normal": inputs["built"][0]["file"]}


def test_blank_figures_stay_blank(edge_rekap, inputs):
    ws = openpyxl.load_workbook(edge_rekap["path"], data_only=True)["Ringkasan"]
    rows, total, _, _ = summary_rows(ws)
    empty, other = rows["a-kosong.xlsx"], rows["b-lainnya.xlsx"]
    figures = (
        "Total Pagu (Rp)",
        "Total Realisasi (Rp)",
        "Sisa Anggaran (Rp)",
        "Serapan (%)",
        "Rata-rata Capaian Sasaran Strategis (%)",
        "Predikat (aturan berkas)",
        "Indikator di Atas Target (>100%)",
        "Peringkat Serapan",
        "Peringkat Capaian",
    )
    assert all(empty[name] is None for name in figures), empty  # no data: blank, never 0
    assert (empty["Jumlah Program"], empty["Jumlah Indikator"]) == (0, 0)
    assert (other["Total Pagu (Rp)"], other["Serapan (%)"]) == (0, None)  # 0 / 0 has no serapan
    # its only Sasaran Strategis indicator has an unreadable target: no capaian, so no mean and no predikat
    assert (
        other["Rata-rata Capaian Sasaran Strategis (%)"] is None and other["Predikat (aturan berkas)"] is None
    )
    assert other["Indikator di Atas Target (>100%)"] == 1 and other["Indikator di Bawah Target (<100%)"] == 0
    expected = inputs["expected"][edge_rekap["normal"]]
    assert rows[edge_rekap["normal"]]["Peringkat Serapan"] == 1
    assert total["Serapan (%)"] == pytest.approx(expected["serapan"], rel=1e-12)
    assert total["Rata-rata Capaian Sasaran Strategis (%)"] == pytest.approx(expected["rata"], rel=1e-12)


def test_libreoffice_recalculation_matches_cached_values(rekap, edge_rekap, tmp_path):
    soffice = require_soffice()
    workbooks = [rekap["path"], edge_rekap["path"]]
    copies = recalculate(workbooks, tmp_path / "recalc", soffice=soffice)  # one soffice call
    for workbook, minimum in zip(workbooks, (500, 50), strict=True):
        count, mismatches = compare_cached(workbook, copies[workbook])
        assert count > minimum
        assert mismatches == [], "\n".join(str(m) for m in mismatches[:20])


# -- command line ------------------------------------------------------------------------------------


def test_jobs_one_in_process_gives_the_same_rekap(inputs, rekap, tmp_path):
    out = tmp_path / "rekap-1.xlsx"
    result = run_cli("rekap", str(inputs["folder"]), "-o", str(out), "--format", "json", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    parallel = dict(rekap["json"])
    assert report.pop("output") == str(out)
    parallel.pop("output")
    assert report == parallel
    assert "[" not in result.stdout.split("{", 1)[0]  # nothing but the JSON on stdout


def test_text_output_existing_output_and_overwrite(inputs, tmp_path):
    small = tmp_path / "tiga"
    small.mkdir()
    for item in inputs["built"][:3]:
        shutil.copyfile(inputs["folder"] / item["file"], small / item["file"])
    out = small / "rekap.xlsx"
    result = run_cli("rekap", str(small), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "Rekap ditulis" in result.stdout and "3 berkas terbaca, 0 tidak terbaca" in result.stdout
    before = out.read_bytes()
    again = run_cli("rekap", str(small), "-o", str(out))
    assert again.returncode == 2 and "sudah ada" in again.stderr and "Traceback" not in again.stderr
    assert out.read_bytes() == before
    # the rekap inside the input folder is not read back as a submission
    replaced = run_cli("rekap", str(small), "-o", str(out), "--overwrite", "--format", "json")
    assert replaced.returncode == 0, replaced.stderr
    report = json.loads(replaced.stdout)
    assert report["files"] == {"total": 3, "read": 3, "unreadable": 0, "superseded": 0}
    assert report["notes"] == [] and report["mixed_years"] is False
    ws = openpyxl.load_workbook(out, data_only=True)["Ringkasan"]
    assert ws["A3"].value.startswith("Tidak ada catatan: semua berkas tahun 2024")
    _, _, years, _ = summary_rows(ws)
    assert years == {}
    assert not list(small.glob(".rekap.xlsx.*"))  # no temporary file left


def test_exit_code_2_when_nothing_can_be_read(tmp_path):
    folder = tmp_path / "rusak"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(b"bukan xlsx")
    (folder / "b.xlsx").write_bytes(b"")
    out = tmp_path / "rekap.xlsx"
    result = run_cli("rekap", str(folder), "-o", str(out), "--format", "json")
    assert result.returncode == 2
    assert not out.exists()
    report = json.loads(result.stdout)
    assert report["written"] is False and report["files"]["read"] == 0
    assert "tidak ada berkas yang dapat dibaca" in result.stderr
    empty = tmp_path / "kosong"
    empty.mkdir()
    result = run_cli("rekap", str(empty), "-o", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = run_cli("rekap", str(folder))
    assert result.returncode == 2  # -o is required


def test_progress_bar_goes_to_stderr_only_on_a_tty(inputs, tmp_path):
    import pty

    small = tmp_path / "dua"
    small.mkdir()
    for item in inputs["built"][:2]:
        shutil.copyfile(inputs["folder"] / item["file"], small / item["file"])
    primary, secondary = pty.openpty()
    try:
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "sakip_xlsx.cli",
                "rekap",
                str(small),
                "-o",
                str(tmp_path / "r.xlsx"),
                "--format",
                "json",
                "--jobs",
                "1",
            ],
            stdout=subprocess.PIPE,
            stderr=secondary,
            text=True,
            timeout=120,
        )
        os.close(secondary)
        secondary = -1
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
        if secondary != -1:
            os.close(secondary)
    assert process.returncode == 0
    assert json.loads(process.stdout)["files"]["read"] == 2
    stderr = b"".join(chunks).decode("utf-8", "replace")
    assert "2/2" in stderr and "[" in stderr


def test_help_is_indonesian_and_pandas_stays_unimported():
    result = run_cli("rekap", "--help")
    assert result.returncode == 0 and "Rekap kabupaten" in result.stdout and "--jobs" in result.stdout
    code = (
        "import sys, sakip_xlsx.cli, sakip_xlsx.rekap; assert 'pandas' not in sys.modules, 'pandas imported'"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


# -- library level -------------------------------------------------------------------------------------


def test_worker_returns_plain_picklable_dicts(inputs):
    from sakip_xlsx.rekap import summarise_file

    summary = summarise_file(inputs["folder"] / inputs["built"][0]["file"])
    assert summary["unreadable"] is None and summary["instansi"] == inputs["built"][0]["instansi"]
    assert pickle.loads(pickle.dumps(summary)) == summary
    assert json.loads(json.dumps(summary)) == summary
    broken = summarise_file(inputs["folder"] / "90-rusak.xlsx")
    assert broken["unreadable"] and "bukan buku kerja" in broken["unreadable"]
    missing = summarise_file(inputs["folder"] / "tidak-ada.xlsx")
    assert missing["unreadable"]


def test_mixed_template_versions_and_duplicate_instansi_are_flagged(inputs, tmp_path):
    from sakip_xlsx.rekap import collect_summaries, write_rekap

    files = [inputs["folder"] / item["file"] for item in inputs["built"][:4]]
    summaries = collect_summaries(files, jobs=1)
    summaries[1] = dict(summaries[1], template_version="0.9")
    # a revised re-submission of the first kecamatan, saved a month later
    summaries[0] = dict(summaries[0], saved="2024-01-05 08:00:00")
    summaries[2] = dict(summaries[2], instansi=summaries[0]["instansi"], saved="2024-02-05 09:30:00")
    summaries[2]["pemda"], summaries[2]["tahun"] = summaries[0]["pemda"], summaries[0]["tahun"]
    report = write_rekap(summaries, tmp_path / "campur.xlsx")
    codes = {n["code"]: n["message"] for n in report["notes"]}
    assert report["mixed_template_versions"] is True and report["template_versions"] == sorted(
        {"0.9", schema()["template_version"]}
    )
    assert "versi template yang berbeda" in codes["versi-campur"] and is_indonesian(codes["versi-campur"])
    # the revision is counted once: the newer file, named with its saved time; the older one is not summed
    duplicate = codes["instansi-ganda"]
    assert inputs["built"][0]["instansi"] in duplicate and is_indonesian(duplicate)
    assert f"{files[2].name} (disimpan 2024-02-05 09:30:00)" in duplicate and files[0].name in duplicate
    assert report["superseded"] == [
        {"file": files[0].name, "saved": "2024-01-05 08:00:00", "replaced_by": files[2].name}
    ]
    assert [item["file"] for item in report["submissions"]] == [f.name for f in files[1:]]
    assert report["total"]["total_pagu"] == pytest.approx(
        sum(s["totals"]["total_pagu"] for s in summaries[1:])
    )
    ws = openpyxl.load_workbook(tmp_path / "campur.xlsx", data_only=True)["Ringkasan"]
    notes = " ".join(ws.cell(r, 1).value or "" for r in range(3, 8))
    assert "versi template yang berbeda" in notes and "dikirim 2 kali" in notes
    rows, _, _, columns = summary_rows(ws)
    flagged = {
        name: (ws.cell(row["_row"], columns["Versi Template"]).fill.fgColor.rgb or "").endswith("FFE699")
        for name, row in rows.items()
    }
    assert flagged == {files[1].name: True, files[2].name: False, files[3].name: False}
    from sakip_xlsx.errors import SakipError
    from sakip_xlsx.rekap import NothingToConsolidate

    # a user's error (Indonesian, exit 2 on the command line) that callers may still catch as ValueError
    assert issubclass(NothingToConsolidate, SakipError) and issubclass(NothingToConsolidate, ValueError)
    with pytest.raises(NothingToConsolidate, match="Tidak ada berkas yang dapat dibaca"):
        write_rekap(
            [s for s in summaries if False] + [{"file": "x", "path": "x", "unreadable": "rusak"}],
            tmp_path / "kosong.xlsx",
        )


def test_same_name_from_another_kabupaten_or_year_is_told_apart(inputs, tmp_path):
    """Two Kecamatan Ngoro (Jombang and Mojokerto) are two rows, each named with its kabupaten;
    the same kecamatan in two years is named with its year. None is dropped as a duplicate."""
    from sakip_xlsx.rekap import collect_summaries, write_rekap

    files = [inputs["folder"] / item["file"] for item in inputs["built"][:3]]
    summaries = collect_summaries(files, jobs=1)
    name = "Kecamatan Ngoro"
    summaries[0] = dict(summaries[0], instansi=name, pemda="Kabupaten Jombang", tahun=2024)
    summaries[1] = dict(summaries[1], instansi=name, pemda="Kabupaten Mojokerto", tahun=2024)
    summaries[2] = dict(summaries[2], instansi=name, pemda="Kabupaten Mojokerto", tahun=2023)
    report = write_rekap(summaries, tmp_path / "ngoro.xlsx")
    assert report["superseded"] == [] and len(report["submissions"]) == 3
    ws = openpyxl.load_workbook(tmp_path / "ngoro.xlsx", data_only=True)["Ringkasan"]
    rows, _, _, columns = summary_rows(ws)
    shown = {file: ws.cell(row["_row"], columns["Instansi"]).value for file, row in rows.items()}
    assert shown == {
        files[0].name: f"{name} (Kabupaten Jombang, tahun 2024)",
        files[1].name: f"{name} (Kabupaten Mojokerto, tahun 2024)",
        files[2].name: f"{name} (Kabupaten Mojokerto, tahun 2023)",
    }
    program = openpyxl.load_workbook(tmp_path / "ngoro.xlsx", data_only=True)["Program"]
    details = {
        cell.value for cell in program["B"] if isinstance(cell.value, str) and cell.value.startswith(name)
    }
    assert details <= set(shown.values()) and len(details) > 1


def test_matching_keys():
    from sakip_xlsx.rekap import indicator_key, indicator_label, program_key

    assert (
        indicator_label("Nilai Evaluasi AKIP Kecamatan Bareng", "Kecamatan Bareng") == "Nilai Evaluasi AKIP"
    )
    assert (
        indicator_label("Persentase pengaduan di KECAMATAN  bareng", "Kecamatan Bareng")
        == "Persentase pengaduan"
    )
    assert indicator_key("Indeks Kepuasan (IKM)", "Kecamatan Gudo") == "indeks kepuasan ikm"
    assert indicator_label("Nilai SAKIP Kecamatan", "Kecamatan Gudo") == "Nilai SAKIP Kecamatan"
    assert program_key("PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN /KOTA") == program_key(
        "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"
    )
