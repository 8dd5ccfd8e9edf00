"""The one declarative description of the sakip-xlsx input template.

Every sheet, table, column, field id, type, validation list and help text of
the input workbook is stated here once.  The template writer, the reader, the
results writer and the ``schema`` command are all generated from it, so
nothing about a column is written twice.

Layout conventions shared by every generated sheet:

* table sheets: row 1 the title, row 2 the field ids (hidden; the reader's
  anchor, so inserted or moved columns are still found), row 3 the
  Indonesian headers, data from row 4;
* cell sheets (single values): one field per row, label in column A, value in
  column B, help in column C, field id in hidden column D.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .cells import column_index, column_letter
from .grades import BUILTIN_SCALES, SCALE_TITLES

TEMPLATE_VERSION = "1.1"

#: Excel rows (1-based) of the fixed parts of every table sheet.
TITLE_ROW = 1
FIELD_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

#: The rules sheet: template version and the rules TOML, each beside a hidden field id.
RULES_VERSION_FIELD = "template_version"
RULES_TEXT_FIELD = "aturan_toml"
RULES_VERSION_ROW = 3
RULES_TEXT_ROW = 4

#: Rows below the pre-formatted area of a table that still get validation.
EXTRA_VALIDATED_ROWS = 1000

#: First row and columns of a cell sheet.
CELL_FIRST_ROW = 3
CELL_LABEL_COLUMN = "A"
CELL_VALUE_COLUMN = "B"
CELL_HELP_COLUMN = "C"
CELL_FIELD_COLUMN = "D"


def _scale_lines() -> tuple[str, ...]:
    """One line per built-in grade scale with its bands (the template lists every scale it checks)."""
    lines = []
    for name, bands in BUILTIN_SCALES.items():
        text = "; ".join(f"{band.label} {band.describe()}" for band in bands)
        lines.append(f"   skala:{name} = {SCALE_TITLES[name]}: {text}.")
    lines.append(
        "   skala:predikat = predikat capaian menurut aturan kabupaten (lembar Aturan). Skala lain (mis. IKM "
        'kabupaten yang memakai "Cukup Baik", nilai RB berhuruf lain) ditulis di berkas aturan sebagai '
        "[[skala.NAMA]] lalu dipakai dengan skala:NAMA."
    )
    return tuple(lines)


#: What the free-tables sheet says above its first table (the template writes it; a sheet that
#: holds nothing else has no table to read).
FREE_SHEET_INSTRUCTIONS: tuple[str, ...] = (
    "Lembar ini untuk tabel angka lain dari laporan (penduduk per desa, pegawai, sarpras, PBB, PATEN per "
    "bulan, LRA per kode rekening, IKM per unsur, IP ASN, dan lain-lain). Jumlah dan rumusnya diperiksa.",
    '1. Awali setiap tabel dengan baris judul: kolom A berisi teks yang dimulai dengan "Tabel" '
    '(mis. "Tabel 1.1 Luas Wilayah per Desa") atau "Judul:", sel lain di baris itu kosong.',
    '2. Baris berikutnya berisi judul kolom. Judul kelompok yang digabung (mis. "Pendidikan" di atas '
    "S2, S1, D3) boleh dua baris. Baris nomor kolom (1, 2, 3, ...) boleh ikut ditempel; baris itu dilewati.",
    "3. Baris data langsung di bawahnya. Tabel berakhir pada baris kosong atau judul tabel berikutnya; "
    "beri satu baris kosong antar tabel. Angka boleh bergaya apa saja (1.250.000; Rp. 1.250.000.000,00; "
    '4.349.483.103,-; 84,5; 98,71 %); "-" berarti kosong. Kolom uraian (juga yang diawali nomor, mis. '
    '"1 Pendapatan Asli Daerah") dan kolom berisi kata saja tidak dijumlah.',
    "4. Baris jumlah: Jumlah, Total, Sub Total, Jumlah Total, Jumlah Seluruhnya, Jumlah Seluruh Anggaran, "
    'JUMLAH KESELURUHAN, Total Keseluruhan, Total Anggaran Tahun 2021 (boleh "Jumlah: Kecamatan X"). '
    'Baris rata-rata: Rata-rata, Rerata (boleh "Rata-rata: Capaian IKU"); di baris paling bawah tabel juga "Rata-rata Capaian", '
    '"RATA-RATA TINGKAT KEMAJUAN" dan sejenisnya. Baris itu diperiksa sebagai jumlah atau rata-rata baris '
    "data di atasnya sampai baris jumlah sebelumnya; Jumlah/Total tepat setelah beberapa sub-jumlah = "
    "jumlah semua baris data. Di baris rata-rata, kolom rupiah tetap dijumlah.",
    '5. Boleh ada baris Rumus tepat di bawah judul kolom: satu sel berisi "Rumus" (di kolom A, atau di '
    'sel kosong di kanan tabel), atau "Rumus: kode" di kolom A bila kolom A sendiri punya aturan. Di kolom '
    "yang dihitung tulis rumusnya dengan huruf kolom, diawali tanda petik agar tidak dihitung Excel: "
    "'=D/C*100  '=B+C  '=SUM(B:M)  '=AVERAGE(C:K)  '=ROUND(D/C*100;2)  '=0,8*C+0,2*D.",
    '6. Di baris Rumus juga boleh: "cek: SUM(C:D)=SUM(E:H)" (di tiap baris sisi lain harus sama dengan '
    'sisi pertama, mis. tiap pegawai dihitung sekali per rincian); "cek: E14 = E13 - H10" (satu angka yang '
    "dihitung dari baris lain, dengan alamat sel, mis. efisiensi = rata-rata capaian - persen sarpras); "
    '"kode" (kolom kode bertitik: induk = jumlah '
    'rincian langsungnya); "abaikan" (kolom tidak diperiksa); arti baris jumlah/rata-rata di kolom itu: '
    '"total:jumlah", "total:rata", "total:rumus" (rumus kolom dihitung dari angka baris total, mis. '
    'persentase gabungan) atau "total:abaikan", dan "jumlah:..." / "rata:..." bila berlaku hanya di baris '
    'jumlah / baris rata-rata (mis. "rata:abaikan"); "skala:NAMA" (predikat yang ditulis bersama nilai, mis. '
    '"97,17 - Sangat Baik", diperiksa). Pisahkan beberapa isian dengan titik koma. Skala yang dikenal:',
    *_scale_lines(),
)


@dataclass(frozen=True)
class ValueList:
    """A closed (or user-extensible) list of allowed values for dropdowns."""

    id: str
    header: str
    values: tuple[str, ...]
    extensible: bool = False
    #: blank rows left under the values where users may add their own
    spare_rows: int = 0


@dataclass(frozen=True)
class Reference:
    """A dropdown whose values are the kode column of another table."""

    table: str
    field: str = "kode"


@dataclass(frozen=True)
class Column:
    """One column of a table sheet."""

    field: str
    header: str
    type: str
    help: str
    width: float = 14
    required: bool = False
    list: str | Reference | None = None
    #: an "as reported" figure (``*_dilaporkan``): optional, checked, shaded
    reported: bool = False
    #: a not-applicable marker ("-") is a value as printed, not a missing one (a required column)
    dash_is_value: bool = False


@dataclass(frozen=True)
class LiveCheck:
    """A typed figure the template checks while it is typed (live checks, sakip_xlsx/live.py).

    Beside the figure a visible "Cek" column says "✓" or what it should be, and a
    conditional format turns the typed cell red when it differs beyond rounding, the
    way ``check`` judges it.
    """

    field: str
    #: how the expected value is shown: "Rp" (whole rupiah), " %" or "" (a plain number)
    unit: str = ""
    #: a percentage stored as a fraction (98,71% as 0.9871) is compared as a percentage
    fraction: bool = False
    #: no expected value means nothing to check (a line without children), not "cannot compute"
    silent_without_value: bool = False
    #: also computed from the typed figures it comes from (root-cause rule, SPEC 7): equal to
    #: that value but not to the ground value, it follows a wrong typed figure and is not red
    printed: bool = False
    #: a second value computed from typed figures (``cetak2_``): efisiensi from a serapan cited on
    #: the Kutipan sheet, besides the one from the typed capaian and budget lines
    also_printed: bool = False
    #: the expected value (and the one computed from the typed figures) are computed inside the
    #: Cek formula rather than in columns of their own (a sheet whose live columns must fit in
    #: the read area, :data:`sakip_xlsx.sheetdata.READ_COLUMNS`)
    inline: bool = False


@dataclass(frozen=True)
class LiveColumn:
    """A formula column of the live checks, right of the input columns; never read as input."""

    field: str
    header: str
    #: the typed field a visible "Cek" column judges; None for a hidden helper column
    checks: str | None = None
    width: float = 26

    @property
    def hidden(self) -> bool:
        return self.checks is None


def live_columns(
    checks: tuple[LiveCheck, ...],
    reads: tuple[str, ...],
    extra: tuple[str, ...],
    headers: dict[str, str],
    after: tuple[str, ...] = (),
) -> tuple[LiveColumn, ...]:
    """The live columns of a table or cell sheet, in sheet order.

    Hidden helpers first (each numeric input read as the reader reads it; the sheet's own
    helpers; the expected value, compared value and shown decimals of each checked figure),
    then one visible "Cek" column per checked field, then the per-row flag the status line
    uses.  A figure's helpers are merged into as few formulas as Excel's limits allow (no LET:
    LibreOffice and WPS before 2023 lack it), so that a table's live columns end within the read
    area of the reader (column BL, :data:`sakip_xlsx.sheetdata.READ_COLUMNS`).  Every column depends only on columns left of it (and on other sheets): LibreOffice
    computes a workbook left to right, and a filled-down column whose inputs are computed later
    can come out 0 in its threaded group calculation.  Hidden columns take no room, so the Cek
    columns still show right beside the inputs.
    """
    read = list(dict.fromkeys((*reads, *(c.field for c in checks))))
    fractions = [check.field for check in checks if check.fraction]
    if set(fractions) & set(reads):  # pragma: no cover - a description error
        raise ValueError(f"a figure compared as a percentage is also read as an input: {fractions}")
    # each typed number: its first word (``_teks``), then its value (``_angka``); a figure that
    # may be a stored fraction holds its value as compared, which needs the expected value
    columns = [LiveColumn(f"_teks_{field_id}", f"teks {field_id}") for field_id in read]
    columns += [LiveColumn(f"_angka_{f}", f"angka {f}") for f in read if f not in fractions]
    columns += [LiveColumn(f"_{name}", name) for name in extra]
    columns += [
        LiveColumn(f"hitung_{check.field}", f"hitungan {check.field}") for check in checks if not check.inline
    ]
    columns += [LiveColumn(f"_angka_{field_id}", f"dibandingkan {field_id}") for field_id in fractions]
    columns += [LiveColumn(f"_desimal_{check.field}", f"desimal {check.field}") for check in checks]
    columns += [LiveColumn(f"_{name}", name) for name in after]
    for check in checks:
        if check.printed and not check.inline:
            columns.append(LiveColumn(f"cetak_{check.field}", f"dari angka tertulis {check.field}"))
        if check.also_printed:
            columns.append(LiveColumn(f"cetak2_{check.field}", f"dari angka tertulis (2) {check.field}"))
    columns += [LiveColumn(f"cek_{c.field}", "Cek " + headers[c.field], checks=c.field) for c in checks]
    if checks:
        columns.append(LiveColumn("_merah", "merah"))
    return tuple(columns)


@dataclass(frozen=True)
class Table:
    """A sheet holding one table, one record per row."""

    id: str
    sheet: str
    title: str
    purpose: str
    columns: tuple[Column, ...]
    #: pre-formatted rows offered to the user (more may be added below)
    rows: int = 50
    #: the field whose values must be unique (None: no key)
    key: str | None = "kode"
    required_table: bool = True

    header_row: int = HEADER_ROW
    field_row: int = FIELD_ROW
    first_data_row: int = FIRST_DATA_ROW
    #: live checks (sakip_xlsx/live.py): figures checked, numeric inputs they read, own helpers
    live_checks: tuple[LiveCheck, ...] = ()
    live_reads: tuple[str, ...] = ()
    live_extra: tuple[str, ...] = ()
    #: own helpers that use the checked figures as compared (after the expected values)
    live_after: tuple[str, ...] = ()

    @cached_property
    def live(self) -> tuple[LiveColumn, ...]:
        """The live-check columns right of the input columns (none when nothing is checked or read)."""
        if not self.live_checks and not self.live_reads:
            return ()
        headers = {column.field: column.header for column in self.columns}
        return live_columns(self.live_checks, self.live_reads, self.live_extra, headers, self.live_after)

    @cached_property
    def live_letters(self) -> dict[str, str]:
        """Live column field -> its column letter (after the input columns)."""
        return {column.field: column_letter(len(self.columns) + i) for i, column in enumerate(self.live)}

    @property
    def row_key(self) -> str:
        """The field naming a row in findings: the key, else the first kode-like column."""
        if self.key:
            return self.key
        return next((c.field for c in self.columns if c.field.endswith("kode")), self.columns[0].field)

    @cached_property
    def by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}

    def letter(self, field_id: str) -> str:
        """Column letter of a field in the template as generated."""
        return column_letter(self.columns.index(self.by_field[field_id]))

    @property
    def last_validated_row(self) -> int:
        """Last Excel row that carries the column validations."""
        return self.first_data_row + self.rows - 1 + EXTRA_VALIDATED_ROWS

    def data_range(self, field_id: str) -> str:
        """Absolute A1 range of a column's validated data area."""
        letter = self.letter(field_id)
        return f"${letter}${self.first_data_row}:${letter}${self.last_validated_row}"


