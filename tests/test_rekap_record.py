"""The summary record of one submission (``sakip_xlsx.rekap.record``) is what summarise_file returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_helpers import IDENTITAS, indikator, tables

from sakip_xlsx.pipeline import check_file
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


@pytest.mark.parametrize(
    ("target", "target_atas", "upper"),
    [("60 – 70", None, 70), ("60", "75", 75), ("60", None, None), ("60 – 70", "80", 80)],
    ids=["range", "typed", "none", "typed-beside-range"],
)
def test_the_upper_bound_in_the_summary_is_the_one_compute_used(
    filled_template, target: str, target_atas: str | None, upper: float | None
) -> None:
    row = indikator(target=target, target_atas=target_atas, realisasi="65")
    path = filled_template(cells=IDENTITAS, tables=tables([row]))
    (computed,) = check_file(path).computation.indikator.values()
    bound = computed.target_atas.value() if computed.target_atas is not None else None
    (indicator,) = summarise_file(path)["indicators"]
    assert indicator["target_atas"] == bound == upper
