"""Tests for sakip_xlsx.values: reading the values staff type (SPEC section 6)."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sakip_xlsx.values import (
    NUMBER_LIMIT,
    VALUE_TYPES,
    Parsed,
    UnreadableValue,
    describe_type,
    float_reader,
    parse_value,
    plain_text,
)

NUMERIC_TYPES = ("rupiah", "number", "percent", "integer", "year", "target")
TEXT_TYPES = ("text", "kode", "list")


def num(value: float | int, **fields: object) -> Parsed:
    """Expected Parsed for a plain number reading."""
    return Parsed(value, "number", **fields)


def without_note(parsed: Parsed) -> Parsed:
    """The Parsed with its note dropped, to compare the other fields exactly."""
    return dataclasses.replace(parsed, note=None)


# --- every literal of the brief and of SPEC section 6 -----------------------

SPEC_CASES: list[tuple[object, str, Parsed]] = [
    # rupiah
    ("Rp. 3.961.741.788", "rupiah", num(3961741788)),
    ("Rp 3.779.143.773,00", "rupiah", num(3779143773)),
    ("4.349.483.103,-", "rupiah", num(4349483103)),
    ("3,399,334,813", "rupiah", num(3399334813)),
    ("22,671,547.00", "rupiah", num(22671547)),
    ("1.991.620.000", "rupiah", num(1991620000)),
    ("(6.000.000)", "rupiah", num(-6000000)),
    ("-6.000.000", "rupiah", num(-6000000)),
    ("Rp.20.000.000,-", "rupiah", num(20000000)),
    # percent (value in percent units)
    ("81%", "percent", num(81.0, percent_sign=True)),
    ("98,71 %", "percent", num(98.71, percent_sign=True)),
    ("94.00%", "percent", num(94.0, percent_sign=True)),
    ("0,83", "percent", num(0.83)),
    ("(6,36 %)", "percent", num(-6.36, percent_sign=True)),
    ("100", "percent", num(100.0)),
    ("127,29", "percent", num(127.29)),
    # number + unit, score + grade
    ("400 Dokumen", "number", num(400.0, unit="Dokumen")),
    ("14 orang/bulan", "number", num(14.0, unit="orang/bulan")),
    ("7 nilai", "number", num(7.0, unit="nilai")),
    ("84,5 (A)", "number", num(84.5, grade="A")),
    ("78 Baik", "number", num(78.0, grade="Baik")),
    ("93.79 - Sangat Baik", "number", num(93.79, grade="Sangat Baik")),
    # integer and year
    ("83.017", "integer", num(83017)),
    ("2021", "year", num(2021)),
    # ranges and negatives in target columns
    ("60 – 70", "target", Parsed(60.0, "range", upper=70.0)),
    ("60-70", "target", Parsed(60.0, "range", upper=70.0)),
    ("60 - 70", "target", Parsed(60.0, "range", upper=70.0)),
    ("60 s/d 70", "target", Parsed(60.0, "range", upper=70.0)),
    ("60 sampai 70", "target", Parsed(60.0, "range", upper=70.0)),
    ("-60", "target", num(-60.0)),
    ("-6,5", "target", num(-6.5)),
    # zero is a value, not empty
    ("0", "number", num(0.0)),
    ("0", "rupiah", num(0)),
    # kode
    ("I.", "kode", Parsed("I", "text")),
    (7.01, "kode", Parsed("7.01", "text")),
]


@pytest.mark.parametrize(("raw", "value_type", "expected"), SPEC_CASES)
def test_spec_literals(raw: object, value_type: str, expected: Parsed) -> None:
    result = parse_value(raw, value_type)
    assert without_note(result) == expected
    assert type(result.value) is type(expected.value)


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n", "\xa0"])
@pytest.mark.parametrize("value_type", VALUE_TYPES)
def test_empty_is_empty(raw: object, value_type: str) -> None:
    assert parse_value(raw, value_type) == Parsed(None, "empty")


@pytest.mark.parametrize("raw", ["-", "–", "—", "n/a", "N/A", "NA", "tidak ada", "Tidak Ada", " - "])
@pytest.mark.parametrize("value_type", VALUE_TYPES)
def test_not_applicable_markers(raw: str, value_type: str) -> None:
    assert parse_value(raw, value_type) == Parsed(None, "na")


@pytest.mark.parametrize("raw", ["Rp -", "Rp. -", "Rp.-"])
def test_rupiah_dash_is_not_applicable(raw: str) -> None:
    assert parse_value(raw, "rupiah") == Parsed(None, "na")


# --- values taken verbatim from the seed reports ----------------------------
# M = lkjip-ngoro-mojokerto-2021, J = lkjip-ngoro-jombang-2024,
# K = lkjip-kragan-rembang-2021 (/work/shared/seeds/).

SEED_CASES: list[tuple[object, str, Parsed]] = [
    ("Rp. 4.242.421.788,00", "rupiah", num(4242421788)),  # M
    ("Rp. 3.441.896.392", "rupiah", num(3441896392)),  # M
    ("Rp.3,961,741,788.00", "rupiah", num(3961741788)),  # M, Tabel 3.9
    ("Rp. 3,164,792,263.00", "rupiah", num(3164792263)),  # M, Tabel 3.9
    ("3,753,334,813", "rupiah", num(3753334813)),  # M, Renja
    ("254,432,582.00", "rupiah", num(254432582)),  # M, Tabel 3.6
    ("22.671.547,00", "rupiah", num(22671547)),  # M, Tabel 3.6
    ("3.282.414.813", "rupiah", num(3282414813)),  # M
    ("Rp 87.000.000,00", "rupiah", num(87000000)),  # M, PK
    ("2,750,979,428", "rupiah", num(2750979428)),  # J, Tabel 3.10
    ("Rp.2.739.149.000.-", "rupiah", num(2739149000)),  # K
    ("Rp.2.437.383.089.-", "rupiah", num(2437383089)),  # K
    ("Rp. 340.500.000,-", "rupiah", num(340500000)),  # K
    ("Rp. 9.998.750,-", "rupiah", num(9998750)),  # K
    ("Rp.7.500.000,-", "rupiah", num(7500000)),  # K
    ("3.975", "rupiah", num(3975)),  # K, selisih
    ("700", "rupiah", num(700)),  # K, selisih
    ("98,71%", "percent", num(98.71, percent_sign=True)),  # M
    ("85,53 %", "percent", num(85.53, percent_sign=True)),  # M
    ("(6,36%)", "percent", num(-6.36, percent_sign=True)),  # M
    ("81.13%", "percent", num(81.13, percent_sign=True)),  # M, narrative
    ("99,96%", "percent", num(99.96, percent_sign=True)),  # M
    ("1,62 %", "percent", num(1.62, percent_sign=True)),  # M
    ("99,0%", "percent", num(99.0, percent_sign=True)),  # J
    ("103,9%", "percent", num(103.9, percent_sign=True)),  # J
    ("110,5%", "percent", num(110.5, percent_sign=True)),  # J
    ("32,5%", "percent", num(32.5, percent_sign=True)),  # J
    ("95.59", "percent", num(95.59)),  # J, Tabel 3.10
    ("100 %", "percent", num(100.0, percent_sign=True)),  # J
    ("0%", "percent", num(0.0, percent_sign=True)),  # M, Tabel 3.3
    ("80,15", "number", num(80.15)),  # J, Nilai AKIP
    ("8,22", "number", num(8.22)),  # J, IKPP
    ("8.43", "number", num(8.43)),  # J, Tabel 3.6 (dot decimal)
    ("96,70", "number", num(96.7)),  # J, Nilai PATEN
    ("94.48", "number", num(94.48)),  # J
    ("5247.22", "number", num(5247.22)),  # J, IKM total
    ("60,56", "number", num(60.56)),  # M, luas wilayah
    ("103,45", "number", num(103.45)),  # M, rasio jenis kelamin
    ("97.49 - Sangat Baik", "number", num(97.49, grade="Sangat Baik")),  # J, IKM
    ("80 Sangat Baik", "number", num(80.0, grade="Sangat Baik")),  # M, Tabel 3.3
    ("84,5 Baik", "number", num(84.5, grade="Baik")),  # M, Tabel 3.2
    ("863 Pelayanan", "number", num(863.0, unit="Pelayanan")),  # M
    ("12 Dokumen", "number", num(12.0, unit="Dokumen")),  # M
    ("30 Stel", "number", num(30.0, unit="Stel")),  # M
    ("2 THL", "number", num(2.0, unit="THL")),  # M
    ("14 Bulan", "number", num(14.0, unit="Bulan")),  # M
    ("4 Kendaraan", "number", num(4.0, unit="Kendaraan")),  # M
    ("24 Kegiatan", "number", num(24.0, unit="Kegiatan")),  # M
    ("16 Fasilitasi", "number", num(16.0, unit="Fasilitasi")),  # M
    ("19 Desa", "number", num(19.0, unit="Desa")),  # M
    ("100 orang", "number", num(100.0, unit="orang")),  # J
    ("14 orang/bulan", "target", num(14.0, unit="orang/bulan")),  # J
    ("7 nilai", "target", num(7.0, unit="nilai")),  # K, IKU target
    ("60-70", "target", Parsed(60.0, "range", upper=70.0)),  # K, PK
    ("60 – 70", "target", Parsed(60.0, "range", upper=70.0)),  # K, IKU
    (
        "4% Dari tahun ke nol renstra (tahun 2016)",  # M, Tabel 3.3
        "target",
        num(4.0, unit="Dari tahun ke nol renstra (tahun 2016)", percent_sign=True),
    ),
    ("N/A", "percent", Parsed(None, "na")),  # J, Tabel 3.5
    ("-", "rupiah", Parsed(None, "na")),  # K, selisih
    ("83.017", "integer", num(83017)),  # M, penduduk
    ("43.101", "integer", num(43101)),  # M, laki-laki
    ("86.456", "integer", num(86456)),  # M, total
    ("198", "integer", num(198)),  # J, sarpras
    ("2016", "year", num(2016)),  # M
    ("I.1.1", "kode", Parsed("I.1.1", "text")),  # M, Renja
    ("I.2", "kode", Parsed("I.2", "text")),  # M
    ("II.", "kode", Parsed("II", "text")),  # K
    ("III.", "kode", Parsed("III", "text")),  # K
    ("1.", "kode", Parsed("1", "text")),  # M, PK
    ("Kinerja Lainnya", "list", Parsed("Kinerja Lainnya", "text")),  # SPEC list
]


@pytest.mark.parametrize(("raw", "value_type", "expected"), SEED_CASES)
def test_seed_values(raw: object, value_type: str, expected: Parsed) -> None:
    result = parse_value(raw, value_type)
    assert result == expected  # none of these is a guess: no note
    assert type(result.value) is type(expected.value)


# --- grades and units ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "unit", "grade"),
    [
        ("84,5 (A)", None, "A"),
        ("80,15 (Sangat Baik)", None, "Sangat Baik"),
        ("78 Baik", None, "Baik"),
        ("78 baik", None, "baik"),
        ("65 Cukup Baik", None, "Cukup Baik"),
        ("90 Amat Baik", None, "Amat Baik"),
        ("40 Kurang", None, "Kurang"),
        ("10 Sangat Kurang", None, "Sangat Kurang"),
        ("70 Butuh Perbaikan", None, "Butuh Perbaikan"),
        ("105 Istimewa (Sangat Berhasil)", None, "Istimewa (Sangat Berhasil)"),
        ("80,15 A (Memuaskan)", None, "A (Memuaskan)"),
        ("88,5 B Baik", None, "B Baik"),
        ("91 AA", None, "AA"),
        ("75 BB", None, "BB"),
        ("85 A-", None, "A-"),
        ("93.79 – Sangat Baik", None, "Sangat Baik"),
        ("93.79 -Sangat Baik", None, "Sangat Baik"),
        ("400 Dokumen", "Dokumen", None),
        ("12 laporan", "laporan", None),
        ("19 desa", "desa", None),
        ("1 Paket", "Paket", None),
        ("60,56 Km2", "Km2", None),
        ("5  orang   per  bulan", "orang per bulan", None),
    ],
)
def test_unit_or_grade(raw: str, unit: str | None, grade: str | None) -> None:
    result = parse_value(raw, "number")
    assert (result.unit, result.grade) == (unit, grade)


def test_percent_with_grade_and_unit() -> None:
    assert parse_value("97,5% Baik", "percent") == num(97.5, grade="Baik", percent_sign=True)
    assert parse_value("100 persen", "percent") == num(100.0, percent_sign=True)
    assert parse_value("81% Dokumen", "number") == num(81.0, unit="Dokumen", percent_sign=True)


def test_integer_with_unit() -> None:
    assert parse_value("14 orang", "integer") == num(14, unit="orang")
    assert parse_value("1.100 pelayanan", "integer") == num(1100, unit="pelayanan")


# --- ambiguous separators: the column's type decides, with a note -----------


@pytest.mark.parametrize(
    ("raw", "value_type", "value", "unit", "reading"),
    [
        ("1.100 pelayanan", "number", 1100.0, "pelayanan", "pemisah ribuan"),
        ("1.100", "target", 1100.0, None, "pemisah ribuan"),
        ("21,746", "number", 21.746, None, "desimal"),
        ("21,746", "target", 21.746, None, "desimal"),
        ("21,746", "percent", 21.746, None, "desimal"),
        ("1,100", "number", 1.1, None, "desimal"),
        ("1.100", "percent", 1.1, None, "desimal"),
        ("100.000", "percent", 100.0, None, "desimal"),  # J, Tabel 3.10
    ],
)
def test_ambiguous_separator_has_note(
    raw: str, value_type: str, value: float, unit: str | None, reading: str
) -> None:
    result = parse_value(raw, value_type)
    assert result.value == value
    assert result.unit == unit
    assert result.note is not None
    assert reading in result.note
    assert raw.split()[0] in result.note  # names what was typed
    assert "dibaca sebagai" in result.note


@pytest.mark.parametrize(
    ("raw", "value_type", "value"),
    [
        ("35.000", "rupiah", 35000),
        ("35,000", "rupiah", 35000),
        ("1,100", "integer", 1100),
        ("83.017", "integer", 83017),
        ("0,125", "number", 0.125),  # a thousands group never starts with 0
        ("1234.567", "number", 1234.567),  # first group too long for thousands
        ("1.234,567", "number", 1234.567),  # both separators: last one is decimal
        ("1,234.567", "percent", 1234.567),
        ("94.00", "percent", 94.0),
        ("8,2", "number", 8.2),
    ],
)
def test_unambiguous_separator_has_no_note(raw: str, value_type: str, value: float) -> None:
    result = parse_value(raw, value_type)
    assert result.value == value
    assert result.note is None


def test_range_variants() -> None:
    assert parse_value("60% – 70%", "target") == Parsed(60.0, "range", upper=70.0, percent_sign=True)
    assert parse_value("60 – 70 %", "target") == Parsed(60.0, "range", upper=70.0, percent_sign=True)
    assert parse_value("60,5 s.d. 70,5", "target") == Parsed(60.5, "range", upper=70.5)
    assert parse_value("60 sampai dengan 70", "target") == Parsed(60.0, "range", upper=70.0)
    assert parse_value("60 S/D 70 nilai", "target") == Parsed(60.0, "range", upper=70.0, unit="nilai")
    swapped = parse_value("70 – 60", "target")
    assert (swapped.value, swapped.kind, swapped.upper) == (60.0, "range", 70.0)
    assert swapped.note is not None and "tertukar" in swapped.note


def test_leading_minus_is_negative_not_range() -> None:
    for raw in ("-70", "- 70", "−70", "–70"):
        assert parse_value(raw, "target") == num(-70.0)


def test_rupiah_variants() -> None:
    assert parse_value("Rp (6.000.000)", "rupiah") == num(-6000000)
    assert parse_value("Rp -6.000.000", "rupiah") == num(-6000000)
    assert parse_value("-Rp 6.000.000", "rupiah") == num(-6000000)
    assert parse_value("rp5.000", "rupiah") == num(5000)
    assert parse_value("5.000.000 rupiah", "rupiah") == num(5000000)
    assert parse_value("1.234,56", "rupiah") == num(1234.56)
    assert parse_value("Rp\xa01.250.000", "rupiah") == num(1250000)


def test_year_variants() -> None:
    assert parse_value("Tahun 2024", "year") == num(2024)
    assert parse_value("TA. 2021", "year") == num(2021)
    assert parse_value(2024, "year") == num(2024)
    assert parse_value(2024.0, "year") == num(2024)


# --- text types ----------------------------------------------------------------


def test_text_types() -> None:
    assert parse_value("  Meningkatnya kualitas  pelayanan ", "text") == Parsed(
        "Meningkatnya kualitas  pelayanan", "text"
    )
    assert parse_value(" Sasaran  Strategis ", "list") == Parsed("Sasaran Strategis", "text")
    assert parse_value(" 7. 01 .01 ", "kode") == Parsed("7.01.01", "text")
    assert parse_value("7.01.01.2.01.0001", "kode") == Parsed("7.01.01.2.01.0001", "text")
    assert parse_value(7, "kode") == Parsed("7", "text")
    assert parse_value(7.0, "kode") == Parsed("7", "text")
    assert parse_value(2024, "text") == Parsed("2024", "text")
    assert parse_value(True, "list") == Parsed("Ya", "text")
    assert parse_value(False, "list") == Parsed("Tidak", "text")
    assert parse_value(date(2024, 1, 31), "text") == Parsed("2024-01-31", "text")
    assert parse_value(datetime(2024, 1, 31), "text") == Parsed("2024-01-31", "text")
    assert parse_value(1e-20, "text") == Parsed("0.00000000000000000001", "text")


def test_kode_from_float_warns_about_lost_zero() -> None:
    result = parse_value(7.1, "kode")
    assert result.value == "7.1"
    assert result.note is not None and "teks" in result.note


# --- numbers the spreadsheet already holds ----------------------------------------


@pytest.mark.parametrize(
    ("raw", "value_type", "expected"),
    [
        (1250000, "rupiah", num(1250000)),
        (1250000.0, "rupiah", num(1250000)),
        (1234567.0000000002, "rupiah", num(1234567)),  # float noise of a SUM
        (1250.5, "rupiah", num(1250.5)),
        (81, "percent", num(81.0)),
        (98.71, "percent", num(98.71)),
        (84.5, "number", num(84.5)),
        (0, "number", num(0.0)),
        (12.0, "integer", num(12)),
        (60, "target", num(60.0)),
        (Decimal("84.5"), "number", num(84.5)),
    ],
)
def test_cell_numbers_are_used_directly(raw: object, value_type: str, expected: Parsed) -> None:
    result = parse_value(raw, value_type)
    assert result == expected
    assert type(result.value) is type(expected.value)


# --- unreadable values ----------------------------------------------------------

UNREADABLE: list[tuple[object, str]] = [
    ("sembilan puluh", "number"),
    ("12..3", "number"),
    ("Rp", "rupiah"),
    ("1,2,3,4.5.6", "number"),
    ("2.021", "year"),
    ("1800", "year"),
    ("2021%", "year"),
    ("12,5", "integer"),
    ("10.000.000 225.000.000 15.000.000", "rupiah"),  # M: three amounts in one cell
    ("12.000.000 24.000.000", "rupiah"),  # M
    ("60-70", "number"),
    ("60 – 70", "percent"),
    ("Rp 5.000", "number"),
    ("5%", "rupiah"),
    ("5.000.000 lima juta", "rupiah"),
    ("(6,36", "percent"),
    ("(-5)", "number"),
    ("5,", "number"),
    ("100 -", "number"),
    ("84,5 ()", "number"),
    ("1e5", "number"),
    ("≥ 80", "target"),
    ("1.23.456", "rupiah"),
    ("0.100.000", "rupiah"),
    ("1.234.56", "rupiah"),
    ("12 3", "number"),
    ("ABC", "percent"),
    (True, "number"),
    (float("nan"), "number"),
    (float("inf"), "rupiah"),
    (12.5, "integer"),
    (1800, "year"),
    (datetime(2024, 1, 1), "year"),
    (date(2024, 1, 1), "number"),
    (".", "kode"),
]


@pytest.mark.parametrize(("raw", "value_type"), UNREADABLE)
def test_unreadable_raises_indonesian_message(raw: object, value_type: str) -> None:
    with pytest.raises(UnreadableValue) as info:
        parse_value(raw, value_type)
    exc = info.value
    message = str(exc)
    assert exc.raw is raw or (isinstance(raw, float) and math.isnan(raw))
    assert exc.expected == describe_type(value_type)
    assert message.startswith("Isi sel")
    assert "tidak dapat dibaca sebagai" in message
    assert describe_type(value_type) in message
    shown = {True: "BENAR", False: "SALAH"}.get(raw, str(raw)) if isinstance(raw, bool) else str(raw)
    assert shown in message
    assert exc.reason  # says why, in Indonesian
    assert isinstance(exc, ValueError)


def test_unreadable_reason_is_specific() -> None:
    with pytest.raises(UnreadableValue, match="lebih dari satu angka"):
        parse_value("10.000.000 225.000.000 15.000.000", "rupiah")
    with pytest.raises(UnreadableValue, match="hanya boleh di kolom target"):
        parse_value("60-70", "number")
    with pytest.raises(UnreadableValue, match="1900 dan 2100"):
        parse_value("1800", "year")
    with pytest.raises(UnreadableValue, match="bilangan bulat"):
        parse_value("12,5", "integer")


def test_long_raw_text_is_shortened_in_message() -> None:
    raw = "x" * 1000
    with pytest.raises(UnreadableValue) as info:
        parse_value(raw, "number")
    assert raw[:200] in str(info.value)
    assert len(str(info.value)) < 400


def test_describe_type() -> None:
    for value_type in VALUE_TYPES:
        assert describe_type(value_type)
    assert describe_type("rupiah") == "angka rupiah (mis. 1.250.000)"
    with pytest.raises(ValueError, match="tidak dikenal"):
        describe_type("uang")


def test_unknown_type_is_a_programming_error() -> None:
    with pytest.raises(ValueError) as info:
        parse_value("5", "uang")
    assert not isinstance(info.value, UnreadableValue)


# --- property tests: every way a person prints a number ---------------------


def group(digits: int, sep: str) -> str:
    """Print a non-negative integer with `sep` between groups of three."""
    text = str(digits)
    parts = []
    while len(text) > 3:
        parts.insert(0, text[-3:])
        text = text[:-3]
    parts.insert(0, text)
    return sep.join(parts)


def negate(text: str, style: str) -> str:
    """Write a negative number with a minus or in parentheses."""
    return f"-{text}" if style == "minus" else f"({text})"


# Integer styles: (thousands separator, suffixes that mean "no cents").
INTEGER_STYLES = {
    "id": (".", ["", ",-", ".-", ",00"]),
    "en": (",", ["", ".00"]),
    "plain": ("", ["", ",-", ".-", ",00", ".00"]),
}
# Decimal styles: (thousands separator, decimal separator).
DECIMAL_STYLES = {"id": (".", ","), "en": (",", "."), "plain-dot": ("", "."), "plain-comma": ("", ",")}

amounts = st.integers(min_value=0, max_value=10**13)
cents = st.integers(min_value=0, max_value=99)
signs = st.sampled_from(["", "minus", "paren"])


def single_separator_3_digits(text: str) -> bool:
    """The genuinely ambiguous form: one separator followed by exactly 3 digits."""
    seps = [ch for ch in text if ch in ".,"]
    return len(seps) == 1 and len(text.rsplit(seps[0], 1)[1]) == 3


@given(
    amounts,
    st.sampled_from(sorted(INTEGER_STYLES)),
    st.data(),
    st.sampled_from(["", "Rp", "Rp ", "Rp.", "Rp. ", "RP. "]),
    signs,
)
def test_rupiah_integer_round_trip(n: int, style: str, data: st.DataObject, prefix: str, sign: str) -> None:
    sep, suffixes = INTEGER_STYLES[style]
    suffix = data.draw(st.sampled_from(suffixes))
    text = f"{prefix}{group(n, sep)}{suffix}"
    if sign:
        text = negate(text, sign)
    result = parse_value(text, "rupiah")
    assert result.value == (-n if sign else n)
    assert type(result.value) is int
    assert result.kind == "number"
    assert result.note is None


@given(amounts, cents, st.sampled_from(sorted(DECIMAL_STYLES)), st.sampled_from(["", "Rp ", "Rp."]), signs)
def test_rupiah_decimal_round_trip(n: int, c: int, style: str, prefix: str, sign: str) -> None:
    thousands, decimal = DECIMAL_STYLES[style]
    text = f"{prefix}{group(n, thousands)}{decimal}{c:02d}"
    if sign:
        text = negate(text, sign)
    expected = float(Decimal(n) + Decimal(c) / 100) * (-1 if sign else 1)
    result = parse_value(text, "rupiah")
    assert math.isclose(result.value, expected, rel_tol=1e-9)
    assert result.note is None


@given(amounts, st.sampled_from([".", ",", ""]), st.sampled_from(["number", "percent", "target"]), signs)
def test_number_integer_round_trip(n: int, sep: str, value_type: str, sign: str) -> None:
    core = group(n, sep)
    assume(not single_separator_3_digits(core))
    pct = " %" if value_type == "percent" and n % 2 else ("%" if value_type == "percent" else "")
    text = core + pct
    if sign:
        text = negate(text, sign)
    result = parse_value(text, value_type)
    assert result.value == float(-n if sign else n)
    assert result.kind == "number"
    assert result.percent_sign == bool(pct)
    assert result.note is None


@given(
    amounts,
    cents,
    st.sampled_from(sorted(DECIMAL_STYLES)),
    st.sampled_from(["number", "percent", "target"]),
    st.sampled_from(["", "%", " %"]),
    signs,
)
def test_number_decimal_round_trip(n: int, c: int, style: str, value_type: str, pct: str, sign: str) -> None:
    thousands, decimal = DECIMAL_STYLES[style]
    text = f"{group(n, thousands)}{decimal}{c:02d}{pct}"
    if sign:
        text = negate(text, sign)
    expected = float(Decimal(n) + Decimal(c) / 100) * (-1 if sign else 1)
    result = parse_value(text, value_type)
    assert math.isclose(result.value, expected, rel_tol=1e-9)
    assert result.percent_sign == bool(pct)
    assert result.note is None


@given(amounts, st.sampled_from([".", ",", ""]), st.sampled_from(["", " orang", " Dokumen"]))
def test_integer_round_trip(n: int, sep: str, unit: str) -> None:
    result = parse_value(group(n, sep) + unit, "integer")
    assert result.value == n
    assert type(result.value) is int
    assert result.unit == (unit.strip() or None)


@given(st.integers(min_value=1900, max_value=2100))
def test_year_round_trip(year: int) -> None:
    assert parse_value(str(year), "year") == num(year)
    assert parse_value(year, "year") == num(year)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_target_range_round_trip(low: int, high: int) -> None:
    assume(low <= high)
    for sep in (" – ", "-", " - ", " s/d ", " sampai "):
        text = f"{group(low, '')},5{sep}{group(high, '')},5"
        result = parse_value(text, "target")
        assert (result.value, result.kind, result.upper) == (low + 0.5, "range", high + 0.5)


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_cell_integers_pass_through(n: int) -> None:
    assert parse_value(n, "rupiah") == num(n)
    assert parse_value(n, "integer") == num(n)
    assert parse_value(n, "number") == num(float(n))


# --- property tests: robustness -------------------------------------------------


@given(
    st.one_of(st.text(max_size=40), st.text(alphabet="0123456789.,-–()%/ Rpsd", max_size=25)),
    st.sampled_from(VALUE_TYPES),
)
def test_any_text_is_read_or_refused_cleanly(raw: str, value_type: str) -> None:
    try:
        result = parse_value(raw, value_type)
    except UnreadableValue as exc:
        assert value_type in NUMERIC_TYPES or value_type == "kode"
        assert exc.raw == raw
        return
    assert result.kind in ("empty", "na", "number", "text", "range")
    if result.kind == "number":
        assert isinstance(result.value, (int, float)) and math.isfinite(result.value)
    if result.kind == "text":
        assert isinstance(result.value, str) and result.value


@given(st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "P", "Zs"]), max_size=30))
def test_text_is_stripped_and_kode_is_stable(raw: str) -> None:
    text = parse_value(raw, "text")
    if text.kind == "text":
        assert text.value == raw.strip()
    try:
        kode = parse_value(raw, "kode")
    except UnreadableValue:
        return
    if kode.kind == "text":
        assert parse_value(kode.value, "kode") == kode


@pytest.mark.parametrize("space", [" ", "  ", "\t", "\n", "\r", "\x0b", "\x0c"])
def test_kode_white_space_around_dots_is_dropped(space: str) -> None:
    assert parse_value(f"1{space}.{space}01.01{space}.", "kode").value == "1.01.01"
    assert parse_value(f"IK{space}1", "kode").value == "IK 1"


@given(st.sampled_from(VALUE_TYPES), st.sampled_from([time(7, 1), datetime(2024, 5, 1, 8, 30)]))
def test_dates_never_read_as_numbers(value_type: str, raw: object) -> None:
    if value_type in TEXT_TYPES:
        assert parse_value(raw, value_type).kind == "text"
    else:
        with pytest.raises(UnreadableValue):
            parse_value(raw, value_type)


# --- plain readings without the parser (the reader's short way) --------------


@given(
    st.floats(min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT, exclude_min=True, exclude_max=True),
    st.sampled_from(VALUE_TYPES),
)
def test_float_reader_gives_what_the_parser_gives(raw: float, value_type: str) -> None:
    """The reader takes this short way only for floats strictly within NUMBER_LIMIT."""
    reader = float_reader(value_type)
    if reader is None:
        assert value_type in ("integer", "year", *TEXT_TYPES)  # these need the parser
        return
    value = reader(raw)
    assert parse_value(raw, value_type) == Parsed(value, "number")
    assert type(value) is type(parse_value(raw, value_type).value)


@pytest.mark.parametrize("raw", [0.5, -0.0, 9.99e14, 2.0**49 + 2, 3.0000000000000004, 7.01, -12.5])
@pytest.mark.parametrize("value_type", ["rupiah", "number", "percent", "target"])
def test_float_reader_edge_values(raw: float, value_type: str) -> None:
    value = float_reader(value_type)(raw)
    parsed = parse_value(raw, value_type)
    assert (value, type(value)) == (parsed.value, type(parsed.value))
    assert math.copysign(1, value) == math.copysign(1, parsed.value)  # -0.0 is read as 0.0


@given(
    st.one_of(
        st.text(max_size=25),
        st.sampled_from(
            ["-", " n/a ", "Tidak Ada", "7.01.01.", "7. 01", "I.1", "  Program A ", "na", "\t7.01"]
        ),
    ),
    st.sampled_from(VALUE_TYPES),
)
def test_plain_text_gives_what_the_parser_gives(raw: str, value_type: str) -> None:
    text = plain_text(raw, value_type)
    if text is None:
        return  # the parser decides
    assert value_type in ("text", "kode")
    assert parse_value(raw, value_type) == Parsed(text, "text")


def test_plain_text_leaves_markers_and_odd_kode_to_the_parser() -> None:
    assert plain_text("  Program A ", "text") == "Program A"
    assert plain_text("7.01.01", "kode") == "7.01.01"
    for raw in ("-", "n/a", "Tidak ada", "", "   ", "7.01.", "7. 01", "caf\u00e9"):
        assert plain_text(raw, "kode") is None
    assert plain_text("x", "list") is None and plain_text("1", "number") is None


# --- issue 14 item 10, issue 17 item 8: never a silent misread ----------------


@pytest.mark.parametrize(
    ("raw", "digits", "factor"),
    [
        ("84,5 juta", "845", 10**5),
        ("Rp 1,2 M", "12", 10**8),
        ("250 ribu", "250", 10**3),
        ("1,5 miliar", "15", 10**8),
        ("2 triliun", "2", 10**12),
        ("0,5 jt", "5", 10**5),
        ("Rp 3,25 Milyar", "325", 10**7),
        ("84,5 juta rupiah", "845", 10**5),
    ],
)
def test_multiplier_words_are_applied_in_rupiah_columns(raw: str, digits: str, factor: int) -> None:
    parsed = parse_value(raw, "rupiah")
    assert parsed.value == int(digits) * factor and isinstance(parsed.value, int)
    assert parsed.unit is None


def test_a_negative_amount_with_a_multiplier() -> None:
    assert parse_value("(84,5 juta)", "rupiah").value == -845 * 10**5


@pytest.mark.parametrize("raw", ["84,5 juta", "1,2 M", "250 ribu", "1,5 miliar", "3 jt", "12 rb"])
@pytest.mark.parametrize("value_type", ["number", "target", "percent", "integer"])
def test_multiplier_words_are_refused_elsewhere(raw: str, value_type: str) -> None:
    with pytest.raises(UnreadableValue, match="Kata pengali"):
        parse_value(raw, value_type)


@pytest.mark.parametrize("raw", ["0x1F", "12abc", "5e", "7kali2", "3e", "10abc def"])
@pytest.mark.parametrize("value_type", ["number", "rupiah", "target", "integer"])
def test_a_number_is_only_a_number_when_all_of_it_is_read(raw: str, value_type: str) -> None:
    with pytest.raises(UnreadableValue):
        parse_value(raw, value_type)


@pytest.mark.parametrize(
    ("raw", "unit"), [("5x", "x"), ("12 m2", "m2"), ("400 Dokumen", "Dokumen"), ("3kali", "kali")]
)
def test_units_still_read(raw: str, unit: str) -> None:
    assert parse_value(raw, "number").unit == unit


@pytest.mark.parametrize("value_type", ["number", "rupiah", "percent", "integer", "target"])
def test_huge_numbers_are_an_input_finding_never_infinity(value_type: str) -> None:
    for raw in ("9" * 400, "9" * 16, 1e308, -1e308, 1e15, float(10**16)):
        with pytest.raises(UnreadableValue, match="batas wajar"):
            parse_value(raw, value_type)
    # the largest real budgets are read
    assert parse_value(
        999_999_999_999_999 if value_type in ("rupiah", "integer") else 9.99e14, value_type
    ).value


def test_rupiah_last_group_of_three_is_thousands() -> None:
    # a rupiah amount never has three decimals: 1,250.500 is 1.250.500 (was read as 1250.5)
    assert parse_value("1,250.500", "rupiah").value == 1_250_500
    assert parse_value("1.250,500", "rupiah").value == 1_250_500
    assert parse_value("22,671,547.00", "rupiah").value == 22_671_547  # two digits: decimals
    assert parse_value("Rp 3.779.143.773,00", "rupiah").value == 3_779_143_773
    # elsewhere a last group of three after two kinds of separators stays a decimal
    assert parse_value("1,250.500", "number").value == pytest.approx(1250.5)


def test_rupiah_with_a_trailing_comma() -> None:
    assert parse_value("Rp 1.250.000,", "rupiah").value == 1_250_000
    assert parse_value("4.349.483.103,-", "rupiah").value == 4_349_483_103
    with pytest.raises(UnreadableValue):
        parse_value("84,", "number")


def test_count_column_reads_thousands_without_a_note() -> None:
    parsed = parse_value("83.017", "integer")
    assert parsed.value == 83 * 1000 + 17 and parsed.note is None
    assert parse_value("83.017", "number").note is not None  # a number column says how it read it
