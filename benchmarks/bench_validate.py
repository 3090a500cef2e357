"""How fast is ``ca-summit-data validate`` against ``frictionless validate`` and the I/O floor? Run by hand.

    python benchmarks/bench_validate.py [--sizes 10000,100000,1000000] [--table financial_targets]
                                        [--cases uniform,grown] [--repeat 3] [--workdir DIR]

Two cases of data, each at every size, each as a valid package and one with errors:

- ``uniform``: our published small tables (copied) plus one big table of that many rows,
  generated from our own Table Schema and the model rules it carries (types, constraints,
  enums, ISO codes, money limits, cross-field rules, foreign keys into the published
  tables), errors injected every so many rows (type, pattern, required, minimum, foreign
  key, duplicate primary key, ragged row; fewer than frictionless's 1,000-error limit);
- ``grown``: the table grown as real data grows (``grow.py``): primary keys in no order,
  every free-text cell distinct, a companion table referring into or out of the grown one,
  20 errors of different kinds at random rows.

Then, each in its own process, **alternating** (floor, ours, frictionless, floor, ours, …
``--repeat`` rounds; frictionless in the first round only, it takes minutes), so a slow
spell of the machine hits every tool alike:

- ours: ``python -m ca_summit_data validate --format json datapackage.json``;
- frictionless: ``frictionless validate --json datapackage.json``;
- the floor: pyarrow's bare typed read of the big CSV (``pyarrow.csv.read_csv`` with
  our Arrow types), i.e. what just reading the file costs (on the valid package: the bare
  read cannot read the broken one, and both have the same size).

It prints the median wall time and the peak memory (the child's max RSS from ``os.wait4``)
of each, the median of the per-round ratios, and whether both tools gave the same verdict
and how many errors each found. ``benchmarks/compare_peers.py`` compares the same grown
data with the other tools an analyst would pick (pandera, dataframely, patito, DuckDB).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ca_summit_data.schema.facets import CodeList

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import grow  # noqa: E402  (beside this script)
from installed import compile_timed_code  # noqa: E402

FRICTIONLESS = Path(sys.executable).parent / "frictionless"
TEXT = "Investment in business projects over the five years after the summit, including health."


@dataclass
class Run:
    seconds: float
    peak_mib: float
    exit_code: int
    stdout: str


TRAMPOLINE = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=sys.stdout, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status), file=sys.stderr)
"""
"""Runs the measured command from a small, fresh process: Linux carries a parent's peak RSS
into a forked child, so measuring straight from this (large) process would overstate it."""


def measure(command: list[str], cwd: Path) -> Run:
    """Run a command as a child of a small trampoline; its wall time, exit code and own peak RSS (wait4)."""
    with tempfile.TemporaryFile() as out:
        done = subprocess.run(
            [sys.executable, "-c", TRAMPOLINE, *command],
            cwd=cwd,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
        seconds, max_rss_kib, exit_code = done.stderr.split()
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Run(float(seconds), int(max_rss_kib) / 1024, int(exit_code), text)


# --------------------------------------------------------------------------- generating data from our schemas


def _published_keys(table: str, column: str) -> list[str]:
    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle) if row[column]]


def _column_values(field: Any, n: int, rng: np.random.Generator, table: str) -> np.ndarray:
    """n valid cells (as text) for one field, from its type, constraints and model rules."""
    from ca_summit_data.validation.ours import table_spec

    spec = table_spec(table)
    if field.name in spec.primary_key:  # in key order, as our files are written
        return np.char.add(f"{field.name[0]}", np.char.zfill(np.arange(n).astype(str), len(str(n))))
    for fk in spec.foreign_keys:
        if field.name in fk.fields:
            keys = _published_keys(fk.resource, fk.reference_fields[0])
            return np.array(keys)[rng.integers(0, len(keys), n)]
    optional = not field.required
    if field.enum is not None:
        values = np.array([str(v) for v in field.enum])[rng.integers(0, len(field.enum), n)]
    elif field.facet(CodeList) is not None:
        pool = {"country": ["JPN", "KAZ", "UZB"], "currency": ["JPY", "USD", "IDR"], "language": ["id", "en", "ja"]}
        values = np.array(pool[field.facet(CodeList).kind])[rng.integers(0, 3, n)]
    elif field.type == "integer":
        low = next((int(v) for k, v in field.bounds if k == "minimum"), 0)
        values = rng.integers(low, low + 50, n).astype(str)
    elif field.type == "number":
        whole = rng.integers(0, 10**12, n).astype(str)
        values = np.char.add(np.char.add(whole, "."), rng.integers(10, 99, n).astype(str))
    elif field.type == "boolean":
        values = np.array(["true", "false"])[rng.integers(0, 2, n)]
    elif field.type == "date":
        days = np.datetime64("2020-01-01") + rng.integers(0, 2000, n).astype("timedelta64[D]")
        values = days.astype(str)
    elif field.type == "list":
        values = np.array(["health;medical", "energy", "mining;energy;transport", "health"])[rng.integers(0, 4, n)]
    elif field.pattern is not None and field.pattern.startswith("^[a-z]"):
        values = np.char.add("v", rng.integers(0, 1000, n).astype(str))
    else:  # free text: a different sentence on every row, as real descriptions are
        values = np.char.add(np.char.add(TEXT + " Reference ", np.arange(n).astype(str)), ".")
    if optional:
        values = np.where(rng.random(n) < 0.1, "", values)
    return values.astype(object)


