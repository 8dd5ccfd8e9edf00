"""The one base class of errors meant for the user, and operating-system errors said in Indonesian.

Every error whose message a user should read (a rules file that cannot be used,
an output that cannot be written, ...) derives from :class:`SakipError`; the
command line prints its message and exits with code 2.  Operating-system
errors reach the user only through :func:`os_reason`, never in English.
"""

from __future__ import annotations

import errno
import os

__all__ = ["SakipError", "os_reason", "show_path"]


class SakipError(Exception):
    """An error whose message is an Indonesian sentence for the user (exit code 2 on the command line)."""


#: errno -> what happened, in Indonesian (the remedy is added by the caller where it knows one)
_REASONS = {
    errno.ENAMETOOLONG: "nama berkas atau foldernya terlalu panjang; pakai nama yang lebih pendek",
    errno.EACCES: "tidak ada izin menulis atau membaca di lokasi itu",
    errno.EPERM: "sistem operasi tidak mengizinkan tindakan itu",
    errno.ENOSPC: "ruang disk penuh; kosongkan ruang disk lalu coba lagi",
    errno.EROFS: "lokasinya hanya dapat dibaca (read-only); pilih folder lain",
    errno.ENOENT: "berkas atau foldernya tidak ada",
    errno.ENOTDIR: "salah satu bagian jalurnya adalah berkas, bukan folder",
    errno.EISDIR: "itu sebuah folder, bukan berkas",
    errno.EEXIST: "berkasnya sudah ada",
    errno.EXDEV: "berkas sementara dan tujuan berada di disk yang berbeda",
    errno.EIO: "galat baca/tulis pada disk",
    errno.EBUSY: "berkasnya sedang dipakai program lain; tutup program itu lalu coba lagi",
    errno.ETXTBSY: "berkasnya sedang dipakai program lain; tutup program itu lalu coba lagi",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.ENFILE: "terlalu banyak berkas terbuka",
    errno.ELOOP: "jalurnya berputar (tautan simbolik yang menunjuk dirinya sendiri)",
    errno.EFBIG: "berkasnya terlalu besar untuk disk ini",
    errno.EDQUOT: "kuota disk Anda habis; kosongkan ruang lalu coba lagi",
    errno.EINVAL: "nama berkasnya tidak sah di sistem ini",
}


def os_reason(exc: OSError) -> str:
    """What an operating-system error means, in Indonesian (never the English strerror)."""
    reason = _REASONS.get(exc.errno) if exc.errno is not None else None
    if reason is not None:
        return reason
    if isinstance(exc, PermissionError):
        return _REASONS[errno.EACCES]
    if isinstance(exc, FileNotFoundError):
        return _REASONS[errno.ENOENT]
    code = errno.errorcode.get(exc.errno, "") if exc.errno is not None else ""
    return f"galat sistem operasi{f' {code}' if code else ''}"


def show_path(path: object) -> str:
    """A path as text a message (and JSON) can always hold: bytes that are not UTF-8 shown as ``\\xNN``.

    A file name that is not valid UTF-8 reaches Python as surrogate escapes, which
    cannot be printed or written to JSON; they are shown as escapes instead.
    """
    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text
