"""``sakip-xlsx check`` end to end: exit codes, Indonesian text, JSON against its schema, results, hostile files.

Every command runs twice: through click's ``CliRunner`` (in process) and as a
real subprocess of the installed ``sakip-xlsx`` script.  Hostile and broken
files are built here in ``tmp_path``.  The JSON output is validated with
``jsonschema`` against ``sakip_xlsx/check-report.schema.json`` (SPEC section 8).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from check_helpers import IDENTITAS, SASARAN
from check_helpers import indikator as helper_indikator
from check_helpers import program as helper_program
from click.testing import CliRunner
from helpers import ENGLISH_WORDS, INDONESIAN_WORDS, cell_of, cell_schema

import sakip_xlsx
from sakip_xlsx.cli import main
from sakip_xlsx.findings import KINDS

SCHEMA_PATH = Path(sakip_xlsx.__file__).resolve().parent / "check-report.schema.json"

#: Finding codes that compare a stated figure with a recomputed one: stated/expected/difference are numbers.
NUMERIC_CODES = {
    "sum-mismatch",
    "total-mismatch",
    "ratio-mismatch",
    "difference-mismatch",
    "pk-budget-mismatch",
    "rounding",
    "realisasi-over-pagu",
    "share-sum",
}

# ---------------------------------------------------------------------------
# Running the command
# ---------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)


def _script() -> list[str]:
    found = shutil.which("sakip-xlsx")
    return [found] if found else [sys.executable, "-m", "sakip_xlsx.cli"]


def run_in_process(args: list[str]) -> Run:
    result = CliRunner().invoke(main, ["check", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def run_subprocess(args: list[str]) -> Run:
    env = {key: value for key, value in os.environ.items() if key != "SAKIP_XLSX_DEBUG"}
    done = subprocess.run([*_script(), "check", *args], capture_output=True, text=True, env=env, timeout=120)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(params=["clirunner", "subprocess"])
def check(request):
    """``check(*args) -> Run``: the check command, in process or as a subprocess."""
    runner = run_in_process if request.param == "clirunner" else run_subprocess

    def invoke(*args: Any) -> Run:
        result = runner([str(arg) for arg in args])
        assert "Traceback" not in result.text, result.text
        return result

    return invoke


@pytest.fixture(scope="module")
def report_schema() -> dict[str, Any]:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def validate(document: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)


#: "file" is an ordinary loanword in Indonesian (KBBI: fail) and the safety messages use it; the
#: other English words of helpers.ENGLISH_WORDS must not appear.
MESSAGE_ENGLISH = ENGLISH_WORDS - {"file"}
MORE_INDONESIAN = frozenset(
    "berformat bukan biasa rusak terpotong diekstrak melebihi batas deklarasi versi".split()
)


def reads_indonesian(text: str) -> bool:
    """Indonesian words and no English ones; quoted names and file/part names (sheet1.xml) are not judged."""
    text = re.sub(r"'[^']*'|\u201c[^\u201d]*\u201d|\S+\.[a-z]{3,4}\b", " ", text.lower())
    words = set(re.findall(r"[a-z]+", text))
    return bool(words & (INDONESIAN_WORDS | MORE_INDONESIAN)) and not (words & MESSAGE_ENGLISH)


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# ---------------------------------------------------------------------------
# Workbooks
# ---------------------------------------------------------------------------


def indikator(**changes: Any) -> dict[str, Any]:
    """check_helpers' IK1 (target 100 %, realisasi 98,32 %) with its capaian stated, correctly: 98,32."""
    return helper_indikator(**{"capaian_dilaporkan": "98,32", **changes})


def program(**changes: Any) -> dict[str, Any]:
    """check_helpers' program 7.01.01: pagu 1.000.000, realisasi 900.000, selisih and serapan stated correctly."""
    figures = {
        "pagu": "Rp 1.000.000",
        "realisasi": "900.000",
        "selisih_dilaporkan": "100.000",
        "persen_dilaporkan": "90,00",
    }
    return helper_program(**{**figures, **changes})


