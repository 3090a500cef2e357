"""Reading cells into their logical types, a whole column at a time.

Text cells (CSV, or string columns of a Parquet file) are parsed with Arrow casts and
RE2 regular expressions; typed Parquet columns are converted to the same canonical
Arrow type (``batch.CANONICAL_TYPES``), so every later check sees one representation.

What we accept follows the Table Schema specification and, where it is looser,
frictionless: integers and numbers may have white space around them and a sign;
numbers may have an exponent and be NaN or infinite (our money columns then refuse
those, as the models do); booleans are the schema's trueValues and falseValues. Two
places are stricter than frictionless, on purpose: a date must be written
``YYYY-MM-DD`` with two-digit month and day (frictionless also takes ``2025-1-5``), and
an integer must be plain ASCII digits that fit in 64 bits (frictionless takes ``1_000``
and any size).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import pyarrow as pa

from ..schema.arrays import pc
from ..schema.tableschema import FieldSpec
from .batch import CANONICAL_TYPES, Array, Cells, all_false, as_mask

PLAIN_INTEGER_RE = r"^-?[0-9]{1,18}$"
"""Integers Arrow casts as they are and that always fit in int64; any other cell is judged in Python."""
PLAIN_NUMBER_RE = r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
NUMBER_TEXT = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:nan|inf|infinity))")
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

EXPECTED = {
    "integer": "a whole number such as 42 (digits only, at most 64 bits)",
    "number": "a number such as 1234.5",
    "date": "a date written YYYY-MM-DD, such as 2025-12-20",
    "boolean": "one of {values}",
    "string": "text",
    "any": "any value",
    "list": "items separated by {delimiter!r}",
}


def expected_type(field: FieldSpec) -> str:
    """What a cell of ``field`` must look like, for messages."""
    values = ", ".join(repr(v) for v in (*field.true_values, *field.false_values))
    return EXPECTED[field.type].format(values=values, delimiter=field.delimiter)


def missing_mask(text: Array, missing_values: tuple[str, ...]) -> Array:
    """True where a text cell is absent (ragged row) or is one of the missing values."""
    absent = pc.is_null(text)
    if not missing_values:
        return absent
    if len(missing_values) == 1:
        return pc.or_(absent, as_mask(pc.equal(text, missing_values[0])))
    return pc.or_(absent, pc.is_in(text, value_set=pa.array(missing_values, pa.string())))


@cache
def _integer(text: str) -> int | None:
    """An unusual integer cell (sign, white space, many digits) as frictionless reads it, within int64; else None."""
    core = text.strip()
    if INTEGER_TEXT.fullmatch(core) is None:
        return None
    value = int(core)
    return value if -(2**63) <= value <= 2**63 - 1 else None


@cache
def _number(text: str) -> float | None:
    """An unusual number cell (sign, white space, NaN, infinity) as frictionless reads it; else None."""
    core = text.strip()
    return float(core) if NUMBER_TEXT.fullmatch(core) is not None else None


def _parse_by_kind(candidate: Array, plain_re: str, target: pa.DataType, judge: Callable[[str], object]
                   ) -> tuple[Array, Array | None]:
    """Cast the column; if some cell will not cast, cast the plain ones and judge the rest one distinct value at a time.

    Broken or unusual cells are few, so the Python work is bounded by them, not by the column.
    """
    try:
        return pc.cast(candidate, target), None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    plain = as_mask(pc.match_substring_regex(candidate, plain_re))
    value = pc.cast(pc.if_else(plain, candidate, None), target)
    others = pc.and_(pc.invert(plain), pc.is_valid(candidate))
    if not pc.any(others).as_py():
        return value, plain
    unusual = pc.filter(candidate, others).to_pylist()
    read = [judge(text) for text in unusual]
    value = pc.replace_with_mask(value, others, pa.array(read, target))
    ok = pc.replace_with_mask(plain, others, pa.array([r is not None for r in read], pa.bool_()))
    return value, ok


def _parse_integer(candidate: Array) -> tuple[Array, Array | None]:
    return _parse_by_kind(candidate, PLAIN_INTEGER_RE, pa.int64(), _integer)


def _parse_number(candidate: Array) -> tuple[Array, Array | None]:
    return _parse_by_kind(candidate, PLAIN_NUMBER_RE, pa.float64(), _number)


def _days_in_month(year: Array, month: Array) -> Array:
    table = pa.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], pa.int64())
    days = pc.take(table, pc.subtract(pc.max_element_wise(pc.min_element_wise(month, 12), 1), 1))

    def divisible(n: int) -> Array:
        return pc.equal(pc.multiply(pc.divide(year, n), n), year)

    leap = pc.and_(divisible(4), pc.or_(pc.invert(divisible(100)), divisible(400)))
    return pc.add(days, pc.cast(pc.and_(leap, pc.equal(month, 2)), pa.int64()))


FIRST_DAY = -719_162
"""0001-01-01 as days since 1970-01-01: Arrow reads year 0, Python's dates (and frictionless) start at year 1."""


