"""Is ``ca-summit-data validate`` ahead of every peer, and how near the I/O floor? Run by hand.

    python benchmarks/compare_peers.py [--sizes 1000000,10000000] [--tables initiatives,financial_targets]
                                       [--formats csv,parquet] [--repeat 3] [--peers duckdb,pandera,...]
                                       [--once frictionless] [--workdir DIR] [--keep]

For each size and table it grows a package (``grow.py``: shuffled keys, distinct free text,
a companion table referring into or out of the grown one, 20 injected errors of different
kinds) and its valid twin, then runs, as whole processes:

- ours: ``python -m ca_summit_data validate --format json --max-errors 0 <descriptor>``;
- each peer of ``benchmarks/peers/`` (the same checks with that tool), and the floor
  (``bare_pyarrow``: a typed read and no check, on the valid twin, which it can read);

**alternating** ours and the peer (ours, peer, ours, peer, ...; ``--repeat`` pairs), each run after an
untimed read of the files it checks (a warm page cache for every tool), so a
slow spell of the machine hits both sides of a pair alike. Each process is started by a
tiny trampoline that waits for it with ``os.wait4``: wall time, and the peak RSS of that
process alone (not of this harness, whose memory a forked child would inherit in its
count). A peer's time ratio is the median of its per-pair ratios peer/ours (above 1: ours
is faster). Errors found are the injected errors a tool reported at the same row and
column; "extra" are its other findings (our validator reports none on a CSV package).
Tools in ``--once`` (frictionless, by default: minutes a run) run in the first pair only.

It prints one table per package and format, then the summary: tool | time ratio per size,
table and format | errors found | peak MiB, and ours on Parquet against CSV, and ours
against the floor. The raw runs go to ``<workdir>/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import grow  # noqa: E402
from installed import compile_timed_code  # noqa: E402

PEERS = {
    "frictionless": "frictionless_check.py",
    "pandera": "pandera_polars.py",
    "dataframely": "dataframely_check.py",
    "patito": "patito_check.py",
    "duckdb": "duckdb_sql.py",
    "floor": "bare_pyarrow.py",
}
"""Peer name -> its script in benchmarks/peers/."""
CSV_ONLY = {"frictionless"}
DESCRIPTORS = {"csv": grow.CSV_DESCRIPTOR, "parquet": grow.PARQUET_DESCRIPTOR}

TRAMPOLINE = """
import os, subprocess, sys, threading, time
timeout, errors = float(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
with open(errors, "wb") as err:
    child = subprocess.Popen(sys.argv[3:], stdout=sys.stdout, stderr=err)
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    timer.cancel()
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status), file=sys.stderr)
"""
"""Started fresh for every run, so the child's peak RSS is its own (Linux carries a parent's peak into a fork)."""


@dataclass
class Run:
    tool: str
    seconds: float
    peak_mib: float
    exit_code: int
    found: int
    extra: int
    approximate: bool = False
    """The tool names columns, not rows (patito): ``found`` counts per column, at most as many as it flagged."""
    stderr_tail: str = ""


@dataclass
class Cell:
    """The runs on one package in one format."""

    size: int
    table: str
    format: str
    runs: dict[str, list[Run]] = field(default_factory=lambda: defaultdict(list))
    ratios: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def measure(command: list[str], cwd: Path, timeout: float) -> tuple[float, float, int, str, str]:
    """(seconds, peak MiB, exit code, stdout, stderr tail) of one command run under the trampoline."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile(suffix=".err") as err:
        done = subprocess.run([sys.executable, "-c", TRAMPOLINE, str(timeout), err.name, *command], cwd=cwd,
                              stdout=out, stderr=subprocess.PIPE, text=True, check=True)
        seconds, max_rss_kib, exit_code = done.stderr.split()[-3:]
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
        tail = Path(err.name).read_text(encoding="utf-8", errors="replace")[-2000:]
    return float(seconds), int(max_rss_kib) / 1024, int(exit_code), text, tail


# --------------------------------------------------------------------------- reading what each tool found


def expected_errors(folder: Path) -> tuple[str, set[tuple[int, str]]]:
    data = json.loads((folder / grow.EXPECTED_FILE).read_text(encoding="utf-8"))
    return str(data["table"]), {(int(e["row"]), str(e["column"])) for e in data["errors"]}