@dataclass(frozen=True)
class CellField:
    """A single-cell field (identity, narrative totals)."""

    field: str
    label: str
    type: str
    help: str
    required: bool = False
    list: str | Reference | None = None
    reported: bool = False


@dataclass(frozen=True)
class CellSheet:
    """A sheet of single-cell fields, one per row."""

    id: str
    sheet: str
    title: str
    purpose: str
    fields: tuple[CellField, ...]
    #: live checks of single cells: each checked field's row gets the live columns from column E
    live_checks: tuple[LiveCheck, ...] = ()

    @cached_property
    def live(self) -> tuple[LiveColumn, ...]:
        """Live columns of the sheet: one "Cek" column and hidden helpers, per checked row."""
        if not self.live_checks:
            return ()
        printed = any(check.printed for check in self.live_checks)
        fraction = any(check.fraction for check in self.live_checks)
        layout = LiveCheck("nilai", fraction=fraction, printed=printed)
        columns = live_columns((layout,), (), (), {"nilai": "Cek"})
        return tuple(
            LiveColumn("cek", "Cek", checks=CELL_VALUE_COLUMN) if column.field == "cek_nilai" else column
            for column in columns
        )

    @cached_property
    def live_letters(self) -> dict[str, str]:
        first = column_index(CELL_FIELD_COLUMN) + 1
        return {column.field: column_letter(first + i) for i, column in enumerate(self.live)}

    def row(self, field_id: str) -> int:
        ids = [cell_field.field for cell_field in self.fields]
        return CELL_FIRST_ROW + ids.index(field_id)

    def cell(self, field_id: str) -> str:
        return f"{CELL_VALUE_COLUMN}{self.row(field_id)}"