def _parse_date(candidate: Array) -> tuple[Array, Array]:
    try:
        value = pc.cast(candidate, pa.date32())
        earliest = pc.min(pc.cast(value, pa.int32())).as_py()
        if earliest is None or earliest >= FIRST_DAY:
            return value, None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    shaped = as_mask(pc.match_substring_regex(candidate, DATE_RE))
    digits = pc.if_else(shaped, candidate, "0000-00-00")
    year = pc.cast(pc.utf8_slice_codeunits(digits, 0, 4), pa.int64())
    month = pc.cast(pc.utf8_slice_codeunits(digits, 5, 7), pa.int64())
    day = pc.cast(pc.utf8_slice_codeunits(digits, 8, 10), pa.int64())
    ok = pc.and_(shaped, pc.greater_equal(year, 1))
    ok = pc.and_(ok, pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12)))
    ok = pc.and_(ok, pc.and_(pc.greater_equal(day, 1), pc.less_equal(day, _days_in_month(year, month))))
    return pc.cast(pc.if_else(ok, candidate, None), pa.date32()), ok


def _parse_boolean(candidate: Array, field: FieldSpec) -> tuple[Array, Array]:
    true = as_mask(pc.is_in(candidate, value_set=pa.array(field.true_values, pa.string())))
    false = as_mask(pc.is_in(candidate, value_set=pa.array(field.false_values, pa.string())))
    value = pc.if_else(true, True, pc.if_else(false, False, None))
    return value, pc.or_(true, false)


def parse_text(field: FieldSpec, number: int, text: Array, missing_values: tuple[str, ...],
               encoded: Array | None = None) -> Cells:
    """Read a column of text cells as ``field``'s type; cells that do not parse are marked invalid.

    ``encoded`` is the same text dictionary-encoded, for a column that repeats itself:
    then each distinct text is parsed once and the results are spread to the rows.
    """
    if text.type != pa.string():
        text = pc.cast(text, pa.string())
    if encoded is None:
        value, missing, invalid = _parse(field, text, missing_values)
        return Cells(field, number, value, missing, invalid, text=text)
    indices = encoded.indices
    distinct, distinct_missing, distinct_invalid = _parse(field, encoded.dictionary, missing_values)
    if field.type in ("string", "any"):  # text is its own value: nothing to spread back but the missing cells
        missing = missing_mask(text, missing_values)
        value = pc.if_else(missing, None, text) if pc.any(missing).as_py() else text
        return Cells(field, number, value, missing, all_false(len(text)), text=text, distinct=(distinct, indices))
    missing = pc.fill_null(pc.take(distinct_missing, indices), True)  # a null index is a null cell
    invalid = pc.fill_null(pc.take(distinct_invalid, indices), False)
    value = pc.take(distinct, indices)
    return Cells(field, number, value, missing, invalid, text=text, distinct=(distinct, indices))


def _parse(field: FieldSpec, text: Array, missing_values: tuple[str, ...]) -> tuple[Array, Array, Array]:
    """(value, missing, invalid) of each text cell read as ``field``'s type."""
    missing = missing_mask(text, missing_values)
    candidate = pc.if_else(missing, None, text) if pc.any(missing).as_py() else text
    ok: Array = None
    if field.type in ("string", "any"):
        value = candidate
    elif field.type == "list":
        value = pc.split_pattern(candidate, field.delimiter)
    elif field.type == "integer":
        value, ok = _parse_integer(candidate)
    elif field.type == "number":
        value, ok = _parse_number(candidate)
    elif field.type == "date":
        value, ok = _parse_date(candidate)
    else:
        value, ok = _parse_boolean(candidate, field)
    invalid = all_false(len(text)) if ok is None else pc.and_(pc.invert(missing), pc.invert(ok))
    return value, missing, invalid


