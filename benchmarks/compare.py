"""Before/after comparison of every deterministic output of two source trees (a refactoring's proof).

Usage::

    python benchmarks/compare.py BASE_TREE NEW_TREE --work DIR [--inputs A.xlsx ...]

Both trees run the same commands on the same inputs, each in a fresh
interpreter with ``PYTHONPATH`` set to the tree (so the tree's own
``sakip_xlsx`` is imported): ``template``, ``schema``, ``check --format json``,
``check --format text``, ``results``, ``laporan`` per input, ``rekap``
over all inputs (``--jobs 1`` and ``--jobs 2``), and the command line's other
paths (notes on a folder's other files, missing folders, usage errors,
unreadable inputs, existing outputs, ``impor``).  Then every output is
compared byte for byte: stdout, stderr and exit code of each command, and
every part of every written workbook or document except ``docProps/``
(creation time).  Exit code 0 when everything is the same, 1 otherwise (the
differing parts are listed).

Default inputs: the workbooks of ``samples/`` of NEW_TREE plus the S and L
benchmark workbooks (generated once by NEW_TREE's ``benchmarks/run.py``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path


def _run(tree: Path, cwd: Path, *args: str) -> tuple[int, bytes, bytes]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("SAKIP_XLSX_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "sakip_xlsx.cli", *args], cwd=cwd, env=env, capture_output=True, check=False
    )
    return done.returncode, done.stdout, done.stderr


def outputs(tree: Path, inputs: list[Path], out: Path) -> None:
    """Run every command of ``tree`` into ``out`` (recreated)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    folder = out / "in"
    folder.mkdir()
    for path in inputs:  # the same relative names in both runs
        shutil.copyfile(path, folder / path.name)
    commands: list[tuple[str, list[str]]] = [
        ("template", ["template", "-o", "template.xlsx"]),
        ("schema", ["schema"]),
    ]
    for path in inputs:
        name, rel = path.stem, f"in/{path.name}"
        commands += [
            (f"check-json-{name}", ["check", rel, "--format", "json"]),
            (f"check-text-{name}", ["check", rel]),
            (f"results-{name}", ["results", rel, "-o", f"{name}-hasil.xlsx"]),
            (f"laporan-{name}", ["laporan", rel, "-o", f"{name}-bab3.docx"]),
        ]
    commands += [
        ("rekap-1", ["rekap", "in", "-o", "rekap-1.xlsx", "--format", "json", "--jobs", "1"]),
        ("rekap-2", ["rekap", "in", "-o", "rekap-2.xlsx", "--jobs", "2"]),
        ("rekap-rules", ["rekap", "in", "-o", "rekap-rules.xlsx", "--format", "json", "--rules", "rembang"]),
    ]
    # a second folder: a broken file and a re-submission (the same instansi again) as well
    again = out / "in2"
    shutil.copytree(folder, again)
    (again / "zz-rusak.xlsx").write_bytes(b"bukan buku kerja")
    shutil.copyfile(inputs[0], again / f"zz-{inputs[0].name}")
    commands += [
        ("rekap-mixed", ["rekap", "in2", "-o", "rekap-mixed.xlsx", "--format", "json", "--jobs", "1"])
    ]
    commands += _edge_cases(inputs, out)
    for label, args in commands:
        code, stdout, stderr = _run(tree, out, *args)
        (out / f"{label}.out").write_bytes(stdout)
        (out / f"{label}.err").write_bytes(stderr)
        (out / f"{label}.rc").write_text(str(code))


#: a report for ``impor`` (the seeds the test suite imports), when this machine has them
SEED = Path("/work/shared/seeds/lkjip-kragan-rembang-2021.txt")


