"""Grade scales: a band of values with its label, the built-in scales, and matching a stated label.

One :class:`Band` serves the predikat of the rules in force (``[[predikat]]``), the
kabupaten's own named scales (``[[skala.NAME]]``), the built-in national scales
(:data:`BUILTIN_SCALES`) and the free tables' ``skala:`` rules; :func:`label_matches` is
the one way a stated grade is compared with a band's label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import normalise_name
from .precision import nearly_equal


def bound_text(value: float) -> str:
    """A bound or limit as a person writes it: ``76,61``, ``100``."""
    text = f"{value:g}"
    return text.replace(".", ",")


@dataclass(frozen=True)
class Band:
    """One predikat band: a half-open or closed interval with a label."""

    label: str
    lower: float | None = None
    lower_inclusive: bool = True
    upper: float | None = None
    upper_inclusive: bool = True

    def contains(self, value: float) -> bool:
        """Membership, with numbers equal to ~15 digits treated as equal (as spreadsheets do)."""
        if self.lower is not None:
            at = nearly_equal(value, self.lower)
            if (value < self.lower and not at) or (at and not self.lower_inclusive):
                return False
        if self.upper is not None:
            at = nearly_equal(value, self.upper)
            if (value > self.upper and not at) or (at and not self.upper_inclusive):
                return False
        return True

    def describe(self) -> str:
        """Indonesian description, e.g. ``> 80 s/d 100``."""
        parts = []
        if self.lower is not None:
            parts.append(("≥ " if self.lower_inclusive else "> ") + bound_text(self.lower))
        if self.upper is not None:
            parts.append(("≤ " if self.upper_inclusive else "< ") + bound_text(self.upper))
        return " dan ".join(parts) if parts else "semua nilai"


def _bands(*rows: tuple[str, float | None, bool, float | None, bool]) -> tuple[Band, ...]:
    return tuple(
        Band(label, lower, lower_in, upper, upper_in) for label, lower, lower_in, upper, upper_in in rows
    )


#: Grade scales every template knows, by the name written in a Rumus row (``skala:ikm``).
#: ``predikat`` is the capaian scale of the rules in force (see :meth:`Rules.scales`).
BUILTIN_SCALES: dict[str, tuple[Band, ...]] = {
    # PermenPANRB 14/2017: nilai interval konversi IKM
    "ikm": _bands(
        ("D (Tidak Baik)", 25.0, True, 65.0, False),
        ("C (Kurang Baik)", 65.0, True, 76.61, False),
        ("B (Baik)", 76.61, True, 88.31, False),
        ("A (Sangat Baik)", 88.31, True, 100.0, True),
    ),
    # PermenPANRB 88/2021: predikat nilai evaluasi AKIP
    "akip": _bands(
        ("AA (Sangat Memuaskan)", 90.0, False, 100.0, True),
        ("A (Memuaskan)", 80.0, False, 90.0, True),
        ("BB (Sangat Baik)", 70.0, False, 80.0, True),
        ("B (Baik)", 60.0, False, 70.0, True),
        ("CC (Cukup)", 50.0, False, 60.0, True),
        ("C (Kurang)", 30.0, False, 50.0, True),
        ("D (Sangat Kurang)", 0.0, True, 30.0, True),
    ),
    # PermenPANRB 26/2020: kategori nilai Indeks Reformasi Birokrasi (same cut points as AKIP, letters only)
    "rb": _bands(
        ("AA", 90.0, False, 100.0, True),
        ("A", 80.0, False, 90.0, True),
        ("BB", 70.0, False, 80.0, True),
        ("B", 60.0, False, 70.0, True),
        ("CC", 50.0, False, 60.0, True),
        ("C", 30.0, False, 50.0, True),
        ("D", 0.0, True, 30.0, True),
    ),
}
#: Indonesian names of the scales, for messages and the template's instructions.
SCALE_TITLES: dict[str, str] = {
    "ikm": "IKM (PermenPANRB 14/2017)",
    "akip": "predikat AKIP (PermenPANRB 88/2021)",
    "rb": "Indeks Reformasi Birokrasi (PermenPANRB 26/2020)",
    "predikat": "predikat capaian (aturan kabupaten)",
}


def _label_key(text: object) -> set[str]:
    return set(normalise_name(text).split())


def _label_forms(label: str) -> set[str]:
    """A band label and its parts: "Baik (Berhasil)" -> {"baik berhasil", "baik", "berhasil"}."""
    forms = {" ".join(sorted(_label_key(label)))}
    outside = re.sub(r"\([^)]*\)", " ", label)
    forms.add(" ".join(sorted(_label_key(outside))))
    for inside in re.findall(r"\(([^)]*)\)", label):
        forms.add(" ".join(sorted(_label_key(inside))))
    return {form for form in forms if form}


def label_matches(stated: str, expected: str | None) -> bool:
    """A stated grade matches a band label written in full or as one of its named parts.

    Letters and words are equivalent: "A", "Sangat Baik", "A (Sangat Baik)" and "Sangat Baik (A)"
    all match the band "A (Sangat Baik)"; "Baik" does not.
    """
    if expected is None:
        return False
    return bool(_label_forms(str(stated)) & _label_forms(expected))


def band_of(bands: tuple[Band, ...], value: float) -> Band | None:
    """The first band containing ``value``, or None."""
    return next((band for band in bands if band.contains(value)), None)


def wrong_label(bands: tuple[Band, ...], value: float, label: str) -> Band | None:
    """The band ``value`` belongs to when ``label`` does not name it, else None (also outside every band)."""
    expected = band_of(bands, value)
    if expected is None or label_matches(label, expected.label):
        return None
    return expected
