"""The check report as Indonesian text for people and as JSON for programs (SPEC section 8)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from .errors import show_path
from .findings import KINDS, SEVERITIES, count_roots
from .formats import SEVERITY_LABEL

GROUP_TITLES = {
    "input": "Isian tidak terbaca atau tidak lengkap",
    "sum": "Jumlah yang tidak sama dengan rinciannya",
    "ratio": "Persentase, capaian dan kemajuan yang salah hitung",
    "difference": "Selisih dan efisiensi yang salah hitung",
    "share-sum": "Porsi anggaran",
    "cross-table": "Beda antar tabel",
    "plausibility": "Angka yang tidak wajar",
    "rounding": "Beda pembulatan",
    "consequence": "Akibat angka lain yang salah",
    "label": "Predikat",
}


def json_report(outcomes, strict: bool = False) -> dict[str, Any]:
    """``{"files": [{"file", "ok", "summary", "findings"}]}`` exactly as the contract says."""
    files = []
    for outcome in outcomes:
        entry: dict[str, Any] = {
            "file": show_path(outcome.path),
            "ok": outcome.ok(strict),
            "summary": outcome.summary,
            "findings": [item.to_dict() for item in outcome.findings],
        }
        if outcome.unreadable:
            entry["unreadable"] = outcome.unreadable
        if outcome.results_path:
            entry["results"] = show_path(outcome.results_path)
        if getattr(outcome, "results_error", None):
            entry["results_error"] = outcome.results_error
        files.append(entry)
    return {"files": files}


def text_report(outcomes, strict: bool = False) -> str:
    """A readable Indonesian summary per file: counts, then findings grouped by kind."""
    lines: list[str] = []
    for outcome in outcomes:
        lines.append(f"== {show_path(outcome.path)}")
        if outcome.unreadable:
            lines.append(f"   TIDAK DAPAT DIBACA: {outcome.unreadable}")
            lines.append("")
            continue
        summary = outcome.summary
        if outcome.ok(strict):
            verdict = "LULUS"
        elif summary["error"]:
            verdict = "ADA KESALAHAN"
        else:
            verdict = "GAGAL (mode ketat: ada peringatan)"
        errors, consequences = count_roots(outcome.findings)
        lines.append(
            f"   {verdict}: {summary['error']} kesalahan, {summary['warning']} peringatan, {summary['info']} info"
            + (f" ({errors} kesalahan akar masalah, {consequences} akibatnya)" if consequences else "")
        )
        roots = {
            item.location
            for item in outcome.findings
            if item.severity == "error" and item.sheet and item.cell
        }
        followers: dict[str, list] = defaultdict(list)
        by_group: dict[str, list] = defaultdict(list)
        for item in outcome.findings:
            if item.caused_by and item.caused_by in roots:
                followers[item.caused_by].append(item)  # printed under its root
            else:
                by_group[KINDS[item.code].group].append(item)
        rank = {severity: index for index, severity in enumerate(SEVERITIES)}
        # groups holding errors first, then those with warnings, then info; the catalogue order within
        groups = sorted(
            (group for group in GROUP_TITLES if by_group.get(group)),
            key=lambda group: min(rank[item.severity] for item in by_group[group]),
        )
        for group in groups:
            items = by_group[group]
            lines.append(f"   -- {GROUP_TITLES[group]} ({len(items)})")
            order = {severity: index for index, severity in enumerate(SEVERITIES)}
            grouped: dict[tuple, list] = defaultdict(list)
            for item in sorted(items, key=lambda i: order[i.severity]):
                # a root with consequences stands alone, its consequences under it
                alone = item.location if item.location in followers else ""
                grouped[(item.severity, item.code, _shape(item.message), alone)].append(item)
            for (severity, _, _, _), same in grouped.items():
                label = SEVERITY_LABEL[severity].upper()
                if len(same) == 1:
                    item = same[0]
                    lines.append(f"   [{label}] {item.message}")
                else:
                    cells = ", ".join(i.location for i in same[1:13]) + (" ..." if len(same) > 13 else "")
                    lines.append(f"   [{label}] {len(same)}×: {same[0].message}")
                    lines.append(f"            juga di: {cells}")
                if len(same) == 1 and same[0].hint:
                    lines.append(f"            kemungkinan: {same[0].hint}")
                if len(same) == 1 and same[0].location in followers:
                    caused = followers[same[0].location]
                    lines.append(
                        f"            akibatnya ({len(caused)}), hilang bila angka di atas diperbaiki:"
                    )
                    for follower in caused:
                        lines.append(
                            f"            -> [{SEVERITY_LABEL[follower.severity].upper()}] {follower.message}"
                        )
        if outcome.results_path:
            lines.append(f"   Buku kerja hasil: {show_path(outcome.results_path)}")
        if getattr(outcome, "results_error", None):
            lines.append(f"   Buku kerja hasil TIDAK ditulis: {outcome.results_error}")
        lines.append("")
    errors = sum(o.summary["error"] for o in outcomes if not o.unreadable)
    unreadable = sum(1 for o in outcomes if o.unreadable)
    lines.append(
        f"Selesai: {len(outcomes)} berkas diperiksa, {errors} kesalahan"
        + (f", {unreadable} berkas tidak dapat dibaca" if unreadable else "")
        + "."
    )
    return "\n".join(lines)


def _shape(message: str) -> str:
    """A message without its leading ``Sheet!A1`` reference, so identical findings group together."""
    return re.sub(r"^[^!:()]+![A-Z]+[0-9]+:?\s*", "", message)
