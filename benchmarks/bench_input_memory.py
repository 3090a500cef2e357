"""Peak memory and time of ``validate`` on large inputs that go through the streamed transforms. Run by hand:

    python benchmarks/bench_input_memory.py [--mib 200] [--ceiling-mib 1024] [--keep DIR]

Each case is a Data Package of one table of about ``--mib`` MiB (a few million rows),
written to a temporary folder and validated in its own process (``python -m
ca_summit_data validate``), whose peak resident memory is read from ``os.wait4``:

- ``utf-8``: one plain UTF-8 file (pyarrow reads it directly: the reference);
- ``latin-1``: the same rows in Latin-1, declared ``encoding: latin-1`` (re-encoded a MiB at a time);
- ``parts``: the Latin-1 rows in four gzip-compressed parts (``path`` is a list);
- ``skip-initial-space``: spaces after each comma and a quoted cell after them, under
  ``skipInitialSpace: true`` (the file is rewritten by Python's csv module, streamed);
- ``delimiter``: a non-ASCII delimiter (rewritten the same way);
- ``comments``: a comment row every 100 rows under ``commentChar`` (dropped after parsing).

Every case must be read in memory bounded by bytes, not rows: the script prints each
case's exit code, seconds and peak MiB, and exits 1 if any exceeds the ceiling.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

TRAMPOLINE = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss / 1024)
"""
"""A small process starts the command and reads its peak memory (a forked child's peak would count this one's)."""

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"},
                     {"name": "amount", "type": "number"}]}


def rows(mib: int, *, space: str = "", delimiter: str = ",", comments: bool = False) -> Iterator[str]:
    """About ``mib`` MiB of rows (as text), in blocks of 10,000."""
    yield f"id{delimiter}{space}name{delimiter}{space}amount\n"
    written, start = 0, 0
    while written < mib * 1_048_576:
        block = "".join(
            (f"# a comment row{delimiter} ignored\n" if comments and i % 100 == 0 else "")
            + f'{i}{delimiter}{space}"Café {i}, Zürich"{delimiter}{space}{i * 1.25}\n'
            for i in range(start, start + 10_000)
        )
        start += 10_000
        written += len(block)
        yield block


def package(folder: Path, resource: dict[str, object]) -> None:
    descriptor = {"name": "bench", "resources": [{"name": "t", "type": "table", "schema": SCHEMA} | resource]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def write(path: Path, blocks: Iterator[str], encoding: str, opener: Callable[..., object] = open) -> None:
    with opener(path, "wt", encoding=encoding, newline="") as handle:  # type: ignore[operator]
        for block in blocks:
            handle.write(block)  # type: ignore[attr-defined]


def case_utf8(folder: Path, mib: int) -> None:
    write(folder / "t.csv", rows(mib), "utf-8")
    package(folder, {"path": "t.csv"})


def case_latin1(folder: Path, mib: int) -> None:
    write(folder / "t.csv", rows(mib), "latin-1")
    package(folder, {"path": "t.csv", "encoding": "latin-1"})


def case_parts(folder: Path, mib: int) -> None:
    """Four gzip-compressed Latin-1 parts, each with the header row (the later parts' is skipped, as frictionless
    does)."""
    paths = []
    for part in range(4):
        name = f"t{part}.csv.gz"
        write(folder / name, rows(mib // 4), "latin-1", gzip.open)
        paths.append(name)
    package(folder, {"path": paths, "encoding": "latin-1"})


def case_skip_initial_space(folder: Path, mib: int) -> None:
    write(folder / "t.csv", rows(mib, space="  "), "utf-8")
    package(folder, {"path": "t.csv", "dialect": {"skipInitialSpace": True}})


def case_delimiter(folder: Path, mib: int) -> None:
    write(folder / "t.csv", rows(mib, delimiter="§"), "utf-8")
    package(folder, {"path": "t.csv", "dialect": {"delimiter": "§"}})


def case_comments(folder: Path, mib: int) -> None:
    write(folder / "t.csv", rows(mib, comments=True), "utf-8")
    package(folder, {"path": "t.csv", "dialect": {"commentChar": "#"}})


CASES: dict[str, Callable[[Path, int], None]] = {
    "utf-8": case_utf8,
    "latin-1": case_latin1,
    "parts": case_parts,
    "skip-initial-space": case_skip_initial_space,
    "delimiter": case_delimiter,
    "comments": case_comments,
}


def run(folder: Path) -> tuple[int, float, float]:
    command = [sys.executable, "-c", TRAMPOLINE, sys.executable, "-m", "ca_summit_data", "validate",
               "--max-errors", "10", "datapackage.json"]
    out = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--ceiling-mib", type=float, default=1024)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--keep", type=Path, default=None, help="write the inputs here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-input-memory-"))
    over = False
    try:
        print(f"{'case':<20} {'MiB in':>7} {'exit':>4} {'seconds':>8} {'peak MiB':>9}")
        for name in args.cases.split(","):
            folder = work / name
            folder.mkdir(parents=True, exist_ok=True)
            CASES[name](folder, args.mib)
            size = sum(p.stat().st_size for p in folder.iterdir()) / 1_048_576
            code, seconds, peak = run(folder)
            over = over or peak > args.ceiling_mib
            print(f"{name:<20} {size:>7.0f} {code:>4} {seconds:>8.1f} {peak:>9.0f}", flush=True)
            if args.keep is None:
                shutil.rmtree(folder)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