def _apply_rules(columns: dict[str, np.ndarray], table: str) -> None:
    """Make generated rows obey the models' cross-field rules (from the one list of them)."""
    from ca_summit_data.schema.rules import NotBefore, Together
    from ca_summit_data.validation.ours import table_spec

    for rule in table_spec(table).rules:
        if isinstance(rule, Together):
            given = np.ones(len(columns[rule.fields[0]]), bool)
            for name in rule.fields:
                given &= columns[name] != ""
            for name in rule.fields:
                columns[name] = np.where(given, columns[name], "")
        elif isinstance(rule, NotBefore):
            columns[rule.fields[0]] = columns[rule.fields[1]]


def generate(table: str, n: int, seed: int = 1) -> dict[str, np.ndarray]:
    from ca_summit_data.validation.ours import table_spec

    rng = np.random.default_rng(seed)
    spec = table_spec(table)
    columns = {f.name: _column_values(f, n, rng, table) for f in spec.fields}
    _apply_rules(columns, table)
    return columns


def inject_errors(columns: dict[str, np.ndarray], table: str, count: int) -> tuple[dict[str, np.ndarray], set[int]]:
    """Copy ``columns`` with ``count`` Table Schema errors spread over the rows; returns the ragged rows too."""
    from ca_summit_data.validation.ours import table_spec

    spec = table_spec(table)
    broken = {name: values.copy() for name, values in columns.items()}
    n = len(next(iter(columns.values())))
    rows = np.linspace(1, n - 1, count).astype(int)
    by_kind: dict[str, Any] = {}
    for f in spec.fields:
        by_kind.setdefault(f.type, f.name)
        if f.required and f.type == "string" and f.name not in spec.primary_key:
            by_kind.setdefault("required", f.name)
        if any(k == "minimum" for k, _ in f.bounds):
            by_kind.setdefault("minimum", f.name)
        if f.pattern and f.name not in spec.primary_key:
            by_kind.setdefault("pattern", f.name)
    fk_column = spec.foreign_keys[0].fields[0] if spec.foreign_keys else None
    ragged: set[int] = set()
    for i, row in enumerate(rows):
        kind = i % 7
        if kind == 0 and "integer" in by_kind:
            broken[by_kind["integer"]][row] = "twelve"
        elif kind == 1 and "pattern" in by_kind:
            broken[by_kind["pattern"]][row] = "Not An Id!"
        elif kind == 2 and "required" in by_kind:
            broken[by_kind["required"]][row] = ""
        elif kind == 3 and "minimum" in by_kind:
            broken[by_kind["minimum"]][row] = "-1"
        elif kind == 4 and fk_column is not None:
            broken[fk_column][row] = "no_such_key"
        elif kind == 5:
            key = spec.primary_key[0]
            broken[key][row] = broken[key][row - 1]
        else:
            ragged.add(int(row))
    return broken, ragged


