"""Recognise the parts of an LKjIP in the document model.

Every part is found by its headings and column headers, never by a fixed
table number: identity (instansi, pemda, tahun, kepala) from the cover and
the signature; indicator tables (Indikator + Target + Realisasi); budget
tables (an amount column and a Realisasi amount or serapan %), their lines'
level taken from the kode depth, a "Program:" / "Kegiatan:" label, roman or
arabic numbering or separate Program / Kegiatan / Sub Kegiatan columns; the
PK budget (Program + one Anggaran column under a Perjanjian Kinerja heading);
population tables (Laki-laki / Perempuan); the Ringkasan sentences ("pagu
anggaran ... sebesar Rp ... realisasi ... Rp ... atau ... %").  Figures are
kept exactly as printed.  What is not recognised is listed, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from .columns import Header, analyse, is_numbering, numeric, numeric_cells
from .document import Document, Paragraph, Table
from .free import free_rows


@dataclass
class Source:
    """Where a placed figure came from."""

    what: str
    page: int | None = None
    line: int | None = None

    def describe(self) -> str:
        where = self.what
        if self.page is not None:
            where += f" (halaman {self.page})"
        elif self.line is not None:
            where += f" (baris {self.line})"
        return where


@dataclass
class Row:
    fields: dict[str, str]
    source: Source


@dataclass
class Recognised:
    cells: dict[str, str | int] = field(default_factory=dict)
    cell_sources: dict[str, Source] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: tables used (id(table) -> what they were used for)
    used: dict[int, str] = field(default_factory=dict)
    unplaced_tables: list[tuple[Table, str]] = field(default_factory=list)
    unplaced_sentences: list[Paragraph] = field(default_factory=list)
    #: id(table) -> the indicator rows that table brought in
    table_indicators: dict[int, list[Row]] = field(default_factory=dict)
    free_tables: list[tuple[Table, Header, list[list[str]]]] = field(default_factory=list)

    def add(self, table_id: str, fields: dict[str, str], source: Source) -> Row:
        row = Row({key: value for key, value in fields.items() if value not in (None, "")}, source)
        self.rows.setdefault(table_id, []).append(row)
        return row

    def cell(self, name: str, value: str | int | None, source: Source) -> None:
        if value in (None, "") or name in self.cells:
            return
        self.cells[name] = value
        self.cell_sources[name] = source


# --- text helpers ---------------------------------------------------------------

_LEADING_NUMBER = re.compile(
    r"^\s*(?:[-–•]\s*|\(?(?:[0-9]{1,2}|[IVX]{1,5}|[a-z])[.)]\s*|\d{1,2}\s+(?=[A-Za-z]))"
)
_KODE = re.compile(r"^\s*(\d+(?:\.\d+){2,5})\b\.?\s*")
_LABEL = re.compile(r"^\s*(sub\s*kegiatan|kegiatan|program)\s*[:.]\s*", re.IGNORECASE)
_ROMAN = re.compile(r"^\s*([IVX]{1,5})[.)]?\s*$")
_ARABIC = re.compile(r"^\s*\d{1,2}[.)]?\s*$")
_TOTAL_WORDS = re.compile(r"^\s*(jumlah|total|rata\s*-?\s*rata|grand total)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def similarity(a: str, b: str, at_least: float = 0.0) -> float:
    """How alike two wordings are (0..1): shared words, or the same letters in the same order.

    With ``at_least``, a pair that cannot reach it is given up early: the value
    returned is then below ``at_least`` (not necessarily exact); at or above it,
    it is exact.
    """
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    words_a, words_b = set(a.split()), set(b.split())
    jaccard = len(words_a & words_b) / len(words_a | words_b)
    smaller = min(len(words_a), len(words_b))
    contained = len(words_a & words_b) / smaller if smaller >= 3 else 0.0
    base = max(jaccard, 0.85 * contained)
    letters = SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", ""))
    # cheap upper bounds of the letter ratio first: most pairs end there
    for bound in (letters.real_quick_ratio, letters.quick_ratio):
        most = bound() - 0.1
        if most <= base or most < at_least:
            return base
    return max(base, letters.ratio() - 0.1)


def strip_numbering(text: str) -> str:
    text = _LEADING_NUMBER.sub("", text, count=1).strip()
    return text


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _context(table: Table, previous: Table | None) -> str:
    text = f"{table.title} {table.section}"
    if not table.title.strip() and previous is not None:
        text += f" {previous.title}"
    return text.lower()


def _title(table: Table, fallback: str = "tabel tanpa judul") -> str:
    """The table's printed title: from the line starting "Tabel ..." above it, else the line just above."""
    lines = table.title_lines or ([table.title] if table.title else [])
    starts = [index for index, line in enumerate(lines) if re.match(r"^\s*tabel\b", line, re.IGNORECASE)]
    if starts:
        return " ".join(lines[starts[-1] :])[:160]
    if lines and len(lines[-1]) <= 120:
        return lines[-1]
    return fallback


# --- the recogniser ----------------------------------------------------------------


