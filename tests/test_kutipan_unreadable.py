"""A citation whose "Nilai Tertulis" cannot be read is one unreadable-value finding at its cell, and the
rest of the workbook is still checked (it used to make the whole file unreadable: exit 2, no findings).

Figures: Ngoro/Jombang 2024, IK1 Nilai Evaluasi AKIP target 81, realisasi 80,15 (see test_kutipan_kinds).
"""

from __future__ import annotations

import datetime
import json

import pytest
from click.testing import CliRunner
from helpers import is_indonesian
from test_kutipan_kinds import INDIKATOR, SASARAN

from sakip_xlsx.cli import main


@pytest.mark.parametrize("nilai", ["sembilan puluh", datetime.time(5, 0)], ids=["words", "time"])
def test_unreadable_citation_is_a_finding_at_its_cell(filled_template, nilai) -> None:
    capaian_ik1 = 80.15 / 81 * 100  # 98,95
    kutipan = [
        {"lokasi": "Bab III alinea 1", "besaran": "capaian", "kode": "IK1", "nilai": nilai},
        {"lokasi": "Bab III alinea 2", "besaran": "capaian", "kode": "IK1", "nilai": "90"},  # wrong
    ]
    path = filled_template(
        cells={"pemda": "Kabupaten Jombang", "instansi": "Kecamatan Ngoro", "tahun": 2024},
        tables={"sasaran": SASARAN, "indikator": INDIKATOR, "kutipan": kutipan},
    )
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output  # errors found, the file was read
    assert "Traceback" not in result.output
    findings = json.loads(result.output)["files"][0]["findings"]
    kutipan_findings = [f for f in findings if f["sheet"] == "Kutipan"]
    unreadable = [f for f in kutipan_findings if f["code"] == "unreadable-value"]
    assert len(unreadable) == 1
    first_row = unreadable[0]["cell"]
    assert first_row.startswith("D") and is_indonesian(unreadable[0]["message"])
    assert f"Kutipan!{first_row}" in unreadable[0]["message"]
    mismatch = [f for f in kutipan_findings if f["code"] == "citation-mismatch"]
    assert [(f["cell"], f["stated"]) for f in mismatch] == [(f"D{int(first_row[1:]) + 1}", 90)]
    assert mismatch[0]["expected"] == pytest.approx(capaian_ik1, abs=1e-6)
