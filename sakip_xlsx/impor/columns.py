"""A printed table's header: which rows are header, and what each column holds.

Recognition goes by the words of the column headers (Target, Realisasi,
Capaian, Pagu, Anggaran, %, Selisih, Laki-laki, ...), never by a table's
number.  A header may span several rows (a group header such as "ANGGARAN"
above "ALOKASI | REALISASI | CAPAIAN"); the group's words qualify the columns
under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..values import UnreadableValue, parse_value

_YEAR = re.compile(r"^(?:th\.?|tahun|ta\.?)?\s*((?:19|20)\d\d)$", re.IGNORECASE)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$|^\d{1,2}\s*=.*$|^\(\d{1,2}\)\s*=.*$")
_HAS_DIGIT = re.compile(r"\d")
_NUMBERING = re.compile(r"^\(?([0-9]{1,2}|[IVX]{1,5}|[a-z])[.)]?\)?$", re.IGNORECASE)


def is_numbering(text: str) -> bool:
    """A cell holding only a row number such as ``1``, ``1.``, ``I.``, ``a)``."""
    return bool(_NUMBERING.match(text.strip())) or text.strip() in ("-", "–", "—")


def numeric(text: str) -> bool:
    """A cell that holds a figure (an amount, a percent, a number with a unit, a dash for none)."""
    text = text.strip()
    if not text or not _HAS_DIGIT.search(text):
        return False
    if _YEAR.match(text) or _COLUMN_NUMBER.match(text):
        return False
    try:
        parsed = parse_value(text, "target")
    except UnreadableValue:
        return False
    return parsed.kind in ("number", "range")


def numeric_cells(text: str) -> bool:
    """A cell holding one figure, or several figures side by side (merged rows)."""
    if numeric(text):
        return True
    tokens = text.split()
    return len(tokens) > 1 and all(numeric(token) for token in tokens)


def _numbering_row(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    return bool(filled) and all(_COLUMN_NUMBER.match(cell) for cell in filled)


def is_data(row: list[str]) -> bool:
    return any(numeric(cell) for cell in row[1:]) or (bool(row) and numeric(row[0]) and len(row) == 1)


@dataclass
class Header:
    """The header of a table and the role of each column."""

    labels: list[str]
    #: role -> column indexes, left to right
    roles: dict[str, list[int]] = field(default_factory=dict)
    #: column index -> year named in its header, if any
    years: dict[int, int] = field(default_factory=dict)
    header_rows: int = 0

    def first(self, role: str) -> int | None:
        columns = self.roles.get(role)
        return columns[0] if columns else None

    def has(self, *roles: str) -> bool:
        return all(role in self.roles for role in roles)


MAX_HEADER_ROWS = 4
_MONEY_WORDS = ("anggaran", "rp", "pagu", "alokasi", "dana", "biaya")


#: header words a narrow cell may break inside ("Realisa" over "si"): joined again when the pieces make one
_HEADER_WORDS = frozenset(
    "realisasi anggaran capaian indikator kegiatan program sasaran target perempuan efisiensi kemajuan "
    "selisih keterangan persentase prosentase penyerapan serapan uraian renstra kabupaten provinsi "
    "nasional alokasi tahun jumlah total kinerja pagu laki ketersediaan kebutuhan pendidikan kelamin "
    "golongan eselon pangkat standar evaluasi bobot".split()
)


def header_words(text: str) -> str:
    """The words of a header cell, lower case, " "-delimited, words broken in a narrow cell joined again."""
    return _words(text)


def _words(text: str) -> str:
    tokens = re.sub(r"[^0-9a-z%]+", " ", text.lower()).split()
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1] not in _HEADER_WORDS and joined[-1] + token in _HEADER_WORDS:
            joined[-1] += token
        else:
            joined.append(token)
    return " " + " ".join(joined) + " "


_SMALL_COUNT = re.compile(r"^\d{1,3}$")


def _count_row(row: list[str]) -> bool:
    """A row of small counts beside its label ("Camat | 1 | 1 | - | 2"): data, though each count alone could
    be a column number."""
    return sum(1 for cell in row[1:] if _SMALL_COUNT.match(cell.strip())) >= 2 and any(
        cell.strip() and not _HAS_DIGIT.search(cell) and cell.strip() not in ("-", "–", "—") for cell in row
    )


def split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Header rows (words, numbering rows) and data rows of a table."""
    count = None
    for index, row in enumerate(rows[: MAX_HEADER_ROWS + 2]):
        if (is_data(row) or _count_row(row)) and not _numbering_row(row):
            count = index
            break
    if count is None:
        count = min(len(rows), 1) if len(rows) > MAX_HEADER_ROWS + 2 else len(rows)
    header = [row for row in rows[:count] if not _numbering_row(row)]
    return header, rows[count:]