CLEAN_CELLS = {
    **IDENTITAS,
    "total_pagu_dilaporkan": "1.000.000",
    "total_realisasi_dilaporkan": "900.000",
    "persen_serapan_dilaporkan": "90 %",
    "sisa_anggaran_dilaporkan": "100.000",
}


def clean_file(filled_template, name: str = "bersih.xlsx") -> Path:
    return filled_template(
        cells=CLEAN_CELLS,
        tables={"sasaran": SASARAN, "indikator": [indikator()], "anggaran": [program()]},
        name=name,
    )


def error_file(filled_template, name: str = "salah.xlsx") -> Path:
    """Capaian 98,30 for 98,32 / 100 and serapan 91,00 for 900.000 / 1.000.000: two errors."""
    return filled_template(
        cells=IDENTITAS,
        tables={
            "sasaran": SASARAN,
            "indikator": [indikator(capaian_dilaporkan="98,30")],
            "anggaran": [program(persen_dilaporkan="91,00")],
        },
        name=name,
    )


def warning_file(filled_template, name: str = "peringatan.xlsx") -> Path:
    """Realisasi above pagu: a warning only."""
    return filled_template(
        cells=IDENTITAS,
        tables={
            "sasaran": SASARAN,
            "indikator": [indikator()],
            "anggaran": [
                program(realisasi="1.200.000", selisih_dilaporkan="-200.000", persen_dilaporkan="120")
            ],
        },
        name=name,
    )


def grouped_file(filled_template, name: str = "kelompok.xlsx") -> Path:
    """The same input slip in three rows: Uraian Indikator left empty."""
    rows = [indikator(kode=f"IK{n}", uraian=None) for n in (1, 2, 3)]
    return filled_template(
        cells=IDENTITAS, tables={"sasaran": SASARAN, "indikator": rows, "anggaran": [program()]}, name=name
    )


# --- hostile and broken files --------------------------------------------------


def not_a_template(folder: Path, source: Path) -> Path:
    path = folder / "bukan-template.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Laporan kinerja"
    workbook.save(path)
    return path


def old_xls(folder: Path, source: Path) -> Path:
    path = folder / "laporan-lama.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096))
    return path


def csv_file(folder: Path, source: Path) -> Path:
    path = folder / "indikator.csv"
    path.write_text("kode;uraian;target;realisasi\nIK1;Pelayanan;100;98,32\n", "utf-8")
    return path


def csv_named_xlsx(folder: Path, source: Path) -> Path:
    path = folder / "indikator-csv.xlsx"
    path.write_text("kode,uraian\nIK1,Pelayanan\n", "utf-8")
    return path


def corrupt_zip(folder: Path, source: Path) -> Path:
    path = folder / "terpotong.xlsx"
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 3])
    return path


def zip_bomb(folder: Path, source: Path) -> Path:
    """A template with an extra member of 24 MiB of zeros (about 24 KB compressed)."""
    path = folder / "bom.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            bomb.writestr(info, original.read(info.filename))
        with bomb.open("xl/media/image1.png", "w") as member:
            for _ in range(24):
                member.write(bytes(1024 * 1024))
    return path


def entity_expansion(folder: Path, source: Path) -> Path:
    """Billion laughs in the first worksheet of a real template."""
    path = folder / "tawa.xlsx"
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    )
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = data.decode("utf-8")
                body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
                data = (
                    laughs
                    + body.replace(
                        "</sheetData>",
                        '<row r="999"><c r="A999" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>',
                        1,
                    )
                ).encode("utf-8")
            out.writestr(info, data)
    return path


def version_0_9(folder: Path, source: Path) -> Path:
    """A template whose Aturan sheet says version 0.9."""
    path = folder / "versi-lama.xlsx"
    workbook = openpyxl.load_workbook(source)
    done = False
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "template_version":
                    sheet.cell(row=cell.row, column=2).value = "0.9"
                    done = True
    assert done, "no template_version field in the template"
    workbook.save(path)
    return path


def missing_file(folder: Path, source: Path) -> Path:
    return folder / "tidak-ada.xlsx"


