"""Sheets across files: every program ("Program"), the indicators two or more kecamatan share
("Indikator Bersama"), and the lists of unreadable files ("Tidak Terbaca") and rules ("Aturan")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import quantities as q
from ..expr import Average, RangeSum, Sum
from ..precision import is_number
from .layout import (
    DATA_INDICATOR,
    DATA_INDICATOR_SHEET,
    DATA_PROGRAM,
    DATA_PROGRAM_SHEET,
    HEADER_ROW,
    INDICATOR,
    INDICATOR_SHEET,
    PROGRAM,
    PROGRAM_SHEET,
    RULES_SHEET,
    UNREADABLE_SHEET,
)

if TYPE_CHECKING:
    from .build import Rekap


@dataclass
class Group:
    """A program (or shared indicator) across files: its bold head row and the detail rows under it."""

    group: Any
    head: int
    first: int
    last: int
    #: the kodes of the program (the units of the indicator) in the files
    labels: list[str]


def programs(rekap: Rekap) -> list[Group]:
    frame = rekap.data_programs.frame
    data, sheet, columns = rekap.sheets[DATA_PROGRAM_SHEET], rekap.sheets[PROGRAM_SHEET], PROGRAM
    row = HEADER_ROW + 1
    placed: list[Group] = []
    if frame.empty:
        sheet.put(row, 0, "Tidak ada data program.", "text")
        return placed
    readable, labels = rekap.readable, rekap.data_programs.group_labels
    stats = frame.groupby("group", sort=False).agg(files=("file", "nunique"), first=("file", "min"))
    pagu_of = {
        g: math.fsum(
            pagu if is_number(pagu := readable[int(r.file)]["programs"][int(r.pos)].get("pagu")) else 0
            for r in frame[frame["group"] == g].itertuples()
        )
        for g in stats.index
    }
    stats["pagu"] = [pagu_of[g] for g in stats.index]
    stats["label"] = [labels[g] for g in stats.index]
    stats = stats.sort_values(["files", "pagu", "label"], ascending=[False, False, True], kind="stable")
    for group in stats.index:
        members = frame[frame["group"] == group]
        kodes = sorted(
            {
                str(readable[f]["programs"][p]["kode"])
                for f, p in zip(members["file"].tolist(), members["pos"].tolist(), strict=True)
                if readable[f]["programs"][p].get("kode")
            }
        )
        head = row
        sheet.put(head, columns["kode"], ", ".join(kodes) if kodes else None, "text", "group")
        sheet.put(head, columns["nama"], labels[group], "wrap", "group")
        sheet.put(head, columns["kecamatan"], int(stats.loc[group, "files"]), "integer", "group")
        first = head + 1
        for offset, record in enumerate(members.itertuples()):
            r = first + offset
            file, pos = int(record.file), int(record.pos)
            source = rekap.data_programs.rows[(file, pos)]
            sheet.put(r, columns["kode"], readable[file]["programs"][pos].get("kode"), "text", "detail")
            sheet.put(r, columns["nama"], rekap.labels[file], "wrap", "detail")
            sheet.put(r, columns["pagu"], data.ref(source, DATA_PROGRAM["pagu"]), "rupiah", "detail")
            sheet.put(
                r, columns["realisasi"], data.ref(source, DATA_PROGRAM["realisasi"]), "rupiah", "detail"
            )
            sheet.levels[r] = 1
        last = first + len(members) - 1
        for name in ("pagu", "realisasi"):
            sheet.put(
                head,
                columns[name],
                RangeSum(PROGRAM_SHEET, *sheet.span(first, last, columns[name])),
                "rupiah",
                "group",
            )
        for r in range(head, last + 1):
            style = "group" if r == head else "detail"
            pagu, realisasi = sheet.ref(r, columns["pagu"]), sheet.ref(r, columns["realisasi"])
            sheet.put(r, columns["sisa"], q.selisih(pagu, realisasi), "rupiah", style)
            sheet.put(r, columns["serapan"], q.serapan(pagu, realisasi), "percent", style)
        sheet.put(head, columns["peringkat"], None, "integer", "group")
        sheet.put_ranks(first, last, columns["serapan"], columns["peringkat"], "detail")
        placed.append(Group(group, head, first, last, kodes))
        row = last + 1
    total = row
    sheet.put(total, columns["nama"], "Jumlah seluruh program", "wrap", "total")
    for name in ("pagu", "realisasi"):
        heads = tuple(sheet.ref(g.head, columns[name]) for g in placed)
        sheet.put(total, columns[name], Sum(heads), "rupiah", "total")
    pagu, realisasi = sheet.ref(total, columns["pagu"]), sheet.ref(total, columns["realisasi"])
    sheet.put(total, columns["sisa"], q.selisih(pagu, realisasi), "rupiah", "total")
    sheet.put(total, columns["serapan"], q.serapan(pagu, realisasi), "percent", "total")
    for col in (columns["kode"], columns["kecamatan"], columns["peringkat"]):
        sheet.put(total, col, None, "text", "total")
    return placed


def indicators(rekap: Rekap) -> list[Group]:
    frame = rekap.data_indicators.frame
    data, sheet, columns = rekap.sheets[DATA_INDICATOR_SHEET], rekap.sheets[INDICATOR_SHEET], INDICATOR
    readable, labels = rekap.readable, rekap.data_indicators.group_labels
    row = HEADER_ROW + 1
    placed: list[Group] = []
    counts = frame.groupby("group", sort=False)["file"].nunique() if not frame.empty else None
    shared = [g for g, n in counts.items() if n >= 2 and g] if counts is not None else []
    if not shared:
        sheet.put(row, 0, "Tidak ada indikator yang dipakai oleh dua kecamatan atau lebih.", "text")
        return placed
    shared.sort(key=lambda g: (-int(counts[g]), labels[g]))
    for group in shared:
        members = frame[frame["group"] == group]
        units = sorted(
            {
                str(readable[f]["indicators"][p]["satuan"])
                for f, p in zip(members["file"].tolist(), members["pos"].tolist(), strict=True)
                if readable[f]["indicators"][p].get("satuan")
            },
            key=str.lower,
        )
        head = row
        sheet.put(head, columns["nama"], labels[group], "wrap", "group")
        unit_text = ", ".join(units) + (" (satuan berbeda)" if len({u.lower() for u in units}) > 1 else "")
        sheet.put(head, columns["satuan"], unit_text or None, "wrap", "group")
        sheet.put(head, columns["kecamatan"], int(counts[group]), "integer", "group")
        first = head + 1
        for offset, record in enumerate(members.itertuples()):
            r = first + offset
            source = rekap.data_indicators.rows[(int(record.file), int(record.pos))]
            sheet.put(r, columns["nama"], rekap.labels[int(record.file)], "wrap", "detail")
            sheet.put(r, columns["satuan"], data.ref(source, DATA_INDICATOR["satuan"]), "wrap", "detail")
            for name in ("target", "realisasi", "capaian"):
                kind = "percent" if name == "capaian" else "number"
                sheet.put(r, columns[name], data.ref(source, DATA_INDICATOR[name]), kind, "detail")
            sheet.put(r, columns["predikat"], data.ref(source, DATA_INDICATOR["predikat"]), "wrap", "detail")
            sheet.levels[r] = 1
        last = first + len(members) - 1
        start, end, refs = sheet.span(first, last, columns["capaian"])
        sheet.put(head, columns["capaian"], Average(INDICATOR_SHEET, start, end, refs), "percent", "group")
        for name in ("target", "realisasi", "predikat", "peringkat"):
            sheet.put(head, columns[name], None, "text", "group")
        sheet.put_ranks(first, last, columns["capaian"], columns["peringkat"], "detail")
        placed.append(Group(group, head, first, last, units))
        row = last + 1
    return placed


def unreadable(rekap: Rekap) -> None:
    sheet = rekap.sheets[UNREADABLE_SHEET]
    row = HEADER_ROW + 1
    if not rekap.unreadable:
        sheet.put(row, 0, "Semua berkas dapat dibaca.", "text")
    for number, s in enumerate(rekap.unreadable, 1):
        sheet.put(row, 0, number, "integer")
        sheet.put(row, 1, s["file"], "wrap")
        sheet.put(row, 2, s["path"], "wrap")
        sheet.put(row, 3, s["unreadable"], "wrap")
        row += 1


def rules(rekap: Rekap) -> None:
    """Each distinct rules source, the files using it, and its settings."""
    sheet = rekap.sheets[RULES_SHEET]
    row = HEADER_ROW
    used: dict[str, list[dict[str, Any]]] = {}
    for s in rekap.readable:
        used.setdefault(s["rules"]["source"], []).append(s)
    for summaries in used.values():
        parsed = rekap.rules.of(summaries[0])
        files = [s["file"] for s in summaries]
        sheet.put(row, 0, f"Aturan: {parsed.name}", "text", "group")
        sheet.put(row, 1, f"Dipakai oleh {len(files)} berkas: " + ", ".join(files), "wrap", "group")
        row += 1
        for setting, value in parsed.describe():
            sheet.put(row, 0, setting, "text")
            sheet.put(row, 1, value, "wrap")
            row += 1
        row += 1
