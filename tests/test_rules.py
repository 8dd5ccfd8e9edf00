"""Tests for sakip_xlsx.rules: TOML keys, predikat bands, presets and errors (SPEC section 5)."""

from __future__ import annotations

import textwrap

import pytest
from helpers import is_indonesian

from sakip_xlsx.grades import Band
from sakip_xlsx.rules import PRESETS, RulesError, load_rules, parse_rules, preset_text


def toml(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


# ---------------------------------------------------------------------------
# Every documented key
# ---------------------------------------------------------------------------


def test_empty_file_gives_documented_defaults():
    rules = parse_rules("", origin="kosong.toml")
    assert rules.name == "kosong.toml"
    assert rules.cap is None
    assert rules.floor == 0
    assert rules.negative_formula == "T/R"
    assert rules.efisiensi_formula == "capaian - serapan"
    assert rules.decimals == 2
    assert rules.predikat == ()
    assert rules.source == ""


def test_nama():
    assert parse_rules('nama = "Kabupaten Contoh"\n').name == "Kabupaten Contoh"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("100", 100.0), ("110.5", 110.5), ('"tidak ada"', None), ('"Tidak Ada"', None), ('"tanpa"', None)],
)
def test_capaian_batas_atas(written, expected):
    assert parse_rules(f"[capaian]\nbatas_atas = {written}\n").cap == expected


@pytest.mark.parametrize(("written", "expected"), [("0", 0.0), ("-50", -50.0), ('"tidak ada"', None)])
def test_capaian_batas_bawah(written, expected):
    assert parse_rules(f"[capaian]\nbatas_bawah = {written}\n").floor == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("T/R", "T/R"), ("T / R", "T/R"), ("(2T-R)/T", "(2T-R)/T"), ("(2T - R) / T", "(2T-R)/T")],
)
def test_capaian_rumus_polaritas_negatif(written, expected):
    assert parse_rules(f'[capaian]\nrumus_polaritas_negatif = "{written}"\n').negative_formula == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("capaian - serapan", "capaian - serapan"),
        ("capaian-serapan", "capaian - serapan"),
        ("100 - serapan", "100 - serapan"),
        ("100-serapan", "100 - serapan"),
    ],
)
def test_efisiensi_rumus(written, expected):
    assert parse_rules(f'[efisiensi]\nrumus = "{written}"\n').efisiensi_formula == expected


@pytest.mark.parametrize("decimals", [0, 1, 2, 6])
def test_tampilan_desimal(decimals):
    assert parse_rules(f"[tampilan]\ndesimal = {decimals}\n").decimals == decimals


def test_predikat_bounds_keys():
    rules = parse_rules(
        toml(
            """
            [[predikat]]
            label = "A"
            lebih_dari = 80
            sampai = 100

            [[predikat]]
            label = "B"
            mulai = 50
            kurang_dari = 80

            [[predikat]]
            label = "C"
            kurang_dari = 50

            [[predikat]]
            label = "D"
            """
        )
    )
    assert rules.predikat == (
        Band("A", lower=80.0, lower_inclusive=False, upper=100.0, upper_inclusive=True),
        Band("B", lower=50.0, lower_inclusive=True, upper=80.0, upper_inclusive=False),
        Band("C", lower=None, upper=50.0, upper_inclusive=False),
        Band("D"),
    )


def test_source_is_kept_verbatim():
    text = '# komentar\nnama = "X"\n\n[tampilan]\ndesimal = 1\n'
    assert parse_rules(text).source == text


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_load_and_describe_in_indonesian(preset):
    rules = load_rules(preset)
    assert rules == parse_rules(preset_text(preset), origin="lain")
    assert rules.predikat, "every preset has a predikat scale"
    settings = dict(rules.describe())
    assert settings["Nama aturan"] == rules.name


def test_preset_settings_match_the_seed_reports():
    assert load_rules("mojokerto").cap == 100
    assert load_rules("jombang").cap is None
    assert load_rules("rembang").efisiensi_formula == "100 - serapan"
    assert load_rules("jombang").efisiensi_formula == "capaian - serapan"


