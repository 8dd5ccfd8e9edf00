"""Definitions of the derived LKjIP quantities (SPEC section 4), each once.

Each function takes expressions for its inputs and returns the expression of
the result; :mod:`sakip_xlsx.expr` turns that into both the Python value and
the Excel formula.  The rules (:class:`~sakip_xlsx.rules.Rules`) choose the
variant where kabupaten differ.
"""

from __future__ import annotations

from .expr import All, Bin, Clamp, Cmp, Expr, If, Num, Sum, Text
from .grades import Band
from .rules import Rules


def ratio(part: Expr, whole: Expr) -> Expr:
    """``part / whole × 100`` (serapan, % ketersediaan, shares, kemajuan)."""
    return part / whole * 100


def achievement(target: Expr, realisasi: Expr, negative: bool, rules: Rules) -> Expr:
    """Uncapped capaian against one target value, by polarity."""
    if not negative:
        return ratio(realisasi, target)
    if rules.negative_formula == "T/R":
        return target / realisasi * 100
    return (2 * target - realisasi) / target * 100


def capaian(
    target: Expr, realisasi: Expr, negative: bool, rules: Rules, target_atas: Expr | None = None
) -> Expr:
    """Capaian of an indicator: polarity formula, range targets, then cap and floor."""
    if target_atas is None:
        raw = achievement(target, realisasi, negative, rules)
    else:
        # range target: inside -> 100, below -> against the lower bound, above -> against the upper
        raw = If(
            Cmp("<", realisasi, target),
            achievement(target, realisasi, negative, rules),
            If(
                Cmp(">", realisasi, target_atas),
                achievement(target_atas, realisasi, negative, rules),
                Num(100),
            ),
        )
    if rules.cap is None and rules.floor is None:
        return raw
    return Clamp(raw, rules.floor, rules.cap)


def selisih(pagu: Expr, realisasi: Expr) -> Expr:
    """Sisa anggaran ``pagu − realisasi``."""
    return pagu - realisasi


def serapan(pagu: Expr, realisasi: Expr) -> Expr:
    """Serapan anggaran ``realisasi / pagu × 100``."""
    return ratio(realisasi, pagu)


def efisiensi(capaian_value: Expr, serapan_value: Expr, rules: Rules) -> Expr:
    """Efisiensi per the rules: ``capaian − serapan`` or ``100 − serapan``."""
    if rules.efisiensi_formula == "100 - serapan":
        return 100 - serapan_value
    return capaian_value - serapan_value


def efisiensi_sdm(capaian_value: Expr, ketersediaan_persen: Expr) -> Expr:
    """Efisiensi SDM ``capaian − % ketersediaan``."""
    return capaian_value - ketersediaan_persen


def perbandingan(realisasi: Expr, pembanding: Expr) -> Expr:
    """Difference with a comparison figure, with sign."""
    return realisasi - pembanding


def total(terms: list[Expr]) -> Expr:
    """Σ of cells (blanks skipped)."""
    return Sum(tuple(terms))


def penduduk_total(laki_laki: Expr, perempuan: Expr) -> Expr:
    return laki_laki + perempuan


def rasio_jenis_kelamin(laki_laki: Expr, perempuan: Expr) -> Expr:
    """Laki-laki per 100 perempuan."""
    return ratio(laki_laki, perempuan)


def _band_condition(value: Expr, band: Band) -> Expr | None:
    conditions = []
    if band.lower is not None:
        conditions.append(Cmp(">=" if band.lower_inclusive else ">", value, Num(band.lower)))
    if band.upper is not None:
        conditions.append(Cmp("<=" if band.upper_inclusive else "<", value, Num(band.upper)))
    return All(tuple(conditions)) if conditions else None


def predikat(value: Expr, rules: Rules) -> Expr:
    """The predikat label of a capaian on the rules' scale (blank outside every band)."""
    result: Expr = Text("")
    for band in reversed(rules.predikat):
        condition = _band_condition(value, band)
        result = Text(band.label) if condition is None else If(condition, Text(band.label), result)
    return result


__all__ = [
    "Bin",
    "achievement",
    "capaian",
    "efisiensi",
    "efisiensi_sdm",
    "penduduk_total",
    "perbandingan",
    "predikat",
    "rasio_jenis_kelamin",
    "ratio",
    "selisih",
    "serapan",
    "total",
]
