"""Our validator's checks done with patito: one ``pt.Model`` a table, ``Model.validate`` on the frame.

    python benchmarks/peers/patito_check.py PACKAGE_FOLDER [--format csv|parquet]

Why this way: a patito model is a Pydantic model whose fields say the column's type,
whether it may be empty, its pattern, lengths and bounds (``pt.Field``), whether it is
``unique``, and extra Polars ``constraints``; ``validate`` then raises one
``DataFrameValidationError`` listing, for each column, what failed and in how many rows.
The models are made at run time from the Table Schemas (``pydantic.create_model``). A CSV
file's columns are text; a Parquet file's keep the types they were read with (``dtype``).
Type errors, enums, ISO codes, plain text, money digits, list items, the cross-field rules
and foreign keys are ``constraints`` built from the expressions of ``polars_rules``.

patito tells *how many* rows of a column failed, never *which* rows: its line carries
``column_counts`` instead of rows, and ``compare_peers.py`` can only count, per column,
how many of the injected errors it could have found. Its ``unique`` counts every row of a
repeated key, the first one included.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import patito as pt
import polars as pl
from common import Package, Result, load_package, parse_args
from polars_rules import ROW, all_checks, read_frame, referenced_keys
from pydantic import create_model

COUNT = re.compile(r"^(\d+) ")


def model_for(package: Package, name: str, frame: pl.DataFrame,
              keys: dict[tuple[str, tuple[str, ...]], pl.Series]) -> type[pt.Model]:
    """A patito model of one table: built-in options where patito has them, ``constraints`` for the rest."""
    table = package.tables[name]
    constraints: dict[str, list[pl.Expr]] = {f.name: [] for f in table.fields}
    required: set[str] = set()
    for check in all_checks(table, package.format, keys):
        field = table.field(check.column)
        if check.code == "required":
            required.add(check.column)
        elif field.type == "string" and check.code in ("pattern", "max-length", "min-length"):
            continue  # pt.Field below
        else:
            constraints[check.column].append(check.ok.fill_null(True))
    fields: dict[str, Any] = {ROW: (int, pt.Field(dtype=pl.Int64))}
    for f in table.fields:
        dtype = frame.schema[f.name]
        options: dict[str, Any] = {"dtype": dtype, "unique": f.name in table.primary_key}
        if f.type == "string":
            options.update(pattern=f"^(?:{f.pattern})$" if f.pattern else None, min_length=f.min_length,
                           max_length=f.max_length)
        if constraints[f.name]:
            options["constraints"] = constraints[f.name]
        annotation = _annotation(dtype)
        fields[f.name] = ((annotation if f.name in required else annotation | None),
                          pt.Field(**{k: v for k, v in options.items() if v is not None}))
    model: type[pt.Model] = create_model(f"{name}_model", __base__=pt.Model, **fields)
    return model


def _annotation(dtype: pl.DataType) -> Any:
    """The Python type patito expects for a column of ``dtype`` (it checks the two agree)."""
    import datetime
    import decimal

    if isinstance(dtype, pl.List):
        return list[str | None]
    if isinstance(dtype, pl.Decimal):
        return decimal.Decimal
    by_dtype: dict[Any, Any] = {pl.String: str, pl.Int64: int, pl.Float64: float, pl.Boolean: bool,
                                pl.Date: datetime.date}
    return by_dtype.get(dtype, object)


def column_counts(model: type[pt.Model], frame: pl.DataFrame) -> dict[str, int]:
    """Rows patito says failed, per column (the first number of each of its messages)."""
    try:
        model.validate(frame)
    except pt.exceptions.DataFrameValidationError as error:
        counts: dict[str, int] = {}
        for problem in error.errors():
            column = str(problem["loc"][0])
            match = COUNT.match(str(problem["msg"]))
            counts[column] = counts.get(column, 0) + (int(match.group(1)) if match else 1)
        return counts
    return {}


def main() -> None:
    args = parse_args(__doc__)
    package = load_package(args.package, args.format)
    result = Result("patito", args.format)
    result.column_counts = {}
    keys = referenced_keys(package, args.format)
    for name in package.checked:
        frame = read_frame(package.tables[name], args.format)
        result.rows[name] = frame.height
        result.column_counts[name] = column_counts(model_for(package, name, frame, keys), frame)
    result.notes.append("patito reports how many rows of each column failed, not which rows")
    result.print()


if __name__ == "__main__":
    main()
