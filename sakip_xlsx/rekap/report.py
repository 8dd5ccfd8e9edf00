"""The rekap's JSON summary (``--format json``) and its short Indonesian text for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..precision import format_number, is_number
from .build import Rekap
from .layout import (
    INDICATOR,
    INDICATOR_SHEET,
    PROGRAM,
    PROGRAM_SHEET,
    SUMMARY,
    SUMMARY_SHEET,
    UNREADABLE_SHEET,
    SheetCells,
)
from .matching import Summary


def _cached(sheet: SheetCells, row: int, col: int) -> Any:
    """The cell's cached value as JSON shows it (a whole float as an int)."""
    value = sheet.value(row, col)
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def _submission(rekap: Rekap, i: int, s: Summary) -> dict[str, Any]:
    """The JSON entry of the ``i``-th readable submission ``s``: its summary row's figures."""
    summary, row = rekap.sheets[SUMMARY_SHEET], rekap.summary.rows[i]
    return {
        "file": s["file"],
        "path": s["path"],
        "instansi": s["instansi"],
        "pemda": s["pemda"],
        "tahun": s["tahun"],
        "template_version": s["template_version"],
        "rules": s["rules"]["name"],
        "errors": s["findings"].get("error", 0),
        "warnings": s["findings"].get("warning", 0),
        "info": s["findings"].get("info", 0),
        "programs": len(s["programs"]),
        "indicators": len(s["indicators"]),
        "total_pagu": _cached(summary, row, SUMMARY["pagu"]),
        "total_realisasi": _cached(summary, row, SUMMARY["realisasi"]),
        "sisa_anggaran": _cached(summary, row, SUMMARY["sisa"]),
        "persen_serapan": _cached(summary, row, SUMMARY["serapan"]),
        "rata_capaian": _cached(summary, row, SUMMARY["rata_capaian"]),
        "predikat": _cached(summary, row, SUMMARY["predikat"]),
        "jumlah_di_atas": _cached(summary, row, SUMMARY["di_atas"]),
        "jumlah_tepat": _cached(summary, row, SUMMARY["tepat"]),
        "jumlah_di_bawah": _cached(summary, row, SUMMARY["di_bawah"]),
        "peringkat_serapan": _cached(summary, row, SUMMARY["peringkat_serapan"]),
        "peringkat_capaian": _cached(summary, row, SUMMARY["peringkat_capaian"]),
    }


def json_report(rekap: Rekap) -> dict[str, Any]:
    """The figures of a built rekap, as the workbook's cached values show them."""
    summary, v = rekap.sheets[SUMMARY_SHEET], _cached
    submissions = [_submission(rekap, i, s) for i, s in enumerate(rekap.readable)]
    total = rekap.summary.total
    totals = {
        "total_pagu": v(summary, total, SUMMARY["pagu"]),
        "total_realisasi": v(summary, total, SUMMARY["realisasi"]),
        "sisa_anggaran": v(summary, total, SUMMARY["sisa"]),
        "persen_serapan": v(summary, total, SUMMARY["serapan"]),
        "rata_capaian_antar_kecamatan": v(summary, total, SUMMARY["rata_capaian"]),
        "errors": v(summary, total, SUMMARY["kesalahan"]),
        "warnings": v(summary, total, SUMMARY["peringatan"]),
    }
    by_year = {
        str(year): {
            "total_pagu": v(summary, r, SUMMARY["pagu"]),
            "total_realisasi": v(summary, r, SUMMARY["realisasi"]),
            "persen_serapan": v(summary, r, SUMMARY["serapan"]),
        }
        for year, r in rekap.summary.years.items()
    }
    programs_sheet, indicators_sheet = rekap.sheets[PROGRAM_SHEET], rekap.sheets[INDICATOR_SHEET]
    programs = [
        {
            "program": rekap.data_programs.group_labels[g.group],
            "kode": g.labels,
            "kecamatan": v(programs_sheet, g.head, PROGRAM["kecamatan"]),
            "pagu": v(programs_sheet, g.head, PROGRAM["pagu"]),
            "realisasi": v(programs_sheet, g.head, PROGRAM["realisasi"]),
            "persen_serapan": v(programs_sheet, g.head, PROGRAM["serapan"]),
        }
        for g in rekap.program_groups
    ]
    indicators = [
        {
            "indikator": rekap.data_indicators.group_labels[g.group],
            "satuan": g.labels,
            "kecamatan": v(indicators_sheet, g.head, INDICATOR["kecamatan"]),
            "rata_capaian": v(indicators_sheet, g.head, INDICATOR["capaian"]),
        }
        for g in rekap.indicator_groups
    ]
    return {
        "files": rekap.file_counts(),
        "years": rekap.years,
        "template_versions": rekap.versions,
        "mixed_years": rekap.mixed_years,
        "mixed_template_versions": rekap.mixed_versions,
        "notes": rekap.notes,
        "total": totals,
        "by_year": by_year,
        "submissions": submissions,
        "programs": programs,
        "shared_indicators": indicators,
        "unreadable": rekap.unreadable_report(),
        "superseded": [
            {"file": old["file"], "saved": old.get("saved"), "replaced_by": newest["file"]}
            for newest, older in rekap.superseded
            for old in older
        ],
    }


def summary_report(summaries: Sequence[Summary]) -> dict[str, Any]:
    """The JSON summary without writing a workbook (used when nothing could be read)."""
    rekap = Rekap(list(summaries))
    if rekap.readable:
        rekap.build()
        return json_report(rekap) | {"output": None, "written": False}
    return {
        "output": None,
        "written": False,
        "files": rekap.file_counts(),
        "notes": rekap.notes,
        "unreadable": rekap.unreadable_report(),
        "submissions": [],
    }


def format_text_report(report: dict[str, Any]) -> str:
    """Short Indonesian summary of a rekap run for the terminal."""
    files = report["files"]
    lines = []
    if report.get("written"):
        lines.append(f"Rekap ditulis: {report['output']}")
    else:
        lines.append("Rekap tidak dibuat.")
    lines.append(
        f"  {files['read']} berkas terbaca, {files['unreadable']} tidak terbaca"
        + (f" (lihat lembar {UNREADABLE_SHEET})." if files["unreadable"] and report.get("written") else ".")
    )
    total = report.get("total") or {}
    if total.get("total_pagu") is not None:
        serapan = total.get("persen_serapan")
        lines.append(
            f"  Total pagu Rp {_rupiah(total['total_pagu'])}, realisasi Rp "
            f"{_rupiah(total.get('total_realisasi'))}, serapan "
            + (f"{serapan:.2f}".replace(".", ",") + " %." if serapan is not None else "-.")
        )
    for note in report.get("notes", []):
        lines.append(f"  Catatan: {note['message']}")
    return "\n".join(lines)


def _rupiah(value: Any) -> str:
    return format_number(value, 0) if is_number(value) else "-"
