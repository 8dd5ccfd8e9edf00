"""The Kragan (Kabupaten Rembang) LKjIP 2021 seed report, transcribed from its own text and checked.

Source: ``/work/shared/seeds/lkjip-kragan-rembang-2021.txt``.  The LAPORAN
REALISASI ANGGARAN TAHUN 2021 (Bab III C), Tabel III.1 – III.4 (Bab III A) and
the Perjanjian Kinerja budget column (Bab II B) are copied below as the report
prints them (``|``-separated rows, id-ID numbers).  They are typed into a blank
template through the schema (``filled_template``), checked with the
``rembang`` rules, and every wrong figure is asserted by (code, sheet, cell,
field) with the stated and expected values worked out here with plain integer
and float arithmetic.  Every other printed figure must give no finding.

Transcription choices (the report gives no kode, so the budget hierarchy
follows ``tingkat`` and row order, SPEC section 3):

* "Belanja Langsung" is an empty heading; "Belanja Tidak Langsung"
  (1.991.620.000) repeats kegiatan I.2 (the ASN salary line) and is no
  program, so neither is a budget row.
* The LRA "Jumlah" row is the table's own total: its pagu, realisasi, selisih
  and % go to the Ringkasan cells (the narrative restates other totals; see
  ``test_narrative_totals``).
* Tabel III columns: 2 → target, 3 → realisasi, 4 → capaian_dilaporkan,
  7 (Target Akhir) → target_renstra_akhir, 8 (= 3/7 × 100) →
  kemajuan_dilaporkan.  Columns 5 and 6 are earlier years' *capaian*, not
  realisasi, so they are not typed into realisasi_lalu_*.
* The PK table prints one version (Murni); row 4 is split by a page break
  ("... Pemerintahan" / "Desa") and is joined here.  PK rows carry no
  program kode, so they are matched to LRA programs by name.

Amounts of a parent are checked against the sum of its children (SPEC
sections 3–4: amounts at the lowest level are inputs, parent = Σ children,
% and selisih recomputed at every level); so the "true" program and total
figures below are sums of kegiatan, not the printed program rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import cell_of, cell_schema, is_indonesian

from sakip_xlsx.findings import Finding
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.rules import load_rules

# --- the report, as printed --------------------------------------------------------------

LRA = """
| NO | Program/Kegiatan | Jumlah Anggaran | Realisasi | Selisih | Prosentase (%) |
| | Belanja Langsung | | | | |
| | Belanja Tidak Langsung | 1.991.620.000 | 1.991.620.000 | - | - |
| I. | Program Penunjang Urusan Pemerintahan Daerah | 503.858.200 | 495.416.225 | 8.441.975 | 98,82 |
| 1. | Perencanaan, Penganggaran dan Evaluasi Kinerja Perangkat Daerah | 14.060.000 | 9.430.000 | 4.630.000 | 67,07 |
| 2. | Administrasi Keuangan Perangkat Daerah | 1.991.620.000 | 1.991.620.000 | 0 | 100,00 |
| 3. | Administrasi Kepegawaian Perangkat Daerah | 67.500.000 | 67.500.000 | 0 | 100,00 |
| 4. | Administrasi Umum Perangkat Daerah | 182.896.425 | 180.704.600 | 2.191.825 | 98,80 |
| 5. | Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah | 207.540.000 | 198.005.321 | 9.534.679 | 95,41 |
| 6. | Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintah Daerah | 170.240.000 | 163.476.850 | 6.763.150 | 96,03 |
| II. | Program Penyelenggaraan Pemerintahan dan Pelayanan Publik | 30.131.875 | 30.127.900 | 3.975 | 99,99 |
| 1. | Penyelenggaraan Urusan Pemerintahan Yang Tidak dilaksanakan oleh Unit Kerja | 5.072.550 | 5.069.300 | 3.250 | 99,94 |
| 2. | Pelaksanaan Urusan Pemerintahan yang dilimpahkan Kepada Camat | 25.059.325 | 24.464.600 | 594.725 | 100,00 |
| III. | Program Pemberdayaan Masyarakat Desa dan Kelurahan | 23.724.000 | 20.824.000 | 2.900.000 | 87,78 |
| 1. | Peningkatan Partisipasi Masyarakat Dalam Forum Musyawarah Perencanaan | 13.700.000 | 11.150.000 | 2.550.000 | 81,39 |
| 2. | Peningkatan Efektifitas Kegiatan Pemberdayaan Masyarakat di Wilayah Kecamatan | 10.024.000 | 9.674.000 | 350.000 | 96,51 |
| IV. | Program Koordinasi Ketentraman dan Ketertiban Umum | 26.100.000 | 25.830.000 | 270.000 | 98,97 |
| 1. | Koordinasi Upaya Penyelenggaraan Ketentraman dan Ketertiban Umum | 26.100.000 | 25.830.000 | 270.000 | 98,97 |
| V. | Program Pembinaan dan Pengawasan Pemerintahan Desa | 25.200.000 | 25.199.300 | 700 | 100,00 |
| 1. | Fasilitas Administrasi Tata Pemerintahan Desa | 15.200.000 | 15.200.000 | 0 | 100 |
| 2. | Rekomendasi Pengangkatan dan Pemberhentian Kepala Desa | 10.000.000 | 9.999.300 | 700 | 99,99 |
| | Jumlah | 2.739.149.000 | 2.063.833.435 | 301.765.911 | 88,98 |
"""

#: Tabel III.1 – III.4: (sasaran, printed row).  Columns: 1 indikator, 2 % Target, 3 % Realisasi,
#: 4 % Capaian (= 3/2 × 100), 5 % Capaian 2019, 6 % Capaian 2018, 7 % Target Akhir, 8 % Capaian s/d (= 3/7 × 100).
TABEL_III = [
    (
        "Meningkatnya Manajemen Administrasi Pelayanan Umum, Kepegawaian dan Keuangan Perangkat Daerah",
        "| Persentase Ketercapaian Pelayanan Umum | 100 | 98,32 | 98,32 | 89,96 | 92,60 | 95 | 96,62 |",
    ),
    (
        "Meningkatnya Perencanaan dan Evaluasi Kinerja Perangkat Daerah",
        "| Persentase keselarasan perencanaan terhadap capaian kinerja perangkat daerah "
        "| 100 | 99,99 | 99,99 | 99,00 | 95,20 | 95 | 95,01 |",
    ),
    (
        "Meningkatnya Keterbukaan Informasi Publik",
        "| Persentase Informasi yang disampaikan ke Publik | 100 | 100 | 100 | 95,71 | 92,75 | 95 | 95 |",
    ),
    (
        "Meningkatnya Kinerja Pemerintahan, Pembangunan, Pembinaan Kemasyarakatan dan Katentraman Masyarakat.",
        "| Persentase Tingkat Kinerja Seksi-seksi | 100 | 78,56 | 78,56 | 98,80 | 98,65 | 100 | 127,29 |",
    ),
]

#: Perjanjian Kinerja 2021 (Bab II B): program (before its numbered kegiatan) and Anggaran (Rp).
PK = """
| Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota | 2.741.121.350 |
| Program Pemberdayaan Masyarakat | 66.479.350 |
| Program Pemerintahan dan Pelayanan Publik | 40.198.000 |
| Program Pembinaan dan Pengawasan Pemerintahan Desa | 95.920.000 |
| Program Koordinasi Ketentraman dan Ketertiban Umum | 52.500.000 |
"""

#: Bab III C alinea 1: "mendapatkan Anggaran sebesar Rp.2.739.149.000.- ... terserap sebanyak
#: Rp.2.437.383.089.- ... terserap sebesar 88,98 %."
NARRATIVE = {
    "total_pagu_dilaporkan": "Rp.2.739.149.000.-",
    "total_realisasi_dilaporkan": "Rp.2.437.383.089.-",
    "persen_serapan_dilaporkan": "88,98 %",
}

IDENTITAS = {
    "pemda": "Kabupaten Rembang",
    "instansi": "Kecamatan Kragan",
    "tahun": 2021,
    "renstra_awal": 2016,
    "renstra_akhir": 2021,
    "kepala_nama": "NUR ROFIK, S.Pd, MM",
    "kepala_jabatan": "Camat Kragan",
}

# --- reading the printed rows ------------------------------------------------------------------


def cells_of(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def rp(text: str) -> int:
    """A printed rupiah amount: '1.991.620.000' -> 1991620000 ('-' and '0' -> 0)."""
    return 0 if text in ("-", "") else int(text.replace(".", ""))


def num(text: str) -> float:
    """A printed id-ID number: '98,32' -> 98.32."""
    return float(text.replace(".", "").replace(",", "."))


def lra_lines() -> list[dict[str, Any]]:
    """Programs (I., II., ...) and their kegiatan (1., 2., ...) with a label 'I', 'I.1', ..."""
    lines, program = [], None
    for line in LRA.strip().splitlines()[1:]:
        no, uraian, pagu, realisasi, selisih, persen = cells_of(line)
        if not no:
            continue  # Belanja Langsung / Belanja Tidak Langsung / Jumlah: see the module docstring
        if no.rstrip(".").isalpha():
            program = no.rstrip(".")
            label, tingkat = program, "Program"
        else:
            label, tingkat = f"{program}.{no.rstrip('.')}", "Kegiatan"
        lines.append(
            {
                "label": label,
                "tingkat": tingkat,
                "uraian": uraian,
                "pagu": pagu,
                "realisasi": realisasi,
                "selisih": selisih,
                "persen": persen,
            }
        )
    return lines


def jumlah_row() -> dict[str, str]:
    for line in LRA.strip().splitlines():
        cells = cells_of(line)
        if cells[1] == "Jumlah":
            return dict(zip(("pagu", "realisasi", "selisih", "persen"), cells[2:], strict=True))
    raise AssertionError("no Jumlah row")


LINES = lra_lines()
INDEX = {line["label"]: index for index, line in enumerate(LINES)}
PROGRAMS = [line["label"] for line in LINES if line["tingkat"] == "Program"]


def children(program: str) -> list[dict[str, Any]]:
    return [line for line in LINES if line["label"].startswith(program + ".")]


def true_pagu(label: str) -> int:
    """Pagu of a line: its own printed amount for a kegiatan, Σ of its kegiatan for a program."""
    line = LINES[INDEX[label]]
    return sum(rp(c["pagu"]) for c in children(label)) if line["tingkat"] == "Program" else rp(line["pagu"])


def true_realisasi(label: str) -> int:
    line = LINES[INDEX[label]]
    return (
        sum(rp(c["realisasi"]) for c in children(label))
        if line["tingkat"] == "Program"
        else rp(line["realisasi"])
    )


TOTAL_PAGU = sum(true_pagu(p) for p in PROGRAMS)
TOTAL_REALISASI = sum(true_realisasi(p) for p in PROGRAMS)


def indikator_rows() -> tuple[list[dict], list[dict]]:
    sasaran, indikator = [], []
    for number, (uraian_sasaran, line) in enumerate(TABEL_III, 1):
        uraian, target, realisasi, capaian, _c2019, _c2018, target_akhir, capaian_sd = cells_of(line)
        sasaran.append({"kode": f"S{number}", "jenis": "Sasaran Strategis", "uraian": uraian_sasaran})
        indikator.append(
            {
                "kode": f"IK{number}",
                "sasaran_kode": f"S{number}",
                "uraian": uraian,
                "satuan": "%",
                "polaritas": "Positif",
                "target": target,
                "realisasi": realisasi,
                "target_renstra_akhir": target_akhir,
                "kumulatif": "Tidak",
                "capaian_dilaporkan": capaian,
                "kemajuan_dilaporkan": capaian_sd,
            }
        )
    return sasaran, indikator


def pk_rows() -> list[dict[str, Any]]:
    return [
        {"program_kode": None, "uraian": uraian, "anggaran": anggaran, "versi": "Murni"}
        for uraian, anggaran in (cells_of(line) for line in PK.strip().splitlines())
    ]


def template_data(ringkasan: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    jumlah = jumlah_row()
    cells = dict(IDENTITAS)
    cells |= (
        ringkasan
        if ringkasan is not None
        else {
            "total_pagu_dilaporkan": jumlah["pagu"],
            "total_realisasi_dilaporkan": jumlah["realisasi"],
            "sisa_anggaran_dilaporkan": jumlah["selisih"],
            "persen_serapan_dilaporkan": jumlah["persen"],
        }
    )
    sasaran, indikator = indikator_rows()
    anggaran = [
        {
            "tingkat": line["tingkat"],
            "uraian": line["uraian"],
            "pagu": line["pagu"],
            "realisasi": line["realisasi"],
            "sumber_dana": "APBD",
            "selisih_dilaporkan": line["selisih"],
            "persen_dilaporkan": line["persen"],
        }
        for line in LINES
    ]
    return cells, {"sasaran": sasaran, "indikator": indikator, "anggaran": anggaran, "pk_anggaran": pk_rows()}


# --- the expected findings, with our own arithmetic -----------------------------------------------


def at(field_id: str, label: str) -> tuple[str, str]:
    return cell_of("anggaran", field_id, INDEX[label])


def ik(field_id: str, number: int) -> tuple[str, str]:
    return cell_of("indikator", field_id, number - 1)


def ringkasan(field_id: str) -> tuple[str, str]:
    spec = cell_schema(field_id)
    return spec["sheet"], spec["cell"]


def pk(index: int) -> tuple[str, str]:
    return cell_of("pk_anggaran", "anggaran", index)


def serapan(label: str) -> float:
    return true_realisasi(label) / true_pagu(label) * 100


def line_of(label: str) -> dict[str, Any]:
    return LINES[INDEX[label]]


def tabel_iii(number: int) -> list[str]:
    return cells_of(TABEL_III[number - 1][1])


#: Known wrong figures: (code, (sheet, cell), field, stated, expected, hint substring or None).
#: Each line's comment gives the arithmetic.
def known_wrong() -> list[tuple[str, tuple[str, str], str, float, float, str | None]]:
    wrong = [
        # Program I pagu 503.858.200 ≠ Σ 6 kegiatan 14.060.000 + 1.991.620.000 + 67.500.000 + 182.896.425
        #   + 207.540.000 + 170.240.000 = 2.633.856.425 (no subset of the kegiatan gives 503.858.200)
        ("sum-mismatch", at("pagu", "I"), "pagu", rp(line_of("I")["pagu"]), true_pagu("I"), None),
        # Program I realisasi 495.416.225 ≠ Σ 9.430.000 + 1.991.620.000 + 67.500.000 + 180.704.600
        #   + 198.005.321 + 163.476.850 = 2.610.736.771
        (
            "sum-mismatch",
            at("realisasi", "I"),
            "realisasi",
            rp(line_of("I")["realisasi"]),
            true_realisasi("I"),
            None,
        ),
        # Program I % 98,82: 2.610.736.771 / 2.633.856.425 × 100 = 99,12 (and from the row's own printed
        #   figures 495.416.225 / 503.858.200 × 100 = 98,32: 98,82 is wrong either way, one digit off)
        (
            "ratio-mismatch",
            at("persen_dilaporkan", "I"),
            "persen_dilaporkan",
            num(line_of("I")["persen"]),
            serapan("I"),
            None,
        ),
        # Program I selisih 8.441.975 = its own row 503.858.200 − 495.416.225, but the program's
        #   selisih is 2.633.856.425 − 2.610.736.771 = 23.119.654 (consequence of the two sums above:
        #   SPEC 7, a follows-root warning pointing at the typed pagu)
        (
            "follows-root",
            at("selisih_dilaporkan", "I"),
            "selisih_dilaporkan",
            rp(line_of("I")["selisih"]),
            true_pagu("I") - true_realisasi("I"),
            "!".join(at("pagu", "I")),
        ),
        # Program II realisasi 30.127.900 ≠ 5.069.300 + 24.464.600 = 29.533.900 (+594.000)
        (
            "sum-mismatch",
            at("realisasi", "II"),
            "realisasi",
            rp(line_of("II")["realisasi"]),
            true_realisasi("II"),
            None,
        ),
        # Program II selisih 3.975 = own row 30.131.875 − 30.127.900; true 30.131.875 − 29.533.900 = 597.975
        #   (follows the typed realisasi 30.127.900)
        (
            "follows-root",
            at("selisih_dilaporkan", "II"),
            "selisih_dilaporkan",
            rp(line_of("II")["selisih"]),
            true_pagu("II") - true_realisasi("II"),
            "!".join(at("realisasi", "II")),
        ),
        # Program II % 99,99 = own row 30.127.900 / 30.131.875 × 100; true 29.533.900 / 30.131.875 × 100 = 98,02
        (
            "follows-root",
            at("persen_dilaporkan", "II"),
            "persen_dilaporkan",
            num(line_of("II")["persen"]),
            serapan("II"),
            "!".join(at("realisasi", "II")),
        ),
        # Kegiatan II.2 % 100,00: 24.464.600 / 25.059.325 × 100 = 97,63 (its selisih 594.725 is right)
        (
            "ratio-mismatch",
            at("persen_dilaporkan", "II.2"),
            "persen_dilaporkan",
            num(line_of("II.2")["persen"]),
            serapan("II.2"),
            None,
        ),
        # Jumlah pagu 2.739.149.000 ≠ Σ programs (each = Σ its kegiatan) = Σ all 13 kegiatan 2.739.012.300
        (
            "total-mismatch",
            ringkasan("total_pagu_dilaporkan"),
            "total_pagu_dilaporkan",
            rp(jumlah_row()["pagu"]),
            TOTAL_PAGU,
            None,
        ),
        # Jumlah realisasi 2.063.833.435 ≠ Σ all kegiatan 2.712.123.971
        (
            "total-mismatch",
            ringkasan("total_realisasi_dilaporkan"),
            "total_realisasi_dilaporkan",
            rp(jumlah_row()["realisasi"]),
            TOTAL_REALISASI,
            None,
        ),
        # Jumlah selisih 301.765.911 ≠ 2.739.012.300 − 2.712.123.971 = 26.888.329
        #   (301.765.911 = narrative 2.739.149.000 − narrative 2.437.383.089)
        (
            "difference-mismatch",
            ringkasan("sisa_anggaran_dilaporkan"),
            "sisa_anggaran_dilaporkan",
            rp(jumlah_row()["selisih"]),
            TOTAL_PAGU - TOTAL_REALISASI,
            None,
        ),
        # Jumlah % 88,98 ≠ 2.712.123.971 / 2.739.012.300 × 100 = 99,02 (its own row: 75,35; narrative: 88,98)
        (
            "ratio-mismatch",
            ringkasan("persen_serapan_dilaporkan"),
            "persen_serapan_dilaporkan",
            num(jumlah_row()["persen"]),
            TOTAL_REALISASI / TOTAL_PAGU * 100,
            None,
        ),
    ]
    # Tabel III column 8 "= 3/7 × 100" printed as 7/3 × 100 (ratio inverted), all four indicators;
    # the rembang rules do not cap: IK1 98,32/95 = 103,49; IK2 99,99/95 = 105,25; IK3 100/95 = 105,26;
    # IK4 78,56/100 = 78,56 (printed 127,29 = 100/78,56 × 100)
    for number in (1, 2, 3, 4):
        row = tabel_iii(number)
        realisasi, target_akhir, printed = num(row[2]), num(row[6]), num(row[7])
        assert printed == pytest.approx(round(target_akhir / realisasi * 100, 2), abs=0.005)  # the slip
        wrong.append(
            (
                "ratio-mismatch",
                ik("kemajuan_dilaporkan", number),
                "kemajuan_dilaporkan",
                printed,
                realisasi / target_akhir * 100,
                "terbalik",
            )
        )
    # PK anggaran ≠ DPA pagu of the same program (PK Murni only; DPA pagu = Σ kegiatan):
    #   PK 1 "Penunjang ... Kabupaten/Kota" 2.741.121.350 vs program I 2.633.856.425
    #   PK 2 "Pemberdayaan Masyarakat" 66.479.350 vs program III 23.724.000
    #   PK 4 "Pembinaan dan Pengawasan Pemerintahan Desa" 95.920.000 vs program V 25.200.000
    #   PK 5 "Koordinasi Ketentraman dan Ketertiban Umum" 52.500.000 vs program IV 26.100.000
    #   (PK 3 "Pemerintahan dan Pelayanan Publik" 40.198.000 vs program II 30.131.875: see the xfail test)
    for index, program in ((0, "I"), (1, "III"), (3, "V"), (4, "IV")):
        stated = rp(cells_of(PK.strip().splitlines()[index])[1])
        wrong.append(("pk-budget-mismatch", pk(index), "anggaran", stated, true_pagu(program), None))
    return wrong


#: Figures printed correctly (no finding of any kind), with the arithmetic that proves it.
def known_correct() -> list[tuple[tuple[str, str], str]]:
    correct = []
    for line in LINES:
        label = line["label"]
        if line["tingkat"] == "Kegiatan":
            # every kegiatan selisih = pagu − realisasi, e.g. I.1 14.060.000 − 9.430.000 = 4.630.000,
            # I.2 and I.3 0, II.2 25.059.325 − 24.464.600 = 594.725, V.2 10.000.000 − 9.999.300 = 700
            assert rp(line["selisih"]) == rp(line["pagu"]) - rp(line["realisasi"])
            correct.append((at("selisih_dilaporkan", label), "selisih_dilaporkan"))
            correct += [(at("pagu", label), "pagu"), (at("realisasi", label), "realisasi")]
            if label != "II.2":
                # e.g. I.1 9.430.000 / 14.060.000 = 67,0697 → 67,07; V.1 15.200.000 / 15.200.000 = 100 → "100"
                assert abs(num(line["persen"]) - serapan(label)) <= 0.005
                correct.append((at("persen_dilaporkan", label), "persen_dilaporkan"))
    for label in ("III", "IV", "V"):
        # III: 13.700.000 + 10.024.000 = 23.724.000; 11.150.000 + 9.674.000 = 20.824.000; 87,78
        # IV: one kegiatan 26.100.000 / 25.830.000; 98,97.  V: 15.200.000 + 10.000.000 = 25.200.000;
        # 15.200.000 + 9.999.300 = 25.199.300; 25.199.300 / 25.200.000 = 99,997 → 100,00
        line = line_of(label)
        assert rp(line["pagu"]) == true_pagu(label) and rp(line["realisasi"]) == true_realisasi(label)
        assert rp(line["selisih"]) == true_pagu(label) - true_realisasi(label)
        assert abs(num(line["persen"]) - serapan(label)) <= 0.005
        correct += [
            (at(name, label), name)
            for name in ("pagu", "realisasi", "selisih_dilaporkan", "persen_dilaporkan")
        ]
    # Program II pagu 5.072.550 + 25.059.325 = 30.131.875
    assert rp(line_of("II")["pagu"]) == true_pagu("II")
    correct.append((at("pagu", "II"), "pagu"))
    # Tabel III column 4 = 3/2 × 100 with target 100: 98,32; 99,99; 100; 78,56
    for number in (1, 2, 3, 4):
        row = tabel_iii(number)
        assert num(row[3]) == pytest.approx(num(row[2]) / num(row[1]) * 100)
        correct.append((ik("capaian_dilaporkan", number), "capaian_dilaporkan"))
    return correct


# --- the tests ------------------------------------------------------------------------------------


@pytest.fixture
def kragan(filled_template):
    cells, data = template_data()
    path = filled_template(cells=cells, tables=data, name="kragan-2021.xlsx")
    return check_file(path, rules=load_rules("rembang"))


def by_cell(findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
    result: dict[tuple[str, str], list[Finding]] = {}
    for item in findings:
        result.setdefault((item.sheet, item.cell), []).append(item)
    return result


def test_transcription_is_read_without_input_findings(kragan) -> None:
    assert kragan.unreadable is None
    assert [item.to_dict() for item in kragan.submission.findings] == []
    assert len(kragan.submission.programs) == 5
    assert [len(program.children) for program in kragan.submission.programs] == [6, 2, 2, 1, 2]
    assert (
        kragan.submission.rules.efisiensi_formula == "100 - serapan" and kragan.submission.rules.cap is None
    )


@pytest.mark.parametrize("wrong", known_wrong(), ids=lambda w: f"{w[0]}@{w[1][0]}!{w[1][1]}")
def test_known_wrong_figure_is_reported(kragan, wrong) -> None:
    code, (sheet, cell), field_id, stated, expected, hint = wrong
    matching = [item for item in by_cell(kragan.findings).get((sheet, cell), []) if item.code == code]
    assert len(matching) == 1, [item.to_dict() for item in kragan.findings if item.sheet == sheet]
    item = matching[0]
    if code == "follows-root":  # a consequence of a wrong typed figure (SPEC 7): hint holds its root
        assert (item.severity, item.caused_by) == ("warning", hint)
        hint = None
    else:
        assert item.severity == "error"
    assert item.field == field_id
    assert item.stated == pytest.approx(stated, abs=1e-9)
    assert item.expected == pytest.approx(expected, abs=1e-6)
    assert item.difference == pytest.approx(stated - expected, abs=1e-6)
    assert is_indonesian(item.message) and f"{sheet}!{cell}" in item.message
    if hint is not None:
        assert item.hint and hint in item.hint.lower(), item.hint


def test_known_correct_figures_have_no_finding(kragan) -> None:
    cells = by_cell(kragan.findings)
    flagged = {
        (where, field_id): [item.to_dict() for item in cells[where]]
        for where, field_id in known_correct()
        if where in cells
    }
    assert flagged == {}


def test_nothing_but_the_known_wrong_figures_is_reported(kragan) -> None:
    """No false positive: every finding is one of the known wrong figures."""
    expected = {(code, where) for code, where, *_ in known_wrong()}
    # the PK row "Program Pemerintahan dan Pelayanan Publik" names no program of the LRA
    # ("Program Penyelenggaraan Pemerintahan ..."): its budget cannot be compared, and a warning says so
    unmatched = {
        (item.code, (item.sheet, item.cell))
        for item in kragan.findings
        if item.code == "unknown-reference" and item.table == "pk_anggaran"
    }
    assert len(unmatched) == 1
    reported = {(item.code, (item.sheet, item.cell)) for item in kragan.findings}
    assert reported - expected - unmatched == set()
    consequences = sum(1 for code, *_ in known_wrong() if code == "follows-root")
    assert kragan.summary == {"error": len(expected) - consequences, "warning": 1 + consequences, "info": 0}


def test_the_independent_arithmetic() -> None:
    """The sums this file relies on, spelled out once."""
    assert true_pagu("I") == 2_633_856_425 and true_realisasi("I") == 2_610_736_771
    assert true_realisasi("II") == 29_533_900
    assert (TOTAL_PAGU, TOTAL_REALISASI) == (2_739_012_300, 2_712_123_971)
    assert round(serapan("I"), 2) == 99.12 and round(serapan("II"), 2) == 98.02
    assert round(serapan("II.2"), 2) == 97.63
    assert round(TOTAL_REALISASI / TOTAL_PAGU * 100, 2) == 99.02
    assert TOTAL_PAGU - TOTAL_REALISASI == 26_888_329
    # the printed Jumlah selisih is the narrative totals' difference, not the table's
    assert rp("2.739.149.000") - rp("2.437.383.089") == rp(jumlah_row()["selisih"])
    # Program I % 98,82 is one digit off the row's own ratio 98,32
    assert round(rp("495.416.225") / rp("503.858.200") * 100, 2) == 98.32


def narrative_outcome(filled_template):
    """Narrative totals (Bab III C) plus the LRA Jumlah row's selisih, as the sample transcription does."""
    cells, data = template_data(ringkasan={**NARRATIVE, "sisa_anggaran_dilaporkan": jumlah_row()["selisih"]})
    outcome = check_file(
        filled_template(cells=cells, tables=data, name="kragan-narasi.xlsx"), rules=load_rules("rembang")
    )
    return {item.field: item for item in outcome.findings if item.table == "ringkasan"}