def write_csv(path: Path, columns: dict[str, np.ndarray], ragged: set[int] | None = None) -> None:
    """Write as our exporter does (csv module, minimal quoting, LF); ragged rows lose their first cell."""
    names = list(columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(names)
        for index, row in enumerate(zip(*(columns[name].tolist() for name in names), strict=True)):
            writer.writerow(row[1:] if ragged and index in ragged else row)


def write_package(folder: Path, table: str, columns: dict[str, np.ndarray], ragged: set[int] | None) -> Path:
    """A Data Package of our published CSV tables with ``table`` replaced by the generated rows."""
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    (folder / "data").mkdir(parents=True, exist_ok=True)
    resources = []
    for resource in descriptor["resources"]:
        if resource.get("format") != "csv":
            continue
        resource = {k: v for k, v in resource.items() if k not in ("bytes", "hash")}
        if resource["name"] == table:
            write_csv(folder / resource["path"], columns, ragged)
        elif grow.refers_into(resource, {table}):
            grow.header_only(resource["name"], folder / "data")
        else:
            shutil.copy(ROOT / resource["path"], folder / resource["path"])
        resources.append(resource)
    descriptor["resources"] = resources
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    return folder / "datapackage.json"


# --------------------------------------------------------------------------- the three runs


FLOOR = """
import sys, pyarrow as pa, pyarrow.csv as pacsv
schema = pa.ipc.read_schema(sys.argv[2])
types = {f.name: (pa.string() if pa.types.is_list(f.type) else f.type) for f in schema}
table = pacsv.read_csv(sys.argv[1], convert_options=pacsv.ConvertOptions(column_types=types))
print(table.num_rows)
"""
"""The floor process imports nothing but pyarrow: the Arrow schema (our Parquet types) comes in a file."""


def ours(folder: Path) -> tuple[Run, int]:
    run = measure([sys.executable, "-m", "ca_summit_data", "validate", "--format", "json", "datapackage.json"], folder)
    return run, int(json.loads(run.stdout)["error_count"])


def theirs(folder: Path) -> tuple[Run, int]:
    run = measure([str(FRICTIONLESS), "validate", "--json", "datapackage.json"], folder)
    report = json.loads(run.stdout)
    return run, sum(len(t["errors"]) for t in report["tasks"]) + len(report.get("errors", []))


def floor(folder: Path, table: str) -> Run:
    from ca_summit_data.export.parquet import arrow_schema
    from ca_summit_data.models import MODEL_BY_TABLE

    schema_file = folder / "schema.arrow"
    schema_file.write_bytes(arrow_schema(MODEL_BY_TABLE[table]).serialize().to_pybytes())
    return measure([sys.executable, "-c", FLOOR, str(folder / "data" / f"{table}.csv"), str(schema_file)], folder)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def median_run(runs: list[Run]) -> Run:
    middle = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
    return Run(middle.seconds, max(r.peak_mib for r in runs), middle.exit_code, middle.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--table", default="financial_targets", choices=("initiatives", "financial_targets"))
    parser.add_argument("--cases", default="uniform,grown", help="uniform, grown or both")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (floor, ours), frictionless in the first")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep the generated files here (default: a temporary folder, removed at the end)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = [c for c in args.cases.split(",") if c]
    if not set(cases) <= {"uniform", "grown"}:
        raise SystemExit("--cases takes uniform, grown or both")
    compile_timed_code()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_validate_"))
    from ca_summit_data.validation.ours import table_spec

    width = len(table_spec(args.table).fields)
    from importlib.metadata import version

    import pyarrow

    print(
        f"table {args.table} ({width} columns, primary key and {len(table_spec(args.table).foreign_keys)} "
        f"foreign keys), {os.cpu_count()} cores, Python {sys.version.split()[0]}, pyarrow {pyarrow.__version__}, "
        f"frictionless {version('frictionless')}; files in {work}\n"
    )
    try:
        run_sizes(args, sizes, cases, work)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def prepare(case: str, table: str, n: int, work: Path) -> tuple[Path, Path]:
    """The (valid, with errors) packages of one case and size."""
    valid, broken = work / f"{case}_{n}_valid", work / f"{case}_{n}_errors"
    if case == "grown":
        grow.grow(table, n, valid, errors=0)
        grow.grow(table, n, broken, errors=20)
        return valid, broken
    columns = generate(table, n)
    write_package(valid, table, columns, None)
    damaged, ragged = inject_errors(columns, table, max(7, min(350, n // 100)))
    write_package(broken, table, damaged, ragged)
    return valid, broken


def run_sizes(args: argparse.Namespace, sizes: list[int], cases: list[str], work: Path) -> None:
    header = (
        f"{'rows':>9} {'case':<8} {'variant':<8} {'MB':>6} {'ours s':>7} {'ours MiB':>8} {'fl. s':>7} "
        f"{'fl. MiB':>8} {'floor s':>7} {'x faster':>8} {'x floor':>7} {'mem ratio':>9} {'verdicts':>10} "
        f"{'errors us/fl':>13}"
    )
    print(header)
    for n in sizes:
        for case in cases:
            valid, broken = prepare(case, args.table, n, work)
            for variant, folder in (("valid", valid), ("errors", broken)):
                size_mb = (folder / "data" / f"{args.table}.csv").stat().st_size / 1e6
                floors: list[Run] = []
                mine: list[tuple[Run, int]] = []
                ratios: list[float] = []
                fl, their_errors = None, 0
                for round_ in range(args.repeat):  # alternating: floor, ours (, frictionless)
                    floors.append(floor(valid, args.table))
                    mine.append(ours(folder))
                    ratios.append(mine[-1][0].seconds / floors[-1].seconds)
                    if round_ == 0:
                        fl, their_errors = theirs(folder)
                assert fl is not None
                base = median_run(floors)
                us, our_errors = median_run([m[0] for m in mine]), mine[0][1]
                same = "same" if (us.exit_code == 0) == (fl.exit_code == 0) else "DIFFER"
                print(
                    f"{n:>9} {case:<8} {variant:<8} {size_mb:>6.1f} {us.seconds:>7.2f} {us.peak_mib:>8.0f} "
                    f"{fl.seconds:>7.2f} {fl.peak_mib:>8.0f} {base.seconds:>7.2f} {fl.seconds / us.seconds:>8.1f} "
                    f"{median(ratios):>7.2f} {us.peak_mib / fl.peak_mib:>9.2f} {same:>10} "
                    f"{our_errors:>6}/{their_errors:<6}",
                    flush=True,
                )
    print(f"\nmedians of {args.repeat} alternating rounds (floor, ours), frictionless in the first round only; "
          "x floor is the median of the per-round ratios; MiB = peak RSS of the process.")


if __name__ == "__main__":
    main()
