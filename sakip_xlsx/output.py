"""Atomic output files: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputExists(Exception):
    """The output file exists and replacing it was not asked for."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"Berkas keluaran {path} sudah ada. Pakai opsi --overwrite untuk menggantinya, atau pilih nama lain."
        )


class OutputNotWritable(Exception):
    """The output file cannot be written."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        super().__init__(f"Berkas keluaran {path} tidak dapat ditulis: {reason}")


@contextmanager
def atomic_output(path: str | Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it onto ``path``.

    The target is never half-written: on any error the temporary file is removed
    and an existing target is left untouched.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputExists(target)
    if target.is_dir():
        raise OutputNotWritable(target, "itu sebuah folder.")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputNotWritable(target, exc.strerror or str(exc)) from None
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
