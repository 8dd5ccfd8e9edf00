"""Live checks written into the input template (issue 19; SPEC section 12).

Beside every typed derived figure the template computes its expected value from
the typed inputs with the quantity definitions ``check`` uses
(:mod:`sakip_xlsx.quantities`, rendered by :mod:`sakip_xlsx.expr`), and judges
the typed figure the way ``check`` does (:func:`sakip_xlsx.precision.compare`): at
its shown precision, its half-up rounding is right, ≤ 1 unit is a rounding
note, anything else turns the typed cell red and the visible "Cek" cell says
"seharusnya …".  Which columns exist is declared in the template description
(``live_checks``, ``live_reads``, ``live_extra``; see
:func:`sakip_xlsx.description.live_columns`); this module gives each of them its
formula, row by row.  Nothing here runs a macro or links outside the workbook.

Every table's live columns end within the reader's read area (column BL,
:data:`sakip_xlsx.sheetdata.READ_COLUMNS`), so a filled template takes the read gate's
fast path.  Hence few columns: a typed number has two (its text ``_teks``, its value
``_angka``), each merged from what would be several steps (cleaning, first word,
decimal separator) by repeating a sub-expression inside the formula (no ``LET``: older
LibreOffice and WPS versions lack it), within Excel's 8192 characters and 64
nesting levels; a ``LiveCheck.inline`` figure's expected value is computed inside its
Cek formula (:func:`_resolve`), not in a column of its own.

Values in the helper columns: a number, ``""`` (nothing typed, or nothing to
compute) or :data:`UNREAD` (typed text the formulas cannot read the way the
reader does; the figure is then judged only when the workbook is submitted).

Numbers typed as text are read like :mod:`sakip_xlsx.values` reads them, for
the styles a formula can tell apart: ``Rp``/``Rp.``, ``%``, a trailing ``,-``
and words after the number are dropped; when both ``.`` and ``,`` occur the last
one (occurring once) is the decimal separator; one kind repeated separates
thousands; a single separator followed by exactly three digits separates
thousands in rupiah and integer columns (and ``.`` in number columns), else it
is the decimal separator.  Ranges, negatives in brackets and anything else are
:data:`UNREAD`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import precision
from . import quantities as q
from .cells import column_index
from .description import (
    CELL_VALUE_COLUMN,
    CellSheet,
    LiveCheck,
    Table,
    TemplateDescription,
)
from .expr import Expr, Ref, cell_formula, quote_sheet
from .rules import Rules

#: What a helper cell holds when typed text cannot be read by a formula.
UNREAD = "#"
#: What the Cek cell says for a figure that differs from its expected value (the red ones start so).
WRONG = "seharusnya"
#: What the Cek cell says for a figure judged only when the workbook is submitted.
LATER = "diperiksa saat pengiriman"
NO_VALUE = "tidak dapat dihitung"
OK = "✓"
#: What the Cek cell says for a figure that follows a wrong typed figure (root-cause rule): not red.
FOLLOWS = "ikut salah karena"


_NUMERIC_TYPES = ("rupiah", "number", "percent", "integer", "target", "year")


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# ---------------------------------------------------------------------------
# Reading a typed cell (number or text) as the reader does
# ---------------------------------------------------------------------------


def cleaned_text(cell: str) -> str:
    """A typed text in upper case without Rp, %, ``,-`` and extra spaces (an expression)."""
    text = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(UPPER({cell}),",-",""),"RP.",""),"RP",""),"%"," ")'
    return f'TRIM(SUBSTITUTE(SUBSTITUTE({text},".-",""),CHAR(160)," "))'


def has_second_number(cleaned: str) -> str:
    """Condition: a second number follows the first word (a range "60 – 70", two figures)."""
    rest = f'MID({cleaned},FIND(" ",{cleaned}&" "),999)'
    digits = '{"0","1","2","3","4","5","6","7","8","9"}'
    return f"SUMPRODUCT(--ISNUMBER(FIND({digits},{rest})))>0"


def token_formula(typed: str, first_of_range: bool = False) -> str:
    """The typed cell as a number, or the text of its number (its first word once cleaned,
    :func:`cleaned_text`); ``""`` when empty or "not applicable"; :data:`UNREAD` when a second
    number follows (a range, two figures in one cell), unless ``first_of_range``: then the first
    number (the lower bound of a range target)."""
    cleaned = cleaned_text(typed)
    blank = ",".join(f"{cleaned}={_q(marker)}" for marker in ("", "-", "–", "—", "N/A"))
    first = f'LEFT({cleaned},FIND(" ",{cleaned}&" ")-1)'
    if not first_of_range:
        first = f"IF({has_second_number(cleaned)},{_q(UNREAD)},{first})"
    return f'=IF(ISNUMBER({typed}),{typed},IF(OR({blank}),"",{first}))'


def separator(token: str, value_type: str) -> str:
    """The decimal separator of a token (``","`` or ``"."``; the other one groups thousands),
    decided as :func:`sakip_xlsx.values._split_core` decides it; :data:`UNREAD` when it cannot be
    (an expression)."""
    dots = f'(LEN({token})-LEN(SUBSTITUTE({token},".","")))'
    commas = f'(LEN({token})-LEN(SUBSTITUTE({token},",","")))'

    def thousands(sep: str) -> str:
        return f'AND(LEN({token})-FIND("{sep}",{token})=3,FIND("{sep}",{token})<=4,LEFT({token},1)<>"0")'

    single_dot = (
        f'IF({thousands(".")},",",".")' if value_type in ("rupiah", "integer", "number", "target") else '"."'
    )
    single_comma = f'IF({thousands(",")},".",",")' if value_type in ("rupiah", "integer") else '","'
    both = (
        f'IF(AND({commas}=1,ISERROR(FIND(".",MID({token},FIND(",",{token}),99)))),",",'
        f'IF(AND({dots}=1,ISERROR(FIND(",",MID({token},FIND(".",{token}),99)))),".",{_q(UNREAD)}))'
    )
    return (
        f'IF(ISNUMBER({token}),",",IF(AND({dots}>0,{commas}>0),{both},IF({dots}+{commas}=0,",",'
        f'IF({dots}>1,",",IF({commas}>1,".",IF({dots}=1,{single_dot},{single_comma}))))))'
    )


def number_formula(token: str, value_type: str) -> str:
    """The typed value as a number (``""`` empty, :data:`UNREAD` unreadable), from its token."""
    decimal = separator(token, value_type)
    unread = _q(UNREAD)
    return (
        f'=IF({token}="","",IF(ISNUMBER({token}),{token},IF({token}={unread},{unread},IFERROR('
        f'IF({decimal}=",",_xlfn.NUMBERVALUE({token},",","."),IF({decimal}=".",'
        f'_xlfn.NUMBERVALUE({token},".",","),{unread})),{unread}))))'
    )


def _fraction(check: LiveCheck, typed: str, expected: str) -> str | None:
    """Condition that a stored fraction is compared as a percentage (:func:`sakip_xlsx.precision.as_compared`).

    Only a stored number can be a fraction, so the typed cell is the number read."""
    if not check.fraction:
        return None
    return (
        f"IF(AND(ISNUMBER({typed}),ISNUMBER({expected})),AND(ABS({typed})<=2,"
        f"ABS({expected})>2,ABS({typed}*100-{expected})<ABS({typed}-{expected})),FALSE)"
    )


def compared_formula(check: LiveCheck, typed: str, token: str, value_type: str, expected: str) -> str:
    """The typed figure as compared: its number, a stored fraction as a percentage."""
    number = number_formula(token, value_type)
    fraction = _fraction(check, typed, expected)
    return f"=IF({fraction},{typed}*100,{number[1:]})" if fraction else number


def decimals_formula(
    check: LiveCheck, typed: str, token: str, value_type: str, number: str, expected: str
) -> str:
    """Decimals the typed figure shows (:func:`sakip_xlsx.precision.decimals_shown`), as compared."""
    stored = "6"
    for places in range(5, -1, -1):
        stored = f"IF(ROUND({token},{places})={token},{places},{stored})"
    written = f"IFERROR(LEN({token})-FIND({separator(token, value_type)},{token}),0)"
    shown_ = f"IF(ISNUMBER({token}),{stored},{written})"
    fraction = _fraction(check, typed, expected)
    if fraction:
        shown_ = f"IF({fraction},MAX(0,{stored}-2),{shown_})"
    return f'=IF(ISNUMBER({number}),{shown_},"")'


# ---------------------------------------------------------------------------
# Expected values and the verdict
# ---------------------------------------------------------------------------


def guarded(expr: Expr, home: str) -> str:
    """``cell_formula`` of a quantity, giving :data:`UNREAD` when one of its inputs is unread."""
    body = cell_formula(expr, home)[1:]
    inputs = list(
        dict.fromkeys(ref.cell if ref.sheet == home else ref.formula() for ref in expr.strict_refs())
    )
    if not inputs:
        return "=" + body
    unread = ",".join(f"{cell}={_q(UNREAD)}" for cell in inputs)
    return f"=IF(OR({unread}),{_q(UNREAD)},{body})"


def shown(value: str, places: str) -> str:
    """Indonesian text of a number with ``places`` decimals: ``1.250.000`` or ``97,11``."""
    return (
        f'IF({value}<0,"-","")&SUBSTITUTE(FIXED(TRUNC(ROUND(ABS({value}),{places})),0,FALSE),",",".")'
        f'&IF({places}>0,","&RIGHT(FIXED(ABS({value}),{places},TRUE),{places}),"")'
    )


def rounds_to(stated: str, expected: str, places: str) -> str:
    """Condition (no ``=``) that ``stated`` is ``expected`` rounded half-up to ``places`` decimals:
    :func:`sakip_xlsx.precision.within_half_unit` (exactly half a unit off, the figure farther from
    zero is right)."""
    off = f"ABS({stated}-{expected})"
    half = f"10^(-{places})/2"
    slack = f"1E-12*MAX(1,ABS({expected}))"
    return (
        f"AND({off}<={half}+{slack},OR({off}<{half}-MIN({slack},{half}*1E-6),ABS({stated})>ABS({expected})))"
    )


def verdict_formula(
    check: LiveCheck,
    stated: str,
    places: str,
    expected: str,
    printed: tuple[tuple[str, str], ...] = (),
) -> str:
    """The Cek cell: "✓", a rounding note, "seharusnya …", "ikut salah karena …", or why it cannot
    be judged now.

    :func:`sakip_xlsx.precision.compare`: the expected value rounded half-up to the shown decimals agrees, within
    one unit is rounding (except a whole expected value shown without decimals), beyond is a
    mismatch.  ``stated`` and ``places`` are the figure and its decimals as compared; ``printed``:
    (value, root) computed from typed figures (root-cause rule, :func:`sakip_xlsx.precision.judge`).
    """
    slack = f"1E-12*MAX(1,ABS({expected}))"
    difference = f"ABS({stated}-{expected})"
    show = "0" if check.unit == "Rp" else f"IF(AND({places}=0,{expected}=INT({expected})),0,MAX({places},2))"
    unit = check.unit.strip() if check.unit != "Rp" else ""
    unit_text = f'&" {unit}"' if unit else ""
    prefix = '"Rp "&' if check.unit == "Rp" else ""
    # an expected value with no more digits than shown leaves no room for rounding (precision.compare)
    exact = f"ABS({expected}-ROUND({expected},{places}))<=1E-9*MAX(1,ABS({expected}))"
    no_value = '""' if check.silent_without_value else _q(NO_VALUE)
    wrong = f'"{WRONG} "&{prefix}{shown(expected, show)}{unit_text}'
    for value, root in reversed(printed):
        # equal to a value computed from the typed figures (within half a unit, or rounding) but
        # not to the ground value: a consequence of a typed figure that is off
        near = f"ABS({stated}-{value})"
        slack_printed = f"1E-12*MAX(1,ABS({value}))"
        exact_printed = f"ABS({value}-ROUND({value},{places}))<=1E-9*MAX(1,ABS({value}))"
        follows = (
            f"OR({rounds_to(stated, value, places)},"
            f"AND({near}<=10^(-{places})+{slack_printed},NOT({exact_printed})))"
        )
        # (IF inside IF: AND evaluates every argument, and ABS of an empty value is an error)
        wrong = (
            f'IF({value}={_q(UNREAD)},{_q(LATER)},IF(IF(ISNUMBER({value}),{follows},FALSE),"{FOLLOWS} "&{root}'
            f'&"; setelah diperbaiki menjadi "&{prefix}{shown(expected, show)}{unit_text},{wrong}))'
        )
    return (
        f'=IFERROR(IF({stated}="","",IF(OR({stated}={_q(UNREAD)},{expected}={_q(UNREAD)}),{_q(LATER)},'
        f'IF({expected}="",{no_value},'
        f"IF({rounds_to(stated, expected, places)},{_q(OK)},"
        f"IF(AND({difference}<=10^(-{places})+{slack},NOT({exact})),"
        f'"{OK} pembulatan; hitungan "&{prefix}{shown(expected, f"({places}+2)")}{unit_text},'
        f"{wrong}))))),{_q(LATER)})"
    )


def chain_verdict_formula(
    check: LiveCheck, stated: str, places: str, expected: str, unrounded: str, rounded_decimals: int
) -> str:
    """:func:`verdict_formula` with the rounding chain of :func:`sakip_xlsx.precision.judge`: a figure
    showing ``unrounded`` (the computation from the unrounded values of figures printed rounded) is
    right; one showing only ``expected`` (from the rounded figures) with more decimals than
    ``rounded_decimals`` (the fewest those figures show) is a rounding note."""
    note = f'"{OK} pembulatan; hitungan "&{shown(unrounded, f"({places}+2)")}'
    chain = (
        f"IF(AND({rounds_to(stated, expected, places)},{rounded_decimals}<{places}),{note},"
        f"{verdict_formula(check, stated, places, expected)[1:]})"
    )
    return f'=IFERROR(IF({stated}="","",IF({rounds_to(stated, unrounded, places)},{_q(OK)},{chain})),{_q(LATER)})'


def verdict_text(judgement: precision.Judgement) -> str:
    """What :func:`verdict_formula` (or :func:`chain_verdict_formula`) shows for a plain number that
    ``check`` judged so (:func:`sakip_xlsx.precision.judge`): the formula's value, known in Python."""
    if judgement.verdict in (precision.OK, precision.RIGHT_BY_GROUND):
        return OK
    ground, places = judgement.ground, judgement.decimals
    if judgement.verdict == precision.ROUNDING:
        return f"{OK} pembulatan; hitungan {precision.format_number(ground, places + 2)}"
    show = 0 if places == 0 and float(ground).is_integer() else max(places, 2)
    if judgement.verdict == precision.CONSEQUENCE and judgement.printed is not None:
        roots = ", ".join(judgement.printed.roots)
        return f"{FOLLOWS} {roots}; setelah diperbaiki menjadi {precision.format_number(ground, show)}"
    return f"{WRONG} {precision.format_number(ground, show)}"


