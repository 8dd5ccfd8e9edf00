"""Number formats and colours shared by the template and results writers."""

from __future__ import annotations

RUPIAH_FORMAT = "#,##0"
INTEGER_FORMAT = "#,##0"
YEAR_FORMAT = "0"

HEADER_FILL = "#1F4E78"
HEADER_FONT = "#FFFFFF"
REPORTED_FILL = "#EDEDED"
TITLE_FONT = "#1F4E78"
SEVERITY_FILL = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}
SEVERITY_LABEL = {"error": "Kesalahan", "warning": "Peringatan", "info": "Info"}


def percent_format(decimals: int) -> str:
    """Number format for values already in percent units (98.71 shows as 98.71)."""
    return "0" if decimals == 0 else "0." + "0" * decimals


def number_format(value_type: str, decimals: int = 2) -> str | None:
    """Number format of an input column of ``value_type`` (None: General)."""
    return {
        "rupiah": RUPIAH_FORMAT,
        "integer": INTEGER_FORMAT,
        "year": YEAR_FORMAT,
        "percent": percent_format(decimals),
    }.get(value_type)
