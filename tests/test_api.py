"""The Python API (``sakip_xlsx.api``): one function per command, with the command's option names.

Two halves: the command line calls its function with exactly its options as keywords (a
recording stand-in replaces each function), and each function, called directly, does the
command's work (files written, reports and exit codes equal to what the command prints).
"""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import schema as printed_schema
from impor_docs import SEEDS

from sakip_xlsx import api
from sakip_xlsx.cli import main
from sakip_xlsx.errors import SakipError
from sakip_xlsx.rules import load_rules

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CLEAN = SAMPLES / "contoh-bersih.xlsx"
WITH_ERRORS = SAMPLES / "ngoro-jombang-2024.xlsx"

#: options that only choose how the command line prints a result: no keyword of the API
PRINTING_ONLY = {"format", "rinci"}
#: keywords the command line decides itself (no option): a progress bar, where notes go, process end
DECIDED_BY_THE_CLI = {"progress", "notes", "process_ends"}

#: every command with a value for every option (parsed by click, never run for real here)
COMMAND_LINES = {
    "template": ["-o", "t.xlsx", "--rules", "jombang", "--pemda", "P", "--instansi", "I", "--tahun", "2024"]
    + ["--overwrite"],
    "schema": ["--format", "json"],
    "check": ["a.xlsx", "b/", "--format", "json", "--rules", "r.toml", "--strict", "--results", "hasil"]
    + ["--overwrite", "--laporan", "lap", "--jobs", "3"],
    "results": [
        "a.xlsx",
        "-o",
        "h.xlsx",
        "--outdir",
        "d",
        "--rules",
        "rembang",
        "--overwrite",
        "--laporan",
        "l",
    ],
    "rekap": ["a.xlsx", "b.xlsx", "-o", "r.xlsx", "--format", "json", "--rules", "mojokerto", "--jobs", "2"]
    + ["--overwrite"],
    "laporan": ["a.xlsx", "-o", "l.docx", "--rules", "default", "--overwrite"],
    "impor": ["lkjip.docx", "-o", "i.xlsx", "--rules", "jombang", "--overwrite", "--rinci"],
}


class _Recorded(SakipError):
    """Raised by the stand-in after recording its call (the command then exits with code 2)."""


def _option_names(command_name: str) -> set[str]:
    return {param.name for param in main.commands[command_name].params} - PRINTING_ONLY


def test_every_command_has_a_command_line_to_test() -> None:
    assert set(COMMAND_LINES) == set(main.commands)


@pytest.mark.parametrize("name", sorted(COMMAND_LINES))
def test_each_api_function_takes_the_option_names_of_its_command(name: str) -> None:
    keywords = set(inspect.signature(getattr(api, name)).parameters)
    options = _option_names(name)
    assert options <= keywords, f"{name}: options without a keyword: {options - keywords}"
    assert keywords - options <= DECIDED_BY_THE_CLI, (
        f"{name}: keywords without an option: {keywords - options}"
    )


@pytest.mark.parametrize("name", sorted(COMMAND_LINES))
def test_each_command_calls_its_api_function_once_with_the_same_keywords(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict] = []

    def stand_in(*args, **kwargs):
        assert not args, "the command passes every value by its keyword"
        calls.append(kwargs)
        raise _Recorded("direkam")

    monkeypatch.setattr(api, name, stand_in)
    result = CliRunner().invoke(main, [name, *COMMAND_LINES[name]], prog_name="sakip-xlsx")
    if name == "schema":  # nothing to refuse: the stand-in's error ends the command uncaught
        assert isinstance(result.exception, _Recorded)
    else:
        assert result.exit_code == 2 and "Galat: direkam" in result.output, result.output
    assert len(calls) == 1
    parsed = main.commands[name].make_context(name, list(COMMAND_LINES[name])).params
    options = {key: value for key, value in parsed.items() if key not in PRINTING_ONLY}
    given = calls[0]
    assert {key: given[key] for key in options} == options
    assert set(given) - set(options) <= DECIDED_BY_THE_CLI


