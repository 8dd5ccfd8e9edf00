"""Which submissions, programs and indicators of different files are the same one."""

from __future__ import annotations

import re
from typing import Any

from ..names import normalise_name
from .record import Summary


def program_key(uraian: Any) -> str:
    """Matching key of a program name: normalised, without a leading word "program"."""
    words = normalise_name(uraian).split()
    if words and words[0] == "program":
        words = words[1:]
    return " ".join(words)


_TRAILING_CONNECTORS = ("di", "pada", "se")


def indicator_label(uraian: Any, instansi: Any) -> str:
    """An indicator's text without the submitting unit's own name ("... Kecamatan Ngoro" -> "...")."""
    text = str(uraian or "").strip()
    words = normalise_name(instansi).split()
    if words:
        pattern = re.compile(
            r"(?<![0-9A-Za-z])" + r"[^0-9A-Za-z]+".join(map(re.escape, words)) + r"(?![0-9A-Za-z])",
            re.IGNORECASE,
        )
        stripped = " ".join(pattern.sub(" ", text).split())
        if stripped != " ".join(text.split()):
            tail = stripped.split()
            while tail and tail[-1].lower().strip(",.;:") in _TRAILING_CONNECTORS:
                tail.pop()
            text = " ".join(tail).rstrip(" ,.;:-")
    return text


def indicator_key(uraian: Any, instansi: Any) -> str:
    """Matching key of an indicator: its normalised text without the unit's own name."""
    return normalise_name(indicator_label(uraian, instansi))


def submission_key(summary: Summary) -> str:
    """One submission per pemda, instansi and year: the key they share."""
    return "|".join(
        (normalise_name(summary["pemda"]), normalise_name(summary["instansi"]), str(summary["tahun"]))
    )


def merge_groups(keys: list[str], kodes: list[Any]) -> list[int]:
    """Group programs by normalised name, joining groups that share a kode (union-find)."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple[str, str], int] = {}
    for i, (key, kode) in enumerate(zip(keys, kodes, strict=True)):
        for label in (("nama", key) if key else None, ("kode", str(kode)) if kode else None):
            if label is None:
                continue
            if label in first_of:
                a, b = find(first_of[label]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first_of[label] = i
    return [find(i) for i in range(len(keys))]


def newest_submissions(
    readable: list[Summary],
) -> tuple[list[Summary], list[tuple[Summary, list[Summary]]]]:
    """One submission per instansi, pemda and year: a revised re-submission replaces the older
    one (the later saved time inside the workbook; on a tie, the later file in the list).

    Returns the submissions kept, in their order, and (kept, replaced ones) per group.
    """
    groups: dict[str, list[int]] = {}
    for index, summary in enumerate(readable):
        groups.setdefault(submission_key(summary), []).append(index)
    kept: set[int] = set()
    superseded = []
    for members in groups.values():
        newest = max(members, key=lambda i: (readable[i].get("saved") or "", i))
        kept.add(newest)
        if len(members) > 1:
            superseded.append((readable[newest], [readable[i] for i in members if i != newest]))
    return [s for i, s in enumerate(readable) if i in kept], superseded


def display_names(readable: list[Summary]) -> list[str]:
    """How each submission is named in the rekap: its instansi, with its pemda and year when
    another submission has the same instansi name (two Kecamatan Ngoro of two kabupaten)."""
    by_name: dict[str, list[Summary]] = {}
    for summary in readable:
        by_name.setdefault(normalise_name(summary["instansi"]), []).append(summary)
    names = []
    for summary in readable:
        same = by_name[normalise_name(summary["instansi"])]
        parts = []
        if len({normalise_name(s["pemda"]) for s in same}) > 1:
            parts.append(str(summary["pemda"] or "-"))
        if len({str(s["tahun"]) for s in same}) > 1:
            parts.append(f"tahun {summary['tahun']}")
        names.append(f"{summary['instansi']} ({', '.join(parts)})" if parts else str(summary["instansi"]))
    return names
