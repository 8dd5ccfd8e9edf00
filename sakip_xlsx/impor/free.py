"""Free tables ("Tabel Bebas") from a report: which tables go there, and their rule row.

A numeric table the fixed model has no place for goes to the free-tables sheet
under its printed title, so ``check`` checks its total rows.  Its rule row
("Rumus") is read from the table's own words only: the column headers and the
labels of its rows, never from its figures fitting a formula (a wrong figure
would then define the rule).  The words read:

* a percentage column ("Capaian", "Tingkat Kemajuan", "%", "Persentase") after
  a Realisasi column and a Target / Target Akhir / Baku / Pagu / Alokasi
  column: realisasi / target × 100 (the nearest such columns to its left,
  under the same group header if it has one);
* "% Ketersediaan X" after a Ketersediaan (or Hasil Rekon) and a Kebutuhan
  column: ketersediaan / kebutuhan × 100, and a total row sums both (the
  percentage of a total row is then the pooled one);
* "% Capaian (Bobot)": the column the parentheses name is the denominator, the
  nearest "Nilai" / "Hasil" column to the left the numerator;
* "Selisih" / "Sisa" after an amount and its Realisasi: amount − realisasi;
* "Efisiensi X" after a capaian column and a percentage of X (or of
  serapan): the rules preset's efisiensi (capaian − serapan, or 100 − serapan);
* group headers naming the same persons counted by another breakdown
  ("Jenis Kelamin", "Pendidikan", "Eselon", "Pangkat / Golongan"; not a group
  restricted to PNS / ASN / contract staff): every row's sums agree
  (``cek: SUM(..)=SUM(..)``);
* a column of means ("Rata-rata" in its header): its total row is not checked;
* a last row naming the whole ("Kecamatan X" under a "Desa" column) is the
  table's total ("Jumlah: Kecamatan X").
"""

from __future__ import annotations

import re
from typing import Any

from .columns import Header, header_words, is_numbering, numeric, numeric_cells, split_header

_SUMMARY = re.compile(r"^\s*(jumlah|total|sub\s*total|grand\s*total|rata|rerata)\b", re.IGNORECASE)
#: tables of a document's front matter: page numbers, not figures
_FRONT_MATTER = re.compile(r"^\s*daftar\s+(isi|tabel|gambar|grafik|lampiran)\b", re.IGNORECASE)
#: a row under the table that is a note, not data ("Keterangan : *) ...", "Sumber: BPS")
_NOTE = re.compile(r"^\s*(\*|keterangan\b|ket\s*:|sumber\s*:|catatan\b)", re.IGNORECASE)
_COUNT = re.compile(r"^\s*\d{1,3}\s*$")


def _figure(text: str) -> bool:
    """A cell check reads as one figure (small counts included: "12" staff is a figure here)."""
    return numeric(text) or bool(_COUNT.match(text))


def free_rows(header: Header, data: list[list[str]], title: str = "") -> list[list[str]] | None:
    """The data rows of a well-formed other numeric table, or None when it is not one.

    Well-formed: a header, rows as wide as it, one figure per cell, at most one summary row and it
    last (tables with several summary rows - sub totals, means of totals - are listed for the
    reviewer instead: their rows' meaning is not in their words).  Notes under the table are dropped.
    """
    width = len(header.labels)
    rows = list(data)
    while rows and _NOTE.match(rows[-1][0] if rows[-1] else "") and sum(1 for cell in rows[-1] if cell) == 1:
        rows.pop()
    if not header.header_rows or len(rows) < 2 or width < 2 or _FRONT_MATTER.match(title):
        return None
    summaries = [
        index for index, row in enumerate(rows) if _SUMMARY.match(next((c for c in row[:3] if c), ""))
    ]
    if len(summaries) > 1 or (summaries and summaries[0] != len(rows) - 1):
        return None
    figures = 0
    for row in rows:
        if len([cell for cell in row[width:] if cell]) or len(row) < width - 1:
            return None
        for cell in row:
            if _figure(cell):
                figures += 1
            elif numeric_cells(cell):
                return None  # several lines' figures merged into one cell: not safe to check
    if any(
        not header.labels[index].strip()
        and any(index < len(row) and _figure(row[index]) for row in rows)
        and not (index == 0 and all(not row[0] or is_numbering(row[0]) for row in rows if row))
        for index in range(width)
    ):
        return None  # figures under no header (but the row numbers): what they are is not said
    return rows if figures >= 2 else None


