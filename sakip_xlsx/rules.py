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
from .grades import BUILTIN_SCALES, Band, band_of, bound_text
from .precision import is_number

PRESETS = ("default", "mojokerto", "jombang", "rembang")

NEGATIVE_FORMULAS = ("T/R", "(2T-R)/T")
EFISIENSI_FORMULAS = ("capaian - serapan", "100 - serapan")
_NONE_WORDS = {"tidak ada", "tanpa", "none", ""}


class RulesError(SakipError):
    """A rules file is missing, malformed or inconsistent (message in Indonesian)."""


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
        band = band_of(self.predikat, capaian) if capaian is not None else None
        return band.label if band is not None else None

    def describe(self) -> list[tuple[str, str]]:
        """The rules as (setting, value) rows in plain Indonesian."""
        rows = [
            ("Nama aturan", self.name),
            ("Batas atas capaian", "tidak ada" if self.cap is None else f"{bound_text(self.cap)} %"),
            ("Batas bawah capaian", "tidak ada" if self.floor is None else f"{bound_text(self.floor)} %"),
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
