"""The per-row checks of one batch, all vectorised: blank rows, types, constraints, model extras, rules.

Each cell is reported as frictionless reports it: a type error, or else one finding per
constraint it breaks; a row whose cells are all missing is one blank-row finding. After
the Table Schema's constraints come the extras our models add for our own tables (ISO
codes, plain text, money precision, list items) and the cross-field rules. ISO codes
and other Python-only predicates are evaluated once per distinct value, never per cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pyarrow as pa

from ..schema.arrays import excludes_exactly_ascii_controls, matches, pc
from ..schema.fieldtypes import BIG_INTEGER
from ..schema.tableschema import FieldSpec, TableSpec
from ..schema.text import TEXT_PATTERN
from .batch import Array, Batch, Cells, as_mask
from .cells import expected_type
from .emit import emit
from .findings import Findings

ENUM_SHOWN = 12
"""An enum with more members than this is shown abbreviated in messages."""

_BOUNDS = {
    "minimum": ("too small", "at least {}"),
    "maximum": ("too large", "at most {}"),
    "exclusiveMinimum": ("too small", "more than {}"),
    "exclusiveMaximum": ("too large", "less than {}"),
}
_LENGTH_UNITS = {"list": "items", "array": "items", "object": "keys"}


def _restrict(mask: Array, live: Array | None) -> Array:
    return mask if live is None else pc.and_(mask, live)


def _members_text(members: tuple[Any, ...], what: str) -> str:
    shown = [json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v for v in members]
    listed = ", ".join(shown[:ENUM_SHOWN]) + (f", … ({len(shown)} in all)" if len(shown) > ENUM_SHOWN else "")
    return f"{what}: {listed}"


def _once(compute: Callable[[FieldSpec, str], Any]) -> Callable[[FieldSpec, str], Any]:
    """``compute(field, which)``, remembered per field (the constants of a schema are read once, not per batch)."""
    remembered = cache(compute)

    def get(field: FieldSpec, which: str) -> Any:
        try:
            return remembered(field, which)
        except TypeError:  # a field whose enum holds objects is not hashable: read it again
            return compute(field, which)

    return get


@_once
def _allowed(field: FieldSpec, which: str) -> Array:
    raws = field.enum if which == "enum" else field.categories
    assert raws is not None
    return field.kind.members(field, raws, field.name)


@_once
def _bound(field: FieldSpec, which: str) -> Any:
    raw = dict(field.bounds)[which]
    return field.kind.constant(field, raw, field.name)


def _same_type(values: Array, allowed: Array) -> tuple[Array, Array]:
    """Values and members of one type (integers beyond int64 make one side decimal256)."""
    if values.type == allowed.type:
        return values, allowed
    return pc.cast(values, BIG_INTEGER), pc.cast(allowed, BIG_INTEGER)


def _outside(cells: Cells, present: Array, which: str) -> Array:
    field = cells.field
    allowed = _allowed(field, which)

    def inside(values: Array) -> Array:
        comparable, members = _same_type(field.kind.comparable(field, values), allowed)
        return pc.is_in(comparable, value_set=members)

    return pc.and_(present, pc.invert(as_mask(cells.by_value(inside))))


def _enum_within_categories(field: FieldSpec) -> bool:
    """Whether the enum (a subset of the categories, as the spec asks) already says all the categories would."""
    categories = field.categories or ()
    return field.enum is not None and all(member in categories for member in field.enum)


def _matching(cells: Cells, pattern: str) -> Array:
    if cells.distinct is not None:
        return cells.by_value(lambda values: matches(values, pattern))
    if pattern == TEXT_PATTERN:  # our free text: a quiet text holds none of the characters it excludes
        return matches(cells.value, pattern, cells.quiet())
    return matches(cells.value, pattern, cells.printable() if excludes_exactly_ascii_controls(pattern) else None)


@cache
def _json_validator(schema: str) -> Any:
    from jsonschema import validators

    document = json.loads(schema)
    return validators.validator_for(document)(document)


def _breaks_json_schema(cells: Cells, present: Array) -> Array:
    """Values that do not match the field's ``jsonSchema`` (each distinct value validated once)."""
    assert cells.field.json_schema is not None
    validator = _json_validator(cells.field.json_schema)

    def broken(values: Array) -> Array:
        codes = pc.dictionary_encode(values)
        verdicts = [v is not None and not validator.is_valid(json.loads(v)) for v in codes.dictionary.to_pylist()]
        return pc.take(pa.array(verdicts, pa.bool_()), codes.indices)

    return pc.and_(present, as_mask(cells.by_value(broken)))


