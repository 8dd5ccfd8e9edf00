"""Figures a report restates in its sentences: Kutipan rows, so check compares them with the tables.

A sentence is split off its paragraph and read for what it cites:
- counts of the report's structure, "6 (enam) indikator kinerja ... 6 Program, 12 kegiatan, dan 25 sub
  kegiatan" (jumlah indikator / program / kegiatan / sub kegiatan), only when the sentence counts two or
  more of them and qualifies none ("1 program yang tidak mencapai target" is not the number of programs);
- the mean capaian of the report, "rata-rata capaian kinerja ... 101,4 %", "Hasil Pengukuran Pencapaian
  Sasaran (PPS) dicapai 88,98 %" (not the mean of the kegiatan or of one indicator);
- an indicator or a program named in the sentence (its wording, as imported from the tables) with its
  target, realisasi (kinerja), capaian, serapan anggaran or efisiensi: "indikator kinerja <uraian> dengan
  target baik, realisasi baik dengan capaian 99 %".

Nothing is guessed: a sentence naming two indicators, an indicator and a program, a year other than the
report's, or the Renstra / an earlier year / a comparison, is left out of these citations.  Every
number-bearing sentence not placed stays in the list of sentences for the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .columns import Header, analyse, is_numbering
from .document import Document, Paragraph, Table
from .recognise import _FIGURE, Recognised, Source, _match_indicator, _title, similarity, strip_numbering

#: a figure as printed: 1.234.567,89 | 98,32 | 98.71 | 100 (never a year); a percent sign may follow
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_FIGURE_AT = rf"(?<![\d.,])(?!(?:19|20)\d\d(?!\d|[.,]\d))(?P<number>{_NUMBER})(?![\d])(?P<percent>\s?%)?"
_WORD_NUMBER = r"(?:\(\s*[a-z]+(?:\s+[a-z]+)?\s*\)\s*)?"

#: split a paragraph into sentences at ". " before a capital, never inside a figure or after "Rp"
_SENTENCE_END = re.compile(r"(?<=[a-z%)\]])[.!?]\s+(?=[A-Z])")

# --- counts --------------------------------------------------------------------------------

_COUNT = re.compile(
    rf"(?<![\d.,])(\d{{1,3}})\s*{_WORD_NUMBER}(sub\s*kegiatan|kegiatan|program|indikator)\b", re.IGNORECASE
)
_COUNT_BESARAN = {
    "program": "jumlah program",
    "kegiatan": "jumlah kegiatan",
    "subkegiatan": "jumlah sub kegiatan",
    "indikator": "jumlah indikator",
}
#: a count qualified by what the things did is not the number of them
_QUALIFIED = re.compile(
    r"\b(tidak|belum|kurang|melebihi|melampaui|di\s?atas|di\s?bawah|(?<!untuk\s)(?:tercapai|mencapai)|gagal|"
    r"berhasil|sesuai target|hanya)\b",
    re.IGNORECASE,
)
_QUALIFIED_BEFORE = re.compile(r"\b(hanya|tinggal|masih|sisa|terdapat lagi)\s*$", re.IGNORECASE)

# --- the report's mean capaian ---------------------------------------------------------------

_AVERAGE = re.compile(
    r"(?:rata[\s-]*rata\s+capaian(?:\s+kinerja)?(?:\s+(?:sasaran|iku|indikator kinerja utama))?"
    r"|capaian(?:\s+kinerja)?\s+rata[\s-]*rata"
    r"|pengukuran\s+pencapaian\s+sasaran(?:\s*\(\s*pps\s*\))?)"
    r"(?P<fill>(?:[^\d%;]|(?<!\d)(?:19|20)\d\d(?!\d)){0,40}?)" + _FIGURE_AT,
    re.IGNORECASE,
)
#: the mean of something else than the report's indicators
_AVERAGE_OF_OTHER = re.compile(
    r"^\s*(?:kegiatan|program|sub|anggaran|aparatur|pegawai|desa)\b", re.IGNORECASE
)

# --- an indicator's or a program's figures ---------------------------------------------------

#: words between a keyword and its figure: no other keyword, no figure, no clause break
_KEYWORDS = (
    r"target|capaian|realisasi|tercapai|terealisasi|serapan|penyerapan|anggaran|efisiensi|renstra|tahun"
)
_FILL = rf"(?:(?!{_KEYWORDS})[^\d%,;:()])" + "{0,30}?"
_CONNECT = (
    r"\s*(?:kinerja(?:nya)?\s*)?(?:(?:pada\s+)?tahun\s+(?:19|20)\d\d\s*)?"
    r"(?:(?:telah|hanya)\s+)?(?:tercapai|terealisasi|dicapai)?\s*"
    r"(?:sebesar|mencapai|adalah|yaitu|senilai|=|:)?\s*"
)
_ENTITY_FIGURES = (
    (
        "serapan",
        re.compile(rf"\b(?:realisasi|penyerapan|serapan)\s+anggaran(?:nya)?{_CONNECT}{_FIGURE_AT}", re.I),
    ),
    ("efisiensi", re.compile(rf"\befisiensi(?:\s+anggaran)?(?:nya)?{_CONNECT}\**{_FIGURE_AT}", re.I)),
    ("capaian", re.compile(rf"\b(?:tingkat\s+)?capaian{_CONNECT}{_FIGURE_AT}", re.I)),
    ("target", re.compile(rf"\b(?:target|ditargetkan){_FILL}{_FIGURE_AT}", re.I)),
    (
        "realisasi kinerja",
        re.compile(
            rf"\b(?:realisasi(?!\s+anggaran)|tercapai|terealisasi(?!\s+anggaran)){_FILL}{_FIGURE_AT}", re.I
        ),
    ),
)
#: a figure printed right after an indicator's name: its value
_RIGHT_AFTER = re.compile(
    rf"\s*(?:sebesar|adalah|yaitu|senilai|=|:)?\s*{_FIGURE_AT}(?!\s*(?:orang|tahun|kali))", re.I
)
#: the sentence speaks of another period or another body: its figures are not this year's own
_ELSEWHERE = re.compile(
    r"\b(renstra|akhir\s+periode|tahun\s+lalu|tahun\s+sebelumnya|sebelumnya|nasional|provinsi|"
    r"rata[\s-]*rata|dibandingkan|dibanding)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
#: words that name no particular indicator or program
_GENERIC = frozenset(
    "program kegiatan sub indikator kinerja kecamatan kabupaten kota dan yang pada di ke dari untuk dengan "
    "atau dalam oleh terhadap serta the".split()
)


@dataclass
class _Name:
    """One wording an entity is known by: its significant words and the phrase as printed."""

    words: frozenset[str]
    #: the words in order, the generic ones optional ("nilai paten (kecamatan)")
    phrase: re.Pattern[str]


@dataclass
class _Entity:
    kind: str  # "indikator" | "program"
    uraian: str
    kode: str
    names: list[_Name]


def _words(text: str) -> set[str]:
    return {word for word in re.sub(r"[^0-9a-z]+", " ", text.lower()).split() if len(word) > 1}


def _name(text: str, own: frozenset[str] = frozenset()) -> _Name | None:
    """A name's significant words: not the generic ones, nor the report's own kecamatan and kabupaten."""
    words = re.sub(r"[^0-9a-z]+", " ", text.lower()).split()
    generic = _GENERIC | own
    significant = frozenset(word for word in words if len(word) > 1 and word not in generic)
    if len(significant) < 2:
        return None
    parts = []
    for word in words:
        if word in significant:
            parts.append(rf"{re.escape(word)}\W*")
        else:
            parts.append(rf"(?:{re.escape(word)}\W*)?")
    return _Name(significant, re.compile(r"\b" + "".join(parts), re.IGNORECASE))


def _entities(found: Recognised) -> list[_Entity]:
    """The indicators and programs imported from the tables (a program also by its own indicator)."""
    own = frozenset(_words(f"{found.cells.get('instansi', '')} {found.cells.get('pemda', '')}"))
    entities = []
    for row in found.rows.get("indikator", []):
        uraian = row.fields.get("uraian", "")
        entities.append(_Entity("indikator", uraian, uraian, [name for name in [_name(uraian, own)] if name]))
    programs = [row for row in found.rows.get("anggaran", []) if row.fields.get("tingkat") == "Program"]
    wordings = [re.sub(r"[^0-9a-z]+", " ", row.fields.get("uraian", "").lower()).strip() for row in programs]
    for row, wording in zip(programs, wordings, strict=True):
        if wordings.count(wording) > 1:
            continue  # two programs of one wording: a sentence cannot say which
        uraian = row.fields.get("uraian", "")
        names = [_name(uraian, own), _name(row.fields.get("indikator_keluaran", ""), own)]
        entities.append(_Entity("program", uraian, row.fields.get("kode") or uraian, [n for n in names if n]))
    return [entity for entity in entities if entity.names]


def _carried(sentence: str, words: set[str], name: _Name) -> bool:
    """A long name by nearly all its significant words; a short one (two words) only as printed."""
    if len(name.words) >= 3 and len(name.words & words) >= 0.85 * len(name.words):
        return True
    return bool(name.phrase.search(sentence))


def _named(sentence: str, entities: list[_Entity]) -> list[tuple[_Entity, _Name]]:
    """The entities the sentence names, each by the longest of its names it carries."""
    words = _words(sentence)
    named = []
    for entity in entities:
        carried = [name for name in entity.names if _carried(sentence, words, name)]
        if carried:
            named.append((entity, max(carried, key=lambda name: len(name.words))))
    # a name inside a longer name the sentence carries is not named on its own
    return [
        (entity, name)
        for entity, name in named
        if not any(other is not entity and name.words < longer.words for other, longer in named)
    ]


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _value(match: re.Match[str]) -> str:
    return match.group("number") + (match.group("percent") or "")


def _counts(sentence: str) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for match in _COUNT.finditer(sentence):
        unit = re.sub(r"\s+", "", match.group(2).lower())
        besaran = _COUNT_BESARAN[unit]
        if besaran in found and found[besaran] != match.group(1):
            return []  # two counts of the same thing: which one is the report's?
        # what follows the count up to the next figure, and the words just before it, qualify it
        after = re.split(r"\d", sentence[match.end() :], maxsplit=1)[0][:80]
        if _QUALIFIED.search(after) or _QUALIFIED_BEFORE.search(sentence[: match.start()]):
            return []
        found[besaran] = match.group(1)
    return list(found.items()) if len(found) >= 2 else []


def _average(sentence: str) -> list[tuple[str, str]]:
    values = {
        _value(match)
        for match in _AVERAGE.finditer(sentence)
        if match.group("percent") and not _AVERAGE_OF_OTHER.match(match.group("fill"))
    }
    return [("rata-rata capaian", values.pop())] if len(values) == 1 else []


def _entity_figures(sentence: str, entities: list[_Entity]) -> tuple[_Entity | None, list[tuple[str, str]]]:
    named = _named(sentence, entities)
    if len(named) != 1 or _ELSEWHERE.search(sentence):
        return None, []
    entity, name = named[0]
    figures: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for besaran, pattern in _ENTITY_FIGURES:
        values = []
        for match in pattern.finditer(sentence):
            span = match.span("number")
            if any(start <= span[0] < end for start, end in taken):
                continue
            values.append((_value(match), span))
        if len({value for value, _span in values}) == 1:
            figures.append((besaran, values[0][0]))
            taken.extend(span for _value_, span in values)
    # "Nilai Paten 96,7 menunjukkan ...": the figure printed right after the name is its realisasi
    if not any(besaran == "realisasi kinerja" for besaran, _value_ in figures):
        printed = name.phrase.search(sentence)
        after = _RIGHT_AFTER.match(sentence, printed.end()) if printed else None
        if after and not any(start <= after.start("number") < end for start, end in taken):
            figures.append(("realisasi kinerja", _value(after)))
    return entity, figures


def cite_sentences(document: Document, found: Recognised) -> None:
    """Kutipan rows for the figures sentences restate; the sentences placed leave the not-placed list."""
    entities = _entities(found)
    tahun = str(found.cells.get("tahun", ""))
    cited = {
        (row.source.what, row.source.page, row.source.line)
        for row in found.rows.get("kutipan", [])
        if row.source.what.startswith("kalimat")
    }
    listed = {id(paragraph) for paragraph in found.unplaced_sentences}
    replaced: dict[int, list[Paragraph]] = {}
    section = ""
    for block in document.blocks:
        if isinstance(block, Table):
            continue
        if block.heading:
            section = block.text
            continue
        if id(block) not in listed and _FIGURE.search(block.text):
            continue  # placed by the Ringkasan sentences
        if (f"kalimat: “{block.text[:80]}…”", block.page, block.line) in cited:
            replaced[id(block)] = []  # its capaian / kemajuan were cited after the indicator's table
            continue
        left: list[Paragraph] = []
        for sentence in _sentences(block.text):
            if not re.search(r"\d", sentence):
                continue
            rows = _cite(sentence, entities, tahun)
            if not rows:
                if _FIGURE.search(sentence):
                    left.append(Paragraph(sentence, page=block.page, line=block.line))
                continue
            where = f"kalimat “{sentence[:60]}…”"
            lokasi = f"{section[:50]}: {where}" if section else where
            source = Source(f"{section[:50]}: {where}" if section else where, block.page, block.line)
            for besaran, value, entity in rows:
                fields = {"lokasi": lokasi, "besaran": besaran, "nilai": value}
                if entity is not None and entity.kind == "indikator":
                    fields["_indikator"] = entity.uraian
                elif entity is not None:
                    fields["kode"] = entity.kode
                found.add("kutipan", fields, source)
        if id(block) in listed:
            replaced[id(block)] = left
    unplaced = []
    for paragraph in found.unplaced_sentences:
        unplaced.extend(replaced.get(id(paragraph), [paragraph]))
    found.unplaced_sentences = unplaced


def _cite(sentence: str, entities: list[_Entity], tahun: str) -> list[tuple[str, str, _Entity | None]]:
    years = set(_YEAR.findall(sentence))
    if years - {tahun}:
        return []  # another year's figures, or a span of years
    rows: list[tuple[str, str, _Entity | None]] = []
    if not _named(sentence, entities):
        rows += [(besaran, value, None) for besaran, value in _counts(sentence)]
        rows += [(besaran, value, None) for besaran, value in _average(sentence)]
    entity, figures = _entity_figures(sentence, entities)
    rows += [(besaran, value, entity) for besaran, value in figures]
    return rows


# --- figures repeated in other tables ----------------------------------------------------------

#: column role -> what a figure of that column is, in an indicator's row
_TABLE_BESARAN = {
    "target": "target",
    "realisasi": "realisasi kinerja",
    "capaian": "capaian",
    "efisiensi": "efisiensi",
    "pagu": "alokasi",
    "persen_alokasi": "persen alokasi",
    "persen_rp": "serapan",
    "realisasi_rp": "realisasi",
}
#: the indicator's own field a cited figure restates (a figure equal to it may be where it came from)
_FIELD_OF = {
    "target": "target",
    "realisasi kinerja": "realisasi",
    "capaian": "capaian_dilaporkan",
    "efisiensi": "efisiensi_dilaporkan",
}
#: a total row: its capaian is the mean capaian, its serapan the whole budget's, its efisiensi the report's
_TOTAL_BESARAN = {"capaian": "rata-rata capaian", "serapan": "total serapan", "efisiensi": "efisiensi"}
_TOTAL_ROW = re.compile(r"^\s*(jumlah|total|rata\s*-?\s*rata)\b", re.IGNORECASE)
#: tables that are the source of what they hold (the indicator table, the budget, ...), not a repetition
_SOURCES = ("indikator", "anggaran", "PK anggaran", "penduduk")


def _number(text: str) -> float | None:
    from ..values import UnreadableValue, parse_value

    try:
        parsed = parse_value(text, "target")
    except UnreadableValue:
        return None
    return float(parsed.value) if parsed.kind == "number" else None


#: what an indicator's budget lines give: known only when impor linked all its lines
_MONEY = ("alokasi", "persen alokasi", "realisasi", "serapan", "efisiensi")
_PROGRAM_ROW = re.compile(r"^\s*(?:\d{1,2}[.)]\s*)?program\b", re.IGNORECASE)


def _unit(text: str) -> str:
    """The unit printed with a figure: "%", a word ("kegiatan"), or none."""
    if "%" in text:
        return "%"
    words = re.findall(r"[A-Za-z]{2,}", text)
    return words[-1].lower() if words else ""


def _unsure_links(document: Document, found: Recognised) -> set[int]:
    """The indicators a cost-per-outcome table lists more programs under than impor linked to them:
    their alokasi, realisasi and serapan would be computed from part of their budget."""
    indicators = found.rows.get("indikator", [])
    linked: dict[int, int] = {}
    for row in found.rows.get("anggaran", []):
        served = row.fields.get("_indikator", "")
        best = max(indicators, key=lambda ik: similarity(ik.fields.get("uraian", ""), served), default=None)
        if served and best is not None and similarity(best.fields.get("uraian", ""), served) >= 0.75:
            linked[id(best)] = linked.get(id(best), 0) + 1
    listed: dict[int, int] = {}
    for table in document.tables():
        if not found.used.get(id(table), "").startswith("anggaran"):
            continue
        header, data = analyse(table.rows)
        indikator, uraian = header.first("indikator"), header.first("uraian")
        if indikator is None or uraian is None:
            continue
        current = None
        for row in data:
            text = row[indikator].strip() if indikator < len(row) else ""
            name = row[uraian].strip() if uraian < len(row) else ""
            if text and not _PROGRAM_ROW.match(name):
                current = _match_indicator(found, strip_numbering(text))
            elif current is not None and _PROGRAM_ROW.match(name) and any(_number(cell) for cell in row):
                listed[id(current)] = listed.get(id(current), 0) + 1
    return {key for key, count in listed.items() if count > linked.get(key, 0)}


def _columns(header: Header, tahun: object) -> dict[str, int]:
    """besaran -> the one column printing it for the report's year (a column of another year is not)."""
    columns: dict[str, int] = {}
    for role, besaran in _TABLE_BESARAN.items():
        indexes = [index for index in header.roles.get(role, []) if header.years.get(index) in (None, tahun)]
        if len(indexes) == 1:
            columns[besaran] = indexes[0]
    return columns


