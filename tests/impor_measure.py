"""How many of the known wrong figures ``impor`` then ``check`` finds, with no hand typing.

The known wrong figures of a seed report are the ``error`` findings ``check``
raises on its hand transcription ``samples/<name>.xlsx`` (built from
``samples/data/<name>.json``, whose ``*.errors.md`` explains each one).  A
figure is found when ``check`` on the imported workbook raises an error on the
same sheet, field and stated value (:func:`same_figure`; on Tabel Bebas the field is the column's
header or the rule as typed, so there one wording may hold the other: the report's
"SUMBER DAYA MANUSIA TAHUN 2024 % KETERSEDIAAN SDM" is the transcription's "% Ketersediaan SDM").
Counted per kind of sheet: the core model (Identitas ... Ringkasan, PK Anggaran), Kutipan, Tabel
Bebas and Renstra.

An imported error that is not a known wrong figure is a false error, unless it
is one the transcription raises as the consequence of a root impor does not
fill (``follows-root``).

Run ``python tests/impor_measure.py [txt] [docx] [pdf]`` for the table (Word
and PDF versions are built from the seed text like the tests do, the PDFs in
one soffice call).
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
NAMES = ("kragan-rembang-2021", "ngoro-jombang-2024", "ngoro-mojokerto-2021")
CORE_SHEETS = ("Identitas", "Sasaran", "Indikator", "Anggaran", "PK Anggaran", "Penduduk", "Ringkasan")
KINDS = ("inti", "Kutipan", "Tabel Bebas", "Renstra")


def error_keys(findings: Iterable[Any]) -> set[tuple]:
    """(sheet, field, stated value) of every error finding."""
    return {
        (f.sheet, f.field, round(float(f.stated), 2) if isinstance(f.stated, (int, float)) else f.stated)
        for f in findings
        if f.severity == "error"
    }


def _words(text: Any) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", str(text).lower()))


def same_figure(a: tuple, b: tuple) -> bool:
    """Two error keys name the same wrong figure: same sheet and stated value, and the same field."""
    if a[0] != b[0] or a[2] != b[2]:
        return False
    one, other = _words(a[1]), _words(b[1])
    if one == other:
        return True
    return (
        a[0] == "Tabel Bebas"
        and bool(one and other)
        and (f" {one} " in f" {other} " or f" {other} " in f" {one} ")
    )


def matched(keys: Iterable[tuple], among: Iterable[tuple]) -> set[tuple]:
    """The keys that name a figure of ``among``."""
    among = list(among)
    return {key for key in keys if any(same_figure(key, other) for other in among)}


def kind_of(sheet: str) -> str:
    return "inti" if sheet in CORE_SHEETS else sheet


def known_errors(name: str) -> tuple[set[tuple], set[tuple]]:
    """The known wrong figures of a seed, and the consequences of roots (allowed, not counted)."""
    from sakip_xlsx.pipeline import check_file

    transcribed = check_file(SAMPLES / f"{name}.xlsx").findings
    linked = error_keys(replace(f, severity="error") for f in transcribed if f.code == "follows-root")
    return error_keys(transcribed), linked


def measure(name: str, imported: Path) -> dict[str, Any]:
    """Per kind: (found, known); with the missed and the false errors."""
    from sakip_xlsx.pipeline import check_file

    expected, linked = known_errors(name)
    got = error_keys(check_file(imported).findings)
    found = matched(expected, got)
    counts = {
        kind: (
            len({key for key in found if kind_of(key[0]) == kind}),
            len({key for key in expected if kind_of(key[0]) == kind}),
        )
        for kind in KINDS
    }
    return {
        "counts": counts,
        "found": len(found),
        "known": len(expected),
        "missed": sorted(expected - found, key=str),
        "false": sorted(got - matched(got, expected | linked), key=str),
    }


def _documents(formats: list[str], folder: Path) -> dict[str, dict[str, Path]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from impor_docs import SEEDS, build_docx, to_pdf

    made = {name: {"txt": SEEDS / f"lkjip-{name}.txt"} for name in NAMES}
    if "docx" in formats or "pdf" in formats:
        for name in NAMES:
            made[name]["docx"] = build_docx(SEEDS / f"lkjip-{name}.txt", folder / f"lkjip-{name}.docx")
    if "pdf" in formats:
        pdfs = to_pdf([made[name]["docx"] for name in NAMES], folder, folder / "profile")
        for name, pdf in zip(NAMES, pdfs, strict=True):
            made[name]["pdf"] = pdf
    return made


def main(formats: list[str]) -> int:
    import json

    from sakip_xlsx.impor.place import import_report
    from sakip_xlsx.rules import load_rules

    formats = formats or ["txt", "docx", "pdf"]
    with tempfile.TemporaryDirectory(prefix="impor-measure-") as tmp:
        folder = Path(tmp)
        documents = _documents(formats, folder)
        print("| report | format | " + " | ".join(KINDS) + " | all | false errors |")
        print("| --- | --- | " + " | ".join("---" for _ in KINDS) + " | --- | --- |")
        totals: dict[str, list[int]] = {}
        for fmt in formats:
            for name in NAMES:
                rules = json.loads((SAMPLES / "data" / f"{name}.json").read_text("utf-8"))["rules"]
                out = folder / f"{name}-{fmt}.xlsx"
                import_report(documents[name][fmt], out, rules=load_rules(rules))
                result = measure(name, out)
                total = totals.setdefault(fmt, [0, 0, 0])
                total[0] += result["found"]
                total[1] += result["known"]
                total[2] += len(result["false"])
                cells = " | ".join(f"{found}/{known}" for found, known in result["counts"].values())
                print(
                    f"| {name} | {fmt} | {cells} | {result['found']}/{result['known']} | {len(result['false'])} |"
                )
                for key in result["missed"]:
                    print(f"<!--   missed {fmt} {name}: {key} -->", file=sys.stderr)
                for key in result["false"]:
                    print(f"<!--   FALSE {fmt} {name}: {key} -->", file=sys.stderr)
        for fmt, (found, known, false) in totals.items():
            print(f"| all three | {fmt} | | | | | {found}/{known} = {found / known:.1%} | {false} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
