"""Outputs never touch an input, never half-written, and a failed write is never reported as success.

Every hostile situation is built here, in tmp_path: inputs named as outputs (by
path, hard link, symbolic link, a folder scan), outputs under a regular file, a
too-long name, a disk that fills up, a run killed mid-write, our own results
and rekap workbooks in a scanned folder, files that are not workbooks.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from sakip_xlsx import output
from sakip_xlsx.cli import main
from sakip_xlsx.output import OutputIsInput, is_temporary, write_atomically
from sakip_xlsx.safety import own_output

CELLS = {"pemda": "Kabupaten Uji", "instansi": "Kecamatan Uji", "tahun": 2024}
ROWS = [
    {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program Penunjang", "pagu": 1_500_000},
    {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "Perencanaan"},
    {
        "kode": "7.01.01.2.01.0001",
        "tingkat": "Sub Kegiatan",
        "uraian": "Penyusunan Dokumen",
        "pagu": 1_500_000,
        "realisasi": 1_250_000,
    },
]


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(*args: object) -> Run:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    outcome = Run(result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in outcome.text, outcome.text
    return outcome


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def submission(filled_template):
    """``submission(name)``: a valid filled template at tmp_path/name."""

    def make(name: str = "ngoro.xlsx") -> Path:
        return filled_template(cells=CELLS, tables={"anggaran": ROWS}, name=name)

    return make


# ---------------------------------------------------------------------------
# 1. A file named as input is never written, with any option
# ---------------------------------------------------------------------------


def _same_file_cases(folder: Path, source: Path) -> dict[str, Path]:
    """Names for the input file itself: the path, a relative spelling, a hard link, a symbolic link."""
    hard = folder / "tautan-keras.xlsx"
    os.link(source, hard)
    soft = folder / "tautan-simbolik.xlsx"
    soft.symlink_to(source)
    return {"path": source, "dotted": folder / "." / source.name, "hardlink": hard, "symlink": soft}


@pytest.mark.parametrize("spelling", ["path", "dotted", "hardlink", "symlink"])
@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
@pytest.mark.parametrize("command", ["results-o", "results-outdir", "check-results", "rekap-o"])
def test_no_command_writes_onto_an_input(
    tmp_path: Path, submission, command: str, overwrite: bool, spelling: str
) -> None:
    folder = tmp_path / "kiriman"
    folder.mkdir()
    source = submission("ngoro.xlsx")
    shutil.move(source, folder / "ngoro.xlsx")
    source = folder / "ngoro.xlsx"
    # a real submission whose name is that of another input's results workbook
    named_like_results = submission("ngoro-hasil.xlsx")
    shutil.move(named_like_results, folder / "ngoro-hasil.xlsx")
    named_like_results = folder / "ngoro-hasil.xlsx"
    target = _same_file_cases(folder, source)[spelling]
    inputs = [source, named_like_results] + [
        p for p in folder.iterdir() if p.is_symlink() or p.name.startswith("tautan")
    ]
    before = {path: snapshot(path) for path in inputs}
    flag = ["--overwrite"] if overwrite else []
    if command == "results-o":
        result = run("results", source, "-o", target, *flag)
    elif command == "results-outdir":
        result = run("results", source, named_like_results, "--outdir", folder, *flag)
    elif command == "check-results":
        result = run("check", source, named_like_results, "--results", folder, "--jobs", "1", *flag)
    else:
        result = run("rekap", folder, "-o", target, *flag)
    assert {path: snapshot(path) for path in inputs} == before
    assert result.code == 2, result.text
    if command in ("results-o", "rekap-o"):
        assert "berkas masukan" in result.err and "tidak pernah ditimpa" in result.err
    else:  # ngoro.xlsx's results would be ngoro-hasil.xlsx: an input, refused; the other is written
        assert "ngoro-hasil.xlsx" in result.text and "berkas masukan" in result.text
        assert (folder / "ngoro-hasil-hasil.xlsx").is_file()


def test_output_is_input_refused_by_the_library(tmp_path: Path) -> None:
    source = tmp_path / "a.xlsx"
    source.write_bytes(b"isian")
    with pytest.raises(OutputIsInput):
        write_atomically(
            tmp_path / "sub" / ".." / "a.xlsx", lambda p: p.write_bytes(b"x"), inputs=[source], overwrite=True
        )
    assert source.read_bytes() == b"isian"


# ---------------------------------------------------------------------------
# 2. A requested output that was not written: Indonesian message, exit code 2
# ---------------------------------------------------------------------------


def test_results_into_existing_output_without_overwrite(tmp_path: Path, submission) -> None:
    source = submission()
    target = tmp_path / "hasil.xlsx"
    target.write_bytes(b"lama")
    result = run("results", source, "-o", target)
    assert result.code == 2 and "--overwrite" in result.err and "None" not in result.text
    assert target.read_bytes() == b"lama"


@pytest.mark.parametrize(
    ("command", "where"),
    [
        (command, where)
        for command in ("template", "results", "check", "rekap")
        for where in ("under-a-file", "too-long-name", "xls-name")
        if (command, where) != ("check", "xls-name")  # check --results names its workbooks itself
    ],
)
def test_unwritable_output_exits_2(tmp_path: Path, submission, command: str, where: str) -> None:
    source = submission()
    regular = tmp_path / "biasa.txt"
    regular.write_text("bukan folder")
    if where == "under-a-file":
        folder, name = regular, "hasil.xlsx"
    elif where == "too-long-name":
        folder, name = tmp_path / "keluar", "h" * 300 + ".xlsx"
    else:
        folder, name = tmp_path / "keluar", "hasil.xls"
    if command == "template":
        result = run("template", "-o", folder / name)
    elif command == "results":
        result = run("results", source, "-o", folder / name)
    elif command == "rekap":
        result = run("rekap", source, "-o", folder / name)
    else:
        results_dir = {"too-long-name": folder / name, "under-a-file": folder / "sub"}[where]
        result = run("check", source, "--results", results_dir)
    assert result.code == 2, result.text
    assert "tidak dapat ditulis" in result.text
    expected = {
        "under-a-file": "bukan folder",
        "too-long-name": "terlalu panjang",
        "xls-name": "berakhiran .xlsx",
    }[where]
    assert expected in result.text, result.text
    assert "Hasil ditulis" not in result.out and "Template dibuat" not in result.out
    assert not any(is_temporary(p.name) for p in tmp_path.rglob("*"))


def test_a_file_given_as_results_folder_is_said_in_indonesian(tmp_path: Path, submission) -> None:
    regular = tmp_path / "biasa.txt"
    regular.write_text("bukan folder")
    result = run("check", submission(), "--results", regular)
    assert result.code == 2 and "adalah berkas, bukan folder" in result.err and " is a " not in result.err


@pytest.mark.parametrize("command", ["template", "results", "check", "rekap"])
def test_disk_full_while_renaming_exits_2(tmp_path: Path, submission, monkeypatch, command: str) -> None:
    source = submission()
    out = tmp_path / "keluar"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    if command == "template":
        result = run("template", "-o", out / "t.xlsx")
    elif command == "results":
        result = run("results", source, "-o", out / "h.xlsx")
    elif command == "rekap":
        result = run("rekap", source, "-o", out / "r.xlsx")
    else:
        result = run("check", source, "--results", out)
    assert result.code == 2, result.text
    assert "ruang disk penuh" in result.text and "No space" not in result.text
    assert not out.exists() or list(out.iterdir()) == []  # no temporary file left behind


# ---------------------------------------------------------------------------
# 3. Same-named inputs from different folders get their own results
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
@pytest.mark.parametrize("command", ["check", "results"])
def test_same_named_inputs_get_their_own_results(
    tmp_path: Path, filled_template, command: str, overwrite: bool
) -> None:
    sources = []
    for index, folder in enumerate(("kec-a", "kec-b")):
        (tmp_path / folder).mkdir()
        made = filled_template(
            cells={**CELLS, "instansi": f"Kecamatan {folder}"},
            tables={"anggaran": ROWS},
            name=f"f{index}.xlsx",
        )
        sources.append(shutil.move(made, tmp_path / folder / "isian.xlsx"))
    out = tmp_path / "hasil"
    flag = ["--overwrite"] if overwrite else []
    if command == "check":
        result = run("check", *sources, "--results", out, "--jobs", "1", *flag)
    else:
        result = run("results", *sources, "--outdir", out, *flag)
    assert result.code == 0, result.text
    written = sorted(p.name for p in out.iterdir())
    assert written == ["isian-2-hasil.xlsx", "isian-hasil.xlsx"]
    import openpyxl

    instansi = set()
    for name in written:
        workbook = openpyxl.load_workbook(out / name, read_only=True)
        instansi.add(workbook.properties.title)
        workbook.close()
    assert len(instansi) == 2  # two different submissions, neither replaced the other


# ---------------------------------------------------------------------------
# 4. Our own results and rekap workbooks are recognised
# ---------------------------------------------------------------------------


def test_check_twice_into_its_own_folder_skips_its_results(tmp_path: Path, submission) -> None:
    folder = tmp_path / "kiriman"
    folder.mkdir()
    shutil.move(submission("ngoro.xlsx"), folder / "ngoro.xlsx")
    first = run("check", folder, "--results", folder)
    assert first.code == 0, first.text
    assert own_output(folder / "ngoro-hasil.xlsx") == "results"
    assert own_output(folder / "ngoro.xlsx") is None
    second = run("check", folder, "--results", folder, "--overwrite")
    assert second.code == 0, second.text
    assert second.err.count("berkas hasil/rekap/laporan buatan sakip-xlsx") == 1
    assert "ngoro-hasil.xlsx" in second.err
    assert sorted(p.name for p in folder.iterdir()) == ["ngoro-hasil.xlsx", "ngoro.xlsx"]
    assert "1 berkas diperiksa" in second.out


def test_check_on_our_own_workbooks_says_what_they_are(tmp_path: Path, submission) -> None:
    source = submission()
    run("results", source, "-o", tmp_path / "h.xlsx")
    run("rekap", source, "-o", tmp_path / "r.xlsx")
    assert own_output(tmp_path / "r.xlsx") == "rekap"
    for name, words in (("h.xlsx", "buku kerja hasil pemeriksaan"), ("r.xlsx", "buku kerja rekap")):
        result = run("check", tmp_path / name)
        assert result.code == 2
        assert words in result.out and "Minta template baru" not in result.out


def test_rekap_over_its_own_previous_output_with_overwrite(tmp_path: Path, submission) -> None:
    folder = tmp_path / "kiriman"
    folder.mkdir()
    shutil.move(submission("ngoro.xlsx"), folder / "ngoro.xlsx")
    assert run("rekap", folder, "-o", folder / "rekap.xlsx").code == 0
    again = run("rekap", folder, "-o", folder / "rekap.xlsx", "--overwrite")
    assert again.code == 0, again.text
    assert "rekap.xlsx" in again.err and "tidak ikut dibaca" in again.err


# ---------------------------------------------------------------------------
# 5. Every file of a scanned folder is accounted for; a missing folder is said
# ---------------------------------------------------------------------------


def test_every_file_in_a_folder_is_accounted_for(tmp_path: Path, submission) -> None:
    folder = tmp_path / "kiriman"
    folder.mkdir()
    shutil.move(submission("ngoro.xlsx"), folder / "ngoro.xlsx")
    (folder / "lama.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    (folder / "laporan.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "surat.docx").write_bytes(
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    )
    (folder / "isian.ods").write_bytes(_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}))
    (folder / "sub").mkdir()
    (folder / "skrip.py").write_text("print(1)")  # no submission at all: named in a note, left out
    result = run("check", folder, "--format", "json", "--jobs", "1")
    assert result.code == 2
    assert "skrip.py" in result.err and "bukan buku kerja" in result.err
    files = {Path(entry["file"]).name: entry for entry in json.loads(result.out)["files"]}
    assert set(files) == {"ngoro.xlsx", "lama.xls", "laporan.pdf", "surat.docx", "isian.ods"}
    for name in ("lama.xls", "laporan.pdf", "surat.docx", "isian.ods"):
        assert files[name]["unreadable"] and ".xlsx" in files[name]["unreadable"]
    assert "simpan ulang sebagai Buku Kerja Excel (.xlsx)" in files["lama.xls"]["unreadable"]
    rekap = run("rekap", folder, "-o", tmp_path / "r.xlsx", "--format", "json", "--jobs", "1")
    assert rekap.code == 0, rekap.text
    report = json.loads(rekap.out)
    assert report["files"]["unreadable"] == 4 and report["files"]["read"] == 1


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("command", ["check", "rekap", "results"])
def test_missing_folder_is_its_own_message(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "kiriman"
    extra = {"rekap": ["-o", tmp_path / "r.xlsx"], "results": ["--outdir", tmp_path / "h"], "check": []}[
        command
    ]
    result = run(command, missing, *extra)
    assert result.code == 2
    assert "folder" in result.err and "tidak ditemukan" in result.err
    assert "berkas diperiksa" not in result.out


# ---------------------------------------------------------------------------
# 6. Temporary files and permissions
# ---------------------------------------------------------------------------


def test_long_input_name_gets_its_results(tmp_path: Path, submission) -> None:
    source = submission("n" * 240 + ".xlsx")
    out = tmp_path / "hasil"
    result = run("check", source, "--results", out)
    assert result.code == 0, result.text
    (written,) = out.iterdir()
    assert written.name.startswith("n" * 200) and written.name.endswith("-hasil.xlsx")
    assert len(written.name.encode()) <= 255
    # a name too long to keep whole is shortened, never failed
    longer = submission("m" * 250 + ".xlsx")
    result = run("check", longer, "--results", out)
    assert result.code == 0, result.text
    assert len(list(out.iterdir())) == 2


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_outputs_follow_the_umask(tmp_path: Path, submission, mask: int) -> None:
    source = submission()
    old = os.umask(mask)
    try:
        run("template", "-o", tmp_path / "t.xlsx")
        run("results", source, "-o", tmp_path / "h.xlsx")
        run("rekap", source, "-o", tmp_path / "r.xlsx")
    finally:
        os.umask(old)
    for name in ("t.xlsx", "h.xlsx", "r.xlsx"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~mask


_SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sakip_xlsx import cli
    from sakip_xlsx.output import write_atomically

    def slow(path):
        path.write_bytes(b"sebagian")
        print("menulis", flush=True)
        time.sleep(60)

    cli._stop_on_sigterm()
    try:
        write_atomically(Path(sys.argv[1]), slow)
    except KeyboardInterrupt:
        sys.exit(130)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_a_run_stopped_mid_write_leaves_no_output(tmp_path: Path, submission, signum: int) -> None:
    out = tmp_path / "keluar"
    out.mkdir()
    target = out / "hasil.xlsx"
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "menulis"
    process.send_signal(signum)
    process.wait(timeout=30)
    assert not target.exists()
    left = [p.name for p in out.iterdir()]
    if signum == signal.SIGKILL:  # nothing can clean up after SIGKILL: what is left is short, hidden, ours
        assert len(left) == 1 and is_temporary(left[0]) and len(left[0]) < 30
        # ... and a folder scan does not mistake it for a submission
        shutil.move(submission("ngoro.xlsx"), out / "ngoro.xlsx")
        result = run("check", out, "--format", "json")
        assert [Path(entry["file"]).name for entry in json.loads(result.out)["files"]] == ["ngoro.xlsx"]
        assert left[0] in result.err and "dilewati" in result.err
    else:
        assert left == []