def cite_tables(document: Document, found: Recognised) -> None:
    """Kutipan rows for an indicator's figures repeated in a table other than the one it came from:
    target, realisasi, capaian, serapan, efisiensi, alokasi and its share; a total row's mean capaian,
    total serapan and efisiensi.  A figure equal to the indicator's own may be its source: not cited."""
    tahun = found.cells.get("tahun")
    indicators = found.rows.get("indikator", [])
    if not indicators:
        return
    unsure = _unsure_links(document, found)
    for table in document.tables():
        use = found.used.get(id(table), "")
        if use in _SOURCES or use.startswith("Renstra"):
            continue
        header, data = analyse(table.rows)
        column_of_indicator = header.first("indikator")
        if column_of_indicator is None:
            continue
        columns = _columns(header, tahun)
        if not set(columns) - {"target"}:
            continue  # targets alone: a plan or an agreement (PK), maybe of another set of indicators
        # a total row sums up indicators only where no program or kegiatan is listed
        of_indicators = "uraian" not in header.roles
        title = _title(table)
        source = Source(title, table.page, table.line)
        best: dict[int, tuple[float, int, list[str]]] = {}
        tied: set[int] = set()
        sasaran = ""
        for number, row in enumerate(data):
            sasaran_column = header.first("sasaran")
            if sasaran_column is not None and sasaran_column < len(row) and row[sasaran_column].strip():
                sasaran = row[sasaran_column].strip()
            label = next((cell for cell in row if cell.strip() and not is_numbering(cell)), "")
            if _TOTAL_ROW.match(label):
                if not of_indicators:
                    continue  # the mean of the programs or kegiatan listed, not of the indicators
                for besaran, total in _TOTAL_BESARAN.items():
                    index = columns.get(besaran)
                    value = row[index].strip() if index is not None and index < len(row) else ""
                    if value and _number(value) is not None:
                        lokasi = f"{title[:60]}, baris {row[0] or 'jumlah'}"[:120]
                        found.add("kutipan", {"lokasi": lokasi, "besaran": total, "nilai": value}, source)
                continue
            text = strip_numbering(row[column_of_indicator].strip()) if column_of_indicator < len(row) else ""
            indicator = _match_indicator(found, text, sasaran) if text else None
            if indicator is None:
                continue
            own_sasaran = indicator.fields.get("_sasaran", "")
            if own_sasaran and sasaran and similarity(own_sasaran, sasaran) < 0.75:
                continue  # the same wording under another sasaran: another indicator
            score = similarity(indicator.fields.get("uraian", ""), text) + 0.2 * similarity(
                indicator.fields.get("_sasaran", ""), sasaran
            )
            key = id(indicator)
            if key in best and abs(best[key][0] - score) < 1e-9:
                tied.add(key)
            if key not in best or score > best[key][0]:
                best[key] = (score, number, row)
                tied.discard(key)
        for indicator in indicators:
            if id(indicator) not in best or id(indicator) in tied:
                continue  # two rows of the table may be this indicator: which one is it?
            _score, number, row = best[id(indicator)]
            for besaran, index in columns.items():
                value = row[index].strip() if index < len(row) else ""
                stated = _number(value) if value else None
                if stated is None:
                    continue
                if besaran == "realisasi" and "%" in value:
                    besaran = "serapan"  # "% penyerapan anggaran"
                own = indicator.fields.get(_FIELD_OF.get(besaran, ""), "")
                if own and _number(own) == stated:
                    continue  # the same figure: maybe where the indicator's own came from
                if own and _unit(own) != _unit(value):
                    continue  # "44 Kegiatan" against "81%": another measure of it
                if besaran in _MONEY and id(indicator) in unsure:
                    continue  # its budget lines are not all linked: its true figure is not known
                lokasi = f"{title[:60]}, baris {number + 1} kolom {header.labels[index][:30]}"
                found.add(
                    "kutipan",
                    {
                        "lokasi": lokasi,
                        "besaran": besaran,
                        "_indikator": indicator.fields.get("uraian", ""),
                        "nilai": value,
                    },
                    source,
                )


def cite(document: Document, found: Recognised) -> None:
    """Every figure the report repeats, in another table or in a sentence, as a Kutipan row."""
    cite_tables(document, found)
    cite_sentences(document, found)


__all__ = ["cite", "cite_sentences", "cite_tables"]
