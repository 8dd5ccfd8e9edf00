"""Matching names typed by people: one normal form for every comparison of uraian, labels and units."""

from __future__ import annotations

import re
from typing import Any

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(text: Any) -> str:
    """Lower-case words only (punctuation and spacing ignored): ``"Program  Pelayanan-Umum."`` ->
    ``"program pelayanan umum"``.  ``None`` gives ``""``."""
    return " ".join(_NOT_WORD.sub(" ", str(text or "").lower()).split())