# --- the rule row ---------------------------------------------------------------------


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _words(text: str) -> str:
    return header_words(text.replace("%", " % "))


def _has(text: str, *words: str) -> bool:
    return any(f" {word} " in text for word in words)


class _Columns:
    """The header words of each column: its own (last header row) and with its group."""

    def __init__(self, table_rows: list[list[str]], header: Header, data: list[list[str]]) -> None:
        header_rows, _ = split_header(table_rows)
        self.width = len(header.labels)
        self.own: list[str] = []
        self.bare: list[str] = []
        self.group: list[str] = []
        for index in range(self.width):
            parts = [
                row[index]
                for row in header_rows
                if index < len(row) and row[index].strip() and not _FORMULA.fullmatch(row[index].strip())
            ]
            self.own.append(_words(parts[-1]) if parts else " ")
            # "Nilai Hasil Evaluasi (80%*LKE+20%*Ev. Lapangan)": a formula in brackets says how, not what
            self.bare.append(_words(_FORMULA.sub(" ", parts[-1])) if parts else " ")
            self.group.append("")
        # a group header spans the empty cells to its right that have a header below them
        for level, row in enumerate(header_rows[:-1]):
            group = ""
            for index in range(self.width):
                cell = row[index].strip() if index < len(row) else ""
                below = any(index < len(lower) and lower[index].strip() for lower in header_rows[level + 1 :])
                if cell and below:
                    group = cell
                elif cell or not below:
                    group = ""
                if group and below:
                    self.group[index] = group
        self.figures = [
            any(_figure(row[index]) for row in data if index < len(row)) for index in range(self.width)
        ]

    def percent(self, index: int) -> bool:
        own = self.bare[index]
        return _has(own, "%", "persentase", "prosentase", "capaian", "kemajuan")

    def left(self, index: int, *words: str, exclude: tuple[str, ...] = ()) -> int | None:
        """The nearest figure column left of ``index`` whose own header has one of ``words`` and is not
        a percentage, within the group header of ``index`` if it has one ("Anggaran" over Alokasi,
        Realisasi, Capaian: the capaian of the budget is not over the Kinerja target)."""
        for other in range(index - 1, -1, -1):
            if self.group[index] and self.group[other] != self.group[index]:
                return None
            if not self.figures[other] or self.percent(other):
                continue
            own = self.own[other]
            if _has(own, *words) and not _has(own, *exclude):
                return other
        return None


_FORMULA = re.compile(r"\([^)]*[*+=/][^)]*\)")
_TARGET_WORDS = ("target", "baku", "pagu", "alokasi", "anggaran", "rencana", "ketetapan")
_REALISASI_EXCLUDE = ("kabupaten", "provinsi", "nasional", "%")
#: group headers that count the same persons: each is a complete breakdown of a row's people
_BREAKDOWNS = ("jenis kelamin", "pendidikan", "eselon", "golongan", "pangkat")
_SUBSET = ("pns", "asn", "kontrak", "thl", "honorer", "non")


