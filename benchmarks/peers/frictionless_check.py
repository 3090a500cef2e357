"""Our validator's checks done with frictionless: ``validate`` of the package, plus a custom ``Check`` for our extras.

    python benchmarks/peers/frictionless_check.py PACKAGE_FOLDER [--format csv]

Why this way: frictionless is the reference implementation of Table Schema, so its
baseline check already makes types, required, patterns, enums, lengths, bounds, primary
and foreign keys. It ignores the custom properties our schemas carry (``codeList``,
``plainText``, ``maxDigits``/``decimalPlaces``, ``itemPattern``, ``rules``), so those are
a custom check (``OurExtras``, a subclass of frictionless's ``Check`` that sees each typed
row), as a frictionless user would add them. A cell that already has a baseline error is
not judged again, as in our validator.

Only CSV: reading Parquet needs a frictionless plugin (fastparquet) we do not install.
Like ``frictionless validate datapackage.json``, it checks every resource of the package.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs
import frictionless
from common import Result, TableSchema, codes, load_package, parse_args
from frictionless import errors

SPACE = frozenset("\t\n\x0b\f\r\x1c\x1d\x1e\x1f \x85") | frozenset(
    chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) in ("Zs", "Zl", "Zp"))
"""What ``str.strip()`` removes."""


class ExtraError(errors.CellError):  # type: ignore[misc]
    """A cell that breaks one of our custom properties or rules; the note starts with our finding code."""

    type = "our-extra"
    title = "Our extra rule"
    description = "A rule our Table Schemas add as a custom property"
    template = "{note}"


@attrs.define(kw_only=True, repr=False)
class OurExtras(frictionless.Check):  # type: ignore[misc]
    """ISO codes, plain text, money digits, list items and cross-field rules, row by row."""

    type = "our-extras"
    Errors: ClassVar[list[type[Any]]] = [ExtraError]
    tables: dict[str, TableSchema] = attrs.field(factory=dict)
    checked: frozenset[str] = attrs.field(factory=frozenset)
    """The grown tables, whose every rule must be checked; our small published tables are valid as they are."""

    def validate_row(self, row: Any) -> Iterable[Any]:
        table = self.tables.get(self.resource.name)
        if table is None or table.name not in self.checked:
            return
        broken = {getattr(e, "field_name", None) for e in row.errors}
        for f in table.fields:
            value = row[f.name]
            if value is None or f.name in broken:
                continue
            code = _extra_problem(f, value)
            if code is not None:
                yield ExtraError.from_row(row, note=code, field_name=f.name)
        for rule in table.rules:
            names = list(rule.fields)
            if rule.rule == "together":
                given = [row[name] is not None for name in names]
                for name, has in zip(names, given, strict=True):
                    if any(given) and not has:
                        yield ExtraError.from_row(row, note="rule", field_name=name)
            elif rule.rule == "uniqueItems":
                items = row[names[0]]
                if items is not None and names[0] not in broken and len(set(items)) != len(items):
                    yield ExtraError.from_row(row, note="rule", field_name=names[0])
            elif rule.rule in ("notBefore", "differ"):
                first, second = row[names[0]], row[names[1]]
                if first is None or second is None or broken & set(names):
                    continue
                if (first < second) if rule.rule == "notBefore" else (first == second):
                    yield ExtraError.from_row(row, note="rule", field_name=names[0])
            elif rule.rule == "emptyExactlyWhen":
                subject, condition = row[names[0]], row[names[1]]
                if condition is not None and names[1] not in broken and (subject is None) != (
                        condition == rule.value):
                    yield ExtraError.from_row(row, note="rule", field_name=names[0])
            elif rule.rule == "matchesCountry":
                alpha2, alpha3 = row[names[0]], row[names[1]]
                if alpha2 is not None and alpha3 is not None and not broken & set(names):
                    expected = _alpha2(alpha3)
                    if expected is not None and expected != alpha2:
                        yield ExtraError.from_row(row, note="rule", field_name=names[0])
            else:
                raise NotImplementedError(f"rule {rule.rule!r}")


def _extra_problem(f: Any, value: Any) -> str | None:
    """Our finding code for a typed cell that breaks one of the field's custom properties, or None."""
    if f.code_list is not None and value not in _code_set(f.code_list):
        return "iso-code"
    if f.plain_text and isinstance(value, str):
        if value[:1] in SPACE or value[-1:] in SPACE:
            return "text"
        if not value.isascii() and unicodedata.normalize("NFC", value) != value:
            return "text"
    if f.digits is not None and isinstance(value, Decimal):
        _, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int):
            return "decimal"
        places = max(0, -exponent)
        whole = max(0, len(digits) + exponent)
        if places > f.digits[1] or whole > f.digits[0]:
            return "decimal"
    if f.item_pattern is not None and isinstance(value, list):
        import re

        pattern = re.compile(f"^(?:{f.item_pattern})$")
        if any(pattern.fullmatch(item) is None for item in value):
            return "list-item"
    return None


def _alpha2(alpha3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3)
    return None if country is None else str(country.alpha_2)


_CODE_SETS: dict[str, frozenset[str]] = {}


def _code_set(standard: str) -> frozenset[str]:
    if standard not in _CODE_SETS:
        _CODE_SETS[standard] = frozenset(codes(standard))
    return _CODE_SETS[standard]


def _code(error: Any) -> str:
    kind = error.type
    if kind == "our-extra":
        return str(error.note)
    if kind == "constraint-error":
        note = str(error.note)
        for name, code in (("required", "required"), ("pattern", "pattern"), ("enum", "enum"),
                           ("minLength", "min-length"), ("maxLength", "max-length"), ("minimum", "minimum"),
                           ("maximum", "maximum")):
            if f'"{name}"' in note:
                return code
        return kind
    return {"type-error": "type", "primary-key": "primary-key", "foreign-key": "foreign-key"}.get(kind, kind)


def _column(error: Any, table: TableSchema | None) -> str | None:
    if getattr(error, "field_name", None):
        return str(error.field_name)
    if error.type == "primary-key" and table is not None:
        return table.primary_key[0]
    names = getattr(error, "field_names", None)
    return str(names[0]) if names else None


def main() -> None:
    args = parse_args(__doc__)
    if args.format != "csv":
        raise SystemExit("frictionless_check: only CSV (a Parquet plugin for frictionless is not installed)")
    package = load_package(args.package, args.format)
    result = Result("frictionless", args.format)
    checklist = frictionless.Checklist(checks=[OurExtras(tables=package.tables, checked=frozenset(package.checked))])
    report = frictionless.Package(str(package.descriptor)).validate(checklist=checklist, limit_errors=1_000_000)
    for task in report.tasks:
        name = task.name
        result.rows[name] = int(task.stats.get("rows") or 0)
        table = package.tables.get(name)
        result.add(name, [(getattr(e, "row_number", None), _column(e, table), _code(e)) for e in task.errors])
    result.print()


if __name__ == "__main__":
    main()
