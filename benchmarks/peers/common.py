"""What every peer script shares: the package's Table Schemas as plain data, the command line, and the JSON line.

Each peer (``frictionless_check``, ``pandera_polars``, ``dataframely_check``,
``patito_check``, ``duckdb_sql``) must perform the checks our validator performs, with its
own means, on the tables a grown package (``benchmarks/grow.py``) makes large. So that they
all check *the same thing*, the rules are read here once from the package's
``datapackage.json`` (the Table Schema, plus our custom field properties ``codeList``,
``plainText``, ``maxDigits``/``decimalPlaces``, ``itemPattern`` and the table's ``rules``)
and each peer translates them into its own vocabulary. Nothing here imports our package:
a peer must not borrow our validator's code.

Scope, as our validator's: every table named in ``expected_errors.json``'s ``checked`` list
(the grown table and its companion) is checked in full; our small published tables are
read only for the keys that foreign keys point at (our validator checks them too, but
they hold a few dozen rows, so they cost nothing either way). The warning our validator
gives for text starting like a spreadsheet formula is not an error, and is left out.

Each peer prints one JSON line: ``{"tool", "format", "rows", "errors": [[table, row, column,
code], ...], "column_counts"?: {...}}``, rows numbered as a spreadsheet shows them (the
header is row 1), so ``compare_peers.py`` can match them with the injected errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

CSV_DESCRIPTOR = "datapackage.json"
PARQUET_DESCRIPTOR = "parquet.datapackage.json"
EXPECTED_FILE = "expected_errors.json"

SPACE_CLASS = r"[\t\n\x0b\f\r\x1c-\x1f \x{85}\p{Z}]"
"""What Python's ``str.strip()`` removes, as an RE2 / Rust regex class (plain text has none at either end)."""
NUMBER_TEXT = r"^\s*[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:nan|inf|infinity))\s*$"
"""A Table Schema number as text (sign, exponent, NaN and infinity allowed; white space around)."""
INTEGER_TEXT = r"^\s*[+-]?[0-9]{1,18}\s*$"
DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True)
class Field:
    """One column's rules, as the Table Schema and our custom properties state them."""

    name: str
    type: str
    required: bool = False
    pattern: str | None = None
    enum: tuple[Any, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: Any = None
    maximum: Any = None
    code_list: str | None = None
    plain_text: bool = False
    digits: tuple[int, int] | None = None
    """(digits before the point, digits after it) at most."""
    item_pattern: str | None = None
    delimiter: str = ","
    true_values: tuple[str, ...] = ("true", "True", "TRUE", "1")
    false_values: tuple[str, ...] = ("false", "False", "FALSE", "0")


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A cross-field rule (``together``, ``uniqueItems``, ``notBefore``, ``differ``, ...)."""

    rule: str
    fields: tuple[str, ...]
    value: str | None = None


@dataclass(frozen=True)
class TableSchema:
    name: str
    path: Path
    format: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    rules: tuple[Rule, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _field(raw: dict[str, Any]) -> Field:
    constraints = raw.get("constraints", {})
    digits = None
    if "maxDigits" in raw:
        digits = (int(raw["maxDigits"]) - int(raw["decimalPlaces"]), int(raw["decimalPlaces"]))
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        required=bool(constraints.get("required")),
        pattern=constraints.get("pattern"),
        enum=tuple(constraints["enum"]) if "enum" in constraints else None,
        min_length=constraints.get("minLength"),
        max_length=constraints.get("maxLength"),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        code_list=raw.get("codeList"),
        plain_text=bool(raw.get("plainText")),
        digits=digits,
        item_pattern=raw.get("itemPattern"),
        delimiter=raw.get("delimiter", ","),
        true_values=tuple(raw.get("trueValues", Field.true_values)),
        false_values=tuple(raw.get("falseValues", Field.false_values)),
    )


@dataclass
class Package:
    folder: Path
    format: str
    tables: dict[str, TableSchema]
    checked: list[str]
    """The tables checked in full (the grown ones); the others are only read for their keys."""
    descriptor: Path
    expected: dict[str, Any] = field(default_factory=dict)

    def referenced(self) -> set[str]:
        """Tables whose keys a checked table refers to."""
        return {fk.resource for name in self.checked for fk in self.tables[name].foreign_keys}


def load_package(folder: Path, fmt: str) -> Package:
    """The package at ``folder``, its CSV (``datapackage.json``) or Parquet (``parquet.datapackage.json``) files."""
    descriptor = folder / (CSV_DESCRIPTOR if fmt == "csv" else PARQUET_DESCRIPTOR)
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    tables = {}
    for resource in raw["resources"]:
        schema = resource.get("schema")
        if not isinstance(schema, dict):
            continue
        tables[resource["name"]] = TableSchema(
            name=resource["name"],
            path=folder / resource["path"],
            format=resource.get("format", fmt),
            fields=tuple(_field(f) for f in schema["fields"]),
            primary_key=tuple(schema.get("primaryKey", ())),
            foreign_keys=tuple(
                ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"] or resource["name"],
                           tuple(fk["reference"]["fields"]))
                for fk in schema.get("foreignKeys", [])
            ),
            rules=tuple(Rule(r["rule"], tuple(r["fields"]), r.get("value")) for r in schema.get("rules", [])),
        )
    expected_path = folder / EXPECTED_FILE
    expected = json.loads(expected_path.read_text(encoding="utf-8")) if expected_path.exists() else {}
    checked = list(expected.get("checked", [name for name in ("initiatives", "financial_targets") if name in tables]))
    return Package(folder, fmt, tables, checked, descriptor, expected)


def anchored(pattern: str) -> str:
    """A Table Schema pattern (matched against the whole value) for RE2 and Rust's regex: anchored, ``\\uXXXX``
    escapes written ``\\x{XXXX}``, which both read."""
    translated = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: "\\x{" + m.group(1) + "}", pattern)
    return f"^(?:{translated})$"


def digits_pattern(whole: int, places: int) -> str:
    """A number written with at most ``whole`` digits before the point and ``places`` after it."""
    return rf"^\s*[+-]?[0-9]{{1,{whole}}}(?:\.[0-9]{{0,{places}}})?\s*$"


@cache
def codes(standard: str) -> tuple[str, ...]:
    """Every code an ISO list assigns (from pycountry, a dependency of ours: the list is data, not a check)."""
    import pycountry

    if standard == "ISO 4217":
        return tuple(sorted(c.alpha_3 for c in pycountry.currencies))
    if standard == "ISO 3166-1 alpha-3":
        return tuple(sorted(c.alpha_3 for c in pycountry.countries))
    if standard == "ISO 639-1":
        return tuple(sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")))
    raise ValueError(f"unknown code list {standard!r}")


def parse_args(description: str | None, *, printing: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help="a package folder written by benchmarks/grow.py")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    if printing:
        parser.add_argument("--print-sql", action="store_true", help="print the statements instead of running them")
    return parser.parse_args()


@dataclass
class Result:
    """What a peer found, printed as one JSON line."""

    tool: str
    format: str
    started: float = field(default_factory=time.perf_counter)
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, int | None, str | None, str]] = field(default_factory=list)
    column_counts: dict[str, dict[str, int]] | None = None
    """For a tool that reports only how many rows of each column failed (not which): table -> column -> count."""
    notes: list[str] = field(default_factory=list)

    def add(self, table: str, found: Iterable[tuple[int | None, str | None, str]]) -> None:
        self.errors.extend((table, row, column, code) for row, column, code in found)

    def print(self) -> None:
        out: dict[str, Any] = {
            "tool": self.tool, "format": self.format, "seconds": round(time.perf_counter() - self.started, 3),
            "rows": self.rows, "error_count": len(self.errors), "errors": sorted(
                self.errors, key=lambda e: (e[0], e[1] or 0, e[2] or "", e[3])),
        }
        if self.column_counts is not None:
            out["column_counts"] = self.column_counts
            out["error_count"] = sum(sum(c.values()) for c in self.column_counts.values())
        if self.notes:
            out["notes"] = self.notes
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
