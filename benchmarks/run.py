"""Benchmarks: speed and memory of template, check, results, rekap and laporan against the parser floor.

Usage::

    python benchmarks/run.py                       # S, L and XL, 5 runs each
    python benchmarks/run.py --sizes S,L --runs 3  # a subset
    python benchmarks/run.py --quick               # S and L, 1 run, 40-file batch: a smoke run
    python benchmarks/run.py --json out.json       # where the table goes as JSON

What it does, in one process so that every ratio compares figures measured
on the same machine at the same time:

1. **Workbooks.**  A blank template is written with ``write_template`` (the
   ``default`` rules) and filled *only through the published schema*
   (``sakip_xlsx.schema.template_schema()``: single cells at
   ``cells[].sheet/cell``, table rows from ``first_data_row`` down at each
   column's letter) with openpyxl, exactly as ``tests/helpers.fill_template``
   does.  Rows beyond the template's pre-formatted area are simply written
   below it (users may add rows).  The data are deterministic (seeded):
   S = a kecamatan (10 indicators, 60 budget lines), L = a dinas
   (200 indicators, 3,000 budget lines), XL = a consolidated pemda
   (1,000 indicators, 50,000 budget lines).  Budget lines form a
   Permendagri 90 tree (program, kegiatan, sub kegiatan) with stated totals,
   selisih and serapan; about 10% of amounts are typed as text
   (``Rp 1.250.000``, ``98,71 %``) and about 1% of the stated figures are
   wrong, so the checks have something to find.  Each generated file is read
   back once with ``read_workbook`` before measuring (the reader must accept
   it as a template).
2. **Floors.**  For the same file: openpyxl ``load_workbook`` (default mode)
   and python-calamine ``to_python()`` of every sheet.  Each floor is timed
   around the load call alone, inside a fresh interpreter (imports and start-up
   are *not* counted: the floors are the bare parser cost).
3. **Commands.**  ``python -m sakip_xlsx.cli check FILE --format json`` and
   ``... results FILE -o OUT --overwrite``, each in a fresh subprocess; wall
   time counts everything (interpreter start-up, imports, safety gate, read,
   checks, JSON output).  Ratios = command wall / floor.  Peak RSS is the
   child's ``ru_maxrss`` from ``os.wait4`` (this child alone).
   The package's modules are byte-compiled first (``compileall``), as
   ``pip install`` does: this machine sets ``PYTHONDONTWRITEBYTECODE=1``,
   which would otherwise make every run compile every module again.
4. **Start-up.**  ``sakip-xlsx --help`` (the installed console script) and
   ``template``.  ``rekap`` and ``laporan FILE -o OUT.docx`` (the Word report) per
   size, like ``results``, when the command exists.
6. **impor.**  A deterministic LKjIP-like Word report (headings, narrative,
   a budget table per chapter; about 100 pages when printed) and its PDF
   (LibreOffice), each imported with ``sakip-xlsx impor`` in a fresh subprocess.
5. **Batch.**  ``check`` over 200 copies of S with ``--jobs 1`` and
   ``--jobs 2``; the speed-up is their ratio.

Every figure is the median over ``--runs`` runs with its spread (min-max).
The table is printed and written as JSON (``--json``, default
``benchmarks/results.json``).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "benchmarks" / "results.json"


# ---------------------------------------------------------------------------
# Workbook generation (through the schema)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    name: str
    what: str
    indicators: int
    budget_lines: int
    sasaran: int


SIZES = {
    "S": Size("S", "kecamatan", 10, 60, 3),
    "L": Size("L", "dinas", 200, 3_000, 20),
    "XL": Size("XL", "pemda konsolidasi", 1_000, 50_000, 100),
}

SATUAN = ("%", "Dokumen", "Laporan", "Orang", "Kegiatan", "Desa", "Indeks", "Unit")
SUMBER = ("APBD", "DAK", "DAU", "APBD-P")


def _rupiah_text(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def _percent_text(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + " %"


def _budget_tree(count: int) -> list[tuple[str, int]]:
    """``count`` (kode, level) pairs: programs, their kegiatan, their sub kegiatan, in row order."""
    per_kegiatan = 12  # sub kegiatan per kegiatan
    per_program = 4  # kegiatan per program
    lines: list[tuple[str, int]] = []
    program = 0
    while len(lines) < count:
        program_kode = f"{program // 99 + 1}.{program % 99 + 1:02d}.01"
        lines.append((program_kode, 0))
        for kegiatan in range(per_program):
            if len(lines) >= count:
                break
            kegiatan_kode = f"{program_kode}.2.{kegiatan + 1:02d}"
            lines.append((kegiatan_kode, 1))
            for sub in range(per_kegiatan):
                if len(lines) >= count:
                    break
                lines.append((f"{kegiatan_kode}.{sub + 1:04d}", 2))
        program += 1
    return lines[:count]


def workbook_data(size: Size, seed: int = 9) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Deterministic cells and table rows for one size (field ids as in the schema)."""
    rng = random.Random(seed)
    cells: dict[str, Any] = {
        "pemda": "Kabupaten Contoh",
        "instansi": f"Perangkat Daerah {size.what.title()}",
        "tahun": 2024,
        "renstra_awal": 2021,
        "renstra_akhir": 2026,
        "kepala_nama": "Budi Santoso, S.STP",
        "kepala_nip": "19700101 199003 1 001",
        "kepala_jabatan": "Kepala",
    }
    sasaran = [
        {
            "kode": f"S{i + 1}",
            "jenis": "Sasaran Strategis" if i % 5 else "Kinerja Lainnya",
            "uraian": f"Meningkatnya kualitas layanan publik bidang {i + 1}",
        }
        for i in range(size.sasaran)
    ]
    indikator = []
    capaian_total = 0.0
    for i in range(size.indicators):
        target = rng.choice((80, 90, 100, 12, 4))
        realisasi = round(target * rng.uniform(0.7, 1.1), 2)
        capaian = round(realisasi / target * 100, 2)
        capaian_total += capaian
        stated = capaian if rng.random() > 0.01 else round(capaian + 3.5, 2)
        indikator.append(
            {
                "kode": f"IK{i + 1}",
                "sasaran_kode": f"S{i % size.sasaran + 1}",
                "uraian": f"Persentase layanan yang diselesaikan tepat waktu ({i + 1})",
                "satuan": SATUAN[i % len(SATUAN)],
                "polaritas": "Positif",
                "target": target,
                "realisasi": realisasi,
                "target_renstra_akhir": target,
                "kumulatif": "Tidak",
                "realisasi_lalu_1": round(target * rng.uniform(0.7, 1.0), 2),
                "realisasi_lalu_2": round(target * rng.uniform(0.7, 1.0), 2),
                "realisasi_lalu_3": round(target * rng.uniform(0.7, 1.0), 2),
                "pembanding_kabupaten": round(rng.uniform(60, 100), 2),
                "kebutuhan_sdm": rng.randint(3, 20),
                "ketersediaan_sdm": rng.randint(2, 20),
                "capaian_dilaporkan": _percent_text(stated) if i % 10 == 3 else stated,
                "kemajuan_dilaporkan": capaian,
            }
        )
    # Budget: amounts on sub kegiatan; program/kegiatan rows carry their stated totals.
    tree = _budget_tree(size.budget_lines)
    amounts: list[list[int]] = [[0, 0] for _ in tree]
    parents: list[int | None] = []
    last_at: dict[int, int] = {}
    for index, (_, level) in enumerate(tree):
        parents.append(last_at.get(level - 1) if level else None)
        last_at[level] = index
    for index in range(len(tree) - 1, -1, -1):
        kode, level = tree[index]
        if level == 2:
            pagu = rng.randrange(5_000_000, 500_000_000, 1_000)
            amounts[index] = [pagu, int(pagu * rng.uniform(0.75, 1.0))]
        parent = parents[index]
        if parent is not None:
            amounts[parent][0] += amounts[index][0]
            amounts[parent][1] += amounts[index][1]
    anggaran = []
    levels = ("Program", "Kegiatan", "Sub Kegiatan")
    for index, (kode, level) in enumerate(tree):
        pagu, realisasi = amounts[index]
        stated_pagu = pagu if rng.random() > 0.01 else pagu + 1_000_000
        serapan = round(realisasi / pagu * 100, 2) if pagu else None
        text = rng.random() < 0.1
        row = {
            "kode": kode,
            "tingkat": levels[level],
            "uraian": f"{levels[level]} penyelenggaraan urusan pemerintahan {kode}",
            "pagu": _rupiah_text(stated_pagu) if text else stated_pagu,
            "realisasi": _rupiah_text(realisasi) if text else realisasi,
            "selisih_dilaporkan": pagu - realisasi,
            "persen_dilaporkan": _percent_text(serapan) if text and serapan is not None else serapan,
        }
        if level == 2:
            target = rng.choice((1, 4, 12, 100))
            row |= {
                "indikator_kode": f"IK{index % size.indicators + 1}",
                "indikator_keluaran": "Jumlah dokumen yang disusun",
                "satuan": "Dokumen",
                "target": target,
                "realisasi_kinerja": target,
                "sumber_dana": SUMBER[index % len(SUMBER)],
                "capaian_dilaporkan": 100,
            }
        anggaran.append(row)
    programs = [(i, kode) for i, (kode, level) in enumerate(tree) if level == 0]
    pk = [
        {
            "program_kode": kode,
            "uraian": anggaran[i]["uraian"],
            "anggaran": amounts[i][0],
            "versi": "Perubahan",
        }
        for i, kode in programs[:200]
    ]
    penduduk = [
        {
            "tahun": 2022 + k,
            "laki_laki": 20_000 + 150 * k,
            "perempuan": 20_400 + 170 * k,
            "total_dilaporkan": 40_400 + 320 * k,
        }
        for k in range(3)
    ]
    total_pagu = sum(amounts[i][0] for i, _ in programs)
    total_real = sum(amounts[i][1] for i, _ in programs)
    cells |= {
        "total_pagu_dilaporkan": total_pagu,
        "total_realisasi_dilaporkan": total_real,
        "persen_serapan_dilaporkan": round(total_real / total_pagu * 100, 2),
        "sisa_anggaran_dilaporkan": total_pagu - total_real,
        "total_pk_dilaporkan": sum(row["anggaran"] for row in pk),
    }
    tables = {
        "sasaran": sasaran,
        "indikator": indikator,
        "anggaran": anggaran,
        "pk_anggaran": pk,
        "penduduk": penduduk,
    }
    return cells, tables


