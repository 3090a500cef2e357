"""The per-row checks of one batch, all vectorised: blank rows, types, constraints, model extras, rules.

Each cell is reported as frictionless reports it: a type error, or else one finding per
constraint it breaks; a row whose cells are all missing is one blank-row finding. After
the Table Schema's constraints come the extras our models add for our own tables (ISO
codes, plain text, money precision, list items) and the cross-field rules. ISO codes
and other Python-only predicates are evaluated once per distinct value, never per cell.
"""

from __future__ import annotations

import re

import pyarrow as pa

from ..limits import INT64_MAX
from ..schema.arrays import excludes_exactly_ascii_controls, matches, pc
from ..schema.tableschema import FieldSpec, TableSpec
from .batch import Array, Batch, Cells, all_false, all_true, as_mask
from .cells import expected_type, parse_scalar
from .emit import emit
from .findings import Findings

ENUM_SHOWN = 12
"""An enum with more members than this is shown abbreviated in messages."""

_BOUNDS = {
    "minimum": (pc.less, "too small", "at least {}"),
    "maximum": (pc.greater, "too large", "at most {}"),
    "exclusiveMinimum": (pc.less_equal, "too small", "more than {}"),
    "exclusiveMaximum": (pc.greater_equal, "too large", "less than {}"),
}


def _restrict(mask: Array, live: Array | None) -> Array:
    return mask if live is None else pc.and_(mask, live)


def _enum_text(field: FieldSpec) -> str:
    members = [str(v) for v in field.enum or ()]
    shown = ", ".join(members[:ENUM_SHOWN]) + (f", … ({len(members)} in all)" if len(members) > ENUM_SHOWN else "")
    return f"one of: {shown}"


def _enum_violations(cells: Cells, present: Array) -> Array:
    field = cells.field
    if field.type in ("string", "any"):
        allowed = pa.array([v for v in field.enum or () if isinstance(v, str)], pa.string())
    else:
        parsed = [parse_scalar(field, v) for v in field.enum or ()]
        allowed = pa.array([v for v in parsed if v is not None], cells.value.type)
    inside = cells.by_value(lambda values: pc.is_in(values, value_set=allowed))
    return pc.and_(present, pc.invert(as_mask(inside)))


def _matching(cells: Cells, pattern: str) -> Array:
    if cells.distinct is not None:
        return cells.by_value(lambda values: matches(values, pattern))
    return matches(cells.value, pattern, cells.printable() if excludes_exactly_ascii_controls(pattern) else None)


def _beyond_the_type(field: FieldSpec, raw: object) -> int | None:
    """+1 or -1 for an integer bound beyond 64 bits (above or below every value the column can hold), else None."""
    if field.type != "integer" or isinstance(raw, bool) or not isinstance(raw, int):
        return None
    if raw > INT64_MAX:
        return 1
    if raw < -INT64_MAX - 1:
        return -1
    return None


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
        report(_enum_violations(cells, present), "enum", "not one of the allowed values", _enum_text(field))
    pattern = field.pattern
    if pattern is not None and field.type == "string":
        report(pc.and_(present, pc.invert(as_mask(_matching(cells, pattern)))), "pattern",
               "does not match the required pattern", f"text matching {field.pattern}")
    unit = "items" if field.type == "list" else "characters"
    if field.min_length is not None:
        report(pc.and_(present, as_mask(pc.less(cells.lengths(), field.min_length))), "min-length",
               "too short", f"at least {field.min_length} {unit}")
    if field.max_length is not None:
        report(pc.and_(present, as_mask(pc.greater(cells.lengths(), field.max_length))), "max-length",
               "too long", f"at most {field.max_length} {unit}")
    for name, raw in field.bounds:
        compare, message, expected = _BOUNDS[name]
        beyond = _beyond_the_type(field, raw)
        if beyond is not None:  # a bound no value of the column's type reaches: every value is on one side
            lower = name in ("minimum", "exclusiveMinimum")
            below = all_true(len(cells.value)) if lower == (beyond > 0) else all_false(len(cells.value))
            code = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
            report(pc.and_(present, below), code, message, expected.format(raw))
            continue
        bound = parse_scalar(field, raw)
        if bound is None:
            continue
        below = compare(cells.value, pa.scalar(bound, cells.value.type))
        if field.type == "number":  # NaN is outside every bound, as in frictionless
            below = pc.or_(as_mask(below), as_mask(pc.is_nan(cells.value)))
        code = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
        report(pc.and_(present, as_mask(below)), code, message, expected.format(raw))
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