def empty_file(folder: Path, source: Path) -> Path:
    path = folder / "kosong.xlsx"
    path.write_bytes(b"")
    return path


#: name -> (builder, a word the Indonesian reason must contain)
HOSTILE = {
    "not-a-template": (not_a_template, "bukan template"),
    "xls-ole": (old_xls, ".xls"),
    "csv": (csv_file, "teks biasa"),
    "csv-named-xlsx": (csv_named_xlsx, "teks biasa"),
    "corrupt-zip": (corrupt_zip, "rusak"),
    "zip-bomb": (zip_bomb, "melebihi batas"),
    "entity-expansion": (entity_expansion, "DOCTYPE"),
    "version-0.9": (version_0_9, "0.9"),
    "missing": (missing_file, "tidak ditemukan"),
    "empty": (empty_file, "kosong"),
}


# ---------------------------------------------------------------------------
# Exit codes and text
# ---------------------------------------------------------------------------


def test_clean_file(check, filled_template) -> None:
    path = clean_file(filled_template)
    result = check(path)
    assert result.code == 0, result.text
    assert "LULUS" in result.out
    assert "0 kesalahan" in result.out and "0 peringatan" in result.out
    assert reads_indonesian(result.out)


def test_file_with_errors(check, filled_template) -> None:
    path = error_file(filled_template)
    result = check(path)
    assert result.code == 1, result.text
    assert "LULUS" not in result.out
    assert "2 kesalahan" in result.out
    capaian = "!".join(cell_of("indikator", "capaian_dilaporkan"))
    serapan = "!".join(cell_of("anggaran", "persen_dilaporkan"))
    assert capaian in result.out and serapan in result.out
    assert "98,30" in result.out and "98,32" in result.out


def test_warnings_only_without_strict(check, filled_template) -> None:
    result = check(warning_file(filled_template))
    assert result.code == 0, result.text
    assert "LULUS" in result.out and "1 peringatan" in result.out


def test_warnings_only_with_strict(check, filled_template) -> None:
    path = warning_file(filled_template)
    result = check(path, "--strict")
    assert result.code == 1, result.text
    assert "LULUS" not in result.out
    document = check(path, "--strict", "--format", "json").json()
    assert document["files"][0]["ok"] is False
    assert document["files"][0]["summary"] == {"error": 0, "warning": 1, "info": 0}


def test_directory_of_files(check, filled_template, tmp_path: Path) -> None:
    clean_file(filled_template, "a-bersih.xlsx")
    error_file(filled_template, "b-salah.xlsx")
    (tmp_path / "catatan.txt").write_text("bukan buku kerja", "utf-8")
    (tmp_path / "~$a-bersih.xlsx").write_bytes(b"lock file of Excel")
    result = check(tmp_path, "--format", "json")
    # every file of the folder is accounted for: the text file is listed as unreadable (exit 2)
    assert result.code == 2, result.text
    files = {Path(entry["file"]).name: entry for entry in result.json()["files"]}
    assert set(files) == {"a-bersih.xlsx", "b-salah.xlsx", "catatan.txt"}
    assert files["a-bersih.xlsx"]["ok"] is True and files["b-salah.xlsx"]["ok"] is False
    assert "simpan sebagai Buku Kerja Excel (.xlsx)" in files["catatan.txt"]["unreadable"]
    # Excel's lock file is no submission: left out, and said so once
    assert "~$a-bersih.xlsx" in result.err and "dilewati" in result.err
    text = check(tmp_path)
    assert text.out.count("== ") == 3 and "3 berkas diperiksa" in text.out
    assert "1 berkas tidak dapat dibaca" in text.out