def ours_found(stdout: str) -> list[tuple[str, int | None, str | None]]:
    """(table, row, column) of each error in our JSON report (warnings left out)."""
    report = json.loads(stdout)
    return [(Path(f["file"]).stem, f["row"], f["column"]) for f in report["findings"] if f["severity"] == "error"]


def peer_found(stdout: str) -> tuple[list[tuple[str, int | None, str | None]], dict[str, dict[str, int]] | None]:
    line = stdout.strip().splitlines()[-1]
    data = json.loads(line)
    return [(t, r, c) for t, r, c, _ in data["errors"]], data.get("column_counts")


def score(found: list[tuple[str, int | None, str | None]], counts: dict[str, dict[str, int]] | None,
          main: str, expected: set[tuple[int, str]]) -> tuple[int, int, bool]:
    """(injected errors found, other findings, whether only columns could be matched)."""
    if counts is not None:
        wanted: dict[str, int] = defaultdict(int)
        for _, column in expected:
            wanted[column] += 1
        flagged = counts.get(main, {})
        hit = sum(min(n, flagged.get(column, 0)) for column, n in wanted.items())
        total = sum(sum(c.values()) for c in counts.values())
        return hit, total - hit, True
    hits = {(row, column) for table, row, column in found if table == main and row is not None and column is not None
            and (row, column) in expected}
    extra = sum(1 for table, row, column in found if table != main or (row, column) not in expected)
    return len(hits), extra, False


# --------------------------------------------------------------------------- running


def ours_command(fmt: str) -> list[str]:
    return [sys.executable, "-m", "ca_summit_data", "validate", "--format", "json", "--max-errors", "0",
            DESCRIPTORS[fmt]]


def peer_command(peer: str, folder: Path, fmt: str) -> list[str]:
    return [sys.executable, str(HERE / "peers" / PEERS[peer]), str(folder), "--format", fmt]


WARM_CHUNK = 16 * 1024 * 1024


def warm(folder: Path, fmt: str) -> None:
    """Read the package's data files of ``fmt`` once, untimed, so every timed run starts from a warm page cache.

    Without it, a tool timed right after a peer that took many GiB (patito at 10M: 15 GiB) reads its files
    back from disk, and the floor, which reads the valid twin no other tool touches, would look slower than it is.
    """
    for path in sorted((folder / "data").glob(f"*.{fmt}")):
        with path.open("rb") as handle:
            while handle.read(WARM_CHUNK):
                pass


def run_tool(tool: str, folder: Path, valid: Path, fmt: str, main: str, expected: set[tuple[int, str]],
             timeout: float) -> Run:
    warm(valid if tool == "floor" else folder, fmt)
    if tool == "ours":
        seconds, peak, code, out, tail = measure(ours_command(fmt), folder, timeout)
        try:
            hit, extra, approx = score(ours_found(out), None, main, expected)
        except (json.JSONDecodeError, KeyError):
            hit, extra, approx = 0, 0, False
        return Run(tool, seconds, peak, code, hit, extra, approx, tail)
    target = valid if tool == "floor" else folder
    seconds, peak, code, out, tail = measure(peer_command(tool, target, fmt), target, timeout)
    try:
        found, counts = peer_found(out)
        hit, extra, approx = score(found, counts, main, expected)
    except (json.JSONDecodeError, KeyError, IndexError):
        hit, extra, approx = 0, 0, False
        code = code or 99
    if tool == "floor":
        hit, extra = 0, 0
    return Run(tool, seconds, peak, code, hit, extra, approx, tail)


def prepare(table: str, size: int, work: Path, companion_ratio: float, seed: int) -> tuple[Path, Path]:
    """The package with errors and its valid twin, grown unless they are already there (same size and seed)."""
    folders = []
    for errors, suffix in ((20, ""), (0, "_valid")):
        folder = work / f"{table}_{size}{suffix}"
        marker = folder / grow.EXPECTED_FILE
        if marker.exists():
            known = json.loads(marker.read_text(encoding="utf-8"))
            if known.get("rows") == size and known.get("seed") == seed and len(known["errors"]) == errors:
                folders.append(folder)
                continue
        print(f"growing {folder.name} ...", file=sys.stderr, flush=True)
        grow.grow(table, size, folder, errors=errors, seed=seed, companion_ratio=companion_ratio,
                  log=lambda line: print(line, file=sys.stderr, flush=True))
        folders.append(folder)
    return folders[0], folders[1]