def _edge_cases(inputs: list[Path], out: Path) -> list[tuple[str, list[str]]]:
    """The command line's other paths: notes on a folder's other files, missing folders, usage errors,
    unreadable inputs, existing outputs, the optional outputs of check and results, impor."""
    edge = out / "in3"
    edge.mkdir()
    shutil.copyfile(inputs[0], edge / inputs[0].name)
    (edge / "~$kunci.xlsx").write_bytes(b"lock")
    (edge / "foto.png").write_bytes(b"png")
    (out / "kosong").mkdir()
    broken = "in2/zz-rusak.xlsx"
    commands = [
        ("edge-check-notes", ["check", "in3", "tidak-ada/", "--format", "json", "--strict"]),
        ("edge-check-outputs", ["check", "in3", broken, "--results", "e-hasil", "--laporan", "e-laporan"]),
        ("edge-check-missing", ["check", "tidak-ada/"]),
        ("edge-check-empty", ["check", "kosong"]),
        ("edge-results-usage", ["results", "in3"]),
        ("edge-results-two", ["results", "in", "-o", "dua.xlsx"]),
        ("edge-results-outdir", ["results", "in3", broken, "--outdir", "e-outdir", "--laporan", "e-outdir"]),
        ("edge-results-missing", ["results", "tidak-ada/", "--outdir", "e-outdir2"]),
        ("edge-rekap-empty", ["rekap", "kosong", "-o", "e-rekap.xlsx"]),
        ("edge-rekap-missing", ["rekap", "tidak-ada/", "in3", "-o", "e-rekap-missing.xlsx"]),
        ("edge-rekap-unreadable", ["rekap", broken, "-o", "e-rekap.xlsx", "--format", "json"]),
        ("edge-rekap-unreadable-text", ["rekap", broken, "-o", "e-rekap.xlsx"]),
        ("edge-rekap-exists", ["rekap", "in3", "-o", "template.xlsx"]),
        ("edge-laporan-unreadable", ["laporan", broken, "-o", "e-bab3.docx"]),
        ("edge-laporan-exists", ["laporan", f"in/{inputs[0].name}", "-o", f"{inputs[0].stem}-bab3.docx"]),
        (
            "edge-template-rules",
            ["template", "-o", "e-t.xlsx", "--rules", "jombang", "--pemda", "P", "--tahun", "2024"],
        ),
        ("edge-template-bad-rules", ["template", "-o", "e-t2.xlsx", "--rules", "tidak-ada.toml"]),
        ("edge-template-exists", ["template", "-o", "template.xlsx"]),
        ("edge-impor-missing", ["impor", "tidak-ada.docx", "-o", "e-impor2.xlsx"]),
        ("edge-usage", ["check"]),
    ]
    if SEED.exists():
        commands.append(
            ("edge-impor", ["impor", str(SEED), "-o", "e-impor.xlsx", "--rules", "rembang", "--rinci"])
        )
    return commands


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.startswith("docProps/")}


def compare(base: Path, new: Path) -> list[str]:
    """The differences between two output folders (empty: the same)."""

    def files(root: Path) -> set[str]:
        found = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        return {name for name in found if name.split("/")[0] not in _INPUT_FOLDERS}

    differences = []
    for name in sorted(files(base) | files(new)):
        left, right = base / name, new / name
        if not left.exists() or not right.exists():
            differences.append(f"{name}: only in {'new' if right.exists() else 'base'}")
        elif name.endswith((".xlsx", ".docx")):
            a, b = _parts(left), _parts(right)
            for part in sorted(set(a) | set(b)):
                if a.get(part) != b.get(part):
                    differences.append(f"{name}: {part} differs")
        elif left.read_bytes() != right.read_bytes():
            differences.append(f"{name}: differs")
    return differences


#: the copies of the inputs in each output folder (not outputs)
_INPUT_FOLDERS = ("in", "in2", "in3")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--work", type=Path, required=True, help="folder for the outputs (recreated)")
    parser.add_argument("--inputs", type=Path, nargs="*", help="input workbooks (default: see above)")
    parser.add_argument("--reuse-base", action="store_true", help="keep the base outputs of an earlier run")
    args = parser.parse_args(argv)
    base, new = args.base.resolve(), args.new.resolve()
    inputs = [p.resolve() for p in args.inputs] if args.inputs else None
    if inputs is None:
        inputs = sorted((new / "samples").glob("*.xlsx"))
        generated = args.work / "bench"
        if not (generated / "L.xlsx").exists():
            generated.mkdir(parents=True, exist_ok=True)
            env = dict(os.environ, PYTHONPATH=str(new))
            subprocess.run(
                [sys.executable, str(new / "benchmarks" / "run.py"), "--generate-into", str(generated)]
                + ["--sizes", "S,L"],
                env=env,
                check=True,
            )
        inputs += [generated / "S.xlsx", generated / "L.xlsx"]
    if not (args.reuse_base and (args.work / "base").exists()):
        outputs(base, inputs, args.work / "base")
    outputs(new, inputs, args.work / "new")
    differences = compare(args.work / "base", args.work / "new")
    new_out = args.work / "new"
    files = sum(
        1 for p in new_out.rglob("*") if p.is_file() and p.relative_to(new_out).parts[0] not in _INPUT_FOLDERS
    )
    for line in differences:
        print(line)
    print(f"{files} outputs compared, {len(differences)} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