@dataclass(frozen=True)
class TemplateDescription:
    """The whole input template: cell sheets, table sheets and value lists."""

    version: str
    cell_sheets: tuple[CellSheet, ...]
    tables: tuple[Table, ...]
    lists: tuple[ValueList, ...]
    lists_sheet: str = "Daftar"
    #: the sheet of free tables (any other numeric table of the report), see the freetables package
    free_sheet: str = "Tabel Bebas"
    rules_sheet: str = "Aturan"
    instructions_sheet: str = "Petunjuk"
    #: order of sheets in the workbook (names)
    sheet_order: tuple[str, ...] = field(default=())

    @cached_property
    def table(self) -> dict[str, Table]:
        return {table.id: table for table in self.tables}

    @cached_property
    def value_list(self) -> dict[str, ValueList]:
        return {value_list.id: value_list for value_list in self.lists}

    @cached_property
    def cell_field(self) -> dict[str, tuple[CellSheet, CellField]]:
        return {
            cell_field.field: (sheet, cell_field) for sheet in self.cell_sheets for cell_field in sheet.fields
        }

    def list_range(self, list_id: str) -> str:
        """Absolute range (with sheet) of a value list on the lists sheet."""
        index = [value_list.id for value_list in self.lists].index(list_id)
        value_list = self.lists[index]
        letter = column_letter(index)
        last = 1 + len(value_list.values) + value_list.spare_rows
        return f"'{self.lists_sheet}'!${letter}$2:${letter}${last}"

    def reference_range(self, reference: Reference) -> str:
        table = self.table[reference.table]
        return f"'{table.sheet}'!{table.data_range(reference.field)}"


