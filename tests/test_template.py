"""Tests for the input template (sakip_xlsx.template) and the ``template`` command.

The workbook is opened with openpyxl and checked against the schema JSON
(SPEC section 8): validations, field positions, protection, printing,
embedded rules.  One LibreOffice call converts every preset's template to PDF.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import is_indonesian, schema, write_blank_template
from openpyxl.utils import column_index_from_string
from recalc import require_soffice

from sakip_xlsx.cli import main
from sakip_xlsx.description import CELL_FIELD_COLUMN, CELL_FIRST_ROW, TEMPLATE_VERSION
from sakip_xlsx.rules import PRESETS, load_rules, parse_rules
from sakip_xlsx.values import parse_value

NUMERIC_TYPES = {"rupiah", "number", "percent", "integer", "target", "year"}
#: formula1 of a list validation: a sheet reference to one absolute column range.
RANGE_FORMULA = re.compile(
    r"^=?(?:'(?P<quoted>[^']+)'|(?P<plain>[A-Za-z0-9_]+))!"
    r"\$(?P<c1>[A-Z]+)\$(?P<r1>\d+):\$(?P<c2>[A-Z]+)\$(?P<r2>\d+)$"
)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    """One template per rules preset (written once for the module)."""
    folder = tmp_path_factory.mktemp("templates")
    return {preset: write_blank_template(folder / f"template-{preset}.xlsx", preset) for preset in PRESETS}


@pytest.fixture(scope="module")
def workbook(templates):
    """The default preset's template opened with openpyxl."""
    wb = openpyxl.load_workbook(templates["default"])
    yield wb
    wb.close()


def contract() -> dict:
    return schema()


def table_sheets() -> list[dict]:
    return contract()["tables"]


def cell_sheet_names() -> list[str]:
    return sorted({cell["sheet"] for cell in contract()["cells"]})


def validations(ws) -> list:
    return list(ws.data_validations.dataValidation)


def validation_at(ws, ref: str):
    """The data validation covering cell ``ref`` (None if there is none)."""
    column, row = openpyxl.utils.cell.coordinate_from_string(ref)
    col = column_index_from_string(column)
    found = []
    for dv in validations(ws):
        for cell_range in dv.sqref.ranges:
            if (
                cell_range.min_col <= col <= cell_range.max_col
                and cell_range.min_row <= row <= cell_range.max_row
            ):
                found.append(dv)
    assert len(found) <= 1, f"{ws.title}!{ref} has {len(found)} validations"
    return found[0] if found else None


def list_fields() -> list[tuple[str, str, dict, list[str]]]:
    """(sheet, table id or 'cells', column/cell entry, cells to check) of every list field."""
    items = []
    for table in table_sheets():
        last = table["first_data_row"] + table["rows"] - 1
        for column in table["columns"]:
            if column["list"] is not None:
                cells = [f"{column['column']}{table['first_data_row']}", f"{column['column']}{last}"]
                items.append((table["sheet"], table["id"], column, cells))
    for cell in contract()["cells"]:
        if cell["list"] is not None:
            items.append((cell["sheet"], "cells", cell, [cell["cell"]]))
    return items


def numeric_fields() -> list[tuple[str, str, dict, list[str]]]:
    items = []
    for table in table_sheets():
        last = table["first_data_row"] + table["rows"] - 1
        for column in table["columns"]:
            if column["type"] in NUMERIC_TYPES and column["list"] is None:
                cells = [f"{column['column']}{table['first_data_row']}", f"{column['column']}{last}"]
                items.append((table["sheet"], table["id"], column, cells))
    for cell in contract()["cells"]:
        if cell["type"] in NUMERIC_TYPES and cell["list"] is None:
            items.append((cell["sheet"], "cells", cell, [cell["cell"]]))
    return items


def field_ids(items) -> list[str]:
    return [f"{table}.{entry['field']}" for _, table, entry, _ in items]


# ---------------------------------------------------------------------------
# Validations
# ---------------------------------------------------------------------------


def test_there_are_list_and_numeric_fields():
    assert len(list_fields()) >= 10
    assert len(numeric_fields()) >= 30


