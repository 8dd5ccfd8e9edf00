"""Findings: what the reader and the checks report, in one flat shape.

The Checks sheet, the JSON output, the text report and the tests all use
``Finding.to_dict()``; the catalogue below gives every code its class,
default severity and Indonesian title (the docs list is generated from it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Kind:
    """One kind of finding."""

    code: str
    group: str
    severity: str
    title: str


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        # input
        Kind("unreadable-value", "input", "error", "Nilai tidak terbaca"),
        Kind("ambiguous-value", "input", "info", "Nilai dibaca dengan tebakan"),
        Kind("required-missing", "input", "error", "Isian wajib kosong"),
        Kind("value-not-in-list", "input", "error", "Nilai tidak ada di daftar pilihan"),
        Kind("duplicate-kode", "input", "error", "Kode ganda"),
        Kind("unknown-reference", "input", "error", "Kode rujukan tidak dikenal"),
        Kind("orphan-budget-line", "input", "error", "Baris anggaran tanpa induk"),
        Kind("satuan-mismatch", "input", "warning", "Satuan berbeda"),
        Kind("negative-amount", "input", "error", "Jumlah uang negatif"),
        Kind("missing-column", "input", "error", "Kolom tidak ditemukan"),
        Kind("missing-sheet", "input", "error", "Lembar tidak ditemukan"),
        Kind("empty-table", "input", "warning", "Tabel kosong"),
        Kind("macro-workbook", "input", "warning", "Berkas berisi makro"),
        Kind("no-value", "input", "warning", "Tidak dapat dihitung"),
        Kind("formula-without-value", "input", "warning", "Rumus tanpa nilai tersimpan"),
        Kind("outside-area", "input", "warning", "Isi sel di luar area yang dibaca"),
        Kind("duplicate-sheet", "input", "error", "Dua lembar untuk satu lembar template"),
        # sum
        Kind("sum-mismatch", "sum", "error", "Jumlah tidak sama dengan rinciannya"),
        Kind("total-mismatch", "sum", "error", "Total ringkasan tidak sama dengan tabel"),
        # ratio
        Kind("ratio-mismatch", "ratio", "error", "Persentase / capaian salah hitung"),
        # difference
        Kind("difference-mismatch", "difference", "error", "Selisih / efisiensi salah hitung"),
        # share-sum
        Kind("share-sum", "share-sum", "error", "Jumlah porsi anggaran bukan 100%"),
        Kind("overlapping-allocation", "share-sum", "warning", "Alokasi anggaran tumpang tindih"),
        # cross-table
        Kind("pk-budget-mismatch", "cross-table", "error", "Anggaran PK berbeda dengan pagu DPA"),
        Kind("citation-mismatch", "cross-table", "error", "Angka kutipan berbeda dengan nilai sebenarnya"),
        Kind("renstra-mismatch", "cross-table", "error", "Angka Renstra/Renja tidak konsisten"),
        # labels
        Kind("label-mismatch", "label", "error", "Predikat tidak sesuai nilainya"),
        # plausibility
        Kind("realisasi-over-pagu", "plausibility", "warning", "Realisasi melebihi pagu"),
        Kind("capaian-implausible", "plausibility", "warning", "Capaian tidak wajar"),
        Kind("realisasi-jump", "plausibility", "info", "Realisasi jauh dari tahun lalu"),
        # rounding
        Kind("rounding", "rounding", "info", "Beda pembulatan"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One thing found wrong (or worth knowing) in a submitted workbook."""

    code: str
    severity: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    table: str | None = None
    row_key: str | None = None
    field: str | None = None
    stated: Any = None
    expected: Any = None
    difference: float | None = None
    hint: str | None = None
    cells: tuple[str, ...] = dataclasses.field(default=())

    def __post_init__(self) -> None:
        if self.code not in KINDS:
            raise ValueError(f"unknown finding code {self.code!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def kind(self) -> Kind:
        return KINDS[self.code]

    @property
    def location(self) -> str:
        """``Sheet!F12`` or just the sheet."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def to_dict(self) -> dict[str, Any]:
        """The flat form used by JSON, the Checks sheet and tests."""
        data = asdict(self)
        data["cells"] = list(self.cells)
        return data


def finding(code: str, message: str, severity: str | None = None, **where: Any) -> Finding:
    """A finding of ``code`` with its catalogue severity unless given."""
    return Finding(code=code, severity=severity or KINDS[code].severity, message=message, **where)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for item in findings:
        counts[item.severity] += 1
    return counts
