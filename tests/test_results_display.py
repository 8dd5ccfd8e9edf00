"""What a reviewer sees in the results workbook: the Pemeriksaan sheet names fields and rows
as the template shows them, figures as stated, prints on A4; input copies hide the field ids.

Expected labels and formats come from the template description and the rules, not from the
writer's output.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sakip_xlsx.description import CELL_FIELD_COLUMN, TEMPLATE
from sakip_xlsx.findings import KINDS
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.results import CHECK_COLUMNS

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FIELD_IDS = {column.field for table in TEMPLATE.tables for column in table.columns} | set(TEMPLATE.cell_field)


@pytest.fixture(scope="module")
def kragan(tmp_path_factory):
    """The Kragan sample (real errors: budget percentages, citations), checked with its results."""
    outcome = check_file(SAMPLES / "kragan-rembang-2021.xlsx", results_dir=tmp_path_factory.mktemp("hasil"))
    workbook = openpyxl.load_workbook(outcome.results_path)
    return outcome, workbook


def _rows(workbook):
    ws = workbook["Pemeriksaan"]
    headers = [cell.value for cell in ws[3]]
    return ws, headers, [row for row in ws.iter_rows(min_row=4) if row[0].value is not None]


def test_isian_shows_the_template_header_and_no_internal_names(kragan):
    outcome, workbook = kragan
    ws, headers, rows = _rows(workbook)
    assert len(rows) == len(outcome.findings)
    assert "Kode Temuan" not in headers
    isian = headers.index("Isian")
    shown = {row[isian].value for row in rows}
    budget = TEMPLATE.table["anggaran"].by_field
    assert budget["persen_dilaporkan"].header in shown
    assert not shown & FIELD_IDS, shown & FIELD_IDS
    texts = {cell.value for row in rows for cell in row if isinstance(cell.value, str)}
    assert not texts & set(KINDS), texts & set(KINDS)  # no English codes
    kinds = {row[headers.index("Jenis Temuan")].value for row in rows}
    assert kinds <= {kind.title for kind in KINDS.values()}


def test_budget_lines_are_named_with_kode_and_uraian(kragan):
    outcome, workbook = kragan
    _, headers, rows = _rows(workbook)
    """Kragan's report prints no kode: its lines are named by their uraian (found on the
    finding's row); a line with a kode is named ``kode uraian``."""
    budget = outcome.submission.tables["anggaran"]
    by_row = {
        record.row: (record.key, uraian)
        for record, uraian in zip(budget.records, budget.values("uraian"), strict=True)
    }
    baris, where = headers.index("Baris"), headers.index("Lokasi (klik)")
    sheet = TEMPLATE.table["anggaran"].sheet
    budget_rows = [row for row in rows if (row[where].value or "").startswith(f"{sheet}!")]
    assert budget_rows
    for row in budget_rows:
        number = int("".join(ch for ch in row[where].value.split("!")[1] if ch.isdigit()))
        kode, uraian = by_row[number]
        assert row[baris].value == (f"{kode} {uraian.strip()}" if kode else uraian.strip())


def _decimals(number_format: str) -> int:
    return len(number_format.split(".", 1)[1]) if "." in number_format else 0


def test_figures_are_shown_as_stated(kragan):
    """Rupiah without decimals; a recomputed percent with the rules' decimals; a stated figure
    with as many decimals as it was typed with."""
    outcome, workbook = kragan
    _, headers, rows = _rows(workbook)
    decimals = outcome.submission.rules.decimals
    isian, stated, expected = headers.index("Isian"), headers.index("Tertulis"), headers.index("Seharusnya")
    by_header = {column.header: column.type for table in TEMPLATE.tables for column in table.columns}
    seen = set()
    for row in rows:
        kind = by_header.get(row[isian].value)
        value = row[expected].value
        if not isinstance(value, (int, float)):
            continue
        if kind == "rupiah":
            assert _decimals(row[expected].number_format) == 0
            seen.add("rupiah")
        elif kind == "percent" and not float(value).is_integer():
            assert _decimals(row[expected].number_format) == decimals, row[expected].number_format
            seen.add("percent")
            typed = row[stated].value
            if isinstance(typed, float):
                shown = 0 if typed.is_integer() else len(repr(typed).split(".")[1])
                assert _decimals(row[stated].number_format) == shown
    assert seen == {"rupiah", "percent"}


def test_pemeriksaan_prints_its_reading_columns_on_a4_landscape(kragan):
    _, workbook = kragan
    ws, headers, rows = _rows(workbook)
    printed = [header for _, header, _, on_paper in CHECK_COLUMNS if on_paper]
    assert headers[: len(printed)] == printed
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last_column = openpyxl.utils.get_column_letter(len(printed))
    assert area.split("!")[-1].replace("$", "").startswith("A1:" + last_column)
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    message = headers.index("Keterangan")
    assert all(row[message].alignment.wrap_text for row in rows)


def test_input_copies_hide_the_field_id_row_and_column(kragan):
    outcome, workbook = kragan
    for table in TEMPLATE.tables:
        data = outcome.submission.tables.get(table.id)
        if data is None or table.sheet not in workbook.sheetnames:
            continue
        ws = workbook[table.sheet]
        field_rows = [
            row[0].row for row in ws.iter_rows() if sum(1 for c in row if c.value in FIELD_IDS) >= 2
        ]
        assert field_rows, table.sheet
        for number in field_rows:
            assert ws.row_dimensions[number].hidden, (table.sheet, number)
    identitas = workbook[TEMPLATE.cell_sheets[0].sheet]
    assert identitas.column_dimensions[CELL_FIELD_COLUMN].hidden
    assert not identitas.column_dimensions["B"].hidden
