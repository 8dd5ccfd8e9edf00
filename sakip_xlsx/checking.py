"""Check one or many submitted workbooks: read, recompute, run the checks, optionally write results."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, count_by_severity
from .model import Submission
from .rules import Rules
from .safety import UnreadableWorkbook


@dataclass
class Outcome:
    """What checking one file gave: its findings, or why it could not be read."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    unreadable: str | None = None
    results_path: Path | None = None
    submission: Submission | None = None

    @property
    def summary(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def ok(self, strict: bool = False) -> bool:
        if self.unreadable:
            return False
        summary = self.summary
        return summary["error"] == 0 and (not strict or summary["warning"] == 0)


def check_file(
    path: Path,
    rules: Rules | None = None,
    results_dir: Path | None = None,
    results_file: Path | None = None,
    overwrite: bool = False,
) -> Outcome:
    """Read, recompute and check one workbook; write its results workbook when asked."""
    from .checks import run_checks
    from .compute import compute
    from .reader import read_workbook

    try:
        submission = read_workbook(path, rules=rules)
    except UnreadableWorkbook as exc:
        return Outcome(Path(path), unreadable=str(exc))
    computation = compute(submission)
    findings = submission.findings + run_checks(submission, computation)
    outcome = Outcome(Path(path), findings, submission=submission)
    target = results_file or (results_dir / f"{Path(path).stem}-hasil.xlsx" if results_dir else None)
    if target is not None:
        from .results import write_results

        outcome.results_path = write_results(submission, computation, findings, target, overwrite=overwrite)
    return outcome


def check_files(
    paths: Iterable[Path],
    rules: Rules | None = None,
    results_dir: Path | None = None,
    results_file: Path | None = None,
    overwrite: bool = False,
    progress: bool = False,
) -> list[Outcome]:
    """Check every file in turn (one unreadable file never stops the others)."""
    paths = list(paths)
    outcomes = []
    for index, path in enumerate(paths, 1):
        if progress:
            print(f"\r[{index}/{len(paths)}] memeriksa {Path(path).name[:50]:<50}", end="", file=sys.stderr, flush=True)
        outcomes.append(check_file(path, rules, results_dir, results_file, overwrite))
    if progress:
        print(file=sys.stderr)
    return outcomes
