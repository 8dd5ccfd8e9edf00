"""Tiny expression trees that give both a Python value and an Excel formula.

Every derived quantity is built once as an :class:`Expr`; the results writer
writes ``cell_formula(expr)`` with ``expr.value()`` as the cached value, and
the checks compare stated figures with the same ``expr.value()``.  So the
Python value and the spreadsheet formula cannot drift apart.

Semantics shared by both sides:

* a blank or non-numeric input gives "no value" (``None`` in Python, ``""``
  in the sheet), never a silent 0: every top-level formula is guarded by
  ``IF(COUNT(inputs)<n,"",...)``;
* division by zero gives no value (``IFERROR(...,"")`` in the sheet);
* ``SUM`` skips blanks on both sides, ``AVERAGE`` of nothing is no value.

Column expressions: a table of many rows (one per budget line) repeats the same
formula with another row in each.  Its column is built once, as one expression
whose leaves are :class:`Cells` (a cell per row) or :class:`Numbers`; then
``values_over(n)`` and ``missing_over(n)`` give what ``value()`` and
``missing_input()`` give for every row at once (a few list comprehensions instead
of a tree of objects per row), and ``bind(row)`` gives the plain expression of one
row, whose formula is written into the results workbook.  :func:`column_values`
is :func:`guarded_value` for every row.  tests/test_quantities.py checks that the
two ways agree row by row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .cells import split_cell
from .precision import is_number, nearly_equal

Number = int | float


_is_number = is_number


def numbers_only(values: Iterable[Any]) -> list[Any]:
    """Each value where it is a number (:func:`_is_number`), else None: one pass over a column.

    The test is written out for the usual floats and ints (this runs for every row of every
    derived column); anything else asks :func:`_is_number`.
    """
    return [
        value
        if (value.__class__ is float and value - value == 0.0)  # finite: inf - inf and nan are nan
        or value.__class__ is int
        or (value is not None and value.__class__ is not float and _is_number(value))
        else None
        for value in values
    ]


#: True for a value a formula computes with: an int or a finite float (not a bool).
is_cell_number = is_number


def sum_numbers(values: Iterable[Any]) -> float:
    """``SUM`` of values as a spreadsheet adds them: numbers only, blanks and text skipped."""
    return math.fsum(value for value in values if _is_number(value))


def _either(left: list[bool], right: list[bool]) -> list[bool]:
    return [a or b for a, b in zip(left, right, strict=True)]


@lru_cache(maxsize=1024)
def quote_sheet(sheet: str) -> str:
    """Sheet name as used in a formula reference (memoised: a workbook has a few dozen sheets,
    and every reference of every formula asks)."""
    if sheet.replace("_", "").isalnum() and not sheet[0].isdigit():
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


class Expr:
    """Base class: ``value()`` for Python, ``formula()`` for Excel.

    Expressions are never changed once built (the classes use slots, not frozen
    dataclasses, because a large workbook builds hundreds of thousands of them and
    frozen ones are slower to make); ``_guarded`` keeps the value of
    :func:`guarded_value`.
    """

    __slots__ = ("_guarded",)

    def value(self) -> Any:
        raise NotImplementedError

    def formula(self) -> str:
        raise NotImplementedError

    def strict_refs(self) -> list[Ref]:
        """References that must all be numbers for the result to exist."""
        return []

    def missing_input(self) -> bool:
        """True when one of :meth:`strict_refs` holds no number (the formula's guard shows blank)."""
        return any(ref.value() is None for ref in self.strict_refs())

    def may_fail(self) -> bool:
        """True when Excel could raise an error value (division, AVERAGE of nothing)."""
        return False

    # column expressions (see the module docstring): the value of every row at once
    def values_over(self, n: int) -> list[Any]:
        """``bind(row).value()`` for rows ``0 .. n-1``."""
        raise NotImplementedError(f"{type(self).__name__} has no column form")

    def missing_over(self, n: int) -> list[bool]:
        """``bind(row).missing_input()`` for rows ``0 .. n-1``."""
        raise NotImplementedError(f"{type(self).__name__} has no column form")

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        """The same expression with each column leaf replaced by ``leaf(it)`` (itself when it has none)."""
        raise NotImplementedError(f"{type(self).__name__} has no column form")

    def bind(self, row: int) -> Expr:
        """The plain expression of one row of a column expression (itself when it has no column leaf)."""
        return self.rebuild(lambda leaf: leaf.bind(row))

    # operators build trees, so definitions read like the formulas they are
    def __add__(self, other: Expr | Number) -> Expr:
        return Bin("+", self, lift(other))

    def __radd__(self, other: Number) -> Expr:
        return Bin("+", lift(other), self)

    def __sub__(self, other: Expr | Number) -> Expr:
        return Bin("-", self, lift(other))

    def __rsub__(self, other: Number) -> Expr:
        return Bin("-", lift(other), self)

    def __mul__(self, other: Expr | Number) -> Expr:
        return Bin("*", self, lift(other))

    def __rmul__(self, other: Number) -> Expr:
        return Bin("*", lift(other), self)

    def __truediv__(self, other: Expr | Number) -> Expr:
        return Bin("/", self, lift(other))

    def __rtruediv__(self, other: Number) -> Expr:
        return Bin("/", lift(other), self)


def lift(value: Expr | Number) -> Expr:
    return value if isinstance(value, Expr) else Num(value)


@dataclass(eq=False, slots=True)
class Ref(Expr):
    """A cell of the results workbook holding ``cached`` (an input copy or a derived cell)."""

    sheet: str
    cell: str
    cached: Any = None
    #: a reference to a label (text shown as it is); any other reference must hold a number
    text: bool = False

    def value(self) -> Any:
        if self.text:
            return self.cached or None
        return self.cached if _is_number(self.cached) else None

    def formula(self) -> str:
        return f"{quote_sheet(self.sheet)}!{self.cell}"

    def strict_refs(self) -> list[Ref]:
        return [] if self.text else [self]

    def missing_input(self) -> bool:
        return not self.text and not _is_number(self.cached)

    def values_over(self, n: int) -> list[Any]:
        return [self.value()] * n

    def missing_over(self, n: int) -> list[bool]:
        return [self.missing_input()] * n

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return self


@dataclass(eq=False, slots=True)
class Num(Expr):
    number: Number

    def value(self) -> Any:
        return self.number

    def missing_input(self) -> bool:
        return False

    def values_over(self, n: int) -> list[Any]:
        return [self.number] * n

    def missing_over(self, n: int) -> list[bool]:
        return [False] * n

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return self

    def formula(self) -> str:
        text = repr(self.number) if isinstance(self.number, float) else str(self.number)
        if text.endswith(".0"):
            text = text[:-2]
        return f"({text})" if self.number < 0 else text


@dataclass(eq=False, slots=True)
class Text(Expr):
    text: str

    def value(self) -> Any:
        return self.text or None

    def missing_input(self) -> bool:
        return False

    def values_over(self, n: int) -> list[Any]:
        return [self.text or None] * n

    def missing_over(self, n: int) -> list[bool]:
        return [False] * n

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return self

    def formula(self) -> str:
        return '"' + self.text.replace('"', '""') + '"'


_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: None if b == 0 else a / b,
}