def test_importing_the_package_does_not_import_the_api_until_it_is_used() -> None:
    code = (
        "import sys, sakip_xlsx\n"
        "assert 'sakip_xlsx.api' not in sys.modules\n"
        "assert sakip_xlsx.api.check.__module__ == 'sakip_xlsx.api'\n"
        "assert 'pandas' not in sys.modules and 'openpyxl' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------
# template, schema
# ---------------------------------------------------------------------------


def test_template_writes_the_workbook_with_the_given_rules_and_header(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    run = api.template(
        out, rules="jombang", pemda="Kabupaten Jombang", instansi="Kecamatan Ngoro", tahun=2024
    )
    assert run.path == out and run.exit_code == 0
    assert run.rules == load_rules("jombang")
    cells = {cell["field"]: cell for cell in printed_schema()["cells"]}
    wb = openpyxl.load_workbook(out)
    try:
        value = {f: wb[cells[f]["sheet"]][cells[f]["cell"]].value for f in ("pemda", "instansi", "tahun")}
    finally:
        wb.close()
    assert value == {"pemda": "Kabupaten Jombang", "instansi": "Kecamatan Ngoro", "tahun": 2024}


def test_template_takes_a_rules_object_and_defaults_to_the_default_preset(tmp_path: Path) -> None:
    rembang = load_rules("rembang")
    assert api.template(tmp_path / "a.xlsx", rules=rembang).rules is rembang
    assert api.template(tmp_path / "b.xlsx").rules == load_rules("default")


def test_template_refuses_an_existing_file_without_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    api.template(out)
    before = out.read_bytes()
    with pytest.raises(SakipError):
        api.template(out, pemda="Lain")
    assert out.read_bytes() == before
    api.template(out, pemda="Lain", overwrite=True)
    assert out.read_bytes() != before


def test_schema_is_what_the_command_prints() -> None:
    assert api.schema() == printed_schema()


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True])
def test_check_gives_the_report_and_exit_code_the_command_prints(strict: bool) -> None:
    run = api.check([CLEAN, WITH_ERRORS], strict=strict, jobs=1)
    args = ["check", str(CLEAN), str(WITH_ERRORS), "--format", "json", "--jobs", "1"]
    printed = CliRunner().invoke(main, args + (["--strict"] if strict else []))
    assert run.checked and [outcome.path for outcome in run.outcomes] == [CLEAN, WITH_ERRORS]
    assert run.json_report() == json.loads(printed.stdout)
    assert run.exit_code == printed.exit_code == 1  # the real report has errors
    assert run.text_report().count("\n") > len(run.outcomes)


def test_check_exit_code_is_0_for_a_clean_file_and_2_for_an_unreadable_one(tmp_path: Path) -> None:
    assert api.check([CLEAN]).exit_code == 0
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan buku kerja")
    run = api.check([CLEAN, broken], jobs=1)
    assert run.outcomes[1].unreadable and run.exit_code == 2


def test_check_writes_results_and_laporan_into_the_given_folders(tmp_path: Path) -> None:
    run = api.check([CLEAN], results=tmp_path / "hasil", laporan=tmp_path / "laporan")
    outcome = run.outcomes[0]
    assert outcome.results_path is not None and outcome.results_path.parent == tmp_path / "hasil"
    assert outcome.laporan_path is not None and outcome.laporan_path.parent == tmp_path / "laporan"
    assert zipfile.is_zipfile(outcome.results_path) and zipfile.is_zipfile(outcome.laporan_path)
    assert run.exit_code == 0 and not run.laporan_missing


def test_check_by_given_rules_as_a_name_or_an_object_is_check_with_rules() -> None:
    own = api.check([WITH_ERRORS]).json_report()  # the file's own rules: jombang
    by_object = api.check([WITH_ERRORS], rules=load_rules("rembang")).json_report()
    by_name = api.check([WITH_ERRORS], rules="rembang").json_report()
    printed = CliRunner().invoke(main, ["check", str(WITH_ERRORS), "--format", "json", "--rules", "rembang"])
    assert by_object == by_name == json.loads(printed.stdout)
    assert by_name != own


def test_check_notes_what_a_folder_holds_besides_workbooks_as_soon_as_it_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "kiriman"
    folder.mkdir()
    shutil.copy(CLEAN, folder / "ngoro.xlsx")
    (folder / "~$ngoro.xlsx").write_bytes(b"lock")
    (folder / "foto.png").write_bytes(b"png")
    heard: list[str] = []
    run = api.check([folder], notes=heard.append)
    assert [outcome.path.name for outcome in run.outcomes] == ["ngoro.xlsx"]
    assert heard == run.inputs.notes and len(heard) == 2
    assert "~$ngoro.xlsx" in heard[0] and "foto.png" in heard[1]
    assert run.exit_code == 0