def test_load_rules_from_file(tmp_path):
    path = tmp_path / "aturan-saya.toml"
    path.write_text('nama = "Aturan Saya"\n[capaian]\nbatas_atas = 120\n', encoding="utf-8")
    rules = load_rules(path)
    assert rules.name == "Aturan Saya"
    assert rules.cap == 120
    assert load_rules(str(path)) == rules


@pytest.mark.parametrize("bound", ["inf", "-inf", "nan", "true"])
def test_a_band_bound_must_be_a_finite_number_like_a_limit(bound):
    """Band bounds and the capaian limits are read by the one number test (precision.is_number)."""
    with pytest.raises(RulesError, match="mulai harus angka"):
        parse_rules(
            toml(f"""
            [[predikat]]
            label = "A"
            mulai = {bound}
            """)
        )
    with pytest.raises(RulesError, match="batas_atas harus angka"):
        parse_rules(
            toml(f"""
            [capaian]
            batas_atas = {bound}
            """)
        )


def test_load_rules_default_is_default_preset():
    assert load_rules() == load_rules("default")


# ---------------------------------------------------------------------------
# Bands: half-open intervals, at and around every boundary
# ---------------------------------------------------------------------------

JOMBANG = [
    (-0.01, None),
    (0, "Sangat Kurang"),
    (0.01, "Sangat Kurang"),
    (19.99, "Sangat Kurang"),
    (20, "Sangat Kurang"),
    (20.01, "Kurang"),
    (59.99, "Kurang"),
    (60, "Kurang"),
    (60.01, "Butuh Perbaikan (Cukup)"),
    (79.99, "Butuh Perbaikan (Cukup)"),
    (80, "Butuh Perbaikan (Cukup)"),
    (80.01, "Baik (Berhasil)"),
    (99.99, "Baik (Berhasil)"),
    (100, "Baik (Berhasil)"),
    (100.01, "Istimewa (Sangat Berhasil)"),
    (110, "Istimewa (Sangat Berhasil)"),
    (150, "Istimewa (Sangat Berhasil)"),
]

REMBANG = [
    (-5, "Kurang"),
    (0, "Kurang"),
    (49, "Kurang"),
    (49.99, "Kurang"),
    (50, "Cukup Baik"),
    (50.01, "Cukup Baik"),
    (79, "Cukup Baik"),
    (79.99, "Cukup Baik"),
    (80, "Baik"),
    (80.01, "Baik"),
    (89, "Baik"),
    (89.5, "Baik"),
    (89.99, "Baik"),
    (90, "Amat Baik"),
    (90.01, "Amat Baik"),
    (100, "Amat Baik"),
    (120, "Amat Baik"),
]


@pytest.mark.parametrize(("capaian", "label"), JOMBANG)
def test_jombang_band_boundaries(capaian, label):
    assert load_rules("jombang").predikat_of(capaian) == label


@pytest.mark.parametrize(("capaian", "label"), REMBANG)
def test_rembang_band_boundaries(capaian, label):
    assert load_rules("rembang").predikat_of(capaian) == label


def test_predikat_of_none_is_none():
    assert load_rules("jombang").predikat_of(None) is None


def test_rembang_gaps_are_closed():
    rules = load_rules("rembang")
    missing = [i / 100 for i in range(0, 12001) if rules.predikat_of(i / 100) is None]
    assert missing == []


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_labels_every_capaian_from_0_to_120_once(preset):
    """Bands of a preset neither leave gaps nor overlap on 0..120 (steps of 0.01)."""
    rules = load_rules(preset)
    for i in range(0, 12001):
        value = i / 100
        containing = [band.label for band in rules.predikat if band.contains(value)]
        assert len(containing) == 1, (preset, value, containing)


@pytest.mark.parametrize(
    ("band", "inside", "outside"),
    [
        ("lebih_dari = 10", [10.000001, 11], [10, 9.99]),
        ("mulai = 10", [10, 10.01], [9.999999]),
        ("sampai = 10", [10, 9.99], [10.000001]),
        ("kurang_dari = 10", [9.999999, 0], [10, 10.01]),
    ],
)
def test_single_bound_inclusivity(band, inside, outside):
    rules = parse_rules(f'[[predikat]]\nlabel = "X"\n{band}\n')
    for value in inside:
        assert rules.predikat_of(value) == "X", value
    for value in outside:
        assert rules.predikat_of(value) is None, value


