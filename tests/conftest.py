"""Shared fixtures: a blank template per session and a factory for filled templates.

The helpers behind them live in ``tests/helpers.py`` (importable from any
test module as ``helpers``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from helpers import TableRows, fill_template, write_blank_template
from hypothesis import settings

# Property tests judge results, not speed: on a shared 2-core machine (CI, several sessions) an example
# can take longer than hypothesis's default 200 ms deadline without anything being wrong.
settings.register_profile("sakip", deadline=None)
settings.load_profile("sakip")


@pytest.fixture(scope="session")
def blank_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank template with the default rules, written once per session (never modify it: copy it)."""
    return write_blank_template(tmp_path_factory.mktemp("blank") / "template.xlsx")


FilledTemplate = Callable[..., Path]


@pytest.fixture
def filled_template(tmp_path: Path, blank_template: Path) -> FilledTemplate:
    """Factory: ``filled_template(cells, tables, name="isian.xlsx") -> Path``.

    Copies the session's blank template into ``tmp_path / name`` and fills it
    through the schema JSON with :func:`helpers.fill_template`: ``cells`` maps
    single-cell field ids to values, ``tables`` maps table ids to rows (a list
    starting at the table's first data row, ``None`` for a blank row, or a
    mapping Excel row -> values).  Values are written as given (numbers or text).
    """

    def make(
        cells: Mapping[str, Any] | None = None,
        tables: Mapping[str, TableRows] | None = None,
        name: str = "isian.xlsx",
    ) -> Path:
        target = tmp_path / name
        shutil.copyfile(blank_template, target)
        return fill_template(target, cells, tables)

    return make
