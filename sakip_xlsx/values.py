"""Read the values staff type into template cells (SPEC section 6).

`parse_value` turns one cell's raw content, as a spreadsheet reader returns
it, into a `Parsed` value for the column's type. Separators are decided per
cell: id-ID (`1.234.567,89`) and en-US (`1,234,567.89`) styles may be mixed in
one table. A cell that cannot be read raises `UnreadableValue`, whose message
is an Indonesian sentence naming the raw text.

Excel cells that already hold numbers are used as they are. A cell formatted
as a percentage holds a fraction (81% is stored as 0.81); the format is not
visible here, so the caller scales such cells by 100 before calling.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from .errors import SakipError

__all__ = [
    "NUMBER_LIMIT",
    "VALUE_TYPES",
    "Parsed",
    "UnreadableValue",
    "describe_type",
    "parse_value",
]

VALUE_TYPES = (
    "text",
    "kode",
    "list",
    "rupiah",
    "number",
    "percent",
    "integer",
    "year",
    "target",
)

_TEXT_TYPES = frozenset({"text", "kode", "list"})

_DESCRIPTIONS = {
    "text": "teks",
    "kode": "kode (mis. 7.01.01 atau I.1)",
    "list": "salah satu pilihan dari daftar",
    "rupiah": "angka rupiah (mis. 1.250.000)",
    "number": "angka (mis. 84,5 atau 1.250)",
    "percent": "persentase (mis. 81% atau 98,71)",
    "integer": "bilangan bulat (mis. 12 atau 1.250)",
    "year": "tahun empat angka (mis. 2024)",
    "target": "angka target atau rentang (mis. 84,5 atau 60 – 70)",
}

#: How staff may write a number of each type: every style the reader accepts (SPEC section 6).
#: The template's input messages and its Petunjuk say exactly this.
WRITING = {
    "rupiah": "Rupiah boleh ditulis 1250000, 1.250.000 atau Rp 1.250.000,00.",
    "percent": "Persen boleh ditulis 98,71 atau 98,71 %; negatif (6,36) atau -6,36.",
    "number": "Angka boleh ditulis 84,5 atau dengan satuannya, mis. 400 Dokumen.",
    "integer": "Bilangan bulat boleh ditulis 1.250 atau dengan satuannya, mis. 12 orang.",
    "target": "Angka boleh ditulis 84,5, dengan satuannya (400 Dokumen) atau rentang 60 – 70.",
    "year": "Tahun ditulis empat angka, mis. 2024.",
}

YEAR_MIN = 1900
YEAR_MAX = 2100

#: No figure of a report reaches this (a thousand trillion: above any Indonesian budget, APBN included);
#: a cell at or beyond it is an input finding, so sums can never overflow.
NUMBER_LIMIT = 1e15
_TOO_LARGE = (
    "Angkanya di luar batas wajar (1.000 triliun atau lebih); periksa apakah ada angka yang "
    "tertempel atau terketik berulang."
)

#: Multiplier words after a number (84,5 juta = 84.500.000): applied in rupiah columns only.
_MULTIPLIERS = {
    "ribu": 10**3,
    "rb": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "m": 10**9,
    "triliun": 10**12,
    "t": 10**12,
}
_MULTIPLIER = re.compile(r"\s*(ribu|rb|juta|jt|miliar|milyar|triliun|m|t)\b\.?", re.IGNORECASE)
#: Outside rupiah columns these are refused (never read as a unit): the words, and a capital M (miliar).
_MULTIPLIER_WORDS = frozenset({"ribu", "rb", "juta", "jt", "miliar", "milyar", "triliun"})
#: Units written right after the digits without a space ("5x", "12m2"); any other word needs a space
#: ("400 Dokumen"), so that "12abc", "5e" and "0x1F" are never read as a number and a unit.
_ATTACHED_UNITS = frozenset(
    """x kali m m2 m² m3 m³ km km2 km² cm mm ha kg g gr ton l lt ltr ml jam mnt menit hr hari bln bulan
    th thn tahun org orang jiwa kk unit buah bh pcs lbr eks set paket keg dok""".split()
)

_BAD_GROUPS = "Susunan titik dan koma tidak sesuai pola angka (mis. 1.250.000 atau 84,5)."

# Markers meaning "not applicable", compared case-insensitively.
_NA_MARKERS = frozenset({"-", "--", "–", "—", "−", "n/a", "na", "n.a.", "tidak ada"})

# Grade words written after a score ("78 Baik"); compared case-insensitively.
_GRADE_WORDS = frozenset(
    {
        "sangat baik",
        "baik",
        "cukup",
        "cukup baik",
        "kurang",
        "sangat kurang",
        "amat baik",
        "tidak baik",
        "kurang baik",
        "istimewa",
        "berhasil",
        "sangat berhasil",
        "butuh perbaikan",
        "memuaskan",
        "sangat memuaskan",
        "sangat tinggi",
        "tinggi",
        "sedang",
        "rendah",
        "sangat rendah",
    }
)
_LETTER_GRADE = re.compile(r"(?:AA|BB|CC|A|B|C|D)[+-]?")

# Characters that look like spaces (or nothing) in a cell.
_SPACE_LIKE = str.maketrans({"\xa0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " "})
_INVISIBLE = str.maketrans({"\u200b": None, "\ufeff": None})

# A number as typed: optional "(", sign and "Rp" before the digits.
_NUMBER_HEAD = re.compile(
    r"""
    (?P<open>\(\s*)?
    (?P<sign>[-−–+]\s*)?
    (?P<rp>(?:rp|idr)\.?\s*)?
    (?P<open2>\(\s*)?
    (?P<sign2>[-−–+]\s*)?
    (?P<core>[0-9][0-9.,]*)
    (?P<tail>.*)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_CORE = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_DASH_SUFFIX = re.compile(r"[-–—=]+")  # the "-" of "4.349.483.103,-"
_PERCENT = re.compile(r"\s*(?:%|persen\b)", re.IGNORECASE)
_CLOSE = re.compile(r"\s*\)")
_RANGE = re.compile(
    r"""
    (?P<low>[0-9](?:[0-9.,]*[0-9])?)\s*(?P<low_pct>%)?\s*
    (?:[-–—]|s\s*/\s*d\.?|s\.d\.?|sampai(?:\s+dengan)?|hingga)\s*
    (?P<high>[0-9](?:[0-9.,]*[0-9])?)\s*(?P<high_pct>%)?
    (?P<rest>.*)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_YEAR_PREFIX = re.compile(r"(?:tahun|t\.?\s?a\.?)\s*", re.IGNORECASE)
_EXPONENT = re.compile(r"[eE][+-]?[0-9]")
_DASH_LABEL = re.compile(r"[-–—:]\s*(?P<label>.+)")
_PAREN_LABEL = re.compile(r"\((?P<label>[^()]*)\)")
_LABEL_WITH_ALIAS = re.compile(r"(?P<head>[^()]+?)\s*\((?P<alias>[^()]+)\)")


@dataclass(frozen=True, slots=True)
class Parsed:
    """One cell's value as read for its column type."""

    value: float | int | str | None
    kind: str  # "empty" | "na" | "number" | "text" | "range"
    upper: float | None = None
    unit: str | None = None
    grade: str | None = None
    percent_sign: bool = False
    note: str | None = None


#: Shared readings of a cell without a value (Parsed is immutable).
_EMPTY = Parsed(None, "empty")
_NOT_APPLICABLE = Parsed(None, "na")
#: First characters of the not-applicable markers, and of "Rp"/"IDR" before one in rupiah columns.
_NA_FIRST = frozenset(marker[0] for marker in _NA_MARKERS)
_RUPIAH_FIRST = frozenset("ri")


class UnreadableValue(SakipError, ValueError):
    """A cell's text cannot be read as the column's type (the message says so in Indonesian)."""

    def __init__(self, raw: object, expected: str, *, reason: str | None = None) -> None:
        self.raw = raw
        self.expected = expected
        self.reason = reason
        message = f"Isi sel “{_show(raw)}” tidak dapat dibaca sebagai {expected}."
        if reason:
            message = f"{message} {reason}"
        super().__init__(message)


class _Unreadable(Exception):
    """Internal: why a text failed; parse_value turns it into UnreadableValue."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def describe_type(value_type: str) -> str:
    """Indonesian description of a value type, for messages."""
    try:
        return _DESCRIPTIONS[value_type]
    except KeyError:
        raise ValueError(f"Jenis nilai tidak dikenal: {value_type!r}.") from None


def parse_value(raw: object, value_type: str) -> Parsed:
    """Read one cell's raw content as `value_type` (one of VALUE_TYPES).

    Numbers the cell already holds are used as they are (a percent-formatted
    cell holds 0.81 for 81%: scale it before calling). Raises UnreadableValue
    when the cell cannot be read as the type, ValueError for an unknown type.
    """
    if value_type not in _DESCRIPTIONS:
        describe_type(value_type)  # raises ValueError naming the unknown type
    try:
        return _parse(raw, value_type)
    except _Unreadable as exc:
        raise UnreadableValue(raw, _DESCRIPTIONS[value_type], reason=exc.reason) from None


def _parse(raw: object, value_type: str) -> Parsed:
    """parse_value without the exception translation."""
    kind = type(raw)
    if kind is float or kind is int:  # the most common cell content first (bool is not int here)
        return _parse_cell_number(raw, value_type)
    if raw is None:
        return _EMPTY
    if isinstance(raw, str):
        text = _clean(raw)
        if not text:
            return _EMPTY
        if _is_na(text, value_type):
            return _NOT_APPLICABLE
        if value_type in _TEXT_TYPES:
            return Parsed(_normalise_text(text, value_type), "text")
        return _parse_numeric_text(text, value_type)
    if isinstance(raw, bool):
        if value_type in _TEXT_TYPES:
            return Parsed("Ya" if raw else "Tidak", "text")
        raise _Unreadable("Sel berisi nilai BENAR/SALAH, bukan angka.")
    if isinstance(raw, (int, float, Decimal)):
        return _parse_cell_number(raw, value_type)
    if isinstance(raw, (datetime, date, time)):
        if value_type in _TEXT_TYPES:
            return Parsed(_date_text(raw), "text")
        if value_type == "year":
            raise _Unreadable("Sel berisi tanggal; ketik tahunnya saja, mis. 2024.")
        raise _Unreadable("Sel berisi tanggal, bukan angka.")
    if value_type in _TEXT_TYPES:
        return Parsed(_normalise_text(_clean(str(raw)), value_type), "text")
    raise _Unreadable("Jenis isi sel tidak dikenal.")


# --- plain readings without the parser --------------------------------------
#
# A large table holds hundreds of thousands of numbers and texts that are read as
# they are.  These helpers give, for one column type, exactly the value
# ``parse_value`` gives when its reading would be nothing but that value
# (``Parsed(value, "number")`` or ``Parsed(value, "text")``: no unit, grade, note or
# range), and None when the parser is needed.  tests/test_values.py checks them
# against ``parse_value``.


def _float_number(raw: float) -> float:
    return raw + 0.0  # as _parse_cell_number: float(raw) + 0.0 (-0.0 becomes 0.0)


def _float_rupiah(raw: float) -> int | float:
    if raw.is_integer():
        return int(raw)
    whole = _as_whole(raw)
    return whole if whole is not None else raw


def float_reader(value_type: str):
    """For a column of ``value_type``: a function turning a *finite* float cell into its plain
    value, or None when such a cell needs the parser (integer, year, text types)."""
    if value_type in ("number", "percent", "target"):
        return _float_number
    if value_type == "rupiah":
        return _float_rupiah
    return None


def plain_text(raw: str, value_type: str) -> str | None:
    """The value of text typed in a ``text`` or ``kode`` column when its reading is plain
    (ASCII, not empty, not a not-applicable marker, a kode without spaces or end dots), else None."""
    if not raw.isascii():
        return None
    text = raw.strip()
    if not text or _is_na(text, value_type):
        return None
    if value_type == "text":
        return text
    if value_type == "kode" and " " not in text and text.isprintable() and not text.endswith("."):
        return text
    return None


# --- text types -------------------------------------------------------------


def _clean(text: str) -> str:
    """Strip and turn space-like characters into plain spaces."""
    if text.isascii():  # every character translated below is outside ASCII
        return text.strip()
    return text.translate(_INVISIBLE).translate(_SPACE_LIKE).strip()


def _is_na(text: str, value_type: str) -> bool:
    """True for a not-applicable marker ("Rp -" counts too in rupiah columns)."""
    first = text[:1].lower()[:1]  # text is stripped: this is the first character of the folded text
    if first not in _NA_FIRST and not (value_type == "rupiah" and first in _RUPIAH_FIRST):
        return False
    folded = " ".join(text.split()).lower()
    if value_type == "rupiah":
        folded = re.sub(r"^(?:rp|idr)\.?\s*", "", folded)
    return folded in _NA_MARKERS


def _normalise_text(text: str, value_type: str) -> str:
    """Text as stored: kode and list values get their spaces normalised."""
    if value_type == "text":
        return text
    if value_type != "kode":
        return " ".join(text.split())
    if " " in text or not text.isprintable():  # the usual kode ("1.01.01") has no white space to normalise
        text = re.sub(r"\s*\.\s*", ".", " ".join(text.split()))
    text = text.rstrip(".")
    if not text:
        raise _Unreadable("Kode hanya berisi tanda titik.")
    return text


def _date_text(raw: datetime | date | time) -> str:
    """ISO text of a date cell (the date alone when the time is midnight)."""
    if isinstance(raw, datetime) and raw.time() == time(0, 0):
        return raw.date().isoformat()
    return raw.isoformat()


def _number_as_text(number: int | float | Decimal) -> str:
    """Shortest text of a number without exponent: 7.01 -> "7.01", 7.0 -> "7"."""
    if isinstance(number, int):
        return str(number)
    if number == int(number):
        return str(int(number))
    text = repr(number) if isinstance(number, float) else str(number)
    if "e" in text.lower():
        text = format(Decimal(text), "f")
    return text


# --- numbers already held by the cell ---------------------------------------


def _parse_cell_number(raw: int | float | Decimal, value_type: str) -> Parsed:
    """A cell that holds a number: use it as it is."""
    if not math.isfinite(raw):
        raise _Unreadable("Nilainya bukan angka yang sah (NaN atau tak hingga).")
    if value_type not in _TEXT_TYPES and abs(raw) >= NUMBER_LIMIT:
        raise _Unreadable(_TOO_LARGE)
    if value_type in _TEXT_TYPES:
        text = _number_as_text(raw)
        note = None
        if value_type == "kode" and not isinstance(raw, int) and raw != int(raw):
            note = (
                f"Sel berisi angka, bukan teks; kode dibaca sebagai {text}. "
                f"Jika kode aslinya diakhiri nol (mis. {text}0), "
                "ketik ulang sel sebagai teks."
            )
        return Parsed(text, "text", note=note)
    if value_type in ("integer", "year"):
        whole = _as_whole(raw)
        if whole is None:
            raise _Unreadable("Nilainya harus bilangan bulat.")
        if value_type == "year":
            _check_year(whole)
        return Parsed(whole, "number")
    if value_type == "rupiah":
        whole = _as_whole(raw)
        return Parsed(whole if whole is not None else float(raw), "number")
    return Parsed(float(raw) + 0.0, "number")


def _as_whole(number: int | float | Decimal) -> int | None:
    """The integer a number equals (allowing float noise), else None."""
    if isinstance(number, int):
        return number
    if isinstance(number, float) and number.is_integer():
        return int(number)
    nearest = round(number)
    if abs(number - nearest) <= 1e-9 * max(1.0, abs(float(number))):
        return int(nearest)
    return None


def _check_year(year: int) -> None:
    """Raise unless the year is plausible."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _Unreadable(f"Tahun harus antara {YEAR_MIN} dan {YEAR_MAX}.")


# --- numbers typed as text ---------------------------------------------------


def _parse_numeric_text(text: str, value_type: str) -> Parsed:
    """Read typed text as a number (or a range, for targets)."""
    text = " ".join(text.split())
    if value_type == "target":
        ranged = _RANGE.fullmatch(text)
        if ranged:
            return _parse_range(ranged)
    if value_type == "year":
        return _parse_year(text)

    head = _NUMBER_HEAD.fullmatch(text)
    if head is None:
        if not any(ch.isdigit() for ch in text):
            raise _Unreadable("Tidak ada angka di dalamnya; tulis nilainya dengan angka.")
        raise _Unreadable("Ada teks sebelum angka yang tidak dikenali.")
    opens = bool(head["open"]) + bool(head["open2"])
    signs = [s.strip() for s in (head["sign"], head["sign2"]) if s]
    if opens > 1 or len(signs) > 1 or (opens and signs):
        raise _Unreadable("Tanda negatif atau tanda kurung ganda.")
    if head["rp"] and value_type != "rupiah":
        raise _Unreadable("Tanda Rp hanya dipakai di kolom rupiah.")
    negative = bool(opens) or (bool(signs) and signs[0] != "+")

    core, tail = head["core"], head["tail"]
    if core[-1] in ".,":
        core = core[:-1]
        dash = _DASH_SUFFIX.match(tail)
        if core[-1:] in ("", ".", ","):
            raise _Unreadable("Ada tanda titik atau koma di akhir angka.")
        if dash is not None:
            tail = tail[dash.end() :]
        elif value_type != "rupiah" or tail.strip():  # "Rp 1.250.000," is a whole amount
            raise _Unreadable("Ada tanda titik atau koma di akhir angka.")
    int_part, frac, note = _split_core(core, value_type)
    multiplier = _MULTIPLIER.match(tail)
    if multiplier is not None:
        word = multiplier[1]
        if value_type == "rupiah":
            tail = tail[multiplier.end() :]
            int_part, frac = _multiplied(int_part, frac, _MULTIPLIERS[word.lower()])
        elif word.lower() in _MULTIPLIER_WORDS or word == "M":
            raise _Unreadable(
                f"Kata pengali “{word}” hanya dipakai di kolom rupiah; tulis angkanya lengkap "
                "(mis. 84.500.000, bukan 84,5 juta)."
            )
    if _EXPONENT.match(tail):
        raise _Unreadable("Penulisan eksponen (mis. 1E+07) tidak didukung.")
    if tail[:1].isalpha() and tail.split(None, 1)[0].lower() not in _ATTACHED_UNITS:
        raise _Unreadable(
            "Ada huruf yang menempel pada angka; pisahkan angka dan satuannya dengan spasi (mis. 12 orang)."
        )

    percent = _PERCENT.match(tail)
    if percent:
        if value_type in ("rupiah", "integer"):
            raise _Unreadable("Tanda % tidak dipakai di kolom ini.")
        tail = tail[percent.end() :]
    if opens:
        close = _CLOSE.match(tail)
        if close is None:
            raise _Unreadable("Tanda kurung tidak berpasangan.")
        tail = tail[close.end() :]
    unit, grade = _split_label(tail.strip(), value_type)

    value = _to_value(int_part, frac, negative, value_type)
    return Parsed(value, "number", unit=unit, grade=grade, percent_sign=bool(percent), note=note)


def _parse_year(text: str) -> Parsed:
    """A year: four plain digits, optionally after "Tahun" or "TA."."""
    prefix = _YEAR_PREFIX.match(text)
    digits = text[prefix.end() :] if prefix else text
    if not re.fullmatch("[0-9]+", digits):
        if any(ch.isdigit() for ch in digits):
            raise _Unreadable("Tahun ditulis empat angka tanpa titik, koma atau teks lain.")
        raise _Unreadable("Tidak ada angka di dalamnya; tulis tahunnya dengan angka.")
    year = int(digits)
    _check_year(year)
    return Parsed(year, "number")


def _parse_range(match: re.Match[str]) -> Parsed:
    """A range target such as "60 – 70" or "60 s/d 70"."""
    low_int, low_frac, low_note = _split_core(match["low"], "target")
    high_int, high_frac, high_note = _split_core(match["high"], "target")
    low = _to_value(low_int, low_frac, False, "target")
    high = _to_value(high_int, high_frac, False, "target")
    notes = [n for n in (low_note, high_note) if n]
    if low > high:
        low, high = high, low
        notes.append(
            f"Batas bawah dan atas tertukar; dibaca sebagai rentang {match['high']} – {match['low']}."
        )
    unit, grade = _split_label(match["rest"].strip(), "target")
    return Parsed(
        low,
        "range",
        upper=high,
        unit=unit,
        grade=grade,
        percent_sign=bool(match["low_pct"] or match["high_pct"]),
        note=" ".join(notes) or None,
    )


def _split_core(core: str, value_type: str) -> tuple[str, str, str | None]:
    """Split digits and separators into (integer digits, fraction digits, note).

    When both "." and "," occur the last one is the decimal separator; one
    kind repeated separates thousands; a single separator is decimal unless
    exactly 3 digits follow it (then the column's type decides, see below).
    """
    if not _CORE.fullmatch(core):
        raise _Unreadable("Ada tanda titik atau koma yang berurutan.")
    seps = [ch for ch in core if ch in ".,"]
    groups = re.split(r"[.,]", core)
    if not seps:
        return core, "", None
    if len(set(seps)) == 2:
        if value_type in ("rupiah", "integer") and len(groups[-1]) == 3:
            # an amount's last group of three digits is never a decimal: "1,250.500" is 1.250.500
            _check_thousands(groups)
            return "".join(groups), "", None
        if seps.count(seps[-1]) != 1:
            raise _Unreadable(_BAD_GROUPS)
        _check_thousands(groups[:-1])
        return "".join(groups[:-1]), groups[-1], None
    if len(seps) > 1:
        _check_thousands(groups)
        return "".join(groups), "", None

    head, tail = groups
    sep = seps[0]
    if len(tail) != 3 or len(head) > 3 or head.startswith("0"):
        return head, tail, None
    # One separator followed by exactly 3 digits: "1.100" or "21,746".
    if value_type in ("rupiah", "integer"):
        return head + tail, "", None
    if value_type in ("number", "target") and sep == ".":
        return head + tail, "", _note_thousands(core, head + tail)
    return head, tail, _note_decimal(core, head, tail)


def _multiplied(int_part: str, frac: str, factor: int) -> tuple[str, str]:
    """Digits of ``int_part,frac`` times ``factor`` (a power of ten), as (integer digits, fraction digits)."""
    shift = len(str(factor)) - 1
    digits = int_part + frac.ljust(shift, "0")
    return digits[: len(digits) - max(0, len(frac) - shift)], frac[shift:]


def _check_thousands(groups: list[str]) -> None:
    """Thousands groups: 1-3 digits (not starting with 0), then groups of 3."""
    first, rest = groups[0], groups[1:]
    if len(first) > 3 or first.startswith("0") or any(len(g) != 3 for g in rest):
        raise _Unreadable(_BAD_GROUPS)


def _note_thousands(core: str, digits: str) -> str:
    """Note for a single "." read as thousands separator."""
    return (
        f"“{core}” dibaca sebagai {digits} (titik dianggap pemisah ribuan). "
        f"Jika maksudnya angka desimal, tulis dengan koma: {core.replace('.', ',')}."
    )


def _note_decimal(core: str, head: str, tail: str) -> str:
    """Note for a single separator followed by 3 digits read as decimal."""
    return (
        f"“{core}” dibaca sebagai {head},{tail} (dianggap angka desimal). "
        f"Jika maksudnya {head}{tail}, tulis tanpa pemisah: {head}{tail}."
    )


def _to_value(int_part: str, frac: str, negative: bool, value_type: str) -> int | float:
    """The number in the column's Python type (int for whole rupiah/integer)."""
    if len(int_part.lstrip("0")) > 15:  # at least NUMBER_LIMIT, whatever follows
        raise _Unreadable(_TOO_LARGE)
    whole = not frac.strip("0")
    if value_type in ("rupiah", "integer") and whole:
        value: int | float = int(int_part)
    elif value_type == "integer":
        raise _Unreadable("Nilainya harus bilangan bulat.")
    else:
        value = float(f"{int_part}.{frac or '0'}")
    if value >= NUMBER_LIMIT:
        raise _Unreadable(_TOO_LARGE)
    if negative and value:
        value = -value
    return value


def _split_label(rest: str, value_type: str) -> tuple[str | None, str | None]:
    """Split the words after a number into (unit, grade)."""
    if not rest:
        return None, None
    if re.match(r"[-–—]?\s*[0-9]", rest):
        if rest[0] in "-–—" and value_type != "target":
            raise _Unreadable("Rentang (mis. 60 – 70) hanya boleh di kolom target.")
        raise _Unreadable("Sepertinya ada lebih dari satu angka dalam satu sel.")
    if value_type == "rupiah":
        if rest.lower() == "rupiah":
            return None, None
        raise _Unreadable("Ada teks tambahan setelah angka; tulis angkanya saja.")
    if _EXPONENT.match(rest):
        raise _Unreadable("Penulisan eksponen (mis. 1E+07) tidak didukung.")

    paren = _PAREN_LABEL.fullmatch(rest)
    if paren:
        label = paren["label"].strip()
        if not label:
            raise _Unreadable("Tanda kurung kosong setelah angka.")
        return None, label
    dashed = _DASH_LABEL.fullmatch(rest)
    if dashed:
        label = dashed["label"].strip()
        if not label[0].isalpha():
            raise _Unreadable("Ada teks tambahan setelah angka yang tidak dikenali.")
        return None, label
    aliased = _LABEL_WITH_ALIAS.fullmatch(rest)
    if aliased and _is_grade(aliased["head"]) and _is_grade(aliased["alias"]):
        return None, rest
    if _is_grade(rest):
        return None, rest
    if not rest[0].isalpha():
        raise _Unreadable("Ada teks tambahan setelah angka yang tidak dikenali.")
    return rest, None


def _is_grade(label: str) -> bool:
    """A known grade: "A", "Baik", or a letter then a word ("B Baik")."""
    label = " ".join(label.split())
    if _LETTER_GRADE.fullmatch(label) or label.lower() in _GRADE_WORDS:
        return True
    letter, _, words = label.partition(" ")
    return bool(_LETTER_GRADE.fullmatch(letter)) and words.lower() in _GRADE_WORDS


def _show(raw: object) -> str:
    """The raw content as shown in a message (long text shortened)."""
    if isinstance(raw, bool):
        return "BENAR" if raw else "SALAH"
    text = raw if isinstance(raw, str) else str(raw)
    return text if len(text) <= 200 else text[:200] + "…"