@pytest.mark.parametrize(("sheet", "table", "entry", "cells"), list_fields(), ids=field_ids(list_fields()))
def test_list_fields_have_range_validation(workbook, sheet, table, entry, cells):
    ws = workbook[sheet]
    for ref in cells:
        dv = validation_at(ws, ref)
        assert dv is not None, f"{sheet}!{ref} has no validation"
        assert dv.type == "list"
        formula = dv.formula1
        assert '"' not in formula, f"inline list {formula!r}"
        match = RANGE_FORMULA.match(formula)
        assert match, f"{sheet}!{ref}: formula1 {formula!r} is not a sheet range"
        source_sheet = match["quoted"] or match["plain"]
        assert match["c1"] == match["c2"], formula
        first, last = int(match["r1"]), int(match["r2"])
        source = workbook[source_sheet]
        if isinstance(entry["list"], list):
            assert source_sheet == "Daftar"
            values = [source[f"{match['c1']}{row}"].value for row in range(first, last + 1)]
            filled = [value for value in values if value not in (None, "")]
            assert filled == entry["list"], f"{formula} holds {filled}"
            assert values[: len(filled)] == filled, "list values are not at the top of the range"
        else:
            target = next(t for t in table_sheets() if t["id"] == entry["list"]["table"])
            letter = next(c["column"] for c in target["columns"] if c["field"] == entry["list"]["field"])
            assert source_sheet == target["sheet"]
            assert match["c1"] == letter
            assert first == target["first_data_row"]
            assert last >= target["first_data_row"] + target["rows"] - 1
            assert source[f"{letter}{target['first_data_row'] - 2}"].value == entry["list"]["field"]


def test_extensible_lists_leave_unlocked_spare_rows(workbook):
    """Satuan and sumber dana ranges include blank, unlocked rows for new values."""
    ws = workbook["Indikator"]
    satuan = next(
        c
        for c in next(t for t in table_sheets() if t["id"] == "indikator")["columns"]
        if c["field"] == "satuan"
    )
    match = RANGE_FORMULA.match(validation_at(ws, f"{satuan['column']}4").formula1)
    daftar = workbook["Daftar"]
    spare = f"{match['c1']}{int(match['r2'])}"
    assert daftar[spare].value is None
    assert daftar[spare].protection.locked is False
    assert int(match["r2"]) - int(match["r1"]) + 1 > len(satuan["list"])


#: what the input message of each number type shows as an example, and what the reader makes of it
WRITTEN_EXAMPLES = {
    "rupiah": [("Rp 1.250.000,00", 1250000), ("1.250.000", 1250000)],
    "percent": [("98,71 %", 98.71), ("(6,36)", -6.36)],
    "number": [("400 Dokumen", 400), ("84,5", 84.5)],
    "integer": [("12 orang", 12), ("1.250", 1250)],
    "target": [("400 Dokumen", 400), ("60 – 70", 60)],
}


@pytest.mark.parametrize(
    ("sheet", "table", "entry", "cells"), numeric_fields(), ids=field_ids(numeric_fields())
)
def test_numeric_fields_have_number_validation_with_message(workbook, sheet, table, entry, cells):
    """A year is checked as a whole number; other numbers accept every style the reader reads
    (text included), so they carry no number-only check, and the input message shows those
    styles, each of which the reader reads as the number it shows."""
    ws = workbook[sheet]
    for ref in cells:
        dv = validation_at(ws, ref)
        assert dv is not None, f"{sheet}!{ref} has no validation"
        assert dv.showInputMessage
        assert dv.prompt and dv.prompt.strip()
        assert dv.promptTitle and dv.promptTitle.strip()
        assert "sebaiknya angka" not in (dv.error or "") + dv.prompt
        if entry["type"] == "year":
            assert dv.type == "whole", f"{sheet}!{ref}: {dv.type}"
            continue
        assert dv.type in (None, "any"), f"{sheet}!{ref}: {dv.type}"
        for text, number in WRITTEN_EXAMPLES[entry["type"]]:
            assert text in dv.prompt, (ref, text)
            assert parse_value(text, entry["type"]).value == pytest.approx(number)


def test_petunjuk_says_how_numbers_are_written_as_the_validations_do(workbook):
    """The Petunjuk shows the same styles as the input messages (a percent may carry %)."""
    text = "\n".join(
        str(cell.value) for row in workbook["Petunjuk"].iter_rows() for cell in row if cell.value
    )
    assert "tanpa tanda %" not in text
    for value_type in ("rupiah", "percent", "number"):
        for example, _ in WRITTEN_EXAMPLES[value_type]:
            assert example in text, example


