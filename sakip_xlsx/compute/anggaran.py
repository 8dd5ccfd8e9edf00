"""The budget tables: realisasi anggaran, capaian program, alokasi dan efisiensi, efisiensi SDM, PK against DPA, analisis program."""

from __future__ import annotations

from typing import Any

from .. import quantities as q
from ..expr import Cells, CellsSum, Column, Expr, Numbers, Ref, RollUp, Sum, is_cell_number
from ..model import BudgetLine, Record
from ..tables import FIRST_ROW, DColumn, DerivedTable, DRow
from .figures import _LEVEL_STYLE, BLANK_CELL, BudgetFigures, BudgetResults, input_ref, match_program


class AnggaranTables:
    """Part of the computation (mixed into ``_Computer``; its state is set by ``_Computer.__init__``)."""

    # -- budget --------------------------------------------------------------
    def _realisasi_anggaran(self) -> None:
        table = DerivedTable(
            "realisasi_anggaran",
            "Realisasi Anggaran",
            "Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan",
            [
                DColumn("kode", "Kode", "kode", 20),
                DColumn("tingkat", "Tingkat", "text", 12),
                DColumn("uraian", "Uraian", "text", 48),
                DColumn("pagu", "Pagu (Rp)", "rupiah", 17),
                DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
                DColumn("selisih", "Selisih (Rp)", "rupiah", 16),
                DColumn("serapan", "Serapan (%)", "percent", 11),
            ],
            note="Pagu dan realisasi program/kegiatan = jumlah rinciannya; selisih = pagu − realisasi; "
            "serapan = realisasi / pagu × 100.",
        )
        lines: list[BudgetLine] = []  # the budget tree in table order: a line, then its children
        order: list[int] = []  # the same positions, each line's children before the line

        def place(line: BudgetLine) -> None:
            position = len(lines)
            lines.append(line)
            for child in line.children:
                place(child)
            order.append(position)

        for program in self.sub.programs:
            place(program)
        figures = BudgetFigures(lines, table)
        count = len(lines)
        children = [tuple(figures.position[child.record.row] for child in line.children) for line in lines]
        rows = range(FIRST_ROW, FIRST_ROW + count)
        data = self.sub.tables.get("anggaran")
        rolled_up = [False] * count
        for field_id in ("pagu", "realisasi"):
            own: Expr = BLANK_CELL  # the column is missing: every line is blank
            parts: list[tuple[int, ...] | None] = [None] * count
            if data is not None and field_id in data.data:
                values = data.values(field_id)
                own = Cells(
                    data.sheet,
                    data.columns[field_id],
                    [line.record.row for line in lines],
                    [values[line.record.index] for line in lines],
                )
                # a line is the Σ of its children when one of them (or of theirs) has an amount
                has_amount = [is_cell_number(cached) for cached in own.cached]
                for position in range(count - 1, -1, -1):
                    below = children[position]
                    if below and any(has_amount[child] for child in below):
                        has_amount[position] = rolled_up[position] = True
                        parts[position] = children[position]
            column = RollUp(table.sheet, table.column(field_id), rows, parts, own)
            setattr(figures, field_id, Column.of(column, count))
        figures.rolled_up = rolled_up
        pagu = Cells(table.sheet, table.column("pagu"), rows, figures.pagu.values)
        realisasi = Cells(table.sheet, table.column("realisasi"), rows, figures.realisasi.values)
        figures.selisih = Column.of(q.selisih(pagu, realisasi), count)
        figures.serapan = Column.of(q.serapan(pagu, realisasi), count)

        def make_row(position: int) -> DRow:
            record = lines[position].record
            return DRow(
                record.key,
                {
                    "kode": record.key,
                    "tingkat": record.get("tingkat"),
                    "uraian": record.get("uraian"),
                    "pagu": figures.pagu.at(position),
                    "realisasi": figures.realisasi.at(position),
                    "selisih": figures.selisih.at(position),
                    "serapan": figures.serapan.at(position),
                },
                _LEVEL_STYLE.get(lines[position].level, "normal"),
            )

        table.defer(count, make_row)
        programs = [figures.position[p.record.row] for p in self.sub.programs]
        total_pagu = Sum(tuple(figures.ref("pagu", position) for position in programs))
        total_realisasi = Sum(tuple(figures.ref("realisasi", position) for position in programs))
        cells: dict[str, Any] = {"uraian": "Jumlah", "pagu": total_pagu, "realisasi": total_realisasi}
        index = table.add(None, cells, "total")
        pagu_ref, realisasi_ref = table.ref(index, "pagu"), table.ref(index, "realisasi")
        cells["selisih"] = q.selisih(pagu_ref, realisasi_ref)
        cells["serapan"] = q.serapan(pagu_ref, realisasi_ref)
        self.totals |= {
            "total_pagu": total_pagu,
            "total_realisasi": total_realisasi,
            "sisa_anggaran": q.selisih(pagu_ref, realisasi_ref),
            "persen_serapan": q.serapan(pagu_ref, realisasi_ref),
        }
        for name in ("pagu", "realisasi", "selisih", "serapan"):
            self.summary[f"total_{name}"] = table.ref(index, name)
        self.figures = figures
        self.budget = BudgetResults(figures, order)
        self.tables.append(table)

    def _capaian_program(self) -> None:
        table = DerivedTable(
            "capaian_program",
            "Capaian Program",
            "Capaian Kinerja Program, Kegiatan dan Sub Kegiatan",
            [
                DColumn("kode", "Kode", "kode", 20),
                DColumn("tingkat", "Tingkat", "text", 12),
                DColumn("uraian", "Uraian", "text", 40),
                DColumn("indikator", "Indikator Keluaran / Hasil", "text", 36),
                DColumn("satuan", "Satuan", "text", 10),
                DColumn("target", "Target", "number", 11),
                DColumn("realisasi", "Realisasi", "number", 11),
                DColumn("capaian", "Capaian (%)", "percent", 11),
                DColumn("predikat", "Predikat", "text", 20),
            ],
        )
        figures = self.figures
        figures.capaian_table = table
        data = self.sub.tables.get("anggaran")
        self.tables.append(table)
        if data is None or "target" not in data.data or "realisasi_kinerja" not in data.data:
            return
        target_column, realisasi_column = data.data["target"], data.data["realisasi_kinerja"]
        # every line with a target or a realisasi, in sheet order; a range target ("60 – 70") has an upper bound
        plain: list[BudgetLine] = []
        ranged: list[tuple[BudgetLine, float]] = []
        shown: list[tuple[BudgetLine, bool, int]] = []  # table rows: (line, ranged?, index in its group)
        for line in self.sub.budget_lines:
            index = line.record.index
            if not (
                is_cell_number(target_column.values[index]) or is_cell_number(realisasi_column.values[index])
            ):
                continue
            reading = target_column.readings[index]
            if reading is not None and reading.kind == "range":
                shown.append((line, True, len(ranged)))
                ranged.append((line, reading.upper))
            else:
                shown.append((line, False, len(plain)))
                plain.append(line)

        def group(members: list[BudgetLine], upper: Expr | None) -> tuple[Column, Cells, Cells]:
            rows = [line.record.row for line in members]
            target = Cells(
                data.sheet,
                target_column.letter,
                rows,
                [target_column.values[m.record.index] for m in members],
            )
            realisasi = Cells(
                data.sheet,
                realisasi_column.letter,
                rows,
                [realisasi_column.values[m.record.index] for m in members],
            )
            capaian = q.capaian(target, realisasi, False, self.rules, upper)
            return Column.of(capaian, len(members)), target, realisasi

        groups = {
            False: group(plain, None),
            True: group([line for line, _ in ranged], Numbers([upper for _, upper in ranged])),
        }
        for row, (line, is_range, index) in enumerate(shown):
            position = figures.position.get(line.record.row)
            if position is not None:  # a line outside the budget tree (an orphan) has no figures of its own
                figures.capaian_at[position] = (groups[is_range][0], index, row)

        predikat: dict[bool, Column] = {}  # made with the first row the results ask for

        def predikat_of(is_range: bool) -> Column:
            if is_range not in predikat:
                capaian = groups[is_range][0]
                rows = [FIRST_ROW + row for row, (_, ranged, _) in enumerate(shown) if ranged is is_range]
                cells = Cells(table.sheet, table.column("capaian"), rows, capaian.values)
                predikat[is_range] = Column.of(q.predikat(cells, self.rules), len(rows))
            return predikat[is_range]

        def make_row(row: int) -> DRow:
            line, is_range, index = shown[row]
            record = line.record
            capaian, target, realisasi = groups[is_range]
            return DRow(
                record.key,
                {
                    "kode": record.key,
                    "tingkat": record.get("tingkat"),
                    "uraian": record.get("uraian"),
                    "indikator": record.get("indikator_keluaran"),
                    "satuan": record.get("satuan"),
                    "target": target.bind(index),
                    "realisasi": realisasi.bind(index),
                    "capaian": capaian.at(index),
                    "predikat": predikat_of(is_range).at(index),
                },
                _LEVEL_STYLE.get(line.level, "normal"),
            )

        table.defer(len(shown), make_row)
        figures.capaian_rows = [(line, groups[is_range][0], index) for line, is_range, index in shown]

    def _realisasi_ref(self, record: Record) -> Ref | None:
        return input_ref(record, "realisasi")

    # -- allocation and efficiency ----------------------------------------------
    def _linked_lines(self) -> dict[str, list[BudgetLine]]:
        """Top-most budget lines linked to each indicator (children of a linked line are not counted twice)."""
        linked: dict[str, list[BudgetLine]] = {}
        data = self.sub.tables.get("anggaran")
        codes = data.values("indikator_kode") if data is not None else []
        for line in self.sub.budget_lines:
            kode = codes[line.record.index]
            if not kode:
                continue
            ancestor = line.parent
            while ancestor is not None and not codes[ancestor.record.index]:
                ancestor = ancestor.parent
            if ancestor is None and line.record.row in self.budget:
                linked.setdefault(str(kode), []).append(line)
        return linked

    def _alokasi_dan_efisiensi(self) -> None:
        linked = self._linked_lines()
        self.linked_lines = linked
        pagu_cells, realisasi_cells = self.figures.cells("pagu"), self.figures.cells("realisasi")
        total_pagu = self.summary.get("total_pagu")
        alokasi = DerivedTable(
            "alokasi",
            "Alokasi Anggaran",
            "Alokasi Anggaran per Sasaran dan Indikator",
            [
                DColumn("tingkat", "Tingkat", "text", 10),
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Sasaran / Indikator", "text", 48),
                DColumn("pagu", "Alokasi Pagu (Rp)", "rupiah", 17),
                DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
                DColumn("persen", "% dari Total Pagu", "percent", 11),
            ],
            note="Alokasi = jumlah pagu program/kegiatan yang mendukung indikator; % = alokasi / total pagu × 100.",
        )
        indikator_rows: dict[str, int] = {}
        by_sasaran: dict[str, list[Record]] = {}
        for record in self._ordered_indicators():
            by_sasaran.setdefault(str(record.get("sasaran_kode")), []).append(record)
        for sasaran_kode, records in by_sasaran.items():
            sasaran = self.sasaran.get(sasaran_kode)
            sasaran_index = alokasi.add(
                sasaran_kode,
                {
                    "tingkat": "Sasaran",
                    "kode": sasaran_kode,
                    "uraian": sasaran.get("uraian") if sasaran else sasaran_kode,
                },
                "program",
            )
            children = []
            for record in records:
                lines = linked.get(str(record.key), [])
                cells: dict[str, Any] = {
                    "tingkat": "Indikator",
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                }
                if lines:
                    positions = tuple(self.figures.position[ln.record.row] for ln in lines)
                    cells["pagu"] = CellsSum(pagu_cells, positions)
                    cells["realisasi"] = CellsSum(realisasi_cells, positions)
                index = alokasi.add(record.key, cells)
                if lines:
                    alokasi.rows[index].cells["persen"] = q.ratio(alokasi.ref(index, "pagu"), total_pagu)
                    indikator_rows[str(record.key)] = index
                children.append(index)
            with_money = [i for i in children if "pagu" in alokasi.rows[i].cells]
            if with_money:
                cells = alokasi.rows[sasaran_index].cells
                cells["pagu"] = Sum(tuple(alokasi.ref(i, "pagu") for i in with_money))
                cells["realisasi"] = Sum(tuple(alokasi.ref(i, "realisasi") for i in with_money))
                cells["persen"] = q.ratio(alokasi.ref(sasaran_index, "pagu"), total_pagu)
        shares = [i for i in indikator_rows.values()]
        if shares:
            index = alokasi.add(
                None,
                {
                    "uraian": "Jumlah porsi indikator",
                    "pagu": Sum(tuple(alokasi.ref(i, "pagu") for i in shares)),
                    "persen": Sum(tuple(alokasi.ref(i, "persen") for i in shares)),
                },
                "total",
            )
            self.totals["jumlah_porsi"] = alokasi.rows[index].cells["persen"]
        self.tables.append(alokasi)
        self.alokasi_table, self.alokasi_rows = alokasi, indikator_rows
        self.alokasi_sasaran_rows = {
            row.key: i for i, row in enumerate(alokasi.rows) if row.cells.get("tingkat") == "Sasaran"
        }

        efisiensi = DerivedTable(
            "kinerja_anggaran",
            "Kinerja dan Anggaran",
            "Pencapaian Kinerja dan Anggaran (Efisiensi)",
            [
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Indikator Kinerja", "text", 40),
                DColumn("capaian", "Capaian Kinerja (%)", "percent", 12),
                DColumn("pagu", "Pagu (Rp)", "rupiah", 17),
                DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
                DColumn("serapan", "Serapan (%)", "percent", 11),
                DColumn("efisiensi", "Efisiensi", "percent", 11),
            ],
            note=f"Efisiensi = {self.rules.efisiensi_formula}.",
        )
        for record in self._ordered_indicators():
            result = self.indikator.get(record.row)
            index_alokasi = indikator_rows.get(str(record.key))
            if index_alokasi is None:
                continue
            index = efisiensi.add(
                record.key,
                {
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                    "capaian": result.capaian_ref if result and result.capaian_ref else BLANK_CELL,
                    "pagu": alokasi.ref(index_alokasi, "pagu"),
                    "realisasi": alokasi.ref(index_alokasi, "realisasi"),
                },
            )
            serapan = q.serapan(efisiensi.ref(index, "pagu"), efisiensi.ref(index, "realisasi"))
            efisiensi.rows[index].cells["serapan"] = serapan
            value = q.efisiensi(efisiensi.ref(index, "capaian"), efisiensi.ref(index, "serapan"), self.rules)
            efisiensi.rows[index].cells["efisiensi"] = value
            if result is not None:
                result.serapan, result.efisiensi = serapan, value
        self.tables.append(efisiensi)

    def _efisiensi_sdm(self) -> None:
        table = DerivedTable(
            "efisiensi_sdm",
            "Efisiensi SDM",
            "Efisiensi Penggunaan Sumber Daya Manusia",
            [
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Indikator Kinerja", "text", 40),
                DColumn("kebutuhan", "Kebutuhan SDM", "number", 11),
                DColumn("ketersediaan", "Ketersediaan SDM", "number", 11),
                DColumn("persen", "% Ketersediaan", "percent", 11),
                DColumn("capaian", "Capaian (%)", "percent", 11),
                DColumn("efisiensi", "Efisiensi SDM", "percent", 11),
            ],
            note="% ketersediaan = ketersediaan / kebutuhan × 100; efisiensi SDM = capaian − % ketersediaan; "
            "jumlah dihitung Σ/Σ.",
        )
        rows = []
        for record in self._ordered_indicators():
            need, have = input_ref(record, "kebutuhan_sdm"), input_ref(record, "ketersediaan_sdm")
            if need is None or have is None or (need.value() is None and have.value() is None):
                continue
            result = self.indikator.get(record.row)
            index = table.add(
                record.key,
                {
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                    "kebutuhan": need,
                    "ketersediaan": have,
                    "capaian": result.capaian_ref if result and result.capaian_ref else BLANK_CELL,
                },
            )
            table.rows[index].cells["persen"] = q.ratio(
                table.ref(index, "ketersediaan"), table.ref(index, "kebutuhan")
            )
            table.rows[index].cells["efisiensi"] = q.efisiensi_sdm(
                table.ref(index, "capaian"), table.ref(index, "persen")
            )
            rows.append(index)
        if rows:
            index = table.add(
                None,
                {
                    "uraian": "Jumlah",
                    "kebutuhan": Sum(tuple(table.ref(i, "kebutuhan") for i in rows)),
                    "ketersediaan": Sum(tuple(table.ref(i, "ketersediaan") for i in rows)),
                },
                "total",
            )
            table.rows[index].cells["persen"] = q.ratio(
                table.ref(index, "ketersediaan"), table.ref(index, "kebutuhan")
            )
        self.tables.append(table)

    # -- PK and population ---------------------------------------------------------
    def _pk_vs_dpa(self) -> None:
        table = DerivedTable(
            "pk_dpa",
            "PK vs DPA",
            "Anggaran Perjanjian Kinerja dibanding Pagu DPA per Program",
            [
                DColumn("kode", "Kode Program", "kode", 16),
                DColumn("uraian", "Program", "text", 44),
                DColumn("versi", "Versi PK", "text", 11),
                DColumn("pk", "Anggaran PK (Rp)", "rupiah", 17),
                DColumn("dpa", "Pagu DPA (Rp)", "rupiah", 17),
                DColumn("selisih", "Selisih (Rp)", "rupiah", 16),
            ],
            note="Selisih = anggaran PK − pagu DPA program yang sama.",
        )
        by_versi: dict[str, list[int]] = {}
        for record in self.sub.records("pk_anggaran"):
            anggaran = input_ref(record, "anggaran")
            versi = record.get("versi") or "Murni"
            program = match_program(record, self.sub.programs)
            cells: dict[str, Any] = {
                "kode": record.get("program_kode") or (program.record.key if program else None),
                "uraian": record.get("uraian"),
                "versi": versi,
                "pk": anggaran,
            }
            if program is not None:
                dpa = self.budget[program.record.row].pagu_ref
                cells["dpa"] = dpa
            index = table.add(record.get("program_kode"), cells)
            if program is not None and anggaran is not None:
                table.rows[index].cells["selisih"] = table.ref(index, "pk") - table.ref(index, "dpa")
                self.pk_by_program.setdefault(str(record.row), {})["dpa"] = table.ref(index, "dpa")
            by_versi.setdefault(versi, []).append(index)
        for versi, indexes in by_versi.items():
            index = table.add(
                None,
                {"uraian": f"Jumlah PK {versi}", "pk": Sum(tuple(table.ref(i, "pk") for i in indexes))},
                "total",
            )
            self.totals[f"total_pk:{versi}"] = table.rows[index].cells["pk"]
            self.summary[f"total_pk:{versi}"] = table.ref(index, "pk")
        self.tables.append(table)

    # -- section 11: program analysis, Renstra matrix, citations ----------------------
    def _analisis_program(self) -> None:
        table = DerivedTable(
            "analisis_program",
            "Analisis Program",
            "Analisis Kinerja Program: Kemajuan, Efisiensi, Pembanding, SDM",
            [
                DColumn("kode", "Kode", "kode", 18),
                DColumn("uraian", "Program / Kegiatan", "text", 36),
                DColumn("capaian", "Capaian (%)", "percent", 11),
                DColumn("target_akhir", "Target Akhir Renstra", "number", 11),
                DColumn("realisasi", "Realisasi Kinerja", "number", 11),
                DColumn("kemajuan", "Kemajuan (%)", "percent", 11),
                DColumn("serapan", "Serapan (%)", "percent", 11),
                DColumn("efisiensi", "Efisiensi", "percent", 11),
                DColumn("kabupaten", "Pembanding Kab.", "number", 11),
                DColumn("provinsi", "Pembanding Prov.", "number", 11),
                DColumn("nasional", "Pembanding Nas.", "number", 11),
                DColumn("persen_sdm", "% Ketersediaan SDM", "percent", 11),
                DColumn("efisiensi_sdm", "Efisiensi SDM", "percent", 11),
            ],
            note=f"Kemajuan = realisasi kinerja / target akhir Renstra × 100; efisiensi = {self.rules.efisiensi_formula}; "
            "efisiensi SDM = capaian − % ketersediaan SDM.",
        )
        analysis_fields = (
            "target_renstra_akhir",
            "pembanding_kabupaten",
            "pembanding_provinsi",
            "pembanding_nasional",
            "kebutuhan_sdm",
            "ketersediaan_sdm",
            "kemajuan_dilaporkan",
            "efisiensi_dilaporkan",
        )
        data = self.sub.tables.get("anggaran")
        analysed = {  # lines with one of the fields filled in
            index
            for field_id in analysis_fields
            if data is not None and field_id in data.data
            for index, value in enumerate(data.values(field_id))
            if value is not None and value != ""
        }
        for line in self.sub.budget_lines:
            record = line.record
            if record.index not in analysed or record.row not in self.budget:
                continue  # nothing to analyse, or a line outside the budget tree (reported as such)
            result = self.budget[record.row]
            realisasi = input_ref(record, "realisasi_kinerja")
            target_akhir = input_ref(record, "target_renstra_akhir")
            index = table.add(
                record.key,
                {
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                    "capaian": result.capaian_ref if result.capaian_ref is not None else BLANK_CELL,
                    "target_akhir": target_akhir,
                    "realisasi": realisasi,
                    "serapan": result.serapan_ref,
                    "kabupaten": input_ref(record, "pembanding_kabupaten"),
                    "provinsi": input_ref(record, "pembanding_provinsi"),
                    "nasional": input_ref(record, "pembanding_nasional"),
                },
                {0: "program", 1: "kegiatan"}.get(line.level, "normal"),
            )
            cells = table.rows[index].cells
            if target_akhir is not None and realisasi is not None and target_akhir.value() is not None:
                result.kemajuan = q.capaian(target_akhir, realisasi, False, self.rules)
                cells["kemajuan"] = result.kemajuan
            if result.capaian_ref is not None:
                result.efisiensi = q.efisiensi(
                    table.ref(index, "capaian"), table.ref(index, "serapan"), self.rules
                )
                cells["efisiensi"] = result.efisiensi
            need, have = input_ref(record, "kebutuhan_sdm"), input_ref(record, "ketersediaan_sdm")
            if need is not None and have is not None and need.value() is not None:
                cells["persen_sdm"] = q.ratio(have, need)
                if result.capaian_ref is not None:
                    cells["efisiensi_sdm"] = q.efisiensi_sdm(
                        table.ref(index, "capaian"), table.ref(index, "persen_sdm")
                    )
        if table.rows:
            self.tables.append(table)
