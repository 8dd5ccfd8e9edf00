"""Matching names typed by people: one normal form for every comparison of uraian, labels and units."""

from __future__ import annotations

import functools
import re
from typing import Any

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_NOT_HEADER_WORD = re.compile(r"[^0-9a-z%]+")  # a header or unit keeps its "%"


def normalise_name(text: Any) -> str:
    """Lower-case words only (punctuation and spacing ignored): ``"Program  Pelayanan-Umum."`` ->
    ``"program pelayanan umum"``.  ``None`` gives ``""``."""
    return " ".join(_NOT_WORD.sub(" ", str(text or "").lower()).split())


@functools.lru_cache(maxsize=4096)
def normalise_header(text: str) -> str:
    """A column header or unit for matching: lower-case words, ``%`` kept (``"Realisasi (%)*"`` ->
    ``"realisasi %"``)."""
    return " ".join(_NOT_HEADER_WORD.sub(" ", text.lower()).split())
