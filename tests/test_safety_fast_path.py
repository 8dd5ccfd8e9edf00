"""The fast read path (python-calamine after the safety gate) is as safe as the gate.

Values are read with python-calamine, which trusts the zip's sizes and parses
XML itself.  These tests build the hostile corpus of the reader issue *inside a
real, filled template* (so that nothing but the attack is wrong with the file)
and prove, through ``read_workbook`` and through ``sakip-xlsx check``, that

* every hostile file is refused with the gate's reason and exit code 2;
* python-calamine is never even opened on it (a spy replaces it);
* the refusal is quick and small: the lying zip bomb is not inflated.

The control case proves the spy works: the same template, unharmed, does
reach python-calamine and is read.
"""

from __future__ import annotations

import json
import os
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
import python_calamine
from click.testing import CliRunner

from sakip_xlsx.cli import main
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.safety import UnreadableWorkbook

ROOT = Path(__file__).resolve().parent.parent

#: 64 MiB of worksheet rows, declared in the central directory as a few kilobytes.
BOMB_BYTES = 64 * 1024 * 1024
BOMB_ROW = b'<row r="9"><c r="A9" t="inlineStr"><is><t>bom</t></is></c></row>'

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)


# --- building the hostile files from a real template --------------------------


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def _largest_sheet(parts: dict[str, bytes]) -> str:
    sheets = [name for name in parts if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    return max(sheets, key=lambda name: len(parts[name]))


def _write(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _central_entry(data: bytes, name: str) -> int:
    target = name.encode()
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        (length,) = struct.unpack_from("<H", data, offset + 28)
        if data[offset + 46 : offset + 46 + length] == target:
            return offset
        offset = data.find(b"PK\x01\x02", offset + 4)
    raise AssertionError(f"{name} not in the central directory")


def lying_bomb(template: Path, target: Path, forge_crc: bool) -> Path:
    """The template with its largest sheet replaced by 64 MiB of rows whose size the zip declares tiny.

    Every declared size passes the gate's declared-size, ratio and member-count
    checks; only inflating the member shows the lie.  With ``forge_crc`` the CRC
    matches the declared bytes too, so ``zipfile`` itself reads it "successfully".
    """
    parts = _members(template)
    sheet = _largest_sheet(parts)
    original = parts.pop(sheet)
    head = original[: original.index(b"<sheetData>") + len(b"<sheetData>")]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open(sheet, "w", force_zip64=False) as member:
            member.write(head)
            block = BOMB_ROW * (1024 * 1024 // len(BOMB_ROW))
            written = len(head)
            while written < BOMB_BYTES:
                member.write(block)
                written += len(block)
            member.write(b"</sheetData></worksheet>")
    data = bytearray(target.read_bytes())
    entry = _central_entry(bytes(data), sheet)
    declared = len(original)
    struct.pack_into("<L", data, entry + 24, declared)  # uncompressed size: a lie
    if forge_crc:
        struct.pack_into("<L", data, entry + 16, zlib.crc32(head + block[: declared - len(head)]))
    target.write_bytes(bytes(data))
    with zipfile.ZipFile(target) as archive:  # the lie holds for anyone reading the central directory
        assert sum(info.file_size for info in archive.infolist()) < 10 * 1024 * 1024
    return target


def entity_attack(template: Path, target: Path, where: str, encoding: str = "utf-8") -> Path:
    """The template with a billion-laughs DOCTYPE in one of its XML parts (``sheet``, ``workbook``, ``styles``)."""
    parts = _members(template)
    member = {"sheet": _largest_sheet(parts), "workbook": "xl/workbook.xml", "styles": "xl/styles.xml"}[where]
    text = parts[member].decode("utf-8")
    declaration_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
    body = text[declaration_end:]
    if where == "sheet":
        body = body.replace(
            "<sheetData>", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1
        )
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}" standalone="yes"?>'
    parts[member] = (declaration + BILLION_LAUGHS + body).encode(encoding)
    return _write(target, parts)


# --- fixtures -----------------------------------------------------------------


class CalamineSpy:
    """Stands in for python_calamine.CalamineWorkbook and records every file it is asked to open."""

    opened: list[str] = []
    real = python_calamine.CalamineWorkbook

    @classmethod
    def from_path(cls, path: str):
        cls.opened.append(str(path))
        return cls.real.from_path(path)


@pytest.fixture
def calamine_spy(monkeypatch: pytest.MonkeyPatch) -> type[CalamineSpy]:
    CalamineSpy.opened = []
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", CalamineSpy)
    return CalamineSpy


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real filled template (a few budget lines) that the reader accepts."""
    from helpers import fill_template, write_blank_template

    folder = tmp_path_factory.mktemp("cepat")
    path = write_blank_template(folder / "isian.xlsx")
    rows = [
        {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program Penunjang"},
        {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "Perencanaan"},
        {
            "kode": "7.01.01.2.01.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Penyusunan Dokumen",
            "pagu": 1_500_000,
            "realisasi": 1_250_000,
        },
    ]
    return fill_template(
        path,
        cells={"pemda": "Kabupaten Jombang", "instansi": "Kecamatan Ngoro", "tahun": 2024},
        tables={"anggaran": rows},
    )


@pytest.fixture(scope="module")
def hostile(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """name -> (file, a keyword of the refusal)."""
    folder = tmp_path_factory.mktemp("bahaya")
    return {
        "bomb-lying-size": (
            lying_bomb(template, folder / "bom-bohong.xlsx", forge_crc=False),
            "lebih besar daripada ukuran yang tercatat",
        ),
        "bomb-lying-size-forged-crc": (
            lying_bomb(template, folder / "bom-crc.xlsx", forge_crc=True),
            "lebih besar daripada ukuran yang tercatat",
        ),
        "entities-in-sheet": (entity_attack(template, folder / "tawa-lembar.xlsx", "sheet"), "deklarasi XML"),
        "entities-in-workbook": (
            entity_attack(template, folder / "tawa-buku.xlsx", "workbook"),
            "deklarasi XML",
        ),
        "entities-in-styles": (entity_attack(template, folder / "tawa-gaya.xlsx", "styles"), "deklarasi XML"),
        "entities-utf16-sheet": (
            entity_attack(template, folder / "tawa-utf16.xlsx", "sheet", "utf-16"),
            "deklarasi XML",
        ),
    }


HOSTILE = [
    "bomb-lying-size",
    "bomb-lying-size-forged-crc",
    "entities-in-sheet",
    "entities-in-workbook",
    "entities-in-styles",
    "entities-utf16-sheet",
]


# --- the control: the spy sees a good file --------------------------------------


def test_control_template_reaches_calamine(template: Path, calamine_spy: type[CalamineSpy]) -> None:
    submission = read_workbook(template)
    assert calamine_spy.opened == [str(template)]
    assert [record.key for record in submission.records("anggaran")] == [
        "7.01.01",
        "7.01.01.2.01",
        "7.01.01.2.01.0001",
    ]


# --- the hostile corpus, through read_workbook ----------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_read_workbook_refuses_before_calamine(
    name: str, hostile: dict[str, tuple[Path, str]], calamine_spy: type[CalamineSpy]
) -> None:
    path, keyword = hostile[name]
    before = path.read_bytes()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(UnreadableWorkbook) as caught:
        read_workbook(path)
    elapsed = time.perf_counter() - start
    assert keyword in caught.value.reason, caught.value.reason
    assert calamine_spy.opened == [], "python-calamine was opened on a hostile file"
    assert elapsed < 2.0  # the bomb is stopped at its first chunks, not inflated
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < BOMB_BYTES / 1024 / 1024 / 2
    assert path.read_bytes() == before


def test_bomb_really_is_larger_than_declared(hostile: dict[str, tuple[Path, str]]) -> None:
    """Sanity check of the corpus: the bomb member inflates far beyond its declared size."""
    path, _ = hostile["bomb-lying-size"]
    with zipfile.ZipFile(path) as archive:
        info = max(archive.infolist(), key=lambda item: item.compress_size)
        with open(path, "rb") as handle:
            handle.seek(info.header_offset + 26)
            name_length, extra_length = struct.unpack("<HH", handle.read(4))
            handle.seek(info.header_offset + 30 + name_length + extra_length)
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            produced = len(inflater.decompress(handle.read(info.compress_size), 20 * info.file_size))
    assert produced > 10 * info.file_size


# --- the hostile corpus, through sakip-xlsx check ---------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_check_exits_2(
    name: str, hostile: dict[str, tuple[Path, str]], calamine_spy: type[CalamineSpy]
) -> None:
    path, keyword = hostile[name]
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    (entry,) = report["files"]
    assert entry["ok"] is False
    assert keyword in entry["unreadable"]
    assert calamine_spy.opened == []


def test_check_folder_of_hostile_and_good_files_in_worker_processes(
    template: Path, hostile: dict[str, tuple[Path, str]], tmp_path: Path
) -> None:
    """A real ``sakip-xlsx check`` process with 2 workers: every hostile file refused, the good one read."""
    folder = tmp_path / "kiriman"
    folder.mkdir()
    (folder / "a-baik.xlsx").write_bytes(template.read_bytes())
    for name in HOSTILE:
        path, _ = hostile[name]
        (folder / f"b-{path.name}").write_bytes(path.read_bytes())
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "sakip_xlsx.cli", "check", str(folder), "--format", "json", "--jobs", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert process.returncode == 2, process.stderr
    assert time.perf_counter() - start < 30
    files = json.loads(process.stdout)["files"]
    assert [Path(entry["file"]).name for entry in files] == sorted(path.name for path in folder.iterdir())
    assert "unreadable" not in files[0]
    for entry, name in zip(files[1:], HOSTILE, strict=True):
        assert entry["unreadable"], name
        assert hostile[name][1] in entry["unreadable"]