def recognise(document: Document) -> Recognised:
    found = Recognised()
    _identity(document, found)
    tables = document.tables()
    analysed = [(table, *analyse(table.rows)) for table in tables]
    previous: Table | None = None
    budget: list[tuple[Table, Header, list[list[str]]]] = []
    indicator_extra: list[tuple[Table, Header, list[list[str]]]] = []
    plans: list[tuple[Table, Header, list[list[str]], str]] = []
    for table, header, data in analysed:
        context = _context(table, previous)
        kind = _kind(header, data, context)
        if kind == "indicator":
            _indicators(table, header, data, found)
        elif kind == "budget":
            budget.append((table, header, data))
        elif kind == "pk":
            _pk(table, header, data, context, found)
        elif kind == "penduduk":
            if "penduduk" in found.rows:
                _penduduk_citations(table, header, data, found)
            else:
                _penduduk(table, header, data, found)
        elif kind == "indicator-extra":
            indicator_extra.append((table, header, data))
        elif kind == "plan":
            plans.append((table, header, data, context))
        elif kind is None:
            _free_table(table, header, data, found)
        previous = table
    for table, header, data in indicator_extra:
        _indicator_extra(table, header, data, found)
        if id(table) not in found.used:
            _free_table(table, header, data, found)  # a comparison of other indicators (programs)
    order = {id(table): index for index, table in enumerate(tables)}
    found.free_tables.sort(key=lambda free: order[id(free[0])])
    _budget(budget, found)
    for table, header, data, context in plans:
        _plan(table, header, data, context, found)
    _indicator_sentences(document, found)
    _ringkasan(document, found)
    from .citations import cite  # it reads what the tables brought in

    cite(document, found)
    for table, _header, _data in analysed:
        if id(table) not in found.used and not any(table is t for t, _ in found.unplaced_tables):
            if not any(table is t for t, _h, _d in found.free_tables):
                if any(numeric(cell) for row in table.rows for cell in row):
                    found.unplaced_tables.append((table, "bentuk tabel tidak dikenali"))
    return found


#: a table of staff (by sex, education, golongan) is not the population
_STAFF = re.compile(r"pegawai|karyawan|jabatan|\basn\b|\bpns\b|personil|aparatur|\bsdm\b")


def _kind(header: Header, data: list[list[str]], context: str) -> str | None:
    roles = header.roles
    if not data:
        return None
    if (("laki" in roles and "perempuan" in roles) or _row_labels(data, ("laki", "perempuan"))) and (
        "penduduk" in context or not _STAFF.search(context)
    ):
        return "penduduk"
    money = [role for role in ("pagu", "realisasi_rp", "persen_rp") if role in roles]
    if (
        _printing(context)
        and "pagu" in roles
        and not any(role in roles for role in ("realisasi", "realisasi_rp", "persen_rp", "capaian"))
        and ("uraian" in roles or "indikator" in roles)
    ):
        return "plan"
    if ("pagu" in roles and ("realisasi_rp" in roles or "persen_rp" in roles)) or (
        "realisasi_rp" in roles and "persen_rp" in roles
    ):
        return "budget"
    if (
        "pagu" in roles
        and "realisasi_rp" not in roles
        and ("uraian" in roles or "program" in context)
        and not any(word in context for word in ("rencana", "renstra", "renja", "matriks", "matrix"))
        and "persen_alokasi" not in roles
        and ("perjanjian" in context or "pk" in context.split() or "target" in roles)
    ):
        return "pk"
    if not money and "indikator" in roles and "target" in roles and len(roles.get("realisasi", [])) == 1:
        if "uraian" in roles or "sub_kegiatan" in roles:
            return None
        return "indicator-extra" if "tahun" in roles else "indicator"
    if "indikator" in roles and (
        "target_akhir" in roles
        or "efisiensi" in roles
        or len(roles.get("realisasi", [])) > 1
        or any(role.startswith("pembanding_") for role in roles)
    ):
        return "indicator-extra"
    return None


def _free_table(table: Table, header: Header, data: list[list[str]], found: Recognised) -> None:
    rows = free_rows(header, data, _title(table, ""))
    if rows is not None:
        found.free_tables.append((table, header, rows))
        found.used[id(table)] = "Tabel Bebas"


def _row_labels(data: list[list[str]], words: tuple[str, ...]) -> bool:
    labels = " ".join(row[0].lower() for row in data if row)
    return all(word in labels for word in words)


# --- identity ---------------------------------------------------------------------

_PEMDA = re.compile(r"\b((?i:kabupaten|kab\.|kota))\s+([A-Z][A-Za-z]+)")
_INSTANSI = re.compile(r"\b((?i:kecamatan|kec\.))\s+([A-Z][A-Za-z]+)")
_TAHUN = re.compile(r"\b(?:lkjip|tahun|kinerja)\)?\D{0,25}?((?:19|20)\d\d)\b", re.IGNORECASE)
_RENSTRA = re.compile(
    r"(?:renstra|rencana strategi)[^\n]{0,80}?((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)", re.IGNORECASE
)
_NIP = re.compile(r"\bNIP\.?\s*:?\s*([0-9][0-9 ]{14,24}[0-9])")
_STOP_PEMDA = {"dan", "tahun", "nomor", "no", "yang", "di", "sebagai", "pada"}


def _identity(document: Document, found: Recognised) -> None:
    paragraphs = document.paragraphs()
    cover = paragraphs[:40]
    cover_text = "\n".join(paragraph.text for paragraph in cover)
    everything = "\n".join(paragraph.text for paragraph in paragraphs)
    source = Source(
        "sampul / kata pengantar", cover[0].page if cover else None, cover[0].line if cover else None
    )
    for text in (cover_text, everything):
        match = _PEMDA.search(text)
        if match:
            name = match.group(2).split()
            name = [word for word in name if word.lower() not in _STOP_PEMDA][:1] if len(name) > 1 else name
            kind = "Kota" if match.group(1).lower() == "kota" else "Kabupaten"
            found.cell("pemda", f"{kind} {name[0].title()}", source)
            break
    for text in (cover_text, everything):
        match = _INSTANSI.search(text)
        if match:
            found.cell("instansi", f"Kecamatan {match.group(2).title()}", source)
            break
    match = _TAHUN.search(cover_text) or _TAHUN.search(everything)
    if match:
        found.cell("tahun", int(match.group(1)), source)
    match = _RENSTRA.search(everything)
    if match:
        where = Source(f"kalimat: “{_excerpt(everything, match)}”")
        found.cell("renstra_awal", int(match.group(1)), where)
        found.cell("renstra_akhir", int(match.group(2)), where)
    for index, paragraph in enumerate(paragraphs):
        match = _NIP.search(paragraph.text)
        if not match:
            continue
        where = Source("tanda tangan", paragraph.page, paragraph.line)
        found.cell("kepala_nip", re.sub(r"\s+", " ", match.group(1)).strip(), where)
        before = [p.text for p in paragraphs[max(0, index - 5) : index]]
        head = paragraph.text[: match.start()].strip()
        if head:
            before.append(head)
        names = [text for text in before if re.search(r"[A-Za-z]", text) and _looks_like_name(text)]
        if names:
            found.cell("kepala_nama", names[-1], where)
        jabatan = [text for text in before if re.match(r"^(camat|kepala)\b", text, re.IGNORECASE)]
        if jabatan:
            found.cell("kepala_jabatan", jabatan[-1].title(), where)
        break


