"""The Word report (Bab III): every number read back from the document equals the computed one.

Each sample's report is written, read back with python-docx, and every figure of every table
and sentence is parsed back from its Indonesian text (``Rp 1.250.000``, ``98,71 %``) and
compared with the Computation's value at the precision shown.  Where practical the figure is
also recomputed here from the input values or from the document's own figures (capaian from
target and realisasi, serapan from pagu and realisasi, totals from the lowest budget lines,
shares, differences, population ratio), so a wrong definition would not pass by agreeing
with itself.  LibreOffice converts every report to PDF in ONE soffice call.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph

from sakip_xlsx.cli import main
from sakip_xlsx.expr import Expr, guarded_value
from sakip_xlsx.laporan import TABLES, TEXT_WIDTH_CM, spec_of, write_laporan
from sakip_xlsx.pipeline import Outcome, check_file
from sakip_xlsx.tables import DerivedTable

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
SAMPLE_NAMES = [path.stem for path in SAMPLES]

#: The order of the tables as the README documents it ("The Word report").
DOCUMENTED_ORDER = (
    "Pengukuran Capaian Kinerja Sasaran",
    "Capaian Kinerja Program, Kegiatan dan Sub Kegiatan",
    "Perbandingan Realisasi Kinerja dengan Tahun Sebelumnya",
    "Tingkat Kemajuan terhadap Target Akhir Renstra",
    "Perbandingan Realisasi dengan Kabupaten, Provinsi dan Nasional",
    "Alokasi Anggaran per Sasaran dan Indikator",
    "Pencapaian Kinerja dan Anggaran (Efisiensi)",
    "Efisiensi Penggunaan Sumber Daya Manusia",
    "Analisis Kinerja Program: Kemajuan, Efisiensi dan SDM",
    "Jumlah Penduduk menurut Jenis Kelamin",
    "Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan",
    "Anggaran Perjanjian Kinerja dibanding Pagu DPA per Program",
)

NUMBER = r"-?\d{1,3}(?:\.\d{3})*(?:,\d+)?"
FIGURE = rf"(?:Rp )?{NUMBER}(?: %)?"


# ---------------------------------------------------------------------------
# Reading Indonesian figures back
# ---------------------------------------------------------------------------


def parse_id(text: str) -> float | None:
    """``Rp 1.250.000`` -> 1250000, ``98,71 %`` -> 98.71, ``-`` -> None."""
    text = text.replace("\u00a0", " ").strip()
    text = text.removeprefix("Rp").removesuffix("%").strip()
    if text in ("", "-"):
        return None
    assert re.fullmatch(NUMBER, text), f"not an Indonesian number: {text!r}"
    return float(text.replace(".", "").replace(",", "."))


def decimals_of(text: str) -> int:
    match = re.search(r",(\d+)", text)
    return len(match.group(1)) if match else 0


def shows(text: str, expected: Any, decimals: int | None = None) -> bool:
    """``text`` is ``expected`` shown with the decimals it has (``decimals``: which it must have)."""
    value = parse_id(text)
    if expected is None or expected == "":
        return value is None
    if value is None:
        return False
    shown = decimals_of(text)
    if decimals is not None and shown != decimals:
        return False
    return abs(value - float(expected)) <= 0.5 * 10.0**-shown + 1e-9 * max(1.0, abs(float(expected)))


def near(text: str, expected: float, tolerance: float) -> bool:
    value = parse_id(text)
    return value is not None and abs(value - expected) <= tolerance


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def value_of(content: Any) -> Any:
    if isinstance(content, Expr):
        return guarded_value(content)
    return None if content == "" else content


# ---------------------------------------------------------------------------
# The reports of the samples, read back
# ---------------------------------------------------------------------------


@dataclass
class Report:
    outcome: Outcome
    path: Path
    document: Any
    #: (number, title, docx table) of each numbered table, in document order
    numbered: list[tuple[int, str, Table]] = field(default_factory=list)
    #: paragraphs outside tables (text with the non-breaking spaces made plain)
    paragraphs: list[str] = field(default_factory=list)
    box: Table | None = None

    @property
    def comp(self):
        return self.outcome.computation

    @property
    def sub(self):
        return self.outcome.submission

    def derived(self, table_id: str) -> DerivedTable:
        return next(t for t in self.comp.tables if t.id == table_id)

    def table(self, table_id: str) -> Table:
        title = spec_of(table_id).title
        return next(table for _, t, table in self.numbered if t == title)


def _read(outcome: Outcome, path: Path) -> Report:
    document = docx.Document(str(path))
    report = Report(outcome, path, document)
    caption: tuple[int, str] | None = None
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = plain(block.text)
            if text:
                report.paragraphs.append(text)
            match = re.fullmatch(r"Tabel 3\.(\d+) (.+)", text)
            caption = (int(match.group(1)), match.group(2)) if match else None
        elif caption is not None:
            report.numbered.append((*caption, block))
            caption = None
        else:
            assert report.box is None and not report.numbered, "an unnumbered table other than the error box"
            report.box = block
    return report


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    folder = tmp_path_factory.mktemp("laporan")
    built = {}
    for sample in SAMPLES:
        outcome = check_file(sample)
        path = write_laporan(
            outcome.submission, outcome.computation, outcome.findings, folder / f"{sample.stem}.docx"
        )
        built[sample.stem] = _read(outcome, path)
    return built


# ---------------------------------------------------------------------------
# Order and numbering
# ---------------------------------------------------------------------------


def test_the_readme_documents_the_table_order() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## The Word report", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\d+\. \*(.+?)\*", section, flags=re.MULTILINE)
    assert tuple(listed) == DOCUMENTED_ORDER
    assert tuple(spec.title for spec in TABLES) == DOCUMENTED_ORDER


def _present(report: Report) -> list[str]:
    """The documented tables this submission has rows for, in the documented order."""
    present = []
    for spec in TABLES:
        table = next((t for t in report.comp.tables if t.id == spec.table_id), None)
        if table is None:
            continue
        budget_only_total = spec.table_id == "realisasi_anggaran" and table.row_count <= 1
        if table.row_count and not budget_only_total:
            present.append(spec.title)
    return present


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_tables_are_numbered_without_gaps_in_the_documented_order(reports, name) -> None:
    report = reports[name]
    numbers = [number for number, _, _ in report.numbered]
    assert numbers == list(range(1, len(numbers) + 1))
    titles = [title for _, title, _ in report.numbered]
    assert titles == _present(report)
    assert titles[0] == DOCUMENTED_ORDER[0]
    # every table of the document is a numbered table, or the error box
    errors = report.outcome.summary["error"]
    assert len(report.document.tables) == len(numbers) + (1 if errors else 0)
    assert (report.box is not None) == bool(errors)


# ---------------------------------------------------------------------------
# Every figure of every table
# ---------------------------------------------------------------------------


def _data_rows(report: Report, table_id: str) -> list[list[str]]:
    """The body rows of a document table (header and sasaran group rows left out)."""
    table = report.table(table_id)
    rows = []
    for row in table.rows[1:]:
        cells = row.cells
        if len({id(cell._tc) for cell in cells}) == 1:  # a merged group row
            continue
        rows.append([plain(cell.text) for cell in cells])
    return rows


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_table_figure_is_the_computed_value(reports, name) -> None:
    report = reports[name]
    decimals = report.sub.rules.decimals
    checked = 0
    for _, title, _ in report.numbered:
        spec = next(s for s in TABLES if s.title == title)
        derived = report.derived(spec.table_id)
        rows = _data_rows(report, spec.table_id)
        assert len(rows) == len(derived.rows), title
        for texts, row in zip(rows, derived.rows, strict=True):
            for text, col in zip(texts, spec.columns, strict=True):
                value = value_of(row.cells.get(col.id))
                where = f"{title} / {col.header} / {row.key}: {text!r} vs {value!r}"
                if col.kind == "target":
                    upper = value_of(row.cells.get("target_atas"))
                    if upper is not None:
                        low, high = text.split(" – ")
                        assert shows(low, value) and shows(high, upper), where
                        continue
                if col.kind in ("text", "kode"):
                    if value is None:
                        assert text in ("", "-"), where
                    elif isinstance(value, (int, float)):  # a kode such as a year
                        assert float(text) == pytest.approx(value), where
                    else:
                        assert text == plain(str(value)), where
                    continue
                if value is None or isinstance(value, str):
                    assert text in ("", "-"), where
                    continue
                wanted = {"percent": decimals, "ratio": decimals, "derived": decimals}.get(col.kind)
                if col.kind in ("rupiah", "integer"):
                    wanted = 0
                assert shows(text, value, wanted), where
                checked += 1
    assert checked > 20


def _columns(report: Report, table_id: str) -> list[dict[str, str]]:
    spec = spec_of(table_id)
    return [
        {col.id: text for col, text in zip(spec.columns, row, strict=True)}
        for row in _data_rows(report, table_id)
    ]


def _capaian(target: float, realisasi: float, negative: bool, rules) -> float | None:
    """Capaian written out here from SPEC section 4 (not the tool's expression)."""
    if negative:
        if rules.negative_formula == "T/R":
            if realisasi == 0:
                return None
            value = target / realisasi * 100
        else:
            value = (2 * target - realisasi) / target * 100
    else:
        if target == 0:
            return None
        value = realisasi / target * 100
    if rules.cap is not None:
        value = min(value, rules.cap)
    if rules.floor is not None:
        value = max(value, rules.floor)
    return value


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_tabel_3_1_capaian_and_predikat_recomputed_from_the_inputs(reports, name) -> None:
    report = reports[name]
    rules = report.sub.rules
    rows = _columns(report, "capaian_kinerja")
    indicators = [r for r in rows if r["kode"]]
    records = {r.key: r for r in report.sub.records("indikator")}
    assert {r["kode"] for r in indicators} == set(records)  # every indicator appears
    by_jenis: dict[str, list[float]] = {}
    recomputed = 0
    for row in indicators:
        record = records[row["kode"]]
        assert row["uraian"] == plain(str(record.get("uraian")))
        target, realisasi, upper = record.get("target"), record.get("realisasi"), record.get("target_atas")
        if not all(isinstance(v, (int, float)) for v in (target, realisasi)):
            assert row["capaian"] in ("", "-")
            continue
        negative = record.get("polaritas") == "Negatif"
        if isinstance(upper, (int, float)):  # a range target: inside 100, else against the nearer bound
            if target <= realisasi <= upper:
                expected = 100.0
            elif realisasi > upper:
                expected = _capaian(upper, realisasi, negative, rules)
            else:
                expected = _capaian(target, realisasi, negative, rules)
        else:
            expected = _capaian(target, realisasi, negative, rules)
        assert shows(row["capaian"], expected, rules.decimals), (row, expected)
        assert row["predikat"] == (rules.predikat_of(expected) or "-")
        jenis = report.comp.indikator[record.row].jenis
        by_jenis.setdefault(jenis, []).append(expected)
        recomputed += 1
    assert recomputed >= 2
    # the rata-rata rows: the mean of the (capped) capaian of each jenis
    means = {r["uraian"].removeprefix("Rata-rata capaian "): r for r in rows if not r["kode"]}
    for jenis, values in by_jenis.items():
        mean = sum(values) / len(values)
        assert shows(means[jenis]["capaian"], mean, rules.decimals)
        assert means[jenis]["predikat"] == rules.predikat_of(mean)


def _ground(line, field_id: str) -> float | None:
    """A line's amount from the ground: the Σ of its children where one of them has an amount, else its own."""
    below = [_ground(child, field_id) for child in line.children]
    if any(value is not None for value in below):
        return sum(value or 0.0 for value in below)
    own = line.record.get(field_id)
    return float(own) if isinstance(own, (int, float)) else None


def _leaf_sum(report: Report, field_id: str) -> float:
    """Σ over the programs of their amounts from the ground (the lowest lines with an amount)."""
    return sum(_ground(program, field_id) or 0.0 for program in report.sub.programs)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_realisasi_anggaran_rows_recomputed(reports, name) -> None:
    report = reports[name]
    decimals = report.sub.rules.decimals
    rows = _columns(report, "realisasi_anggaran")
    lines = [line for line in report.sub.budget_lines if line.record.row in report.comp.budget]
    # every budget line of the tree appears once, in tree order, then the total
    assert len(rows) == len(lines) + 1
    assert sorted(r["uraian"] for r in rows[:-1]) == sorted(
        plain(str(ln.record.get("uraian"))) for ln in lines
    )
    for row in rows:
        pagu, realisasi = parse_id(row["pagu"]), parse_id(row["realisasi"])
        if pagu is None or realisasi is None:
            continue
        assert parse_id(row["selisih"]) == pagu - realisasi, row
        if pagu:
            assert shows(row["serapan"], realisasi / pagu * 100, decimals), row
    total = rows[-1]
    assert total["uraian"] == "Jumlah"
    assert parse_id(total["pagu"]) == _leaf_sum(report, "pagu")
    assert parse_id(total["realisasi"]) == _leaf_sum(report, "realisasi")
    # a parent row is the Σ of its children's rows (kode prefix and level)
    by_kode = {r["kode"]: r for r in rows if r["kode"]}
    for line in lines:
        kids = [c for c in line.children if c.record.row in report.comp.budget]
        if not kids or not line.record.key or not all(c.record.key for c in kids):
            continue
        kid_rows = [by_kode[c.record.key] for c in kids]
        if any(parse_id(r["pagu"]) is not None for r in kid_rows):
            assert parse_id(by_kode[line.record.key]["pagu"]) == sum(
                parse_id(r["pagu"]) or 0 for r in kid_rows
            )


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_other_tables_recomputed_from_their_own_figures(reports, name) -> None:
    report = reports[name]
    rules = report.sub.rules
    unit = 10.0**-rules.decimals
    titles = {title for _, title, _ in report.numbered}
    checked = 0

    def have(table_id: str) -> bool:
        return spec_of(table_id).title in titles

    def number(text: str) -> float | None:
        return parse_id(text) if text not in ("",) else None

    total_pagu = _leaf_sum(report, "pagu")
    if have("alokasi"):
        for row in _columns(report, "alokasi"):
            pagu = number(row["pagu"])
            if (
                pagu is not None
                and row["persen"] not in ("", "-")
                and row["uraian"] != "Jumlah porsi indikator"
            ):
                assert near(row["persen"], pagu / total_pagu * 100, unit), row
                checked += 1
    if have("kinerja_anggaran"):
        for row in _columns(report, "kinerja_anggaran"):
            pagu, realisasi = number(row["pagu"]), number(row["realisasi"])
            if pagu:
                assert near(row["serapan"], realisasi / pagu * 100, unit), row
                capaian, serapan = number(row["capaian"]), number(row["serapan"])
                if capaian is not None:
                    efisiensi = (
                        capaian - serapan if rules.efisiensi_formula.startswith("capaian") else 100 - serapan
                    )
                    assert near(row["efisiensi"], efisiensi, 2 * unit), row
                    checked += 1
    if have("efisiensi_sdm"):
        for row in _columns(report, "efisiensi_sdm"):
            need, have_ = number(row["kebutuhan"]), number(row["ketersediaan"])
            if need:
                share = have_ / need * 100
                assert near(row["persen"], share, unit), row
                capaian = number(row["capaian"])
                if capaian is not None:
                    assert near(row["efisiensi"], capaian - number(row["persen"]), 2 * unit), row
                checked += 1
    if have("penduduk"):
        for row in _columns(report, "penduduk"):
            men, women = number(row["laki_laki"]), number(row["perempuan"])
            assert number(row["total"]) == men + women
            assert near(row["rasio"], men / women * 100, unit)
            checked += 1
    if have("pk_dpa"):
        for row in _columns(report, "pk_dpa"):
            pk, dpa = number(row["pk"]), number(row["dpa"])
            if pk is not None and dpa is not None:
                assert number(row["selisih"]) == pk - dpa
                checked += 1
    if have("perbandingan_tahun"):
        for row in _columns(report, "perbandingan_tahun"):
            now, before = number(row["realisasi"]), number(row["lalu_1"])
            if now is not None and before is not None:
                assert near(row["perubahan"], now - before, unit), row
                checked += 1
    if have("perbandingan_wilayah"):
        for row in _columns(report, "perbandingan_wilayah"):
            for name_ in ("kabupaten", "provinsi", "nasional"):
                now, other = number(row["realisasi"]), number(row[name_])
                if now is not None and other is not None:
                    assert near(row[f"selisih_{name_}"], now - other, unit), row
                    checked += 1
    if have("kemajuan"):
        records = {r.key: r for r in report.sub.records("indikator")}
        for row in _columns(report, "kemajuan"):
            target, realisasi = number(row["target_akhir"]), number(row["realisasi"])
            if target and realisasi is not None:
                negative = records[row["kode"]].get("polaritas") == "Negatif"
                assert near(row["kemajuan"], _capaian(target, realisasi, negative, rules), unit), row
                checked += 1
    assert checked >= 3


# ---------------------------------------------------------------------------
# Every figure of every sentence
# ---------------------------------------------------------------------------


def _row_by_uraian(report: Report, table_id: str, uraian: str, style: str | None = None):
    matches = [
        row
        for row in report.derived(table_id).rows
        if plain(str(value_of(row.cells.get("uraian")) or "")) == uraian
        and (style is None or row.style == style)
    ]
    assert matches, f"{table_id}: no row {uraian!r}"
    return matches[0]


def _sentences(report: Report) -> list[str]:
    """The body paragraphs after the rules paragraph (title, box and rules are tested apart)."""
    start = next(
        i for i, text in enumerate(report.paragraphs) if text.startswith("Semua angka dalam bab ini")
    )
    return report.paragraphs[start + 1 :]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sentence_figure_is_the_computed_value(reports, name) -> None:
    """Every paragraph holding a figure is one of the standard sentences, each figure the computed one."""
    report = reports[name]
    comp, rules = report.comp, report.sub.rules
    d = rules.decimals
    tahun = int(report.sub.cell_value("tahun"))
    totals = {key: guarded_value(expr) for key, expr in comp.totals.items()}

    def cell(row, column_id: str) -> Any:
        return value_of(row.cells.get(column_id))

    def with_unit(text: str) -> str:
        """The figure of ``81 %`` / ``400 Dokumen`` / ``60 – 70 Nilai``."""
        return text.split(" ")[0]

    seen: dict[str, int] = {}
    for text in _sentences(report):
        if not re.search(r"\d", text):
            continue
        if re.fullmatch(r"Tabel 3\.\d+ .+", text) or text.startswith("Keterangan: "):
            kind = "caption"
        elif re.fullmatch(r"\d+\. .+", text) or text.startswith("Sasaran "):
            kind = "heading"
            m = re.fullmatch(
                rf"Sasaran (.+?) didukung alokasi pagu ({FIGURE}) \(({FIGURE}) dari total pagu\) "
                rf"dengan realisasi ({FIGURE})\.",
                text,
            )
            if m:
                kind = "alokasi"
                row = _row_by_uraian(report, "alokasi", m.group(1))
                assert shows(m.group(2), cell(row, "pagu"), 0)
                assert shows(m.group(3), cell(row, "persen"), d)
                assert shows(m.group(4), cell(row, "realisasi"), 0)
                assert near(m.group(3), parse_id(m.group(2)) / totals["total_pagu"] * 100, 10.0**-d)
        elif m := re.fullmatch(
            rf"Realisasi indikator (.+) tahun {tahun} sebesar (.+) dari target (.+); capaiannya ({FIGURE})"
            r"(?: \(predikat (.+)\))?\.",
            text,
        ):
            kind = "capaian"
            row = _row_by_uraian(report, "capaian_kinerja", m.group(1))
            assert shows(with_unit(m.group(2)), cell(row, "realisasi"))
            assert shows(with_unit(m.group(3)), cell(row, "target"))
            assert shows(m.group(4), cell(row, "capaian"), d)
            assert m.group(5) == rules.predikat_of(cell(row, "capaian"))
        elif m := re.fullmatch(
            rf"Realisasi (.+) tahun {tahun} \((.+)\) (?:(naik|turun) ({NUMBER}) dibanding|sama dengan) "
            rf"tahun {tahun - 1} \((.+)\)\.",
            text,
        ):
            kind = "tahun"
            row = _row_by_uraian(report, "perbandingan_tahun", m.group(1))
            assert shows(with_unit(m.group(2)), cell(row, "realisasi"))
            assert shows(with_unit(m.group(5)), cell(row, "lalu_1"))
            change = cell(row, "perubahan")
            sign = {"naik": 1, "turun": -1, None: 0}[m.group(3)]
            assert (change > 0) - (change < 0) == sign
            if sign:
                assert shows(m.group(4), abs(change), d)
        elif m := re.fullmatch(
            rf"Tingkat kemajuan (.+) terhadap target akhir Renstra \((.+)\) sebesar ({FIGURE})\.", text
        ):
            kind = "kemajuan"
            row = _row_by_uraian(report, "kemajuan", m.group(1))
            assert shows(with_unit(m.group(2)), cell(row, "target_akhir"))
            assert shows(m.group(3), cell(row, "kemajuan"), d)
        elif m := re.fullmatch(
            rf"Realisasi (.+) \((.+)\) (?:(lebih tinggi|lebih rendah) ({NUMBER}) dari|sama dengan) "
            r"realisasi (kabupaten|provinsi|nasional) \((.+)\)\.",
            text,
        ):
            kind = "wilayah"
            row = _row_by_uraian(report, "perbandingan_wilayah", m.group(1))
            where = m.group(5)
            assert shows(with_unit(m.group(6)), cell(row, where))
            difference = cell(row, f"selisih_{where}")
            sign = {"lebih tinggi": 1, "lebih rendah": -1, None: 0}[m.group(3)]
            assert (difference > 0) - (difference < 0) == sign
            if sign:
                assert shows(m.group(4), abs(difference), d)
        elif m := re.fullmatch(
            rf"Indikator (.+) mencapai capaian ({FIGURE}) dengan serapan anggaran ({FIGURE}), "
            rf"sehingga efisiensinya ({FIGURE})\.",
            text,
        ):
            kind = "efisiensi"
            row = _row_by_uraian(report, "kinerja_anggaran", m.group(1))
            for group, column_id in ((2, "capaian"), (3, "serapan"), (4, "efisiensi")):
                assert shows(m.group(group), cell(row, column_id), d)
        elif m := re.fullmatch(
            rf"Secara keseluruhan tersedia ({NUMBER}) dari ({NUMBER}) pegawai yang dibutuhkan \(({FIGURE})\)\.",
            text,
        ):
            kind = "sdm"
            have, need = parse_id(m.group(1)), parse_id(m.group(2))
            assert near(m.group(3), have / need * 100, 10.0**-d)
        elif m := re.fullmatch(
            rf"Tahun (\d+) jumlah penduduk ({NUMBER}) jiwa \(({NUMBER}) laki-laki dan ({NUMBER}) perempuan\); "
            rf"rasio jenis kelamin ({NUMBER})\.",
            text,
        ):
            kind = "penduduk"
            men, women = parse_id(m.group(3)), parse_id(m.group(4))
            assert parse_id(m.group(2)) == men + women
            assert shows(m.group(5), men / women * 100, d)
        elif m := re.fullmatch(
            rf"Dari pagu ({FIGURE}), terealisasi ({FIGURE}) atau ({FIGURE}), sisa ({FIGURE})\.", text
        ):
            kind = "anggaran"
            pagu, realisasi = parse_id(m.group(1)), parse_id(m.group(2))
            assert pagu == _leaf_sum(report, "pagu") == totals["total_pagu"]
            assert realisasi == _leaf_sum(report, "realisasi") == totals["total_realisasi"]
            assert shows(m.group(3), realisasi / pagu * 100, d)
            assert parse_id(m.group(4)) == pagu - realisasi
        elif m := re.fullmatch(
            rf"Program (.+): pagu ({FIGURE}), realisasi ({FIGURE}) \(({FIGURE})\), sisa ({FIGURE})\.", text
        ):
            kind = "program"
            row = _row_by_uraian(report, "realisasi_anggaran", m.group(1), "program")
            pagu, realisasi = parse_id(m.group(2)), parse_id(m.group(3))
            assert (pagu, realisasi) == (cell(row, "pagu"), cell(row, "realisasi"))
            if pagu:
                assert shows(m.group(4), realisasi / pagu * 100, d)
            assert parse_id(m.group(5)) == pagu - realisasi
        elif m := re.fullmatch(
            rf"Jumlah anggaran Perjanjian Kinerja (Murni|Perubahan) ({FIGURE}); jumlah pagu DPA ({FIGURE})\.",
            text,
        ):
            kind = "pk"
            pk_rows = [
                r for r in report.sub.records("pk_anggaran") if (r.get("versi") or "Murni") == m.group(1)
            ]
            assert parse_id(m.group(2)) == sum(r.get("anggaran") or 0 for r in pk_rows)
            assert parse_id(m.group(3)) == _leaf_sum(report, "pagu")
        elif m := re.fullmatch(
            rf"Anggaran PK (Murni|Perubahan) (.+) berselisih ({FIGURE}) dari pagu DPA program itu\.", text
        ):
            kind = "pk-program"
            rows = [
                r
                for r in report.derived("pk_dpa").rows
                if r.style != "total"
                and plain(str(cell(r, "uraian"))) == m.group(2)
                and cell(r, "versi") == m.group(1)
            ]
            assert any(parse_id(m.group(3)) == cell(r, "pk") - cell(r, "dpa") for r in rows)
        elif m := re.fullmatch(
            rf"Rata-rata capaian (.+) tahun {tahun} sebesar ({FIGURE})(?: \(predikat (.+)\))?\.", text
        ):
            kind = "rata"
            mean = totals[f"rata_capaian:{m.group(1)}"]
            assert shows(m.group(2), mean, d)
            assert m.group(3) == rules.predikat_of(mean)
        elif m := re.fullmatch(
            r"Dari (\d+) indikator yang capaiannya dapat dihitung, (\d+) melampaui target, (\d+) tepat mencapai "
            r"target dan (\d+) di bawah target\.",
            text,
        ):
            kind = "counts"
            capaian = [
                cell(row, "capaian")
                for row in report.derived("capaian_kinerja").rows
                if row.style != "total" and isinstance(cell(row, "capaian"), float | int)
            ]
            above = sum(1 for c in capaian if c > 100 + 1e-9)
            below = sum(1 for c in capaian if c < 100 - 1e-9)
            expected = (len(capaian), above, len(capaian) - above - below, below)
            assert tuple(int(g) for g in m.groups()) == expected
        elif m := re.fullmatch(
            rf"Serapan anggaran ({FIGURE}) \(({FIGURE}) dari pagu ({FIGURE})\), sisa ({FIGURE})\.", text
        ):
            kind = "serapan"
            realisasi, pagu = parse_id(m.group(2)), parse_id(m.group(3))
            assert (pagu, realisasi) == (_leaf_sum(report, "pagu"), _leaf_sum(report, "realisasi"))
            assert shows(m.group(1), realisasi / pagu * 100, d)
            assert parse_id(m.group(4)) == pagu - realisasi
        elif text.startswith(("Pengukuran capaian kinerja", "Realisasi anggaran ")) and re.fullmatch(
            r"[^\d]*\d{4}[^\d]*(?:Tabel 3\.\d+[^\d]*)?", text
        ):
            kind = "intro"
        else:
            pytest.fail(f"a paragraph with figures that is no standard sentence: {text!r}")
        seen[kind] = seen.get(kind, 0) + 1
    # the sentences every report has
    indicators_with_capaian = sum(
        1
        for row in report.derived("capaian_kinerja").rows
        if row.style != "total" and value_of(row.cells.get("capaian")) is not None
    )
    assert seen.get("capaian", 0) == indicators_with_capaian
    assert seen.get("anggaran") == 1 and seen.get("serapan") == 1 and seen.get("counts") == 1
    assert seen.get("program") == len(report.sub.programs)
    assert seen.get("rata", 0) >= 1


# ---------------------------------------------------------------------------
# The box of errors, the rules
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_error_box_lists_every_wrong_figure(reports, name) -> None:
    report = reports[name]
    errors = [f for f in report.outcome.findings if f.severity == "error"]
    if not errors:
        assert report.box is None
        assert not any("berbeda dari hitungan" in text for text in report.paragraphs)
        return
    figures = [f for f in errors if isinstance(f.expected, (int, float))]
    box = report.box.rows[0].cells[0]
    first = plain(box.paragraphs[0].text)
    assert first == (
        f"{len(figures)} angka di berkas isian berbeda dari hitungan; dokumen ini memakai angka hasil hitungan."
    )
    inner = box.tables[0]
    rows = [[plain(c.text) for c in row.cells] for row in inner.rows[1:]]
    assert len(rows) == len(figures)
    for finding, (location, _label, stated, expected) in zip(figures, rows, strict=True):
        assert location == finding.location
        assert shows(stated, finding.stated)
        assert shows(expected, finding.expected)
    # the box comes first: before the rules and before Tabel 3.1
    body = list(report.document.iter_inner_content())
    assert body.index(next(b for b in body if isinstance(b, Table))) < next(
        i for i, b in enumerate(body) if isinstance(b, Paragraph) and b.text.startswith("Semua angka")
    )


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_rules_in_force_are_named_once(reports, name) -> None:
    report = reports[name]
    rules = report.sub.rules
    named = [text for text in report.paragraphs if f'"{rules.name}"' in text]
    assert len(named) == 1
    text = named[0]
    assert f"efisiensi = {rules.efisiensi_formula}" in text
    for band in rules.predikat:
        assert plain(f"{band.label} {band.describe()}") in text
    assert ("tanpa batas atas" in text) == (rules.cap is None)


# ---------------------------------------------------------------------------
# Layout: A4 portrait, widths, repeated headers, a document Word opens without repair
# ---------------------------------------------------------------------------

#: w:tcPr children in the order of the OOXML schema (CT_TcPr)
_TCPR_ORDER = [
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark",
]  # fmt: skip


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_layout_fits_a4_portrait_and_repeats_header_rows(reports, name) -> None:
    report = reports[name]
    section = report.document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    usable = Length(section.page_width - section.left_margin - section.right_margin).cm
    assert usable == pytest.approx(TEXT_WIDTH_CM, abs=0.01)
    for _, title, table in report.numbered:
        grid = table._tbl.tblGrid.gridCol_lst
        assert sum(col.w.cm for col in grid) <= usable + 0.01, title
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None, title
        assert all(
            row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:]
        )
    for tc_pr in report.document.element.body.iter(qn("w:tcPr")):
        names = [child.tag.split("}")[1] for child in tc_pr]
        assert names == sorted(names, key=_TCPR_ORDER.index), names


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_package_is_plain_python_docx_output(reports, name) -> None:
    """Every part parses as XML; the document holds no element python-docx does not know but our three."""
    import defusedxml.ElementTree as safe_xml

    with zipfile.ZipFile(reports[name].path) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert "word/document.xml" in names and "[Content_Types].xml" in names
        for part in names:
            if part.endswith((".xml", ".rels")):
                safe_xml.fromstring(package.read(part))