# ---------------------------------------------------------------------------
# Value lists
# ---------------------------------------------------------------------------

LISTS = (
    ValueList("jenis_sasaran", "Jenis Sasaran", ("Sasaran Strategis", "Kinerja Lainnya")),
    ValueList(
        "satuan",
        "Satuan",
        (
            "%",
            "Indeks",
            "Nilai",
            "Predikat",
            "Dokumen",
            "Laporan",
            "Desa",
            "Kelurahan",
            "Orang",
            "Kegiatan",
            "Layanan",
            "Bulan",
            "Unit",
            "Paket",
            "Rupiah",
            "Kali",
        ),
        extensible=True,
        spare_rows=40,
    ),
    ValueList("polaritas", "Polaritas", ("Positif", "Negatif")),
    ValueList("ya_tidak", "Ya / Tidak", ("Ya", "Tidak")),
    ValueList("tingkat", "Tingkat", ("Program", "Kegiatan", "Sub Kegiatan")),
    ValueList(
        "sumber_dana",
        "Sumber Dana",
        ("APBD", "APBD-P", "DAK", "DAU", "DBHCHT", "Bantuan Keuangan", "Lainnya"),
        extensible=True,
        spare_rows=20,
    ),
    ValueList("versi", "Versi PK", ("Murni", "Perubahan")),
    ValueList("agregasi", "Agregasi Renstra", ("Jumlah", "Nilai Akhir", "Rata-rata")),
    ValueList(
        "sumber_renstra",
        "Sumber Renstra",
        ("Renstra", "Renstra Perubahan", "Renja", "Renja Perubahan", "Usulan Perubahan", "Lampiran"),
        extensible=True,
        spare_rows=10,
    ),
    ValueList(
        "besaran",
        "Besaran Kutipan",
        (
            "pagu",
            "realisasi",
            "selisih",
            "serapan",
            "target",
            "realisasi kinerja",
            "capaian",
            "kemajuan",
            "efisiensi",
            "alokasi",
            "persen alokasi",
            "target PK",
            "anggaran PK",
            "total pagu",
            "total realisasi",
            "total serapan",
            "total sisa",
            "total PK",
            "rata-rata capaian",
            "jumlah program",
            "jumlah kegiatan",
            "jumlah sub kegiatan",
            "jumlah indikator",
            "penduduk laki-laki",
            "penduduk perempuan",
            "penduduk total",
            "rasio jenis kelamin",
            "laju pertumbuhan penduduk",
            "jumlah indikator di atas target",
            "jumlah indikator sesuai target",
            "jumlah indikator di bawah target",
            "jumlah baris tabel",
        ),
    ),
)


# ---------------------------------------------------------------------------
# Cell sheets
# ---------------------------------------------------------------------------

IDENTITAS = CellSheet(
    id="identitas",
    sheet="Identitas",
    title="Identitas Perangkat Daerah",
    purpose="Nama pemerintah daerah, nama perangkat daerah, tahun laporan, "
    "periode Renstra dan pimpinan yang menandatangani LKjIP.",
    fields=(
        CellField("pemda", "Pemerintah daerah", "text", "Mis. Kabupaten Jombang.", required=True),
        CellField("instansi", "Perangkat daerah", "text", "Mis. Kecamatan Ngoro.", required=True),
        CellField(
            "tahun", "Tahun laporan", "year", "Tahun anggaran yang dilaporkan, mis. 2024.", required=True
        ),
        CellField("renstra_awal", "Renstra: tahun awal", "year", "Tahun pertama periode Renstra."),
        CellField("renstra_akhir", "Renstra: tahun akhir", "year", "Tahun terakhir periode Renstra."),
        CellField("kepala_nama", "Nama kepala", "text", "Nama pimpinan perangkat daerah."),
        CellField("kepala_nip", "NIP kepala", "kode", "NIP 18 digit; boleh dengan spasi."),
        CellField("kepala_jabatan", "Jabatan kepala", "text", "Mis. Camat Ngoro."),
    ),
)