def _looks_like_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters or len(text) > 60:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    if re.match(r"^(camat|kepala|pembina|penata|nip|ngoro|mengetahui)\b", text, re.IGNORECASE):
        return False
    return upper > 0.6 or "," in text


def _excerpt(text: str, match: re.Match[str], width: int = 60) -> str:
    start = max(0, match.start() - 10)
    return text[start : match.end() + 10].replace("\n", " ")[: width + 40]


# --- indicators -----------------------------------------------------------------------

_SASARAN_TITLE = re.compile(r"sasaran\s*(?:strategis)?\s*[-–]?\s*\d*\s*:\s*(.+)$", re.IGNORECASE)


def _indicators(table: Table, header: Header, data: list[list[str]], found: Recognised) -> None:
    found.used[id(table)] = "indikator"
    source_title = _title(table)
    sasaran_title = ""
    match = _SASARAN_TITLE.search(table.title)
    if match:
        sasaran_title = match.group(1).strip().rstrip(".,")
    sasaran_column = header.first("sasaran")
    indikator_column = header.first("indikator")
    target_column = header.first("target")
    realisasi_column = header.first("realisasi")
    capaian_column = header.first("capaian")
    sasaran = sasaran_title
    for row in data:
        text = _cell(row, indikator_column)
        if (
            sasaran_column is not None
            and _cell(row, sasaran_column)
            and not is_numbering(_cell(row, sasaran_column))
        ):
            sasaran = _cell(row, sasaran_column)
        if any(_TOTAL_WORDS.match(cell) for cell in row if cell):
            values = [cell for cell in row if numeric(cell)]
            if values and "rata" in " ".join(row).lower():
                found.cell(
                    "rata_capaian_dilaporkan",
                    _cell(row, capaian_column) or values[-1],
                    Source(source_title, table.page, table.line),
                )
            continue
        if not text or not (numeric(_cell(row, target_column)) or numeric(_cell(row, realisasi_column))):
            continue
        fields = {
            "uraian": strip_numbering(text),
            "target": _cell(row, target_column),
            "realisasi": _cell(row, realisasi_column),
            "capaian_dilaporkan": _cell(row, capaian_column),
        }
        _indicator_more(header, row, fields)
        existing = _match_indicator(found, fields["uraian"], sasaran)
        if existing is not None:
            for key, value in fields.items():
                if value and key not in existing.fields:
                    existing.fields[key] = value
            continue
        fields["_sasaran"] = sasaran
        added = found.add("indikator", fields, Source(source_title, table.page, table.line))
        found.table_indicators.setdefault(id(table), []).append(added)


def _indicator_more(header: Header, row: list[str], fields: dict[str, str]) -> None:
    """Renstra target, kemajuan, efisiensi, comparisons printed in the same row."""
    for role, name in (
        ("target_akhir", "target_renstra_akhir"),
        ("kemajuan", "kemajuan_dilaporkan"),
        ("efisiensi", "efisiensi_dilaporkan"),
        ("pembanding_kabupaten", "pembanding_kabupaten"),
        ("pembanding_provinsi", "pembanding_provinsi"),
        ("pembanding_nasional", "pembanding_nasional"),
    ):
        value = _cell(row, header.first(role))
        if value:
            fields.setdefault(name, value)


def _match_indicator(found: Recognised, uraian: str, sasaran: str = "") -> Row | None:
    best, best_score = None, 0.0
    for row in found.rows.get("indikator", []):
        score = similarity(row.fields.get("uraian", ""), uraian)
        if sasaran and row.fields.get("_sasaran"):
            score += 0.2 * similarity(row.fields["_sasaran"], sasaran)
        if score > best_score:
            best, best_score = row, score
    return best if best_score >= 0.75 else None


def _indicator_extra(table: Table, header: Header, data: list[list[str]], found: Recognised) -> None:
    """Tables that add to known indicators: Renstra target and kemajuan, earlier years, comparisons."""
    indikator_column = header.first("indikator")
    sasaran_column = header.first("sasaran")
    tahun = found.cells.get("tahun")
    sasaran = ""
    placed = False
    candidates: dict[int, tuple[float, dict[str, str]]] = {}
    for row in data:
        if sasaran_column is not None and _cell(row, sasaran_column):
            sasaran = _cell(row, sasaran_column)
        text = strip_numbering(_cell(row, indikator_column))
        if not text:
            continue
        target = _match_indicator(found, text, sasaran)
        if target is None:
            continue
        fields: dict[str, str] = {}
        _indicator_more(header, row, fields)
        if isinstance(tahun, int):
            for index in header.roles.get("realisasi", []):
                year = header.years.get(index)
                if year is not None and 1 <= tahun - year <= 3 and _cell(row, index):
                    fields[f"realisasi_lalu_{tahun - year}"] = _cell(row, index)
        score = similarity(target.fields.get("uraian", ""), text) + 0.2 * similarity(
            target.fields.get("_sasaran", ""), sasaran
        )
        key = id(target)
        if key not in candidates or score >= candidates[key][0]:
            candidates[key] = (score, fields)
    for row in found.rows.get("indikator", []):
        if id(row) in candidates:
            for key, value in candidates[id(row)][1].items():
                if key not in row.fields:
                    row.fields[key] = value
                    placed = True
    if placed:
        found.used[id(table)] = "indikator (kolom tambahan)"


