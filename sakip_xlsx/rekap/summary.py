"""Stage 1 of the rekap: one submission -> a plain summary dict (picklable, JSON friendly).

:func:`summarise_file` checks one workbook through :func:`sakip_xlsx.pipeline.check_file`
and keeps its identity, finding counts, every program's pagu and realisasi, every
indicator's target and realisasi and the file's own totals.  :func:`collect_summaries`
does it for many files in the shared worker pool (:mod:`sakip_xlsx.workers`).  A file
that cannot be read never stops the run: its dict carries ``unreadable`` (an Indonesian
reason) instead of figures.

The dict travels between processes and may be written as JSON, so the file's own rules
travel as their name and TOML source; the rules given on the command line (``--rules``)
travel to the workers as a :class:`~sakip_xlsx.rules.Rules` object.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..compute import input_ref
from ..errors import show_path
from ..expr import guarded_value
from ..pipeline import check_file
from ..precision import is_number
from ..rules import Rules
from ..workers import Progress, crash_reason, job_count, run_in_processes
from .layout import plain
from .record import IndicatorFigures, ProgramFigures, Summary


def summarise_file(path: str | Path, rules: Rules | None = None) -> Summary:
    """Check one workbook and return its figures as a plain dict (safe to send between processes).

    ``rules`` override the workbook's own (``--rules``).
    Never raises for a bad file: the dict then holds ``unreadable`` (Indonesian).
    """
    path = Path(path)
    try:
        return _summarise(path, rules)
    except MemoryError as exc:
        return _not_read(path, crash_reason(error=exc))
    except Exception as exc:  # one broken file must never stop the rekap
        return _unreadable(path, f"Galat saat membaca berkas ({type(exc).__name__}).")


def collect_summaries(
    paths: Sequence[str | Path],
    jobs: int | None = None,
    progress: bool = False,
    rules: Rules | None = None,
) -> list[Summary]:
    """:func:`summarise_file` for every path, in input order.

    ``jobs``: worker processes (default: every core); with 1 (or one file) all
    runs in this process.  A file whose worker dies gets an unreadable summary
    (it could not be checked); the others keep theirs.  ``progress``: a progress
    line on stderr.  ``rules`` override each file's own rules.
    """
    paths = [Path(p) for p in paths]
    workers = job_count(jobs, len(paths))
    bar = Progress(len(paths), "membaca", progress)
    if workers > 1:
        from .. import checks, compute, pipeline, reader  # noqa: F401  imported once, before the workers fork

        work = functools.partial(summarise_file, rules=rules)
        return run_in_processes(work, paths, workers, _not_read, bar)
    results = []
    try:
        for index, path in enumerate(paths, 1):
            results.append(summarise_file(path, rules))
            bar.step(index, path)
    finally:
        bar.close()
    return results


def default_jobs() -> int:
    """Number of cores this process may use."""
    return job_count(None, sys.maxsize)


def iter_unreadable(summaries: Iterable[Summary]) -> Iterable[tuple[str, str]]:
    """(file, reason) of every summary that could not be read."""
    for s in summaries:
        if s.get("unreadable"):
            yield s["path"], s["unreadable"]


def saved_time(path: Path) -> str | None:
    """When the workbook was last saved, as ``YYYY-MM-DD HH:MM:SS`` (UTC): the time Excel,
    LibreOffice or WPS writes into the file (docProps/core.xml), else the file's own time."""
    import datetime as dt
    import zipfile
    from xml.etree import ElementTree

    try:  # the file already passed the safety gate: its XML has no DOCTYPE/ENTITY
        with zipfile.ZipFile(path) as archive:
            core = ElementTree.fromstring(archive.read("docProps/core.xml"))
        text = next(
            (element.text for element in core if element.tag == "{http://purl.org/dc/terms/}modified"), None
        )
        moment = dt.datetime.fromisoformat(text.strip()) if text else None
    except (KeyError, OSError, ValueError, ElementTree.ParseError, zipfile.BadZipFile):
        moment = None
    if moment is None:
        try:
            moment = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        except OSError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _number(value: Any) -> int | float | None:
    return value if is_number(value) else None


def _summarise(path: Path, rules: Rules | None) -> Summary:
    outcome = check_file(path, rules)
    if outcome.unreadable or outcome.submission is None or outcome.computation is None:
        return _unreadable(path, outcome.unreadable or "Berkas tidak dapat dibaca.")
    sub = outcome.submission
    computation = outcome.computation

    programs: list[ProgramFigures] = []
    for line in sub.programs:
        result = computation.budget.get(line.record.row)
        programs.append(
            {
                "kode": line.record.key,
                "uraian": plain(line.record.get("uraian")),
                "pagu": _number(result.pagu_ref.value()) if result and result.pagu_ref else None,
                "realisasi": _number(result.realisasi_ref.value())
                if result and result.realisasi_ref
                else None,
            }
        )

    indicators: list[IndicatorFigures] = []
    for result in computation.indikator.values():  # ordered as the file's Tabel 3.1
        record = result.record
        target, realisasi = input_ref(record, "target"), input_ref(record, "realisasi")
        upper = result.target_atas  # the bound compute() used: typed, else the upper end of a range
        indicators.append(
            {
                "kode": record.key,
                "uraian": plain(record.get("uraian")),
                "jenis": result.jenis,
                "satuan": plain(record.get("satuan")),
                "polaritas": plain(record.get("polaritas")),
                "target": plain(target.cached) if target is not None else None,
                "target_atas": plain(upper.value()) if upper is not None else None,
                "realisasi": plain(realisasi.cached) if realisasi is not None else None,
                "capaian": _number(guarded_value(result.capaian)) if result.capaian is not None else None,
            }
        )

    totals = {name: plain(guarded_value(expr)) for name, expr in computation.totals.items()}
    tahun = sub.cell_value("tahun")
    return {
        "saved": saved_time(path),
        "file": show_path(path.name),
        "path": show_path(path),
        "unreadable": None,
        "instansi": sub.instansi,
        "pemda": plain(sub.cell_value("pemda")),
        "tahun": int(tahun) if is_number(tahun) and float(tahun).is_integer() else plain(tahun),
        "template_version": sub.template_version,
        "rules": {"name": sub.rules.name, "source": sub.rules.source},
        "findings": dict(outcome.summary),
        "has_macros": sub.has_macros,
        "programs": programs,
        "indicators": indicators,
        "totals": totals,
    }


def _unreadable(path: Path, reason: str) -> Summary:
    return {"file": show_path(path.name), "path": show_path(path), "unreadable": reason}


def _not_read(path: Path, reason: str) -> Summary:
    """The summary of a file whose reading died (its worker was killed, memory ran out)."""
    return _unreadable(
        path,
        f"Berkas ini tidak dapat diperiksa: {reason}. Coba periksa berkas ini sendiri (sakip-xlsx check BERKAS); "
        "bila tetap gagal, buka di Excel, hapus isi sel di luar tabel, simpan ulang sebagai .xlsx, lalu kirim lagi.",
    )