def run_cell(cell: Cell, folder: Path, valid: Path, peers: list[str], once: set[str], repeat: int,
             timeout: float) -> None:
    main, expected = expected_errors(folder)
    for r in range(repeat):
        for peer in peers:
            if (peer in CSV_ONLY and cell.format != "csv") or (peer in once and r > 0):
                continue
            mine = run_tool("ours", folder, valid, cell.format, main, expected, timeout)
            theirs = run_tool(peer, folder, valid, cell.format, main, expected, timeout)
            cell.runs["ours"].append(mine)
            cell.runs[peer].append(theirs)
            cell.ratios[peer].append(theirs.seconds / mine.seconds)
            note = "" if theirs.exit_code in (0, 1) else f" (exit {theirs.exit_code}: {theirs.stderr_tail[-300:]!r})"
            print(f"  [{cell.table} {cell.size:,} {cell.format} #{r + 1}] ours {mine.seconds:.2f} s "
                  f"{mine.peak_mib:.0f} MiB {mine.found}/{len(expected)} | {peer} {theirs.seconds:.2f} s "
                  f"{theirs.peak_mib:.0f} MiB {theirs.found}/{len(expected)}{note}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- printing


def _found_text(runs: list[Run], expected: int, tool: str) -> str:
    if tool == "floor":
        return "(no checks)"
    best = runs[0]
    mark = "~" if best.approximate else ""
    return f"{mark}{best.found}/{expected}" + (f" +{best.extra}" if best.extra else "")


def print_cell(cell: Cell, expected: int) -> None:
    print(f"\n{cell.table}, {cell.size:,} rows, {cell.format}")
    print(f"  {'tool':<13} {'median s':>9} {'ratio tool/ours':>16} {'errors found':>13} {'peak MiB':>9} {'runs':>5}")
    for tool, runs in cell.runs.items():
        seconds = statistics.median(r.seconds for r in runs)
        ratio = "1.00" if tool == "ours" else f"{statistics.median(cell.ratios[tool]):.2f}"
        peak = max(r.peak_mib for r in runs)
        failed = [r.exit_code for r in runs if r.exit_code not in (0, 1)]
        flag = f" exit {failed[0]}" if failed else ""
        print(f"  {tool:<13} {seconds:>9.2f} {ratio:>16} {_found_text(runs, expected, tool):>13} {peak:>9.0f} "
              f"{len(runs):>5}{flag}")


def print_summary(cells: list[Cell], expected: int) -> None:
    tools: list[str] = []
    for cell in cells:
        tools.extend(t for t in cell.runs if t not in tools)
    heads = [f"{_short(c.size)} {c.table} {c.format}" for c in cells]
    width = max(12, *(len(h) for h in heads))
    print("\nSummary: median of per-pair time ratios tool/ours (above 1: ours is faster; ours: its median time); "
          f"errors found of {expected} injected in the worst cell (+ most other findings; ~: matched per column only, "
          "the tool names no rows); peak MiB over all runs")
    print(f"{'tool':<13} | " + " | ".join(f"{h:>{width}}" for h in heads) + f" | {'errors found':>14} | peak MiB")
    for tool in tools:
        ratios: list[str] = []
        hits: list[int] = []
        extras: list[int] = []
        peaks: list[float] = []
        approximate = False
        for cell in cells:
            runs = cell.runs.get(tool)
            if not runs:
                ratios.append("-")
                continue
            if tool == "ours":
                ratios.append(f"{statistics.median(r.seconds for r in runs):.2f} s")
            else:
                ratios.append(f"{statistics.median(cell.ratios[tool]):.2f}x")
            hits.append(runs[0].found)
            extras.append(runs[0].extra)
            approximate = approximate or runs[0].approximate
            peaks.append(max(r.peak_mib for r in runs))
        if tool == "floor":
            found = "(no checks)"
        else:  # the worst cell: fewest found, most other findings
            found = f"{'~' if approximate else ''}{min(hits)}/{expected}" + (f" +{max(extras)}" if max(extras) else "")
        print(f"{tool:<13} | " + " | ".join(f"{x:>{width}}" for x in ratios) + f" | {found:>14} | {max(peaks):.0f}")
    by_key = {(c.size, c.table, c.format): c for c in cells}
    lines = []
    for (size, table, fmt), cell in by_key.items():
        ours = statistics.median(r.seconds for r in cell.runs["ours"])
        if fmt == "parquet" and (size, table, "csv") in by_key:
            csv_cell = by_key[(size, table, "csv")]
            csv = statistics.median(r.seconds for r in csv_cell.runs["ours"])
            lines.append(f"ours on Parquet / ours on CSV, {_short(size)} {table}: {ours / csv:.2f} "
                         f"({ours:.2f} s / {csv:.2f} s)")
            if cell.runs.get("floor") and csv_cell.runs.get("floor"):  # what reading alone gains from Parquet
                floors = [statistics.median(r.seconds for r in c.runs["floor"]) for c in (cell, csv_cell)]
                lines.append(f"bare read of Parquet / bare read of CSV, {_short(size)} {table}: "
                             f"{floors[0] / floors[1]:.2f} ({floors[0]:.2f} s / {floors[1]:.2f} s)")
        if cell.runs.get("floor"):
            floor = statistics.median(r.seconds for r in cell.runs["floor"])
            lines.append(f"ours / bare pyarrow typed read, {_short(size)} {table} {fmt}: {ours / floor:.2f} "
                         f"({ours:.2f} s / {floor:.2f} s)")
    if lines:
        print("\n" + "\n".join(lines))


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--tables", default="initiatives,financial_targets")
    parser.add_argument("--formats", default="csv")
    parser.add_argument("--repeat", type=int, default=3, help="pairs (ours, peer) per peer")
    parser.add_argument("--peers", default=",".join(PEERS), help=f"any of {', '.join(PEERS)}")
    parser.add_argument("--once", default="frictionless", help="peers run in the first pair only (slow ones)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed")
    parser.add_argument("--companion-ratio", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ca_summit_peers")
    parser.add_argument("--keep", action="store_true", help="keep the grown packages (reused by the next run)")
    parser.add_argument("--show", type=Path, metavar="RESULTS_JSON",
                        help="print the tables of an earlier run, and run nothing")
    args = parser.parse_args()
    if args.show is not None:
        shown = load_results(args.show)
        for cell in shown:
            print_cell(cell, 20)
        print_summary(shown, 20)
        return
    peers = [p for p in args.peers.split(",") if p]
    unknown = set(peers) - set(PEERS)
    if unknown:
        raise SystemExit(f"unknown peers: {', '.join(sorted(unknown))}")
    from importlib.metadata import version

    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, ca-summit-data {version('ca-summit-data')}, "
          + ", ".join(f"{p} {_version(p)}" for p in ("pyarrow", "polars", "duckdb", "pandera", "dataframely",
                                                       "patito", "frictionless")))
    compile_timed_code()
    args.workdir.mkdir(parents=True, exist_ok=True)
    cells: list[Cell] = []
    started = time.perf_counter()
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            for table in args.tables.split(","):
                folder, valid = prepare(table, size, args.workdir, args.companion_ratio, args.seed)
                for fmt in args.formats.split(","):
                    cell = Cell(size, table, fmt)
                    run_cell(cell, folder, valid, peers, set(args.once.split(",")), args.repeat, args.timeout)
                    cells.append(cell)
                    print_cell(cell, len(expected_errors(folder)[1]))
                    _save(args.workdir, cells)
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
                    shutil.rmtree(valid, ignore_errors=True)
    finally:
        if cells:
            print_summary(cells, 20)
        print(f"\n{time.perf_counter() - started:.0f} s in all; runs in {args.workdir / 'results.json'}")


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def load_results(path: Path) -> list[Cell]:
    """The cells of a ``results.json`` written by ``_save``."""
    cells = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        cell = Cell(item["size"], item["table"], item["format"])
        for tool, runs in item["runs"].items():
            cell.runs[tool] = [Run(**run) for run in runs]
        for tool, ratios in item["ratios"].items():
            cell.ratios[tool] = list(ratios)
        cells.append(cell)
    return cells


def _save(work: Path, cells: list[Cell]) -> None:
    data: list[dict[str, Any]] = [
        {"size": c.size, "table": c.table, "format": c.format,
         "runs": {tool: [asdict(r) for r in runs] for tool, runs in c.runs.items()},
         "ratios": dict(c.ratios)}
        for c in cells
    ]
    (work / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