# --- budget ------------------------------------------------------------------------------

_LEVELS = ("Program", "Kegiatan", "Sub Kegiatan")
#: a rupiah amount (thousands groups), not a count with a unit such as "13 desa"
_AMOUNT_LIKE = re.compile(r"^(?:Rp\.?\s?)?\d{1,3}(?:[.,]\d{3})+")
_AMOUNT_TOKEN = re.compile(r"(?:Rp\.?\s?)?\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?\s?%?")


@dataclass
class _Line:
    tingkat: str
    uraian: str
    fields: dict[str, str]
    source: Source
    kode: str = ""


def _budget(tables: list[tuple[Table, Header, list[list[str]]]], found: Recognised) -> None:
    if not tables:
        return
    parsed = [(table, header, _budget_lines(table, header, data)) for table, header, data in tables]
    parsed = [(table, header, lines) for table, header, (lines, _totals) in parsed if lines] or []
    totals = {id(table): _budget_lines(table, header, data)[1] for table, header, data in tables}
    if not parsed:
        for table, _header, _data in tables:
            found.unplaced_tables.append((table, "tabel anggaran tanpa baris program/kegiatan yang dikenali"))
        return
    main_table, main_header, main = max(parsed, key=lambda item: (len(item[2]), -_mixed(item[1])))
    found.used[id(main_table)] = "anggaran"
    # pure budget tables first: their amounts win over cost-per-outcome tables
    others = sorted((item for item in parsed if item[0] is not main_table), key=lambda item: _mixed(item[1]))
    for table, _header, lines in others:
        merged = 0
        for line in lines:
            target = _match_line(main, line)
            if target is None:
                continue
            for key, value in line.fields.items():
                if value and key not in target.fields:
                    target.fields[key] = value
                    merged += 1
        if merged:
            found.used[id(table)] = "anggaran (melengkapi baris yang sama)"
        else:
            found.unplaced_tables.append(
                (table, "tabel anggaran lain; baris-barisnya tidak cocok dengan tabel utama")
            )
    for line in main:
        fields = {"tingkat": line.tingkat, "uraian": line.uraian, "kode": line.kode, **line.fields}
        found.add("anggaran", fields, line.source)
    for total in totals.get(id(main_table), []):
        for name, key in (("sisa_anggaran_dilaporkan", "selisih_dilaporkan"),):
            if total.get(key):
                found.cell(
                    name,
                    total[key],
                    Source(f"{_title(main_table)}, baris Jumlah", main_table.page, main_table.line),
                )
        for besaran, key in (
            ("total pagu", "pagu"),
            ("total realisasi", "realisasi"),
            ("total sisa", "selisih_dilaporkan"),
            ("total serapan", "persen_dilaporkan"),
        ):
            if total.get(key) and not (
                key == "selisih_dilaporkan" and found.cells.get("sisa_anggaran_dilaporkan") == total[key]
            ):
                found.add(
                    "kutipan",
                    {
                        "lokasi": f"{_title(main_table)}, baris Jumlah",
                        "besaran": besaran,
                        "nilai": total[key],
                    },
                    Source(f"{_title(main_table)}, baris Jumlah", main_table.page, main_table.line),
                )


def _mixed(header: Header) -> int:
    return int("target" in header.roles or "realisasi" in header.roles or "indikator" in header.roles)


def _match_line(lines: list[_Line], line: _Line) -> _Line | None:
    best, best_score = None, 0.0
    for candidate in lines:
        if line.kode and candidate.kode:
            if line.kode == candidate.kode:
                return candidate
            continue
        if candidate.tingkat != line.tingkat and line.tingkat != "Program":
            continue
        score = similarity(candidate.uraian, line.uraian, at_least=max(best_score, 0.7))
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score >= 0.7 else None


