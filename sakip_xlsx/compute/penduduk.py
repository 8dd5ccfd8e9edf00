"""The population table (penduduk)."""

from __future__ import annotations

from .. import quantities as q
from ..tables import DColumn, DerivedTable
from .figures import input_ref


class PendudukTables:
    """Part of the computation (mixed into ``_Computer``; its state is set by ``_Computer.__init__``)."""

    def _penduduk(self) -> None:
        table = DerivedTable(
            "penduduk",
            "Rekap Penduduk",
            "Jumlah Penduduk menurut Jenis Kelamin",
            [
                DColumn("tahun", "Tahun", "kode", 10),
                DColumn("laki_laki", "Laki-laki", "integer", 13),
                DColumn("perempuan", "Perempuan", "integer", 13),
                DColumn("total", "Jumlah", "integer", 13),
                DColumn("rasio", "Rasio Jenis Kelamin", "percent", 12),
            ],
            note="Jumlah = laki-laki + perempuan; rasio = laki-laki / perempuan × 100.",
        )
        for record in self.sub.records("penduduk"):
            laki, perempuan = input_ref(record, "laki_laki"), input_ref(record, "perempuan")
            if laki is None or perempuan is None:
                continue
            total, rasio = q.penduduk_total(laki, perempuan), q.rasio_jenis_kelamin(laki, perempuan)
            table.add(
                str(record.get("tahun")),
                {
                    "tahun": record.get("tahun"),
                    "laki_laki": laki,
                    "perempuan": perempuan,
                    "total": total,
                    "rasio": rasio,
                },
            )
            self.penduduk[record.row] = {"total": total, "rasio": rasio}
        if table.rows:
            self.tables.append(table)