def make_workbook(size: Size, path: Path) -> Path:
    """A filled template of ``size`` at ``path``, written only through the schema contract."""
    import openpyxl

    from sakip_xlsx.rules import load_rules
    from sakip_xlsx.schema import template_schema
    from sakip_xlsx.template import TemplateOptions, write_template

    blank = path.with_name(path.stem + "-blank.xlsx")
    write_template(blank, load_rules("default"), TemplateOptions(), overwrite=True)
    contract = template_schema()
    cells, tables = workbook_data(size)
    workbook = openpyxl.load_workbook(blank)
    by_field = {cell["field"]: cell for cell in contract["cells"]}
    for field_id, value in cells.items():
        spec = by_field[field_id]
        workbook[spec["sheet"]][spec["cell"]].value = value
    by_table = {table["id"]: table for table in contract["tables"]}
    for table_id, rows in tables.items():
        spec = by_table[table_id]
        letters = {column["field"]: column["column"] for column in spec["columns"]}
        worksheet = workbook[spec["sheet"]]
        first = spec["first_data_row"]
        for offset, row in enumerate(rows):
            for field_id, value in row.items():
                if value is not None:
                    worksheet[f"{letters[field_id]}{first + offset}"].value = value
    workbook.save(path)
    workbook.close()
    blank.unlink()
    return path