@dataclass(eq=False, slots=True)
class Bin(Expr):
    op: str
    left: Expr
    right: Expr

    def value(self) -> Any:
        left, right = self.left.value(), self.right.value()
        if not (_is_number(left) and _is_number(right)):
            return None
        return _OPS[self.op](left, right)

    def formula(self) -> str:
        return f"({self.left.formula()}{self.op}{self.right.formula()})"

    def strict_refs(self) -> list[Ref]:
        return self.left.strict_refs() + self.right.strict_refs()

    def missing_input(self) -> bool:
        return self.left.missing_input() or self.right.missing_input()

    def may_fail(self) -> bool:
        return self.op == "/" or self.left.may_fail() or self.right.may_fail()

    def values_over(self, n: int) -> list[Any]:
        pairs = zip(
            numbers_only(self.left.values_over(n)), numbers_only(self.right.values_over(n)), strict=True
        )
        # _OPS written out per operator (no call per row)
        if self.op == "+":
            return [None if a is None or b is None else a + b for a, b in pairs]
        if self.op == "-":
            return [None if a is None or b is None else a - b for a, b in pairs]
        if self.op == "*":
            return [None if a is None or b is None else a * b for a, b in pairs]
        return [None if a is None or b is None or b == 0 else a / b for a, b in pairs]

    def missing_over(self, n: int) -> list[bool]:
        return _either(self.left.missing_over(n), self.right.missing_over(n))

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return Bin(self.op, self.left.rebuild(leaf), self.right.rebuild(leaf))


