"""Findings: what the reader and the checks report, in one flat shape.

The Checks sheet, the JSON output, the text report and the tests all use
``Finding.to_dict()``; the catalogue below gives every code its class,
default severity and Indonesian title (the docs list is generated from it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
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
        # root cause and consequences (SPEC 7: one wrong figure, one error)
        Kind("follows-root", "consequence", "warning", "Akibat angka lain yang salah"),
        Kind(
            "right-by-ground", "consequence", "warning", "Benar menurut rinciannya; angka tertulis lain salah"
        ),
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
    #: a consequence (or a figure right by its ground beside a wrong typed one): ``Sheet!A1`` of its root
    caused_by: str | None = None
    #: a root: ``Sheet!A1`` of the findings it causes
    consequences: tuple[str, ...] = dataclasses.field(default=())
    #: a consequence: the error it is when its root turns out to carry no error (see :func:`link_causes`)
    fallback: Finding | None = dataclasses.field(default=None, repr=False, compare=False)
    #: findings with the same ``cause`` (not None) are one finding listing their cells (see :func:`group_same_cause`)
    cause: str | None = dataclasses.field(default=None, repr=False, compare=False)
    #: the message of the grouped finding: ``{count}`` and ``{cells}`` are filled in
    group_message: str | None = dataclasses.field(default=None, repr=False, compare=False)

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
        data = {
            name: getattr(self, name)
            for name in (
                "code",
                "severity",
                "message",
                "sheet",
                "cell",
                "table",
                "row_key",
                "field",
                "stated",
                "expected",
                "difference",
                "hint",
            )
        }
        data["cells"] = list(self.cells)
        data["caused_by"] = self.caused_by
        data["consequences"] = list(self.consequences)
        return data


def finding(code: str, message: str, severity: str | None = None, **where: Any) -> Finding:
    """A finding of ``code`` with its catalogue severity unless given."""
    return Finding(code=code, severity=severity or KINDS[code].severity, message=message, **where)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for item in findings:
        counts[item.severity] += 1
    return counts


def link_causes(findings: list[Finding]) -> list[Finding]:
    """Point every consequence at its root error and give each root the list of its consequences.

    A consequence may follow a typed figure that is itself a consequence (a program's % follows
    its typed pagu, which follows a wrong kegiatan row): ``caused_by`` is followed to the figure
    carrying the error.  A consequence whose chain ends at no error is reported as the error it
    would have been (its ``fallback``): a wrong figure always gets an error somewhere.
    Roots come first, each followed by its consequences; the rest keep their order.
    """
    if not any(item.caused_by for item in findings):
        return findings
    at: dict[str, list[Finding]] = {}
    for item in findings:
        if item.sheet and item.cell:
            at.setdefault(item.location, []).append(item)

    def root_of(start: str) -> str | None:
        seen: set[str] = set()
        location: str | None = start
        while location is not None and location not in seen:
            seen.add(location)
            here = at.get(location, [])
            if any(item.severity == "error" for item in here):
                return location
            location = next((item.caused_by for item in here if item.code == "follows-root"), None)
        return None

    linked: list[Finding] = []
    for item in findings:
        if item.caused_by is None:
            linked.append(item)
            continue
        root = root_of(item.caused_by)
        if root is not None:
            linked.append(replace(item, caused_by=root))
        elif item.fallback is not None:
            linked.append(item.fallback)
        else:
            linked.append(replace(item, caused_by=None))
    caused: dict[str, list[Finding]] = {}
    for item in linked:
        if item.caused_by:
            caused.setdefault(item.caused_by, []).append(item)
    ordered: list[Finding] = []
    placed: set[int] = set()
    for item in linked:
        if item.caused_by and item.caused_by in at:
            continue  # placed under its root
        if item.severity == "error" and item.location in caused and id(item) not in placed:
            followers = caused.pop(item.location)
            ordered.append(replace(item, consequences=tuple(f.location for f in followers)))
            ordered.extend(followers)
            placed.add(id(item))
        else:
            ordered.append(item)
    return ordered


def group_same_cause(findings: list[Finding]) -> list[Finding]:
    """One finding, listing its ``cells``, for findings that share one ``cause`` (one blank column
    behind many figures that cannot be recomputed, one linking habit behind many rows)."""
    groups: dict[str, list[Finding]] = {}
    for item in findings:
        if item.cause is not None:
            groups.setdefault(item.cause, []).append(item)
    if not any(len(same) > 1 for same in groups.values()):
        return findings
    out: list[Finding] = []
    for item in findings:
        same = groups.get(item.cause) if item.cause is not None else None
        if same is None or len(same) == 1:
            out.append(item)
            continue
        if item is not same[0]:
            continue
        cells = tuple(f.cell for f in same if f.cell)
        shown = ", ".join(cells[:12]) + (f" dan {len(cells) - 12} sel lain" if len(cells) > 12 else "")
        template = item.group_message or "{count} sel dengan sebab yang sama ({cells}). Contoh: {first}"
        message = template.format(count=len(same), cells=shown, first=item.message)
        out.append(replace(item, message=message, cells=cells, stated=None, expected=None, difference=None))
    return out


def roots_first(findings: list[Finding], key=None) -> list[Finding]:
    """Findings sorted by ``key`` (default: as given), each root error followed by the findings it
    causes (those whose ``caused_by`` is its cell), in their own order."""
    located = {item.location for item in findings if item.severity == "error" and item.sheet and item.cell}
    followers: dict[str, list[Finding]] = {}
    top: list[Finding] = []
    for item in findings:
        if item.caused_by and item.caused_by in located:
            followers.setdefault(item.caused_by, []).append(item)
        else:
            top.append(item)
    if key is not None:
        top = sorted(top, key=key)
        followers = {root: sorted(items, key=key) for root, items in followers.items()}
    out: list[Finding] = []
    for item in top:
        out.append(item)
        if item.severity == "error":
            out.extend(followers.pop(item.location, []))
    for items in followers.values():  # a root location with no error finding left: keep them anyway
        out.extend(items)
    return out


def count_roots(findings: list[Finding]) -> tuple[int, int]:
    """(errors, consequences): every error is a root; a consequence is a finding caused by one."""
    errors = sum(1 for item in findings if item.severity == "error")
    consequences = sum(1 for item in findings if item.caused_by)
    return errors, consequences