def generate(sizes: Sequence[str], folder: Path, log: Callable[[str], None]) -> dict[str, Path]:
    """One workbook per size in ``folder``, each read back once (the reader must accept it as a template).

    Runs in its own process (see :func:`generate_in_child`), so that the measuring process stays small.
    """
    from sakip_xlsx.reader import read_workbook

    paths = {}
    for name in sizes:
        size = SIZES[name]
        start = time.perf_counter()
        path = make_workbook(size, folder / f"{name}.xlsx")
        submission = read_workbook(path)
        lines = len(submission.records("anggaran"))
        indicators = len(submission.records("indikator"))
        if (lines, indicators) != (size.budget_lines, size.indicators):
            raise SystemExit(
                f"{name}: the reader found {lines} budget lines and {indicators} indicators, "
                f"expected {size.budget_lines} and {size.indicators}"
            )
        log(
            f"  {name}: {path.stat().st_size / 1e6:.1f} MB, {lines} budget lines, {indicators} indicators "
            f"(generated and read back in {time.perf_counter() - start:.1f} s)"
        )
        paths[name] = path
    return paths


def generate_in_child(sizes: Sequence[str], folder: Path) -> dict[str, Path]:
    """:func:`generate` in a child process.

    A child's peak RSS as reported by ``wait4`` includes the memory of the
    process that started it (the child begins as a copy of it, or shares it
    with vfork, until it execs), so the measuring process must never load a
    workbook itself: it imports only the standard library and stays ~15 MB.
    """
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--generate-into",
        str(folder),
        "--sizes",
        ",".join(sizes),
    ]
    subprocess.run(command, check=True, env=_child_env())
    return {name: folder / f"{name}.xlsx" for name in sizes}