def test_first_matching_band_wins():
    rules = parse_rules('[[predikat]]\nlabel = "A"\nmulai = 50\n[[predikat]]\nlabel = "B"\n')
    assert rules.predikat_of(60) == "A"
    assert rules.predikat_of(40) == "B"


def test_band_describe_in_indonesian():
    assert Band("X", lower=80, lower_inclusive=False, upper=100).describe() == "> 80 dan ≤ 100"
    assert Band("X", lower=50, upper=80, upper_inclusive=False).describe() == "≥ 50 dan < 80"
    assert Band("X", upper=49.5).describe() == "≤ 49,5"


# ---------------------------------------------------------------------------
# Errors: RulesError with an Indonesian message
# ---------------------------------------------------------------------------

ERRORS = {
    "unknown negative formula": ('[capaian]\nrumus_polaritas_negatif = "R/T"\n', "rumus_polaritas_negatif"),
    "bad efisiensi": ('[efisiensi]\nrumus = "serapan - capaian"\n', "efisiensi.rumus"),
    "desimal too large": ("[tampilan]\ndesimal = 7\n", "desimal"),
    "desimal negative": ("[tampilan]\ndesimal = -1\n", "desimal"),
    "desimal float": ("[tampilan]\ndesimal = 2.5\n", "desimal"),
    "desimal text": ('[tampilan]\ndesimal = "2"\n', "desimal"),
    "desimal bool": ("[tampilan]\ndesimal = true\n", "desimal"),
    "lower > upper": ('[[predikat]]\nlabel = "X"\nmulai = 90\nsampai = 80\n', "batas bawah"),
    "lebih_dari > kurang_dari": (
        '[[predikat]]\nlabel = "X"\nlebih_dari = 90\nkurang_dari = 80\n',
        "batas bawah",
    ),
    "lebih_dari and mulai": ('[[predikat]]\nlabel = "X"\nlebih_dari = 80\nmulai = 80\n', "lebih_dari"),
    "sampai and kurang_dari": ('[[predikat]]\nlabel = "X"\nsampai = 80\nkurang_dari = 80\n', "kurang_dari"),
    "band without label": ("[[predikat]]\nmulai = 80\n", "label"),
    "band bound not a number": ('[[predikat]]\nlabel = "X"\nmulai = "delapan puluh"\n', "mulai"),
    "batas_atas text": ('[capaian]\nbatas_atas = "seratus"\n', "batas_atas"),
    "batas_atas bool": ("[capaian]\nbatas_atas = true\n", "batas_atas"),
    "section not a table": ('capaian = "100"\n', "[capaian]"),
    "toml syntax": ("[capaian\nbatas_atas = 100\n", "TOML"),
}
#: Errors that quote the TOML parser's own (English) text after this marker.
DETAIL_AFTER = {"toml syntax": "(TOML):"}


@pytest.mark.parametrize(
    ("case", "text", "named"), [(key, *value) for key, value in ERRORS.items()], ids=ERRORS.keys()
)
def test_errors_raise_rules_error_in_indonesian(case, text, named):
    with pytest.raises(RulesError) as raised:
        parse_rules(text, origin="aturan-saya.toml")
    message = str(raised.value)
    assert "aturan-saya.toml" in message
    assert named in message
    assert is_indonesian(message, DETAIL_AFTER.get(case)), message


def test_unknown_preset_lists_presets():
    with pytest.raises(RulesError) as raised:
        load_rules("surabaya")
    message = str(raised.value)
    assert is_indonesian(message), message
    for preset in PRESETS:
        assert preset in message


def test_preset_text_unknown_name():
    with pytest.raises(RulesError) as raised:
        preset_text("surabaya")
    assert "surabaya" in str(raised.value)
    assert all(preset in str(raised.value) for preset in PRESETS)


def test_unreadable_rules_file(tmp_path):
    path = tmp_path / "aturan.toml"
    path.write_bytes(b'nama = "\xff\xfe"\n')
    with pytest.raises(RulesError) as raised:
        load_rules(path)
    assert "aturan.toml" in str(raised.value)
    assert is_indonesian(str(raised.value).replace(str(path), "BERKAS"), detail_after="dibaca:")