def test_table_validations_reach_below_the_preformatted_rows(workbook):
    for table in table_sheets():
        ws = workbook[table["sheet"]]
        below = table["first_data_row"] + table["rows"] + 100
        for column in table["columns"]:
            assert validation_at(ws, f"{column['column']}{below}") is not None, (table["id"], column["field"])


# ---------------------------------------------------------------------------
# Fields where the schema says
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("table", table_sheets(), ids=lambda t: t["id"])
def test_table_fields_at_schema_columns(workbook, table):
    ws = workbook[table["sheet"]]
    field_row = table["header_row"] - 1
    assert table.get("field_row", field_row) == field_row
    for column in table["columns"]:
        assert ws[f"{column['column']}{field_row}"].value == column["field"]
        header = ws[f"{column['column']}{table['header_row']}"].value
        assert header in (column["header"], column["header"] + " *"), header


@pytest.mark.parametrize("table", table_sheets(), ids=lambda t: t["id"])
def test_field_id_row_hidden_and_panes_frozen_below_header(workbook, table):
    ws = workbook[table["sheet"]]
    assert ws.row_dimensions[table["header_row"] - 1].hidden
    assert not ws.row_dimensions[table["header_row"]].hidden
    assert ws.freeze_panes == f"A{table['first_data_row']}"


def test_cell_fields_at_schema_cells(workbook):
    for cell in contract()["cells"]:
        ws = workbook[cell["sheet"]]
        column, row = openpyxl.utils.cell.coordinate_from_string(cell["cell"])
        assert ws[f"{CELL_FIELD_COLUMN}{row}"].value == cell["field"], cell
        assert ws[f"A{row}"].value.rstrip(" *") == cell["label"]
    for name in cell_sheet_names():
        ws = workbook[name]
        assert ws.column_dimensions[CELL_FIELD_COLUMN].hidden
        assert ws.freeze_panes == f"A{CELL_FIRST_ROW}"


def test_rules_cells_at_schema_cells(workbook):
    rules = contract()["rules"]
    ws = workbook[rules["sheet"]]
    assert ws[rules["version_cell"]].value == TEMPLATE_VERSION
    assert ws["D" + rules["version_cell"][1:]].value == "template_version"
    assert ws["D" + rules["rules_cell"][1:]].value == "aturan_toml"


def test_sheet_order_matches_schema(workbook):
    assert workbook.sheetnames == contract()["sheets"]


# ---------------------------------------------------------------------------
# Protection and printing
# ---------------------------------------------------------------------------


def test_sheets_protected_without_password(workbook):
    described = (
        [t["sheet"] for t in table_sheets()]
        + cell_sheet_names()
        + [contract()["rules"]["sheet"], "Daftar", "Petunjuk"]
    )
    for name in described:
        assert workbook[name].protection.sheet, name
    for ws in workbook.worksheets:
        assert not ws.protection.password, ws.title