# ---------------------------------------------------------------------------
# Measuring a child process
# ---------------------------------------------------------------------------


@dataclass
class Sample:
    wall: float  # seconds, start of the process to its exit
    rss_mb: float  # peak resident set of the child (and of any worker it waited for)
    inner: float | None = None  # seconds the child reported for its own timed section (floors)
    cpu: float = 0.0  # user + system seconds of the child and the workers it waited for


def _cpu(usage: Any) -> float:
    return usage.ru_utime + usage.ru_stime


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("SAKIP_XLSX_DEBUG", None)
    return env


def run_child(argv: Sequence[str], ok: Sequence[int] = (0,), cwd: Path | None = None) -> Sample:
    """Run ``argv`` to completion; wall time and the peak RSS of this child alone (``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=_child_env(), cwd=cwd
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:
            err.seek(0)
            raise SystemExit(
                f"{' '.join(map(str, argv))} exited with {process.returncode}:\n"
                f"{err.read().decode(errors='replace')[-2000:]}"
            )
    return Sample(wall, usage.ru_maxrss / 1024, cpu=_cpu(usage))


FLOOR_OPENPYXL = """
import sys, time
import openpyxl
start = time.perf_counter()
workbook = openpyxl.load_workbook(sys.argv[1])
print("SECONDS", time.perf_counter() - start)
"""

FLOOR_CALAMINE = """
import sys, time
from python_calamine import CalamineWorkbook
start = time.perf_counter()
workbook = CalamineWorkbook.from_path(sys.argv[1])
grids = [workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names]
print("SECONDS", time.perf_counter() - start)
"""


def run_floor(code: str, path: Path) -> Sample:
    """A floor: the load call alone, timed inside a fresh interpreter (start-up and imports excluded)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(path)], stdout=out, stderr=subprocess.DEVNULL, env=_child_env()
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"floor failed on {path}")
        out.seek(0)
        inner = float(out.read().decode().split()[1])
    return Sample(wall, usage.ru_maxrss / 1024, inner, _cpu(usage))


@dataclass
class Stat:
    median: float
    low: float
    high: float
    rss_mb: float  # peak RSS, the largest over the runs
    runs: int
    cpu: float  # median CPU seconds (user + system) of the whole child process
    load: float  # 1-minute load average just before the runs (other work on the machine)

    def as_dict(self) -> dict[str, float]:
        return {
            "median_s": round(self.median, 4),
            "min_s": round(self.low, 4),
            "max_s": round(self.high, 4),
            "peak_rss_mb": round(self.rss_mb, 1),
            "runs": self.runs,
            "cpu_s": round(self.cpu, 4),
            "load_before": round(self.load, 2),
        }


def measure(runs: int, once: Callable[..., Sample], *args: Any, inner: bool = False, **kwargs: Any) -> Stat:
    """``once(*args, **kwargs)`` ``runs`` times: median, spread and the largest peak RSS."""
    load = os.getloadavg()[0]
    samples = [once(*args, **kwargs) for _ in range(runs)]
    times = [sample.inner if inner else sample.wall for sample in samples]
    return Stat(
        statistics.median(times),
        min(times),
        max(times),
        max(s.rss_mb for s in samples),
        runs,
        statistics.median(s.cpu for s in samples),
        load,
    )


def cli(*args: Any) -> list[str]:
    return [sys.executable, "-m", "sakip_xlsx.cli", *map(str, args)]