RINGKASAN = CellSheet(
    id="ringkasan",
    sheet="Ringkasan",
    title="Angka Ringkasan yang Dilaporkan",
    purpose="Angka total yang ditulis di narasi atau ikhtisar LKjIP. Isi persis "
    "seperti tertulis di laporan; sakip-xlsx membandingkannya dengan hasil hitung ulang.",
    live_checks=(
        LiveCheck("total_pagu_dilaporkan", "Rp", printed=True),
        LiveCheck("total_realisasi_dilaporkan", "Rp", printed=True),
        LiveCheck("persen_serapan_dilaporkan", " %", fraction=True, printed=True),
        LiveCheck("sisa_anggaran_dilaporkan", "Rp", printed=True),
        LiveCheck("rata_capaian_dilaporkan", " %", fraction=True, printed=True),
        LiveCheck("total_pk_dilaporkan", "Rp"),
    ),
    fields=(
        CellField(
            "total_pagu_dilaporkan",
            "Total pagu anggaran (Rp)",
            "rupiah",
            "Seperti tertulis di laporan.",
            reported=True,
        ),
        CellField(
            "total_realisasi_dilaporkan",
            "Total realisasi anggaran (Rp)",
            "rupiah",
            "Seperti tertulis di laporan.",
            reported=True,
        ),
        CellField(
            "persen_serapan_dilaporkan",
            "Persentase serapan anggaran (%)",
            "percent",
            "Seperti tertulis di laporan.",
            reported=True,
        ),
        CellField(
            "sisa_anggaran_dilaporkan",
            "Sisa anggaran (Rp)",
            "rupiah",
            "Seperti tertulis di laporan.",
            reported=True,
        ),
        CellField(
            "rata_capaian_dilaporkan",
            "Rata-rata capaian kinerja (%)",
            "percent",
            "Rata-rata capaian indikator Sasaran Strategis.",
            reported=True,
        ),
        CellField(
            "total_pk_dilaporkan",
            "Total anggaran Perjanjian Kinerja (Rp)",
            "rupiah",
            "Seperti tertulis di laporan.",
            reported=True,
        ),
        CellField(
            "predikat_dilaporkan",
            "Predikat capaian kinerja",
            "text",
            "Predikat rata-rata capaian seperti tertulis, mis. Baik.",
            reported=True,
        ),
    ),
)


# ---------------------------------------------------------------------------
# Table sheets
# ---------------------------------------------------------------------------

_KODE_HELP = "Kode unik, mis. S1. Jangan dipakai dua kali."

SASARAN = Table(
    id="sasaran",
    sheet="Sasaran",
    title="Sasaran Strategis dan Kinerja Lainnya",
    purpose="Daftar sasaran dari Renstra/Perjanjian Kinerja. Kode sasaran dipakai di lembar Indikator.",
    rows=30,
    columns=(
        Column("kode", "Kode Sasaran", "kode", _KODE_HELP, width=12, required=True),
        Column(
            "jenis",
            "Jenis",
            "list",
            "Sasaran Strategis atau Kinerja Lainnya.",
            width=20,
            required=True,
            list="jenis_sasaran",
        ),
        Column(
            "uraian", "Uraian Sasaran", "text", "Rumusan sasaran seperti di Renstra.", width=60, required=True
        ),
    ),
)

INDIKATOR = Table(
    id="indikator",
    sheet="Indikator",
    title="Indikator Kinerja Sasaran",
    purpose="Indikator kinerja utama tiap sasaran: target, realisasi, data tahun lalu, "
    "target akhir Renstra, pembanding dan SDM. Kolom abu-abu (dilaporkan) diisi angka "
    "seperti tertulis di LKjIP untuk diperiksa.",
    rows=100,
    live_checks=(
        LiveCheck("capaian_dilaporkan", " %", fraction=True),
        LiveCheck("kemajuan_dilaporkan", " %", fraction=True),
        LiveCheck("efisiensi_dilaporkan", printed=True, also_printed=True),
    ),
    live_reads=("target", "target_atas", "realisasi", "target_renstra_akhir"),
    live_extra=("jenis", "rentang", "alokasi_pagu", "alokasi_realisasi", "serapan"),
    live_after=("lain_capaian", "pakai_capaian", "kutipan_baris", "kutipan_serapan"),
    columns=(
        Column("kode", "Kode Indikator", "kode", "Kode unik, mis. IK1.", width=11, required=True),
        Column(
            "sasaran_kode",
            "Kode Sasaran",
            "list",
            "Pilih kode dari lembar Sasaran.",
            width=11,
            required=True,
            list=Reference("sasaran"),
        ),
        Column("uraian", "Uraian Indikator", "text", "Nama indikator kinerja.", width=45, required=True),
        Column(
            "satuan",
            "Satuan",
            "list",
            "Pilih dari daftar; satuan baru boleh ditambah di lembar Daftar.",
            width=11,
            required=True,
            list="satuan",
        ),
        Column(
            "polaritas",
            "Polaritas",
            "list",
            "Positif: makin tinggi makin baik. Negatif: makin rendah makin baik.",
            width=10,
            required=True,
            list="polaritas",
        ),
        Column(
            "target",
            "Target",
            "target",
            "Target tahun ini. Target rentang ditulis 60 – 70 atau isi batas atas di kolom berikut.",
            width=11,
            required=True,
        ),
        Column(
            "target_atas", "Target Batas Atas", "number", "Hanya untuk target rentang: batas atas.", width=11
        ),
        Column("realisasi", "Realisasi", "number", "Realisasi tahun ini.", width=11, required=True),
        Column(
            "target_renstra_akhir",
            "Target Akhir Renstra",
            "target",
            "Target tahun terakhir Renstra.",
            width=11,
        ),
        Column(
            "kumulatif",
            "Realisasi Kumulatif?",
            "list",
            "Ya bila realisasi dihitung s/d tahun ini.",
            width=11,
            list="ya_tidak",
        ),
        Column(
            "agregasi",
            "Agregasi Renstra",
            "list",
            "Cara target tahunan Renstra menjadi kondisi akhir: Jumlah, Nilai Akhir (indeks, persen) atau Rata-rata.",
            width=12,
            list="agregasi",
        ),
        Column("realisasi_lalu_1", "Realisasi Tahun n-1", "number", "Realisasi tahun lalu.", width=11),
        Column("realisasi_lalu_2", "Realisasi Tahun n-2", "number", "Realisasi dua tahun lalu.", width=11),
        Column("realisasi_lalu_3", "Realisasi Tahun n-3", "number", "Realisasi tiga tahun lalu.", width=11),
        Column(
            "pembanding_kabupaten",
            "Pembanding Kabupaten",
            "number",
            "Capaian rata-rata kabupaten untuk indikator yang sama.",
            width=12,
        ),
        Column("pembanding_provinsi", "Pembanding Provinsi", "number", "Capaian provinsi.", width=12),
        Column("pembanding_nasional", "Pembanding Nasional", "number", "Capaian nasional.", width=12),
        Column(
            "kebutuhan_sdm", "Kebutuhan SDM (orang)", "number", "Jumlah pegawai yang dibutuhkan.", width=11
        ),
        Column(
            "ketersediaan_sdm",
            "Ketersediaan SDM (orang)",
            "number",
            "Jumlah pegawai yang tersedia.",
            width=11,
        ),
        Column(
            "capaian_dilaporkan",
            "Capaian Dilaporkan (%)",
            "percent",
            "Capaian seperti tertulis di LKjIP.",
            width=12,
            reported=True,
        ),
        Column(
            "kemajuan_dilaporkan",
            "Tingkat Kemajuan Dilaporkan (%)",
            "percent",
            "Capaian terhadap target akhir Renstra seperti tertulis.",
            width=12,
            reported=True,
        ),
        Column(
            "efisiensi_dilaporkan",
            "Efisiensi Dilaporkan",
            "percent",
            "Efisiensi seperti tertulis di LKjIP.",
            width=12,
            reported=True,
        ),
        Column(
            "predikat_dilaporkan",
            "Predikat Dilaporkan",
            "text",
            "Predikat/kategori capaian seperti tertulis, mis. Sangat Baik.",
            width=14,
            reported=True,
        ),
    ),
)

