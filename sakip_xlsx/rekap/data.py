"""The per-file data sheets: "Data Program" and "Data Indikator" (the raw figures, one row each).

Every figure derived from these rows elsewhere in the rekap is a formula over them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import quantities as q
from ..expr import guarded_value
from ..names import normalise_name
from ..precision import is_number
from .layout import (
    DATA_INDICATOR,
    DATA_INDICATOR_SHEET,
    DATA_PROGRAM,
    DATA_PROGRAM_SHEET,
    HEADER_ROW,
    MAIN_JENIS,
)
from .matching import indicator_label, merge_groups, program_key

if TYPE_CHECKING:
    from .build import Rekap


@dataclass
class DataRows:
    """Where one data sheet put its rows."""

    #: one row per program (or indicator): file (index into Rekap.readable), pos (its index in
    #: the summary's list), group (the matching key across files), and the texts matched on
    frame: Any
    #: (file, pos) -> its row on the sheet
    rows: dict[tuple[int, int], int]
    #: file -> (first, last) row of its programs (or indicators)
    file_rows: dict[int, tuple[int, int]]
    #: group -> the name shown for it (its most frequent text)
    group_labels: dict[Any, str]
    #: file -> (first, last) row of its Sasaran Strategis indicators (indicators only)
    main_rows: dict[int, tuple[int, int]] | None = None


def programs(rekap: Rekap) -> DataRows:
    import pandas as pd

    rows = [
        {
            "file": i,
            "pos": p,
            "kode": str(prog.get("kode") or ""),
            "uraian": str(prog.get("uraian") or ""),
            "key": program_key(prog.get("uraian")),
        }
        for i, s in enumerate(rekap.readable)
        for p, prog in enumerate(s["programs"])
    ]
    frame = pd.DataFrame(rows, columns=["file", "pos", "kode", "uraian", "key"])
    frame["group"] = merge_groups([r["key"] for r in rows], [r["kode"] for r in rows])
    sheet = rekap.sheets[DATA_PROGRAM_SHEET]
    columns = DATA_PROGRAM
    placed = DataRows(frame, {}, {}, _group_labels(frame, "uraian"))
    row = HEADER_ROW + 1
    for record in frame.itertuples():
        file, pos = int(record.file), int(record.pos)
        s = rekap.readable[file]
        prog = s["programs"][pos]
        sheet.put(row, columns["no"], row - HEADER_ROW, "integer")
        sheet.put(row, columns["instansi"], rekap.labels[file], "wrap")
        sheet.put(row, columns["berkas"], s["file"], "wrap")
        sheet.put(row, columns["tahun"], s["tahun"], "year")
        sheet.put(row, columns["kode"], prog.get("kode"))
        sheet.put(row, columns["program"], prog.get("uraian"), "wrap")
        sheet.put(row, columns["kelompok"], placed.group_labels[record.group], "wrap")
        sheet.put(row, columns["pagu"], prog.get("pagu"), "rupiah")
        sheet.put(row, columns["realisasi"], prog.get("realisasi"), "rupiah")
        pagu, realisasi = sheet.ref(row, columns["pagu"]), sheet.ref(row, columns["realisasi"])
        sheet.put(row, columns["sisa"], q.selisih(pagu, realisasi), "rupiah")
        sheet.put(row, columns["serapan"], q.serapan(pagu, realisasi), "percent")
        _extend(placed.file_rows, file, row)
        placed.rows[(file, pos)] = row
        row += 1
    return placed


def indicators(rekap: Rekap) -> DataRows:
    import pandas as pd

    rows = []
    for i, s in enumerate(rekap.readable):
        # main jenis first so each file's Sasaran Strategis rows form one range (stable otherwise)
        order = sorted(range(len(s["indicators"])), key=lambda p: s["indicators"][p]["jenis"] != MAIN_JENIS)
        for p in order:
            ind = s["indicators"][p]
            label = indicator_label(ind.get("uraian"), s["instansi"])
            rows.append(
                {
                    "file": i,
                    "pos": p,
                    "jenis": ind["jenis"],
                    "label": label,
                    "group": normalise_name(label),
                    "satuan": str(ind.get("satuan") or ""),
                }
            )
    frame = pd.DataFrame(rows, columns=["file", "pos", "jenis", "label", "group", "satuan"])
    sheet = rekap.sheets[DATA_INDICATOR_SHEET]
    columns = DATA_INDICATOR
    placed = DataRows(frame, {}, {}, _group_labels(frame, "label"), main_rows={})
    row = HEADER_ROW + 1
    for record in frame.itertuples():
        file, pos = int(record.file), int(record.pos)
        s = rekap.readable[file]
        ind = s["indicators"][pos]
        rules = rekap.rules.of(s)
        sheet.put(row, columns["no"], row - HEADER_ROW, "integer")
        sheet.put(row, columns["instansi"], rekap.labels[file], "wrap")
        sheet.put(row, columns["berkas"], s["file"], "wrap")
        sheet.put(row, columns["tahun"], s["tahun"], "year")
        sheet.put(row, columns["aturan"], s["rules"]["name"], "wrap")
        sheet.put(row, columns["jenis"], ind["jenis"], "wrap")
        sheet.put(row, columns["kode"], ind.get("kode"))
        sheet.put(row, columns["indikator"], ind.get("uraian"), "wrap")
        sheet.put(row, columns["satuan"], ind.get("satuan"))
        sheet.put(row, columns["polaritas"], ind.get("polaritas"))
        for name in ("target", "target_atas", "realisasi"):
            sheet.put(row, columns[name], ind.get(name), "number")
        upper = sheet.ref(row, columns["target_atas"]) if ind.get("target_atas") is not None else None
        capaian: Any = q.capaian(
            sheet.ref(row, columns["target"]),
            sheet.ref(row, columns["realisasi"]),
            ind.get("polaritas") == "Negatif",
            rules,
            upper,
        )
        if not _same(guarded_value(capaian), ind.get("capaian")):
            # never expected: keep the file's own figure rather than a formula that disagrees with it
            capaian = ind.get("capaian")
        sheet.put(row, columns["capaian"], capaian, "percent")
        sheet.put(row, columns["predikat"], q.predikat(sheet.ref(row, columns["capaian"]), rules), "wrap")
        sheet.put(row, columns["kelompok"], placed.group_labels[record.group], "wrap")
        _extend(placed.file_rows, file, row)
        if ind["jenis"] == MAIN_JENIS:
            _extend(placed.main_rows, file, row)
        placed.rows[(file, pos)] = row
        row += 1
    return placed


def _extend(spans: dict[int, tuple[int, int]], file: int, row: int) -> None:
    """The file's span of rows, ``row`` its new last."""
    first, _ = spans.get(file, (row, row))
    spans[file] = (first, row)


def _group_labels(frame, text_column: str) -> dict[Any, str]:
    """Display name of each group: its most frequent original text (first seen on ties)."""
    labels: dict[Any, str] = {}
    for group, texts in frame.groupby("group", sort=False)[text_column]:
        counts = Counter(str(t) for t in texts if t)
        labels[group] = max(counts, key=lambda t: (counts[t], -list(counts).index(t))) if counts else "-"
    return labels


def _same(left: Any, right: Any) -> bool:
    """The rekap's formula gives the figure the file's own check computed (to rounding noise)."""
    if not is_number(left) or not is_number(right):
        return not is_number(left) and not is_number(right)
    return math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-9)