# ---------------------------------------------------------------------------
# Machine
# ---------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        commit = (
            subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            or None
        )
    except OSError:
        commit = None
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    return {
        "nproc": cores,
        "cpu": cpu,
        "memory_gb": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sakip_xlsx": installed("sakip-xlsx"),
        "git_commit": commit,
        "openpyxl": installed("openpyxl"),
        "python_calamine": installed("python-calamine"),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# ---------------------------------------------------------------------------
# impor: a generated report of about 100 pages (Word, and PDF through LibreOffice)
# ---------------------------------------------------------------------------

_WORDS = (
    "pelaksanaan kegiatan pelayanan masyarakat kecamatan desa koordinasi pembinaan pengawasan "
    "pemerintahan pembangunan capaian kinerja sasaran indikator realisasi anggaran target program"
).split()


def make_report_docx(path: Path, chapters: int = 28, seed: int = 21) -> Path:
    """A deterministic LKjIP-like Word report: per chapter a heading, narrative and a budget table."""
    import docx
    from docx.shared import Pt

    rng = random.Random(seed)
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading("LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN 2024", level=1)
    document.add_paragraph("PEMERINTAH KABUPATEN CONTOH KECAMATAN CONTOH")
    for chapter in range(1, chapters + 1):
        document.add_heading(f"{chapter}. Realisasi Program {chapter}", level=2)
        for _ in range(3):
            document.add_paragraph(" ".join(rng.choice(_WORDS) for _ in range(120)).capitalize() + ".")
        pagu = rng.randint(50, 900) * 1_000_000
        real = int(pagu * rng.uniform(0.85, 1.0))
        document.add_paragraph(
            f"Pagu anggaran program {chapter} sebesar Rp. {_rupiah_text(pagu)} dengan realisasi sebesar "
            f"Rp. {_rupiah_text(real)} atau {_percent_text(real / pagu * 100)}."
        )
        document.add_paragraph(f"Tabel {chapter}.1 Realisasi anggaran program {chapter}")
        table = document.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            ("No", "Program/Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "Selisih", "%"),
            strict=True,
        ):
            cell.text = text
        lines = [("I.", f"Program Contoh {chapter}")] + [
            (f"{k}.", f"Kegiatan contoh {chapter}.{k} " + " ".join(rng.choice(_WORDS) for _ in range(4)))
            for k in range(1, 19)
        ]
        for number, name in lines:
            pagu = rng.randint(5, 90) * 1_000_000
            real = int(pagu * rng.uniform(0.8, 1.0))
            row = table.add_row().cells
            values = (number, name, _rupiah_text(pagu), _rupiah_text(real), _rupiah_text(pagu - real))
            for cell, text in zip(row, (*values, _percent_text(real / pagu * 100)), strict=True):
                cell.text = text
    document.save(str(path))
    return path


def impor_benchmark(folder: Path, runs: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Wall time of ``sakip-xlsx impor`` on the generated report as .docx and as .pdf (pages counted)."""
    docx_path = make_report_docx(folder / "laporan-100.docx")
    inputs = {"docx": docx_path}
    soffice = shutil.which("soffice")
    pages = None
    if soffice:
        profile = folder / "lo-profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), str(docx_path)],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        inputs["pdf"] = folder / "laporan-100.pdf"
        import pdfplumber

        with pdfplumber.open(str(inputs["pdf"])) as pdf:
            pages = len(pdf.pages)
    result: dict[str, Any] = {"pages": pages}
    for kind, path in inputs.items():
        log(f"impor {kind} ({pages} pages) ...")
        stat = measure(
            runs, run_child, cli("impor", path, "-o", folder / f"impor-{kind}.xlsx", "--overwrite")
        )
        result[kind] = stat.as_dict()
        log(f"  {stat.median:.2f} s")
    return result


# ---------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------

TARGETS = (
    # (name, how the value is found in the results, limit, unit)
    ("check L / openpyxl floor", ("ratio", "L", "check", "openpyxl"), 0.75, "×"),
    ("check XL / openpyxl floor", ("ratio", "XL", "check", "openpyxl"), 0.3, "×"),
    ("check XL peak RSS", ("rss", "XL", "check"), 400, "MB"),
    ("check S wall (with start-up)", ("wall", "S", "check"), 0.5, "s"),
    ("results L / openpyxl floor", ("ratio", "L", "results", "openpyxl"), 2.0, "×"),
    ("batch 200 S: jobs 2 speed-up over jobs 1", ("speedup",), -1.7, "×"),  # negative: at least
    ("sakip-xlsx --help", ("help",), 0.3, "s"),
    ("impor of a 100-page report (.docx)", ("impor", "docx"), 10, "s"),
    ("impor of a 100-page report (.pdf)", ("impor", "pdf"), 10, "s"),
)


def _target_value(report: dict[str, Any], where: tuple[str, ...]) -> float | None:
    kind = where[0]
    try:
        if kind == "ratio":
            return report["sizes"][where[1]]["ratios"][f"{where[2]}/{where[3]}"]
        if kind == "rss":
            return report["sizes"][where[1]]["commands"][where[2]]["peak_rss_mb"]
        if kind == "wall":
            return report["sizes"][where[1]]["commands"][where[2]]["median_s"]
        if kind == "speedup":
            return report["batch"]["speedup_jobs2"]
        if kind == "help":
            return report["startup"]["help"]["median_s"]
        if kind == "impor":
            return report["impor"][where[1]]["median_s"]
    except KeyError:
        return None
    raise ValueError(kind)


def benchmark(
    sizes: Sequence[str],
    runs: int,
    batch_files: int,
    batch_runs: int,
    folder: Path,
    log: Callable[[str], None],
    impor_runs: int = 3,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "sizes": list(sizes),
            "runs": runs,
            "xl_runs": min(runs, 3),
            "batch_files": batch_files,
            "batch_runs": batch_runs,
        },
        "sizes": {},
    }
    log("Generating workbooks through the schema ...")
    paths = generate_in_child(sizes, folder)
    # An installed package runs from byte-compiled modules (pip compiles them); an editable
    # checkout under PYTHONDONTWRITEBYTECODE=1 would recompile every module in every run.
    compileall.compile_dir(ROOT / "sakip_xlsx", quiet=1)
    has_rekap = subprocess.run(cli("rekap", "--help"), capture_output=True, env=_child_env()).returncode == 0
    has_laporan = (
        subprocess.run(cli("laporan", "--help"), capture_output=True, env=_child_env()).returncode == 0
    )

    log("Start-up ...")
    script = shutil.which("sakip-xlsx")
    help_argv = [script, "--help"] if script else cli("--help")
    report["startup"] = {
        "help": measure(max(runs, 5), run_child, help_argv).as_dict()
        | {"command": "sakip-xlsx --help" if script else "python -m sakip_xlsx.cli --help"},
        "template": measure(
            runs, run_child, cli("template", "-o", folder / "template.xlsx", "--overwrite")
        ).as_dict(),
    }

    for name in sizes:
        path = paths[name]
        n = min(runs, 3) if name == "XL" else runs
        log(f"Size {name} ({n} runs) ...")
        floors = {
            "openpyxl": measure(n, run_floor, FLOOR_OPENPYXL, path, inner=True),
            "calamine": measure(n, run_floor, FLOOR_CALAMINE, path, inner=True),
        }
        commands = {
            "check": measure(n, run_child, cli("check", path, "--format", "json"), ok=(0, 1)),
            "results": measure(
                n, run_child, cli("results", path, "-o", folder / f"{name}-hasil.xlsx", "--overwrite")
            ),
        }
        if has_rekap:
            commands["rekap"] = measure(
                n,
                run_child,
                cli("rekap", path, "-o", folder / f"{name}-rekap.xlsx", "--overwrite", "--jobs", "1"),
            )
        if has_laporan:
            commands["laporan"] = measure(
                n, run_child, cli("laporan", path, "-o", folder / f"{name}-bab3.docx", "--overwrite")
            )
        size = SIZES[name]
        report["sizes"][name] = {
            "what": size.what,
            "indicators": size.indicators,
            "budget_lines": size.budget_lines,
            "file_mb": round(path.stat().st_size / 1e6, 2),
            "floors": {key: stat.as_dict() for key, stat in floors.items()},
            "commands": {key: stat.as_dict() for key, stat in commands.items()},
            "ratios": {
                f"{command}/{floor}": round(stat.median / floors[floor].median, 3)
                for command, stat in commands.items()
                for floor in floors
            },
        }
        log("  " + ", ".join(f"{key} {stat.median:.2f} s" for key, stat in (floors | commands).items()))

    if "S" in paths and batch_files:
        log(f"Batch: check over {batch_files} S files ({batch_runs} runs) ...")
        batch = folder / "batch"
        batch.mkdir(exist_ok=True)
        for index in range(batch_files):
            shutil.copyfile(paths["S"], batch / f"kecamatan-{index:03d}.xlsx")
        jobs = {
            workers: measure(
                batch_runs, run_child, cli("check", batch, "--format", "json", "--jobs", workers), ok=(0, 1)
            )
            for workers in (1, 2)
        }
        report["batch"] = {
            "files": batch_files,
            "jobs1": jobs[1].as_dict(),
            "jobs2": jobs[2].as_dict(),
            "speedup_jobs2": round(jobs[1].median / jobs[2].median, 3),
            "per_file_jobs1_s": round(jobs[1].median / batch_files, 4),
            # CPU seconds per wall second: about 2 when both workers really run at the same time
            "parallelism_jobs2": round(jobs[2].cpu / jobs[2].median, 2),
        }
        if has_rekap:
            report["batch"]["rekap_jobs2"] = measure(
                batch_runs,
                run_child,
                cli("rekap", batch, "-o", folder / "rekap-batch.xlsx", "--overwrite", "--jobs", "2"),
            ).as_dict()

    if impor_runs:
        report["impor"] = impor_benchmark(folder, impor_runs, log)

    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    targets = []
    for label, where, limit, unit in TARGETS:
        value = _target_value(report, where)
        at_least = limit < 0
        bound = abs(limit)
        met = None if value is None else (value >= bound if at_least else value <= bound)
        targets.append(
            {
                "target": label,
                "value": value,
                "limit": ("≥ " if at_least else "≤ ") + f"{bound:g}{unit}",
                "met": met,
            }
        )
    report["targets"] = targets
    return report


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def _fmt(stat: dict[str, Any]) -> str:
    return f"{stat['median_s']:.3f} ({stat['min_s']:.3f}–{stat['max_s']:.3f})"


def table(report: dict[str, Any]) -> str:
    """The report as a Markdown table (also printed)."""
    lines = []
    m = report["machine"]
    lines.append(
        f"Machine: {m['nproc']} × {m['cpu']}, {m['memory_gb']} GB RAM, Python {m['python']}, "
        f"openpyxl {m['openpyxl']}, python-calamine {m['python_calamine']}; "
        f"load average {m['load_average_at_start'][0]} at start; {m['date']}."
    )
    lines.append("")
    lines.append(
        "Seconds: median (min–max) over the runs; floors time the load call alone, commands the whole "
        "process (start-up included); CPU: user + system seconds of the process (wall well above CPU "
        "means other work shared the cores). RSS: peak resident memory of the process."
    )
    lines.append("")
    lines.append(
        "| size | file | openpyxl floor | calamine floor | command | wall s | CPU s | × openpyxl "
        "| × calamine | peak RSS MB |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, size in report["sizes"].items():
        floors = size["floors"]
        first = True
        for command, stat in size["commands"].items():
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"{name} ({size['budget_lines']:,} lines)" if first else "",
                        f"{size['file_mb']} MB" if first else "",
                        f"{_fmt(floors['openpyxl'])}, {floors['openpyxl']['peak_rss_mb']:.0f} MB"
                        if first
                        else "",
                        f"{_fmt(floors['calamine'])}, {floors['calamine']['peak_rss_mb']:.0f} MB"
                        if first
                        else "",
                        command,
                        _fmt(stat),
                        f"{stat['cpu_s']:.2f}",
                        f"{size['ratios'][f'{command}/openpyxl']:.2f}",
                        f"{size['ratios'][f'{command}/calamine']:.1f}",
                        f"{stat['peak_rss_mb']:.0f}",
                    ]
                )
                + " |"
            )
            first = False
    lines.append("")
    if "impor" in report:
        impor = report["impor"]
        lines.append(
            f"impor of a generated report ({impor['pages'] or '?'} pages when printed): "
            + ", ".join(
                f"{kind} {_fmt(impor[kind])} s (CPU {impor[kind]['cpu_s']:.2f} s)"
                for kind in ("docx", "pdf")
                if kind in impor
            )
        )
        lines.append("")
    startup = report["startup"]
    lines.append(
        f"Start-up: `{startup['help']['command']}` {_fmt(startup['help'])} s; "
        f"`template` {_fmt(startup['template'])} s."
    )
    if "batch" in report:
        batch = report["batch"]
        line = (
            f"Batch: `check` over {batch['files']} S files: --jobs 1 {_fmt(batch['jobs1'])} s, "
            f"--jobs 2 {_fmt(batch['jobs2'])} s, speed-up {batch['speedup_jobs2']:.2f}× "
            f"(CPU/wall with 2 jobs {batch['parallelism_jobs2']:.2f}; 1-minute load average before: "
            f"{batch['jobs1']['load_before']:.1f} and {batch['jobs2']['load_before']:.1f})"
        )
        if "rekap_jobs2" in batch:
            line += f"; `rekap --jobs 2` of the same files {_fmt(batch['rekap_jobs2'])} s"
        lines.append(line + ".")
    lines.append("")
    lines.append("| target | value | limit | met |")
    lines.append("| --- | --- | --- | --- |")
    for target in report["targets"]:
        value = "n/a" if target["value"] is None else f"{target['value']:.3g}"
        met = "n/a" if target["met"] is None else ("yes" if target["met"] else "**no**")
        lines.append(f"| {target['target']} | {value} | {target['limit']} | {met} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="S,L,XL", help="comma-separated sizes (S, L, XL); default S,L,XL")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="runs per measurement (median and spread); XL uses at most 3; default 5",
    )
    parser.add_argument("--batch-files", type=int, default=200, help="S files in the batch; default 200")
    parser.add_argument("--batch-runs", type=int, default=3, help="runs of each batch measurement; default 3")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"JSON output; default {DEFAULT_JSON}"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: sizes S,L (unless --sizes is given), 1 run, 40-file batch",
    )
    parser.add_argument(
        "--impor-runs", type=int, default=3, help="runs of the impor measurement (0: skip it); default 3"
    )
    parser.add_argument("--keep", type=Path, help="generate the workbooks into this folder and keep them")
    parser.add_argument(
        "--only-impor",
        action="store_true",
        help="measure impor alone (--impor-runs runs); prints wall and CPU seconds, writes JSON only with --json",
    )
    parser.add_argument(
        "--generate-into", type=Path, help=argparse.SUPPRESS
    )  # internal: the generating child
    args = parser.parse_args(argv)
    sizes_given = any(arg.startswith("--sizes") for arg in (argv if argv is not None else sys.argv[1:]))
    if args.quick:
        args.runs, args.batch_runs, args.batch_files = 1, 1, 40
        if not sizes_given:
            args.sizes = "S,L"
    sizes = [name.strip().upper() for name in args.sizes.split(",") if name.strip()]
    unknown = [name for name in sizes if name not in SIZES]
    if unknown or args.runs < 1:
        parser.error(f"unknown size(s) {', '.join(unknown)}" if unknown else "--runs must be at least 1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.generate_into:
        generate(sizes, args.generate_into, log)
        return 0

    if args.only_impor:
        return only_impor(args, argv, log)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = benchmark(
            sizes, args.runs, args.batch_files, args.batch_runs, args.keep, log, impor_runs=args.impor_runs
        )
    else:
        with tempfile.TemporaryDirectory(prefix="sakip-bench-") as folder:
            report = benchmark(
                sizes,
                args.runs,
                args.batch_files,
                args.batch_runs,
                Path(folder),
                log,
                impor_runs=args.impor_runs,
            )
    report["table_markdown"] = table(report)
    print(report["table_markdown"])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log(f"Written: {args.json}")
    return 0


def only_impor(args: argparse.Namespace, argv: Sequence[str] | None, log: Callable[[str], None]) -> int:
    """The impor measurement alone (the whole benchmark takes long and rewrites every figure)."""
    compileall.compile_dir(ROOT / "sakip_xlsx", quiet=1)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sakip-bench-impor-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        impor = impor_benchmark(folder, max(args.impor_runs, 1), log)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report = {"machine": machine(), "impor": impor}
    for kind in ("docx", "pdf"):
        if kind in impor:
            stat = impor[kind]
            print(
                f"impor {kind} ({impor['pages'] or '?'} pages): wall {_fmt(stat)} s, CPU {stat['cpu_s']:.2f} s; "
                f"target ≤ 10 s: {'met' if stat['median_s'] <= 10 else 'NOT met'}"
            )
    print(f"load average at start: {report['machine']['load_average_at_start']}")
    json_given = any(arg.startswith("--json") for arg in (argv if argv is not None else sys.argv[1:]))
    if json_given:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        log(f"Written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