@dataclass(eq=False, slots=True)
class Sum(Expr):
    """``SUM`` of cells: blanks are skipped on both sides (chunked past 255 arguments)."""

    terms: tuple[Expr, ...]

    def value(self) -> Any:
        return sum_numbers([term.value() for term in self.terms])

    #: shortest run of neighbouring cells written as a range
    min_run = 3

    def formula(self) -> str:
        return function_call("SUM", compress_refs(self.terms, self.min_run) or ["0"])

    def may_fail(self) -> bool:
        return any(term.may_fail() for term in self.terms)


def compress_refs(terms: Iterable[Expr], min_run: int = 2) -> list[str]:
    """Formula arguments of ``terms``, runs of at least ``min_run`` neighbouring cells (down a
    column or along a row, one direction per run) written as one range (``C4:C9``)."""
    parts: list[str] = []
    run: list[Ref] = []
    step: tuple[int, int] | None = None

    def flush() -> None:
        if len(run) >= min_run:
            parts.append(f"{run[0].formula()}:{run[-1].cell}")
        else:
            parts.extend(ref.formula() for ref in run)
        run.clear()

    for term in terms:
        position = _position(term)
        if position is not None:
            if run and term.sheet == run[-1].sheet:
                column, row = _position(run[-1])
                move = (position[0] - column, position[1] - row)
                if move in ((1, 0), (0, 1)) and step in (None, move):
                    run.append(term)
                    step = move
                    continue
            flush()
            run.append(term)
        else:
            flush()
            parts.append(term.formula())
        step = None
    flush()
    return parts


def _position(term: Expr) -> tuple[int, int] | None:
    """Column and row of a numeric cell reference (None for anything else)."""
    if not isinstance(term, Ref) or term.text:
        return None
    try:
        return split_cell(term.cell)
    except ValueError:
        return None


def function_call(name: str, parts: list[str]) -> str:
    """``NAME(a,b,...)``, nested in chunks of 250 past Excel's limit of 255 arguments."""
    while len(parts) > 250:
        parts = [f"{name}({','.join(parts[i : i + 250])})" for i in range(0, len(parts), 250)]
    return f"{name}({','.join(parts)})"


@dataclass(eq=False, slots=True)
class Average(Expr):
    """``AVERAGE`` of a contiguous range of cells; no value when none is a number."""

    sheet: str
    first: str
    last: str
    cells: tuple[Expr, ...]

    def value(self) -> Any:
        values = [v for v in (cell.value() for cell in self.cells) if _is_number(v)]
        return math.fsum(values) / len(values) if values else None

    def formula(self) -> str:
        return f"AVERAGE({quote_sheet(self.sheet)}!{self.first}:{self.last})"

    def may_fail(self) -> bool:
        return True


@dataclass(eq=False, slots=True)
class CountIf(Expr):
    """``COUNTIF`` over a contiguous range with a numeric criterion such as ``>100``."""

    sheet: str
    first: str
    last: str
    cells: tuple[Expr, ...]
    op: str
    threshold: Number

    def value(self) -> Any:
        values = [v for v in (cell.value() for cell in self.cells) if _is_number(v)]
        return sum(1 for v in values if _compare(self.op, v, self.threshold))

    def formula(self) -> str:
        threshold = Num(self.threshold).formula().strip("()")
        return f'COUNTIF({quote_sheet(self.sheet)}!{self.first}:{self.last},"{self.op}{threshold}")'


def exact_sum(values: Iterable[Any]) -> Number:
    """``SUM`` of a range as a spreadsheet adds it (numbers only), an exact int when every
    number is an int (counts stay counts), else :func:`math.fsum`."""
    numbers = [v for v in values if _is_number(v)]
    if all(isinstance(v, int) for v in numbers):
        return sum(numbers)
    return math.fsum(numbers)


@dataclass(frozen=True, eq=False)
class RangeSum(Expr):
    """``SUM(sheet!A1:A9)`` of a contiguous range: blanks and text skipped on both sides."""

    sheet: str
    first: str
    last: str
    cells: tuple[Expr, ...]

    def value(self) -> Any:
        return exact_sum(c.value() for c in self.cells)

    def formula(self) -> str:
        return f"SUM({quote_sheet(self.sheet)}!{self.first}:{self.last})"