def infer_rules(
    table_rows: list[list[str]], header: Header, data: list[list[str]], rules: Any = None
) -> dict[str, str]:
    """The rule row of a free table, from its header words (column letter -> rule; "cek" for a row equality)."""
    columns = _Columns(table_rows, header, data)
    found: dict[str, list[str]] = {}

    def put(index: int, rule: str) -> None:
        found.setdefault(_letter(index), []).append(rule)

    ratios: dict[int, tuple[int, int]] = {}
    for index in range(columns.width):
        if not columns.figures[index]:
            continue
        own = columns.own[index]
        if _has(own, "selisih", "sisa"):
            realisasi = columns.left(index, "realisasi", exclude=_REALISASI_EXCLUDE)
            amount = columns.left(index, *_TARGET_WORDS) if realisasi is not None else None
            if amount is not None and amount < realisasi:
                put(index, f"={_letter(amount)}-{_letter(realisasi)}")
            continue
        if not columns.percent(index) or _has(own, "efisiensi"):
            continue
        if _has(own, "ketersediaan"):
            have = columns.left(index, "ketersediaan", "rekon", "tersedia")
            need = columns.left(index, "kebutuhan", "standar")
            if have is not None and need is not None and have != need:
                ratios[index] = (have, need)
                put(have, "total:jumlah")
                put(need, "total:jumlah")
            continue
        label = header.labels[index]
        bracket = re.search(r"\(([^)%]+)\)\s*$", label)
        if bracket and _has(own, "capaian"):
            base = _words(bracket.group(1))
            need = next(
                (
                    other
                    for other in range(index - 1, -1, -1)
                    if columns.figures[other] and columns.own[other].strip() == base.strip()
                ),
                None,
            )
            have = columns.left(index, "nilai", "hasil", "realisasi", "skor") if need is not None else None
            if have is not None and have != need:
                ratios[index] = (have, need)
            continue
        realisasi = columns.left(index, "realisasi", exclude=_REALISASI_EXCLUDE)
        if realisasi is None:
            continue
        if _has(own, "kemajuan"):
            target = columns.left(index, "akhir", "renstra", "rpjmd")
        else:
            target = columns.left(index, *_TARGET_WORDS, exclude=("akhir", "renstra", "rpjmd"))
        if target is not None and target < realisasi:
            ratios[index] = (realisasi, target)
    for index, (top, bottom) in ratios.items():
        put(index, f"={_letter(top)}/{_letter(bottom)}*100")

    formula = getattr(rules, "efisiensi_formula", "capaian - serapan")
    for index in range(columns.width):
        own = columns.own[index]
        if not columns.figures[index] or not _has(own, "efisiensi"):
            continue
        subject = [word for word in own.split() if word not in ("efisiensi", "tingkat", "%")]
        used = next(
            (
                other
                for other in range(index - 1, -1, -1)
                if columns.percent(other)
                and not _has(columns.own[other], "capaian", "kemajuan")
                and (
                    _has(columns.own[other], "serapan", "penyerapan")
                    or (subject and _has(columns.own[other], *subject))
                )
            ),
            None,
        )
        capaian = next(
            (
                other
                for other in range(index - 1, -1, -1)
                if _has(columns.own[other], "capaian") and columns.figures[other]
            ),
            None,
        )
        if used is None or capaian is None:
            continue
        if formula == "100 - serapan":
            put(index, f"=100-{_letter(used)}")
        else:
            put(index, f"={_letter(capaian)}-{_letter(used)}")

    for index in range(columns.width):
        if (
            columns.figures[index]
            and _has(columns.own[index] + _words(columns.group[index]), "rata")
            and not found.get(_letter(index))
        ):
            put(index, "total:abaikan")

    check = _breakdowns(columns)
    if check:
        found["cek"] = [check]
    return {letter: "; ".join(parts) for letter, parts in found.items()}


def _breakdowns(columns: _Columns) -> str | None:
    """``cek: SUM(C:F)=SUM(G:H)``: group headers that each break down the same persons."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < columns.width:
        group = columns.group[index]
        end = index
        while end + 1 < columns.width and group and columns.group[end + 1] == group:
            end += 1
        words = _words(group)
        if (
            group
            and end > index
            and any(f" {word} " in words for word in _BREAKDOWNS)
            and not _has(words, *_SUBSET)
            and any(columns.figures[column] for column in range(index, end + 1))
        ):
            spans.append((index, end))
        index = end + 1
    if len(spans) < 2:
        return None
    return "cek: " + "=".join(f"SUM({_letter(start)}:{_letter(end)})" for start, end in spans)


def total_labels(header: Header, rows: list[list[str]]) -> list[list[str]]:
    """Rows with a last row naming the whole ("Kecamatan X" under a "Desa / Kelurahan" column) marked as the total."""
    label_column = next(
        (index for index, label in enumerate(header.labels) if _has(_words(label), "desa", "kelurahan")), None
    )
    if label_column is None or not rows:
        return rows
    last = rows[-1]
    cells = [cell for cell in last[: label_column + 1] if cell and not is_numbering(cell)]
    if len(cells) == 1 and re.match(r"^\s*(kecamatan|kabupaten|kota)\b", cells[0], re.IGNORECASE):
        if not any(
            re.match(r"^\s*(kecamatan|kabupaten|kota)\b", row[label_column], re.IGNORECASE)
            for row in rows[:-1]
            if label_column < len(row)
        ):
            marked = [""] * len(last)
            marked[0] = f"Jumlah: {cells[0]}"
            for index in range(len(last)):
                if index > label_column:
                    marked[index] = last[index]
            return [*rows[:-1], marked]
    return rows
