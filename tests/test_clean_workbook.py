"""A fully correct workbook, under every preset: no error, no warning."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from check_helpers import IDENTITAS, SAMPLES, analyse, pct, rupiah

from sakip_xlsx.checks import run_checks
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.rules import Rules, load_rules


def clean_workbook(rules: Rules) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every table filled and every *_dilaporkan stated correctly for ``rules`` (own arithmetic)."""

    def capped(value: float) -> float:
        if rules.cap is not None:
            value = min(value, rules.cap)
        if rules.floor is not None:
            value = max(value, rules.floor)
        return value

    def efisiensi(capaian: float, serapan: float) -> float:
        return 100 - serapan if rules.efisiensi_formula == "100 - serapan" else capaian - serapan

    assert rules.negative_formula == "T/R"
    # indicators: (kode, sasaran, satuan, polaritas, target, realisasi, uncapped capaian)
    capaian = {
        "IK1": capped(98.32 / 100 * 100),
        "IK2": capped(10 / 8 * 100),  # negative polarity, T/R
        "IK3": capped(100.0),  # range 60 – 70, realisasi 65,5 inside
        "IK4": capped(84 / 80 * 100),  # Kinerja Lainnya: not in the rata-rata
    }
    kemajuan = {"IK1": capped(98.32 / 100 * 100), "IK2": capped(6 / 8 * 100)}
    # budget: P1 600.000 / 540.000 (IK1); P2 = K2 (IK2: 300.000 + 100.000 / 270.000 + 90.000)
    #         + K3 (IK3: 200.000 / 192.000); P3 50.000 / 50.000
    serapan = {"IK1": 540_000 / 600_000 * 100, "IK2": 360_000 / 400_000 * 100, "IK3": 192_000 / 200_000 * 100}
    total_pagu = 600_000 + 400_000 + 200_000 + 50_000
    total_realisasi = 540_000 + 360_000 + 192_000 + 50_000
    rata = (capaian["IK1"] + capaian["IK2"] + capaian["IK3"]) / 3
    indikator_rows = [
        {
            "kode": "IK1",
            "sasaran_kode": "S1",
            "uraian": "Persentase pelayanan tepat waktu",
            "satuan": "%",
            "polaritas": "Positif",
            "target": "100",
            "realisasi": "98,32",
            "target_renstra_akhir": "100",
            "kumulatif": "Tidak",
            "realisasi_lalu_1": "97,50",
            "realisasi_lalu_2": "96",
            "realisasi_lalu_3": "95,1",
            "pembanding_kabupaten": "97",
            "pembanding_provinsi": "96,5",
            "pembanding_nasional": "95",
            "kebutuhan_sdm": 10,
            "ketersediaan_sdm": 8,
            "capaian_dilaporkan": pct(capaian["IK1"]) + " %",
            "kemajuan_dilaporkan": pct(kemajuan["IK1"]),
            "efisiensi_dilaporkan": pct(efisiensi(capaian["IK1"], serapan["IK1"])),
        },
        {
            "kode": "IK2",
            "sasaran_kode": "S1",
            "uraian": "Jumlah pengaduan masyarakat",
            "satuan": "Kali",
            "polaritas": "Negatif",
            "target": "10",
            "realisasi": "8",
            "target_renstra_akhir": "6",
            "realisasi_lalu_1": "9",
            "capaian_dilaporkan": pct(capaian["IK2"]),
            "kemajuan_dilaporkan": pct(kemajuan["IK2"]),
            "efisiensi_dilaporkan": pct(efisiensi(capaian["IK2"], serapan["IK2"])),
        },
        {
            "kode": "IK3",
            "sasaran_kode": "S2",
            "uraian": "Nilai SAKIP kecamatan",
            "satuan": "Nilai",
            "polaritas": "Positif",
            "target": "60 – 70",
            "realisasi": "65,5",
            "realisasi_lalu_1": "62",
            "capaian_dilaporkan": capaian["IK3"],
            "efisiensi_dilaporkan": pct(efisiensi(capaian["IK3"], serapan["IK3"])),
        },
        {
            "kode": "IK4",
            "sasaran_kode": "S3",
            "uraian": "Indeks ketertiban umum",
            "satuan": "Indeks",
            "polaritas": "Positif",
            "target": 80,
            "realisasi": 84,
            "capaian_dilaporkan": capaian["IK4"] / 100,
        },
    ]
    anggaran = [
        {
            "kode": "7.01.01",
            "tingkat": "Program",
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "indikator_kode": "IK1",
            "pagu": "Rp 600.000",
            "realisasi": "Rp 540.000",
            "sumber_dana": "APBD",
            "selisih_dilaporkan": "60.000",
            "persen_dilaporkan": "90,00",
        },
        {
            "kode": "7.01.01.2.01",
            "tingkat": "Kegiatan",
            "uraian": "Administrasi Keuangan",
            "indikator_keluaran": "Laporan keuangan tersusun",
            "satuan": "Dokumen",
            "target": "12 Dokumen",
            "realisasi_kinerja": "12 Dokumen",
            "capaian_dilaporkan": "100",
        },
        {
            "kode": "7.01.01.2.01.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Penyediaan Gaji dan Tunjangan ASN",
            "pagu": 600_000,
            "realisasi": 540_000,
            "selisih_dilaporkan": 60_000,
            "persen_dilaporkan": 0.9,
            "sumber_dana": "DAU",
        },
        {
            "kode": "7.01.02",
            "tingkat": "Program",
            "uraian": "Program Penyelenggaraan Pemerintahan",
            "pagu": "600.000",
            "realisasi": "552.000",
            "selisih_dilaporkan": "48.000",
            "persen_dilaporkan": "92",
        },
        {
            "kode": "7.01.02.2.01",
            "tingkat": "Kegiatan",
            "uraian": "Pelayanan Publik",
            "indikator_kode": "IK2",
            "pagu": "400.000,00",
            "realisasi": "360.000,00",
            "persen_dilaporkan": "90 %",
            "indikator_keluaran": "Layanan selesai",
            "satuan": "Layanan",
            "target": "1.100 Layanan",
            "realisasi_kinerja": "1.045 Layanan",
            "capaian_dilaporkan": pct(capped(1045 / 1100 * 100)),
        },
        {
            "kode": "7.01.02.2.01.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Pelayanan A",
            "pagu": "300,000",
            "realisasi": "270,000",
            "selisih_dilaporkan": "30.000,-",
            "persen_dilaporkan": "90,00",
        },
        {
            "kode": "7.01.02.2.01.0002",
            "tingkat": "Sub Kegiatan",
            "uraian": "Pelayanan B",
            "pagu": 100_000,
            "realisasi": 90_000,
        },
        {
            "kode": "7.01.02.2.02",
            "tingkat": "Kegiatan",
            "uraian": "Evaluasi Kinerja",
            "indikator_kode": "IK3",
        },
        {
            "kode": "7.01.02.2.02.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Penyusunan LKjIP",
            "pagu": 200_000,
            "realisasi": 192_000,
            "persen_dilaporkan": "96,00",
            "selisih_dilaporkan": "Rp 8.000",
        },
        {
            "kode": "7.01.03",
            "tingkat": "Program",
            "uraian": "Program Ketentraman dan Ketertiban Umum",
            "pagu": 50_000,
            "realisasi": 50_000,
            "persen_dilaporkan": "100",
            "selisih_dilaporkan": "-",
        },
    ]
    pk = [
        {
            "program_kode": "7.01.01",
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "anggaran": "550.000",
            "versi": "Murni",
        },
        {
            "program_kode": "7.01.01",
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "anggaran": "600.000",
            "versi": "Perubahan",
        },
        {
            "program_kode": "7.01.02",
            "uraian": "Program Penyelenggaraan Pemerintahan",
            "anggaran": "600.000",
            "versi": "Murni",
        },
        {
            "program_kode": None,
            "uraian": "Program Ketentraman dan Ketertiban Umum",
            "anggaran": "50.000",
            "versi": "Murni",
        },
    ]
    cells = {
        **IDENTITAS,
        "renstra_awal": 2021,
        "renstra_akhir": 2026,
        "kepala_nama": "Budi Santoso, S.Sos",
        "kepala_nip": "19671212 198806 1 002",
        "kepala_jabatan": "Camat Uji",
        "total_pagu_dilaporkan": "Rp " + rupiah(total_pagu),
        "total_realisasi_dilaporkan": rupiah(total_realisasi),
        "persen_serapan_dilaporkan": pct(total_realisasi / total_pagu * 100) + " %",
        "sisa_anggaran_dilaporkan": rupiah(total_pagu - total_realisasi),
        "rata_capaian_dilaporkan": pct(rata),
        "total_pk_dilaporkan": "600.000",  # Perubahan, the last PK
    }
    data = {
        "sasaran": [
            {"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya kualitas pelayanan publik"},
            {"kode": "S2", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya akuntabilitas kinerja"},
            {"kode": "S3", "jenis": "Kinerja Lainnya", "uraian": "Meningkatnya ketertiban umum"},
        ],
        "indikator": indikator_rows,
        "anggaran": anggaran,
        "pk_anggaran": pk,
        "penduduk": [
            {
                "tahun": 2023,
                "laki_laki": "10.250",
                "perempuan": "10.000",
                "total_dilaporkan": "20.250",
                "rasio_dilaporkan": "102,5",
            },
            {
                "tahun": 2024,
                "laki_laki": 10_300,
                "perempuan": 10_020,
                "total_dilaporkan": 20_320,
                "rasio_dilaporkan": pct(10_300 / 10_020 * 100),
            },
        ],
    }
    return cells, data


@pytest.mark.parametrize("preset", ["default", "jombang", "mojokerto", "rembang"])
def test_fully_correct_workbook_has_no_error_or_warning(filled_template, preset: str) -> None:
    rules = load_rules(preset)
    cells, data = clean_workbook(rules)
    path = filled_template(cells=cells, tables=data)
    submission, computation = analyse(path, rules)
    findings = submission.findings + run_checks(submission, computation)
    assert [item.to_dict() for item in findings if item.severity in ("error", "warning")] == []
    # every *_dilaporkan field above was really read and compared (not silently skipped)
    stated = [
        entry
        for record in submission.records("indikator") + submission.records("anggaran")
        for name, entry in record.entries.items()
        if name.endswith("_dilaporkan") and entry.is_number
    ]
    assert len(stated) >= 20
    assert all(submission.cells[name].is_number for name in cells if name.endswith("_dilaporkan"))


def test_fully_correct_workbook_through_check_file(filled_template) -> None:
    cells, data = clean_workbook(load_rules("default"))
    outcome = check_file(filled_template(cells=cells, tables=data))
    assert outcome.unreadable is None
    assert outcome.summary["error"] == 0 and outcome.summary["warning"] == 0, [
        item.to_dict() for item in outcome.findings
    ]


def test_clean_sample_has_no_error_or_warning(tmp_path: Path) -> None:
    sample = SAMPLES / "contoh-bersih.xlsx"
    if not sample.exists():
        pytest.skip("samples/contoh-bersih.xlsx not built (python samples/build.py)")
    copy = tmp_path / sample.name
    shutil.copyfile(sample, copy)
    outcome = check_file(copy)
    assert outcome.unreadable is None
    bad = [item.to_dict() for item in outcome.findings if item.severity in ("error", "warning")]
    assert bad == []
