"""The Renstra/Renja matrix: yearly roll-ups, period totals, targets and pagu per printing."""

from __future__ import annotations

from typing import Any

from ..expr import Average, Expr, Sum
from ..model import BudgetLine, Record
from ..precision import is_number
from ..tables import DColumn, DerivedTable
from .figures import input_ref, match_program
from .plan import (
    DEFAULT_PRINTING,
    PlanTree,
    Resolver,
    _renstra_value,
    is_renja_printing,
    is_revised_printing,
    printing_of,
)


class RenstraTables:
    """Part of the computation (mixed into ``_Computer``; its state is set by ``_Computer.__init__``)."""

    def _renstra(self) -> None:
        """Renstra/Renja matrix: target and pagu per year, kondisi akhir, period totals, per printing.

        Each printing of the plan (column ``sumber``: Renstra, Renja, Renstra Perubahan, ...) is
        rolled up on its own; a budget kode that is not in Anggaran (planned for other years) is
        placed in the tree by its kode prefix. Printings of the same kode and year are compared.
        """
        records = self.sub.records("renstra")
        if not records:
            return
        resolver = Resolver(self.sub)
        plan = PlanTree(self.sub, records, resolver)
        years = sorted({int(r.get("tahun")) for r in records if is_number(r.get("tahun"))})
        start, end = self.sub.cell_value("renstra_awal"), self.sub.cell_value("renstra_akhir")
        if is_number(start) and is_number(end) and 0 <= end - start <= 10:
            years = sorted(set(years) | set(range(int(start), int(end) + 1)))
        tahun = self.sub.cell_value("tahun")
        tahun = int(tahun) if is_number(tahun) else None
        printings: list[str] = []
        cells: dict[tuple[int, int, str, str], Record] = {}  # (id(item), year, field, printing) -> record
        items: dict[tuple[int, str], tuple[str, Any]] = {}  # (id(item), printing) -> (kind, item)
        for record in records:
            found = plan.find(record.get("kode"))
            if found is None:
                continue
            printing = printing_of(record)
            if printing not in printings:
                printings.append(printing)
            items.setdefault((id(found[1]), printing), found)
            year = record.get("tahun")
            if not is_number(year):
                continue
            for field_id in ("target", "pagu"):
                if record.get(field_id) is None:
                    continue
                key = (id(found[1]), int(year), field_id, printing)
                first = cells.setdefault(key, record)
                if first is not record:  # the same printing typed twice: both must say the same
                    self.renstra_checks[(record.row, f"ulang_{field_id}")] = input_ref(first, field_id)
        # printings of the same kode and year against the first one that gives the figure
        for (key, year, field_id, _printing), record in cells.items():
            reference = next(
                (
                    cells[(key, year, field_id, other)]
                    for other in printings
                    if (key, year, field_id, other) in cells
                ),
                record,
            )
            if reference is not record:
                self.renstra_checks[(record.row, f"cetakan_{field_id}")] = input_ref(reference, field_id)
        year_columns = [DColumn(f"y{y}", str(y), "number", 12) for y in years]
        for number, printing in enumerate(printings):
            self._renstra_pagu(plan, printing, number, years, year_columns, cells, records, tahun)
        self._renstra_target(plan, printings, items, years, year_columns, cells, records, tahun)

    def _renstra_pagu(
        self,
        plan: PlanTree,
        printing: str,
        number: int,
        years: list[int],
        year_columns: list[DColumn],
        cells: dict[tuple[int, int, str, str], Record],
        records: list[Record],
        tahun: int | None,
    ) -> None:
        """Pagu per year of one printing, rolled up over the budget tree (unbudgeted lines included)."""
        named = "" if printing == DEFAULT_PRINTING else f" ({printing})"
        pagu = DerivedTable(
            "renstra_pagu" if number == 0 else f"renstra_pagu_{number + 1}",
            "Renstra Pagu" if number == 0 else f"Renstra Pagu {number + 1}",
            f"Matriks Renstra/Renja{named}: Pagu per Tahun",
            [
                DColumn("kode", "Kode", "kode", 18),
                DColumn("uraian", "Uraian", "text", 40),
                *[DColumn(c.id, c.header, "rupiah", 16) for c in year_columns],
                DColumn("total", "Total Periode", "rupiah", 17),
            ],
            note="Pagu program/kegiatan = jumlah rinciannya per tahun; total periode = jumlah semua tahun. "
            "Baris yang tidak ada di lembar Anggaran ditempatkan menurut awalan kodenya.",
        )
        pagu_rows: dict[int, int] = {}
        pk_murni = self._pk_murni_by_program() if is_renja_printing(printing) else {}
        # a proposed revision, or a Renja once the budget was revised (a PK Perubahan exists), may
        # differ from the final DPA: said as info, not as a warning on every line
        revised = is_revised_printing(printing) or (
            bool(pk_murni)
            and any(str(r.get("versi") or "") == "Perubahan" for r in self.sub.records("pk_anggaran"))
        )

        def has_pagu(line: BudgetLine) -> bool:
            return any((id(line), y, "pagu", printing) in cells for y in years) or any(
                has_pagu(c) for c in plan.children(line)
            )

        def place(line: BudgetLine) -> None:
            if not has_pagu(line):
                return
            pagu_rows[id(line)] = pagu.add(
                plan.key(line),
                {"kode": plan.key(line), "uraian": line.record.get("uraian")},
                {0: "program", 1: "kegiatan"}.get(line.level, "normal"),
            )
            for child in plan.children(line):
                place(child)

        for root in plan.roots():
            place(root)

        def fill(line: BudgetLine) -> None:
            if id(line) not in pagu_rows:
                return
            for child in plan.children(line):
                fill(child)
            index = pagu_rows[id(line)]
            row_cells = pagu.rows[index].cells
            children = [c for c in plan.children(line) if id(c) in pagu_rows]
            for year in years:
                typed = cells.get((id(line), year, "pagu", printing))
                with_values = [
                    c for c in children if _renstra_value(pagu, pagu_rows[id(c)], f"y{year}") is not None
                ]
                unsure = (id(line), year, printing) in plan.tainted  # an unknown row may belong under it
                if with_values and not (unsure and typed is not None):
                    expr: Expr = Sum(tuple(pagu.ref(pagu_rows[id(c)], f"y{year}") for c in children))
                    if typed is not None:
                        self.renstra_checks[(typed.row, "pagu")] = expr
                elif typed is not None:
                    expr = input_ref(typed, "pagu")
                else:
                    continue
                row_cells[f"y{year}"] = expr
                if typed is not None and year == tahun and not plan.is_unbudgeted(line):
                    what = "dpa_revisi" if revised else "dpa"
                    self.renstra_checks[(typed.row, what)] = self.budget[line.record.row].pagu_ref
                    if id(line) in pk_murni:
                        self.renstra_checks[(typed.row, "pk_murni")] = pk_murni[id(line)]
            row_cells["total"] = Sum(tuple(pagu.ref(index, f"y{y}") for y in years))
            for record in plan.stating(records, line, printing, "pagu_akhir_dilaporkan"):
                self.renstra_checks[(record.row, "pagu_akhir")] = pagu.ref(index, "total")

        for root in plan.roots():
            fill(root)
        if pagu.rows:
            self.tables.append(pagu)

    def _pk_murni_by_program(self) -> dict[int, Expr]:
        """id(program line) -> the PK Murni anggaran typed for it."""
        out: dict[int, Expr] = {}
        for record in self.sub.records("pk_anggaran"):
            if str(record.get("versi") or "Murni") != "Murni" or record.get("anggaran") is None:
                continue
            program = match_program(record, self.sub.programs)
            if program is not None:
                out.setdefault(id(program), input_ref(record, "anggaran"))
        return out

    def _renstra_target(
        self,
        plan: PlanTree,
        printings: list[str],
        items: dict[tuple[int, str], tuple[str, Any]],
        years: list[int],
        year_columns: list[DColumn],
        cells: dict[tuple[int, int, str, str], Record],
        records: list[Record],
        tahun: int | None,
    ) -> None:
        """Targets per year and the kondisi akhir by agregasi, one row per kode and printing."""
        several = len(printings) > 1
        target = DerivedTable(
            "renstra_target",
            "Renstra Target",
            "Matriks Renstra/Renja: Target per Tahun dan Kondisi Akhir",
            [
                DColumn("kode", "Kode", "kode", 18),
                DColumn("uraian", "Indikator / Program", "text", 40),
                *([DColumn("sumber", "Sumber", "text", 14)] if several else []),
                DColumn("agregasi", "Agregasi", "text", 11),
                *year_columns,
                DColumn("akhir", "Kondisi Akhir", "number", 12),
            ],
            note="Kondisi akhir: Jumlah = jumlah target semua tahun; Nilai Akhir = target tahun terakhir yang terisi; "
            "Rata-rata = rata-rata target tahunan.",
        )
        for (key, printing), (kind, item) in items.items():
            record = item.record if isinstance(item, BudgetLine) else item
            present = [y for y in years if (key, y, "target", printing) in cells]
            if not present:
                continue
            agregasi = record.get("agregasi") if not plan.is_unbudgeted(item) else None
            agregasi = agregasi or "Nilai Akhir"
            row_cells: dict[str, Any] = {
                "kode": plan.key(item) if isinstance(item, BudgetLine) else record.key,
                "uraian": record.get("uraian"),
                "agregasi": agregasi,
            }
            if several:
                row_cells["sumber"] = printing
            for year in present:
                row_cells[f"y{year}"] = input_ref(cells[(key, year, "target", printing)], "target")
            index = target.add(row_cells["kode"], row_cells)
            refs = [target.ref(index, f"y{y}") for y in present]
            if agregasi == "Jumlah":
                akhir: Expr = Sum(tuple(refs))
            elif agregasi == "Rata-rata":
                first, last = target.cell(index, f"y{years[0]}"), target.cell(index, f"y{years[-1]}")
                akhir = Average(target.sheet, first, last, tuple(target.ref(index, f"y{y}") for y in years))
            else:
                akhir = refs[-1]
            target.rows[index].cells["akhir"] = akhir
            akhir_ref = target.ref(index, "akhir")
            for other in plan.stating(records, item, printing, "target_akhir_dilaporkan"):
                self.renstra_checks[(other.row, "target_akhir")] = akhir_ref
            typed = cells.get((key, tahun, "target", printing)) if tahun is not None else None
            if typed is not None and kind == "indikator":
                what = "target_tahun_ini_revisi" if is_revised_printing(printing) else "target_tahun_ini"
                self.renstra_checks[(typed.row, what)] = input_ref(record, "target")
            if (
                kind == "indikator"
                and printing == printings[0]
                and record.get("target_renstra_akhir") is not None
            ):
                self.renstra_checks[(record.row, "target_renstra_akhir")] = akhir_ref
        if target.rows:
            self.tables.append(target)