# ---------------------------------------------------------------------------
# LibreOffice renders every report (ONE soffice call)
# ---------------------------------------------------------------------------


def test_libreoffice_renders_every_report(reports, tmp_path) -> None:
    import pdfplumber
    from recalc import _run, require_soffice

    soffice = require_soffice()
    sources = [reports[name].path for name in SAMPLE_NAMES]
    outdir = tmp_path / "pdf"
    with tempfile.TemporaryDirectory(prefix="sakip-docx-") as work:
        profile = Path(work) / "profile"
        output = _run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, sources),
            ],
            timeout=600,
        )
    for name, source in zip(SAMPLE_NAMES, sources, strict=True):
        pdf = outdir / f"{source.stem}.pdf"
        assert pdf.is_file(), f"no PDF for {source.name}:\n{output}"
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) > 0
            first = document.pages[0].extract_text() or ""
            text = "\n".join(page.extract_text() or "" for page in document.pages)
        assert "AKUNTABILITAS KINERJA" in first
        assert "Tabel 3.1" in text
        report = reports[name]
        total = guarded_value(report.comp.totals["total_pagu"])
        assert f"Rp {int(total):,}".replace(",", ".") in text.replace("\u00a0", " ")


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sakip_xlsx.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_cli_laporan_writes_refuses_and_never_touches_the_input(tmp_path) -> None:
    source = tmp_path / "isian.xlsx"
    shutil.copyfile(ROOT / "samples" / "ngoro-jombang-2024.xlsx", source)
    before = source.read_bytes()
    target = tmp_path / "bab3.docx"

    done = _cli("laporan", str(source), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert "Laporan ditulis" in done.stdout and "kesalahan" in done.stdout
    assert docx.Document(str(target)).paragraphs[0].text == "BAB III"
    written = target.read_bytes()

    again = _cli("laporan", str(source), "-o", str(target))  # exists, no --overwrite
    assert again.returncode == 2 and "--overwrite" in again.stderr and "Traceback" not in again.stderr
    assert target.read_bytes() == written

    onto_input = _cli("laporan", str(source), "-o", str(source), "--overwrite")
    assert onto_input.returncode == 2 and "berkas masukan" in onto_input.stderr
    assert source.read_bytes() == before

    wrong_suffix = _cli("laporan", str(source), "-o", str(tmp_path / "bab3.xlsx"))
    assert wrong_suffix.returncode == 2 and ".docx" in wrong_suffix.stderr
    assert not (tmp_path / "bab3.xlsx").exists()

    unreadable = _cli("laporan", str(target), "-o", str(tmp_path / "lain.docx"))
    assert unreadable.returncode == 2 and "Traceback" not in unreadable.stderr
    assert not (tmp_path / "lain.docx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bab3.docx", "isian.xlsx"]  # no temporary left


def test_check_and_results_write_a_report_per_file(tmp_path) -> None:
    inbox = tmp_path / "kiriman"
    inbox.mkdir()
    for name in ("contoh-bersih.xlsx", "kragan-rembang-2021.xlsx"):
        shutil.copyfile(ROOT / "samples" / name, inbox / name)
    folder = tmp_path / "laporan"
    done = _cli("check", str(inbox), "--laporan", str(folder), "--jobs", "2")
    assert done.returncode == 1  # kragan has errors: check's own exit code stands
    assert sorted(p.name for p in folder.iterdir()) == [
        "contoh-bersih-laporan.docx",
        "kragan-rembang-2021-laporan.docx",
    ]
    for path in folder.iterdir():
        assert docx.Document(str(path)).paragraphs[1].text == "AKUNTABILITAS KINERJA"

    # a requested report that is not written (it exists) is an error: exit code 2, said in Indonesian
    again = _cli(
        "results", str(inbox / "contoh-bersih.xlsx"), "-o", str(tmp_path / "h.xlsx"), "--laporan", str(folder)
    )
    assert again.returncode == 2
    assert "TIDAK ditulis" in again.stderr and "--overwrite" in again.stderr
    assert (tmp_path / "h.xlsx").is_file()


def test_help_is_indonesian_and_fast_path_imports_no_docx() -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["laporan", "--help"])
    assert result.exit_code == 0
    assert "Tulis Bab III LKjIP" in result.output and "Kode keluar" in result.output
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, sakip_xlsx.cli; print('docx' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "False"


def test_characters_word_cannot_hold_are_dropped_not_a_crash(tmp_path) -> None:
    """A typed text may hold control characters (pasted from elsewhere); XML, so Word, has no place for them."""
    from sakip_xlsx.compute import compute

    outcome = check_file(ROOT / "samples" / "contoh-bersih.xlsx")
    submission = outcome.submission
    submission.tables["indikator"].data["uraian"].values[0] = "Indeks\x0bKepuasan\x01 Masyarakat"
    submission.tables["sasaran"].data["uraian"].values[0] = "Sasaran\x1f pelayanan"
    path = write_laporan(submission, compute(submission), outcome.findings, tmp_path / "bab3.docx")
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for r in t.rows for c in r.cells
    ]
    assert any("Realisasi indikator IndeksKepuasan Masyarakat tahun 2024" in text for text in texts)
    assert any("Sasaran pelayanan" in text for text in texts)


def test_a_folder_scan_skips_the_reports_it_wrote(tmp_path) -> None:
    """Reports written into the submissions' folder are known as our own output, not read as submissions."""
    inbox = tmp_path / "kiriman"
    inbox.mkdir()
    shutil.copyfile(ROOT / "samples" / "contoh-bersih.xlsx", inbox / "contoh-bersih.xlsx")
    first = _cli("check", str(inbox), "--laporan", str(inbox))
    assert first.returncode == 0, first.stderr
    assert (inbox / "contoh-bersih-laporan.docx").is_file()
    second = _cli("check", str(inbox), "--format", "json")
    assert second.returncode == 0, second.stderr
    assert "contoh-bersih-laporan.docx" in second.stderr  # said once, as skipped
    assert '"unreadable"' not in second.stdout and second.stdout.count('"file"') == 1
