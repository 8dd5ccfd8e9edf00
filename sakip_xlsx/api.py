"""The Python API: one function per ``sakip-xlsx`` command, with the command's option names.

Each command of the command line parses its options, calls the function of the same name
here with the same keyword names, and prints what it returns::

    sakip-xlsx check kiriman/ --results hasil/ --jobs 2
    sakip_xlsx.api.check(["kiriman/"], results="hasil/", jobs=2)

    sakip-xlsx rekap kiriman/ -o rekap.xlsx --rules jombang
    sakip_xlsx.api.rekap(["kiriman/"], output="rekap.xlsx", rules="jombang")

Only the options that choose how the command line *prints* a result have no keyword
(``--format``, ``--rinci``): the returned object holds everything they print
(``CheckRun.json_report()`` / ``.text_report()``, ``RekapRun.report``, ``ImporRun.result``).
``rules`` takes a preset name, a TOML path or a :class:`~sakip_xlsx.rules.Rules` object.
A few keywords have no option because the command line decides them: ``progress`` (a
progress bar on stderr), ``notes`` (called with each note as soon as it is known; the
command line prints them on stderr) and ``process_ends`` (the process ends after the call).

Errors meant for the user are :class:`~sakip_xlsx.errors.SakipError` with an Indonesian
message (the command line prints it and exits with code 2); options that do not fit
together raise :class:`UsageError`.  The exit code the command line would give is the
``exit_code`` of each result.  Heavy modules are imported inside the functions, so
importing this module stays as light as ``sakip-xlsx --help``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SakipError, show_path

if TYPE_CHECKING:
    from .impor.place import ImportResult
    from .pipeline import Outcome
    from .rules import Rules

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "CheckRun",
    "ImporRun",
    "Inputs",
    "LaporanRun",
    "RekapRun",
    "ResultsRun",
    "TemplateRun",
    "UsageError",
    "check",
    "collect_inputs",
    "impor",
    "laporan",
    "rekap",
    "results",
    "schema",
    "template",
]

#: the exit codes of the command line (SPEC 8): no error, an error finding, something not read or written
EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2

Notes = Callable[[str], None] | None


class UsageError(SakipError):
    """Options that do not fit together (the command line says it as a usage error)."""


# ---------------------------------------------------------------------------
# Inputs: files given, and every file of given folders
# ---------------------------------------------------------------------------


@dataclass
class Inputs:
    """The files to read, whether a named folder was missing, and the notes said about them."""

    files: list[Path] = field(default_factory=list)
    #: a path that looks like a folder does not exist (the command gives exit code 2)
    missing: bool = False
    notes: list[str] = field(default_factory=list)


#: what a kecamatan may send instead of its workbook (each is read, or listed as unreadable with its
#: remedy); any other file in a folder (a script, a picture) is named in a note and left out
_SUBMISSION_SUFFIXES = frozenset(
    ".xlsx .xlsm .xltx .xltm .xlsb .xls .xlt .ods .fods .et .ett .numbers .csv .tsv .txt .pdf .doc .docx .odt "
    ".rtf .htm .html .xml .mht .mhtml .zip .rar .7z".split()
    + [""]
)


def collect_inputs(paths: Iterable[str | Path], notes: Notes = None) -> Inputs:
    """Files given directly, plus every file inside given folders (sorted).

    Every file of a folder is accounted for: workbooks are read, any other file a
    kecamatan may send (.xls, .pdf, .ods, .docx, .csv ...) is listed as unreadable
    with its remedy by the safety gate.  Left out, each said once in a note: our own
    results and rekap workbooks, Excel's lock files (``~$...``), hidden files (among
    them our own temporary files, left behind only by a killed run), and files that
    are no workbook or report at all (a script, a picture).  A missing folder is said
    as such and sets ``missing`` (the command's exit code is then 2).
    """
    from .output import is_temporary
    from .safety import own_output

    inputs = Inputs()
    seen: set[Path] = set()

    def note(text: str) -> None:
        inputs.notes.append(text)
        if notes is not None:
            notes(text)

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path
        if key not in seen:
            seen.add(key)
            inputs.files.append(path)

    for path in map(Path, paths):
        if path.is_dir():
            entries = sorted(entry for entry in path.iterdir() if entry.is_file())
            own: list[str] = []
            skipped: list[str] = []
            other: list[str] = []
            for entry in entries:
                if entry.name.startswith(("~$", ".")) or is_temporary(entry.name):
                    skipped.append(entry.name)
                elif entry.suffix.lower() not in _SUBMISSION_SUFFIXES:
                    other.append(entry.name)
                elif own_output(entry) is not None:
                    own.append(entry.name)
                else:
                    add(entry)
            if own:
                note(
                    f"Catatan: {len(own)} berkas hasil/rekap/laporan buatan sakip-xlsx di folder {show_path(path)} "
                    f"tidak ikut dibaca: {_names(own)}."
                )
            if skipped:
                note(
                    f"Catatan: {len(skipped)} berkas sementara atau tersembunyi di folder {show_path(path)} "
                    f"dilewati: {_names(skipped)}."
                )
            if other:
                note(
                    f"Catatan: {len(other)} berkas lain di folder {show_path(path)} dilewati karena bukan buku "
                    f"kerja atau dokumen laporan: {_names(other)}."
                )
            if len(entries) == len(own) + len(skipped) + len(other):
                note(f"Peringatan: folder {show_path(path)} tidak berisi berkas untuk diperiksa.")
        elif not path.exists() and not path.is_symlink() and (not path.suffix or str(path).endswith(os.sep)):
            note(f"Galat: folder {show_path(path)} tidak ditemukan. Periksa nama foldernya.")
            inputs.missing = True
        else:
            add(path)
    return inputs


def _names(names: list[str], shown: int = 5) -> str:
    listed = ", ".join(show_path(name) for name in names[:shown])
    return listed + (f" dan {len(names) - shown} lainnya" if len(names) > shown else "")


def _rules(rules: str | Path | Rules | None, default_preset: bool = False) -> Rules | None:
    """A Rules object from a preset name, a TOML path or Rules; when none is given, the default
    preset (``default_preset``) or None (each file is checked by its own rules)."""
    from .rules import Rules, load_rules

    if isinstance(rules, Rules):
        return rules
    if default_preset:
        return load_rules(rules)
    return load_rules(rules) if rules else None


def _laporan_missing(outcomes: Iterable[Outcome]) -> bool:
    """True when a requested Word report was not written."""
    return any(outcome.laporan_path is None and outcome.laporan_error for outcome in outcomes)


# ---------------------------------------------------------------------------
# template, schema
# ---------------------------------------------------------------------------


@dataclass
class TemplateRun:
    """The template written and the rules it carries."""

    path: Path
    rules: Rules
    exit_code: int = EXIT_OK


def template(
    output: str | Path,
    rules: str | Path | Rules | None = None,
    pemda: str | None = None,
    instansi: str | None = None,
    tahun: int | None = None,
    overwrite: bool = False,
) -> TemplateRun:
    """Write the input template (``sakip-xlsx template``); ``rules`` default: the default preset."""
    from .template import TemplateOptions, write_template

    chosen = _rules(rules, default_preset=True)
    path = write_template(
        Path(output),
        chosen,
        TemplateOptions(pemda=pemda, instansi=instansi, tahun=tahun),
        overwrite=overwrite,
    )
    return TemplateRun(path=path, rules=chosen)


def schema() -> dict[str, Any]:
    """The template contract (sheets, cells, columns, lists) as JSON data (``sakip-xlsx schema``)."""
    from .schema import template_schema

    return template_schema()


# ---------------------------------------------------------------------------
# check, results
# ---------------------------------------------------------------------------


@dataclass
class CheckRun:
    """What ``sakip-xlsx check`` did: the outcome of every file, in input order."""

    inputs: Inputs
    outcomes: list[Outcome]
    strict: bool = False
    #: False when nothing was checked because every named folder is missing (nothing to report)
    checked: bool = True

    @property
    def laporan_missing(self) -> bool:
        return _laporan_missing(self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 no error, 1 an error finding (or a warning with ``strict``), 2 a file not read, a folder
        missing or a requested results workbook or Word report not written."""
        if self.inputs.missing or self.laporan_missing:
            return EXIT_UNREADABLE
        if not self.outcomes or any(outcome.unreadable or outcome.results_error for outcome in self.outcomes):
            return EXIT_UNREADABLE
        if any(not outcome.ok(self.strict) for outcome in self.outcomes):
            return EXIT_ERRORS
        return EXIT_OK

    def json_report(self) -> dict[str, Any]:
        """The check report of the contract (``--format json``)."""
        from .report import json_report

        return json_report(self.outcomes, strict=self.strict)

    def text_report(self) -> str:
        """The readable Indonesian report (``--format text``)."""
        from .report import text_report

        return text_report(self.outcomes, strict=self.strict)


def check(
    paths: Iterable[str | Path],
    rules: str | Path | Rules | None = None,
    strict: bool = False,
    results: str | Path | None = None,
    overwrite: bool = False,
    laporan: str | Path | None = None,
    jobs: int | None = None,
    *,
    progress: bool = False,
    notes: Notes = None,
    process_ends: bool = False,
) -> CheckRun:
    """Check filled templates (files or folders) as ``sakip-xlsx check`` does.

    ``rules`` None: each file's own rules.  ``results`` / ``laporan``: folders to write each
    file's results workbook / Word report into.  ``jobs`` None: every CPU core.
    """
    from .pipeline import check_files

    chosen = _rules(rules)
    inputs = collect_inputs(paths, notes)
    if inputs.missing and not inputs.files:
        return CheckRun(inputs, [], strict, checked=False)
    outcomes = check_files(
        inputs.files,
        rules=chosen,
        results_dir=_path(results),
        overwrite=overwrite,
        progress=progress and len(inputs.files) > 1,
        jobs=jobs,
        process_ends=process_ends,
        laporan_dir=_path(laporan),
    )
    return CheckRun(inputs, outcomes, strict)


@dataclass
class ResultsRun:
    """What ``sakip-xlsx results`` did: the outcome of every file (``results_path`` when written)."""

    inputs: Inputs
    outcomes: list[Outcome]

    @property
    def laporan_missing(self) -> bool:
        return _laporan_missing(self.outcomes)

    @property
    def exit_code(self) -> int:
        """0 every results workbook written, 2 otherwise (or a folder missing, a Word report not written)."""
        failed = (
            not self.outcomes
            or self.inputs.missing
            or self.laporan_missing
            or any(outcome.results_path is None for outcome in self.outcomes)
        )
        return EXIT_UNREADABLE if failed else EXIT_OK


def results(
    paths: Iterable[str | Path],
    output: str | Path | None = None,
    outdir: str | Path | None = None,
    rules: str | Path | Rules | None = None,
    overwrite: bool = False,
    laporan: str | Path | None = None,
    *,
    progress: bool = False,
    notes: Notes = None,
    process_ends: bool = False,
) -> ResultsRun:
    """Write results workbooks as ``sakip-xlsx results`` does: ``output`` for one input file,
    ``outdir`` for many (named ``<file>-hasil.xlsx``)."""
    from .output import check_target
    from .pipeline import check_files

    inputs = collect_inputs(paths, notes)
    files = inputs.files
    if output is not None and (outdir is not None or len(files) != 1):
        raise UsageError("-o hanya untuk satu berkas masukan; untuk banyak berkas pakai --outdir.")
    if output is None and outdir is None:
        raise UsageError("Sebutkan -o BERKAS.xlsx atau --outdir FOLDER.")
    if not files:
        return ResultsRun(inputs, [])
    if output is not None:  # refused before any work: an input, an existing file, a wrong name
        check_target(output, inputs=files, overwrite=overwrite, suffixes=(".xlsx",))
    outcomes = check_files(
        files,
        rules=_rules(rules),
        results_dir=_path(outdir),
        results_file=_path(output),
        overwrite=overwrite,
        progress=progress and len(files) > 1,
        process_ends=process_ends,
        laporan_dir=_path(laporan),
    )
    return ResultsRun(inputs, outcomes)


def _path(path: str | Path | None) -> Path | None:
    return None if path is None else Path(path)


# ---------------------------------------------------------------------------
# rekap
# ---------------------------------------------------------------------------


@dataclass
class RekapRun:
    """What ``sakip-xlsx rekap`` did: the summaries of every file and the JSON report."""

    inputs: Inputs
    summaries: list[dict[str, Any]]
    #: the JSON summary (``--format json``); None when there was no file at all
    report: dict[str, Any] | None
    #: the rekap workbook was written (False when no file could be read)
    written: bool

    @property
    def exit_code(self) -> int:
        """0 rekap written (unreadable files are listed in it), 2 not written or a folder missing."""
        return EXIT_OK if self.written and not self.inputs.missing else EXIT_UNREADABLE

    def text_report(self) -> str:
        """The readable Indonesian summary (``--format text``) of a written rekap."""
        from .rekap import format_text_report

        return format_text_report(self.report) if self.report is not None else ""


def rekap(
    paths: Iterable[str | Path],
    output: str | Path,
    rules: str | Path | Rules | None = None,
    jobs: int | None = None,
    overwrite: bool = False,
    *,
    progress: bool = False,
    notes: Notes = None,
) -> RekapRun:
    """Consolidate submissions into one rekap workbook as ``sakip-xlsx rekap`` does.

    Each file that cannot be read is said in a note (``Tidak dapat dibaca: ...``) and listed in
    the rekap; when no file can be read, nothing is written (``written`` False).
    """
    from .output import check_target
    from .rekap import collect_summaries, iter_unreadable, summary_report, write_rekap

    chosen = _rules(rules)
    inputs = collect_inputs(paths, notes)
    files = inputs.files
    if not files:
        if inputs.missing:
            return RekapRun(inputs, [], None, written=False)
        raise UsageError("Tidak ada berkas untuk direkap.")
    # refused before any work: one of the inputs, an existing file without overwrite, a wrong name
    check_target(output, inputs=files, overwrite=overwrite, suffixes=(".xlsx",))
    summaries = collect_summaries(files, jobs=jobs, rules=chosen, progress=progress and len(files) > 1)
    for path, reason in iter_unreadable(summaries):
        text = f"Tidak dapat dibaca: {path}: {reason}"
        inputs.notes.append(text)
        if notes is not None:
            notes(text)
    if all(summary.get("unreadable") for summary in summaries):
        return RekapRun(inputs, summaries, summary_report(summaries), written=False)
    report = write_rekap(summaries, Path(output), overwrite=overwrite, inputs=files)
    return RekapRun(inputs, summaries, report, written=True)


# ---------------------------------------------------------------------------
# laporan, impor
# ---------------------------------------------------------------------------


@dataclass
class LaporanRun:
    """What ``sakip-xlsx laporan`` did: the checked file and the Word document written (None: unreadable)."""

    outcome: Outcome
    path: Path | None

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.path is not None else EXIT_UNREADABLE


def laporan(
    path: str | Path, output: str | Path, rules: str | Path | Rules | None = None, overwrite: bool = False
) -> LaporanRun:
    """Write Bab III of one filled template as a Word document (``sakip-xlsx laporan``)."""
    from .laporan import write_laporan
    from .output import check_target
    from .pipeline import check_file

    chosen = _rules(rules)
    # refused before any work: the input itself, an existing file, a name not ending in .docx
    check_target(output, inputs=[path], overwrite=overwrite, suffixes=(".docx",))
    outcome = check_file(Path(path), rules=chosen)
    if outcome.unreadable:
        return LaporanRun(outcome, None)
    written = write_laporan(
        outcome.submission, outcome.computation, outcome.findings, output, overwrite=overwrite
    )
    return LaporanRun(outcome, written)


@dataclass
class ImporRun:
    """What ``sakip-xlsx impor`` did: what was placed where, and the rules of the template."""

    result: ImportResult
    rules: Rules
    exit_code: int = EXIT_OK


def impor(
    laporan: str | Path, output: str | Path, rules: str | Path | Rules | None = None, overwrite: bool = False
) -> ImporRun:
    """Fill a template from a finished LKjIP report (Word, PDF, text) as ``sakip-xlsx impor`` does;
    ``rules`` default: the default preset."""
    from .impor.place import import_report

    chosen = _rules(rules, default_preset=True)
    return ImporRun(import_report(Path(laporan), Path(output), rules=chosen, overwrite=overwrite), chosen)