ANGGARAN = Table(
    id="anggaran",
    sheet="Anggaran",
    title="Program, Kegiatan dan Sub Kegiatan: Pagu dan Realisasi",
    purpose="Satu baris per program, kegiatan dan sub kegiatan (urut: program, kegiatannya, "
    "sub kegiatannya). Pagu dan realisasi sub kegiatan wajib; baris program dan kegiatan "
    "boleh dikosongkan (dihitung otomatis) atau diisi (diperiksa terhadap jumlah rinciannya).",
    rows=500,
    live_checks=(
        LiveCheck("pagu", "Rp", silent_without_value=True, printed=True, inline=True),
        LiveCheck("realisasi", "Rp", silent_without_value=True, printed=True, inline=True),
        LiveCheck("selisih_dilaporkan", "Rp", printed=True, inline=True),
        LiveCheck("persen_dilaporkan", " %", fraction=True, printed=True, inline=True),
        LiveCheck("capaian_dilaporkan", " %", fraction=True),
    ),
    live_reads=("target", "realisasi_kinerja"),
    live_extra=(
        "tingkat",
        "grup1",
        "grup2",
        "rinci_pagu",
        "rinci_realisasi",
        "dasar_pagu",
        "dasar_realisasi",
        "program",
        "nama_program",
        "tautan",
    ),
    live_after=("lain_pagu", "lain_realisasi", "pakai_pagu", "pakai_realisasi"),
    columns=(
        Column(
            "kode",
            "Kode Rekening",
            "kode",
            "Kode Permendagri 90/2019, mis. 7.01.01.2.01.0001. Boleh kosong bila laporan tidak mencantumkan.",
            width=20,
        ),
        Column(
            "tingkat",
            "Tingkat",
            "list",
            "Program, Kegiatan atau Sub Kegiatan.",
            width=13,
            required=True,
            list="tingkat",
        ),
        Column(
            "uraian", "Uraian", "text", "Nama program / kegiatan / sub kegiatan.", width=45, required=True
        ),
        Column(
            "indikator_kode",
            "Kode Indikator Didukung",
            "list",
            "Indikator di lembar Indikator yang didukung anggaran ini.",
            width=11,
            list=Reference("indikator"),
        ),
        Column(
            "indikator_keluaran",
            "Indikator Keluaran / Hasil",
            "text",
            "Indikator kinerja baris ini sendiri.",
            width=35,
        ),
        Column("satuan", "Satuan", "list", "Satuan indikator keluaran.", width=11, list="satuan"),
        Column("target", "Target Kinerja", "target", "Target indikator keluaran.", width=11),
        Column("realisasi_kinerja", "Realisasi Kinerja", "number", "Realisasi indikator keluaran.", width=11),
        Column("pagu", "Pagu (Rp)", "rupiah", "Anggaran setelah perubahan (DPA).", width=17),
        Column("realisasi", "Realisasi (Rp)", "rupiah", "Anggaran yang terserap.", width=17),
        Column("sumber_dana", "Sumber Dana", "list", "Pilih dari daftar.", width=12, list="sumber_dana"),
        Column(
            "selisih_dilaporkan",
            "Selisih Dilaporkan (Rp)",
            "rupiah",
            "Sisa anggaran seperti tertulis.",
            width=16,
            reported=True,
        ),
        Column(
            "persen_dilaporkan",
            "Serapan Dilaporkan (%)",
            "percent",
            "Persentase realisasi seperti tertulis.",
            width=12,
            reported=True,
        ),
        Column(
            "capaian_dilaporkan",
            "Capaian Kinerja Dilaporkan (%)",
            "percent",
            "Capaian indikator keluaran seperti tertulis.",
            width=12,
            reported=True,
        ),
        Column(
            "agregasi",
            "Agregasi Renstra",
            "list",
            "Cara target tahunan Renstra menjadi kondisi akhir.",
            width=12,
            list="agregasi",
        ),
        Column(
            "target_renstra_akhir",
            "Target Akhir Renstra",
            "target",
            "Untuk analisis program: target indikator program pada akhir Renstra.",
            width=11,
        ),
        Column(
            "pembanding_kabupaten",
            "Pembanding Kabupaten",
            "number",
            "Untuk analisis program: capaian kabupaten.",
            width=11,
        ),
        Column(
            "pembanding_provinsi",
            "Pembanding Provinsi",
            "number",
            "Untuk analisis program: capaian provinsi.",
            width=11,
        ),
        Column(
            "pembanding_nasional",
            "Pembanding Nasional",
            "number",
            "Untuk analisis program: capaian nasional.",
            width=11,
        ),
        Column(
            "kebutuhan_sdm",
            "Kebutuhan SDM (orang)",
            "number",
            "Untuk analisis program: pegawai yang dibutuhkan.",
            width=11,
        ),
        Column(
            "ketersediaan_sdm",
            "Ketersediaan SDM (orang)",
            "number",
            "Untuk analisis program: pegawai yang tersedia.",
            width=11,
        ),
        Column(
            "kemajuan_dilaporkan",
            "Tingkat Kemajuan Dilaporkan (%)",
            "percent",
            "Capaian program terhadap target akhir Renstra seperti tertulis.",
            width=12,
            reported=True,
        ),
        Column(
            "efisiensi_dilaporkan",
            "Efisiensi Dilaporkan",
            "percent",
            "Efisiensi program seperti tertulis.",
            width=12,
            reported=True,
        ),
    ),
)