def _budget_lines(
    table: Table, header: Header, data: list[list[str]]
) -> tuple[list[_Line], list[dict[str, str]]]:
    """The budget lines of a table (level, uraian, printed figures) and its total rows."""
    roles = header.roles
    width = len(header.labels)
    level_columns = [
        (level, header.first(role))
        for level, role in (
            ("Program", "program_col"),
            ("Kegiatan", "kegiatan"),
            ("Sub Kegiatan", "sub_kegiatan"),
        )
        if header.first(role) is not None
    ]
    uraian_column = header.first("uraian")
    if "kegiatan" in roles or "sub_kegiatan" in roles:
        # separate level columns: "Program | Kegiatan | Sub Kegiatan"
        level_columns = [("Program", uraian_column)] if uraian_column is not None else []
        level_columns += [
            ("Kegiatan", header.first("kegiatan")),
            ("Sub Kegiatan", header.first("sub_kegiatan")),
        ]
        level_columns = [(level, column) for level, column in level_columns if column is not None]
    money_columns = {
        "pagu": header.first("pagu"),
        "realisasi": (roles.get("realisasi_rp") or [None])[0],
        "selisih_dilaporkan": header.first("selisih"),
        "persen_dilaporkan": (roles.get("persen_rp") or [None])[0],
        "indikator_keluaran": header.first("indikator"),
        "target": header.first("target"),
        # performance figures only beside their target (a capaian without one cannot be placed safely)
        "realisasi_kinerja": (roles.get("realisasi") or [None])[0] if "target" in roles else None,
        "capaian_dilaporkan": header.first("capaian") if "target" in roles else None,
        "sumber_dana": header.first("keterangan"),
    }
    amount_columns = [
        column
        for key, column in money_columns.items()
        if column is not None and key in ("pagu", "realisasi", "selisih_dilaporkan", "persen_dilaporkan")
    ]
    source = Source(_title(table), table.page, table.line)
    # a column headed "(Nama) Program" alone: every named row is a program
    programs_only = uraian_column is not None and bool(
        re.fullmatch(r"\s*(nama\s+)?program\s*", header.labels[uraian_column], re.IGNORECASE)
    )
    lines: list[_Line] = []
    totals: list[dict[str, str]] = []
    last_level: str | None = None
    indicator = ""
    for raw in data:
        aligned = _align(list(raw), width, amount_columns)
        for row in _expand(
            aligned, amount_columns, [column for _level, column in level_columns] or [uraian_column]
        ):
            fields = {key: _cell(row, column) for key, column in money_columns.items() if column is not None}
            has_amount = any(numeric(_cell(row, column)) for column in amount_columns)
            texts = " ".join(cell for cell in row if cell and not numeric(cell))
            label = next((cell for cell in row if cell and not numeric(cell) and not is_numbering(cell)), "")
            last_row = raw is data[-1]
            total_label = bool(_TOTAL_WORDS.match(label)) and len(label) <= 40
            if total_label or (not texts.strip() and has_amount and lines and last_row):
                totals.append(fields)
                continue
            if level_columns and len(level_columns) > 1:
                emitted = False
                cells = [(level, _cell(row, column)) for level, column in level_columns]
                named = [(level, text) for level, text in cells if text and not is_numbering(text)]
                for position, (level, text) in enumerate(named):
                    deepest = position == len(named) - 1
                    lines.append(_Line(level, strip_numbering(text), fields if deepest else {}, source))
                    emitted = True
                if emitted:
                    last_level = named[-1][0]
                continue
            text = _cell(row, uraian_column)
            numbering = _cell(row, header.first("no"))
            level, uraian, kode = _level_of(text, numbering, last_level)
            if level is None and programs_only and text and not is_numbering(text):
                level, uraian, kode = "Program", strip_numbering(text), ""
            if level is None:
                # a sasaran / indicator row of a cost-per-outcome table: the programs below serve it
                if fields.get("indikator_keluaran"):
                    indicator = fields["indikator_keluaran"]
                continue
            if last_level is None and level != "Program":
                continue  # lines above the first program (Belanja Langsung ...) are not budget lines
            last_level = level
            if level == "Program" and indicator and not fields.get("indikator_keluaran"):
                fields["_indikator"] = indicator
            lines.append(_Line(level, uraian, fields, source, kode))
    for line in lines:
        line.fields = {key: value for key, value in line.fields.items() if value}
    return lines, totals


def _level_of(text: str, numbering: str, last_level: str | None) -> tuple[str | None, str, str]:
    if not text:
        return None, "", ""
    kode_match = _KODE.match(text)
    if kode_match:
        kode = kode_match.group(1)
        depth = kode.count(".") + 1
        level = "Program" if depth <= 3 else "Kegiatan" if depth <= 5 else "Sub Kegiatan"
        return level, strip_numbering(text[kode_match.end() :]), kode
    label = _LABEL.match(text)
    if label:
        word = label.group(1).lower().replace(" ", "")
        level = {"program": "Program", "kegiatan": "Kegiatan", "subkegiatan": "Sub Kegiatan"}[word]
        rest = strip_numbering(text[label.end() :])
        if level == "Program" and not rest.lower().startswith("program"):
            rest = f"Program {rest}"
        return level, rest, ""
    if re.match(r"^\s*program\b", strip_numbering(text), re.IGNORECASE):
        return "Program", strip_numbering(text), ""
    marker = numbering or ""
    leading = re.match(r"^\s*([IVX]{1,5}|\d{1,2})[.)]\s+", text)
    if not marker and leading:
        marker = leading.group(1)
    if marker and _ROMAN.match(marker):
        return "Program", strip_numbering(text), ""
    if last_level is None:
        return None, "", ""
    if marker and _ARABIC.match(marker) or leading:
        level = "Kegiatan" if last_level == "Program" else last_level
        return level, strip_numbering(text), ""
    return None, "", ""


def _align(row: list[str], width: int, amount_columns: list[int]) -> list[str]:
    """Put a row's figures back under their columns when a merged cell shifted them."""
    if not amount_columns:
        return row
    while len(row) > width and not row[-1]:
        row.pop()
    # a numbering cell squeezed between texts makes the row too long
    while len(row) > width:
        for index in range(1, len(row)):
            if is_numbering(row[index]) or not row[index]:
                del row[index]
                break
        else:
            break
    first, last = min(amount_columns), max(amount_columns)
    for _attempt in range(2):
        before = _cell(row, first - 1)
        shifted = bool(_AMOUNT_LIKE.match(before)) and numeric_cells(before) and not _cell(row, last)
        if not shifted:
            break
        row.insert(1 if row and is_numbering(row[0]) else 0, "")
        if len(row) > width and not row[-1]:
            row.pop()
    return row


def _expand(row: list[str], amount_columns: list[int], text_columns: list[int | None]) -> list[list[str]]:
    """A row whose cells hold several lines' figures at once (merged by a converter) as one row per line."""
    counts = []
    for column in amount_columns:
        cell = _cell(row, column)
        if cell:
            tokens = _AMOUNT_TOKEN.findall(cell)
            counts.append(len(tokens))
    if not counts or max(counts) < 2 or len(set(counts)) != 1:
        return [row]
    count = counts[0]
    text_column = next((c for c in reversed(text_columns) if c is not None and _cell(row, c)), None)
    if text_column is None:
        return [row]
    parts = [
        part.strip() for part in re.split(r"(?:^|\s)-\s+", " " + _cell(row, text_column)) if part.strip()
    ]
    if len(parts) != count:
        return [row]
    rows = []
    for position in range(count):
        new = list(row)
        new[text_column] = parts[position]
        for column in amount_columns:
            cell = _cell(row, column)
            if cell:
                new[column] = _AMOUNT_TOKEN.findall(cell)[position].strip()
        if position:
            for other in text_columns:
                if other is not None and other != text_column and other < len(new):
                    new[other] = ""
        rows.append(new)
    return rows