def analyse(rows: list[list[str]]) -> tuple[Header, list[list[str]]]:
    """The header of a table and its data rows."""
    header_rows, data = split_header(rows)
    if header_rows:
        width = max(
            (max((i for i, cell in enumerate(row) if cell), default=-1) + 1 for row in header_rows), default=0
        )
    else:
        width = max((len(row) for row in rows), default=0)
    parts: list[list[str]] = [[] for _ in range(width)]
    for level, row in enumerate(header_rows):
        padded = (row + [""] * (width - len(row)))[:width]
        group = ""
        for index, cell in enumerate(padded):
            below = any(index < len(lower) and lower[index] for lower in header_rows[level + 1 :])
            if cell:
                group = cell
                parts[index].append(cell)
            elif group and below:
                parts[index].append(group)  # a group header spanning this column
            else:
                group = "" if not below else group
    labels = [" ".join(column) for column in parts]
    header = Header(labels, header_rows=len(header_rows))
    for index, column in enumerate(parts):
        if not column:
            continue
        own = _words(column[-1])
        whole = _words(" ".join(column))
        year = re.findall(r"(?:19|20)\d\d", " ".join(column))
        if year:
            header.years[index] = int(year[-1])
        role = _role(own, whole) or _role(whole, whole)
        if role:
            header.roles.setdefault(role, []).append(index)
    _money_after_pagu(header)
    return header, data


def _role(own: str, whole: str) -> str | None:
    money = any(f" {word} " in whole for word in _MONEY_WORDS) or "(rp" in whole or " rp." in whole
    if own.strip() in ("no", "no.", "nomor", "nomer"):
        return "no"
    if " kode " in own:
        return "kode"
    if " laki" in own:
        return "laki"
    if " perempuan " in own or " wanita " in own:
        return "perempuan"
    if "ratio" in own or " rasio " in own:
        return "rasio"
    if " efisiensi " in own:
        return None if " sdm " in whole or " sarana " in whole or " manusia " in whole else "efisiensi"
    if " kemajuan " in own or " s d " in own and "capaian" in own:
        return "kemajuan"
    if " selisih " in own or " sisa " in own:
        return "selisih"
    if " sumber dana " in whole or own.strip() in ("ket", "ket.", "keterangan"):
        return "keterangan"
    if " indikator " in own:
        return "indikator"
    if money:
        if " realisasi " in own or " penyerapan " in own or " serapan " in own:
            return "realisasi_rp"
        if " % " in own or " capaian " in own or " prosentase " in own or " persentase " in own:
            if (
                " anggaran " in own
                and " % " in own
                and " capaian " not in own
                and " realisasi " not in whole
                and " serapan " not in whole
            ):
                return "persen_alokasi"
            return "persen_rp"
        return "pagu"
    if " target " in own:
        if " akhir " in own or " renstra " in own or " rpjmd " in own:
            return "target_akhir"
        return "target"
    if " realisasi " in own:
        for scope in ("kabupaten", "provinsi", "nasional"):
            if f" {scope} " in own:
                return f"pembanding_{scope}"
        return "realisasi"
    if " capaian " in own or " % " in own or " prosentase " in own or " persentase " in own:
        return "capaian"
    if " sub kegiatan " in own and " program " not in own:
        return "sub_kegiatan"
    if own.strip() == "kegiatan":
        return "kegiatan"
    if " program " in own or " kegiatan " in own or " uraian " in own:
        return "uraian"
    if " sasaran " in own:
        return "sasaran"
    if " tahun " in own:
        return "tahun"
    if " total " in own or " jumlah " in own:
        return "total"
    return None


def _money_after_pagu(header: Header) -> None:
    """In a budget table, Realisasi and % after the pagu column are amounts and serapan."""
    pagu = header.first("pagu")
    if pagu is None:
        return
    for role, money_role in (("realisasi", "realisasi_rp"), ("capaian", "persen_rp")):
        later = [index for index in header.roles.get(role, []) if index > pagu]
        if later:
            header.roles.setdefault(money_role, []).extend(later)
            header.roles[money_role].sort()
            header.roles[role] = [index for index in header.roles[role] if index not in later]
            if not header.roles[role]:
                del header.roles[role]
    for index, label in enumerate(header.labels):
        if index > pagu and label.strip() in ("%", "(%)") and index not in header.roles.get("persen_rp", []):
            header.roles.setdefault("persen_rp", []).append(index)


def header_roles(row: list[str]) -> int:
    """How many cells of a row name a known column (Target, Realisasi, Program, ...): a header has several."""
    count = 0
    for cell in row:
        if cell and not numeric(cell):
            words = _words(cell)
            if _role(words, words):
                count += 1
    return count
