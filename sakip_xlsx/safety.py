"""Gate for submitted workbooks: decide whether a file is a safe xlsx before any parser reads it.

Submissions arrive by email and are untrusted. `inspect_workbook` makes one
streaming pass over the file, opened read-only, and refuses with
`UnreadableWorkbook` (an Indonesian reason naming what to do) anything that is
not a plain xlsx workbook: other formats, damaged or password-protected files,
zip bombs and XML entity attacks.
"""

from __future__ import annotations

import codecs
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn
from xml.etree import ElementTree

from .errors import SakipError, show_path
from .sheetdata import READ_COLUMNS, READ_ROWS

MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # total of all members
MAX_MEMBER_RATIO = 200  # uncompressed/compressed for any member larger than 1 MiB
MAX_MEMBERS = 2000

_RATIO_MIN_BYTES = 1024 * 1024
_CHUNK = 64 * 1024
_MAX_PARSED_PART = 16 * 1024 * 1024  # [Content_Types].xml and xl/workbook.xml are parsed in memory
_SNIFF_BYTES = 1024
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ZIP_SIGNATURES = (_LOCAL_SIGNATURE, b"PK\x05\x06", b"PK\x07\x08")  # member, empty archive, spanned
_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK = "xl/workbook.xml"
_CORE_PROPERTIES = "docProps/core.xml"
_MAX_CORE_PROPERTIES = 64 * 1024
#: document subjects of our own output workbooks (sakip_xlsx.output writes them)
_OWN_SUBJECTS = (
    (b"<dc:subject>Hasil sakip-xlsx</dc:subject>", "results"),
    (b"<dc:subject>Rekap sakip-xlsx</dc:subject>", "rekap"),
    (b"<dc:subject>Laporan sakip-xlsx</dc:subject>", "laporan"),
)
_MARKUP_SUFFIXES = (".xml", ".rels", ".vml")
# Never sniffed as XML: SVG images may legitimately carry a DOCTYPE and are never read as data.
_IMAGE_SUFFIXES = (".svg",)
_DECLARATIONS = (b"<!doctype", b"<!entity")
#: bytes of a chunk kept to find what the next chunk's start completes (a declaration, a cell reference)
_TAIL = 24
#: the read area's limits as the regular expression below spells them
assert READ_COLUMNS == 64 and READ_ROWS == 100_000, "update _UNUSUAL_CELL"
#: a cell (lowercased) not within A1..BL99999 (READ_COLUMNS, READ_ROWS): a far row, a column beyond BL,
#: or no position first
_UNUSUAL_CELL = re.compile(rb'<c(?:>|/>| (?!r="(?:[a-z]|a[a-z]|b[a-l])[0-9]{1,5}"))')
_ENCODING_DECLARATION = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
# Byte patterns of the first characters of an XML part, per encoding (XML 1.0 appendix F).
_ENCODING_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject", "macrosheet")

_RESAVE = "Buka berkas di Excel, simpan ulang sebagai Buku Kerja Excel (.xlsx), lalu kirim lagi."
_REFUSED_BOMB = (
    "Berkas seperti ini dapat membuat komputer pemeriksa macet (bom zip) sehingga tidak diproses. "
    "Kirim buku kerja isian yang asli; bila memang sebesar itu, hapus lembar atau gambar "
    "yang tidak diperlukan lalu simpan ulang."
)


