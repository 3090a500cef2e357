"""Reading cells into their logical types, a whole column at a time.

Text cells (CSV, or string columns of a Parquet file) are read by the field's type
(``schema.fieldtypes``: Arrow casts, RE2 expressions and arithmetic, or Python once per
distinct text where no kernel can say it); typed Parquet columns are converted to the
same canonical Arrow type, so every later check sees one representation.

What we accept is the Table Schema specification's lexical space for each type. Where
frictionless reads more loosely (a date ``2025-1-5``, an integer ``1_000``, a datetime
with a space for its ``T``) we follow the spec; the differences are listed in
``tests/test_tableschema_types.py``. A column that repeats itself comes dictionary-encoded
and is read once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from ..schema.arrays import pc
from ..schema.fieldtypes import ColumnTypeError
from ..schema.tableschema import FieldSpec
from .batch import Array, Cells, all_false, as_mask

__all__ = ["ColumnTypeError", "adopt_typed", "expected_type", "missing_mask", "parse_scalar", "parse_text"]


def expected_type(field: FieldSpec) -> str:
    """What a cell of ``field`` must look like, for messages."""
    return field.kind.expected(field)


def missing_mask(text: Array, missing_values: tuple[str, ...]) -> Array:
    """True where a text cell is absent (ragged row) or is one of the missing values."""
    absent = pc.is_null(text)
    if not missing_values:
        return absent
    if len(missing_values) == 1:
        return pc.or_(absent, as_mask(pc.equal(text, missing_values[0])))
    return pc.or_(absent, pc.is_in(text, value_set=pa.array(missing_values, pa.string())))


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
    if field.kind.text_valued and not pc.any(distinct_invalid).as_py():
        # text is its own value: nothing to spread back but the missing cells
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
    value, ok = field.kind.parse(field, candidate)
    invalid = all_false(len(text)) if ok is None else pc.and_(pc.invert(missing), pc.invert(as_mask(ok)))
    return value, missing, invalid


def adopt_typed(field: FieldSpec, number: int, array: Array, missing_values: tuple[str, ...],
                encode: Callable[[Array], Array | None] | None = None) -> Cells:
    """Take a typed Arrow column (from Parquet) as ``field``'s logical type.

    A string column is parsed as text, like CSV; ``encode`` gives it dictionary-encoded when it
    repeats itself (as the CSV reader's columns are), so it is checked once per distinct value.
    Other Arrow types are accepted when they can hold the logical type (``FieldType.adopt``: any
    integer for integer; decimal, float or integer for number; date or midnight timestamps for
    date; …), otherwise ``ColumnTypeError`` names the type found.
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
        text = pc.cast(array, pa.string())
        return parse_text(field, number, text, missing_values, None if encode is None else encode(text))
    missing = pc.is_null(array)
    value, ok = field.kind.adopt(field, array)
    invalid = all_false(len(array)) if ok is None else pc.and_(pc.invert(missing), pc.invert(as_mask(ok)))
    exact = array if pa.types.is_decimal(kind) and not pa.types.is_decimal(value.type) else None
    return Cells(field, number, value, missing, invalid, source=exact)


def parse_scalar(field: FieldSpec, raw: object) -> object:
    """A constraint value (bound or enum member) as the canonical typed Python value, or None if it is not one."""
    try:
        return field.kind.constant(field, raw, field.name).as_py()
    except ValueError:
        return None
