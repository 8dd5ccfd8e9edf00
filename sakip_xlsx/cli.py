"""Command line: ``sakip-xlsx template | schema | check | results | rekap | laporan | impor``.

Each command parses its options, makes one call to the function of the same name in
:mod:`sakip_xlsx.api` with the same keyword names, prints what it returns and exits with
its exit code; heavy modules are imported inside the library so ``--help`` stays fast.
Every message a user reads is Indonesian; no traceback ever reaches them.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .api import EXIT_UNREADABLE, UsageError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _friendly_errors(command):
    """Turn known failures into one Indonesian line and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import SakipError, os_reason

        try:
            return command(*args, **kwargs)
        except UsageError as exc:  # options that do not fit together: click's usage error, with --help
            raise click.UsageError(str(exc)) from None
        except SakipError as exc:
            click.echo(f"Galat: {exc}", err=True)
            sys.exit(EXIT_UNREADABLE)
        except KeyboardInterrupt:
            click.echo("Dibatalkan.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:  # said in Indonesian, never the system's English text
            if os.environ.get("SAKIP_XLSX_DEBUG"):
                raise
            where = f" ({_shown(exc.filename)})" if exc.filename else ""
            click.echo(f"Galat: {os_reason(exc)}{where}.", err=True)
            sys.exit(EXIT_UNREADABLE)
        except Exception as exc:  # never show a traceback to a user
            if os.environ.get("SAKIP_XLSX_DEBUG"):
                raise
            click.echo(
                f"Galat internal sakip-xlsx ({type(exc).__name__}). Mohon laporkan ke pengelola "
                "beserta berkasnya.",
                err=True,
            )
            sys.exit(EXIT_UNREADABLE)

    return wrapper


def _shown(path) -> str:
    from .errors import show_path

    return show_path(path)


#: click's own texts (it speaks English through gettext), said in Indonesian.  Installed into
#: click's modules below, so every command of the group, present and future, gets them.
_CLICK_TEXT = {
    "Usage:": "Cara pakai:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "required": "wajib",
    "default: {default}": "bawaan: {default}",
    "env var: {var}": "variabel lingkungan: {var}",
    "(dynamic)": "(berubah-ubah)",
    "deprecated": "usang",
    "Aborted!": "Dibatalkan.",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Lihat bantuan: {command} {option}",
    "Missing command.": "Perintah belum disebut.",
    "Missing argument": "Argumen belum diisi:",
    "Missing option": "Opsi wajib belum diisi:",
    "Missing parameter": "Isian belum diisi:",
    "Missing {param_type}": "Belum diisi ({param_type}):",
    "Missing parameter: {param_name}": "Isian belum diisi: {param_name}",
    "No such option {name!r}.": "Opsi {name!r} tidak dikenal.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "Did you mean {possibility}?": "Maksudnya {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Maksudnya salah satu dari: {possibilities}?)",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Got unexpected extra argument ({args})": "Argumen berlebih: {args}",
    "Got unexpected extra arguments ({args})": "Argumen berlebih: {args}",
    "Option {name!r} requires an argument.": "Opsi {name!r} memerlukan nilai.",
    "Option {name!r} requires {nargs} arguments.": "Opsi {name!r} memerlukan {nargs} nilai.",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak memakai nilai.",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan angka yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} bukan ya/tidak yang sah.",
    "file": "berkas",
    "directory": "folder",
    "path": "lokasi",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: {message}",
    "Takes {nargs} values but 1 was given.": "Memerlukan {nargs} nilai, diberikan 1.",
    "Takes {nargs} values but {len} were given.": "Memerlukan {nargs} nilai, diberikan {len}.",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
}


def _gettext(message: str) -> str:
    return _CLICK_TEXT.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _gettext(singular if count == 1 else plural)


for _module in ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils"):
    _loaded = sys.modules.get(f"click.{_module}")
    if _loaded is not None:
        if hasattr(_loaded, "_"):
            _loaded._ = _gettext
        if hasattr(_loaded, "ngettext"):
            _loaded.ngettext = _ngettext


#: the metavar of an option or argument by click's type name, when none is given
_TYPE_METAVARS = {
    "text": "TEKS",
    "integer": "BILANGAN",
    "integer range": "BILANGAN",
    "float": "ANGKA",
    "float range": "ANGKA",
    "berkas": "BERKAS",
    "folder": "FOLDER",
    "lokasi": "LOKASI",
}


class _IndonesianCommand(click.Command):
    """A command whose usage line says ``[OPSI]``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPSI]")
        kwargs.setdefault("context_settings", CONTEXT)
        super().__init__(*args, **kwargs)
        for param in self.params:  # click names value types in English (TEXT, INTEGER)
            if param.metavar is None and not getattr(param, "is_flag", False):
                if not isinstance(param.type, click.Choice):
                    param.metavar = _TYPE_METAVARS.get(param.type.name, "NILAI")


class _IndonesianGroup(click.Group):
    """A click group that speaks Indonesian: its commands (any added later too) use
    ``_IndonesianCommand``; alone, it prints its help and exits 0; usage errors end with a
    pointer to --help and exit code 2."""

    command_class = _IndonesianCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPSI]")
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARGUMEN]...")
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx, args):
        if not args:  # ``sakip-xlsx`` alone: the short help, not an error
            click.echo(ctx.get_help())
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "sakip-xlsx"
            click.echo(f"Galat pemakaian: {exc.format_message()}", err=True)
            click.echo(f"Lihat bantuan: {command} --help", err=True)
            sys.exit(EXIT_UNREADABLE)
        except click.ClickException as exc:
            click.echo(f"Galat: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Dibatalkan.", err=True)
            sys.exit(1)
        sys.exit(code or 0)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .description import TEMPLATE_VERSION

    click.echo(f"sakip-xlsx {__version__} (versi template {TEMPLATE_VERSION})")
    ctx.exit(0)


@click.group(cls=_IndonesianGroup, context_settings=CONTEXT)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Tampilkan versi sakip-xlsx dan versi template lalu keluar.",
)
def main() -> None:
    """sakip-xlsx: template, pemeriksa dan buku kerja hasil untuk LKjIP (SAKIP).

    \b
    Alur kerja:
      1. Kabupaten membuat template:      sakip-xlsx template -o template.xlsx --rules jombang
      2. Kecamatan mengisi template di Excel / LibreOffice / WPS, lalu mengirimnya.
      3. Kabupaten memeriksa kiriman:     sakip-xlsx check kiriman/ --results hasil/
      4. Rekap semua kecamatan:           sakip-xlsx rekap kiriman/ -o rekap.xlsx
    """


def _rules_option(function):
    return click.option(
        "--rules",
        "rules",
        metavar="PRESET|BERKAS.toml",
        help="Aturan perhitungan: preset (default, mojokerto, jombang, rembang) atau berkas TOML.",
    )(function)


@main.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Nama berkas template yang dibuat (.xlsx).",
)
@_rules_option
@click.option("--pemda", help='Nama pemerintah daerah yang diisikan ke template, mis. "Kabupaten Jombang".')
@click.option("--instansi", help='Nama perangkat daerah yang diisikan ke template, mis. "Kecamatan Ngoro".')
@click.option("--tahun", type=click.IntRange(1900, 2100), help="Tahun laporan yang diisikan ke template.")
@click.option("--overwrite", is_flag=True, help="Timpa berkas keluaran bila sudah ada.")
@_friendly_errors
def template(
    output: Path,
    rules: str | None,
    pemda: str | None,
    instansi: str | None,
    tahun: int | None,
    overwrite: bool,
) -> None:
    """Buat template isian LKjIP (.xlsx) dengan aturan perhitungan kabupaten.

    \b
    Contoh:
      sakip-xlsx template -o template-jombang.xlsx --rules jombang --pemda "Kabupaten Jombang"
    """
    from . import api

    run = api.template(
        output=output, rules=rules, pemda=pemda, instansi=instansi, tahun=tahun, overwrite=overwrite
    )
    click.echo(f"Template dibuat: {output} (aturan: {run.rules.name}).")


@main.command()
@click.option(
    "--format",
    "format",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="Format keluaran.",
)
def schema(format: str) -> None:
    """Cetak kontrak template (lembar, sel, kolom, daftar pilihan) sebagai JSON."""
    from . import api

    click.echo(json.dumps(api.schema(), ensure_ascii=False, indent=2))


def _laporan_option(function):
    return click.option(
        "--laporan",
        "laporan",
        type=click.Path(file_okay=False, path_type=Path),
        help="Tulis juga Bab III (dokumen Word) tiap berkas ke folder ini (nama: <berkas>-laporan.docx).",
    )(function)


def _report_laporan(outcomes) -> None:
    """Say where each Word report went (stderr)."""
    for outcome in outcomes:
        if outcome.laporan_path is not None:
            click.echo(f"Laporan ditulis: {_shown(outcome.laporan_path)}", err=True)
        elif outcome.laporan_error:
            click.echo(
                f"Galat: laporan {_shown(outcome.path)} TIDAK ditulis: {outcome.laporan_error}", err=True
            )


def _note(text: str) -> None:
    """A note of the library (a folder skipped, a file not read), said on stderr as soon as it is known."""
    click.echo(text, err=True)


@main.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="BERKAS_ATAU_FOLDER..."
)
@click.option(
    "--format",
    "format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text untuk dibaca orang, json untuk program lain.",
)
@_rules_option
@click.option("--strict", is_flag=True, help="Anggap peringatan sebagai kesalahan (kode keluar 1).")
@click.option(
    "--results",
    "results",
    type=click.Path(file_okay=False, path_type=Path),
    help="Tulis juga buku kerja hasil tiap berkas ke folder ini.",
)
@click.option("--overwrite", is_flag=True, help="Timpa buku kerja hasil yang sudah ada.")
@_laporan_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Jumlah proses pemeriksa paralel untuk banyak berkas (bawaan: semua inti CPU; "
    "1 = tanpa proses tambahan).",
)
@_friendly_errors
def check(
    paths: tuple[Path, ...],
    format: str,
    rules: str | None,
    strict: bool,
    results: Path | None,
    overwrite: bool,
    laporan: Path | None,
    jobs: int | None,
) -> None:
    """Periksa template yang sudah diisi: hitung ulang semua angka dan laporkan yang salah.

    BERKAS_ATAU_FOLDER: berkas .xlsx atau folder berisi berkas .xlsx.

    \b
    Kode keluar: 0 = tidak ada kesalahan, 1 = ada kesalahan (atau peringatan dengan --strict),
                 2 = ada berkas yang tidak dapat dibaca sebagai template.
    \b
    Contoh:
      sakip-xlsx check kiriman/ngoro.xlsx
      sakip-xlsx check kiriman/ --format json > hasil.json
      sakip-xlsx check kiriman/ --results hasil/
      sakip-xlsx check kiriman/ --laporan laporan/  # juga Bab III tiap berkas (.docx)
      sakip-xlsx check kiriman/ --jobs 1          # satu proses saja
    """
    from . import api

    run = api.check(
        paths=paths,
        rules=rules,
        strict=strict,
        results=results,
        overwrite=overwrite,
        laporan=laporan,
        jobs=jobs,
        progress=sys.stderr.isatty(),
        notes=_note,
        process_ends=_PROCESS_ENDS_AFTER_COMMAND,
    )
    if run.checked:
        _report_laporan(run.outcomes)
        if format == "json":
            click.echo(json.dumps(run.json_report(), ensure_ascii=False, indent=2))
        else:
            click.echo(run.text_report())
    sys.exit(run.exit_code)


@main.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="BERKAS_ATAU_FOLDER..."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas hasil (.xlsx) untuk satu berkas masukan.",
)
@click.option(
    "--outdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder hasil untuk banyak berkas (nama: <berkas>-hasil.xlsx).",
)
@_rules_option
@click.option("--overwrite", is_flag=True, help="Timpa berkas hasil yang sudah ada.")
@_laporan_option
@_friendly_errors
def results(
    paths: tuple[Path, ...],
    output: Path | None,
    outdir: Path | None,
    rules: str | None,
    overwrite: bool,
    laporan: Path | None,
) -> None:
    """Tulis buku kerja hasil: data, tabel Bab III dengan rumus hidup, grafik dan lembar Pemeriksaan.

    \b
    Contoh:
      sakip-xlsx results kiriman/ngoro.xlsx -o ngoro-hasil.xlsx
      sakip-xlsx results kiriman/ --outdir hasil/
      sakip-xlsx results kiriman/ --outdir hasil/ --laporan hasil/   # juga Bab III (.docx)
    """
    from . import api

    run = api.results(
        paths=paths,
        output=output,
        outdir=outdir,
        rules=rules,
        overwrite=overwrite,
        laporan=laporan,
        progress=sys.stderr.isatty(),
        notes=_note,
        process_ends=_PROCESS_ENDS_AFTER_COMMAND,
    )
    for outcome in run.outcomes:
        if outcome.unreadable:
            click.echo(f"Tidak dapat dibaca: {outcome.unreadable}", err=True)
        elif outcome.results_path is not None:
            click.echo(f"Hasil ditulis: {_shown(outcome.results_path)}")
        else:
            click.echo(
                f"Hasil TIDAK ditulis untuk {_shown(outcome.path)}: {outcome.results_error or 'sebab tidak diketahui.'}",
                err=True,
            )
    _report_laporan(run.outcomes)
    sys.exit(run.exit_code)


@main.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="BERKAS_ATAU_FOLDER..."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas rekap (.xlsx) yang dibuat.",
)
@click.option(
    "--format",
    "format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text untuk dibaca orang, json (ringkasan angka) untuk program lain.",
)
@_rules_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Jumlah proses pembaca paralel (bawaan: semua inti CPU; 1 = tanpa proses tambahan).",
)
@click.option("--overwrite", is_flag=True, help="Timpa berkas rekap yang sudah ada.")
@_friendly_errors
def rekap(
    paths: tuple[Path, ...],
    output: Path,
    format: str,
    rules: str | None,
    jobs: int | None,
    overwrite: bool,
) -> None:
    """Rekap kabupaten: satu buku kerja yang membandingkan semua kiriman kecamatan.

    BERKAS_ATAU_FOLDER: berkas .xlsx atau folder berisi berkas .xlsx.

    \b
    Isi rekap: ringkasan per berkas (tahun, versi template, jumlah kesalahan/peringatan,
    pagu, realisasi, serapan, rata-rata capaian dan predikat menurut aturan tiap berkas,
    indikator di atas/tepat/di bawah target), peringkat, tabel per program, indikator yang
    dipakai bersama, grafik, dan daftar berkas yang tidak dapat dibaca. Tahun atau versi
    template yang bercampur diberi catatan.
    \b
    Kode keluar: 0 = rekap ditulis (berkas yang tidak terbaca didaftar di dalamnya),
                 2 = salah pemakaian, atau tidak ada berkas yang dapat dibaca.
    \b
    Contoh:
      sakip-xlsx rekap kiriman/ -o rekap-2024.xlsx
      sakip-xlsx rekap kiriman/ -o rekap-2024.xlsx --format json --jobs 4 > rekap.json
    """
    from . import api

    run = api.rekap(
        paths=paths,
        output=output,
        rules=rules,
        jobs=jobs,
        overwrite=overwrite,
        progress=sys.stderr.isatty(),
        notes=_note,
    )
    if run.report is not None and format == "json":
        click.echo(json.dumps(run.report, ensure_ascii=False, indent=2))
    elif run.written:
        click.echo(run.text_report())
    if run.report is not None and not run.written:
        click.echo("Galat: tidak ada berkas yang dapat dibaca; rekap tidak dibuat.", err=True)
    sys.exit(run.exit_code)


@main.command(context_settings=CONTEXT)
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas Word (.docx) yang dibuat.",
)
@_rules_option
@click.option("--overwrite", is_flag=True, help="Timpa berkas keluaran yang sudah ada.")
@_friendly_errors
def laporan(path: Path, output: Path, rules: str | None, overwrite: bool) -> None:
    """Tulis Bab III LKjIP (Akuntabilitas Kinerja) sebagai dokumen Word dari angka hasil hitungan.

    PATH: berkas isian .xlsx. Semua tabel dan kalimat baku (capaian tiap indikator,
    realisasi anggaran, efisiensi, ikhtisar untuk Bab IV) dibuat dari angka yang dihitung
    ulang; bila berkas isian memuat angka yang salah, dokumen menyebutnya di bagian atas.

    \b
    Kode keluar: 0 = dokumen ditulis,
                 2 = berkas tidak dapat dibaca, atau dokumen tidak dapat ditulis.
    \b
    Contoh:
      sakip-xlsx laporan kiriman/ngoro.xlsx -o ngoro-bab3.docx
      sakip-xlsx check kiriman/ --laporan laporan/     # untuk banyak berkas
    """
    from . import api

    run = api.laporan(path=path, output=output, rules=rules, overwrite=overwrite)
    if run.path is None:
        click.echo(f"Tidak dapat dibaca: {run.outcome.unreadable}", err=True)
    else:
        errors = run.outcome.summary["error"]
        note = (
            f" Berkas isian memuat {errors} kesalahan; dokumen memakai angka hasil hitungan."
            if errors
            else ""
        )
        click.echo(f"Laporan ditulis: {_shown(run.path)}.{note}")
    sys.exit(run.exit_code)


@main.command("impor", context_settings=CONTEXT)
@click.argument("laporan", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Nama berkas isian yang dibuat (.xlsx).",
)
@_rules_option
@click.option("--overwrite", is_flag=True, help="Timpa berkas keluaran bila sudah ada.")
@click.option("--rinci", is_flag=True, help="Tampilkan setiap baris yang diisi beserta sumbernya.")
@_friendly_errors
def impor(laporan: Path, output: Path, rules: str | None, overwrite: bool, rinci: bool) -> None:
    """Isi template dari laporan LKjIP jadi (Word .docx, PDF, atau teks .txt/.md).

    Tabel dan kalimat laporan dikenali dari judul dan kepala kolomnya; setiap angka diketik
    persis seperti tercetak, sehingga pemeriksaan menilai angka yang dicetak. Lembar "Impor"
    mencatat asal setiap baris dan semua tabel atau kalimat berangka yang tidak ditempatkan.

    \b
    Contoh:
      sakip-xlsx impor LKjIP-2024.docx -o isian.xlsx --rules jombang
      sakip-xlsx check isian.xlsx
    """
    from . import api

    run = api.impor(laporan=laporan, output=output, rules=rules, overwrite=overwrite)
    filled, not_placed = run.result.filled, run.result.not_placed
    click.echo(
        f"Isian dibuat: {output} dari {laporan.name} (aturan: {run.rules.name}); "
        f"{len(filled)} isian ditempatkan, {len(not_placed)} tabel/kalimat berangka tidak ditempatkan."
    )
    for line in filled if rinci else []:
        click.echo(f"  diisi  {line.target}: {line.what} <- {line.source}")
    for line in not_placed:
        click.echo(f"  belum  {line.what}: {line.source}")
    click.echo(
        'Lihat lembar "Impor" di berkas isian, lengkapi yang belum, lalu jalankan: sakip-xlsx check '
        + str(output)
    )


#: True when this process runs one command and ends (the console script), not when
#: ``main`` is called inside a longer-lived process (tests, other Python code).
_PROCESS_ENDS_AFTER_COMMAND = False


def run() -> None:
    """The ``sakip-xlsx`` console script: one command, then the process ends."""
    global _PROCESS_ENDS_AFTER_COMMAND
    _PROCESS_ENDS_AFTER_COMMAND = True
    _stop_on_sigterm()
    main()


def _stop_on_sigterm() -> None:
    """SIGTERM ends the command as Ctrl-C does: cleanly, removing any half-written temporary file."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):  # not the main thread, or not on this platform
        pass


if __name__ == "__main__":  # pragma: no cover
    run()
