"""Peak memory of the commands on inputs made to exhaust it, against the stated ceiling. Run by hand:

    python benchmarks/bench_hostile_memory.py [--ceiling-mib 1024] [--keep DIR]

Each case is written to a temporary folder and run as its own process
(``python -m ca_summit_data ...``); its peak resident memory is read from ``os.wait4``.
The cases are the ones that used to take gigabytes:

- a Parquet file of a few hundred KB whose column chunks decompress to 250 MB (just
  under the per-chunk bound), and one past the bound (refused from its footer);
- a CSV as wide as the column bound allows (4,096), and one wider (refused);
- a CSV whose primary keys are all the same value (every row a duplicate);
- a gzip-compressed CSV expanding to 2 GB, one with a single row past the row bound,
  and one past the decompression ratio (refused);
- ``diff`` of two packages whose tables are 60 MB each.

It prints each case's exit code, seconds and peak MiB, and exits 1 if any exceeds the
ceiling (1 GiB by default, the bound the README states).
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


TRAMPOLINE = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss / 1024)
"""
"""A small process starts the command and reads its peak memory: a child's peak counts the memory of the
process it was forked from, so this script (which holds the generated inputs) must not be that process."""


def run(args: list[str], cwd: Path) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", TRAMPOLINE, sys.executable, "-m", "ca_summit_data", *args],
                         cwd=cwd, capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def parquet_bomb(folder: Path, cell: int, rows: int) -> list[str]:
    """Written by a child process, so that this one stays small (see ``TRAMPOLINE``)."""
    script = (
        "import sys, pyarrow as pa, pyarrow.parquet as pq\n"
        "cell, rows = int(sys.argv[1]), int(sys.argv[3])\n"
        "t = pa.table({'person_id': pa.array([f'p{i}' for i in range(rows)]),"
        " 'name': pa.array(['x' * cell] * rows), 'country_code': pa.array(['JPN'] * rows)})\n"
        "pq.write_table(t, sys.argv[2], compression='zstd', row_group_size=rows, use_dictionary=False)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(cell), str(folder / "persons.parquet"), str(rows)], check=True)
    return ["validate", "--max-errors", "10", "persons.parquet"]


def wide_csv(folder: Path, columns: int) -> list[str]:
    with open(folder / "persons.csv", "w") as handle:
        handle.write(",".join(f"c{i}" for i in range(columns)) + "\n")
        for row in range(200):
            handle.write(",".join(str(row) for _ in range(columns)) + "\n")
    return ["validate", "--max-errors", "10", "persons.csv"]


def duplicate_keys(folder: Path) -> list[str]:
    with open(folder / "persons.csv", "w") as handle:
        handle.write("person_id,name,country_code\n")
        line = "the_same_person_id_for_every_row_of_this_file,Name,JPN\n"
        handle.write(line * 4_000_000)
    return ["validate", "--max-errors", "10", "persons.csv"]


def gzip_csv(folder: Path, kind: str) -> list[str]:
    with gzip.open(folder / "persons.csv.gz", "wb", compresslevel=6) as handle:
        handle.write(b"person_id,name,country_code\n")
        if kind == "long-row":
            handle.write(b"p," + b"x" * (40 << 20) + b",JPN\n")
        elif kind == "ratio":
            handle.write(b"p,n,JPN\n" * 1_000_000_000)
        else:
            for i in range(2_000_000):
                handle.write(b"p%d,%s,JPN\n" % (i, b"x" * 1000))
    return ["validate", "--max-errors", "10", "persons.csv.gz"]


def diff_tables(folder: Path) -> list[str]:
    for side, changed in (("old", 0), ("new", 1)):
        package = folder / side
        (package / "data").mkdir(parents=True)
        descriptor = json.loads((ROOT / "datapackage.json").read_text())
        with open(package / "data" / "persons.csv", "w") as handle:
            handle.write("person_id,name,country_code\n")
            for i in range(1_200_000):
                handle.write(f"person_{i:09d},Name {i % 1000 + changed * (i % 7 == 0)},JPN\n")
        for resource in descriptor["resources"]:
            if resource["name"] != "persons" and resource.get("format") == "csv":
                shutil.copy2(ROOT / resource["path"], package / resource["path"])
        (package / "datapackage.json").write_text(json.dumps(descriptor))
    return ["diff", "old", "new"]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "Parquet, 250 MB column chunk from a small file": lambda f: parquet_bomb(f, 2_500, 100_000),
    "Parquet, 250 MB in 8 values of 30 MB": lambda f: parquet_bomb(f, 30_000_000, 8),
    "Parquet, column chunk past the bound (refused)": lambda f: parquet_bomb(f, 30_000_000, 10),
    "CSV, 4,096 columns": lambda f: wide_csv(f, 4_096),
    "CSV, 250,000 columns (refused)": lambda f: wide_csv(f, 250_000),
    "CSV, 4M rows, every key the same": duplicate_keys,
    "gzip CSV expanding to 2 GB": lambda f: gzip_csv(f, "big"),
    "gzip CSV, a 40 MiB row (refused)": lambda f: gzip_csv(f, "long-row"),
    "gzip CSV past the ratio (refused)": lambda f: gzip_csv(f, "ratio"),
    "diff of two 60 MB tables": diff_tables,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ceiling-mib", type=float, default=1024)
    parser.add_argument("--only", default=None, help="run the cases whose name contains this text")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_hostile_"))
    over = 0
    print(f"{'case':<52} {'input MB':>9} {'exit':>4} {'seconds':>8} {'peak MiB':>9}")
    try:
        for name, make in CASES.items():
            if args.only and args.only not in name:
                continue
            folder = work / str(len(os.listdir(work)))
            folder.mkdir()
            command = make(folder)
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
            code, seconds, peak = run(command, folder)
            flag = "" if peak <= args.ceiling_mib else "  OVER THE CEILING"
            over += bool(flag)
            print(f"{name:<52} {size:>9.1f} {code:>4} {seconds:>8.2f} {peak:>9.0f}{flag}", flush=True)
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nceiling {args.ceiling_mib:.0f} MiB; {over} case(s) over it")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