class UnreadableWorkbook(SakipError):
    """A submitted file cannot be read safely as an xlsx workbook."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{show_path(self.path.name)}: {reason}")

    def __reduce__(self) -> tuple[type[UnreadableWorkbook], tuple[Path, str]]:
        """Pickle with both arguments, so the error can cross process boundaries."""
        return (type(self), (self.path, self.reason))


@dataclass(frozen=True)
class WorkbookFile:
    """A submitted file that passed the safety gate."""

    path: Path
    has_macros: bool  # .xlsm / vbaProject.bin present: data is read, macros never run
    uncompressed_bytes: int
    sheet_names: tuple[str, ...]
    #: parts holding formula cells (``<f>`` elements), seen while streaming: only these can
    #: hold a formula without a saved result, so only these are read again by the reader
    formula_parts: frozenset[str] = frozenset()
    #: "results" or "rekap" when the file is one of our own output workbooks, else None
    made_by: str | None = None
    #: worksheet parts read through sheetdata.bounded_sheet (far or unplaced cells, error values)
    bounded_parts: frozenset[str] = frozenset()


def inspect_workbook(path: Path | str) -> WorkbookFile:
    """Check that a submitted file is a safe xlsx workbook; raise `UnreadableWorkbook` otherwise."""
    file_path = Path(path)
    try:
        return _inspect(file_path)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # last line of defence: every failure must reach the user in Indonesian
        raise UnreadableWorkbook(
            file_path,
            f"Berkas rusak atau tidak dapat dibaca dengan aman ({type(exc).__name__}). {_RESAVE}",
        ) from exc


def _inspect(path: Path) -> WorkbookFile:
    """Check the file system entry, sniff the format and hand zips to the zip checks."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnreadableWorkbook(
            path, "Berkas tidak ditemukan. Periksa nama dan folder berkas tersebut, lalu coba lagi."
        ) from None
    except OSError as exc:
        raise UnreadableWorkbook(path, f"Berkas tidak dapat dibuka ({exc.strerror}). {_RESAVE}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableWorkbook(
            path,
            "Ini sebuah folder, bukan berkas. Pilih berkas buku kerja Excel (.xlsx) di dalam folder itu.",
        )
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableWorkbook(
            path, "Ini bukan berkas biasa. Simpan buku kerja Excel (.xlsx) sebagai berkas, lalu coba lagi."
        )
    if info.st_size == 0:
        raise UnreadableWorkbook(
            path,
            "Berkas kosong (0 byte); kemungkinan lampiran email gagal diunduh. "
            "Unduh ulang lampirannya atau minta pengirim mengirim ulang berkas .xlsx-nya.",
        )
    try:
        handle = path.open("rb")
    except PermissionError:
        raise UnreadableWorkbook(
            path,
            "Berkas tidak dapat dibuka karena tidak ada izin membaca. "
            "Salin berkas ke folder Anda sendiri atau minta hak akses, lalu coba lagi.",
        ) from None
    except OSError as exc:
        raise UnreadableWorkbook(path, f"Berkas tidak dapat dibuka ({exc.strerror}). {_RESAVE}") from exc
    with handle:
        head = handle.read(4096)
        if head.startswith(_OLE_MAGIC):
            _refuse_ole(path, handle)
        if not head.startswith(_ZIP_SIGNATURES):
            _refuse_not_zip(path, head)
        return _inspect_zip(path, handle)


def _refuse_ole(path: Path, handle: BinaryIO) -> NoReturn:
    """Refuse an OLE2 compound file, saying whether it is a password-protected xlsx."""
    handle.seek(0)
    tail = b""
    scanned = 0
    while scanned < MAX_UNCOMPRESSED_BYTES:
        block = handle.read(1024 * 1024)
        if not block:
            break
        scanned += len(block)
        if _ENCRYPTED_PACKAGE in tail + block:
            raise UnreadableWorkbook(
                path,
                "Berkas dilindungi kata sandi (password), sehingga isinya terenkripsi dan tidak dapat diperiksa. "
                "Minta pengirim membuka berkas di Excel, menghapus kata sandinya (File > Info > Lindungi Buku "
                "Kerja > Enkripsi dengan Kata Sandi, kosongkan isiannya), menyimpan sebagai Buku Kerja Excel "
                "(.xlsx), lalu mengirim lagi.",
            )
        tail = block[-(len(_ENCRYPTED_PACKAGE) - 1) :]
    raise UnreadableWorkbook(
        path,
        "Berkas ini berformat Excel lama (.xls, Excel 97-2003) atau format Office lama lain, bukan .xlsx. "
        f"{_RESAVE}",
    )


def _refuse_not_zip(path: Path, head: bytes) -> NoReturn:
    """Refuse a file that is not a zip, naming what it looks like."""
    if head.startswith(b"%PDF"):
        raise UnreadableWorkbook(
            path,
            "Berkas ini adalah dokumen PDF, bukan buku kerja Excel. "
            "Kirim berkas isian Excel (.xlsx) aslinya, bukan hasil cetak PDF.",
        )
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    sample = head.decode("utf-16" if utf16 else "utf-8", errors="replace").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in sample or 'progid="excel.sheet"' in sample:
        raise UnreadableWorkbook(path, f"Berkas ini berformat XML Spreadsheet 2003, bukan .xlsx. {_RESAVE}")
    if "<html" in sample or "<!doctype html" in sample or "<table" in sample:
        raise UnreadableWorkbook(
            path,
            f"Berkas ini adalah halaman web (HTML) yang diberi nama seperti berkas Excel, bukan .xlsx. {_RESAVE}",
        )
    if utf16 or not any(byte < 0x20 and byte not in b"\t\n\r\f" for byte in head):
        raise UnreadableWorkbook(
            path,
            "Berkas ini berisi teks biasa (misalnya CSV), bukan buku kerja Excel. Isikan data ke template .xlsx "
            "yang dikirim kabupaten, simpan sebagai Buku Kerja Excel (.xlsx), lalu kirim lagi.",
        )
    raise UnreadableWorkbook(path, f"Berkas ini bukan buku kerja Excel (.xlsx). {_RESAVE}")