PK_ANGGARAN = Table(
    id="pk_anggaran",
    sheet="PK Anggaran",
    title="Anggaran Program dalam Perjanjian Kinerja",
    purpose="Anggaran per program seperti tercantum di dokumen Perjanjian Kinerja (murni dan perubahan).",
    rows=40,
    live_checks=(LiveCheck("anggaran", "Rp", silent_without_value=True, printed=True),),
    live_extra=("nama", "program_baris"),
    key=None,
    required_table=False,
    columns=(
        Column(
            "program_kode",
            "Kode Program",
            "list",
            "Pilih kode program dari lembar Anggaran.",
            width=14,
            list=Reference("anggaran"),
        ),
        Column("uraian", "Uraian Program", "text", "Nama program seperti di PK.", width=50, required=True),
        Column("anggaran", "Anggaran PK (Rp)", "rupiah", "Anggaran program di PK.", width=18, required=True),
        Column("versi", "Versi", "list", "Murni atau Perubahan.", width=12, required=True, list="versi"),
        Column("keterangan", "Keterangan", "text", "Catatan bebas.", width=30),
    ),
)

PENDUDUK = Table(
    id="penduduk",
    sheet="Penduduk",
    title="Jumlah Penduduk menurut Jenis Kelamin",
    purpose="Jumlah penduduk laki-laki dan perempuan per tahun (boleh dikosongkan).",
    rows=12,
    live_checks=(
        LiveCheck("total_dilaporkan", silent_without_value=True),
        LiveCheck("rasio_dilaporkan", silent_without_value=True),
    ),
    live_reads=("laki_laki", "perempuan"),
    key="tahun",
    required_table=False,
    columns=(
        Column("tahun", "Tahun", "year", "Tahun data.", width=10, required=True),
        Column(
            "laki_laki", "Laki-laki (jiwa)", "integer", "Jumlah penduduk laki-laki.", width=14, required=True
        ),
        Column(
            "perempuan", "Perempuan (jiwa)", "integer", "Jumlah penduduk perempuan.", width=14, required=True
        ),
        Column(
            "total_dilaporkan",
            "Total Dilaporkan (jiwa)",
            "integer",
            "Jumlah seperti tertulis.",
            width=14,
            reported=True,
        ),
        Column(
            "rasio_dilaporkan",
            "Rasio Jenis Kelamin Dilaporkan",
            "number",
            "Laki-laki per 100 perempuan seperti tertulis.",
            width=14,
            reported=True,
        ),
    ),
)

