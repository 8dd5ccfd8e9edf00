"""Calculation rules of a kabupaten, read from a TOML file.

The rules decide how capaian is capped, how negative-polarity indicators are
computed, what efisiensi means, the predikat scale and the display decimals.
They are embedded in every template, so ``check`` uses the rules of the
kabupaten that issued it.  Keys are Indonesian because kabupaten staff write
these files; see ``templates/default.toml`` for a commented example.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import SakipError
from .precision import is_number

PRESETS = ("default", "mojokerto", "jombang", "rembang")

NEGATIVE_FORMULAS = ("T/R", "(2T-R)/T")
EFISIENSI_FORMULAS = ("capaian - serapan", "100 - serapan")
_NONE_WORDS = {"tidak ada", "tanpa", "none", ""}


class RulesError(SakipError):
    """A rules file is missing, malformed or inconsistent (message in Indonesian)."""


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
        from .expr import nearly_equal

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
            parts.append(("≥ " if self.lower_inclusive else "> ") + _number(self.lower))
        if self.upper is not None:
            parts.append(("≤ " if self.upper_inclusive else "< ") + _number(self.upper))
        return " dan ".join(parts) if parts else "semua nilai"


def _number(value: float) -> str:
    text = f"{value:g}"
    return text.replace(".", ",")


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
    return set(re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).split())


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


@dataclass(frozen=True)
class Rules:
    """The calculation rules in force for one workbook."""

    name: str
    cap: float | None
    floor: float | None
    negative_formula: str
    efisiensi_formula: str
    decimals: int
    predikat: tuple[Band, ...]
    #: the TOML text the rules were read from (embedded verbatim in workbooks)
    source: str
    #: further named grade scales of the kabupaten (``[[skala.NAME]]``), in file order
    extra_scales: tuple[tuple[str, tuple[Band, ...]], ...] = field(default=())

    def scales(self) -> dict[str, tuple[Band, ...]]:
        """Every grade scale by name: the built-in ones, ``predikat`` of these rules, and the file's own."""
        scales = dict(BUILTIN_SCALES)
        scales["predikat"] = self.predikat
        scales.update(self.extra_scales)
        return scales

    def predikat_of(self, capaian: float | None) -> str | None:
        """Label of the first band containing ``capaian`` (None if no band does)."""
        if capaian is None:
            return None
        for band in self.predikat:
            if band.contains(capaian):
                return band.label
        return None

    def describe(self) -> list[tuple[str, str]]:
        """The rules as (setting, value) rows in plain Indonesian."""
        rows = [
            ("Nama aturan", self.name),
            ("Batas atas capaian", "tidak ada" if self.cap is None else f"{_number(self.cap)} %"),
            ("Batas bawah capaian", "tidak ada" if self.floor is None else f"{_number(self.floor)} %"),
            ("Rumus polaritas negatif", f"{self.negative_formula} × 100"),
            ("Rumus efisiensi", self.efisiensi_formula),
            ("Desimal persentase", str(self.decimals)),
        ]
        rows += [(f"Predikat: {band.label}", band.describe()) for band in self.predikat]
        for name, bands in self.extra_scales:
            rows += [(f"Skala {name}: {band.label}", band.describe()) for band in bands]
        return rows


