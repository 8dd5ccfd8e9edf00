"""The pipeline for one or many submitted workbooks: read -> compute -> check -> (results, laporan).

Many files may be checked in parallel worker processes (``jobs``); each
worker sends back only the picklable part of an :class:`Outcome` (findings,
the reason a file is unreadable, the results path), never the heavy
:class:`~sakip_xlsx.model.Submission`.
"""

from __future__ import annotations

import gc
import operator
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import show_path
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
    inputs: tuple[Path, ...] = (),
    laporan_file: Path | None = None,
) -> Outcome:
    """Read, recompute and check one workbook; write its results workbook and Word report when asked.

    ``results_file`` (else ``results_dir``/<name>-hasil.xlsx) and ``laporan_file`` are never one
    of ``inputs`` nor ``path`` itself; when one is not written, ``results_error`` /
    ``laporan_error`` says why.
    """
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
        target = results_file or (results_dir / results_name(Path(path)) if results_dir else None)
        if target is not None:
            from .output import OutputError
            from .results import write_results

            try:
                outcome.results_path = write_results(
                    submission, computation, findings, target, overwrite=overwrite, inputs=inputs
                )
            except OutputError as exc:  # the check itself stands; say why no results
                outcome.results_error = str(exc)
        if laporan_file is not None:
            from .laporan import write_laporan
            from .output import OutputError

            try:
                outcome.laporan_path = write_laporan(
                    submission, computation, findings, laporan_file, overwrite=overwrite, inputs=inputs
                )
            except OutputError as exc:  # the check stands; say why no report
                outcome.laporan_error = str(exc)
        return outcome


#: a file name's longest length in bytes on common file systems, less a margin
_MAX_NAME_BYTES = 250


def results_name(path: Path, number: int = 1) -> str:
    """The results workbook's file name for ``path``: ``<name>-hasil.xlsx`` (``<name>-2-hasil.xlsx``, ...
    for the ``number``-th input of that name), the name shortened to fit the file system."""
    ending = ("" if number == 1 else f"-{number}") + "-hasil.xlsx"
    stem = Path(path).stem
    room = _MAX_NAME_BYTES - len(ending.encode())
    return _cut(stem, room) + ending


def _cut(stem: str, room: int) -> str:
    """``stem`` cut to at most ``room`` bytes (as the file system stores it), never inside a character."""
    while len(stem.encode("utf-8", "surrogateescape")) > room:
        stem = stem[:-1]
    return stem


def laporan_name(path: Path, number: int = 1) -> str:
    """The Word report's file name for ``path``: ``<name>-laporan.docx`` (``-2``, ... as for results)."""
    return results_name(path, number).removesuffix("-hasil.xlsx") + "-laporan.docx"


def results_targets(paths: Iterable[Path], results_dir: Path, name=results_name) -> list[Path]:
    """Each input's results workbook in ``results_dir``: one name per input, even for inputs of the
    same name from different folders (the second gets ``-2``, ...).  ``name``: :func:`laporan_name`
    for the Word reports."""
    taken: set[str] = set()
    targets = []
    for path in paths:
        number = 1
        name_ = name(path)
        while name_.casefold() in taken:
            number += 1
            name_ = name(path, number)
        taken.add(name_.casefold())
        targets.append(results_dir / name_)
    return targets


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
    single file: all in this process; None: one per usable CPU core).  A file
    whose worker dies (out of memory, a crash in a parser) gets an outcome saying
    it could not be checked; the others keep theirs.  The outcomes carry no
    ``submission`` (use :func:`check_file` for that): a folder of large workbooks
    would otherwise be held in memory all at once.

    Results workbooks (``results_dir``, or ``results_file`` for a single file) and
    Word reports (``laporan_dir``) are never written onto any of ``paths``; inputs of
    the same name from different folders get different names.

    ``process_ends``: the caller exits right after (the command line).  The last
    file's objects are then left to the end of the process instead of being
    walked by the cyclic collector (about 1.5 s for a 50,000-line workbook).
    """
    from .workers import Progress, job_count, run_in_processes

    paths = list(paths)
    inputs = tuple(paths)
    if results_dir is not None:
        targets: list[Path | None] = list(results_targets(paths, results_dir))
    else:
        targets = [results_file] * len(paths)
    if laporan_dir is not None:
        reports: list[Path | None] = list(results_targets(paths, laporan_dir, laporan_name))
    else:
        reports = [None] * len(paths)
    tasks = list(zip(paths, targets, reports, strict=True))
    workers = job_count(jobs, len(paths))
    bar = Progress(len(paths), "memeriksa", progress)
    if workers > 1:
        from . import checks, compute, reader  # noqa: F401  imported once here, before the workers fork

        if results_dir is not None or results_file is not None:
            from . import results  # noqa: F401
        if laporan_dir is not None:
            from . import laporan  # noqa: F401
        work = partial(_check_task, rules=rules, overwrite=overwrite, inputs=inputs)
        return run_in_processes(work, tasks, workers, _not_checked, bar, name=operator.itemgetter(0))
    outcomes = []
    try:
        with _no_cyclic_gc():
            for index, (path, target, report) in enumerate(tasks, 1):
                last = index == len(paths)
                try:
                    outcome = _check_light(
                        path,
                        rules,
                        None,
                        target,
                        overwrite,
                        free=not last,
                        keep=last and process_ends,
                        inputs=inputs,
                        laporan_file=report,
                    )
                except (MemoryError, RecursionError) as exc:
                    from .workers import crash_reason

                    outcome = _not_checked((path, target, report), crash_reason(error=exc))
                outcomes.append(outcome)
                bar.step(index, path)
    finally:
        bar.close()
    return outcomes


def _check_task(
    task: tuple[Path, Path | None, Path | None],
    rules: Rules | None,
    overwrite: bool,
    inputs: tuple[Path, ...],
) -> Outcome:
    """One file of a batch in a worker: (path, its results target or None, its report target or None)."""
    path, target, report = task
    return _check_light(path, rules, None, target, overwrite, inputs=inputs, laporan_file=report)


def _not_checked(task: tuple[Path, Path | None, Path | None], reason: str) -> Outcome:
    """The outcome of a file whose check died (its worker was killed, memory ran out)."""
    path = Path(task[0])
    return Outcome(
        path,
        unreadable=f"{show_path(path.name)}: berkas ini tidak dapat diperiksa: {reason}. Berkas lain tetap "
        "diperiksa. Coba periksa berkas ini sendiri (sakip-xlsx check BERKAS --jobs 1); bila tetap gagal, "
        "buka di Excel, hapus isi sel di luar tabel, simpan ulang sebagai .xlsx, lalu kirim lagi.",
    )


def _check_light(
    path: Path,
    rules: Rules | None,
    results_dir: Path | None,
    results_file: Path | None,
    overwrite: bool,
    free: bool = True,
    keep: bool = False,
    inputs: tuple[Path, ...] = (),
    laporan_file: Path | None = None,
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
            check_file(path, rules, results_dir, results_file, overwrite, inputs, laporan_file),
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