def _inspect_zip(path: Path, handle: BinaryIO) -> WorkbookFile:
    """Check a zip: declared sizes first, then one streaming pass over every member.

    Each member is stopped as soon as it yields more than its declared size, so
    the real total can never pass MAX_UNCOMPRESSED_BYTES once the declared total
    has been checked against it.
    """
    try:
        infos = zipfile.ZipFile(handle).infolist()
    except Exception as exc:  # any failure to read the central directory means a damaged file
        raise _damaged(path, "daftar isi zip tidak terbaca") from exc
    _check_declared(path, infos)
    by_name = {info.filename: info for info in infos}
    mimetype = by_name.get("mimetype")
    if mimetype is not None:
        _refuse_opendocument(path, next(_iter_member(path, handle, mimetype), b"")[:256])
    if _CONTENT_TYPES not in by_name or _WORKBOOK not in by_name:
        _refuse_not_workbook(path, by_name.keys())

    parsed: dict[str, bytes] = {}
    formula_parts: set[str] = set()
    bounded_parts: set[str] = set()
    total = 0
    for info in sorted(infos, key=lambda member: member.header_offset):
        keep = info.filename in (_CONTENT_TYPES, _WORKBOOK) or (
            info.filename == _CORE_PROPERTIES and info.file_size <= _MAX_CORE_PROPERTIES
        )
        if keep and info.file_size > _MAX_PARSED_PART:
            raise UnreadableWorkbook(
                path,
                f"Bagian '{info.filename}' berukuran {_mb(info.file_size)}, jauh lebih besar daripada yang "
                f"dibuat Excel. {_RESAVE}",
            )
        scanner = _DeclarationScanner(path, info.filename)
        pieces: list[bytes] = []
        for chunk in _iter_member(path, handle, info):
            total += len(chunk)
            scanner.feed(chunk)
            if keep:
                pieces.append(chunk)
        scanner.close()
        if scanner.has_formula:
            formula_parts.add(info.filename)
        if scanner.needs_bounds:
            bounded_parts.add(info.filename)
        if keep:
            parsed[info.filename] = b"".join(pieces)

    return WorkbookFile(
        path=path,
        has_macros=_has_macros(path, parsed[_CONTENT_TYPES], by_name.keys()),
        uncompressed_bytes=total,
        sheet_names=_sheet_names(path, parsed[_WORKBOOK]),
        formula_parts=frozenset(formula_parts),
        made_by=_made_by(parsed.get(_CORE_PROPERTIES, b"")),
        bounded_parts=frozenset(bounded_parts),
    )


def _made_by(core_properties: bytes) -> str | None:
    """ "results", "rekap" or "laporan" when the document subject is that of our own outputs."""
    return next((kind for subject, kind in _OWN_SUBJECTS if subject in core_properties), None)