def test_narrative_totals(filled_template) -> None:
    """Bab III C restates the totals: 2.739.149.000 and 2.437.383.089, 88,98 % (consistent with each other)."""
    found = narrative_outcome(filled_template)
    stated_pagu, stated_realisasi = rp("2.739.149.000"), rp("2.437.383.089")
    # the two totals are wrong on their own; the % and the sisa are computed from them (SPEC 7:
    # consequences, warnings pointing at the total pagu, the first wrong figure they use)
    for field_id, code, severity, stated, expected in (
        ("total_pagu_dilaporkan", "total-mismatch", "error", stated_pagu, TOTAL_PAGU),
        ("total_realisasi_dilaporkan", "total-mismatch", "error", stated_realisasi, TOTAL_REALISASI),
        ("persen_serapan_dilaporkan", "follows-root", "warning", 88.98, TOTAL_REALISASI / TOTAL_PAGU * 100),
        ("sisa_anggaran_dilaporkan", "follows-root", "warning", 301_765_911, TOTAL_PAGU - TOTAL_REALISASI),
    ):
        item = found[field_id]
        assert (item.code, item.severity, (item.sheet, item.cell)) == (code, severity, ringkasan(field_id))
        assert item.stated == pytest.approx(stated) and item.expected == pytest.approx(expected, abs=1e-6)
    # the printed sisa is the narrative's own difference: 2.739.149.000 − 2.437.383.089 = 301.765.911
    assert stated_pagu - stated_realisasi == 301_765_911
    # and the narrative % is the narrative's own ratio: 2.437.383.089 / 2.739.149.000 × 100 = 88,98
    assert round(stated_realisasi / stated_pagu * 100, 2) == 88.98


def test_narrative_serapan_from_stated_totals_names_them(filled_template) -> None:
    item = narrative_outcome(filled_template)["persen_serapan_dilaporkan"]
    assert item.caused_by == "!".join(ringkasan("total_pagu_dilaporkan"))
    assert item.caused_by in item.message


def test_unmatched_pk_row_is_not_silently_skipped(kragan) -> None:
    sheet, _ = pk(2)
    row = int(pk(2)[1][1:])
    found = [
        item for item in kragan.findings if item.sheet == sheet and item.cell and int(item.cell[1:]) == row
    ]
    assert found, "PK row 3 (40.198.000) gets no finding at all"
