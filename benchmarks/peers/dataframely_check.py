"""Our validator's checks done with dataframely: one ``dy.Schema`` a table, rows sorted by ``Schema.filter``.

    python benchmarks/peers/dataframely_check.py PACKAGE_FOLDER [--format csv|parquet]

Why this way: a dataframely schema is a class of typed columns with their constraints and
``@dy.rule`` methods, and ``filter`` keeps the valid rows and says, for every other row,
which rule it broke (``FailureInfo.details()``), which is what we need to compare. The
classes are made at run time from the Table Schemas (dataframely reads its columns and
rules from the class body, so ``type()`` builds one as a class statement would).

A CSV file's columns are text (``dy.String``, with dataframely's own ``nullable``,
``regex``, ``min_length`` and ``max_length``), and a type error is a rule; a Parquet file's
columns carry their types (``dy.Decimal``, ``dy.Int64(min=...)``, ``dy.Bool``,
``dy.List``). Every other check (ISO codes, plain text, money digits, list items, the
cross-field rules, foreign keys) is a rule built from the expressions of ``polars_rules``.
The primary key is dataframely's own ``primary_key=True``, which flags every row of a
repeated key, the first one included (our validator flags the later rows only).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataframely as dy
import polars as pl
from common import Field, Package, Result, TableSchema, load_package, parse_args
from polars_rules import ROW, Check, all_checks, read_frame, referenced_keys

SEPARATOR = "__"
"""A rule's name is ``<column>__<code>__<n>`` (the code with ``_`` for ``-``), to read column and code back."""
BUILT_IN = {"required", "pattern", "min-length", "max-length", "minimum", "maximum"}
"""Checks dataframely's own column options make (see ``_column``)."""


def _column(f: Field, table: TableSchema, fmt: str, dtype: pl.DataType) -> dy.Column:
    """The dataframely column of a field: its type (text, for CSV) and the constraints dataframely has words for."""
    options: dict[str, Any] = {"nullable": not f.required, "primary_key": f.name in table.primary_key}
    if fmt == "csv" or f.type == "string":
        if f.type == "string":
            options.update(regex=f"^(?:{f.pattern})$" if f.pattern else None, min_length=f.min_length,
                           max_length=f.max_length)
        return dy.String(**options)
    bounds = {"min": f.minimum, "max": f.maximum}
    if isinstance(dtype, pl.Decimal):
        return dy.Decimal(dtype.precision, dtype.scale, **options, **bounds)
    if f.type == "integer":
        return dy.Int64(**options, **bounds)
    if f.type == "number":
        return dy.Float64(**options, **bounds)
    if f.type == "boolean":
        return dy.Bool(**options)
    if f.type == "date":
        return dy.Date(**options)
    if f.type == "list":
        return dy.List(dy.String(nullable=True), **options)
    return dy.Any()


def _handled_by_column(check: Check, f: Field, fmt: str) -> bool:
    if check.code == "required":
        return True
    if f.type == "string" and check.code in ("pattern", "min-length", "max-length"):
        return True
    return fmt != "csv" and f.type in ("integer", "number") and check.code in ("minimum", "maximum")


def schema_for(package: Package, name: str, frame: pl.DataFrame,
               keys: dict[tuple[str, tuple[str, ...]], pl.Series]) -> type[dy.Schema]:
    """A dataframely schema class for one table of the package, made from its Table Schema."""
    table = package.tables[name]
    namespace: dict[str, Any] = {ROW: dy.Int64()}
    for f in table.fields:
        namespace[f.name] = _column(f, table, package.format, frame.schema[f.name])
    for index, check in enumerate(all_checks(table, package.format, keys)):
        if _handled_by_column(check, table.field(check.column), package.format):
            continue
        rule_name = SEPARATOR.join((check.column, check.code.replace("-", "_"), str(index)))
        namespace[rule_name] = dy.rule()(_rule(check.ok))
    return type(f"{name}_schema", (dy.Schema,), namespace)


def _rule(expression: pl.Expr) -> Any:
    def rule(cls: type[dy.Schema]) -> pl.Expr:
        return expression.fill_null(True)

    return rule


def _where(rule: str, table: TableSchema) -> tuple[str | None, str]:
    """A failed rule's column and our finding code."""
    if rule == "primary_key":
        return table.primary_key[0], "primary-key"
    if "|" in rule:  # a column's own option: "<column>|<check>"
        column, option = rule.split("|", 1)
        codes = {"nullability": "required", "regex": "pattern", "min_length": "min-length",
                 "max_length": "max-length", "min": "minimum", "max": "maximum", "dtype": "type"}
        return column, codes.get(option, option)
    column, code, _ = rule.rsplit(SEPARATOR, 2)
    return column, code.replace("_", "-")


def failures(schema: type[dy.Schema], table: TableSchema, frame: pl.DataFrame
             ) -> list[tuple[int | None, str | None, str]]:
    _, failure = schema.filter(frame, cast=True)
    counts = failure.counts()
    if not counts:
        return []
    details = failure.details()
    found: list[tuple[int | None, str | None, str]] = []
    for rule in counts:
        column, code = _where(rule, table)
        rows = details.filter(pl.col(rule) == "invalid")[ROW].to_list()
        found.extend((int(row), column, code) for row in rows)
    return found


def main() -> None:
    args = parse_args(__doc__)
    package = load_package(args.package, args.format)
    result = Result("dataframely", args.format)
    keys = referenced_keys(package, args.format)
    for name in package.checked:
        frame = read_frame(package.tables[name], args.format)
        result.rows[name] = frame.height
        schema = schema_for(package, name, frame, keys)
        result.add(name, failures(schema, package.tables[name], frame))
    result.print()


if __name__ == "__main__":
    main()