# --- PK ------------------------------------------------------------------------------------------


# --- the plan (Renstra / Renja matrix) ---------------------------------------------


def _printing(context: str) -> str | None:
    """Which printing of the plan a table's title or section names (the Renstra sheet's ``sumber``)."""
    revised = " Perubahan" if "perubahan" in context else ""
    if "rencana kinerja tahunan" in context or re.search(r"\b(renja|rkt)\b", context):
        return "Renja" + revised
    if "rencana strategis" in context or re.search(r"\brenstra\b", context):
        return "Renstra" + revised
    return None


_LEVELS = {"Program": 0, "Kegiatan": 1, "Sub Kegiatan": 2}
_NOT_A_LINE = re.compile(r"^\s*(tujuan|sasaran|jumlah|total|misi|visi)\b", re.IGNORECASE)


def _plan(table: Table, header: Header, data: list[list[str]], context: str, found: Recognised) -> None:
    """Target and pagu per year of the budget lines a Renstra/Renja matrix prints (sheet Renstra).

    Each printed line is matched by its wording to a line the budget tables gave. A line that
    matches none (or two lines of the same wording) is left out, and so is the pagu of the lines
    it may belong under: a parent's pagu is never rolled up over part of its lines.
    """
    printing = _printing(context) or "Renstra"
    uraian_column = header.first("uraian")
    if uraian_column is None:
        indicator = header.first("indikator")
        uraian_column = indicator - 1 if indicator else None
    lines = found.rows.get("anggaran", [])
    if uraian_column is None or not lines:
        found.unplaced_tables.append((table, "matriks rencana: baris program/kegiatan tidak dikenali"))
        return
    targets, pagus = header.roles.get("target", []), header.roles.get("pagu", [])
    years = sorted({header.years[index] for index in targets + pagus if index in header.years})
    if not years:
        year = re.findall(r"\b((?:19|20)\d\d)\b", table.title)
        tahun = year[-1] if year else found.cells.get("tahun")
        if tahun is None:
            found.unplaced_tables.append((table, "matriks rencana: tahunnya tidak tertulis"))
            return
        years = [int(tahun)]

    def column_of(columns: list[int], year: int) -> int | None:
        dated = [index for index in columns if header.years.get(index) == year]
        if dated:
            return dated[0]
        undated = [index for index in columns if index not in header.years]
        return undated[0] if len(years) == 1 and undated else None

    # each printed line: the budget line it names (None: none, or two lines of that same wording)
    entries: list[tuple[int | None, dict[int, tuple[str, str]], bool]] = []
    for raw in data:
        row = _align(list(raw), len(header.labels), pagus)
        text = _LABEL.sub("", strip_numbering(_cell(row, uraian_column)))
        if not text or _NOT_A_LINE.match(text):
            continue
        figures = {
            year: (_cell(row, column_of(targets, year)), _cell(row, column_of(pagus, year))) for year in years
        }
        has_pagu = any(numeric(pagu) for _target, pagu in figures.values())
        scored = [
            (similarity(line.fields.get("uraian", ""), text, at_least=0.75), index)
            for index, line in enumerate(lines)
        ]
        best = max((score for score, _index in scored), default=0.0)
        ties = [index for score, index in scored if score == best]
        match = ties[0] if best >= 0.75 and len(ties) == 1 else None
        entries.append((match, figures, has_pagu))
    # a line that names no budget line (or an ambiguous one) may be part of the lines above it: their
    # pagu would be rolled up over part of their lines, so it is left out (their target stays)
    no_pagu: set[int] = set()
    for position, (match, _figures, has_pagu) in enumerate(entries):
        if match is not None or not has_pagu:
            continue
        depth = 3
        for earlier in range(position - 1, -1, -1):
            other = entries[earlier][0]
            if other is None:
                continue
            level = _LEVELS.get(lines[other].fields.get("tingkat", ""), 2)
            if level < depth:
                no_pagu.add(earlier)
                depth = level
            if depth == 0:
                break
    placed: list[dict[str, str]] = []
    for position, (match, figures, _has_pagu) in enumerate(entries):
        if match is None:
            continue
        line = lines[match].fields
        for year, (target, pagu) in figures.items():
            pagu = pagu if numeric(pagu) and position not in no_pagu else ""
            if not numeric(target) and not pagu:
                continue
            placed.append(
                {
                    "kode": line.get("kode") or line.get("uraian", ""),
                    "tahun": str(year),
                    "target": target if numeric(target) else "",
                    "pagu": pagu,
                    "sumber": printing,
                }
            )
    if not placed:
        found.unplaced_tables.append((table, "matriks rencana: tidak ada baris anggaran yang cocok"))
        return
    source = Source(_title(table, "matriks rencana"), table.page, table.line)
    for fields in placed:
        found.add("renstra", fields, source)
    found.used[id(table)] = f"Renstra ({printing})"


#: a PK of the changed budget: "Perjanjian Kinerja Perubahan", "PK Perubahan", "APBD-P" (not any "perubahan"
#: in the text above the table: "a. Perubahan dalam strategi ...")
_PK_PERUBAHAN = re.compile(
    r"(perjanjian\s+kinerja|\bpk\b)[^.]{0,40}\bperubahan\b|\bperubahan\s+(perjanjian\s+kinerja|pk)\b|apbd-?p\b|p-apbd"
)