def off_formula(stated: str, places: str, ground: str, when: str = "TRUE") -> str:
    """1 when a typed figure (as compared) is not its ground value shown at its decimals
    (:func:`sakip_xlsx.precision.agrees` is false), else 0; :data:`UNREAD` when unread."""
    return (
        f"=IF({stated}={_q(UNREAD)},{_q(UNREAD)},IF(AND({when},ISNUMBER({stated}),ISNUMBER({ground})),"
        f"IF({rounds_to(stated, ground, places)},0,1),0))"
    )


def is_wrong(cek: str) -> str:
    """Condition (no ``=``) that a Cek cell flags its figure red."""
    return f'LEFT({cek},{len(WRONG)})="{WRONG}"'


# ---------------------------------------------------------------------------
# Per row: the formulas of every live column of a table
# ---------------------------------------------------------------------------


#: How a formula refers to a value that has no column of its own (see :func:`_resolve`).
_INLINE = re.compile("\x00([^\x00]+)\x00")


def _inline(name: str) -> str:
    return f"\x00{name}\x00"


def _resolve(formulas: dict[str, str], columns: tuple[str, ...]) -> dict[str, str]:
    """The formula of each live column, with every value that has no column of its own (a
    ``LiveCheck.inline`` expected value, the root of a consequence) written into the formulas
    that use it."""
    done: dict[str, str] = {}

    def expand(text: str) -> str:
        return _INLINE.sub(lambda match: "(" + value(match.group(1)) + ")", text)

    def value(name: str) -> str:
        if name not in done:
            done[name] = expand(formulas[name][1:])
        return done[name]

    return {name: expand(formulas[name]) for name in columns}


