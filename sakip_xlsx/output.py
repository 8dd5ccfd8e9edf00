"""Output files: never an input, never half-written, never a failed write reported as done.

Every command that writes a file goes through :func:`write_atomically` (or the
:func:`atomic_output` context manager under it):

* the target is refused when it names one of the command's input files (the same
  resolved path, or the same file through another name: a hard or symbolic link),
  whatever ``overwrite`` says;
* an existing target is replaced only with ``overwrite``;
* the content is written to a short temporary name (``.sakip-XXXXXXXX.tmp``) in the
  target's folder, flushed to disk, given the permissions of a normally created
  file (the umask, or the replaced file's own), then renamed onto the target; on
  any failure, Ctrl-C or SIGTERM the temporary file is removed and an existing
  target is left untouched;
* every failure is an :class:`OutputError` whose message is Indonesian and names
  the file and why (operating-system errors translated, see :mod:`sakip_xlsx.errors`).

Our own results and rekap workbooks and Word reports carry a document subject
(:data:`RESULTS_SUBJECT`, :data:`REKAP_SUBJECT`, :data:`LAPORAN_SUBJECT`) by which folder scans
recognise and skip them.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import SakipError, os_reason, show_path

__all__ = [
    "LAPORAN_SUBJECT",
    "REKAP_SUBJECT",
    "RESULTS_SUBJECT",
    "TEMPORARY_PREFIX",
    "OutputError",
    "OutputExists",
    "OutputIsInput",
    "OutputNotWritable",
    "atomic_output",
    "check_target",
    "is_temporary",
    "same_file",
    "write_atomically",
]

#: document subject (docProps/core.xml) of the workbooks this tool writes, by which they are recognised
RESULTS_SUBJECT = "Hasil sakip-xlsx"
REKAP_SUBJECT = "Rekap sakip-xlsx"
#: document subject of the Word reports (Bab III) this tool writes
LAPORAN_SUBJECT = "Laporan sakip-xlsx"

#: temporary files are named ``.sakip-XXXXXXXX.tmp`` (short whatever the target's name; hidden)
TEMPORARY_PREFIX = ".sakip-"
TEMPORARY_SUFFIX = ".tmp"


class OutputError(SakipError):
    """A requested output file was not written (message in Indonesian, naming the file)."""

    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        super().__init__(message)

    def __reduce__(self):  # crosses process boundaries with its message
        return (_rebuild, (type(self), self.path, str(self)))


def _rebuild(kind: type[OutputError], path: Path, message: str) -> OutputError:
    error = OutputError.__new__(kind)
    OutputError.__init__(error, path, message)
    return error


class OutputExists(OutputError):
    """The output file exists and replacing it was not asked for."""

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            f"Berkas keluaran {show_path(path)} sudah ada. Pakai opsi --overwrite untuk menggantinya, "
            "atau pilih nama lain.",
        )


class OutputNotWritable(OutputError):
    """The output file cannot be written."""

    def __init__(self, path: Path | str, reason: str):
        self.reason = reason
        super().__init__(path, f"Berkas keluaran {show_path(path)} tidak dapat ditulis: {reason}")


class OutputIsInput(OutputError):
    """The output file is one of the input files (never written, with any option)."""

    def __init__(self, path: Path | str, source: Path | str | None = None):
        same = (
            ""
            if source is None or Path(source) == Path(path)
            else f" (berkas yang sama dengan {show_path(source)})"
        )
        super().__init__(
            path,
            f"Berkas keluaran {show_path(path)} adalah berkas masukan{same}; berkas masukan tidak pernah ditimpa. "
            "Pilih nama atau folder keluaran lain.",
        )


def same_file(left: Path | str, right: Path | str) -> bool:
    """Whether two names denote one file: the same resolved path, or the same file (inode) by any name."""
    try:
        if Path(left).resolve() == Path(right).resolve():
            return True
    except (OSError, RuntimeError):
        pass
    try:
        return os.path.samefile(left, right)
    except (OSError, ValueError):
        return False


def is_temporary(name: str) -> bool:
    """Whether a file name is one of our temporary files (left behind only by a killed run)."""
    return name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX)


def check_target(
    path: Path | str,
    *,
    inputs: Iterable[Path | str] = (),
    overwrite: bool = False,
    suffixes: tuple[str, ...] | None = None,
) -> Path:
    """Refuse a target that must not be written, before any work is done; return it as a Path.

    Raises :class:`OutputIsInput` (with any ``overwrite``), :class:`OutputExists`,
    or :class:`OutputNotWritable` (a folder, a wrong suffix).
    """
    target = Path(path)
    for source in inputs:
        if same_file(target, source):
            raise OutputIsInput(target, source)
    if suffixes and target.suffix.lower() not in suffixes:
        wanted = " atau ".join(suffixes)
        raise OutputNotWritable(
            target,
            f"namanya harus berakhiran {wanted} (isinya selalu berformat {suffixes[0]}); ganti namanya.",
        )
    try:
        info = target.stat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputNotWritable(target, os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputNotWritable(target, "itu sebuah folder.")
    if not overwrite:
        raise OutputExists(target)
    return target


@contextmanager
def atomic_output(
    path: Path | str,
    overwrite: bool = False,
    *,
    inputs: Iterable[Path | str] = (),
    suffixes: tuple[str, ...] | None = None,
) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; when the body ends well, rename it onto ``path``.

    The target is never half-written: on any error (or interruption) the
    temporary file is removed and an existing target is left untouched.  Errors
    of the operating system, raised by the body or the rename, become
    :class:`OutputNotWritable`.
    """
    target = check_target(path, inputs=inputs, overwrite=overwrite, suffixes=suffixes)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary_name = tempfile.mkstemp(
            prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise OutputNotWritable(target, os_reason(exc)) from None
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        try:
            yield temporary
            _finish(temporary, target, overwrite)
        except Exception as exc:
            cause = _os_error(exc)
            if cause is None:
                raise
            raise OutputNotWritable(target, os_reason(cause)) from None
    finally:
        try:
            temporary.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover - nothing more can be done about it
            pass


def write_atomically(
    path: Path | str,
    write: Callable[[Path], Any],
    *,
    inputs: Iterable[Path | str] = (),
    overwrite: bool = False,
    suffixes: tuple[str, ...] | None = (".xlsx",),
) -> Path:
    """Write ``path`` through ``write(temporary_path)`` and return it; raise :class:`OutputError` if not written.

    ``inputs``: the command's input files, never written (with any ``overwrite``).
    ``suffixes``: the accepted name endings (``None``: any), e.g. ``(".docx",)``.
    ``write`` creates the file at the temporary path it is given (it exists, empty).
    """
    with atomic_output(path, overwrite, inputs=inputs, suffixes=suffixes) as temporary:
        write(temporary)
    return Path(path)


def _finish(temporary: Path, target: Path, overwrite: bool) -> None:
    """Flush the written file to disk, give it a normal file's permissions and rename it onto the target."""
    if temporary.stat().st_size == 0:
        raise OutputNotWritable(target, "isinya kosong (penulisan gagal).")
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if overwrite else None
    except OSError:
        mode = None
    os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
    if not overwrite and target.exists():  # appeared while we were writing
        raise OutputExists(target)
    os.replace(temporary, target)


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _os_error(exc: BaseException) -> OSError | None:
    """The operating-system error behind an exception (xlsxwriter wraps it in FileCreateError), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        wrapped = next((arg for arg in current.args if isinstance(arg, OSError)), None)
        if wrapped is not None:
            return wrapped
        current = current.__cause__ or current.__context__
    return None
