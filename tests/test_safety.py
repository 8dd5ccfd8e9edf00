"""Tests for the safety gate: every hostile file is built here, in tmp_path."""

from __future__ import annotations

import os
import pickle
import struct
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import xlsxwriter

from sakip_xlsx import safety
from sakip_xlsx.safety import (
    MAX_MEMBERS,
    MAX_UNCOMPRESSED_BYTES,
    UnreadableWorkbook,
    WorkbookFile,
    inspect_workbook,
)

SHEET = "xl/worksheets/sheet1.xml"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)


# --- builders ---------------------------------------------------------------


def make_xlsx(path: Path, rows: int = 3) -> Path:
    """A real workbook written by xlsxwriter, with two sheets."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sasaran & IKU")
    workbook.add_worksheet("Anggaran")
    for row in range(rows):
        sheet.write_row(
            row, 0, [f"7.01.01.2.01.{row:04d}", "Penyelenggaraan pemerintahan", 1_500_000 + row, 98.5]
        )
    workbook.close()
    return path


def workbook_xml(names: tuple[str, ...] = ("Data",), namespace: str = SHEET_NS) -> str:
    """An xl/workbook.xml listing the given sheets."""
    sheets = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, 1))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{namespace}" xmlns:r="{REL_NS}"><sheets>{sheets}</sheets></workbook>'


def minimal_parts(
    content_type: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
) -> dict[str, bytes]:
    """The parts of a smallest hand-made workbook."""
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{content_type}"/>'
            "</Types>"
        ).encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": workbook_xml().encode(),
        SHEET: f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><sheetData/></worksheet>'.encode(),
    }


def write_zip(path: Path, parts: Mapping[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write the parts, in order, as a zip."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def rewrite(
    src: Path, dst: Path, replace: Mapping[str, bytes] | None = None, compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    """Copy a zip, replacing or adding members."""
    with zipfile.ZipFile(src) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.update(replace or {})
    return write_zip(dst, parts, compression)


def central_entry(data: bytes, name: str) -> int:
    """Offset of a member's central-directory record."""
    target = name.encode()
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        (length,) = struct.unpack_from("<H", data, offset + 28)
        if data[offset + 46 : offset + 46 + length] == target:
            return offset
        offset = data.find(b"PK\x01\x02", offset + 4)
    raise AssertionError(f"{name} not in central directory")


def local_entry(path: Path, name: str) -> int:
    """Offset of a member's local header."""
    with zipfile.ZipFile(path) as archive:
        return archive.getinfo(name).header_offset


def change_field(path: Path, offset: int, fmt: str, change: Callable[[int], int]) -> None:
    """Rewrite one header field in the test's own copy of a zip."""
    data = bytearray(path.read_bytes())
    (value,) = struct.unpack_from(fmt, data, offset)
    struct.pack_into(fmt, data, offset, change(value))
    path.write_bytes(bytes(data))


def snapshot(path: Path) -> tuple[bytes, int] | int | None:
    """Content and modification time of a file (only mtime for other entries)."""
    if not os.path.lexists(path):
        return None
    info = path.stat()
    if path.is_file():
        return path.read_bytes(), info.st_mtime_ns
    return info.st_mtime_ns


def assert_refused(path: Path, keyword: str) -> UnreadableWorkbook:
    """inspect_workbook refuses in Indonesian, names the file, and leaves it untouched."""
    before = snapshot(path)
    with pytest.raises(UnreadableWorkbook) as caught:
        inspect_workbook(path)
    error = caught.value
    assert error.path == path
    assert str(error) == f"{path.name}: {error.reason}"
    assert keyword.lower() in error.reason.lower(), error.reason
    assert snapshot(path) == before
    return error


# --- fixtures ----------------------------------------------------------------


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "laporan.xlsx")


