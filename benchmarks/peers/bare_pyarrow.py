"""The floor: the checked tables read into typed Arrow by pyarrow, and nothing checked.

    python benchmarks/peers/bare_pyarrow.py PACKAGE_FOLDER [--format csv|parquet]

Why: a validator must at least read every byte and type every cell, so the time of a bare
typed read (``pyarrow.csv.read_csv`` with our Arrow types, or ``pyarrow.parquet.read_table``)
is the floor no validator built on Arrow can go under; "within N times the floor" says how
much the checks themselves cost. The types are those of the package's own Parquet files
(our published types), a list column read as its text. A type error in the file stops the
read, so ``compare_peers.py`` runs this on the valid twin of the package (the same data
without the injected errors). It imports only pyarrow and the standard library, so its
start-up is the floor too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

EXPECTED_FILE = "expected_errors.json"


def read(path: Path, fmt: str) -> int:
    """Rows of one table file, read typed."""
    schema = pq.read_schema(path.with_suffix(".parquet"))
    if fmt == "parquet":
        return int(pq.read_table(path.with_suffix(".parquet")).num_rows)
    types = {f.name: (pa.string() if pa.types.is_list(f.type) else f.type) for f in schema}
    options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False,
                                   true_values=["true", "True", "TRUE", "1"],
                                   false_values=["false", "False", "FALSE", "0"])
    return int(pacsv.read_csv(path.with_suffix(".csv"), convert_options=options).num_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    args = parser.parse_args()
    started = time.perf_counter()
    expected = json.loads((args.package / EXPECTED_FILE).read_text(encoding="utf-8"))
    rows = {name: read(args.package / "data" / f"{name}.csv", args.format) for name in expected["checked"]}
    sys.stdout.write(json.dumps({"tool": "bare-pyarrow", "format": args.format, "rows": rows,
                                 "seconds": round(time.perf_counter() - started, 3), "errors": [],
                                 "error_count": 0}) + "\n")


if __name__ == "__main__":
    main()
