"""Check one or many submitted workbooks: read, recompute, run the checks, optionally write results.

Many files may be checked in parallel worker processes (``jobs``); each
worker sends back only the picklable part of an :class:`Outcome` (findings,
the reason a file is unreadable, the results path), never the heavy
:class:`~sakip_xlsx.model.Submission`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Finding, count_by_severity
from .model import Submission
from .rules import Rules
from .safety import UnreadableWorkbook

if TYPE_CHECKING:
    from .compute import Computation


@dataclass
class Outcome:
    """What checking one file gave: its findings, or why it could not be read."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    unreadable: str | None = None
    results_path: Path | None = None
    #: why the results workbook was not written (e.g. it exists and --overwrite was not given)
    results_error: str | None = None
    #: the Word report (Bab III) written, or why it was not
    laporan_path: Path | None = None
    laporan_error: str | None = None
    submission: Submission | None = None
    #: the recomputed tables and figures (with ``submission``; dropped with it)
    computation: Computation | None = None

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
    laporan_dir: Path | None = None,
) -> Outcome:
    """Read, recompute and check one workbook; write its results workbook and Word report when asked."""
    from .checks import run_checks
    from .compute import compute
    from .reader import read_workbook

    with _no_cyclic_gc():
        try:
            submission = read_workbook(path, rules=rules)
        except UnreadableWorkbook as exc:
            return Outcome(Path(path), unreadable=str(exc))
        computation = compute(submission)
        findings = submission.findings + run_checks(submission, computation)
        outcome = Outcome(Path(path), findings, submission=submission, computation=computation)
        target = results_file or (results_dir / f"{Path(path).stem}-hasil.xlsx" if results_dir else None)
        if target is not None:
            from .output import OutputExists, OutputNotWritable
            from .results import write_results

            try:
                outcome.results_path = write_results(
                    submission, computation, findings, target, overwrite=overwrite
                )
            except (OutputExists, OutputNotWritable) as exc:  # the check itself stands; say why no results
                outcome.results_error = str(exc)
        if laporan_dir is not None:
            from .laporan import laporan_name, write_laporan
            from .output import OutputExists, OutputNotWritable

            try:
                outcome.laporan_path = write_laporan(
                    submission,
                    computation,
                    findings,
                    Path(laporan_dir) / laporan_name(path),
                    overwrite=overwrite,
                )
            except (OutputExists, OutputNotWritable) as exc:  # the check stands; say why no report
                outcome.laporan_error = str(exc)
        return outcome


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while one workbook is checked.

    Reading a large workbook allocates millions of small objects that all stay
    alive until the check ends; every full collection walks all of them, which
    made checking a 50,000-line workbook about twice as slow.  Reference
    counting still frees everything as usual; cycles wait for the next
    collection after the check.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_files(
    paths: Iterable[Path],
    rules: Rules | None = None,
    results_dir: Path | None = None,
    results_file: Path | None = None,
    overwrite: bool = False,
    progress: bool = False,
    jobs: int | None = 1,
    process_ends: bool = False,
    laporan_dir: Path | None = None,
) -> list[Outcome]:
    """Check every file (one unreadable file never stops the others); outcomes in input order.

    ``jobs``: how many worker processes check files at the same time (1, or a
    single file: all in this process; None: one per usable CPU core).  The
    outcomes carry no ``submission`` (use :func:`check_file` for that): a folder
    of large workbooks would otherwise be held in memory all at once.

    ``process_ends``: the caller exits right after (the command line).  The last
    file's objects are then left to the end of the process instead of being
    walked by the cyclic collector (about 1.5 s for a 50,000-line workbook).
    """
    paths = list(paths)
    workers = min(_jobs(jobs), len(paths))
    if workers > 1:
        return _check_in_workers(
            paths, workers, rules, results_dir, results_file, overwrite, progress, laporan_dir
        )
    outcomes = []
    with _no_cyclic_gc():
        for index, path in enumerate(paths, 1):
            if progress:
                _progress(index, len(paths), path)
            last = index == len(paths)
            outcomes.append(
                _check_light(
                    path,
                    rules,
                    results_dir,
                    results_file,
                    overwrite,
                    free=not last,
                    keep=last and process_ends,
                    laporan_dir=laporan_dir,
                )
            )
    if progress:
        print(file=sys.stderr)
    return outcomes


def _jobs(jobs: int | None) -> int:
    """Worker processes for ``jobs`` (None: one per usable CPU core)."""
    if jobs is not None:
        return max(1, jobs)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on every platform
        return max(1, os.cpu_count() or 1)


def _progress(index: int, total: int, path: Path) -> None:
    print(f"\r[{index}/{total}] memeriksa {Path(path).name[:50]:<50}", end="", file=sys.stderr, flush=True)


def _check_light(
    path: Path,
    rules: Rules | None,
    results_dir: Path | None,
    results_file: Path | None,
    overwrite: bool,
    free: bool = True,
    keep: bool = False,
    laporan_dir: Path | None = None,
) -> Outcome:
    """check_file without the submission in the outcome (heavy, not needed once the findings are known).

    The submission holds reference cycles, so only the cyclic collector frees
    it.  It is dropped *before* the collector runs again, so that the collector
    walks its millions of objects once, to free them, rather than first to find
    them all still alive: ``free`` collects it at once (before the next file);
    otherwise the collection that follows re-enabling the collector does.
    ``keep`` (the process ends next) instead moves every object alive now out of
    the collector's sight (``gc.freeze``): nothing is walked or freed before exit.
    """
    with _no_cyclic_gc():
        outcome = replace(
            check_file(path, rules, results_dir, results_file, overwrite, laporan_dir),
            submission=None,
            computation=None,
        )
        if free:
            # the file's objects were all made while the collector was paused, so they are all
            # in the youngest generation: collecting that one alone frees them without walking
            # everything else the process holds (0.8 ms instead of 4 ms for a small file)
            gc.collect(0)
        elif keep:
            gc.freeze()
    return outcome


def _check_in_workers(
    paths: list[Path],
    workers: int,
    rules: Rules | None,
    results_dir: Path | None,
    results_file: Path | None,
    overwrite: bool,
    progress: bool,
    laporan_dir: Path | None = None,
) -> list[Outcome]:
    """check_file over ``paths`` in ``workers`` processes; outcomes in input order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    from . import checks, compute, reader  # noqa: F401  imported once here, before the workers fork

    if results_dir is not None or results_file is not None:
        from . import results  # noqa: F401
    if laporan_dir is not None:
        from . import laporan  # noqa: F401

    # fork (where it exists) starts workers with every module already imported.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    work = partial(
        _check_light,
        rules=rules,
        results_dir=results_dir,
        results_file=results_file,
        overwrite=overwrite,
        laporan_dir=laporan_dir,
    )
    # Small chunks keep every worker busy to the end; map still yields in input order.
    chunk = max(1, min(8, len(paths) // (workers * 8)))
    outcomes = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        for index, outcome in enumerate(pool.map(work, paths, chunksize=chunk), 1):
            if progress:
                _progress(index, len(paths), outcome.path)
            outcomes.append(outcome)
    except BaseException:  # Ctrl-C or a broken worker: do not start the files still queued
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    if progress:
        print(file=sys.stderr)
    return outcomes