class _Row:
    """Addresses of one row of a table sheet: input fields and live columns."""

    def __init__(self, table: Table, row: int):
        self.table, self.row = table, row

    def __call__(self, field_id: str) -> str:
        if field_id in self.table.live_letters:
            return f"{self.table.live_letters[field_id]}{self.row}"
        if field_id in self.table.by_field:
            return f"{self.table.letter(field_id)}{self.row}"
        return _inline(field_id)

    def ref(self, field_id: str) -> Ref:
        return Ref(self.table.sheet, self(field_id))

    def prev(self, field_id: str) -> str:
        return f"{self.table.live_letters[field_id]}{self.row - 1}"


def column_range(table: Table, field_id: str, absolute: bool = True, sheet: bool = False) -> str:
    """The data rows of a column (input or live) as a range."""
    letter = table.live_letters.get(field_id) or table.letter(field_id)
    first, last = table.first_data_row, table.first_data_row + table.rows - 1
    text = f"${letter}${first}:${letter}${last}" if absolute else f"{letter}{first}:{letter}{last}"
    return f"{quote_sheet(table.sheet)}!{text}" if sheet else text


def _read_columns(
    field_id: str, value_type: str, cell: Callable[[str], str], typed: str, first_of_range: bool = False
) -> dict[str, str]:
    return {
        f"_teks_{field_id}": token_formula(typed, first_of_range),
        f"_angka_{field_id}": number_formula(cell(f"_teks_{field_id}"), value_type),
    }


