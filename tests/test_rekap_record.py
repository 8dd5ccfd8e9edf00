"""The summary record of one submission (``sakip_xlsx.rekap.record``) is what summarise_file returns."""

from __future__ import annotations

import json
from pathlib import Path

from sakip_xlsx.rekap import summarise_file
from sakip_xlsx.rekap.record import IndicatorFigures, ProgramFigures, RulesSource, Summary

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "ngoro-jombang-2024.xlsx"


def _keys(typed) -> set[str]:
    return set(typed.__required_keys__ | typed.__optional_keys__)


def test_a_read_file_has_every_key_the_record_declares_and_no_other() -> None:
    summary = summarise_file(SAMPLE)
    assert summary["unreadable"] is None
    assert set(summary) == _keys(Summary)
    assert set(summary["rules"]) == _keys(RulesSource)
    assert summary["programs"] and summary["indicators"]
    assert all(set(program) == _keys(ProgramFigures) for program in summary["programs"])
    assert all(set(indicator) == _keys(IndicatorFigures) for indicator in summary["indicators"])
    assert json.loads(json.dumps(summary)) == summary  # still the plain JSON record


def test_an_unreadable_file_has_only_the_required_keys(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan buku kerja")
    summary = summarise_file(broken)
    assert summary["unreadable"]
    assert set(summary) == set(Summary.__required_keys__) == {"file", "path", "unreadable"}
