"""``impor``: other numeric tables into Tabel Bebas, with the rule row their own words give.

The rule row ("Rumus") is inferred from header words and row labels only.  The
expected rules below follow from the words of each header (realisasi / target,
ketersediaan / kebutuhan, pagu - realisasi, ...); the expected findings on the
seeds are the ones ``check`` raises on the hand transcriptions
(``samples/<name>.xlsx``, rule rows typed by hand), matched as in
tests/impor_measure.py.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from impor_docs import SEEDS, build_docx, to_pdf
from impor_measure import NAMES, SAMPLES, error_keys, known_errors, matched, measure

from sakip_xlsx.impor.columns import analyse
from sakip_xlsx.impor.free import free_rows, infer_rules, total_labels
from sakip_xlsx.impor.place import import_report
from sakip_xlsx.rules import load_rules

#: the one wrong figure of a free table the transcription takes from a sentence, not from the table
#: (Jombang: "IPP ... 3,68" against the aspects' sum 3,27; typed as a "Jumlah: IPP menurut teks" row)
FROM_A_SENTENCE = {("Tabel Bebas", "Nilai Aspek", 3.68)}


def _rules(rows: list[list[str]], preset: str = "default") -> dict[str, str]:
    header, data = analyse(rows)
    kept = free_rows(header, data)
    assert kept is not None
    return infer_rules(rows, header, kept, load_rules(preset))


# --- rules from header words ---------------------------------------------------------------------


def test_capaian_is_realisasi_over_target() -> None:
    rows = [
        ["No", "Indikator", "Target", "Realisasi", "Capaian (%)"],
        ["1", "Nilai A", "80", "84", "105"],
        ["2", "Nilai B", "90", "81", "90"],
    ]
    assert _rules(rows) == {"E": "=D/C*100"}


def test_kemajuan_is_realisasi_over_the_renstra_target_not_the_yearly_one() -> None:
    rows = [
        ["Indikator", "Target 2024", "Target Akhir Renstra", "Realisasi", "Capaian", "Tingkat Kemajuan"],
        ["Nilai A", "80", "90", "84", "105", "93,33"],
        ["Nilai B", "70", "75", "70", "100", "93,33"],
    ]
    # capaian: the yearly target (B); kemajuan: the Renstra target (C); both over the realisasi (D)
    assert _rules(rows) == {"E": "=D/B*100", "F": "=D/C*100"}


def test_percent_of_realisasi_over_baku_and_selisih_of_pagu_and_realisasi() -> None:
    rows = [
        ["No", "Tahun", "Baku", "Realisasi", "%"],
        ["1", "2020", "3.586.750.118", "2.234.264.726", "62,29"],
        ["2", "2021", "3.681.105.060", "2.587.970.222", "70,29"],
    ]
    assert _rules(rows) == {"E": "=D/C*100"}
    rows = [
        ["No", "Uraian", "Anggaran (Rp)", "Realisasi (Rp)", "Selisih (Rp)"],
        ["1", "Belanja A", "1.000.000", "900.000", "100.000"],
        ["2", "Belanja B", "2.000.000", "1.500.000", "500.000"],
    ]
    assert _rules(rows) == {"E": "=C-D"}


def test_ketersediaan_over_kebutuhan_pools_its_totals_and_efisiensi_follows_the_preset() -> None:
    rows = [
        ["Indikator", "Kinerja", "", "", "SDM", "", "", "Efisiensi SDM"],
        [
            "",
            "Target",
            "Realisasi",
            "Persentase Capaian",
            "Kebutuhan SDM",
            "Ketersediaan SDM",
            "% Ketersediaan SDM",
            "",
        ],
        ["Nilai A", "81", "80,15", "99,0", "18", "5", "27,78", "71,17"],
        ["Nilai B", "8,22", "8,54", "103,9", "22", "8", "36,36", "67,53"],
    ]
    expected = {
        "D": "=C/B*100",
        "E": "total:jumlah",
        "F": "total:jumlah",
        "G": "=F/E*100",
    }
    # efisiensi as the rules preset defines it: capaian - serapan (here: capaian - % ketersediaan) ...
    assert load_rules("jombang").efisiensi_formula == "capaian - serapan"
    assert _rules(rows, "jombang") == expected | {"H": "=D-G"}
    # ... or 100 - serapan
    header, data = analyse(rows)
    other = replace(load_rules("jombang"), efisiensi_formula="100 - serapan")
    assert infer_rules(rows, header, data, other) == expected | {"H": "=100-G"}


def test_percent_of_the_column_its_brackets_name() -> None:
    rows = [
        ["No.", "Komponen", "LKE", "Bobot", "Nilai Hasil Evaluasi", "%Capaian (Bobot)"],
        ["", "", "", "", "(80%*2+20%*3)", ""],
        ["1", "Perencanaan", "26,41", "30", "24,46", "81,53"],
        ["2", "Pengukuran", "23,90", "30", "21,75", "72,50"],
    ]
    # the bracketed formula under "Nilai Hasil Evaluasi" says how it is made, not that it is a percentage
    assert _rules(rows) == {"F": "=E/D*100"}


def test_breakdowns_of_the_same_staff_must_agree_but_not_a_pns_only_one() -> None:
    rows = [
        ["No", "Unit", "Jenis Kelamin", "", "Pendidikan", "", "", "PNS Golongan", "", "Kontrak"],
        ["", "", "L", "P", "S1", "D3", "SLTA", "III", "II", ""],
        ["1", "Sekretariat", "3", "2", "2", "1", "2", "2", "1", "2"],
        ["2", "Seksi", "2", "2", "1", "1", "2", "2", "-", "2"],
    ]
    assert _rules(rows) == {"cek": "cek: SUM(C:D)=SUM(E:G)"}


def test_no_rule_from_figures_that_happen_to_fit_one() -> None:
    """Column D is C / B × 100 in every row, but no header word says so: no rule."""
    rows = [
        ["No", "Desa", "Luas", "Penduduk", "Kepadatan"],
        ["1", "A", "2", "4", "200"],
        ["2", "B", "5", "10", "200"],
    ]
    assert _rules(rows) == {}


def test_column_of_means_is_not_summed_and_the_kecamatan_row_is_the_total() -> None:
    rows = [
        ["No", "Desa/Kelurahan", "Tinggi Rata-Rata (m)", "Luas (Km2)"],
        ["1", "Srigading", "500", "2,36"],
        ["2", "Kesemen", "450", "2,44"],
        ["", "Kecamatan Ngoro", "138", "4,80"],
        ["Keterangan : *) tanpa hutan negara", "", "", ""],
    ]
    header, data = analyse(rows)
    kept = free_rows(header, data)
    assert kept is not None and len(kept) == 3  # the note under the table is not a row
    assert infer_rules(rows, header, kept) == {"C": "total:abaikan"}
    assert total_labels(header, kept)[-1] == ["Jumlah: Kecamatan Ngoro", "", "138", "4,80"]


def test_staff_by_sex_is_not_the_population_table(tmp_path: Path) -> None:
    from sakip_xlsx.impor.document import Document, Table
    from sakip_xlsx.impor.recognise import recognise

    rows = [
        ["No", "Unit Kerja", "Jenis Kelamin", "", "Pendidikan", ""],
        ["", "", "Laki-Laki", "Perempuan", "S1", "SLTA"],
        ["1", "Kecamatan", "12", "7", "10", "9"],
        ["Jumlah", "", "12", "7", "10", "9"],
    ]
    table = Table(rows=rows, title="Tabel E.3 Jumlah Pegawai Lingkup Kecamatan")
    found = recognise(Document(path=tmp_path / "laporan.txt", kind="text", blocks=[table]))
    assert "penduduk" not in found.rows
    assert [free[0] for free in found.free_tables] == [table]


# --- the seeds: text, Word, PDF ------------------------------------------------------------------


def _free_table_errors(name: str, out: Path) -> tuple[set, set]:
    from sakip_xlsx.pipeline import check_file

    expected, _linked = known_errors(name)
    free_expected = {key for key in expected if key[0] == "Tabel Bebas"} - FROM_A_SENTENCE
    got = {key for key in error_keys(check_file(out).findings) if key[0] == "Tabel Bebas"}
    return free_expected, got


def _import(source: Path, name: str, out: Path) -> Path:
    rules = json.loads((SAMPLES / "data" / f"{name}.json").read_text("utf-8"))["rules"]
    import_report(source, out, rules=load_rules(rules))
    return out


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")
@pytest.mark.parametrize("name", NAMES)
def test_free_tables_of_the_text_seeds_find_what_the_transcription_finds(name: str, tmp_path: Path) -> None:
    out = _import(SEEDS / f"lkjip-{name}.txt", name, tmp_path / f"{name}.xlsx")
    expected, got = _free_table_errors(name, out)
    assert expected, "the transcription has wrong figures in its free tables"
    assert matched(expected, got) == expected
    assert measure(name, out)["false"] == []


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("impor-tables-docs")
    made = {
        name: {"docx": build_docx(SEEDS / f"lkjip-{name}.txt", folder / f"lkjip-{name}.docx")}
        for name in NAMES
    }
    if shutil.which("soffice"):
        pdfs = to_pdf([made[name]["docx"] for name in NAMES], folder, tmp_path_factory.mktemp("profile"))
        for name, pdf in zip(NAMES, pdfs, strict=True):
            made[name]["pdf"] = pdf
    return made


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")
@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_free_tables_of_word_and_pdf_seeds(name: str, kind: str, documents, tmp_path: Path) -> None:
    if kind not in documents[name]:
        pytest.skip("LibreOffice not installed")
    out = _import(documents[name][kind], name, tmp_path / f"{name}-{kind}.xlsx")
    expected, got = _free_table_errors(name, out)
    assert matched(expected, got) == expected
    assert measure(name, out)["false"] == []


def test_row_numbers_under_an_empty_header_are_fine_other_unlabelled_figures_are_not() -> None:
    numbered = [
        ["", "Uraian", "Hasil Rekon 2024", "Usulan Standar Kebutuhan", "% Ketersediaan Sarana dan Prasarana"],
        ["1", "Sepeda Motor", "28", "28", "100"],
        ["2", "Filing Cabinet Besi", "4", "5", "80"],
    ]
    # 4 / 5 x 100 = 80: the rule is from the words "% Ketersediaan" and "Kebutuhan"
    assert _rules(numbered) == {"C": "total:jumlah", "D": "total:jumlah", "E": "=C/D*100"}
    unlabelled = [
        ["", "", "Pemberdayaan", "", "Keterbukaan Informasi"],
        ["", "", "Validasi data", "3", "Program Informasi"],
        ["", "", "Sosialisasi", "2", "Pengelolaan"],
    ]
    header, data = analyse(unlabelled)
    assert free_rows(header, data) is None