def _pk(table: Table, header: Header, data: list[list[str]], context: str, found: Recognised) -> None:
    found.used[id(table)] = "PK anggaran"
    # "SASARAN PROGRAM | PROGRAM": the program is the column that names it alone
    uraian = header.roles.get("uraian", [])
    program_column = next(
        (
            index
            for index in uraian
            if not re.search(r"sasaran|indikator", header.labels[index], re.IGNORECASE)
        ),
        header.first("uraian"),
    )
    if program_column is None:
        program_column = header.first("sasaran")
    pagu_column = header.first("pagu")
    ket_column = header.first("keterangan")
    source = Source(_title(table, "tabel Perjanjian Kinerja"), table.page, table.line)
    keterangan = " ".join(_cell(row, ket_column) for row in data).lower()
    versi = (
        "Perubahan"
        if _PK_PERUBAHAN.search(context) or "apbd-p" in keterangan or "p-apbd" in keterangan
        else "Murni"
    )
    for row in data:
        text = _cell(row, program_column)
        amount = _cell(row, pagu_column)
        if not numeric(amount):
            continue
        labels = " ".join(cell for cell in row if cell and not numeric(cell))
        if _TOTAL_WORDS.match(labels) or not labels.strip() or (not text and "total" in labels.lower()):
            if "total_pk_dilaporkan" not in found.cells or versi == "Perubahan":
                found.cells.pop("total_pk_dilaporkan", None)
                found.cell("total_pk_dilaporkan", amount, source)
            continue
        found.add(
            "pk_anggaran",
            {
                "uraian": strip_numbering(text.split(" 1.")[0]) if text else "",
                "anggaran": amount,
                "versi": versi,
                "keterangan": _cell(row, ket_column),
            },
            source,
        )


# --- population ------------------------------------------------------------------------------------

_YEAR_IN = re.compile(r"\b((?:19|20)\d\d)\b")


_PENDUDUK_BESARAN = (
    ("laki_laki", "penduduk laki-laki"),
    ("perempuan", "penduduk perempuan"),
    ("total_dilaporkan", "penduduk total"),
)


def _penduduk_citations(table: Table, header: Header, data: list[list[str]], found: Recognised) -> None:
    """A second population table restates figures of the first: each becomes a citation of its year."""
    scratch = Recognised()
    _penduduk(table, header, data, scratch)
    title = _title(table)
    for row in scratch.rows.get("penduduk", []):
        year = row.fields.get("tahun", "")
        for field_name, besaran in _PENDUDUK_BESARAN:
            if row.fields.get(field_name):
                found.add(
                    "kutipan",
                    {
                        "lokasi": f"{title} baris {year}",
                        "besaran": besaran,
                        "kode": year,
                        "nilai": row.fields[field_name],
                    },
                    row.source,
                )
    found.used[id(table)] = "kutipan (tabel penduduk kedua)"


def _penduduk(table: Table, header: Header, data: list[list[str]], found: Recognised) -> None:
    found.used[id(table)] = "penduduk"
    source = Source(_title(table), table.page, table.line)
    if "laki" in header.roles and "perempuan" in header.roles:
        for row in data:
            year = _YEAR_IN.search(" ".join(row[:2]))
            if not year:
                continue
            found.add(
                "penduduk",
                {
                    "tahun": year.group(1),
                    "laki_laki": _cell(row, header.first("laki")),
                    "perempuan": _cell(row, header.first("perempuan")),
                    "total_dilaporkan": _cell(row, header.first("total")),
                    "rasio_dilaporkan": _cell(row, header.first("rasio")),
                },
                source,
            )
        return
    # years across, Laki-laki / Perempuan / Total down
    labelled = {}
    for row in data:
        label = row[0].lower() if row else ""
        for key, words in (
            ("laki_laki", ("laki",)),
            ("perempuan", ("perempuan", "wanita")),
            ("total_dilaporkan", ("total", "jumlah")),
            ("rasio_dilaporkan", ("rasio", "ratio")),
        ):
            if any(word in label for word in words) and key not in labelled:
                labelled[key] = row
    for index, label in enumerate(header.labels):
        year = _YEAR_IN.search(label)
        if not year or index == 0:
            continue
        fields = {"tahun": year.group(1)}
        fields.update({key: _cell(row, index) for key, row in labelled.items()})
        found.add("penduduk", fields, source)


# --- narrative ---------------------------------------------------------------------------------

_RP = r"(Rp\.?\s?\d[\d.,]*\d(?:[,.]-|,-)?|Rp\.?\s?\d[\d.,]*\d\.-)"
_PAGU_SENTENCE = re.compile(
    r"(?:pagu|anggaran|belanja)[^%]{0,160}?sebesar\s*" + _RP + r"(?P<rest>.{0,400})",
    re.IGNORECASE | re.DOTALL,
)
_REALISASI = re.compile(
    r"(?:realisasi|terserap|penyerapan|serapan)[^%]{0,200}?" + _RP, re.IGNORECASE | re.DOTALL
)
_PERSEN = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?\s?%)")
_SISA = re.compile(r"(?:sisa\s+(?:anggaran|lebih)|silpa)[^.%]{0,80}?" + _RP, re.IGNORECASE)
_PENDUDUK_SENTENCE = re.compile(
    r"jumlah penduduk[^.%]{0,80}?tahun\s+((?:19|20)\d\d)[^%]{0,40}?sebesar\s+(\d{1,3}(?:\.\d{3})+(?:\s*jiwa)?)",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"Rp\.?\s?\d|\d\s?%|\d{1,3}(?:\.\d{3}){2,}")
