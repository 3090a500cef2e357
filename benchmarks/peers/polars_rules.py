"""The Table Schema checks as Polars expressions, for the three peers built on Polars (pandera, dataframely, patito).

Each of those tools has its own vocabulary for a few checks (not null, a regex, a set of
values, a bound, uniqueness), and each accepts an arbitrary Polars expression for the rest;
none knows Table Schema types written as text, ISO code lists, plain text, money digits,
list items or our cross-field rules. So the rest is written here once, as "this row is
fine" expressions, and each peer hands them to its tool as that tool's custom check
(pandera ``Check``, dataframely ``@rule``, patito ``constraints``), using its own built-in
checks where it has one. That keeps the three comparable: the same checks, expressed once.

CSV files are read as text (a type error must be reported, not stop the read) and typed
by these expressions; Parquet files arrive typed, so there is no type check to make, and
a decimal column holds no more decimals than its type allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from common import (
    DATE_TEXT,
    INTEGER_TEXT,
    NUMBER_TEXT,
    SPACE_CLASS,
    Field,
    Package,
    TableSchema,
    anchored,
    codes,
    digits_pattern,
)

ROW = "spreadsheet_row"
"""The row number as a spreadsheet shows it (header = row 1), added to every frame."""


@dataclass(frozen=True)
class Check:
    """One check of one column: the finding code, and an expression true on every row that passes."""

    column: str
    code: str
    ok: pl.Expr
    builtin: str | None = None
    """When the tool has its own check for this (``required``, ``regex``, ``isin``, ``min``, ``max``, ...),
    its name; the peer may use its own instead of ``ok``."""
    argument: Any = None
    """The built-in check's argument (a regex is the Table Schema's, unanchored)."""


def read_frame(table: TableSchema, fmt: str) -> pl.DataFrame:
    """A table's file as a frame with the row number: CSV all text (empty cells null), Parquet as typed."""
    if fmt == "csv":
        frame = pl.read_csv(table.path, infer_schema=False, quote_char='"')
    else:
        frame = pl.read_parquet(table.path)
        frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))
    return frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))


def typed_value(f: Field, fmt: str) -> pl.Expr:
    """The column's cells in their logical type (null where missing or not of the type)."""
    col = pl.col(f.name)
    if fmt != "csv":
        return col
    if f.type == "number":
        return pl.when(col.str.contains(NUMBER_TEXT)).then(col.str.strip_chars().cast(pl.Float64, strict=False))
    if f.type == "integer":
        return pl.when(col.str.contains(INTEGER_TEXT)).then(col.str.strip_chars().cast(pl.Int64, strict=False))
    if f.type == "boolean":
        return (pl.when(col.is_in(list(f.true_values))).then(True)
                .when(col.is_in(list(f.false_values))).then(False))
    if f.type == "date":
        return pl.when(col.str.contains(DATE_TEXT)).then(col.str.to_date("%Y-%m-%d", strict=False))
    if f.type == "list":
        return col.str.split(f.delimiter)
    return col


def field_checks(table: TableSchema, f: Field, fmt: str) -> list[Check]:
    """Every check of one field, as our validator makes them: type, then constraints on well-typed cells, then our
    custom properties on cells that passed those."""
    col = pl.col(f.name)
    value = typed_value(f, fmt)
    present = col.is_not_null()
    typed = present & value.is_not_null()
    checks: list[Check] = []
    if fmt == "csv" and f.type not in ("string", "list", "any"):
        checks.append(Check(f.name, "type", ~present | value.is_not_null()))
    if f.required:
        checks.append(Check(f.name, "required", present, builtin="required"))
    passed = typed
    if f.enum is not None:
        ok = value.is_in(list(f.enum))
        checks.append(Check(f.name, "enum", ~typed | ok, builtin="isin", argument=list(f.enum)))
        passed = passed & ok
    if f.pattern is not None and f.type == "string":
        ok = col.str.contains(anchored(f.pattern))
        checks.append(Check(f.name, "pattern", ~typed | ok, builtin="regex", argument=f.pattern))
        passed = passed & ok
    length = value.list.len() if f.type == "list" else col.str.len_chars()
    if f.min_length is not None:
        ok = length >= f.min_length
        checks.append(Check(f.name, "min-length", ~typed | ok, builtin="min_length", argument=f.min_length))
        passed = passed & ok
    if f.max_length is not None:
        ok = length <= f.max_length
        checks.append(Check(f.name, "max-length", ~typed | ok, builtin="max_length", argument=f.max_length))
        passed = passed & ok
    if f.minimum is not None:
        ok = value >= f.minimum
        checks.append(Check(f.name, "minimum", ~typed | ok, builtin="min", argument=f.minimum))
        passed = passed & ok
    if f.maximum is not None:
        ok = value <= f.maximum
        checks.append(Check(f.name, "maximum", ~typed | ok, builtin="max", argument=f.maximum))
        passed = passed & ok
    if f.code_list is not None:
        checks.append(Check(f.name, "iso-code", ~passed | col.is_in(list(codes(f.code_list))), builtin="isin",
                            argument=list(codes(f.code_list))))
    if f.plain_text:
        spaced = col.str.contains(f"^{SPACE_CLASS}") | col.str.contains(f"{SPACE_CLASS}$")
        checks.append(Check(f.name, "text", ~passed | ~spaced))
        checks.append(Check(f.name, "text", ~passed | (col.str.normalize("NFC") == col)))
    if f.digits is not None and fmt == "csv":  # a Parquet decimal holds no more digits than its type
        checks.append(Check(f.name, "decimal", ~passed | col.str.contains(digits_pattern(*f.digits))))
    if f.item_pattern is not None:
        items_ok = value.list.eval(pl.element().str.contains(anchored(f.item_pattern))).list.all()
        checks.append(Check(f.name, "list-item", ~passed | items_ok))
    return checks