def test_good_and_unreadable_files_together(check, filled_template, tmp_path: Path, report_schema) -> None:
    good = clean_file(filled_template, "bersih.xlsx")
    bad = not_a_template(tmp_path, good)
    errors = error_file(filled_template, "salah.xlsx")
    result = check(good, bad, errors)
    assert result.code == 2, result.text
    assert "LULUS" in result.out and "TIDAK DAPAT DIBACA" in result.out
    assert result.out.count("== ") == 3
    document = check(good, bad, errors, "--format", "json")
    assert document.code == 2
    validate(document.json(), report_schema)
    entries = {Path(entry["file"]).name: entry for entry in document.json()["files"]}
    assert entries["bersih.xlsx"]["ok"] is True and "unreadable" not in entries["bersih.xlsx"]
    assert entries["salah.xlsx"]["summary"]["error"] == 2 and len(entries["salah.xlsx"]["findings"]) == 2
    assert entries[bad.name]["ok"] is False and entries[bad.name]["findings"] == []
    assert reads_indonesian(entries[bad.name]["unreadable"])


@pytest.mark.parametrize(("make", "keyword"), list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_or_broken_file(
    check, filled_template, tmp_path: Path, make, keyword: str, report_schema
) -> None:
    source = clean_file(filled_template, "asli.xlsx")
    folder = tmp_path / "kiriman"
    folder.mkdir()
    path = make(folder, source)
    before = snapshot(path) if path.exists() else None
    result = check(path)
    assert result.code == 2, result.text
    reasons = [line.strip() for line in result.text.splitlines() if "TIDAK DAPAT DIBACA" in line]
    assert len(reasons) == 1, result.text
    assert reads_indonesian(reasons[0].split(":", 1)[1]), reasons[0]
    assert keyword in reasons[0] and path.name in reasons[0], reasons[0]
    assert len(result.text.strip().splitlines()) <= 5, result.text  # file header, the reason, the summary
    document = check(path, "--format", "json")
    assert document.code == 2
    validate(document.json(), report_schema)
    (entry,) = document.json()["files"]
    assert entry["ok"] is False and "\n" not in entry["unreadable"]
    assert (snapshot(path) if path.exists() else None) == before


def test_usage_errors_exit_2_without_traceback(check, tmp_path: Path) -> None:
    assert check().code == 2
    assert check("--format", "xml", tmp_path / "x.xlsx").code == 2
    empty = tmp_path / "kosong"
    empty.mkdir()
    result = check(empty)
    assert result.code == 2 and "tidak berisi" in result.err


# ---------------------------------------------------------------------------
# JSON output against the schema (SPEC section 8)
# ---------------------------------------------------------------------------


def test_schema_file_is_draft_2020_12_and_names_the_contract_fields(report_schema) -> None:
    assert report_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    finding = report_schema["$defs"]["finding"]
    assert set(finding["required"]) == {
        "code",
        "severity",
        "sheet",
        "cell",
        "cells",
        "table",
        "row_key",
        "field",
        "stated",
        "expected",
        "difference",
        "message",
        "hint",
    }
    assert finding["properties"]["severity"] == {"enum": ["error", "warning", "info"]}
    file_entry = report_schema["$defs"]["file"]
    assert set(file_entry["required"]) == {"file", "ok", "summary", "findings"}
    assert set(file_entry["properties"]) == {
        "file",
        "ok",
        "summary",
        "findings",
        "unreadable",
        "results",
        "results_error",
    }
    assert set(report_schema["$defs"]["summary"]["required"]) == {"error", "warning", "info"}
    pattern = re.compile(finding["properties"]["code"]["pattern"])
    assert all(pattern.fullmatch(code) for code in KINDS)


def test_schema_rejects_what_the_contract_forbids(report_schema) -> None:
    good_finding = {
        "code": "ratio-mismatch",
        "severity": "error",
        "sheet": "Indikator",
        "cell": "T4",
        "cells": [],
        "table": "indikator",
        "row_key": "IK1",
        "field": "capaian_dilaporkan",
        "stated": 98.3,
        "expected": 98.32,
        "difference": -0.02,
        "message": "Indikator!T4: ...",
        "hint": None,
    }
    good = {
        "files": [
            {
                "file": "a.xlsx",
                "ok": False,
                "summary": {"error": 1, "warning": 0, "info": 0},
                "findings": [good_finding],
            }
        ]
    }
    validate(good, report_schema)
    bad_documents = [
        {"files": [{**good["files"][0], "findings": [{**good_finding, "severity": "fatal"}]}]},
        {
            "files": [{**good["files"][0], "findings": [{**good_finding, "stated": "98,30"}]}]
        },  # number as text
        {"files": [{**good["files"][0], "findings": [{**good_finding, "difference": "-0,02"}]}]},
        {
            "files": [
                {**good["files"][0], "findings": [{k: v for k, v in good_finding.items() if k != "hint"}]}
            ]
        },
        {"files": [{**good["files"][0], "findings": [{**good_finding, "extra": 1}]}]},
        {"files": [{**good["files"][0], "summary": {"error": "1", "warning": 0, "info": 0}}]},
        {"files": [{**good["files"][0], "ok": "true"}]},
        {"files": [{k: v for k, v in good["files"][0].items() if k != "summary"}]},
        {"bestand": []},
    ]
    for document in bad_documents:
        with pytest.raises(jsonschema.ValidationError):
            validate(document, report_schema)


def _numbers_are_numbers(document: dict[str, Any]) -> int:
    """Every stated/expected/difference of a numeric comparison is a JSON number; returns how many were seen."""
    seen = 0
    for entry in document["files"]:
        assert all(isinstance(entry["summary"][key], int) for key in ("error", "warning", "info"))
        for item in entry["findings"]:
            if item["code"] in NUMERIC_CODES:
                for key in ("stated", "expected", "difference"):
                    assert isinstance(item[key], (int, float)) and not isinstance(item[key], bool), (
                        key,
                        item,
                    )
                seen += 1
    return seen


def test_json_output_validates_and_carries_numbers(check, filled_template, report_schema) -> None:
    path = filled_template(
        cells={**IDENTITAS, "total_pagu_dilaporkan": "Rp 1.100.000", "persen_serapan_dilaporkan": "88,98 %"},
        tables={
            "sasaran": SASARAN,
            "indikator": [
                indikator(capaian_dilaporkan="98,30", realisasi_lalu_1="40"),
                indikator(kode="IK2", realisasi="sembilan puluh", polaritas="Naik"),
            ],
            "anggaran": [
                program(persen_dilaporkan="91,00", selisih_dilaporkan="-100.000"),
                {
                    "kode": "7.01.01.2.01",
                    "tingkat": "Kegiatan",
                    "uraian": "Keg",
                    "pagu": "1.000.000",
                    "realisasi": "900.000",
                },
            ],
        },
        name="campur.xlsx",
    )
    result = check(path, "--format", "json")
    assert result.code == 1, result.text
    document = result.json()
    validate(document, report_schema)
    assert _numbers_are_numbers(document) >= 4
    (entry,) = document["files"]
    summary = {
        severity: sum(1 for item in entry["findings"] if item["severity"] == severity)
        for severity in ("error", "warning", "info")
    }
    assert entry["summary"] == summary and entry["ok"] is False
    codes = {item["code"] for item in entry["findings"]}
    assert {
        "ratio-mismatch",
        "total-mismatch",
        "difference-mismatch",
        "unreadable-value",
        "value-not-in-list",
        "realisasi-jump",
    } <= codes
    by_cell = {(item["sheet"], item["cell"]): item for item in entry["findings"]}
    capaian = by_cell[cell_of("indikator", "capaian_dilaporkan")]
    assert (capaian["stated"], capaian["expected"]) == (98.3, 98.32)
    assert capaian["difference"] == pytest.approx(-0.02)
    spec = cell_schema("total_pagu_dilaporkan")
    total = by_cell[(spec["sheet"], spec["cell"])]
    assert total["stated"] == 1_100_000 and total["expected"] == 1_000_000
    # no number travels as text
    assert not re.search(r'"(stated|expected|difference)": "-?[0-9][0-9.,]*"', result.out)


SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.xlsx"))


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_json_of_every_sample_validates(sample: Path, tmp_path: Path, report_schema) -> None:
    """The seed samples carry every kind of finding (free tables, citations, Renstra): all fit the schema."""
    copy = tmp_path / sample.name
    shutil.copyfile(sample, copy)
    result = run_in_process([str(copy), "--format", "json"])
    assert result.code in (0, 1), result.text
    document = result.json()
    validate(document, report_schema)
    _numbers_are_numbers(document)
    assert (result.code == 0) == document["files"][0]["ok"]


def test_json_of_clean_file(check, filled_template, report_schema) -> None:
    result = check(clean_file(filled_template), "--format", "json")
    assert result.code == 0
    document = result.json()
    validate(document, report_schema)
    (entry,) = document["files"]
    assert entry["ok"] is True and entry["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_json_is_one_object_for_many_files(check, filled_template, report_schema) -> None:
    paths = [clean_file(filled_template, "satu.xlsx"), error_file(filled_template, "dua.xlsx")]
    result = check(*paths, "--format", "json")
    document = json.loads(result.out)  # one object, nothing else on stdout
    validate(document, report_schema)
    assert [Path(entry["file"]).name for entry in document["files"]] == ["satu.xlsx", "dua.xlsx"]


# ---------------------------------------------------------------------------
# Results workbooks and the input left untouched
# ---------------------------------------------------------------------------


def test_results_dir_writes_one_workbook_per_file(
    check, filled_template, tmp_path: Path, report_schema
) -> None:
    inputs = [clean_file(filled_template, "satu.xlsx"), error_file(filled_template, "dua.xlsx")]
    before = {path: snapshot(path) for path in inputs}
    out = tmp_path / "hasil"
    result = check(*inputs, "--results", out, "--format", "json")
    assert result.code == 1, result.text
    document = result.json()
    validate(document, report_schema)
    written = sorted(out.iterdir())
    assert [path.name for path in written] == ["dua-hasil.xlsx", "satu-hasil.xlsx"]
    assert sorted(Path(entry["results"]).name for entry in document["files"]) == [p.name for p in written]
    for path in written:
        workbook = openpyxl.load_workbook(path, read_only=True)
        assert len(workbook.sheetnames) > 3
        workbook.close()
    assert {path: snapshot(path) for path in inputs} == before
    # a second run without --overwrite keeps the workbooks, still reports every file's findings,
    # and says per file that its results workbook was not written (exit code 2: outputs not written)
    stamps = {path: snapshot(path) for path in written}
    again = check(*inputs, "--results", out)
    assert again.code == 2 and "Traceback" not in again.text
    assert again.text.count("Buku kerja hasil TIDAK ditulis") == 2 and "--overwrite" in again.text
    assert {path: snapshot(path) for path in written} == stamps


def test_check_never_modifies_the_input(check, filled_template) -> None:
    paths = [clean_file(filled_template), error_file(filled_template), warning_file(filled_template)]
    before = [snapshot(path) for path in paths]
    for path in paths:
        check(path)
        check(path, "--format", "json", "--strict")
    assert [snapshot(path) for path in paths] == before


# ---------------------------------------------------------------------------
# Text report: identical findings grouped with a count
# ---------------------------------------------------------------------------


def test_identical_findings_are_grouped_with_a_count(check, filled_template) -> None:
    result = check(grouped_file(filled_template))
    assert result.code == 1
    cells = ["!".join(cell_of("indikator", "uraian", index)) for index in range(3)]
    grouped = [line for line in result.out.splitlines() if "3×" in line]
    assert len(grouped) == 1 and "wajib diisi" in grouped[0], result.out
    also = [line for line in result.out.splitlines() if "juga di" in line]
    assert len(also) == 1 and all(cell in also[0] for cell in cells[1:]), result.out
    assert "3 kesalahan" in result.out


def test_different_findings_are_not_grouped(filled_template) -> None:
    rows = [indikator(uraian=None), indikator(kode="IK2", realisasi=None)]
    result = run_in_process(
        [
            str(
                filled_template(
                    cells=IDENTITAS,
                    tables={"sasaran": SASARAN, "indikator": rows, "anggaran": [program()]},
                    name="beda.xlsx",
                )
            )
        ]
    )
    assert "2×" not in result.out, result.out
    assert "(Realisasi) wajib diisi" in result.out
