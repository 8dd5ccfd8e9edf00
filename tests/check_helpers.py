"""Building blocks of the check tests: rows as staff type them, analysing a filled template, asserting a finding (moved from test_checks.py)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import ENGLISH_WORDS, INDONESIAN_WORDS, cell_of, cell_schema

from sakip_xlsx.checks import run_checks
from sakip_xlsx.compute import compute
from sakip_xlsx.findings import Finding
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.rules import Rules, load_rules

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


IDENTITAS = {"pemda": "Kabupaten Uji", "instansi": "Kecamatan Uji", "tahun": 2024}


SASARAN = [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya kualitas pelayanan publik"}]


def indikator(**changes: Any) -> dict[str, Any]:
    """IK1: target 100 %, realisasi 98,32 % (capaian 98,32 %)."""
    row = {
        "kode": "IK1",
        "sasaran_kode": "S1",
        "uraian": "Persentase pelayanan selesai tepat waktu",
        "satuan": "%",
        "polaritas": "Positif",
        "target": "100",
        "realisasi": "98,32",
    }
    row.update(changes)
    return row


def program(kode: str = "7.01.01", **changes: Any) -> dict[str, Any]:
    row = {"kode": kode, "tingkat": "Program", "uraian": "Program Penunjang Urusan Pemerintahan"}
    row.update(changes)
    return row


def kegiatan(kode: str, **changes: Any) -> dict[str, Any]:
    row = {"kode": kode, "tingkat": "Kegiatan", "uraian": f"Kegiatan {kode}"}
    row.update(changes)
    return row


def sub_kegiatan(kode: str, **changes: Any) -> dict[str, Any]:
    row = {"kode": kode, "tingkat": "Sub Kegiatan", "uraian": f"Sub Kegiatan {kode}"}
    row.update(changes)
    return row


#: One program, pagu 1.000.000, realisasi 900.000 (serapan 90 %, selisih 100.000).
ONE_PROGRAM = [program(pagu="1.000.000", realisasi="900.000")]


def tables(indikator_rows=None, anggaran=None, **others: Any) -> dict[str, Any]:
    """Sasaran S1, the given indicators (default IK1) and budget (default ONE_PROGRAM)."""
    result = {
        "sasaran": SASARAN,
        "indikator": indikator_rows if indikator_rows is not None else [indikator()],
        "anggaran": anggaran if anggaran is not None else ONE_PROGRAM,
    }
    result.update(others)
    return result


def analyse(path: Path, rules: str | Rules | None = None):
    if isinstance(rules, str):
        rules = load_rules(rules)
    submission = read_workbook(path, rules=rules)
    return submission, compute(submission)


def where(spec: tuple) -> tuple[str, str]:
    """(sheet, cell) of ``("cell", field)`` or ``(table, field, index)`` through the schema."""
    if spec[0] == "cell":
        cell = cell_schema(spec[1])
        return cell["sheet"], cell["cell"]
    table_id, field_id, index = spec
    return cell_of(table_id, field_id, index)


def approx(value: float | None):
    return None if value is None else pytest.approx(value, abs=1e-6)


def pct(value: float, decimals: int = 2) -> str:
    """A percentage as an Indonesian report prints it: half-up, comma decimals."""
    quantum = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
    return text.replace(".", ",")


def rupiah(value: int) -> str:
    return f"{value:,}".replace(",", ".")


#: Words of the check messages that the shared list (helpers.INDONESIAN_WORDS) lacks.
MORE_INDONESIAN = frozenset(
    """
    melebihi seharusnya hitung hasil rincian menjadi periksa jauh tahun lalu ditautkan padahal porsi makro
    pastikan bukan dibaca tertukar dipotong dibulatkan terbalik kutipan predikat menurut skala
    """.split()
)


def is_indonesian(message: str) -> bool:
    """helpers.is_indonesian with a few more Indonesian words (short messages such as 'realisasi ... melebihi pagu')."""
    words = set(re.findall(r"[a-z]+", message.lower()))
    return bool(words & (INDONESIAN_WORDS | MORE_INDONESIAN)) and not (words & ENGLISH_WORDS)


def assert_message(item: Finding) -> None:
    """Indonesian, and naming the sheet and cell (or the sheet when there is no cell)."""
    assert is_indonesian(item.message), item.message
    if item.cell:
        assert item.cell in item.message, item.message
        assert f"{item.sheet}!{item.cell}" in item.message or item.sheet in item.message, item.message
    elif item.sheet:
        assert item.sheet.split()[0].lower() in item.message.lower() or item.table, item.message


#: row_key left unasserted here (see the row_key tests in test_known_bugs.py)
UNASSERTED = "<not asserted>"


def capaian_findings(filled_template, realisasi: Any, stated: Any, rules: str | None = None) -> list[Finding]:
    path = filled_template(
        cells=IDENTITAS, tables=tables([indikator(realisasi=realisasi, capaian_dilaporkan=stated)])
    )
    return run_checks(*analyse(path, rules), only=["indikator-capaian"])


DOKUMEN = dict(satuan="Dokumen", target="12", realisasi="12", agregasi="Jumlah")


def renstra_targets(last: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """IK1 target 12 dokumen in each year 2020–2024 (Jumlah: kondisi akhir 60)."""
    rows = [{"kode": "IK1", "tahun": year, "target": "12"} for year in range(2020, 2025)]
    rows[-1].update(last or {})
    return rows
