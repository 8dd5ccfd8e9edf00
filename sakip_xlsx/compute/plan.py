"""Finding what a kode or uraian names (:class:`Resolver`), citations of several lines, Renstra printings and the Renstra plan tree (:class:`PlanTree`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..expr import Expr, guarded_value
from ..model import BudgetLine, Record, Submission
from ..names import normalise_name
from ..tables import DerivedTable


def year_span(kode: Any) -> tuple[int, int] | None:
    """A span of years written as a citation kode: "2016-2021", "2016..2021" or "2016 s/d 2021"."""
    found = re.fullmatch(
        r"([0-9]{4})\s*(?:-|\u2013|\.\.|s\s*/\s*d)\s*([0-9]{4})", " ".join(str(kode or "").split())
    )
    return (int(found.group(1)), int(found.group(2))) if found else None


def is_lines_kode(text: Any) -> bool:
    """A citation kode naming several budget lines: ``a+b``, ``a..c`` or ``a s/d c``."""
    text = " ".join(str(text or "").split())
    return "+" in text or ".." in text or bool(re.search(r"\ss\s*/\s*d\s", text))


def cited_lines(sub: Submission, text: str, resolver: Resolver) -> list[BudgetLine] | None:
    """The budget lines a citation kode ``a+b+c``, ``a..c`` or ``a s/d c`` names (a to c: the lines
    of a's level between them in table order); None when a part names no budget line."""
    lines: list[BudgetLine] = []
    order = sub.budget_lines
    for part in " ".join(str(text or "").split()).split("+"):
        ends = re.split(r"\.\.(?!\.)|\s+s\s*/\s*d\s+", part.strip())
        found = [resolver.find(end.strip()) for end in ends]
        if any(f is None or f[0] != "anggaran" for f in found):
            return None
        if len(found) == 1:
            lines.append(found[0][1])
            continue
        if len(found) != 2:
            return None
        first, last = found[0][1], found[1][1]
        start, stop = order.index(first), order.index(last)
        if stop < start:
            return None
        lines += [line for line in order[start : stop + 1] if line.level == first.level]
    return lines


class Resolver:
    """Find the indikator, sasaran or budget line a kode (or its uraian) names."""

    def __init__(self, submission: Submission):
        self.by_key: dict[str, tuple[str, Any]] = {}
        self.by_name: dict[str, list[tuple[str, Any]]] = {}
        self.by_output: dict[str, list[tuple[str, Any]]] = {}
        self._similar: dict[str, tuple[str, Any] | None] = {}
        for kind, items in (
            ("indikator", submission.records("indikator")),
            ("sasaran", submission.records("sasaran")),
            ("anggaran", submission.budget_lines),
        ):
            for item in items:
                record = item.record if isinstance(item, BudgetLine) else item
                if record.key:
                    self.by_key.setdefault(record.key, (kind, item))
                name = normalise_name(record.get("uraian"))
                if name:
                    self.by_name.setdefault(name, []).append((kind, item))
                output = normalise_name(record.get("indikator_keluaran")) if kind == "anggaran" else ""
                if output and output != name:  # a line is also named by its own output indicator
                    self.by_output.setdefault(output, []).append((kind, item))

    def find(self, kode: Any) -> tuple[str, Any] | None:
        if kode in (None, ""):
            return None
        text = str(kode).strip()
        if text in self.by_key:
            return self.by_key[text]
        name = normalise_name(text)
        found = self.by_name.get(name) or self.by_output.get(name, [])
        return found[0] if len(found) == 1 else None

    def find_similar(self, kode: Any) -> tuple[str, Any] | None:
        """:meth:`find`, else the one uraian spelled almost the same ("Instalansi" for "Instalasi").

        The best match must be very close (ratio >= 0.93) and clearly closer than the next one.
        """
        found = self.find(kode)
        if found is not None or kode in (None, ""):
            return found
        import difflib

        name = normalise_name(kode)
        if len(name) < 12 or len(self.by_name) > 5000:  # a fuzzy scan of a huge budget would be slow
            return None
        if name in self._similar:  # a plan names the same line in many rows
            return self._similar[name]
        scored = []
        for other in self.by_name:
            matcher = difflib.SequenceMatcher(None, name, other)
            # a name whose cheap upper bounds are below 0.88 can be neither the match (>= 0.93) nor a
            # runner-up close enough (> best - 0.05) to make the match doubtful: skip its full ratio
            if matcher.real_quick_ratio() >= 0.88 and matcher.quick_ratio() >= 0.88:
                scored.append((matcher.ratio(), other))
        scored.sort(reverse=True)
        found = None
        if scored and scored[0][0] >= 0.93 and not (len(scored) > 1 and scored[1][0] > scored[0][0] - 0.05):
            candidates = self.by_name[scored[0][1]]
            found = candidates[0] if len(candidates) == 1 else None
        self._similar[name] = found
        return found


#: The printing a Renstra row belongs to when its ``sumber`` is empty.
DEFAULT_PRINTING = "Renstra"


def printing_of(record: Record) -> str:
    """The printing (``sumber``) of a Renstra row, "Renstra" when not given."""
    text = " ".join(str(record.get("sumber") or "").split())
    return text or DEFAULT_PRINTING


def is_revised_printing(printing: str) -> bool:
    """A proposed or revised plan (Renstra Perubahan, Usulan Perubahan): may differ from the final DPA."""
    name = normalise_name(printing)
    return "usulan" in name or ("renstra" in name and "perubahan" in name)


def is_renja_printing(printing: str) -> bool:
    """The annual plan (Renja) before its revision: its pagu became the DPA murni and the PK Murni."""
    name = normalise_name(printing)
    return "renja" in name and "perubahan" not in name


def _kode_parts(kode: Any) -> list[str] | None:
    """Segments of a dotted budget kode ("7.01.01.2.01.0001"), None for anything else."""
    text = str(kode or "").strip()
    if not re.fullmatch(r"[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)+", text):
        return None
    return text.split(".")


class PlanTree:
    """The budget tree of a Renstra sheet: the Anggaran lines plus kodes planned for other years.

    A Renstra kode that names no indikator, sasaran or Anggaran line but is a dotted kode is
    placed under the longest kode prefix that is a budget line (or another such kode), so a
    parent's yearly sum includes the lines not budgeted this year; an uraian spelled almost like
    one of Anggaran or Indikator ("Instalansi" for "Instalasi") is that line. The submission is
    not changed.
    """

    def __init__(self, submission: Submission, records: list[Record], resolver: Resolver):
        self.resolver = resolver
        self.programs = list(submission.programs)
        self.extra: dict[int, list[BudgetLine]] = {}
        self.extra_roots: list[BudgetLine] = []
        self.placed: dict[str, BudgetLine] = {}
        self.unbudgeted: set[int] = set()
        known = {line.record.key: line for line in submission.budget_lines if line.record.key}
        pending = sorted(
            {
                str(record.get("kode")).strip(): record
                for record in reversed(records)
                if resolver.find(record.get("kode")) is None and _kode_parts(record.get("kode"))
            }.items(),
            key=lambda item: len(item[0].split(".")),
        )
        for kode, record in pending:
            parts = _kode_parts(kode) or []
            parent = None
            for cut in range(len(parts) - 1, 0, -1):
                prefix = ".".join(parts[:cut])
                parent = self.placed.get(prefix) or known.get(prefix)
                if parent is not None:
                    break
            level = (
                parent.level + 1
                if parent is not None
                else (0 if len(parts) <= 3 else 1 if len(parts) <= 5 else 2)
            )
            line = BudgetLine(record, min(level, 2), parent)
            self.placed[kode] = line
            self.unbudgeted.add(id(line))
            if parent is None:
                self.extra_roots.append(line)
            else:
                self.extra.setdefault(id(parent), []).append(line)
        self._taint(records)

    def _taint(self, records: list[Record]) -> None:
        """Lines whose yearly sum cannot be checked: a row that names no line sits under them.

        Rows are typed in the order of the plan, so an unknown row with a pagu belongs to the
        last known line above it (as its child, or as its sibling): that line and its ancestors
        are left unchecked for that year and printing, rather than reported short.
        """
        self.tainted: set[tuple[int, Any, str]] = set()
        last: BudgetLine | None = None
        for record in records:
            found = self.find(record.get("kode"))
            if found is not None:
                if isinstance(found[1], BudgetLine):
                    last = found[1]
                continue
            if last is None or record.get("pagu") is None or not record.get("kode"):
                continue
            line: BudgetLine | None = last
            while line is not None:
                self.tainted.add((id(line), record.get("tahun"), printing_of(record)))
                line = line.parent

    def find(self, kode: Any) -> tuple[str, Any] | None:
        line = self.placed.get(str(kode or "").strip())
        if line is not None:
            return ("anggaran", line)
        return self.resolver.find_similar(kode)

    def stating(self, records: list[Record], item: Any, printing: str, field_id: str) -> Iterator[Record]:
        """The rows of ``records`` that are ``item`` of the plan in ``printing`` and state ``field_id``."""
        for record in records:
            found = self.find(record.get("kode"))
            if (
                found is not None
                and found[1] is item
                and printing_of(record) == printing
                and record.get(field_id) is not None
            ):
                yield record

    def children(self, line: BudgetLine) -> list[BudgetLine]:
        return [*line.children, *self.extra.get(id(line), [])]

    def roots(self) -> list[BudgetLine]:
        return [*self.programs, *self.extra_roots]

    def is_unbudgeted(self, item: Any) -> bool:
        return id(item) in self.unbudgeted

    def key(self, line: BudgetLine) -> Any:
        return str(line.record.get("kode")).strip() if id(line) in self.unbudgeted else line.record.key


def _renstra_value(table: DerivedTable, index: int, column_id: str) -> Any:
    content = table.rows[index].cells.get(column_id)
    if content is None:
        return None
    return guarded_value(content) if isinstance(content, Expr) else content