@pytest.fixture(scope="session")
def zeros_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook whose sheet is 400 MiB of zeros (about 0.4 MB compressed), sizes declared honestly."""
    path = tmp_path_factory.mktemp("bomb") / "bom.xlsx"
    parts = minimal_parts()
    del parts[SHEET]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        megabyte = bytes(1024 * 1024)
        with archive.open(SHEET, "w") as member:
            for _ in range(400):
                member.write(megabyte)
    return path


# --- workbooks that pass -----------------------------------------------------


def test_xlsxwriter_workbook_passes(xlsx: Path) -> None:
    with zipfile.ZipFile(xlsx) as archive:
        size = sum(info.file_size for info in archive.infolist())
    assert inspect_workbook(xlsx) == WorkbookFile(
        path=xlsx,
        has_macros=False,
        uncompressed_bytes=size,
        sheet_names=("Sasaran & IKU", "Anggaran"),
    )


def test_accepts_str_path(xlsx: Path) -> None:
    assert inspect_workbook(str(xlsx)).path == xlsx


def test_handmade_minimal_workbook(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "minimal.xlsx", minimal_parts(), zipfile.ZIP_STORED)
    assert inspect_workbook(path).sheet_names == ("Data",)


def test_strict_ooxml_namespace(tmp_path: Path) -> None:
    parts = minimal_parts()
    parts["xl/workbook.xml"] = workbook_xml(
        ("A", "B"), "http://purl.oclc.org/ooxml/spreadsheetml/main"
    ).encode()
    assert inspect_workbook(write_zip(tmp_path / "strict.xlsx", parts)).sheet_names == ("A", "B")


def test_utf16_workbook_part_without_doctype_passes(tmp_path: Path) -> None:
    parts = minimal_parts()
    text = workbook_xml(("Capaian Kinerja – 2024", "Ringkasan")).replace("UTF-8", "UTF-16")
    parts["xl/workbook.xml"] = text.encode("utf-16")
    result = inspect_workbook(write_zip(tmp_path / "utf16.xlsx", parts))
    assert result.sheet_names == ("Capaian Kinerja – 2024", "Ringkasan")


def test_images_are_not_scanned_as_xml(xlsx: Path, tmp_path: Path) -> None:
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    png = b"\x89PNG\r\n\x1a\n" + bytes(100) + b"<!DOCTYPE"
    path = rewrite(xlsx, tmp_path / "logo.xlsx", {"xl/media/image1.svg": svg, "xl/media/image2.png": png})
    assert inspect_workbook(path).sheet_names == ("Sasaran & IKU", "Anggaran")


def test_vba_project_member_marks_macros(xlsx: Path, tmp_path: Path) -> None:
    path = rewrite(xlsx, tmp_path / "makro.xlsm", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})
    result = inspect_workbook(path)
    assert result.has_macros
    assert result.sheet_names == ("Sasaran & IKU", "Anggaran")


def test_macro_enabled_content_type_marks_macros(tmp_path: Path) -> None:
    parts = minimal_parts("application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert inspect_workbook(write_zip(tmp_path / "makro.xlsm", parts)).has_macros


def test_five_thousand_rows_is_fast(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "besar.xlsx", rows=5000)
    start = time.perf_counter()
    result = inspect_workbook(path)
    elapsed = time.perf_counter() - start
    assert result.sheet_names == ("Sasaran & IKU", "Anggaran")
    assert result.uncompressed_bytes > 5000 * 100
    assert elapsed < 0.5, f"inspect_workbook took {elapsed:.3f} s"


def test_error_survives_pickling(tmp_path: Path) -> None:
    error = UnreadableWorkbook(tmp_path / "a.xlsx", "File kosong.")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, "a.xlsx: File kosong.")


# --- the file system entry ---------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert_refused(tmp_path / "tidak-ada.xlsx", "tidak ditemukan")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "kiriman.xlsx"
    folder.mkdir()
    assert_refused(folder, "folder")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")
    assert_refused(path, "kosong")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe(tmp_path: Path) -> None:
    path = tmp_path / "pipa.xlsx"
    os.mkfifo(path)
    assert_refused(path, "bukan berkas biasa")


def test_unreadable_file(xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 000 does not stop root, so the refusal of the operating system is simulated.
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    before = snapshot(xlsx)
    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(UnreadableWorkbook, match="izin membaca"):
        inspect_workbook(xlsx)
    monkeypatch.undo()
    assert snapshot(xlsx) == before


# --- other formats -----------------------------------------------------------

OLE_HEADER = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)


@pytest.mark.parametrize(
    ("name", "content", "keyword"),
    [
        (
            "terkunci.xlsx",
            OLE_HEADER + bytes(200) + "EncryptedPackage".encode("utf-16-le") + bytes(280),
            "kata sandi",
        ),
        ("lama.xls", OLE_HEADER + "Workbook".encode("utf-16-le") + bytes(496), "Excel lama"),
        ("data.csv", b"kode;uraian;target\n7.01.01;Penyelenggaraan;98,5\n", "teks biasa"),
        ("unicode.txt", "kode\turaian\n1\tabc\n".encode("utf-16"), "teks biasa"),
        ("cetak.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("ekspor.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "halaman web"),
        (
            "xml2003.xls",
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
            "XML Spreadsheet 2003",
        ),
        ("gambar.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bukan buku kerja Excel"),
        ("pkm.csv", b"PKM;Puskesmas\n1;2\n", "teks biasa"),
    ],
)
def test_not_a_zip(tmp_path: Path, name: str, content: bytes, keyword: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_refused(path, keyword)


def test_encrypted_package_across_read_blocks(tmp_path: Path) -> None:
    marker = "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "terkunci.xlsx"
    path.write_bytes(OLE_HEADER + bytes(1024 * 1024 - len(OLE_HEADER) - 10) + marker + bytes(100))
    assert_refused(path, "kata sandi")


def test_opendocument_spreadsheet(tmp_path: Path) -> None:
    parts = {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b'<?xml version="1.0"?><office:document-content/>',
        "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest/>',
    }
    assert_refused(write_zip(tmp_path / "isian.ods", parts, zipfile.ZIP_STORED), "OpenDocument")


@pytest.mark.parametrize(
    ("parts", "keyword"),
    [
        ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}, "dokumen Word"),
        ({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"}, "PowerPoint"),
        ({"laporan.xlsx": b"PK\x03\x04", "catatan.txt": b"halo"}, "arsip zip"),
        ({"xl/workbook.xml": workbook_xml().encode()}, "[Content_Types].xml"),
        ({"[Content_Types].xml": b"<Types/>", SHEET: b"<worksheet/>"}, "xl/workbook.xml"),
    ],
)
def test_zip_that_is_not_a_workbook(tmp_path: Path, parts: dict[str, bytes], keyword: str) -> None:
    assert_refused(write_zip(tmp_path / "kiriman.xlsx", parts), keyword)


# --- damaged files -----------------------------------------------------------


def test_truncated_workbook(xlsx: Path, tmp_path: Path) -> None:
    path = tmp_path / "terpotong.xlsx"
    data = xlsx.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused(path, "rusak")


@pytest.mark.parametrize(
    ("where", "offset", "fmt", "change", "detail"),
    [
        ("central", 16, "<L", lambda crc: crc ^ 0xFFFF, "gagal uji CRC"),
        ("central", 24, "<L", lambda size: size + 10, "lebih pendek daripada yang tercatat"),
        ("central", 20, "<L", lambda size: size + 1, "lebih panjang daripada aliran kompresinya"),
        ("central", 20, "<L", lambda size: size // 2, "terpotong"),  # the deflate stream never ends
        ("local", 30, "<B", lambda byte: byte ^ 0x20, "tidak cocok dengan daftar isi zip"),
    ],
    ids=["crc", "declared-longer", "compressed-longer", "compressed-shorter", "local-name"],
)
def test_damaged_member(
    xlsx: Path,
    tmp_path: Path,
    where: str,
    offset: int,
    fmt: str,
    change: Callable[[int], int],
    detail: str,
) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(xlsx.read_bytes())
    base = central_entry(path.read_bytes(), SHEET) if where == "central" else local_entry(path, SHEET)
    change_field(path, base + offset, fmt, change)
    error = assert_refused(path, detail)
    assert "rusak" in error.reason
    assert SHEET in error.reason


def test_duplicate_member(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "ganda.xlsx", minimal_parts())
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")
        archive.writestr(SHEET, b"<worksheet/>")
    assert_refused(path, "dua kali")


def test_invalid_workbook_xml(tmp_path: Path) -> None:
    parts = minimal_parts()
    parts["xl/workbook.xml"] = b"<workbook><sheets><sheet name='A'></workbook>"
    assert_refused(write_zip(tmp_path / "xml.xlsx", parts), "bukan XML yang sah")


def test_workbook_without_sheets(tmp_path: Path) -> None:
    parts = minimal_parts()
    parts["xl/workbook.xml"] = workbook_xml(()).encode()
    assert_refused(write_zip(tmp_path / "kosong.xlsx", parts), "lembar kerja")


def test_unexpected_failure_is_reported_in_indonesian(xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(safety, "_check_declared", broken)
    assert_refused(xlsx, "tidak dapat dibaca dengan aman")


# --- password protection -----------------------------------------------------


def test_encrypted_member_flag(xlsx: Path, tmp_path: Path) -> None:
    path = tmp_path / "enkripsi.xlsx"
    path.write_bytes(xlsx.read_bytes())
    for offset in (central_entry(path.read_bytes(), SHEET) + 8, local_entry(path, SHEET) + 6):
        change_field(path, offset, "<H", lambda flags: flags | 0x1)
    assert_refused(path, "terenkripsi")


def test_compression_excel_never_uses(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bzip2.xlsx", minimal_parts(), zipfile.ZIP_BZIP2)
    assert_refused(path, "dimampatkan")


# --- zip bombs ---------------------------------------------------------------


def test_zip_bomb_with_honest_sizes_is_refused_before_decompressing(
    zeros_workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(*args: object) -> None:
        raise AssertionError("decompressed before the declared sizes were checked")

    monkeypatch.setattr(safety, "_decompressed", must_not_run)
    error = assert_refused(zeros_workbook, "melebihi batas")
    assert "400,0 MB" in error.reason
    assert zeros_workbook.stat().st_size < MAX_UNCOMPRESSED_BYTES // 100


def test_member_ratio(tmp_path: Path) -> None:
    parts = minimal_parts()
    parts[SHEET] = bytes(20 * 1024 * 1024)
    assert_refused(write_zip(tmp_path / "rasio.xlsx", parts), "mengembang")


def test_too_many_members(tmp_path: Path) -> None:
    parts = minimal_parts()
    parts.update({f"xl/media/image{i}.png": b"" for i in range(MAX_MEMBERS)})
    assert_refused(write_zip(tmp_path / "banyak.xlsx", parts, zipfile.ZIP_STORED), "melebihi batas")


@pytest.mark.parametrize("forge_crc", [False, True], ids=["crc-left", "crc-forged"])
def test_central_directory_lying_about_size(zeros_workbook: Path, tmp_path: Path, forge_crc: bool) -> None:
    path = tmp_path / "bohong.xlsx"
    path.write_bytes(zeros_workbook.read_bytes())
    entry = central_entry(path.read_bytes(), SHEET)
    change_field(path, entry + 24, "<L", lambda _: 1000)
    if forge_crc:
        # zipfile itself would now read the member "successfully", stopping at the declared 1000 bytes.
        change_field(path, entry + 16, "<L", lambda _: zlib.crc32(bytes(1000)))
        with zipfile.ZipFile(path) as archive, archive.open(SHEET) as member:
            assert member.read(2000) == bytes(1000)
    start = time.perf_counter()
    assert_refused(path, "lebih besar daripada ukuran yang tercatat")
    assert time.perf_counter() - start < 1.0  # stops at the first chunk, does not inflate 400 MiB


# --- XML entity attacks ------------------------------------------------------


def test_billion_laughs_in_workbook_xml(xlsx: Path, tmp_path: Path) -> None:
    body = workbook_xml(("&lol3;",)).split("\n", 1)[1]
    path = rewrite(xlsx, tmp_path / "tawa.xlsx", {"xl/workbook.xml": (BILLION_LAUGHS + body).encode()})
    error = assert_refused(path, "deklarasi XML")
    assert "xl/workbook.xml" in error.reason


def test_billion_laughs_in_sheet(xlsx: Path, tmp_path: Path) -> None:
    sheet = (
        BILLION_LAUGHS
        + f'<worksheet xmlns="{SHEET_NS}"><sheetData><row><c t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
    )
    path = rewrite(xlsx, tmp_path / "tawa.xlsx", {SHEET: sheet.encode()})
    error = assert_refused(path, "deklarasi XML")
    assert SHEET in error.reason


def test_external_entity_in_relationships(xlsx: Path, tmp_path: Path) -> None:
    rels = (
        b'<?xml version="1.0"?><!ENTITY xxe SYSTEM "file:///etc/passwd"><Relationships>&xxe;</Relationships>'
    )
    assert_refused(rewrite(xlsx, tmp_path / "xxe.xlsx", {"_rels/.rels": rels}), "deklarasi XML")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_doctype_in_wide_encoded_part(xlsx: Path, tmp_path: Path, encoding: str) -> None:
    sheet = BILLION_LAUGHS.replace('version="1.0"', 'version="1.0" encoding="UTF-16"') + "<worksheet/>"
    path = rewrite(xlsx, tmp_path / "utf16.xlsx", {SHEET: sheet.encode(encoding)})
    assert_refused(path, "deklarasi XML")


@pytest.mark.parametrize(
    "compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "deflated"]
)
@pytest.mark.parametrize("split", [1, 4, 8])
def test_doctype_split_across_chunks(tmp_path: Path, compression: int, split: int) -> None:
    parts = minimal_parts()
    padding = 64 * 1024 - len('<?xml version="1.0"?>') - split
    parts[SHEET] = ('<?xml version="1.0"?>' + " " * padding + "<!DOCTYPE x><worksheet/>").encode()
    assert_refused(write_zip(tmp_path / "potong.xlsx", parts, compression), "deklarasi XML")


def test_xml_under_another_name_is_scanned(xlsx: Path, tmp_path: Path) -> None:
    part = (BILLION_LAUGHS + "<worksheet/>").encode()
    assert_refused(rewrite(xlsx, tmp_path / "nama.xlsx", {"xl/worksheets/sheet9.dat": part}), "deklarasi XML")


def test_encoding_that_hides_markup(xlsx: Path, tmp_path: Path) -> None:
    sheet = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x+AD4-<worksheet/>'
    assert_refused(rewrite(xlsx, tmp_path / "utf7.xlsx", {SHEET: sheet}), "pengodean")