@dataclass(frozen=True, eq=False)
class SumIf(Expr):
    """``SUMIF(criteria range, number, sum range)``: Σ of the cells whose criteria cell equals ``criterion``."""

    sheet: str
    criteria: tuple[str, str]
    criteria_cells: tuple[Expr, ...]
    summed: tuple[str, str]
    cells: tuple[Expr, ...]
    criterion: Number

    def value(self) -> Any:
        return exact_sum(
            v
            for c, v in zip(
                (c.value() for c in self.criteria_cells), (c.value() for c in self.cells), strict=True
            )
            if _is_number(c) and c == self.criterion
        )

    def formula(self) -> str:
        sheet = quote_sheet(self.sheet)
        return (
            f"SUMIF({sheet}!{self.criteria[0]}:{self.criteria[1]},{self.criterion},"
            f"{sheet}!{self.summed[0]}:{self.summed[1]})"
        )


@dataclass(frozen=True, eq=False)
class Rank(Expr):
    """``RANK(x, range)``: 1 for the largest number; ties share the better rank."""

    target: Expr
    sheet: str
    first: str
    last: str
    cells: tuple[Expr, ...]

    def value(self) -> Any:
        x = self.target.value()
        if not _is_number(x):
            return None
        return 1 + sum(1 for v in (c.value() for c in self.cells) if _is_number(v) and v > x)

    def formula(self) -> str:
        return f"RANK({self.target.formula()},{quote_sheet(self.sheet)}!{self.first}:{self.last})"

    def strict_refs(self) -> list[Ref]:
        return self.target.strict_refs()

    def may_fail(self) -> bool:
        return True


def _compare(op: str, left: Number, right: Number) -> bool:
    equal = nearly_equal(left, right)
    return {
        "<": left < right and not equal,
        "<=": left < right or equal,
        ">": left > right and not equal,
        ">=": left > right or equal,
        "=": equal,
    }[op]


@dataclass(eq=False, slots=True)
class Cmp(Expr):
    op: str
    left: Expr
    right: Expr

    def value(self) -> Any:
        left, right = self.left.value(), self.right.value()
        if not (_is_number(left) and _is_number(right)):
            return None
        return _compare(self.op, left, right)

    def formula(self) -> str:
        return f"{self.left.formula()}{self.op}{self.right.formula()}"

    def strict_refs(self) -> list[Ref]:
        return self.left.strict_refs() + self.right.strict_refs()

    def missing_input(self) -> bool:
        return self.left.missing_input() or self.right.missing_input()

    def may_fail(self) -> bool:
        return self.left.may_fail() or self.right.may_fail()

    def values_over(self, n: int) -> list[Any]:
        op = self.op
        return [
            None if left is None or right is None else _compare(op, left, right)
            for left, right in zip(
                numbers_only(self.left.values_over(n)), numbers_only(self.right.values_over(n)), strict=True
            )
        ]

    def missing_over(self, n: int) -> list[bool]:
        return _either(self.left.missing_over(n), self.right.missing_over(n))

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return Cmp(self.op, self.left.rebuild(leaf), self.right.rebuild(leaf))


@dataclass(eq=False, slots=True)
class All(Expr):
    """Logical AND of comparisons."""

    conditions: tuple[Expr, ...]

    def value(self) -> Any:
        values = [condition.value() for condition in self.conditions]
        return None if any(v is None for v in values) else all(values)

    def formula(self) -> str:
        if len(self.conditions) == 1:
            return self.conditions[0].formula()
        return f"AND({','.join(condition.formula() for condition in self.conditions)})"

    def strict_refs(self) -> list[Ref]:
        return [ref for condition in self.conditions for ref in condition.strict_refs()]

    def may_fail(self) -> bool:
        return any(condition.may_fail() for condition in self.conditions)

    def values_over(self, n: int) -> list[Any]:
        columns = [condition.values_over(n) for condition in self.conditions]
        # a row of booleans and None: ``None in row`` is True only for a None (False == None is false)
        return [None if None in row else all(row) for row in zip(*columns, strict=True)]

    def missing_over(self, n: int) -> list[bool]:
        missing = [False] * n
        for condition in self.conditions:
            missing = _either(missing, condition.missing_over(n))
        return missing

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return All(tuple(condition.rebuild(leaf) for condition in self.conditions))


