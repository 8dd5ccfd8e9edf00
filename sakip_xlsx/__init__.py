"""sakip-xlsx: template, checker and results workbook for LKjIP (SAKIP) reports."""

__version__ = "0.1.0"
