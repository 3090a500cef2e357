"""The per-row checks of one batch, all vectorised: blank rows, types, constraints, model extras, rules.

Each cell is reported as frictionless reports it: a type error, or else one finding per
constraint it breaks; a row whose cells are all missing is one blank-row finding. After
the Table Schema's constraints come the extras our models add for our own tables (ISO
codes, plain text, money precision, list items) and the cross-field rules. ISO codes
and other Python-only predicates are evaluated once per distinct value, never per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache

import pyarrow as pa

from ..limits import INT64_MAX, MAX_NUMBER_CHARS
from ..schema.numbers import fits
from .arrow import pc
from .batch import Array, Batch, Cells, all_false, all_true, as_mask, counting
from .cells import expected_type, parse_scalar
from .emit import emit, true_count
from .findings import Findings
from .patterns import excludes_exactly_ascii_controls, matches
from .rules import rules_for
from .spec import FieldSpec, TableSpec

ENUM_SHOWN = 12
"""An enum with more members than this is shown abbreviated in messages."""

_BOUNDS = {
    "minimum": (pc.less, "too small", "at least {}"),
    "maximum": (pc.greater, "too large", "at most {}"),
    "exclusiveMinimum": (pc.less_equal, "too small", "more than {}"),
    "exclusiveMaximum": (pc.greater_equal, "too large", "less than {}"),
}
_SPACE = r"[\t\n\x0b\f\r\x1c-\x1f \x{85}\p{Z}]"
"""What Python's str.strip() removes (the models' test), as an RE2 character class."""
_CODE_LISTS = {
    "country": ("an assigned ISO 3166-1 alpha-3 country code, such as JPN", "is_country_alpha3"),
    "currency": ("an ISO 4217 currency code, such as JPY", "is_currency"),
    "language": ("an ISO 639-1 language code, such as id", "is_language"),
}


def _restrict(mask: Array, live: Array | None) -> Array:
    return mask if live is None else pc.and_(mask, live)


def failing_distinct(values: Array, where: Array, ok: Callable[[str], bool]) -> Array:
    """Rows in ``where`` whose value fails ``ok``, calling ``ok`` once per distinct value."""
    if true_count(where) == 0:
        return where
    distinct = pc.drop_null(pc.unique(pc.filter(values, where))).to_pylist()
    bad = [v for v in distinct if not ok(v)]
    if not bad:
        return pc.and_(where, pc.invert(where))
    return pc.and_(where, as_mask(pc.is_in(values, value_set=pa.array(bad, values.type))))


@cache
def code_list_check(kind: str) -> Callable[[str], bool]:
    """Whether a code is in the ISO list ``kind`` (country, currency, language), remembered per code."""
    from .. import codes

    return cache(getattr(codes, _CODE_LISTS[kind][1]))


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


def outer_space(values: Array, printable: Array | None = None) -> Array:
    """Whether each value starts or ends with white space (as ``str.strip`` sees it).

    In printable ASCII the only white space is the space character, found with two
    cheap prefix/suffix tests; other values go through RE2, as two anchored expressions
    (several times faster than one with an alternation).
    """
    verdict = as_mask(pc.or_(pc.starts_with(values, " "), pc.ends_with(values, " ")))
    printable = as_mask(pc.ascii_is_printable(values)) if printable is None else printable
    others = pc.and_(pc.invert(printable), pc.is_valid(values))
    if pc.any(others).as_py():
        rest = pc.filter(values, others)
        spaced = pc.or_(pc.match_substring_regex(rest, f"^{_SPACE}"), pc.match_substring_regex(rest, f"{_SPACE}$"))
        verdict = pc.replace_with_mask(verdict, others, as_mask(spaced))
    return verdict


def _plain_text(cells: Cells, file: str, rows: Array, sink: Findings) -> list[Array]:
    from .modelspec import formula_prefixes

    assert cells.clean is not None
    clean, value = cells.clean, cells.value
    found = []
    spaced = cells.by_value(outer_space) if cells.distinct is not None else outer_space(value, cells.printable())
    outer = pc.and_(clean, as_mask(spaced))
    found.append(outer)
    emit(sink, file, rows, outer, code="text", cells=cells, message="has leading or trailing white space",
         expected="text without white space at either end")
    prefixes = "".join(sorted(formula_prefixes()))
    starts = f"^[{re.escape(prefixes)}]"
    formula = pc.and_(clean, as_mask(cells.by_value(lambda v: pc.match_substring_regex(v, starts))))
    # A warning, not an error: the text is valid data, but a spreadsheet would run it (our own build refuses it).
    emit(sink, file, rows, formula, code="formula", cells=cells, severity="warning",
         message="starts with a character that spreadsheet programs run as a formula",
         expected=f"text not starting with any of {', '.join(repr(p) for p in sorted(prefixes))}")
    non_ascii = pc.and_(clean, pc.invert(cells.printable()))  # printable ASCII is always in NFC
    if true_count(non_ascii):
        normal = pc.if_else(non_ascii, value, None)
        denormal = pc.and_(non_ascii, as_mask(pc.not_equal(pc.utf8_normalize(normal, "NFC"), normal)))
        found.append(denormal)
        emit(sink, file, rows, denormal, code="text", cells=cells, message="is not in Unicode normalisation form NFC",
             expected="the same text in NFC form")
    return found


@cache
def _decimal_fits(text: str, whole: int, places: int) -> str | None:
    """None if ``text`` is a finite decimal within the digit limits (as the models count them), else why not.

    The digits are counted as written (``numbers.fits``): ``1e999999999999`` and
    ``1e-999999999`` are judged, not overflowed or rounded to zero.
    """
    core = text.strip()
    if len(core) > MAX_NUMBER_CHARS:
        return f"is longer than {MAX_NUMBER_CHARS} characters"
    try:
        number = Decimal(core)
    except InvalidOperation:
        return None
    return fits(number, whole, places)


def _decimal(cells: Cells, file: str, rows: Array, sink: Findings) -> list[Array]:
    assert cells.clean is not None and cells.field.decimal is not None
    whole, places = cells.field.decimal
    text = cells.shown()
    # Cheap, vectorised suspicion; the exact verdict (as the models count digits) is taken
    # in Python for the distinct suspect values only. A value is suspect if it is not
    # finite, if it is 10**whole or more, if it has an exponent, or if its text has more
    # than ``whole`` characters before the point or ``places`` after it.
    value = cells.value
    length = pc.binary_length(text)
    point = pc.find_substring(text, ".")
    before = pc.if_else(pc.less(point, 0), length, point)
    after = pc.if_else(pc.less(point, 0), 0, pc.subtract(pc.subtract(length, point), 1))
    suspect = pc.invert(as_mask(pc.is_finite(value)))
    suspect = pc.or_(suspect, as_mask(pc.greater_equal(pc.abs(value), 10.0**whole)))
    suspect = pc.or_(suspect, as_mask(pc.or_(pc.match_substring(text, "e"), pc.match_substring(text, "E"))))
    suspect = pc.or_(suspect, as_mask(pc.or_(pc.greater(before, whole), pc.greater(after, places))))
    suspect = pc.and_(cells.clean, suspect)
    found = []
    if true_count(suspect):
        distinct = pc.drop_null(pc.unique(pc.filter(text, suspect))).to_pylist()
        reasons = {v: _decimal_fits(v, whole, places) for v in distinct}
        for reason in sorted({r for r in reasons.values() if r is not None}):
            bad = pa.array([v for v, r in reasons.items() if r == reason], pa.string())
            mask = pc.and_(suspect, as_mask(pc.is_in(text, value_set=bad)))
            found.append(mask)
            emit(sink, file, rows, mask, code="decimal", cells=cells, message=reason,
                 expected=f"a finite amount with at most {whole} digits before the point and {places} after")
    return found


def has_bad_item(lists: Array, pattern: str) -> Array:
    """For each list, whether one of its items does not match ``pattern`` (each distinct item checked once)."""
    items = pc.list_flatten(lists)
    if not len(items):
        return all_false(len(lists))
    codes = pc.dictionary_encode(items)
    bad_items = pc.invert(as_mask(pc.take(matches(codes.dictionary, pattern), codes.indices)))
    if not true_count(bad_items):
        return all_false(len(lists))
    parents = pc.filter(pc.list_parent_indices(lists), bad_items)
    return as_mask(pc.is_in(counting(0, len(lists)), value_set=pc.cast(parents, pa.int64())))


def _list_items(cells: Cells, file: str, rows: Array, sink: Findings) -> list[Array]:
    assert cells.clean is not None and cells.field.item_pattern is not None
    pattern = cells.field.item_pattern
    mask = pc.and_(cells.clean, as_mask(cells.by_value(lambda lists: has_bad_item(lists, pattern))))
    if not true_count(mask):
        return []
    emit(sink, file, rows, mask, code="list-item", cells=cells, message="has an item that does not match the pattern",
         expected=f"items matching {cells.field.item_pattern}")
    return [mask]


def check_extras(cells: Cells, file: str, rows: Array, sink: Findings) -> None:
    """The rules our models add to a column of one of our tables; narrows ``cells.clean``."""
    field = cells.field
    assert cells.clean is not None
    failed: list[Array] = []
    if field.code_list is not None:
        expected, _ = _CODE_LISTS[field.code_list]
        check = code_list_check(field.code_list)
        if cells.distinct is not None:  # the distinct values are known: judge each once, spread to the rows
            values, _ = cells.distinct
            known = pa.array([v is None or check(v) for v in values.to_pylist()], pa.bool_())
            mask = pc.and_(cells.clean, pc.invert(as_mask(cells.by_value(lambda _: known))))
        else:
            mask = failing_distinct(cells.value, cells.clean, check)
        if emit(sink, file, rows, mask, code="iso-code", cells=cells, message="not an ISO code", expected=expected):
            failed.append(mask)
    if field.plain_text:
        failed.extend(_plain_text(cells, file, rows, sink))
    if field.decimal is not None:
        failed.extend(_decimal(cells, file, rows, sink))
    if field.item_pattern is not None:
        failed.extend(_list_items(cells, file, rows, sink))
    for mask in failed:
        cells.clean = pc.and_(cells.clean, pc.invert(mask))


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
    if spec.model_table is None:
        return
    for rule in rules_for(spec.model_table):
        for violation in rule.apply(batch):
            emit(sink, file, batch.rows, violation.mask, code="rule", cells=violation.cells,
                 message=violation.message, expected=violation.expected)