@dataclass(eq=False, slots=True)
class If(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr

    def value(self) -> Any:
        chosen = self.condition.value()
        if chosen is None:
            return None
        return self.then.value() if chosen else self.otherwise.value()

    def formula(self) -> str:
        return f"IF({self.condition.formula()},{self.then.formula()},{self.otherwise.formula()})"

    def strict_refs(self) -> list[Ref]:
        return self.condition.strict_refs() + self.then.strict_refs() + self.otherwise.strict_refs()

    def missing_input(self) -> bool:
        return self.condition.missing_input() or self.then.missing_input() or self.otherwise.missing_input()

    def may_fail(self) -> bool:
        return self.condition.may_fail() or self.then.may_fail() or self.otherwise.may_fail()

    def values_over(self, n: int) -> list[Any]:
        return [
            None if chosen is None else (then if chosen else otherwise)
            for chosen, then, otherwise in zip(
                self.condition.values_over(n),
                self.then.values_over(n),
                self.otherwise.values_over(n),
                strict=True,
            )
        ]

    def missing_over(self, n: int) -> list[bool]:
        return _either(
            _either(self.condition.missing_over(n), self.then.missing_over(n)), self.otherwise.missing_over(n)
        )

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return If(self.condition.rebuild(leaf), self.then.rebuild(leaf), self.otherwise.rebuild(leaf))


@dataclass(eq=False, slots=True)
class Clamp(Expr):
    """``MIN(upper, MAX(lower, x))`` with either bound optional."""

    inner: Expr
    lower: Number | None
    upper: Number | None

    def value(self) -> Any:
        return self._clamp(self.inner.value())

    def _clamp(self, value: Any) -> Any:
        if not _is_number(value):
            return None
        if self.lower is not None:
            value = max(self.lower, value)
        if self.upper is not None:
            value = min(self.upper, value)
        return value

    def formula(self) -> str:
        text = self.inner.formula()
        if self.lower is not None:
            text = f"MAX({Num(self.lower).formula()},{text})"
        if self.upper is not None:
            text = f"MIN({Num(self.upper).formula()},{text})"
        return text

    def strict_refs(self) -> list[Ref]:
        return self.inner.strict_refs()

    def missing_input(self) -> bool:
        return self.inner.missing_input()

    def may_fail(self) -> bool:
        return self.inner.may_fail()

    def values_over(self, n: int) -> list[Any]:
        values = numbers_only(self.inner.values_over(n))  # _clamp, one bound at a time
        if self.lower is not None:
            lower = self.lower
            values = [None if value is None else max(lower, value) for value in values]
        if self.upper is not None:
            upper = self.upper
            values = [None if value is None else min(upper, value) for value in values]
        return values

    def missing_over(self, n: int) -> list[bool]:
        return self.inner.missing_over(n)

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return Clamp(self.inner.rebuild(leaf), self.lower, self.upper)


def cell_formula(expr: Expr, home: str | None = None) -> str:
    """The formula written into a cell: guarded so missing inputs show as blank.

    ``home`` is the sheet the formula is written on: references to it drop the sheet name,
    which keeps long sums within Excel's formula length.
    """
    if expr.__class__ is ColumnCell:
        return expr.column.formula_at(expr.row, home)
    body = expr.formula()
    if home is not None:
        body = body.replace(quote_sheet(home) + "!", "")
        return _guarded(expr, body, home)
    return _guarded(expr, body, None)


def _guarded(expr: Expr, body: str, home: str | None) -> str:
    if type(expr) is Ref:  # half of all derived cells copy one cell: no tree to walk
        if expr.text:
            return "=" + body
        name = expr.cell if expr.sheet == home else expr.formula()
        return f'=IF(COUNT({name})<1,"",{body})'
    if expr.may_fail():
        body = f'IFERROR({body},"")'
    refs = _unique(expr.strict_refs())
    if refs:
        names = ",".join(ref.formula() if ref.sheet != home else ref.cell for ref in refs)
        body = f'IF(COUNT({names})<{len(refs)},"",{body})'
    return "=" + body


def _unique(refs: Iterable[Ref]) -> list[Ref]:
    seen, unique = set(), []
    for ref in refs:
        key = (ref.sheet, ref.cell)
        if key not in seen:
            seen.add(key)
            unique.append(ref)
    return unique


def guarded_value(expr: Expr) -> Any:
    """Python value of ``cell_formula(expr)``: no value when a strict input is missing.

    Expressions are immutable, so the value is computed once and kept on the object
    (a derived cell is read by every table, check and writer that refers to it).
    """
    kind = expr.__class__
    if kind is Ref:  # a copied input or another derived cell: its own value
        return expr.value()
    if kind is ColumnCell:  # a row of a derived column: computed with the column
        return expr.column.values[expr.row]
    try:
        return expr._guarded
    except AttributeError:
        pass
    value = None if expr.missing_input() else expr.value()
    object.__setattr__(expr, "_guarded", value)  # also on frozen Expr subclasses of other modules
    return value


# ---------------------------------------------------------------------------
# Column leaves (see the module docstring)
# ---------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Cells(Expr):
    """A column leaf: in row ``i`` the cell ``sheet!{letter}{rows[i]}`` holding ``cached[i]``."""

    sheet: str
    letter: str
    rows: Sequence[int]
    cached: Sequence[Any]
    #: cells of labels (text shown as it is); others must hold numbers
    text: bool = False

    def values_over(self, n: int) -> list[Any]:
        if self.text:
            return [value or None for value in self.cached]
        return numbers_only(self.cached)

    def missing_over(self, n: int) -> list[bool]:
        if self.text:
            return [False] * n
        return [value is None for value in numbers_only(self.cached)]

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return leaf(self)

    def bind(self, row: int) -> Expr:
        return Ref(self.sheet, f"{self.letter}{self.rows[row]}", self.cached[row], self.text)


@dataclass(eq=False, slots=True)
class Numbers(Expr):
    """A column leaf of constants: in row ``i`` the number ``numbers[i]``."""

    numbers: Sequence[Number]

    def values_over(self, n: int) -> list[Any]:
        return list(self.numbers)

    def missing_over(self, n: int) -> list[bool]:
        return [False] * n

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return leaf(self)

    def bind(self, row: int) -> Expr:
        return Num(self.numbers[row])


@dataclass(eq=False, slots=True)
class RollUp(Expr):
    """A column whose row is the ``SUM`` of other rows of the same column (its parts), or else its own cell.

    The column's cells are ``sheet!{letter}{rows[i]}``; ``parts[i]`` lists the rows (positions) that
    row ``i`` adds up, None when it takes ``own`` (a column expression of the input cells, or a
    constant).  A row's parts come after it (a program above its kegiatan), so one pass from the
    bottom adds every part before the row that sums it.
    """

    sheet: str
    letter: str
    rows: Sequence[int]
    parts: Sequence[tuple[int, ...] | None]
    own: Expr
    computed: list[Any] | None = field(default=None, init=False, repr=False)

    def values_over(self, n: int) -> list[Any]:
        if self.computed is None:
            values = self.own.values_over(n)
            missing = self.own.missing_over(n)
            values = [None if gap else value for value, gap in zip(values, missing, strict=True)]
            for row in range(n - 1, -1, -1):
                parts = self.parts[row]
                if parts is not None:
                    values[row] = sum_numbers([values[part] for part in parts])
            self.computed = values
        return self.computed

    def missing_over(self, n: int) -> list[bool]:
        own = self.own.missing_over(n)
        return [parts is None and gap for parts, gap in zip(self.parts, own, strict=True)]

    def rebuild(self, leaf: Callable[[Expr], Expr]) -> Expr:
        return leaf(self)  # a column leaf of its own

    def bind(self, row: int) -> Expr:
        parts = self.parts[row]
        if parts is None:
            return self.own.bind(row)
        values = self.values_over(len(self.parts))
        return Sum(tuple(Ref(self.sheet, f"{self.letter}{self.rows[part]}", values[part]) for part in parts))


@dataclass(eq=False, slots=True)
class CellsSum(Expr):
    """``SUM`` of some rows of a column: the value of :class:`Sum` over ``cells.bind(row)`` for each
    row in ``rows``, whose references are made only for the formula (an allocation adds up
    thousands of budget lines)."""

    cells: Cells
    rows: tuple[int, ...]

    def as_sum(self) -> Sum:
        return Sum(tuple(self.cells.bind(row) for row in self.rows))

    def value(self) -> Any:  # a cell's value in a SUM is its cached value when that is a number
        cached = self.cells.cached
        return sum_numbers([cached[row] for row in self.rows])

    def formula(self) -> str:
        return self.as_sum().formula()

    def missing_input(self) -> bool:
        return False


def column_values(expr: Expr, n: int) -> list[Any]:
    """:func:`guarded_value` of every row of a column expression (no value where an input is missing)."""
    return [
        None if gap else value for value, gap in zip(expr.values_over(n), expr.missing_over(n), strict=True)
    ]


class Column:
    """A derived column: its expression, the guarded value of each of its rows, and each row's formula.

    ``at(row)`` is the cell of one row (:class:`ColumnCell`).  Its formula is made from a
    template: the column's formula is written once with markers where the rows differ (the
    row number of each :class:`Cells` leaf, each :class:`Numbers` constant), then filled in per
    row.  The template is checked against the row's own expression on its first and last row;
    a column it does not fit (a :class:`RollUp`, whose rows differ in shape) writes every row's
    own expression.
    """

    __slots__ = ("expr", "values", "_templates")

    def __init__(self, expr: Expr, values: list[Any]):
        self.expr = expr
        self.values = values
        self._templates: dict[str | None, Callable[[int], str] | None] = {}

    @classmethod
    def of(cls, expr: Expr, n: int) -> Column:
        return cls(expr, column_values(expr, n))

    def at(self, row: int) -> Expr:
        """The cell of one row: the input cell itself where the row only copies one (so the results
        can shade it with that cell's finding), else a :class:`ColumnCell`."""
        expr = self.expr
        if expr.__class__ is Cells or (expr.__class__ is RollUp and expr.parts[row] is None):
            return expr.bind(row)
        return ColumnCell(self, row)

    def formula_at(self, row: int, home: str | None = None) -> str:
        """``cell_formula`` of one row's expression (``home``: the sheet it is written on)."""
        if home in self._templates:
            template = self._templates[home]
        else:
            template = self._templates[home] = _formula_template(self.expr, home, len(self.values))
        if template is None:
            return cell_formula(self.expr.bind(row), home)
        return template(row)


@dataclass(eq=False, slots=True)
class ColumnCell(Expr):
    """Row ``row`` of a derived :class:`Column`: its value is known, its formula comes from the
    column's template; anything else asks the row's own expression (``column.expr.bind(row)``)."""

    column: Column
    row: int

    def bound(self) -> Expr:
        return self.column.expr.bind(self.row)

    def value(self) -> Any:
        return self.bound().value()

    def formula(self) -> str:
        return self.bound().formula()

    def strict_refs(self) -> list[Ref]:
        return self.bound().strict_refs()

    def missing_input(self) -> bool:
        return self.bound().missing_input()

    def may_fail(self) -> bool:
        return self.bound().may_fail()


class _Mark(Expr):
    """A placeholder in a formula template (the text of a row's constant)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def value(self) -> Any:
        return 0

    def formula(self) -> str:
        return self.text

    def missing_input(self) -> bool:
        return False


_MARKS = re.compile("([\x00\x01])([0-9]+)\\1")


def _formula_template(expr: Expr, home: str | None, n: int) -> Callable[[int], str] | None:
    """A function giving ``cell_formula(expr.bind(row), home)`` for each row, or None when the
    column's rows differ in more than their row numbers and constants."""
    if n == 0:
        return None
    leaves: list[Expr] = []

    def mark(node: Expr) -> Expr:
        """A leaf's placeholder: its row number (Cells) or its constant (Numbers) left open."""
        if node.__class__ is not Cells and node.__class__ is not Numbers:
            raise NotImplementedError  # a RollUp: a SUM in some rows, a copied cell in others
        if not any(leaf is node for leaf in leaves):
            leaves.append(node)
        number = next(k for k, leaf in enumerate(leaves) if leaf is node)
        if node.__class__ is Cells:
            return Ref(node.sheet, f"{node.letter}\x00{number}\x00", None, node.text)
        return _Mark(f"\x01{number}\x01")

    try:
        marked = expr.rebuild(mark)
    except NotImplementedError:  # a node whose formula may change shape from row to row
        return None
    pieces = _MARKS.split(cell_formula(marked, home))
    # pieces: text, kind, leaf number, text, kind, leaf number, ..., text
    texts = pieces[0::3]
    slots = [(kind, leaves[int(number)]) for kind, number in zip(pieces[1::3], pieces[2::3], strict=True)]

    def render(row: int) -> str:
        out = [texts[0]]
        for (kind, leaf), text in zip(slots, texts[1:], strict=True):
            out.append(str(leaf.rows[row]) if kind == "\x00" else Num(leaf.numbers[row]).formula())
            out.append(text)
        return "".join(out)

    for row in {0, n - 1}:  # the template must give each row's own formula
        if render(row) != cell_formula(expr.bind(row), home):
            return None
    return render