class LiveFormulas:
    """The formulas of the live columns of the template (one instance per template written)."""

    def __init__(self, description: TemplateDescription, rules: Rules):
        self.description = description
        self.rules = rules
        self.table = description.table

    # -- tables ----------------------------------------------------------------
    def table_row(self, table: Table, row: int) -> dict[str, str]:
        """Live column field -> formula, for one data row of ``table``."""
        cell = _Row(table, row)
        formulas: dict[str, str] = {}
        ranged = {"target"} if "rentang" in table.live_extra else set()
        for field_id in dict.fromkeys((*table.live_reads, *(c.field for c in table.live_checks))):
            formulas |= _read_columns(
                field_id, table.by_field[field_id].type, cell, cell(field_id), field_id in ranged
            )
        own = getattr(self, f"_{table.id}")
        formulas |= own(table, cell)
        for check in table.live_checks:
            value_type = table.by_field[check.field].type
            formulas |= self._judged(check, cell, check.field, cell(check.field), value_type)
        if table.live_checks:
            formulas |= self._flags(
                [cell(f"cek_{c.field}") for c in table.live_checks],
                [table.letter(c.field) for c in table.live_checks],
            )
        return _resolve(formulas, tuple(column.field for column in table.live))

    @staticmethod
    def _flags(ceks: list[str], letters: list[str]) -> dict[str, str]:
        """Per row: when a figure is red, the row number times 1000 plus the column number of the
        first red one (for the status line's link), else empty."""
        column = "0"
        for letter, cek in reversed(list(zip(letters, ceks, strict=True))):
            column = f"IF({is_wrong(cek)},{column_index(letter) + 1},{column})"
        red = ",".join(is_wrong(cek) for cek in ceks)
        return {"_merah": f'=IF(OR({red}),ROW()*1000+{column},"")'}

    @staticmethod
    def _judged(
        check: LiveCheck, cell: Callable[[str], str], name: str, typed: str, value_type: str
    ) -> dict[str, str]:
        """The compared value (a stored fraction as a percentage), decimals and Cek formulas of
        one checked figure."""
        number, expected, token = cell(f"_angka_{name}"), cell(f"hitung_{name}"), cell(f"_teks_{name}")
        printed = [(cell(f"cetak_{name}"), cell(f"_akar_{name}"))] if check.printed else []
        if check.also_printed:
            printed.append((cell(f"cetak2_{name}"), cell(f"_akar2_{name}")))
        formulas = {
            f"_desimal_{name}": decimals_formula(check, typed, token, value_type, number, expected),
            f"cek_{name}" if name != "nilai" else "cek": verdict_formula(
                check, number, cell(f"_desimal_{name}"), expected, tuple(printed)
            ),
        }
        if check.fraction:
            formulas[f"_angka_{name}"] = compared_formula(check, typed, token, value_type, expected)
        return formulas

    def _anggaran(self, table: Table, cell: _Row) -> dict[str, str]:
        level = cell("_tingkat")
        link = f"TRIM({cell('indikator_kode')})"
        levels, links = column_range(table, "_tingkat"), column_range(table, "indikator_kode")

        def parent_link(group: str, depth: int) -> str:
            """The link of the program (kegiatan) a line is under: the first row of its group."""
            first = f"MATCH({cell(group)},{column_range(table, group)},0)"
            return (
                f'IF({cell(group)}=0,"",IF(INDEX({levels},{first})={depth},TRIM(INDEX({links},{first})),""))'
            )

        formulas = {
            "_tingkat": f'=IFERROR(MATCH({cell("tingkat")},{{"Program","Kegiatan","Sub Kegiatan"}},0),0)',
            "_grup1": f"=N({cell.prev('_grup1')})+({level}=1)",
            "_grup2": f"=N({cell.prev('_grup2')})+({level}=1)+({level}=2)",
            "_program": f'=IF({level}=1,TRIM({cell("kode")}),"")',
            # the indicator each line's budget counts for: its own link unless a parent line is linked
            "_tautan": f'=IF(OR({level}=0,{link}="",AND({level}>=2,{parent_link("_grup1", 1)}<>""),'
            f'AND({level}=3,{parent_link("_grup2", 2)}<>"")),"",{link})',
            "_nama_program": f'=IF({level}=1,{program_name(cell("uraian"))},"")',
        }
        for amount in ("pagu", "realisasi"):
            formulas |= self._roll_up(table, cell, amount)
        formulas |= self._anggaran_printed(table, cell)
        pagu, realisasi = cell.ref("_dasar_pagu"), cell.ref("_dasar_realisasi")
        formulas["hitung_selisih_dilaporkan"] = guarded(q.selisih(pagu, realisasi), table.sheet)
        formulas["hitung_persen_dilaporkan"] = guarded(q.serapan(pagu, realisasi), table.sheet)
        formulas["hitung_capaian_dilaporkan"] = guarded(
            q.capaian(cell.ref("_angka_target"), cell.ref("_angka_realisasi_kinerja"), False, self.rules),
            table.sheet,
        )
        return formulas

    @staticmethod
    def _anggaran_printed(table: Table, cell: _Row) -> dict[str, str]:
        """The root-cause helpers of a budget line (checks.TypedBudget): whether its typed
        pagu/realisasi is off its ground value, the figure used when computing from the table as
        printed, and its figures computed from those."""
        level, levels = cell("_tingkat"), column_range(table, "_tingkat")
        formulas: dict[str, str] = {}
        for amount in ("pagu", "realisasi"):
            rolled = f"{cell(f'_rinci_{amount}')}=1"
            formulas[f"_lain_{amount}"] = off_formula(
                cell(f"_angka_{amount}"), cell(f"_desimal_{amount}"), cell(f"_dasar_{amount}"), rolled
            )
            formulas[f"_pakai_{amount}"] = (
                f"=IF(AND({rolled},ISNUMBER({cell(f'_angka_{amount}')})),{cell(f'_angka_{amount}')},"
                f"{cell(f'_dasar_{amount}')})"
            )
            off, used = column_range(table, f"_lain_{amount}"), column_range(table, f"_pakai_{amount}")

            def children(function: str, *criteria: str, off=off, used=used) -> str:
                parts = []
                for group, depth in (("_grup1", 2), ("_grup2", 3)):
                    args = [column_range(table, group), cell(group), levels, str(depth), *criteria]
                    if function == "SUMIFS":
                        args.insert(0, used)
                    parts.append(f"{function}({','.join(args)})")
                return f'IF({level}=1,{parts[0]},IF({level}=2,{parts[1]},""))'

            formulas[f"cetak_{amount}"] = (
                f'=IF({cell(f"_rinci_{amount}")}<>1,"",IF({children("COUNTIFS", off, _q(UNREAD))}>0,'
                f'{_q(UNREAD)},IF({children("COUNTIFS", off, "1")}>0,{children("SUMIFS")},"")))'
            )
            formulas[f"_akar_{amount}"] = f'="{amount} rinciannya yang tertulis"'
        pagu, realisasi = cell.ref("_pakai_pagu"), cell.ref("_pakai_realisasi")
        offs = f"{cell('_lain_pagu')},{cell('_lain_realisasi')}"
        sheet = quote_sheet(table.sheet).replace('"', '""')
        root = (
            f'IF({cell("_lain_pagu")}=1,"{sheet}!{table.letter("pagu")}"&ROW(),'
            f'"{sheet}!{table.letter("realisasi")}"&ROW())'
        )
        for name, expr in (
            ("selisih_dilaporkan", q.selisih(pagu, realisasi)),
            ("persen_dilaporkan", q.serapan(pagu, realisasi)),
        ):
            formulas[f"cetak_{name}"] = (
                f"=IF(OR({cell('_lain_pagu')}={_q(UNREAD)},{cell('_lain_realisasi')}={_q(UNREAD)}),{_q(UNREAD)},"
                f'IF(OR({offs.replace(",", "=1,")}=1),{guarded(expr, table.sheet)[1:]},""))'
            )
            formulas[f"_akar_{name}"] = f"={root}"
        return formulas

    @staticmethod
    def _roll_up(table: Table, cell: _Row, amount: str) -> dict[str, str]:
        """A budget line's amount from the ground: its own typed amount, or, when a line below it
        has one (it is rolled up, :meth:`sakip_xlsx.compute.anggaran.AnggaranTables._realisasi_anggaran`), the
        sum of the amounts typed on the lines below it that are not rolled up themselves.

        The lines below a program are the rows after it with the same program count (``_grup1``)
        and a deeper level; below a kegiatan, the same with the kegiatan count (``_grup2``)."""
        level, levels = cell("_tingkat"), column_range(table, "_tingkat")
        numbers, rolled = column_range(table, f"_angka_{amount}"), column_range(table, f"_rinci_{amount}")

        def below(function: str, *criteria: str) -> str:
            parts = [
                f"{function}("
                + ",".join(
                    (
                        *((numbers,) if function == "SUMIFS" else ()),
                        column_range(table, group),
                        cell(group),
                        levels,
                        f'">{depth}"',
                        *criteria,
                    )
                )
                + ")"
                for group, depth in (("_grup1", 1), ("_grup2", 2))
            ]
            return f"IF({level}=1,{parts[0]},IF({level}=2,{parts[1]},0))"

        own = cell(f"_angka_{amount}")
        return {
            f"_rinci_{amount}": f"=IF({below('COUNTIFS', numbers, chr(34) + '>-1E+300' + chr(34))}>0,1,0)",
            f"_dasar_{amount}": (
                f"=IF({cell(f'_rinci_{amount}')}=1,IF({below('COUNTIFS', numbers, _q(UNREAD))}>0,"
                f"{_q(UNREAD)},{below('SUMIFS', rolled, '0')}),{own})"
            ),
            f"hitung_{amount}": f'=IF({cell(f"_rinci_{amount}")}=1,{cell(f"_dasar_{amount}")},"")',
        }

    def _indikator(self, table: Table, cell: _Row) -> dict[str, str]:
        sasaran = self.table["sasaran"]
        jenis = (
            f"IFERROR(INDEX({column_range(sasaran, 'jenis', sheet=True)},"
            f'MATCH({cell("sasaran_kode")},{column_range(sasaran, "kode", sheet=True)},0)),"")'
        )
        negative = f'{cell("polaritas")}="Negatif"'
        target, upper = cell.ref("_angka_target"), cell.ref("_angka_target_atas")
        realisasi = cell.ref("_angka_realisasi")

        def by_polarity(expected: Callable[[bool], Expr]) -> str:
            positive = guarded(expected(False), table.sheet)[1:]
            negative_formula = guarded(expected(True), table.sheet)[1:]
            return f"=IF({negative},{negative_formula},{positive})"

        capaian_plain = by_polarity(lambda n: q.capaian(target, realisasi, n, self.rules))[1:]
        capaian_range = by_polarity(lambda n: q.capaian(target, realisasi, n, self.rules, upper))[1:]
        budget = self.table["anggaran"]
        kode = f"TRIM({cell('kode')})"
        links = column_range(budget, "_tautan", sheet=True)

        def allocated(amount: str) -> str:
            values = column_range(budget, f"_dasar_{amount}", sheet=True)
            return (
                f'=IF(OR({kode}="",COUNTIF({links},{kode})=0),"",IF(COUNTIFS({links},{kode},{values},'
                f"{_q(UNREAD)})>0,{_q(UNREAD)},SUMIFS({values},{links},{kode})))"
            )

        serapan = cell.ref("_serapan")
        # a range target typed as text ("60 – 70") counts as a range only with its upper bound typed
        # in Target Batas Atas; otherwise the formula leaves it to the submission's check
        ranged = cell("_rentang")
        return {
            "_jenis": f'=IF({jenis}="","Sasaran Strategis",{jenis})',
            "_rentang": f"=IF(ISNUMBER({cell('target')}),0,IF({has_second_number(cleaned_text(cell('target')))},1,0))",
            "hitung_capaian_dilaporkan": f"=IF(ISNUMBER({upper.cell}),{capaian_range},IF({ranged}=1,"
            f"{_q(UNREAD)},{capaian_plain}))",
            "hitung_kemajuan_dilaporkan": by_polarity(
                lambda n: q.capaian(cell.ref("_angka_target_renstra_akhir"), realisasi, n, self.rules)
            ),
            "_alokasi_pagu": allocated("pagu"),
            "_alokasi_realisasi": allocated("realisasi"),
            "_serapan": guarded(
                q.serapan(cell.ref("_alokasi_pagu"), cell.ref("_alokasi_realisasi")), table.sheet
            ),
            "hitung_efisiensi_dilaporkan": guarded(
                q.efisiensi(cell.ref("hitung_capaian_dilaporkan"), serapan, self.rules), table.sheet
            ),
            # root-cause helpers: the typed capaian where it is off (the Ringkasan mean as printed)
            "_lain_capaian": off_formula(
                cell("_angka_capaian_dilaporkan"),
                cell("_desimal_capaian_dilaporkan"),
                cell("hitung_capaian_dilaporkan"),
            ),
            "_pakai_capaian": f"=IF(ISNUMBER({cell('hitung_capaian_dilaporkan')}),IF({cell('_lain_capaian')}=1,"
            f'{cell("_angka_capaian_dilaporkan")},{cell("hitung_capaian_dilaporkan")}),"")',
        } | self._efisiensi_printed(table, cell, kode, links)

    def _efisiensi_printed(self, table: Table, cell: _Row, kode: str, links: str) -> dict[str, str]:
        """An indicator's efisiensi computed from typed figures (checks._efisiensi_printed): from
        its typed capaian and the serapan of its linked budget lines as typed, when one of them is
        off; and from the serapan of this indicator cited on the Kutipan sheet when that is off."""
        budget, cited = self.table["anggaran"], self.table["kutipan"]
        unread = _q(UNREAD)
        ground = cell("_serapan")
        computable = f"OR(NOT(ISNUMBER({cell('hitung_capaian_dilaporkan')})),NOT(ISNUMBER({ground})))"

        def linked(function: str, column: str, *criteria: str) -> str:
            args = [links, kode, *criteria]
            if function == "SUMIFS":
                args.insert(0, column_range(budget, column, sheet=True))
            else:
                args[2:2] = [column_range(budget, column, sheet=True)]
            return f"{function}({','.join(args)})"

        def off(value: str) -> str:
            return "+".join(
                [linked("COUNTIFS", f"_lain_{amount}", value) for amount in ("pagu", "realisasi")]
                + [f"({cell('_lain_capaian')}={value})"]
            )

        pagu, realisasi = linked("SUMIFS", "_pakai_pagu"), linked("SUMIFS", "_pakai_realisasi")
        used = q.efisiensi(cell.ref("_pakai_capaian"), cell.ref("_serapan_tertulis"), self.rules)
        row = cell("_kutipan_baris")
        first = cited.first_data_row

        def at(column: str) -> str:
            return f"INDEX({column_range(cited, column, sheet=True)},{row})"

        return {
            "_serapan_tertulis": f"=IF({pagu}<>0,{realisasi}/{pagu}*100,{ground})",
            "cetak_efisiensi_dilaporkan": f'=IF({computable},"",IF(({off(unread)})>0,{unread},'
            f'IF(({off("1")})>0,{guarded(used, table.sheet)[1:]},"")))',
            "_akar_efisiensi_dilaporkan": '="capaian/serapan yang tertulis"',
            # the first serapan of this indicator cited off its value on the Kutipan sheet
            "_kutipan_baris": f'=IF({kode}="","",IFERROR(MATCH({kode},'
            f'{column_range(cited, "_serapan", sheet=True)},0),""))',
            "_kutipan_serapan": f'=IF({row}="","",{at("_serapan_dibanding")})',
            "cetak2_efisiensi_dilaporkan": f'=IF({computable},"",IF(ISNUMBER({cell("_kutipan_serapan")}),'
            + guarded(
                q.efisiensi(cell.ref("_pakai_capaian"), cell.ref("_kutipan_serapan"), self.rules), table.sheet
            )[1:]
            + ',""))',
            "_akar2_efisiensi_dilaporkan": f'="{quote_sheet(cited.sheet)}!{cited.letter("nilai")}"&({row}+{first - 1})',
        }

    def _kutipan(self, table: Table, cell: _Row) -> dict[str, str]:
        """The cited figures read as numbers and their decimals; a cited serapan of an indicator
        that is off the indicator's serapan (what its efisiensi may follow, checks._efisiensi_printed):
        as compared (a stored fraction as a percentage), and the indicator's kode."""
        indikator = self.table["indikator"]
        typed, number, places = cell("nilai"), cell("_angka_nilai"), cell("_desimal_nilai")
        kode = f"TRIM({cell('kode')})"
        ground = (
            f"INDEX({column_range(indikator, '_serapan', sheet=True)},"
            f"MATCH({kode},{column_range(indikator, 'kode', sheet=True)},0))"
        )
        fraction = (
            f"IF(ISNUMBER({typed}),AND(ABS({typed})<=2,ABS({ground})>2,"
            f"ABS({typed}*100-{ground})<ABS({typed}-{ground})),FALSE)"
        )

        def differs(value: str, decimals: str) -> str:
            return f"NOT({rounds_to(value, ground, decimals)})"

        return {
            "_desimal_nilai": decimals_formula(
                LiveCheck("nilai"), typed, cell("_teks_nilai"), table.by_field["nilai"].type, number, '""'
            ),
            "_serapan_dibanding": f'=IFERROR(IF(OR(LOWER(TRIM({cell("besaran")}))<>"serapan",{kode}="",'
            f'NOT(ISNUMBER({number})),NOT(ISNUMBER({ground}))),"",IF({fraction},'
            f'IF({differs(f"{typed}*100", f"MAX(0,{places}-2)")},{typed}*100,""),'
            f'IF({differs(number, places)},{number},""))),"")',
            "_serapan": f'=IF(ISNUMBER({cell("_serapan_dibanding")}),{kode},"")',
        }

    def _pk_anggaran(self, table: Table, cell: _Row) -> dict[str, str]:
        """The budget program a PK row speaks of (:func:`sakip_xlsx.compute.match_program`): by
        kode, else by the same name, else by the one name that begins the other."""
        budget = self.table["anggaran"]
        by_kode = f"MATCH(TRIM({cell('program_kode')}),{column_range(budget, '_program', sheet=True)},0)"
        names = column_range(budget, "_nama_program", sheet=True)
        name = cell("_nama")
        exact = f"SUMPRODUCT(--({names}={name}))"
        begins = f'({names}<>"")*((LEFT({names},LEN({name}))={name})+(LEFT({name},LEN({names}))={names})>0)'
        by_name = (
            f'IF({name}="","",IF({exact}=1,MATCH({name},{names},0),IF({exact}>1,"",'
            f'IF(SUMPRODUCT({begins})=1,SUMPRODUCT({begins}*(ROW({names})-{budget.first_data_row - 1})),""))))'
        )
        matched = cell("_program_baris")
        revised = (
            f'AND({cell("versi")}<>"Perubahan",COUNTIFS({column_range(table, "_program_baris")},{matched},'
            f'{column_range(table, "versi")},"Perubahan")>0)'
        )
        ground = f"INDEX({column_range(budget, '_dasar_pagu', sheet=True)},{matched})"
        return {
            "_nama": f"={program_name(cell('uraian'))}",
            "_program_baris": f'=IFERROR(IF(TRIM({cell("program_kode")})<>"",{by_kode},{by_name}),"")',
            "hitung_anggaran": f'=IF(OR({matched}="",{revised}),"",IF({ground}="","",{ground}))',
            # root cause: the program's typed pagu where it is off its lines' sum
            "cetak_anggaran": f"=IFERROR(IF(INDEX({column_range(budget, '_lain_pagu', sheet=True)},{matched})=1,"
            f'INDEX({column_range(budget, "_pakai_pagu", sheet=True)},{matched}),""),"")',
            "_akar_anggaran": f'=IFERROR("{quote_sheet(budget.sheet)}!{budget.letter("pagu")}"'
            f'&({matched}+{budget.first_data_row - 1}),"")',
        }

    def _penduduk(self, table: Table, cell: _Row) -> dict[str, str]:
        laki, perempuan = cell.ref("_angka_laki_laki"), cell.ref("_angka_perempuan")
        missing = f'OR({cell("laki_laki")}="",{cell("perempuan")}="")'
        return {
            "hitung_total_dilaporkan": f'=IF({missing},"",'
            + guarded(q.penduduk_total(laki, perempuan), table.sheet)[1:]
            + ")",
            "hitung_rasio_dilaporkan": f'=IF({missing},"",'
            + guarded(q.rasio_jenis_kelamin(laki, perempuan), table.sheet)[1:]
            + ")",
        }

    # -- cell sheets -------------------------------------------------------------
    def cell_row(self, sheet: CellSheet, field_id: str) -> dict[str, str]:
        """Live column field -> formula for the row of one checked single cell."""
        row = sheet.row(field_id)
        check = next(c for c in sheet.live_checks if c.field == field_id)

        def cell(name: str) -> str:
            if name in sheet.live_letters:
                return f"{sheet.live_letters[name]}{row}"
            return _inline(name)

        typed = f"{CELL_VALUE_COLUMN}{row}"
        cell_field = self.description.cell_field[field_id][1]
        formulas = _read_columns("nilai", cell_field.type, cell, typed)
        formulas["hitung_nilai"] = self._ringkasan(sheet, field_id)
        formulas["cetak_nilai"], formulas["_akar_nilai"] = self._ringkasan_printed(sheet, field_id, cell)
        formulas |= self._judged(check, cell, "nilai", typed, cell_field.type)
        formulas |= self._flags([cell("cek")], [CELL_VALUE_COLUMN])
        return _resolve(formulas, tuple(column.field for column in sheet.live))

    def _ringkasan_printed(
        self, sheet: CellSheet, field_id: str, cell: Callable[[str], str]
    ) -> tuple[str, str]:
        """A Ringkasan figure computed from the typed figures it comes from (checks._ringkasan_printed):
        totals from the typed program rows; serapan and sisa from those or from the typed Ringkasan
        totals (whichever the stated figure is nearer); the mean capaian from the typed capaian."""
        budget, indikator = self.table["anggaran"], self.table["indikator"]
        levels = column_range(budget, "_tingkat", sheet=True)

        def programs(function: str, name: str, *criteria: str) -> str:
            args = [levels, "1", *criteria]
            if function == "SUMIFS":
                args.insert(0, column_range(budget, name, sheet=True))
            return f"{function}({','.join(args)})"

        def program_off(amount: str, value: str = "1") -> str:
            return programs("COUNTIFS", "", column_range(budget, f"_lain_{amount}", sheet=True), value)

        unread = _q(UNREAD)
        if field_id in ("total_pagu_dilaporkan", "total_realisasi_dilaporkan"):
            amount = "pagu" if field_id == "total_pagu_dilaporkan" else "realisasi"
            return (
                f"=IF({program_off(amount, unread)}>0,{unread},IF({program_off(amount)}>0,"
                f'{programs("SUMIFS", f"_pakai_{amount}")},""))',
                f'="{amount} program yang tertulis di lembar {budget.sheet}"',
            )
        if field_id in ("persen_serapan_dilaporkan", "sisa_anggaran_dilaporkan"):

            def of(pagu: str, realisasi: str) -> str:
                if field_id == "sisa_anggaran_dilaporkan":
                    return f"({pagu})-({realisasi})"
                return f'IFERROR(({realisasi})/({pagu})*100,"")'

            rows = {name: sheet.row(name) for name in ("total_pagu_dilaporkan", "total_realisasi_dilaporkan")}
            letters = sheet.live_letters
            stated = {name: f"{letters['_angka_nilai']}{row}" for name, row in rows.items()}
            stated_off = [
                off_formula(
                    stated[name], f"{letters['_desimal_nilai']}{row}", f"{letters['hitung_nilai']}{row}"
                )[1:]
                for name, row in rows.items()
            ]
            from_programs = (
                f"IF({program_off('pagu')}+{program_off('realisasi')}>0,"
                f'{of(programs("SUMIFS", "_pakai_pagu"), programs("SUMIFS", "_pakai_realisasi"))},"")'
            )
            pagu, realisasi = stated["total_pagu_dilaporkan"], stated["total_realisasi_dilaporkan"]
            from_totals = (
                f"IF(AND(ISNUMBER({pagu}),ISNUMBER({realisasi}),OR({stated_off[0]}=1,{stated_off[1]}=1)),"
                f'{of(pagu, realisasi)},"")'
            )
            here = cell("_angka_nilai")
            # the stated figure's nearer candidate (nested IFs: ABS of an empty value is an error)
            first = (
                f"IF(ISNUMBER({from_programs}),IF(ISNUMBER({from_totals}),IF(ISNUMBER({here}),"
                f"ABS({here}-{from_programs})<=ABS({here}-{from_totals}),TRUE),TRUE),FALSE)"
            )
            return (
                f"=IF({program_off('pagu', unread)}+{program_off('realisasi', unread)}>0,{unread},"
                f"IF({first},{from_programs},{from_totals}))",
                f'=IF({first},"pagu/realisasi program yang tertulis '
                f'di lembar {budget.sheet}","total pagu/realisasi yang tertulis di lembar {sheet.sheet}")',
            )
        if field_id == "rata_capaian_dilaporkan":
            jenis = column_range(indikator, "_jenis", sheet=True)
            off = column_range(indikator, "_lain_capaian", sheet=True)
            used = column_range(indikator, "_pakai_capaian", sheet=True)
            strategic = '"Sasaran Strategis"'
            return (
                f"=IF(COUNTIFS({jenis},{strategic},{off},{unread})>0,{unread},IF(COUNTIFS({jenis},{strategic},"
                f'{off},1)>0,IFERROR(AVERAGEIFS({used},{jenis},{strategic}),""),""))',
                f'="capaian indikator yang tertulis di lembar {indikator.sheet}"',
            )
        return '=""', '=""'

    def _ringkasan(self, sheet: CellSheet, field_id: str) -> str:
        budget, indikator, pk = self.table["anggaran"], self.table["indikator"], self.table["pk_anggaran"]

        def expected(name: str) -> Ref:
            return Ref(sheet.sheet, f"{sheet.live_letters['hitung_nilai']}{sheet.row(name)}")

        def total(column: str) -> str:
            values, levels = (
                column_range(budget, column, sheet=True),
                column_range(budget, "_tingkat", sheet=True),
            )
            return (
                f"=IF(COUNTIFS({levels},1,{values},{_q(UNREAD)})>0,{_q(UNREAD)},SUMIFS({values},{levels},1))"
            )

        pagu, realisasi = expected("total_pagu_dilaporkan"), expected("total_realisasi_dilaporkan")
        if field_id == "total_pagu_dilaporkan":
            return total("_dasar_pagu")
        if field_id == "total_realisasi_dilaporkan":
            return total("_dasar_realisasi")
        if field_id == "persen_serapan_dilaporkan":
            return guarded(q.serapan(pagu, realisasi), sheet.sheet)
        if field_id == "sisa_anggaran_dilaporkan":
            return guarded(q.selisih(pagu, realisasi), sheet.sheet)
        if field_id == "rata_capaian_dilaporkan":
            values = column_range(indikator, "hitung_capaian_dilaporkan", sheet=True)
            jenis = column_range(indikator, "_jenis", sheet=True)
            strategic = '"Sasaran Strategis"'
            return (
                f"=IF(COUNTIFS({jenis},{strategic},{values},{_q(UNREAD)})>0,{_q(UNREAD)},"
                f'IFERROR(AVERAGEIFS({values},{jenis},{strategic}),""))'
            )
        if field_id == "total_pk_dilaporkan":
            values = column_range(pk, "_angka_anggaran", sheet=True)
            versi = column_range(pk, "versi", sheet=True)
            rows = column_range(pk, "uraian", sheet=True)
            unread = f"COUNTIFS({values},{_q(UNREAD)})>0"
            revised = f'COUNTIFS({versi},"Perubahan",{rows},"<>")>0'
            return (
                f'=IF(COUNTA({rows})=0,"",IF({unread},{_q(UNREAD)},IF({revised},'
                f'SUMIFS({values},{versi},"Perubahan"),SUMIFS({values},{versi},"<>Perubahan"))))'
            )
        raise KeyError(field_id)  # pragma: no cover - a description error

    # -- status --------------------------------------------------------------------
    def status(self, sheet: str, ranges: tuple[tuple[str, ...], str], label: str = "") -> str:
        """The status line of a sheet: how many figures differ, linked to the first one.

        ``ranges``: the sheet's Cek ranges and its per-row flag range (``_merah``; sheet-qualified
        when the line is written on another sheet); ``label`` starts the text ("Anggaran: ").
        """
        ceks, flags = ranges
        count = "(" + "+".join(f"SUMPRODUCT(--({is_wrong(cek)}))" for cek in ceks) + ")"
        first = f"MIN({flags})"
        home = quote_sheet(sheet).replace('"', '""')
        link = f'"#{home}!"&ADDRESS(INT({first}/1000),MOD({first},1000),4)'
        lead = _q(label) + "&" if label else ""
        return (
            f'=HYPERLINK(IF({count}=0,"#{home}!A1",{link}),{lead}'
            f'IF({count}=0,"{OK} semua angka yang diperiksa sesuai hitungan",'
            f'{count}&" angka berbeda dari hitungan (klik untuk ke yang pertama)"))'
        )

    def status_ranges(self, sheet: Table | CellSheet, qualified: bool = False) -> tuple[tuple[str, ...], str]:
        """The Cek ranges and per-row flag range of a sheet, for :meth:`status`."""
        if isinstance(sheet, Table):
            ceks = tuple(column_range(sheet, f"cek_{c.field}", sheet=qualified) for c in sheet.live_checks)
            return ceks, column_range(sheet, "_merah", sheet=qualified)
        rows = [sheet.row(check.field) for check in sheet.live_checks]
        prefix = f"{quote_sheet(sheet.sheet)}!" if qualified else ""

        def span(name: str) -> str:
            letter = sheet.live_letters[name]
            return f"{prefix}${letter}${min(rows)}:${letter}${max(rows)}"

        return (span("cek"),), span("_merah")


def program_name(cell: str) -> str:
    """A program's name for matching, as far as a formula can go toward
    :func:`sakip_xlsx.compute.figures._program_name`: lower case, punctuation as spaces, without a
    leading "program"."""
    text = cell
    for mark in (".", ",", "/", "-", "(", ")", ":", ";", "&"):
        text = f'SUBSTITUTE({text},"{mark}"," ")'
    text = f"TRIM(LOWER({text}))"
    return f'IF(LEFT({text},8)="program ",MID({text},9,999),{text})'