def _usable(f: Field, fmt: str) -> pl.Expr:
    return pl.col(f.name).is_not_null() & typed_value(f, fmt).is_not_null()


def rule_checks(table: TableSchema, fmt: str) -> list[Check]:
    """The table's cross-field rules, reported on the column our validator reports them on."""
    checks = []
    for rule in table.rules:
        fields = [table.field(name) for name in rule.fields]
        if rule.rule == "together":
            for f in fields:
                others_given = pl.any_horizontal([pl.col(o.name).is_not_null() for o in fields if o is not f])
                checks.append(Check(f.name, "rule", pl.col(f.name).is_not_null() | ~others_given))
        elif rule.rule == "uniqueItems":
            items = typed_value(fields[0], fmt)
            checks.append(Check(fields[0].name, "rule", ~_usable(fields[0], fmt)
                                | (items.list.n_unique() == items.list.len())))
        elif rule.rule == "notBefore":
            later, earlier = (typed_value(f, fmt) for f in fields)
            both = _usable(fields[0], fmt) & _usable(fields[1], fmt)
            checks.append(Check(fields[0].name, "rule", ~both | (later >= earlier)))
        elif rule.rule == "differ":
            first, second = (typed_value(f, fmt) for f in fields)
            both = _usable(fields[0], fmt) & _usable(fields[1], fmt)
            checks.append(Check(fields[0].name, "rule", ~both | (first != second)))
        else:
            raise NotImplementedError(f"rule {rule.rule!r} is not translated for the Polars peers")
    return checks


def referenced_keys(package: Package, fmt: str) -> dict[tuple[str, tuple[str, ...]], pl.Series]:
    """(table, key fields) -> the distinct keys there, for every foreign key of a checked table."""
    keys: dict[tuple[str, tuple[str, ...]], pl.Series] = {}
    for name in package.checked:
        for fk in package.tables[name].foreign_keys:
            target = package.tables[fk.resource]
            if (target.name, fk.reference) in keys:
                continue
            column = fk.reference[0]
            if target.format == "csv" and fmt == "csv":
                series = pl.read_csv(target.path, columns=[column], infer_schema=False)[column]
            else:
                series = pl.read_parquet(target.path, columns=[column])[column].cast(pl.String)
            keys[(target.name, fk.reference)] = series.drop_nulls().unique()
    return keys


def foreign_key_checks(table: TableSchema, keys: dict[tuple[str, tuple[str, ...]], pl.Series]) -> list[Check]:
    """Each (single-field) foreign key: a value that is given must be among the referenced keys."""
    checks = []
    for fk in table.foreign_keys:
        column = fk.fields[0]
        known = keys[(fk.resource, fk.reference)]
        checks.append(Check(column, "foreign-key", pl.col(column).is_null() | pl.col(column).is_in(known),
                            builtin="isin", argument=known))
    return checks


def all_checks(table: TableSchema, fmt: str, keys: dict[tuple[str, tuple[str, ...]], pl.Series]) -> list[Check]:
    checks = [c for f in table.fields for c in field_checks(table, f, fmt)]
    return checks + rule_checks(table, fmt) + foreign_key_checks(table, keys)


def later_duplicates(table: TableSchema) -> pl.Expr:
    """True on every row whose primary key an earlier row already has (the rows our validator reports)."""
    key = pl.concat_str([pl.col(k) for k in table.primary_key], separator="\x1f") if len(
        table.primary_key) > 1 else pl.col(table.primary_key[0])
    return key.is_not_null() & ~key.is_first_distinct()
