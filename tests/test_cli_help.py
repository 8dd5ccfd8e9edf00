"""The command line speaks Indonesian: help of every command, usage errors, version.

click writes its own texts in English ("Usage:", "Options:", "[required]", "Did you mean
...?"); the group installs Indonesian ones for every command it holds, so a command added
later is covered by the loop over ``main.commands`` below.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sakip_xlsx import __version__
from sakip_xlsx.cli import main
from sakip_xlsx.description import TEMPLATE_VERSION

#: click's English texts (and its English metavars) that must never reach a user
CLICK_ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Show this message and exit",
    "Show the version and exit",
    "[required]",
    "default:",
    "Did you mean",
    "is a file",
    "is a directory",
    "does not exist",
    "Missing argument",
    "Missing option",
    "No such option",
    "No such command",
    "Invalid value",
    "Error:",
    "Try '",
    "is not one of",
    "is not in the range",
    "is not a valid",
    "requires an argument",
    "Got unexpected extra",
    "Aborted",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "PATHS",
    " TEXT",
    "INTEGER",
    "FLOAT",
    "DIRECTORY",
    "FILENAME",
)


def _english(text: str) -> list[str]:
    return [phrase for phrase in CLICK_ENGLISH if phrase in text]


def _run(args: list[str]):
    return CliRunner().invoke(main, args, prog_name="sakip-xlsx")


@pytest.mark.parametrize("command", [None, *sorted(main.commands)])
def test_help_of_every_command_is_indonesian(command):
    args = ([command] if command else []) + ["--help"]
    result = _run(args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Cara pakai: sakip-xlsx"), result.output
    assert "Opsi:" in result.output and "Tampilkan bantuan ini lalu keluar." in result.output
    assert _english(result.output) == [], result.output


def test_required_options_are_marked_in_indonesian():
    result = _run(["template", "--help"])
    assert "[wajib]" in result.output


def test_program_alone_prints_short_help_and_exits_0():
    """``sakip-xlsx`` alone (the console script, as a new user types it)."""
    result = subprocess.run(
        [sys.executable, "-c", "from sakip_xlsx.cli import run; run()"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Perintah:" in result.stdout
    assert all(name in result.stdout for name in main.commands)
    assert _english(result.stdout + result.stderr) == []
    assert len(result.stdout.splitlines()) < 30


def test_version_shows_tool_and_template_version():
    result = _run(["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output and f"versi template {TEMPLATE_VERSION}" in result.output


def _usage_errors(folder: Path) -> list[list[str]]:
    a_file = folder / "berkas.txt"
    a_file.write_text("x")
    errors = [
        ["chek"],
        ["--tidak-ada"],
        ["check", "--format", "xml", "x.xlsx"],
        ["check", "x.xlsx", "--results", str(a_file)],
        ["check", "-j", "0", "x.xlsx"],
        ["check", "-j", "dua", "x.xlsx"],
        ["template", "-o"],
        ["template", "-o", "t.xlsx", "--tahun", "1800"],
        ["results", "a.xlsx", "b.xlsx", "-o", "x.xlsx"],
        ["rekap", "x.xlsx"],
        ["schema", "--format", "yaml"],
    ]
    for name, command in main.commands.items():
        errors.append([name, "--opsi-tidak-ada"])
        if any(getattr(param, "required", False) for param in command.params):
            errors.append([name])  # a required argument or option left out
    return errors


def test_usage_errors_are_indonesian_with_exit_code_2(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in _usage_errors(tmp_path):
        result = _run(args)
        assert result.exit_code == 2, (args, result.output)
        assert "Galat pemakaian:" in result.output, (args, result.output)
        assert "--help" in result.output, (args, result.output)
        assert _english(result.output) == [], (args, result.output)


def test_a_mistyped_command_is_suggested_in_indonesian():
    result = _run(["chek"])
    assert "Maksudnya" in result.output and "'check'" in result.output
