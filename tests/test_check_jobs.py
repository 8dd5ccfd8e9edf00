"""``check --jobs``: files checked in worker processes give the same report, in input order."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sakip_xlsx.cli import main
from sakip_xlsx.pipeline import check_file, check_files

ROWS = [
    {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program Penunjang", "pagu": 9_000_000},
    {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "Perencanaan"},
    {
        "kode": "7.01.01.2.01.0001",
        "tingkat": "Sub Kegiatan",
        "uraian": "Penyusunan Dokumen",
        "pagu": 1_500_000,
        "realisasi": 1_250_000,
        "persen_dilaporkan": "83,33 %",
    },
]


@pytest.fixture
def folder(tmp_path: Path, filled_template) -> Path:
    """Five submissions (different errors) and one file that is not a workbook, in a folder."""
    kiriman = tmp_path / "kiriman"
    kiriman.mkdir()
    for index in range(5):
        rows = [dict(row) for row in ROWS]
        rows[0]["pagu"] = 1_500_000 + index * 1_000  # index 0: right; others: a sum mismatch
        path = filled_template(
            cells={"pemda": "Kabupaten Jombang", "instansi": f"Kecamatan {index}"},
            tables={"anggaran": rows},
            name=f"kec-{index}.xlsx",
        )
        shutil.move(path, kiriman / path.name)
    (kiriman / "kec-9-rusak.xlsx").write_text("kode;pagu\n1;2\n")
    return kiriman


def _report(outcomes) -> list[tuple[str, str | None, list[dict]]]:
    return [
        (outcome.path.name, outcome.unreadable, [f.to_dict() for f in outcome.findings])
        for outcome in outcomes
    ]


def test_workers_give_the_same_outcomes_in_input_order(folder: Path) -> None:
    paths = sorted(folder.iterdir())
    alone = check_files(paths, jobs=1)
    together = check_files(paths, jobs=2)
    assert _report(together) == _report(alone)
    assert [outcome.path for outcome in together] == paths
    # never kept for a whole folder
    assert all(outcome.submission is None and outcome.computation is None for outcome in together + alone)
    assert any(outcome.findings for outcome in alone) and any(outcome.unreadable for outcome in alone)


def test_outcome_without_submission_pickles(folder: Path) -> None:
    outcome = check_file(sorted(folder.iterdir())[1])
    assert outcome.submission is not None and outcome.computation is not None
    outcome.submission = outcome.computation = None  # the heavy parts a worker never sends back
    copy = pickle.loads(pickle.dumps(outcome))
    assert _report([copy]) == _report([outcome])


def test_progress_line_on_stderr(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(folder.iterdir())
    check_files(paths, jobs=2, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"[{len(paths)}/{len(paths)}] memeriksa" in captured.err


def test_cli_jobs_default_equals_one_process(folder: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(main, ["check", str(folder), "--format", "json", "--jobs", "1"])
    default = runner.invoke(main, ["check", str(folder), "--format", "json"])
    two = runner.invoke(main, ["check", str(folder), "--format", "json", "-j", "2"])
    assert one.exit_code == default.exit_code == two.exit_code == 2  # one file is unreadable
    assert json.loads(default.stdout) == json.loads(one.stdout) == json.loads(two.stdout)


def test_cli_jobs_must_be_positive(folder: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(folder), "--jobs", "0"])
    assert result.exit_code == 2
    assert "--jobs" in result.output


@pytest.mark.parametrize("death", ["sigkill", "abort", "memory", "exit"])
def test_a_dying_worker_costs_only_its_own_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch, death: str
) -> None:
    """A file that kills its worker (the system's out-of-memory killer, a crash inside a parser)
    gets a "could not be checked" outcome; every other file keeps its own result."""
    import os
    import signal

    from sakip_xlsx import pipeline

    paths = sorted(folder.iterdir())
    poisoned = paths[2]
    alone = _report(check_files(paths, jobs=1))
    real = pipeline.check_file

    def poisoned_check(path, *args, **kwargs):
        if Path(path) == poisoned:
            if death == "sigkill":
                os.kill(os.getpid(), signal.SIGKILL)
            elif death == "abort":
                import faulthandler

                faulthandler.disable()  # pytest's handler would print a stack for the expected abort
                os.abort()
            elif death == "memory":
                raise MemoryError
            else:
                os._exit(3)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_file", poisoned_check)  # the workers fork with it
    outcomes = check_files(paths, jobs=2)
    assert [outcome.path for outcome in outcomes] == paths
    report = _report(outcomes)
    for index, (expected, got) in enumerate(zip(alone, report, strict=True)):
        if paths[index] == poisoned:
            assert "tidak dapat diperiksa" in got[1] and got[2] == []
        else:
            assert got == expected
    assert any(outcome.findings for outcome in outcomes)


def test_a_dying_worker_in_rekap_costs_only_its_own_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal

    from sakip_xlsx.rekap import collect_summaries
    from sakip_xlsx.rekap import summary as rekap_summary

    paths = sorted(folder.iterdir())
    poisoned = paths[1]
    real = rekap_summary._summarise

    def poisoned_summary(path, rules):
        if Path(path) == poisoned:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, rules)

    monkeypatch.setattr(rekap_summary, "_summarise", poisoned_summary)
    summaries = collect_summaries(paths, jobs=2)
    assert [summary["file"] for summary in summaries] == [path.name for path in paths]
    assert "tidak dapat diperiksa" in summaries[1]["unreadable"] and "SIGKILL" in summaries[1]["unreadable"]
    readable = [summary for summary in summaries if not summary["unreadable"]]
    assert len(readable) == 4  # five workbooks, one poisoned; the text file is unreadable on its own


def test_cli_exit_code_2_for_a_file_that_killed_its_worker(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal

    from sakip_xlsx import pipeline

    (folder / "kec-9-rusak.xlsx").unlink()
    paths = sorted(folder.iterdir())
    real = pipeline.check_file

    def poisoned_check(path, *args, **kwargs):
        if Path(path) == paths[0]:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_file", poisoned_check)
    result = CliRunner().invoke(main, ["check", str(folder), "--jobs", "2", "--format", "json"])
    assert result.exit_code == 2
    files = json.loads(result.stdout)["files"]
    assert len(files) == 5 and "tidak dapat diperiksa" in files[0]["unreadable"]
    assert [("unreadable" in entry, entry["summary"]["error"] > 0) for entry in files[1:]] == [
        (False, True)
    ] * 4
