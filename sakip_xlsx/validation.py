"""Checks across the rows of a read workbook, and the budget tree.

Run once the reader has read every table: kodes used twice, references to a kode no other
sheet has, each budget line placed under its parent (the tree the computation walks),
negative amounts, and units written beside target and realisasi that disagree.
"""

from __future__ import annotations

from .description import Reference, Table, TemplateDescription
from .findings import Finding, finding
from .model import BudgetLine, Record, Submission
from .names import normalise_header
from .precision import is_number

LEVELS = {"Program": 0, "Kegiatan": 1, "Sub Kegiatan": 2}
LEVEL_NAMES = {0: "program", 1: "kegiatan", 2: "sub kegiatan"}


def validate(submission: Submission, description: TemplateDescription) -> list[Finding]:
    """The findings across rows of ``submission``; sets ``submission.budget_lines`` and ``.programs``."""
    validation = _Validation(description)
    validation.validate(submission)
    return validation.findings


class _Validation:
    def __init__(self, description: TemplateDescription):
        self.description = description
        self.findings: list[Finding] = []

    def validate(self, submission: Submission) -> None:
        for table in self.description.tables:
            self._keys(submission, table)
            for column in table.columns:
                if isinstance(column.list, Reference):
                    self._references(submission, table, column.field, column.list, column.header)
        self._budget_tree(submission)
        self._amounts_and_units(submission)

    def _keys(self, submission: Submission, table: Table) -> None:
        if table.key is None or table.id not in submission.tables:
            return
        data = submission.tables[table.id]
        records = data.records
        seen: dict[str, Record] = {}
        for index, key in enumerate(data.values(table.key)):
            if key is None or key == "":
                continue
            record = records[index]
            first = seen.setdefault(key if key.__class__ is str else str(key), record)
            if first is not record:
                entry = record.entry(table.key)
                self.findings.append(
                    finding(
                        "duplicate-kode",
                        f"Kode {key} di {record.sheet}!{entry.cell} sudah dipakai di baris {first.row}. "
                        "Tiap kode hanya boleh muncul sekali.",
                        sheet=record.sheet,
                        cell=entry.cell,
                        table=table.id,
                        row_key=str(key),
                        field=table.key,
                        stated=str(key),
                        cells=(first.entry(table.key).cell, entry.cell),
                    )
                )

    def _references(
        self, submission: Submission, table: Table, field_id: str, ref: Reference, header: str
    ) -> None:
        data = submission.tables.get(table.id)
        if data is None or field_id not in data.data:
            return
        target_data = submission.tables.get(ref.table)
        known = (
            {str(value) for value in target_data.values(ref.field) if value}
            if target_data is not None
            else set()
        )
        target = self.description.table[ref.table]
        for index, value in enumerate(data.values(field_id)):
            if value is None or value == "" or (value if value.__class__ is str else str(value)) in known:
                continue
            record = data.records[index]
            entry = record.entry(field_id)
            self.findings.append(
                finding(
                    "unknown-reference",
                    f"{record.sheet}!{entry.cell} ({header}): kode \u201c{entry.value}\u201d tidak ada di "
                    f"lembar {target.sheet}.",
                    sheet=record.sheet,
                    cell=entry.cell,
                    table=table.id,
                    row_key=record.key,
                    field=field_id,
                    stated=str(entry.value),
                    expected=sorted(known)[:20],
                )
            )

    def _budget_tree(self, submission: Submission) -> None:
        """Place every anggaran line under its parent: by kode prefix, else by row order."""
        data = submission.tables.get("anggaran")
        if data is None:
            return
        lines = []
        by_kode: dict[str, BudgetLine] = {}
        for record, tingkat, key in zip(data.records, data.values("tingkat"), data.keys, strict=True):
            level = LEVELS.get(tingkat)
            if level is None:
                level = _level_from_kode(key)
                if level is None:
                    continue  # tingkat missing/unknown already reported
            line = BudgetLine(record, level)
            lines.append(line)
            if key:
                by_kode.setdefault(key, line)
        last_at_level: dict[int, BudgetLine] = {}
        programs = submission.programs
        for line in lines:
            level = line.level
            parent = None
            if level > 0:
                key = line.record.key
                if key:
                    parent = _prefix_parent(key, level, by_kode)
                if parent is None:  # no kode, or its parent kode is absent: follow row order
                    candidate = last_at_level.get(level - 1)
                    if (
                        candidate is not None
                        and key
                        and "." in key
                        and candidate.record.key
                        and not key.startswith(candidate.record.key + ".")
                    ):
                        candidate = None  # its kode says it belongs elsewhere: an orphan, not a guess
                    parent = candidate
                if parent is None:
                    entry = line.record.entry("tingkat") or line.record.entry("uraian")
                    self.findings.append(
                        finding(
                            "orphan-budget-line",
                            f"{line.record.sheet}!{entry.cell}: {LEVEL_NAMES[level]} \u201c{line.label}\u201d "
                            f"tidak punya {LEVEL_NAMES[level - 1]} induk di atasnya.",
                            sheet=line.record.sheet,
                            cell=entry.cell,
                            table="anggaran",
                            row_key=line.record.key,
                            field="tingkat",
                        )
                    )
            line.parent = parent
            if parent is not None:
                parent.children.append(line)
            elif level == 0:
                programs.append(line)
            last_at_level[level] = line
            if level < 2:
                for deeper in [other for other in last_at_level if other > level]:
                    del last_at_level[deeper]
        submission.budget_lines = lines

    def _amounts_and_units(self, submission: Submission) -> None:
        for table_id, fields in (("anggaran", ("pagu", "realisasi")), ("pk_anggaran", ("anggaran",))):
            data = submission.tables.get(table_id)
            if data is None:
                continue
            for field_id in fields:
                for index, value in enumerate(data.values(field_id)):
                    if value.__class__ is not str and value is not None and is_number(value) and value < 0:
                        record = data.records[index]
                        entry = record.entry(field_id)
                        self.findings.append(
                            finding(
                                "negative-amount",
                                f"{record.sheet}!{entry.cell}: jumlah uang negatif ({value:,.0f}).".replace(
                                    ",", "."
                                ),
                                sheet=record.sheet,
                                cell=entry.cell,
                                table=table_id,
                                row_key=record.key,
                                field=field_id,
                                stated=value,
                            )
                        )
        for table_id, target_field, real_field in (
            ("indikator", "target", "realisasi"),
            ("anggaran", "target", "realisasi_kinerja"),
        ):
            data = submission.tables.get(table_id)
            if data is None:
                continue
            with_units: set[int] = set()
            for field_id in (target_field, real_field):
                column = data.data.get(field_id)
                if column is not None:  # a plain reading has no unit
                    with_units.update(
                        index
                        for index, reading in enumerate(column.readings)
                        if reading is not None and reading.unit
                    )
            for index in sorted(with_units):
                self._units(data.records[index], table_id, target_field, real_field)

    def _units(self, record: Record, table_id: str, target_field: str, real_field: str) -> None:
        satuan = record.get("satuan")
        units = {}
        for field_id in (target_field, real_field):
            entry = record.filled(field_id)
            if entry is not None and entry.parsed is not None and getattr(entry.parsed, "unit", None):
                units[field_id] = entry
        if not units:
            return
        names = {_unit_key(entry.parsed.unit) for entry in units.values()}
        mismatch = len(names) > 1 or (satuan and names and _unit_key(satuan) not in names and satuan != "%")
        if mismatch:
            entries = list(units.values())
            # point at the figure whose unit disagrees with the Satuan column (else the realisasi)
            odd = [e for e in entries if satuan and _unit_key(e.parsed.unit) != _unit_key(satuan)]
            entries = sorted(entries, key=lambda e: (e not in odd, e is not units.get(real_field)))
            written = ", ".join(f"{entry.cell}: {entry.parsed.unit}" for entry in entries)
            self.findings.append(
                finding(
                    "satuan-mismatch",
                    f"{record.sheet} baris {record.row}: satuan tertulis berbeda ({written}"
                    + (f"; kolom Satuan: {satuan}" if satuan else "")
                    + ").",
                    sheet=record.sheet,
                    cell=entries[0].cell,
                    table=table_id,
                    row_key=record.key,
                    field=next(f for f, e in units.items() if e is entries[0]),
                    stated=entries[0].parsed.unit,
                    expected=satuan,
                    cells=tuple(entry.cell for entry in entries),
                )
            )


def _unit_key(unit: str) -> str:
    return normalise_header(str(unit)).rstrip("s")


def _level_from_kode(kode: str | None) -> int | None:
    """Level from a Permendagri 90 kode: 3 segments program, 5 kegiatan, 6 sub kegiatan."""
    if not kode:
        return None
    return {3: 0, 5: 1, 6: 2}.get(len(kode.split(".")))


def _prefix_parent(kode: str, level: int, by_kode: dict[str, BudgetLine]) -> BudgetLine | None:
    """The nearest line one level up whose kode is a dotted prefix of ``kode`` (a line at ``level``)."""
    cut = kode.rfind(".")
    while cut > 0:
        candidate = by_kode.get(kode[:cut])
        if candidate is not None and candidate.level == level - 1:
            return candidate
        cut = kode.rfind(".", 0, cut)
    return None