def test_check_of_a_missing_folder_checks_nothing_and_gives_2(tmp_path: Path) -> None:
    run = api.check([tmp_path / "tidak-ada"])
    assert not run.checked and run.outcomes == [] and run.inputs.missing
    assert run.exit_code == 2 and "tidak ditemukan" in run.inputs.notes[0]


# ---------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------


def test_results_writes_one_workbook_to_output(tmp_path: Path) -> None:
    out = tmp_path / "ngoro-hasil.xlsx"
    run = api.results([CLEAN], output=out)
    assert run.outcomes[0].results_path == out and zipfile.is_zipfile(out)
    assert run.exit_code == 0


def test_results_writes_many_into_outdir_and_gives_2_for_an_unreadable_file(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan buku kerja")
    run = api.results([CLEAN, broken], outdir=tmp_path / "hasil")
    written = [outcome.results_path for outcome in run.outcomes]
    assert written[0] is not None and written[0].exists() and written[1] is None
    assert run.exit_code == 2


@pytest.mark.parametrize("where", [{}, {"output": "a.xlsx", "outdir": "d"}])
def test_results_refuses_options_that_do_not_fit_together(where: dict, tmp_path: Path) -> None:
    with pytest.raises(api.UsageError):
        api.results([CLEAN], **where)
    with pytest.raises(api.UsageError):  # -o is for one input only
        api.results([CLEAN, WITH_ERRORS], output=tmp_path / "a.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_usage_error_of_the_api_is_a_usage_error_of_the_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["results", str(CLEAN)], prog_name="sakip-xlsx")
    assert result.exit_code == 2
    assert "Galat pemakaian: Sebutkan -o" in result.output and "sakip-xlsx results --help" in result.output


# ---------------------------------------------------------------------------
# rekap
# ---------------------------------------------------------------------------


def test_rekap_writes_the_workbook_and_returns_the_json_summary(tmp_path: Path) -> None:
    out = tmp_path / "rekap.xlsx"
    run = api.rekap([CLEAN, WITH_ERRORS], output=out, jobs=1)
    assert run.written and run.exit_code == 0 and zipfile.is_zipfile(out)
    assert len(run.summaries) == 2 and run.report["written"] is True
    printed = CliRunner().invoke(
        main, ["rekap", str(CLEAN), str(WITH_ERRORS), "-o", str(tmp_path / "lagi.xlsx"), "--jobs", "1"]
    )
    assert printed.exit_code == 0
    assert printed.stdout == run.text_report().replace("rekap.xlsx", "lagi.xlsx") + "\n"


def test_rekap_of_unreadable_files_only_writes_nothing_and_notes_each(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan buku kerja")
    heard: list[str] = []
    run = api.rekap([broken], output=tmp_path / "rekap.xlsx", jobs=1, notes=heard.append)
    assert not run.written and run.exit_code == 2 and run.report["written"] is False
    assert not (tmp_path / "rekap.xlsx").exists()
    assert len(heard) == 1 and heard[0].startswith("Tidak dapat dibaca: ") and "rusak.xlsx" in heard[0]


def test_rekap_of_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "kosong").mkdir()
    with pytest.raises(api.UsageError):
        api.rekap([tmp_path / "kosong"], output=tmp_path / "rekap.xlsx")


# ---------------------------------------------------------------------------
# laporan, impor
# ---------------------------------------------------------------------------


def test_laporan_writes_the_word_document(tmp_path: Path) -> None:
    out = tmp_path / "bab3.docx"
    run = api.laporan(WITH_ERRORS, output=out)
    assert run.path == out and run.exit_code == 0 and zipfile.is_zipfile(out)
    assert run.outcome.summary["error"] > 0  # the document says the file holds errors


def test_laporan_of_an_unreadable_file_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan buku kerja")
    run = api.laporan(broken, output=tmp_path / "bab3.docx")
    assert run.path is None and run.outcome.unreadable and run.exit_code == 2
    assert not (tmp_path / "bab3.docx").exists()


def test_impor_fills_a_template_from_a_report(tmp_path: Path) -> None:
    source = SEEDS / "lkjip-kragan-rembang-2021.txt"
    if not source.exists():
        pytest.skip("seed reports not available")
    out = tmp_path / "isian.xlsx"
    run = api.impor(source, output=out, rules="rembang")
    assert run.rules == load_rules("rembang") and run.exit_code == 0
    assert run.result.output == out and zipfile.is_zipfile(out)
    assert run.result.filled and api.check([out]).outcomes[0].unreadable is None
