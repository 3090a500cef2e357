"""Our validator's checks done with pandera on Polars: one ``DataFrameSchema`` a table, validated lazily.

    python benchmarks/peers/pandera_polars.py PACKAGE_FOLDER [--format csv|parquet]

Why this way: it is how a pandera user would write our Table Schemas. pandera's own checks
are used where it has them (``nullable=False`` for required, ``Check.str_matches`` for
patterns, ``Check.isin`` for enums, ISO codes and foreign keys, ``Check.str_length``,
``Check.ge``/``le`` for bounds on typed columns, ``unique=True`` for the primary key); the
rest (types of text cells, plain text, money digits, list items, cross-field rules) are
custom ``Check`` objects wrapping the expressions of ``polars_rules``. ``validate(lazy=True)``
collects every failure, with the row index, in ``SchemaErrors.failure_cases``.

pandera's uniqueness check reports every row of a repeated key, the first one included;
our validator reports the later rows only, so pandera shows one extra finding per duplicate.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandera.polars as pa
import polars as pl
from common import Package, Result, load_package, parse_args
from polars_rules import ROW, Check, all_checks, read_frame, referenced_keys

CHECK_NAME = "{column}::{code}::{index}"
"""Each check's name carries the finding code, to read it back from the failure cases."""


def _expression_check(check: Check, index: int) -> pa.Check:
    """A custom pandera check from a Polars "row is fine" expression (nulls are judged by the expression)."""
    expression = check.ok

    def run(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expression.fill_null(True))

    return pa.Check(run, name=CHECK_NAME.format(column=check.column, code=check.code, index=index), ignore_na=False)


def _builtin_check(check: Check, index: int, typed: bool) -> pa.Check | None:
    """pandera's own check for a constraint, where it has one that means the same."""
    name = CHECK_NAME.format(column=check.column, code=check.code, index=index)
    if check.builtin == "regex":
        return pa.Check.str_matches(f"^(?:{check.argument})$", name=name)
    if check.builtin == "isin" and check.code in ("enum", "foreign-key"):  # ISO codes: only where the pattern held
        return pa.Check.isin(check.argument, name=name)
    if check.builtin == "max_length":
        return pa.Check.str_length(max_value=check.argument, name=name)
    if check.builtin in ("min", "max") and typed:
        return (pa.Check.ge if check.builtin == "min" else pa.Check.le)(check.argument, name=name)
    return None


def schema_for(package: Package, name: str, keys: dict[tuple[str, tuple[str, ...]], pl.Series]
               ) -> tuple[pa.DataFrameSchema, dict[str, list[str]]]:
    """The table's schema, and each column's finding codes in the order of its checks (pandera reports a built-in
    check under its own name, and every check by its number)."""
    table = package.tables[name]
    typed = package.format != "csv"
    per_column: dict[str, list[pa.Check]] = {f.name: [] for f in table.fields}
    required: set[str] = set()
    for index, check in enumerate(all_checks(table, package.format, keys)):
        if check.builtin == "required":
            required.add(check.column)
            continue
        builtin = _builtin_check(check, index, typed)
        # a built-in string check only applies to text columns; the others are judged by their expression
        field = table.field(check.column)
        text = field.type == "string"
        per_column[check.column].append(builtin if builtin is not None and (text or check.builtin in ("min", "max"))
                                        else _expression_check(check, index))
    columns = {
        f.name: pa.Column(None, nullable=f.name not in required, checks=per_column[f.name],
                          unique=f.name in table.primary_key and len(table.primary_key) == 1)
        for f in table.fields
    }
    codes = {column: [_code(c) for c in checks] for column, checks in per_column.items()}
    return pa.DataFrameSchema(columns, strict=False), codes


def _code(check: pa.Check) -> str:
    name = str(check.name)
    return name.split("::")[1] if "::" in name else name


def failures(schema: pa.DataFrameSchema, codes: dict[str, list[str]], frame: pl.DataFrame
             ) -> list[tuple[int | None, str | None, str]]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    rows = frame[ROW]
    found: list[tuple[int | None, str | None, str]] = []
    special = {"not_nullable": "required", "field_uniqueness": "primary-key"}
    for column, check, number, index in cases.select("column", "check", "check_number", "index").iter_rows():
        code = special.get(str(check)) or (codes[column][number] if number is not None else str(check))
        found.append((int(rows[int(index)]) if index is not None else None, column, code))
    return found


def main() -> None:
    args = parse_args(__doc__)
    package = load_package(args.package, args.format)
    result = Result("pandera-polars", args.format)
    keys = referenced_keys(package, args.format)
    for name in package.checked:
        frame = read_frame(package.tables[name], args.format)
        result.rows[name] = frame.height
        schema, codes = schema_for(package, name, keys)
        result.add(name, failures(schema, codes, frame))
    result.print()


if __name__ == "__main__":
    main()