RENSTRA = Table(
    id="renstra",
    sheet="Renstra",
    title="Matriks Renstra / Renja: Target dan Pagu per Tahun",
    purpose="Target dan pagu tiap tahun periode Renstra (atau Renja) untuk indikator dan "
    "program/kegiatan/sub kegiatan. Satu baris per kode per tahun (per sumber bila rencana dicetak lebih "
    "dari sekali). Sub kegiatan yang tidak dianggarkan tahun ini tetap ditulis dengan kode lengkapnya: "
    "ditempatkan di bawah induknya menurut awalan kode. Kondisi akhir seperti tertulis diisi di kolom "
    "abu-abu (boleh di baris mana saja dari kode itu).",
    rows=200,
    key=None,
    required_table=False,
    columns=(
        Column(
            "kode",
            "Kode / Uraian",
            "kode",
            "Kode indikator (lembar Indikator) atau kode rekening (lembar Anggaran); bila laporan tanpa kode, tulis uraiannya persis.",
            width=24,
            required=True,
        ),
        Column(
            "tahun",
            "Tahun",
            "year",
            "Tahun target/pagu. Kosongkan pada baris yang hanya berisi kondisi akhir.",
            width=9,
        ),
        Column("target", "Target", "target", "Target tahun ini menurut Renstra/Renja.", width=11),
        Column("pagu", "Pagu (Rp)", "rupiah", "Pagu tahun ini menurut Renstra/Renja.", width=17),
        Column(
            "target_akhir_dilaporkan",
            "Target Kondisi Akhir Dilaporkan",
            "target",
            "Target akhir periode seperti tertulis.",
            width=12,
            reported=True,
        ),
        Column(
            "pagu_akhir_dilaporkan",
            "Pagu Total Periode Dilaporkan (Rp)",
            "rupiah",
            "Jumlah pagu seluruh periode seperti tertulis.",
            width=17,
            reported=True,
        ),
        Column(
            "sumber",
            "Sumber (Cetakan)",
            "list",
            "Dari bagian mana baris ini disalin bila rencana dicetak lebih dari sekali: Renstra, Renstra "
            "Perubahan, Renja, Usulan Perubahan, ... Kosong = Renstra. Tiap sumber dijumlah sendiri; kode dan "
            "tahun yang sama dari sumber berbeda dibandingkan.",
            width=16,
            list="sumber_renstra",
        ),
    ),
)

KUTIPAN = Table(
    id="kutipan",
    sheet="Kutipan",
    title="Angka yang Dikutip Ulang di Bagian Lain Laporan",
    purpose="Setiap angka yang ditulis ulang di tabel lain, narasi atau ikhtisar: di mana, besaran apa, "
    "milik kode mana, dan nilainya seperti tertulis. Dibandingkan dengan nilai yang benar. Isi Kode menurut "
    "besarannya: pagu, realisasi, selisih, serapan, target, realisasi kinerja, capaian, kemajuan, efisiensi = "
    "kode baris Anggaran atau indikator (IK1); capaian sasaran = kode sasaran (S1: rata-rata capaian "
    "indikatornya); tahun lalu = kode@tahun (IK1@2020: realisasi kinerja, target Renstra, capaian); jumlah "
    'beberapa baris = kode+kode atau kode..kode ("s/d") untuk pagu, realisasi, selisih, serapan; alokasi '
    "dan persen alokasi = kode indikator atau sasaran; anggaran PK = kode atau uraian program; total PK = "
    "Murni atau Perubahan (kosong = versi terakhir); penduduk, rasio jenis kelamin, laju pertumbuhan "
    "penduduk = tahun (2021); laju pertumbuhan rata-rata beberapa tahun = rentang tahun (2016-2021: "
    "rata-rata laju tahunan, atau metode geometrik BPS); jumlah baris tabel (mis. jumlah layanan pada tabel "
    "IKM, jumlah desa) = judul tabel di lembar Tabel Bebas seperti di baris judulnya (atau awal judulnya), "
    'atau nomornya (Tabel 3.18): dihitung baris datanya yang berisi angka atau "-", tanpa baris Rumus, baris '
    "jumlah / rata-rata dan baris kelompok tanpa angka; efisiensi laporan (rata-rata capaian dan serapan "
    "total), total lain, rata-rata capaian dan jumlah lainnya (program, indikator di atas / sesuai / di bawah "
    "target, ...) = kosong.",
    rows=300,
    # read live (not checked live): a serapan cited here is what an indicator's efisiensi may follow
    live_reads=("nilai",),
    live_extra=("desimal_nilai", "serapan_dibanding", "serapan"),
    key=None,
    required_table=False,
    columns=(
        Column(
            "lokasi",
            "Lokasi dalam Laporan",
            "text",
            "Mis. Tabel 3.9 baris 1, atau Bab IV alinea 2.",
            width=28,
            required=True,
        ),
        Column(
            "besaran",
            "Besaran",
            "list",
            "Apa yang dikutip: pagu, capaian, total pagu, dst.",
            width=18,
            required=True,
            list="besaran",
        ),
        Column(
            "kode",
            "Kode / Uraian / Tahun",
            "kode",
            "Kode anggaran, indikator atau sasaran (atau uraiannya); kode@tahun untuk tahun lalu (IK1@2020); "
            "kode+kode atau kode..kode untuk beberapa baris; tahun untuk penduduk; Murni/Perubahan untuk total "
            "PK; judul tabel untuk jumlah baris tabel; kosong untuk total.",
            width=22,
        ),
        Column(
            "nilai",
            "Nilai Tertulis",
            "number",
            'Angka seperti tertulis di lokasi itu ("-" bila laporan menulis "-").',
            width=17,
            required=True,
            dash_is_value=True,
        ),
        Column("keterangan", "Keterangan", "text", "Catatan bebas.", width=24),
    ),
)


TEMPLATE = TemplateDescription(
    version=TEMPLATE_VERSION,
    cell_sheets=(IDENTITAS, RINGKASAN),
    tables=(SASARAN, INDIKATOR, ANGGARAN, PK_ANGGARAN, PENDUDUK, RENSTRA, KUTIPAN),
    lists=LISTS,
    sheet_order=(
        "Petunjuk",
        "Identitas",
        "Sasaran",
        "Indikator",
        "Anggaran",
        "PK Anggaran",
        "Ringkasan",
        "Penduduk",
        "Renstra",
        "Kutipan",
        "Tabel Bebas",
        "Daftar",
        "Aturan",
    ),
)
