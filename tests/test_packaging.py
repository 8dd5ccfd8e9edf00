"""The wheel holds every subpackage: pyproject lists packages explicitly, so a new one must be added there."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "sakip_xlsx").rglob("__init__.py")
    }
    assert "sakip_xlsx.rekap" in found and "sakip_xlsx.impor" in found and "sakip_xlsx.compute" in found
    assert found <= listed, f"not in pyproject's packages (left out of the wheel): {sorted(found - listed)}"


def test_the_test_helpers_are_not_shipped():
    assert not (ROOT / "sakip_xlsx" / "recalc.py").exists()