@pytest.mark.parametrize("table", table_sheets(), ids=lambda t: t["id"])
def test_table_headers_locked_and_data_unlocked(workbook, table):
    ws = workbook[table["sheet"]]
    last = table["first_data_row"] + table["rows"] - 1
    for column in table["columns"]:
        letter = column["column"]
        assert ws[f"{letter}{table['header_row']}"].protection.locked
        assert ws[f"{letter}{table['header_row'] - 1}"].protection.locked
        for row in (table["first_data_row"], (table["first_data_row"] + last) // 2, last):
            assert ws[f"{letter}{row}"].protection.locked is False, f"{ws.title}!{letter}{row}"
    assert ws.protection.insertRows is False, "rows can be inserted"  # openpyxl: False = not forbidden


def test_cell_sheets_labels_locked_values_unlocked(workbook):
    for cell in contract()["cells"]:
        ws = workbook[cell["sheet"]]
        row = cell["cell"][1:]
        assert ws[f"A{row}"].protection.locked
        assert ws[cell["cell"]].protection.locked is False, cell


@pytest.mark.parametrize("name", [t["sheet"] for t in table_sheets()] + cell_sheet_names() + ["Petunjuk"])
def test_print_setup_a4_never_fitted_to_one_page_high(workbook, name):
    """A4; a sheet fitted to the page width is never fitted to a page height (rows flow onto
    further pages).  Whether the text stays legible is tested on the rendered pages
    (tests/test_rendering.py)."""
    ws = workbook[name]
    assert int(ws.page_setup.paperSize) == 9  # A4
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        assert int(ws.page_setup.fitToHeight) == 0


@pytest.mark.parametrize("table", table_sheets(), ids=lambda t: t["id"])
def test_table_print_titles_repeat_header_row(workbook, table):
    ws = workbook[table["sheet"]]
    assert ws.print_title_rows == f"${table['header_row']}:${table['header_row']}"


def test_cell_sheet_print_titles_repeat_header_row(workbook):
    for name in cell_sheet_names():
        ws = workbook[name]
        header = CELL_FIRST_ROW - 1
        assert ws.print_title_rows == f"${header}:${header}"
        assert all(ws[f"{c}{header}"].value for c in "ABC")


def test_at_least_300_preformatted_budget_rows(workbook):
    table = next(t for t in table_sheets() if t["id"] == "anggaran")
    assert table["rows"] >= 300
    ws = workbook[table["sheet"]]
    for row in range(table["first_data_row"], table["first_data_row"] + 300):
        for column in table["columns"]:
            cell = ws[f"{column['column']}{row}"]
            assert cell.border.left.style is not None, f"{cell.coordinate} has no border"
            assert cell.protection.locked is False
    pagu = next(c["column"] for c in table["columns"] if c["field"] == "pagu")
    assert ws[f"{pagu}{table['first_data_row'] + 299}"].number_format == "#,##0"


# ---------------------------------------------------------------------------
# Rules, version and prefill read back
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_rules_read_back_for_each_preset(templates, preset):
    rules_cell = contract()["rules"]
    wb = openpyxl.load_workbook(templates[preset])
    try:
        ws = wb[rules_cell["sheet"]]
        assert parse_rules(ws[rules_cell["rules_cell"]].value) == load_rules(preset)
        assert ws[rules_cell["version_cell"]].value == TEMPLATE_VERSION
        assert wb.custom_doc_props["sakip_xlsx_template_version"].value == TEMPLATE_VERSION
    finally:
        wb.close()


def test_template_version_equals_constant():
    assert contract()["template_version"] == TEMPLATE_VERSION


def test_cli_prefills_identitas(tmp_path):
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(
        main,
        [
            "template",
            "-o",
            str(out),
            "--rules",
            "jombang",
            "--pemda",
            "Kabupaten Jombang",
            "--instansi",
            "Kecamatan Ngoro",
            "--tahun",
            "2024",
        ],
    )
    assert result.exit_code == 0, result.output
    cells = {cell["field"]: cell for cell in contract()["cells"]}
    wb = openpyxl.load_workbook(out)
    try:
        value = {f: wb[cells[f]["sheet"]][cells[f]["cell"]].value for f in ("pemda", "instansi", "tahun")}
        assert value == {"pemda": "Kabupaten Jombang", "instansi": "Kecamatan Ngoro", "tahun": 2024}
        rules_cell = contract()["rules"]
        assert parse_rules(wb[rules_cell["sheet"]][rules_cell["rules_cell"]].value) == load_rules("jombang")
    finally:
        wb.close()


def test_without_prefill_identitas_is_blank(workbook):
    cells = {cell["field"]: cell for cell in contract()["cells"]}
    for field in ("pemda", "instansi", "tahun"):
        assert workbook[cells[field]["sheet"]][cells[field]["cell"]].value is None


# ---------------------------------------------------------------------------
# The template command
# ---------------------------------------------------------------------------


def test_cli_template_writes_file_with_indonesian_message(tmp_path):
    out = tmp_path / "template.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0
    assert is_indonesian(result.output.replace(str(out), "BERKAS")), result.output
    assert "Traceback" not in result.output


def test_cli_template_refuses_to_overwrite(tmp_path):
    out = tmp_path / "template.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["template", "-o", str(out), "--pemda", "Pertama"]).exit_code == 0
    before = out.read_bytes()
    result = runner.invoke(main, ["template", "-o", str(out), "--pemda", "Kedua"])
    assert result.exit_code == 2, result.output
    assert is_indonesian(result.output.replace(str(out), "BERKAS")), result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["template.xlsx"], "temporary file left behind"


def test_cli_overwrite_message_names_the_real_option(tmp_path):
    out = tmp_path / "template.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["template", "-o", str(out)]).exit_code == 0
    result = runner.invoke(main, ["template", "-o", str(out)])
    assert result.exit_code == 2
    assert "--overwrite" in result.output, result.output


def test_cli_template_overwrite_replaces(tmp_path):
    out = tmp_path / "template.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["template", "-o", str(out), "--pemda", "Pertama"]).exit_code == 0
    result = runner.invoke(main, ["template", "-o", str(out), "--pemda", "Kedua", "--overwrite"])
    assert result.exit_code == 0, result.output
    cell = next(c for c in contract()["cells"] if c["field"] == "pemda")
    wb = openpyxl.load_workbook(out)
    assert wb[cell["sheet"]][cell["cell"]].value == "Kedua"
    wb.close()


def test_cli_unknown_rules_preset_lists_presets(tmp_path):
    out = tmp_path / "template.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out), "--rules", "surabaya"])
    assert result.exit_code == 2, result.output
    assert "surabaya" in result.output
    for preset in PRESETS:
        assert preset in result.output
    assert is_indonesian(result.output)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_bad_toml_rules_file_names_the_problem(tmp_path):
    rules = tmp_path / "aturan-rusak.toml"
    rules.write_text("[capaian\nbatas_atas = 100\n", encoding="utf-8")
    out = tmp_path / "template.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out), "--rules", str(rules)])
    assert result.exit_code == 2, result.output
    assert "aturan-rusak.toml" in result.output
    assert "TOML" in result.output and "line 1" in result.output
    assert is_indonesian(result.output, detail_after="(TOML):")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_inconsistent_rules_file_names_the_key(tmp_path):
    rules = tmp_path / "aturan.toml"
    rules.write_text('[capaian]\nrumus_polaritas_negatif = "R/T"\n', encoding="utf-8")
    out = tmp_path / "template.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out), "--rules", str(rules)])
    assert result.exit_code == 2, result.output
    assert "rumus_polaritas_negatif" in result.output
    assert is_indonesian(result.output)
    assert not out.exists()


def test_cli_template_with_rules_file_embeds_it(tmp_path):
    rules = tmp_path / "aturan.toml"
    text = 'nama = "Kabupaten Contoh"\n[capaian]\nbatas_atas = 105\n'
    rules.write_text(text, encoding="utf-8")
    out = tmp_path / "template.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out), "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    rules_cell = contract()["rules"]
    wb = openpyxl.load_workbook(out)
    assert wb[rules_cell["sheet"]][rules_cell["rules_cell"]].value == text
    wb.close()


# ---------------------------------------------------------------------------
# LibreOffice and import cost
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(templates, tmp_path_factory) -> tuple[dict[str, Path], str]:
    """Every preset's template converted to PDF by ONE headless LibreOffice call."""
    soffice = require_soffice()
    outdir = tmp_path_factory.mktemp("pdf")
    with tempfile.TemporaryDirectory(prefix="sakip-soffice-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *[str(path) for path in templates.values()],
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    return {preset: outdir / f"{path.stem}.pdf" for preset, path in templates.items()}, output


@pytest.mark.parametrize("preset", PRESETS)
def test_libreoffice_converts_template_to_pdf(pdfs, preset):
    files, output = pdfs
    assert "Error" not in output, output
    pdf = files[preset]
    assert pdf.is_file(), output
    assert pdf.stat().st_size > 1000
    assert pdf.read_bytes().startswith(b"%PDF")


def test_help_does_not_import_pandas():
    code = "import sakip_xlsx.cli, sys; print('pandas' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "False"


def test_help_runs_without_importing_pandas_or_spreadsheet_libraries():
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sakip_xlsx.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "sakip-xlsx" in completed.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in completed.stderr.splitlines() if "|" in line}
    heavy = {name for name in imported if name.split(".")[0] in {"pandas", "numpy", "openpyxl", "xlsxwriter"}}
    assert heavy == set()


def test_range_formula_pattern_sanity():
    assert RANGE_FORMULA.match("'Daftar'!$A$2:$A$3")
    assert RANGE_FORMULA.match("Daftar!$A$2:$A$3")
    assert not RANGE_FORMULA.match('"Ya,Tidak"')
