"""sakip-xlsx: template, checker and results workbook for LKjIP (SAKIP) reports.

The Python API is :mod:`sakip_xlsx.api` (one function per command, with the command's option
names); ``sakip_xlsx.api`` is imported on first use, so ``import sakip_xlsx`` stays light.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    if name == "api":
        import importlib

        return importlib.import_module(".api", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