def own_output(path: Path | str) -> str | None:
    """ "results", "rekap" or "laporan" when ``path`` is a results or rekap workbook or a Word report this
    tool wrote, else None.

    Cheap (for folder scans): reads the zip's directory and at most 64 KB of its
    document properties, never the sheets; anything unexpected means None.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(_CORE_PROPERTIES)
            if info.file_size > _MAX_CORE_PROPERTIES or info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
            ):
                return None
            with archive.open(info) as member:
                return _made_by(member.read(_MAX_CORE_PROPERTIES))
    except Exception:  # not a zip, no properties, damaged: not ours
        return None


def _check_declared(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse on the central directory alone, before anything is decompressed."""
    if len(infos) > MAX_MEMBERS:
        raise UnreadableWorkbook(
            path, f"Berkas berisi {len(infos)} bagian, melebihi batas {MAX_MEMBERS} bagian. {_REFUSED_BOMB}"
        )
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableWorkbook(
            path,
            f"Isi berkas setelah diekstrak tercatat {_mb(declared)}, melebihi batas "
            f"{_mb(MAX_UNCOMPRESSED_BYTES)}. {_REFUSED_BOMB}",
        )
    seen: set[str] = set()
    for info in infos:
        if info.file_size > _RATIO_MIN_BYTES and info.file_size > MAX_MEMBER_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise UnreadableWorkbook(
                path,
                f"Bagian '{info.filename}' mengembang {ratio} kali saat diekstrak, melebihi batas "
                f"{MAX_MEMBER_RATIO} kali. {_REFUSED_BOMB}",
            )
        if info.flag_bits & 0x1:
            raise UnreadableWorkbook(
                path,
                f"Sebagian isi berkas terenkripsi (bagian '{info.filename}'), sehingga tidak dapat dibaca. "
                "Simpan ulang tanpa kata sandi sebagai Buku Kerja Excel (.xlsx), lalu kirim lagi.",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableWorkbook(
                path,
                f"Bagian '{info.filename}' dimampatkan dengan cara yang tidak dipakai Excel "
                f"(metode {info.compress_type}). {_RESAVE}",
            )
        if info.filename in seen:
            raise _damaged(path, f"bagian '{info.filename}' tercatat dua kali")
        seen.add(info.filename)


def _iter_member(path: Path, handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield a member's real bytes in chunks, refusing as soon as they exceed the declared size.

    The member is inflated with zlib directly rather than through `zipfile.open`,
    which silently stops at the declared size: a member whose deflate stream is
    longer than declared must be measured by what it really produces.
    """
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise _damaged(path, f"bagian '{info.filename}' terpotong")
    signature, _, flags, method, _, _, _, _, _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    raw_name = handle.read(name_length)
    name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
    if signature != _LOCAL_SIGNATURE or method != info.compress_type or name != info.orig_filename:
        raise _damaged(path, f"kepala bagian '{info.filename}' tidak cocok dengan daftar isi zip")
    handle.seek(extra_length, 1)

    produced = 0
    crc = 0
    for chunk in _decompressed(path, handle, info):
        produced += len(chunk)
        if produced > info.file_size:
            raise UnreadableWorkbook(
                path,
                f"Isi bagian '{info.filename}' ternyata lebih besar daripada ukuran yang tercatat di berkas. "
                f"Berkas rusak atau sengaja dibuat menipu. {_REFUSED_BOMB}",
            )
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != info.file_size:
        raise _damaged(path, f"bagian '{info.filename}' lebih pendek daripada yang tercatat")
    if crc != info.CRC:
        raise _damaged(path, f"bagian '{info.filename}' gagal uji CRC")


def _decompressed(path: Path, handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield the decompressed bytes of the member whose data starts at the handle's position."""
    if info.compress_size == 0 and info.file_size == 0:
        return
    if info.compress_type == zipfile.ZIP_STORED:
        yield from _raw(path, handle, info)
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for raw in _raw(path, handle, info):
        if inflater.eof:
            raise _damaged(path, f"data bagian '{info.filename}' lebih panjang daripada aliran kompresinya")
        data = raw
        while True:
            chunk = inflater.decompress(data, _CHUNK)
            if chunk:
                yield chunk
            data = inflater.unconsumed_tail
            if inflater.eof or (not data and len(chunk) < _CHUNK):
                break
    if not inflater.eof:
        raise _damaged(path, f"bagian '{info.filename}' terpotong")
    if inflater.unused_data:
        raise _damaged(path, f"data bagian '{info.filename}' lebih panjang daripada aliran kompresinya")


def _raw(path: Path, handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield exactly the member's declared compressed bytes."""
    remaining = info.compress_size
    while remaining > 0:
        raw = handle.read(min(_CHUNK, remaining))
        if not raw:
            raise _damaged(path, f"bagian '{info.filename}' terpotong")
        remaining -= len(raw)
        yield raw


class _DeclarationScanner:
    """Refuse an XML part that holds a DOCTYPE or ENTITY declaration; fed in chunks.

    Parts named .xml, .rels or .vml are always scanned; any other part is
    scanned when its first characters look like XML (except images). UTF-16
    and UTF-32 parts are decoded first; a part declaring any other encoding
    that does not write markup as ASCII (UTF-7, EBCDIC, ...) is refused.
    """

    def __init__(self, path: Path, member: str) -> None:
        self._path = path
        self._member = member
        lowered = member.lower()
        self._named_markup = lowered.endswith(_MARKUP_SUFFIXES)
        self._sniff = not lowered.endswith(_IMAGE_SUFFIXES)
        self._active: bool | None = None  # None until the first bytes are seen
        self._head = b""
        self._decoder: codecs.IncrementalDecoder | None = None
        self._tail = b""
        #: the part holds a formula cell (``<f>`` or ``<f ...>``; not ``<formula1>`` of a validation)
        self.has_formula = False
        #: a worksheet: whether it must be read through sheetdata.bounded_sheet (far or unplaced cells,
        #: cells holding an error value)
        self._worksheet = lowered.startswith("xl/worksheets/") and lowered.endswith(".xml")
        self.needs_bounds = False

    def feed(self, chunk: bytes) -> None:
        """Scan the next piece of the part."""
        if self._active is None:
            self._head += chunk
            if len(self._head) < _SNIFF_BYTES:
                return
            chunk, self._head = self._head, b""
            self._begin(chunk)
        if self._active:
            self._scan(self._decode(chunk))

    def close(self) -> None:
        """Scan whatever is still buffered at the end of the part."""
        if self._active is None:
            self._begin(self._head)
            if self._active:
                self._scan(self._decode(self._head))
        if self._active and self._decoder is not None:
            self._scan(self._decoder.decode(b"", True).encode("utf-8"))

    def _begin(self, head: bytes) -> None:
        """Decide from the first bytes whether and how to scan the part."""
        encoding = next((name for mark, name in _ENCODING_MARKS if head.startswith(mark)), None)
        sample = head.decode(encoding or "utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        self._active = self._named_markup or (self._sniff and sample.startswith("<"))
        if not self._active:
            return
        if encoding is not None:
            self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            return
        declared = _ENCODING_DECLARATION.match(head)
        name = declared.group(1).decode("ascii", errors="replace") if declared else "utf-8"
        if not _ascii_compatible(name):
            raise UnreadableWorkbook(
                self._path,
                f"Bagian '{self._member}' memakai pengodean teks yang tidak dipakai Excel ({name}). {_RESAVE}",
            )

    def _decode(self, chunk: bytes) -> bytes:
        """Return the chunk as ASCII-compatible bytes."""
        if self._decoder is None:
            return chunk
        return self._decoder.decode(chunk).encode("utf-8")

    def _scan(self, data: bytes) -> None:
        """Look for a declaration, including one split across chunks."""
        window = (self._tail + data).lower()
        if not self.has_formula and (b"<f>" in window or b"<f " in window):
            self.has_formula = True
        if self._worksheet and not self.needs_bounds:
            self._bounds(window)
        if any(needle in window for needle in _DECLARATIONS):
            raise UnreadableWorkbook(
                self._path,
                f"Bagian '{self._member}' berisi deklarasi XML (DOCTYPE/ENTITY) yang tidak pernah dibuat oleh "
                "Excel dan dapat dipakai untuk menyerang komputer pemeriksa, sehingga berkas tidak diproses. "
                "Salin isian ke template baru dari kabupaten, simpan sebagai Buku Kerja Excel (.xlsx), "
                "lalu kirim lagi.",
            )
        self._tail = window[-_TAIL:]

    def _bounds(self, window: bytes) -> None:
        """Note whether this worksheet has a cell beyond the read area, a cell without a position
        (placed by counting, so it may reach anywhere) or an error value: then it is read through
        sheetdata.bounded_sheet.  Cells at ``<c r="A1"`` .. ``<c r="BL99999"`` (nearly all) are passed
        over by one regular-expression scan; a cell cut by the window's end is read whole in the next
        window (it starts in the kept tail)."""
        if b't="e"' in window:
            self.needs_bounds = True
            return
        match = _UNUSUAL_CELL.search(window)
        if match is not None and match.start() < len(window) - _TAIL + 4:
            self.needs_bounds = True


def _ascii_compatible(encoding: str) -> bool:
    """Whether a declared encoding writes markup as plain ASCII (UTF-8, ASCII, ISO 8859, Windows-125x).

    Others (UTF-7, EBCDIC, ...) can spell ``<!DOCTYPE`` in bytes the scan would not see.
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in ("utf-8", "utf-8-sig", "ascii") or name.startswith(("iso8859-", "cp125"))


def _refuse_opendocument(path: Path, mimetype: bytes) -> None:
    """Refuse an OpenDocument file (its `mimetype` member names the format)."""
    if b"opendocument.spreadsheet" in mimetype:
        raise UnreadableWorkbook(
            path,
            "Berkas ini berformat OpenDocument (.ods, dari LibreOffice/OpenOffice), bukan .xlsx. Di LibreOffice "
            "Calc pilih File > Simpan Sebagai, jenis 'Excel 2007-365 (.xlsx)', lalu kirim lagi.",
        )
    if b"opendocument" in mimetype:
        raise UnreadableWorkbook(
            path,
            "Berkas ini adalah dokumen OpenDocument, bukan buku kerja Excel. Kirim berkas isian Excel (.xlsx).",
        )


def _refuse_not_workbook(path: Path, names: Iterable[str]) -> NoReturn:
    """Refuse a zip that lacks the parts every xlsx workbook has."""
    present = set(names)
    if "word/document.xml" in present:
        raise UnreadableWorkbook(
            path,
            "Berkas ini adalah dokumen Word (.docx), bukan buku kerja Excel. Kirim berkas isian Excel (.xlsx).",
        )
    if "ppt/presentation.xml" in present:
        raise UnreadableWorkbook(
            path,
            "Berkas ini adalah presentasi PowerPoint (.pptx), bukan buku kerja Excel. Kirim berkas isian Excel (.xlsx).",
        )
    if _CONTENT_TYPES not in present and _WORKBOOK not in present:
        raise UnreadableWorkbook(
            path,
            "Berkas ini adalah arsip zip biasa, bukan buku kerja Excel. Bila buku kerjanya ada di dalam arsip, "
            "ekstrak dulu lalu kirim berkas .xlsx-nya saja.",
        )
    missing = _WORKBOOK if _CONTENT_TYPES in present else _CONTENT_TYPES
    raise UnreadableWorkbook(
        path, f"Berkas rusak atau bukan buku kerja Excel yang utuh: bagian '{missing}' tidak ada. {_RESAVE}"
    )


def _damaged(path: Path, detail: str) -> UnreadableWorkbook:
    """The error for a zip that is damaged or truncated."""
    return UnreadableWorkbook(
        path,
        f"Berkas rusak atau tidak lengkap ({detail}); mungkin terpotong saat diunduh dari email. Unduh ulang "
        "lampirannya, atau minta pengirim membuka berkas di Excel, menyimpannya ulang sebagai Buku Kerja Excel "
        "(.xlsx), lalu mengirim lagi.",
    )


def _parse(path: Path, member: str, data: bytes) -> ElementTree.Element:
    """Parse a part that already passed the DOCTYPE/ENTITY scan."""
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise _damaged(path, f"bagian '{member}' bukan XML yang sah") from exc


def _local_name(tag: str) -> str:
    """An element tag without its namespace."""
    return tag.rpartition("}")[2]


def _has_macros(path: Path, content_types: bytes, names: Iterable[str]) -> bool:
    """Whether the workbook carries VBA or Excel 4 macros (read as data, never run)."""
    root = _parse(path, _CONTENT_TYPES, content_types)
    declared = (element.get("ContentType", "").lower() for element in root)
    if any(kind in content_type for content_type in declared for kind in _MACRO_CONTENT_TYPES):
        return True
    return any(
        name.lower().endswith("vbaproject.bin") or name.startswith("xl/macrosheets/") for name in names
    )


def _sheet_names(path: Path, workbook: bytes) -> tuple[str, ...]:
    """The sheet names listed in xl/workbook.xml, in workbook order."""
    root = _parse(path, _WORKBOOK, workbook)
    if _local_name(root.tag) != "workbook":
        raise _damaged(path, f"bagian '{_WORKBOOK}' bukan daftar lembar kerja")
    names: list[str] = []
    for sheets in (child for child in root if _local_name(child.tag) == "sheets"):
        for sheet in (child for child in sheets if _local_name(child.tag) == "sheet"):
            name = sheet.get("name")
            if not name:
                raise _damaged(path, f"ada lembar kerja tanpa nama di '{_WORKBOOK}'")
            names.append(name)
    if not names:
        raise UnreadableWorkbook(path, f"Buku kerja ini tidak berisi satu pun lembar kerja. {_RESAVE}")
    return tuple(names)


def _mb(size: int) -> str:
    """A byte count in megabytes, Indonesian style (``400,0 MB``)."""
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