class ColumnTypeError(ValueError):
    """A typed (Parquet) column whose Arrow type cannot hold the field's logical type."""


def _from_timestamps(array: Array) -> tuple[Array, Array]:
    day = pc.cast(array, pa.date32(), safe=False)
    midnight = pc.and_(
        pc.and_(pc.equal(pc.hour(array), 0), pc.equal(pc.minute(array), 0)),
        pc.and_(pc.equal(pc.second(array), 0), pc.equal(pc.subsecond(array), 0)),
    )
    return pc.if_else(midnight, day, None), midnight


def adopt_typed(field: FieldSpec, number: int, array: Array, missing_values: tuple[str, ...]) -> Cells:
    """Take a typed Arrow column (from Parquet) as ``field``'s logical type.

    A string column is parsed as text, like CSV. Other Arrow types are accepted when
    they can hold the logical type (any integer for integer; decimal, float or integer
    for number; date or midnight timestamps for date; bool; list of strings), otherwise
    ``ColumnTypeError`` names the type found.
    """
    kind = array.type
    coded_text = pa.types.is_dictionary(kind) and (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    )
    if coded_text:
        encoded = pa.DictionaryArray.from_arrays(array.indices, pc.cast(array.dictionary, pa.string()))
        return parse_text(field, number, pc.cast(array.dictionary_decode(), pa.string()), missing_values, encoded)
    if pa.types.is_dictionary(kind):
        array = array.dictionary_decode()
        kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return parse_text(field, number, pc.cast(array, pa.string()), missing_values)
    missing = pc.is_null(array)
    ok: Array = None
    target = CANONICAL_TYPES[field.type]
    if field.type == "integer" and pa.types.is_integer(kind):
        if pa.types.is_uint64(kind):
            ok = pc.less_equal(array, pa.scalar(2**63 - 1, pa.uint64()))
            array = pc.if_else(ok, array, None)
        value = pc.cast(array, target)
    elif field.type == "integer" and (pa.types.is_floating(kind) or pa.types.is_decimal(kind)):
        whole = pc.equal(pc.floor(pc.cast(array, pa.float64())), pc.cast(array, pa.float64()))
        ok = as_mask(whole)
        value = pc.cast(pc.if_else(ok, array, None), target, safe=False)
    elif field.type == "number" and (
        pa.types.is_floating(kind) or pa.types.is_decimal(kind) or pa.types.is_integer(kind)
    ):
        value = pc.cast(array, target, safe=False)
    elif field.type == "date" and pa.types.is_date(kind):
        value = pc.cast(array, target)
    elif field.type == "date" and pa.types.is_timestamp(kind):
        value, ok = _from_timestamps(array)
    elif field.type == "boolean" and pa.types.is_boolean(kind):
        value = array
    elif field.type == "list" and (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
        if not (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
            raise ColumnTypeError(f"has Arrow type {kind}; expected a list of strings")
        value = pc.cast(array, target)
    elif field.type == "any":  # nothing is checked; text only for keys and messages, however the bytes look
        try:
            value = pc.cast(array, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            value = pa.nulls(len(array), pa.string())
    else:
        raise ColumnTypeError(f"has Arrow type {kind}, which cannot hold {field.type} values")
    invalid = all_false(len(array)) if ok is None else pc.and_(pc.invert(missing), pc.invert(as_mask(ok)))
    return Cells(field, number, value, missing, invalid)


def parse_scalar(field: FieldSpec, raw: object) -> object:
    """A constraint value (bound or enum member) as the canonical typed Python value, or None if it does not parse."""
    if field.type in ("string", "any", "list"):
        return raw if isinstance(raw, str) else None
    if isinstance(raw, bool) or raw is None:
        return raw if field.type == "boolean" else None
    if field.type == "boolean":
        return parse_text(field, 1, pa.array([str(raw)]), ()).value[0].as_py()
    cells = parse_text(field, 1, pa.array([str(raw)]), ())
    return cells.value[0].as_py()