#: "pertumbuhan penduduk rata-rata dalam 6 tahun terakhir mencapai 1,62 %", "... tahun 2016-2021 ... %"
_GROWTH_SENTENCE = re.compile(
    r"pertumbuhan\s+penduduk[^.%]{0,80}?(?:(\d{1,2})\s+tahun\s+terakhir"
    r"|tahun\s+((?:19|20)\d\d)\s*(?:-|–|s\.?\s?d\.?|sampai)\s*((?:19|20)\d\d))"
    r"[^%]{0,40}?\s(-?\d{1,2}(?:,\d{1,2})?\s?%)",
    re.IGNORECASE,
)


def _growth_span(match: re.Match, found: Recognised) -> str | None:
    """The years a stated growth rate spans: as written, or the population table's years when the
    sentence says "N tahun terakhir" and that table covers exactly N years."""
    if match.group(2):
        return f"{match.group(2)}-{match.group(3)}"
    years = sorted(
        {
            int(year)
            for row in found.rows.get("penduduk", [])
            if str(year := row.fields.get("tahun", "")).isdigit()
        }
    )
    if years and years[-1] - years[0] + 1 == int(match.group(1)):
        return f"{years[0]}-{years[-1]}"
    return None


def _ringkasan(document: Document, found: Recognised) -> None:
    """Budget totals stated in sentences: the largest pagu stated is the whole budget.

    Sentences stating a smaller pagu (one sasaran's budget) are not totals; a
    later sentence repeating the total becomes a citation.
    """
    stated = []
    for paragraph in document.paragraphs():
        text = paragraph.text
        placed = False
        match = _PAGU_SENTENCE.search(text)
        if match:
            rest = match.group("rest")
            realisasi = _REALISASI.search(rest)
            if realisasi:
                persen = _PERSEN.search(rest[realisasi.end() : realisasi.end() + 160])
                pagu = _clean_amount(match.group(1))
                stated.append(
                    (
                        _amount(pagu),
                        paragraph,
                        pagu,
                        _clean_amount(realisasi.group(1)),
                        persen.group(1) if persen else "",
                    )
                )
                placed = True
        population = _PENDUDUK_SENTENCE.search(text)
        if population:
            found.add(
                "kutipan",
                {
                    "lokasi": f"kalimat “{text[:60]}…”",
                    "besaran": "penduduk total",
                    "kode": population.group(1),
                    "nilai": population.group(2).strip(),
                },
                Source(f"kalimat: “{text[:80]}…”", paragraph.page, paragraph.line),
            )
            placed = True
        growth = _GROWTH_SENTENCE.search(text)
        span = _growth_span(growth, found) if growth else None
        if growth and span:
            found.add(
                "kutipan",
                {
                    "lokasi": f"kalimat “{text[:60]}…”",
                    "besaran": "laju pertumbuhan penduduk",
                    "kode": span,
                    "nilai": growth.group(4).strip(),
                },
                Source(f"kalimat: “{text[:80]}…”", paragraph.page, paragraph.line),
            )
            placed = True
        sisa = _SISA.search(text)
        if sisa:
            found.cell(
                "sisa_anggaran_dilaporkan",
                _clean_amount(sisa.group(1)),
                Source(f"kalimat: “{text[:80]}…”", paragraph.page, paragraph.line),
            )
            placed = True
        if not placed and _FIGURE.search(text) and not paragraph.heading:
            found.unplaced_sentences.append(paragraph)
    if not stated:
        return
    largest = max(amount for amount, *_rest in stated)
    first = True
    for amount, paragraph, pagu, real, persen in stated:
        where = Source(f"kalimat: “{paragraph.text[:80]}…”", paragraph.page, paragraph.line)
        if amount != largest:
            found.unplaced_sentences.append(paragraph)
        elif first:
            found.cell("total_pagu_dilaporkan", pagu, where)
            found.cell("total_realisasi_dilaporkan", real, where)
            found.cell("persen_serapan_dilaporkan", persen, where)
            first = False
        else:
            lokasi = f"kalimat “{paragraph.text[:60]}…”"
            for besaran, value in (
                ("total pagu", pagu),
                ("total realisasi", real),
                ("total serapan", persen),
            ):
                if value:
                    found.add("kutipan", {"lokasi": lokasi, "besaran": besaran, "nilai": value}, where)


_CAPAIAN_SENTENCE = re.compile(
    r"capaian kinerja (?:sebesar|mencapai)\s+(\d{1,3}(?:,\d{1,2})?\s?%)", re.IGNORECASE
)
_KEMAJUAN_SENTENCE = re.compile(
    r"capaian akhir renstra[^%]{0,60}?(?:sebesar|mencapai)\s+(\d{1,3}(?:,\d{1,2})?\s?%)", re.IGNORECASE
)


def _indicator_sentences(document: Document, found: Recognised) -> None:
    """Capaian and kemajuan restated in the sentences right after a table of one indicator: citations."""
    current: Row | None = None
    for block in document.blocks:
        if isinstance(block, Table):
            rows = found.table_indicators.get(id(block), [])
            current = rows[0] if len(rows) == 1 else None
            continue
        if current is None or block.heading:
            continue
        where = Source(f"kalimat: “{block.text[:80]}…”", block.page, block.line)
        for pattern, besaran in ((_CAPAIAN_SENTENCE, "capaian"), (_KEMAJUAN_SENTENCE, "kemajuan")):
            match = pattern.search(block.text)
            if match:
                found.add(
                    "kutipan",
                    {
                        "lokasi": f"kalimat “{block.text[:60]}…”",
                        "besaran": besaran,
                        "_indikator": current.fields.get("uraian", ""),
                        "nilai": match.group(1),
                    },
                    where,
                )


def _amount(text: str) -> float:
    from ..values import UnreadableValue, parse_value

    try:
        value = parse_value(text, "rupiah").value
    except UnreadableValue:
        return 0.0
    return float(value) if isinstance(value, (int, float)) else 0.0


def _clean_amount(text: str) -> str:
    text = text.strip()
    if text.endswith(".") and not text.endswith(".-"):
        text = text[:-1]
    return text