def parse_rules(text: str, origin: str = "aturan") -> Rules:
    """Read rules from TOML text; raise RulesError in Indonesian on any problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{origin}: berkas aturan tidak dapat dibaca (TOML): {exc}.") from None

    capaian = _table(data, "capaian", origin)
    efisiensi = _table(data, "efisiensi", origin)
    tampilan = _table(data, "tampilan", origin)

    negative = str(capaian.get("rumus_polaritas_negatif", "T/R")).replace(" ", "")
    if negative not in NEGATIVE_FORMULAS:
        raise RulesError(
            f"{origin}: capaian.rumus_polaritas_negatif harus salah satu dari "
            f"{', '.join(NEGATIVE_FORMULAS)}; tertulis {negative!r}."
        )
    written = "".join(str(efisiensi.get("rumus", "capaian - serapan")).split())
    efisiensi_formula = written.replace("-", " - ")
    if efisiensi_formula not in EFISIENSI_FORMULAS:
        raise RulesError(
            f'{origin}: efisiensi.rumus harus "capaian - serapan" atau "100 - serapan"; '
            f"tertulis {efisiensi.get('rumus')!r}."
        )
    decimals = tampilan.get("desimal", 2)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
        raise RulesError(f"{origin}: tampilan.desimal harus bilangan bulat 0 sampai 6.")

    bands = tuple(_band(entry, index, origin) for index, entry in enumerate(data.get("predikat", []), 1))
    extra_scales = _extra_scales(data.get("skala", {}), origin)
    return Rules(
        name=str(data.get("nama", origin)),
        cap=_limit(capaian.get("batas_atas", "tidak ada"), "capaian.batas_atas", origin),
        floor=_limit(capaian.get("batas_bawah", 0), "capaian.batas_bawah", origin),
        negative_formula=negative,
        efisiensi_formula=efisiensi_formula,
        decimals=decimals,
        predikat=bands,
        source=text,
        extra_scales=extra_scales,
    )


def _extra_scales(value: object, origin: str) -> tuple[tuple[str, tuple[Band, ...]], ...]:
    """``[[skala.NAME]]`` tables: named grade scales for values typed with a grade (``skala:NAME``)."""
    if not isinstance(value, dict):
        raise RulesError(f"{origin}: bagian [skala] harus berupa tabel TOML, mis. [[skala.ikm_kabupaten]].")
    scales = []
    for name, entries in value.items():
        key = " ".join(re.sub(r"[^0-9a-z_]+", " ", str(name).lower()).split())
        if not key or " " in key or key == "predikat":
            raise RulesError(
                f'{origin}: nama skala {name!r} tidak boleh kosong, berspasi, atau "predikat" '
                "(skala predikat capaian ditulis di [[predikat]])."
            )
        if not isinstance(entries, list) or not entries:
            raise RulesError(f"{origin}: skala {name} harus berisi pita [[skala.{name}]] berlabel.")
        bands = tuple(
            _band(entry, index, f"{origin}: skala {name}") for index, entry in enumerate(entries, 1)
        )
        scales.append((key, bands))
    return tuple(scales)


def _table(data: dict, key: str, origin: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RulesError(f"{origin}: bagian [{key}] harus berupa tabel TOML.")
    return value


def _limit(value: object, key: str, origin: str) -> float | None:
    if isinstance(value, str) and value.strip().lower() in _NONE_WORDS:
        return None
    if is_number(value):
        return float(value)
    raise RulesError(f'{origin}: {key} harus angka atau "tidak ada"; tertulis {value!r}.')


def _band(entry: object, index: int, origin: str) -> Band:
    where = f"{origin}: predikat ke-{index}"
    if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
        raise RulesError(f"{where} harus punya label teks.")
    if "lebih_dari" in entry and "mulai" in entry:
        raise RulesError(f"{where}: pakai salah satu, lebih_dari atau mulai.")
    if "sampai" in entry and "kurang_dari" in entry:
        raise RulesError(f"{where}: pakai salah satu, sampai atau kurang_dari.")
    numbers = {}
    for key in ("lebih_dari", "mulai", "sampai", "kurang_dari"):
        if key in entry:
            value = entry[key]
            if not is_number(value):
                raise RulesError(f"{where}: {key} harus angka; tertulis {value!r}.")
            numbers[key] = float(value)
    lower = numbers.get("lebih_dari", numbers.get("mulai"))
    upper = numbers.get("sampai", numbers.get("kurang_dari"))
    if lower is not None and upper is not None and lower > upper:
        raise RulesError(f"{where}: batas bawah lebih besar dari batas atas.")
    return Band(
        label=entry["label"],
        lower=lower,
        lower_inclusive="lebih_dari" not in numbers,
        upper=upper,
        upper_inclusive="kurang_dari" not in numbers,
    )


def preset_text(name: str) -> str:
    """TOML text of a bundled preset."""
    if name not in PRESETS:
        raise RulesError(
            f"Preset aturan {name!r} tidak dikenal. Pilihan: {', '.join(PRESETS)}, "
            "atau beri nama berkas .toml."
        )
    try:
        return resources.files("sakip_xlsx.templates").joinpath(f"{name}.toml").read_text("utf-8")
    except ModuleNotFoundError:  # running from a source checkout without installing
        return (Path(__file__).resolve().parent.parent / "templates" / f"{name}.toml").read_text("utf-8")


def load_rules(name_or_path: str | Path | None = None) -> Rules:
    """Rules from a preset name, a TOML file path, or the default preset."""
    if name_or_path is None:
        name_or_path = "default"
    if isinstance(name_or_path, str) and name_or_path in PRESETS:
        return parse_rules(preset_text(name_or_path), origin=f"preset {name_or_path}")
    path = Path(name_or_path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise RulesError(
            f"Berkas aturan {path} tidak ditemukan. Pilihan preset: {', '.join(PRESETS)}."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"Berkas aturan {path} tidak dapat dibaca: {exc}.") from None
    return parse_rules(text, origin=path.name)