def check_constraints(cells: Cells, live: Array | None, file: str, rows: Array, sink: Findings) -> None:
    """Type, required and the Table Schema constraints of one column; sets ``cells.clean``."""
    field = cells.field
    if field.type != "any":
        invalid = cells.invalid if cells.reported is None else pc.and_(cells.invalid, pc.invert(cells.reported))
        emit(sink, file, rows, _restrict(invalid, live), code="type", cells=cells,
             message=f"not a valid {field.type}", expected=expected_type(field))
    if field.required:
        emit(sink, file, rows, _restrict(cells.missing, live), code="required", cells=cells,
             message="missing value in a required column", expected="a value")
    present = _restrict(pc.invert(pc.or_(cells.missing, cells.invalid)), live)
    failed: list[Array] = []

    def report(mask: Array, code: str, message: str, expected: str) -> None:
        if emit(sink, file, rows, mask, code=code, cells=cells, message=message, expected=expected):
            failed.append(mask)

    if field.enum is not None:
        report(_outside(cells, present, "enum"), "enum", "not one of the allowed values",
               _members_text(field.enum, "one of"))
    if field.categories is not None and not _enum_within_categories(field):
        report(_outside(cells, present, "categories"), "enum", "not one of the categories",
               _members_text(field.categories, "one of the categories"))
    pattern = field.pattern
    if pattern is not None:
        report(pc.and_(present, pc.invert(as_mask(_matching(cells, pattern)))), "pattern",
               "does not match the required pattern", f"text matching {field.pattern}")
    unit = _LENGTH_UNITS.get(field.type, "characters")
    if field.min_length is not None:
        report(pc.and_(present, cells.length_outside(field.min_length, shorter=True)), "min-length",
               "too short", f"at least {field.min_length} {unit}")
    if field.max_length is not None:
        report(pc.and_(present, cells.length_outside(field.max_length, shorter=False)), "max-length",
               "too long", f"at most {field.max_length} {unit}")
    for name, raw in field.bounds:
        message, expected = _BOUNDS[name]
        below = field.kind.violates(field, cells.value, _bound(field, name), name)
        code = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
        report(pc.and_(present, as_mask(below)), code, message, expected.format(raw))
    if field.json_schema is not None:
        report(_breaks_json_schema(cells, present), "json-schema", "does not match the field's jsonSchema",
               f"a value valid against the jsonSchema {field.json_schema}")
    clean = present
    for mask in failed:
        clean = pc.and_(clean, pc.invert(mask))
    cells.clean = clean


def check_extras(cells: Cells, file: str, rows: Array, sink: Findings) -> None:
    """The rules the field's facets add (ISO codes, plain text, digits, list items); narrows ``cells.clean``."""
    assert cells.clean is not None
    for facet in cells.field.facets:
        for violation in facet.check_arrow(cells):
            emitted = emit(sink, file, rows, violation.mask, code=violation.code, cells=cells,
                           message=violation.message, expected=violation.expected)
            if emitted and violation.narrows:
                cells.clean = pc.and_(cells.clean, pc.invert(violation.mask))


def mark_blank_rows(batch: Batch, file: str, sink: Findings) -> None:
    """A row whose every cell is missing is reported once, as blank, and skipped by the cell checks."""
    if not batch.cells:
        return
    blank = batch.cells[0].missing
    for cells in batch.cells[1:]:
        blank = pc.and_(blank, cells.missing)
    if emit(sink, file, batch.rows, blank, code="blank-row", message="the row is empty",
            expected="a row with values"):
        batch.live = pc.invert(blank)


def check_batch(batch: Batch, spec: TableSpec, file: str, sink: Findings) -> None:
    """Every per-row check of one batch."""
    mark_blank_rows(batch, file, sink)
    for cells in batch.cells:
        check_constraints(cells, batch.live, file, batch.rows, sink)
        check_extras(cells, file, batch.rows, sink)
    if not spec.rules:
        return
    columns = {cells.field.name: cells for cells in batch.cells}
    for rule in spec.rules:
        for violation in rule.check_batch(columns, batch.live):
            emit(sink, file, batch.rows, violation.mask, code="rule", cells=columns[violation.field],
                 message=violation.message, expected=violation.expected)
