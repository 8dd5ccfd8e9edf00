"""Free tables ("Tabel Bebas"): any other numeric table of a report, checked by its totals and rules.

A report holds many numeric tables the fixed model has no place for
(population per desa, staff by education and sex, sarpras, PBB per year,
PATEN per month, LRA per kode rekening, IKM per unsur, IP ASN per pegawai).
Staff paste each one into the sheet :data:`FREE_SHEET` under a title row and
a header row; this module

* reads the sheet into :class:`FreeTable` objects (:func:`parse_free_tables`),
* checks totals, sub-totals, means, kode roll-ups, declared column formulas,
  row equalities and grade labels (:func:`check_free_tables`),
* describes one results-workbook table per free table whose recomputed cells
  are live formulas (:func:`free_table_derived`).

Conventions (the template prints them as :data:`INSTRUCTIONS`):

* a title row: column A starts with "Tabel" (any case) or "Judul:", the rest
  of the row is empty;
* the next non-empty row is the header row; a second header row under merged
  group headers ("Pendidikan" over "S2 S1 D3") is folded into the first, a
  column-numbering row ("1 2 3 4 ...") and repeated header rows are skipped;
* an optional rule row right under the header: one cell "Rumus" (column A, or a cell of its own
  beside the table), or "Rumus: <rule>" in column A so that column A keeps a rule of its own (e.g.
  "Rumus: kode"); in the other cells a column formula over column letters (``=D/C*100``, ``=B+C``,
  ``=SUM(B:M)``, ``=AVERAGE(C:K)``, ``=ROUND(D/C*100;2)``, ``=0,8*C+0,2*D``, ``=80%*C+20%*D``), a row
  equality (``cek: SUM(C:F)=SUM(G:H)``, chains ``A=B=C`` allowed), a cell rule across rows with
  sheet addresses (``cek: E14 = E13 - H10``: one figure computed from other rows), ``kode`` (dotted kode column
  rolling up by prefix), ``skala:NAME`` (grade labels typed with the value are checked on a scale of
  :meth:`rules.Rules.scales`), ``abaikan`` (column left unchecked) or what a total row is in that
  column (``total:jumlah|rata|rumus|abaikan``; ``jumlah:...`` / ``rata:...`` for sum or mean rows
  only); several entries in one cell are separated by ``;`` outside parentheses;
* data rows follow until a blank row or the next title; every cell is read by the shared reader
  (:func:`values.parse_value`), a column with rupiah written in it ("Rp. 1.250.000.000,00",
  "4.349.483.103,-") as rupiah; the label column ("1 Pendapatan Asli Daerah") and columns of words
  only are never figures;
* rows labelled Jumlah, Total, Sub Total, Rata-rata, alone or with words such as "Seluruh",
  "Keseluruhan", "Anggaran Tahun 2021" (also "Jumlah: <anything>") are total rows; "Rata-rata
  Capaian", "RATA-RATA TINGKAT KEMAJUAN" and the like only at the foot of the table. A total whose
  inputs are all unreadable gets a warning saying it was not checked.

Expressions are read by a small tokenizer and recursive-descent parser into
:mod:`sakip_xlsx.expr` trees: never ``eval``.  Numbers in rules may use a
decimal comma or point (``0,8`` and ``0.8``); function arguments are
separated by ``;`` or by ``,`` (a comma between two digits is a decimal
comma unless the formula only parses the other way, as ``ROUND(D/C*100,2)``).

Which figure a check uses: every input of a computation is the figure as
stated in the sheet when it is a number (so one wrong cell is reported once,
not again in every total built on it), else its recomputed value.  Sum rows
of a column whose rule divides (a percentage) are checked by the rule over
the row's own totals (pooled, never a sum of percentages); other rule
columns of a sum row are summed; mean rows average the column, except rupiah
columns (summed) and ratio rules over them (pooled), unless the rule row says
otherwise.
"""

from __future__ import annotations

from .check import check_free_tables
from .derived import free_table_derived
from .language import RuleError, parse_equality, parse_formula
from .sheet import (
    FIRST_TABLE_ROW,
    FREE_SHEET,
    INSTRUCTIONS,
    TABLE_ID,
    FreeRow,
    FreeTable,
    parse_free_tables,
    tables_named,
)

__all__ = [
    "FIRST_TABLE_ROW",
    "FREE_SHEET",
    "INSTRUCTIONS",
    "TABLE_ID",
    "FreeRow",
    "FreeTable",
    "RuleError",
    "check_free_tables",
    "free_table_derived",
    "parse_equality",
    "parse_formula",
    "parse_free_tables",
    "tables_named",
]
