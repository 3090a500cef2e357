"""Table Schema's field types, one class each: every fact about a type is written here, once.

A field's ``type`` names one of ``TYPES``. Its class knows:

- which ``format`` values, type properties (``groupChar``, ``trueValues``, ``itemType`` …)
  and constraints it takes (anything else is a ``SchemaError``: exit 2, never ignored);
- how a column of text cells is read into its canonical Arrow type (``parse``: Arrow
  kernels over the whole column, or Python once per distinct text where a kernel cannot
  say it, e.g. a JSON object or a strptime pattern), and how a typed Parquet column is
  taken as it (``adopt``);
- how its values compare (``comparable``: what ``enum``, ``unique`` and keys compare;
  ``violates``: the bound constraints of ordered types), how long one is (``lengths``)
  and how it is shown (``shown``);
- what a cell must look like, in words (``expected``).

The reader (``tableschema``), the validator's cells, constraint checks and keys ask the
field's ``kind`` and never test the type's name themselves. Semantics follow the Table
Schema specification (Data Package v2); where frictionless-py reads differently the
difference is on purpose and listed in ``tests/test_tableschema_types.py``.

Imported only where Arrow arrays are checked (the validator reads Table Schemas; the
models never do).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar, Protocol

import pyarrow as pa

from ..limits import MAX_INTEGER_DIGITS
from . import jsonvalues, temporal
from .arrays import Array, as_mask, counting, pc, true_count
from .facets import SchemaError


class FieldSpec(Protocol):
    """What a type reads of a field (``tableschema.FieldSpec`` is one): its name, format and options.

    A protocol, so that the types sit below the Table Schema reader that holds them and never
    import it."""

    @property
    def name(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def true_values(self) -> tuple[str, ...]: ...
    @property
    def false_values(self) -> tuple[str, ...]: ...
    @property
    def delimiter(self) -> str: ...
    @property
    def item_type(self) -> str: ...
    @property
    def bare_number(self) -> bool: ...
    @property
    def group_char(self) -> str | None: ...
    @property
    def decimal_char(self) -> str: ...
    @property
    def lexical_options(self) -> bool: ...
    def item_field(self) -> FieldSpec:
        """A plain field of the list's item type, named as the list (how each item is read)."""
        ...

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
BIG_INTEGER = pa.decimal256(MAX_INTEGER_DIGITS, 0)
KEY_ITEM_SEPARATOR = "\x1e"
BOUND_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
EVERY_FIELD = frozenset({"required", "unique", "enum"})
LENGTHS = frozenset({"minLength", "maxLength"})
ORDERED = frozenset(BOUND_CONSTRAINTS)


class ColumnTypeError(ValueError):
    """A typed (Parquet) column whose Arrow type cannot hold the field's logical type."""


def constant_text(raw: Any) -> str | None:
    """A constraint value as the cell text it stands for (a JSON value written as JSON), or None (``null``)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return repr(raw)
    return jsonvalues.canonical(raw)


def per_distinct(text: Array, read: Callable[[str], Any], target: pa.DataType) -> tuple[Array, Array]:
    """(value, ok) of each cell, ``read`` called once per distinct text (None: the text does not read)."""
    codes = pc.dictionary_encode(text)
    results = [read(word) for word in codes.dictionary.to_pylist()]
    values = pa.array(results, target)
    ok = pa.array([r is not None for r in results], pa.bool_())
    return pc.take(values, codes.indices), as_mask(pc.take(ok, codes.indices))


def _regex_ok(text: Array, pattern: str) -> Array:
    return as_mask(pc.match_substring_regex(text, pattern))


class FieldType:
    """One Table Schema type (see the module). Subclasses set the class variables and override what differs."""

    name: ClassVar[str]
    constraints: ClassVar[frozenset[str]] = EVERY_FIELD
    properties: ClassVar[tuple[str, ...]] = ()
    """The field properties this type reads (beyond name, type, format, constraints, missingValues …)."""
    formats: ClassVar[tuple[str, ...]] = ("default",)
    patterns: ClassVar[bool] = False
    """Whether ``format`` may also be a strptime pattern (dates and times)."""
    text_valued: ClassVar[bool] = False
    """The cell's text is its value (string, any): keys and enums compare the text itself."""
    arrow: ClassVar[pa.DataType] = pa.string()

    # ----------------------------------------------------------------- schema

    def read_format(self, raw: Any, where: str) -> str:
        """The field's format, refused unless it is one of the type's (or, for dates and times, a pattern)."""
        if not isinstance(raw, str):
            raise SchemaError(f"{where}: format must be a string")
        text: str = raw
        fmt = text.removeprefix("fmt:")  # Data Package v0 wrote temporal patterns so (the spec says to drop it)
        if fmt in self.formats:
            return fmt
        if self.patterns:
            problem = temporal.pattern_problem(fmt)
            if problem is None:
                return fmt
            raise SchemaError(f"{where}: format {fmt!r} is not a strptime pattern: it {problem}")
        raise SchemaError(f"{where}: format {fmt!r} is not a format of type {self.name} "
                          f"(one of: {', '.join(self.formats)})")

    def read_options(self, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        """The ``FieldSpec`` keywords this type's own properties set; ``SchemaError`` if one is malformed."""
        return {}

    # ----------------------------------------------------------------- cells

    def arrow_type(self, field: FieldSpec) -> pa.DataType:
        return self.arrow

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        """(value, ok) of text cells (missing ones already null); ok None means every non-null cell read."""
        raise NotImplementedError

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        """A typed (non-text) Arrow column as this type, or ``ColumnTypeError``."""
        raise ColumnTypeError(f"has Arrow type {array.type}, which cannot hold {self.name} values")

    def expected(self, field: FieldSpec) -> str:
        raise NotImplementedError

    # ----------------------------------------------------------------- comparing

    def comparable(self, field: FieldSpec, value: Array) -> Array:
        """The values as enum and keys compare them (equal values, equal comparables)."""
        return value

    def key_text(self, field: FieldSpec, value: Array) -> Array:
        """Each value as text that is equal exactly when the values are (for keys' fingerprints)."""
        comparable = self.comparable(field, value)
        return comparable if pa.types.is_string(comparable.type) else pc.cast(comparable, pa.string())

    def shown(self, field: FieldSpec, value: Array) -> Array:
        """Typed values as text, for messages."""
        return pc.cast(value, pa.string())

    def lengths(self, field: FieldSpec, value: Array) -> Array:
        raise NotImplementedError(f"{self.name} has no length")

    def length_range(self, field: FieldSpec, value: Array) -> tuple[Array, Array] | None:
        """Cheap bounds ``(least, most)`` on each value's length, or None when only ``lengths`` can say.

        Where every value is certainly within a length constraint by these bounds, its exact
        lengths are never computed (see ``Cells.length_outside``).
        """
        return None

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        """A constraint value (enum member, bound) as an Arrow scalar of this type; ``SchemaError`` if it is not one."""
        text = constant_text(raw)
        if text is not None:
            value, ok = self.parse(field, pa.array([text], pa.string()))
            if (ok is None or ok[0].as_py()) and value[0].is_valid:
                return value[0]
        raise SchemaError(f"{where}: {raw!r} is not a {self.name} value ({self.expected(field)})")

    def members(self, field: FieldSpec, raws: tuple[Any, ...], where: str) -> Array:
        """Enum members (or categories) as an array of comparables."""
        scalars = [self.constant(field, raw, where) for raw in raws]
        typed = pa.array([s.as_py() for s in scalars], self._member_type(field, scalars))
        return self.comparable(field, typed)

    def _member_type(self, field: FieldSpec, scalars: list[Any]) -> pa.DataType:
        return scalars[0].type if scalars else self.arrow_type(field)

    def violates(self, field: FieldSpec, value: Array, bound: Any, name: str) -> Array:
        """Where ``value`` breaks the bound constraint ``name`` (ordered types only)."""
        compare = {"minimum": pc.less, "maximum": pc.greater, "exclusiveMinimum": pc.less_equal,
                   "exclusiveMaximum": pc.greater_equal}[name]
        return as_mask(compare(value, bound))


# --------------------------------------------------------------------------- text


_EMAIL = (r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
          r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_URI = r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
_UUID = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
_BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
STRING_FORMATS: dict[str, tuple[str, str]] = {
    "email": (_EMAIL, "an email address such as name@example.org"),
    "uri": (_URI, "a URI with a scheme, such as https://example.org/a"),
    "uuid": (_UUID, "a UUID such as 123e4567-e89b-12d3-a456-426614174000"),
    "binary": (_BASE64, "base64 text (RFC 4648), such as aGVsbG8="),
}


class StringType(FieldType):
    name = "string"
    constraints = EVERY_FIELD | LENGTHS | {"pattern"}
    formats = ("default", *STRING_FORMATS)
    text_valued = True

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        if field.format == "default":
            return text, None
        return text, _regex_ok(text, STRING_FORMATS[field.format][0])

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        raise ColumnTypeError(f"has Arrow type {array.type}, which cannot hold string values")

    def expected(self, field: FieldSpec) -> str:
        return "text" if field.format == "default" else STRING_FORMATS[field.format][1]

    def lengths(self, field: FieldSpec, value: Array) -> Array:
        return pc.utf8_length(value)

    def length_range(self, field: FieldSpec, value: Array) -> tuple[Array, Array] | None:
        # a character is 1 to 4 bytes of UTF-8, and the byte length is read off the offsets
        size = pc.binary_length(value)
        return pc.divide(pc.add(size, 3), 4), size


class AnyType(FieldType):
    name = "any"
    text_valued = True

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        return text, None

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        try:  # nothing is checked; text only for keys and messages, however the bytes look
            return pc.cast(array, pa.string()), None
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return pa.nulls(len(array), pa.string()), None

    def expected(self, field: FieldSpec) -> str:
        return "any value"

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        return pa.scalar(constant_text(raw), pa.string())


# --------------------------------------------------------------------------- numbers

PLAIN_INTEGER_RE = r"^-?[0-9]{1,18}$"
"""Integers Arrow casts as they are and that always fit in int64; any other cell is judged in Python."""
PLAIN_NUMBER_RE = r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|-?(?i:inf)|(?i:nan)")
"""XML Schema's decimal with an optional exponent, and the spec's special values NaN, INF and -INF."""
NON_FINITE_RE = r"^(?i:nan|-?inf)$"
NOT_BARE_RE = r"^[^-0-9]*|[^0-9]*$"
"""What ``bareNumber: false`` strips: leading characters other than digits and a minus, trailing non-digits."""


@lru_cache(maxsize=4096)
def read_integer(text: str) -> int | None:
    """An integer cell that is not plain digits (sign, white space, many digits); else None."""
    core = text.strip()
    if INTEGER_TEXT.fullmatch(core) is None or len(core.lstrip("+-").lstrip("0")) > MAX_INTEGER_DIGITS:
        return None
    return int(core)


@lru_cache(maxsize=4096)
def read_number(text: str) -> float | None:
    core = text.strip()
    return float(core) if NUMBER_TEXT.fullmatch(core) is not None else None


def _numeric_options(raw: Mapping[str, Any], where: str, decimal: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "bareNumber" in raw:
        if not isinstance(raw["bareNumber"], bool):
            raise SchemaError(f"{where}: bareNumber must be true or false")
        out["bare_number"] = raw["bareNumber"]
    names = ("groupChar", "decimalChar") if decimal else ("groupChar",)
    for name in names:
        if name in raw:
            value = raw[name]
            if not isinstance(value, str) or not value or any(c in "0123456789+-" for c in value):
                raise SchemaError(f"{where}: {name} must be a non-empty string without digits or signs")
            out["group_char" if name == "groupChar" else "decimal_char"] = value
    if decimal and out.get("group_char") is not None and out.get("group_char") == out.get("decimal_char", "."):
        raise SchemaError(f"{where}: groupChar and decimalChar must differ")
    return out


def _prepared(field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
    """Text with the field's lexical options undone (bare number, grouping, decimal character).

    Returns the text as a plain number would be written, and the cells that cannot be one
    (a ``.`` where another decimal character is declared), or None.
    """
    refused = None
    if not field.bare_number:
        text = pc.replace_substring_regex(pc.utf8_trim_whitespace(text), NOT_BARE_RE, "")
    if field.group_char is not None:
        text = pc.replace_substring(text, field.group_char, "")
    if field.decimal_char != ".":
        refused = as_mask(pc.match_substring(text, "."))
        text = pc.replace_substring(text, field.decimal_char, ".")
    return text, refused


def _with_refused(value: Array, ok: Array | None, refused: Array | None) -> tuple[Array, Array | None]:
    if refused is None or not true_count(refused):
        return value, ok
    ok = pc.invert(refused) if ok is None else pc.and_(as_mask(ok), pc.invert(refused))
    return pc.if_else(ok, value, None), ok


def _cast_or_judge(candidate: Array, plain_re: str, target: pa.DataType, judge: Callable[[str], Any]
                   ) -> tuple[Array, Array | None, list[Any]]:
    """Cast the column; if some cell will not cast, cast the plain ones and judge the rest one distinct value at a time.

    Broken or unusual cells are few, so the Python work is bounded by them, not by the column.
    Returns (value, ok, the judged values) so that a caller may widen the type for them.
    """
    try:
        return pc.cast(candidate, target), None, []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    plain = as_mask(pc.match_substring_regex(candidate, plain_re))
    value = pc.cast(pc.if_else(plain, candidate, None), target)
    others = pc.and_(pc.invert(plain), pc.is_valid(candidate))
    if not pc.any(others).as_py():
        return value, plain, []
    read = [judge(text) for text in pc.filter(candidate, others).to_pylist()]
    ok = pc.replace_with_mask(plain, others, pa.array([r is not None for r in read], pa.bool_()))
    return value, ok, read


class IntegerType(FieldType):
    name = "integer"
    constraints = EVERY_FIELD | ORDERED
    properties = ("bareNumber", "groupChar")
    arrow = pa.int64()

    def read_options(self, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        return _numeric_options(raw, where, decimal=False)

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        text, refused = _prepared(field, text) if field.lexical_options else (text, None)
        value, ok, read = _cast_or_judge(text, PLAIN_INTEGER_RE, pa.int64(), read_integer)
        if read:
            others = pc.and_(pc.invert(as_mask(pc.match_substring_regex(text, PLAIN_INTEGER_RE))), pc.is_valid(text))
            big = any(r is not None and not INT64_MIN <= r <= INT64_MAX for r in read)
            if big:  # a larger integer than int64 holds: this batch is read as decimal256
                value = pc.cast(value, BIG_INTEGER)
                value = pc.replace_with_mask(value, others, pa.array(
                    [None if r is None else Decimal(r) for r in read], BIG_INTEGER))
            else:
                value = pc.replace_with_mask(value, others, pa.array(read, pa.int64()))
        return _with_refused(value, ok, refused)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        kind = array.type
        if pa.types.is_uint64(kind):
            fits = as_mask(pc.less_equal(array, pa.scalar(INT64_MAX, pa.uint64())))
            if true_count(fits) < len(array) - array.null_count:
                return pc.cast(array, BIG_INTEGER), None
            return pc.cast(array, pa.int64()), None
        if pa.types.is_integer(kind):
            return pc.cast(array, pa.int64()), None
        if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            as_float = pc.cast(array, pa.float64())
            ok = as_mask(pc.equal(pc.floor(as_float), as_float))
            return pc.cast(pc.if_else(ok, array, None), pa.int64(), safe=False), ok
        return super().adopt(field, array)

    def expected(self, field: FieldSpec) -> str:
        grouped = f", digits may be grouped with {field.group_char!r}" if field.group_char else ""
        bare = ", text around it allowed" if not field.bare_number else ""
        return f"a whole number such as 42{grouped}{bare}, of at most {MAX_INTEGER_DIGITS} digits"

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        if isinstance(raw, int) and not isinstance(raw, bool):
            if INT64_MIN <= raw <= INT64_MAX:
                return pa.scalar(raw, pa.int64())
            if len(str(abs(raw))) <= MAX_INTEGER_DIGITS:
                return pa.scalar(Decimal(raw), BIG_INTEGER)
        if isinstance(raw, float) and raw.is_integer():
            return self.constant(field, int(raw), where)
        return super().constant(field, raw, where)

    def _member_type(self, field: FieldSpec, scalars: list[Any]) -> pa.DataType:
        return BIG_INTEGER if any(s.type == BIG_INTEGER for s in scalars) else pa.int64()

    def comparable(self, field: FieldSpec, value: Array) -> Array:
        return value

    def violates(self, field: FieldSpec, value: Array, bound: Any, name: str) -> Array:
        if bound.type != value.type:  # one of them beyond int64: compare both as decimal256
            value, bound = pc.cast(value, BIG_INTEGER), pa.scalar(bound.as_py(), BIG_INTEGER)
        return super().violates(field, value, bound, name)


class NumberType(FieldType):
    name = "number"
    constraints = EVERY_FIELD | ORDERED
    properties = ("bareNumber", "groupChar", "decimalChar")
    arrow = pa.float64()

    def read_options(self, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        return _numeric_options(raw, where, decimal=True)

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        text, refused = _prepared(field, text) if field.lexical_options else (text, None)
        value, ok, read = _cast_or_judge(text, PLAIN_NUMBER_RE, pa.float64(), read_number)
        if read:
            others = pc.and_(pc.invert(as_mask(pc.match_substring_regex(text, PLAIN_NUMBER_RE))), pc.is_valid(text))
            value = pc.replace_with_mask(value, others, pa.array(read, pa.float64()))
        elif ok is None:  # Arrow's cast also reads 'Infinity', '+nan' …: only NaN, INF and -INF are the spec's
            odd = pc.invert(as_mask(pc.is_finite(value)))
            if true_count(pc.and_(odd, pc.is_valid(value))):
                # ... and a plain number too large for a float (1e999999999999) is a number all the same:
                # its value is infinite here, and a digit limit judges its text as written
                written = pc.or_(_regex_ok(text, NON_FINITE_RE), _regex_ok(text, PLAIN_NUMBER_RE))
                ok = pc.or_(pc.invert(odd), written)
                value = pc.if_else(ok, value, None)
        return _with_refused(value, ok, refused)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        kind = array.type
        if pa.types.is_floating(kind) or pa.types.is_decimal(kind) or pa.types.is_integer(kind):
            return pc.cast(array, pa.float64(), safe=False), None
        return super().adopt(field, array)

    def expected(self, field: FieldSpec) -> str:
        example = "1234.5".replace(".", field.decimal_char)
        if field.group_char:
            example = f"1{field.group_char}234{field.decimal_char}5"
        bare = ", text around it allowed" if not field.bare_number else ""
        return f"a number such as {example}{bare}"

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return pa.scalar(float(raw), pa.float64())
        return super().constant(field, raw, where)

    def comparable(self, field: FieldSpec, value: Array) -> Array:
        """-0 is 0 (Arrow's ``is_in`` tells them apart; the spec's numbers do not)."""
        return pc.add(value, 0.0)

    def violates(self, field: FieldSpec, value: Array, bound: Any, name: str) -> Array:
        outside = super().violates(field, value, bound, name)
        return pc.or_(outside, as_mask(pc.is_nan(value)))  # NaN is within no bound


class BooleanType(FieldType):
    name = "boolean"
    properties = ("trueValues", "falseValues")
    arrow = pa.bool_()

    def read_options(self, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key in (("trueValues", "true_values"), ("falseValues", "false_values")):
            if name in raw:
                values = raw[name]
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    raise SchemaError(f"{where}: {name} must be a list of strings")
                out[key] = tuple(values)
        if set(out.get("true_values", ())) & set(out.get("false_values", ())):
            raise SchemaError(f"{where}: a value is in both trueValues and falseValues")
        return out

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        true = as_mask(pc.is_in(text, value_set=pa.array(field.true_values, pa.string())))
        false = as_mask(pc.is_in(text, value_set=pa.array(field.false_values, pa.string())))
        return pc.if_else(true, True, pc.if_else(false, False, None)), pc.or_(true, false)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        if pa.types.is_boolean(array.type):
            return array, None
        return super().adopt(field, array)

    def expected(self, field: FieldSpec) -> str:
        return "one of " + ", ".join(repr(v) for v in (*field.true_values, *field.false_values))

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        if isinstance(raw, bool):
            return pa.scalar(raw, pa.bool_())
        return super().constant(field, raw, where)


# --------------------------------------------------------------------------- dates and times


class _Temporal(FieldType):
    """date, time, datetime: a default XML Schema form read with kernels, or ``any`` / a pattern read in Python."""

    constraints = EVERY_FIELD | ORDERED
    formats = ("default", "any")
    patterns = True
    default_words: ClassVar[str]

    def read_moment(self, text: str, fmt: str) -> Any:
        """One cell read with ``any`` or a strptime pattern (Python), or None."""
        raise NotImplementedError

    def default(self, text: Array) -> tuple[Array, Array | None]:
        raise NotImplementedError

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        if field.format == "default":
            return self.default(text)
        fmt, read = field.format, self.read_moment
        return per_distinct(text, lambda t: read(t, fmt), self.arrow)

    def expected(self, field: FieldSpec) -> str:
        if field.format == "default":
            return self.default_words
        if field.format == "any":
            return f"a {self.name} in any common form"
        return f"a {self.name} written as the pattern {field.format!r}"


class DateType(_Temporal):
    name = "date"
    arrow = pa.date32()
    default_words = "a date written YYYY-MM-DD, such as 2025-12-20"

    def read_moment(self, text: str, fmt: str) -> Any:
        return temporal.moment_to_date(text, fmt)

    def default(self, text: Array) -> tuple[Array, Array | None]:
        return temporal.parse_default_date(text)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        if pa.types.is_date(array.type):
            return pc.cast(array, pa.date32()), None
        if pa.types.is_timestamp(array.type):  # midnights only
            day = pc.cast(array, pa.date32(), safe=False)
            midnight = pc.and_(
                pc.and_(pc.equal(pc.hour(array), 0), pc.equal(pc.minute(array), 0)),
                pc.and_(pc.equal(pc.second(array), 0), pc.equal(pc.subsecond(array), 0)),
            )
            return pc.if_else(midnight, day, None), midnight
        return super().adopt(field, array)


class TimeType(_Temporal):
    name = "time"
    arrow = pa.time64("us")
    default_words = "a time written hh:mm:ss, such as 15:00:00 (a fraction and a time zone may follow)"

    def read_moment(self, text: str, fmt: str) -> Any:
        return temporal.moment_to_time(text, fmt)

    def default(self, text: Array) -> tuple[Array, Array | None]:
        return temporal.parse_default_time(text)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        if pa.types.is_time(array.type):
            return pc.cast(array, pa.time64("us")), None
        return super().adopt(field, array)


class DatetimeType(_Temporal):
    name = "datetime"
    arrow = pa.timestamp("us")
    default_words = ("a date and time written YYYY-MM-DDThh:mm:ss, such as 2024-01-26T15:00:00 "
                     "(a fraction and a time zone may follow)")

    def read_moment(self, text: str, fmt: str) -> Any:
        return temporal.moment_to_datetime(text, fmt)

    def default(self, text: Array) -> tuple[Array, Array | None]:
        return temporal.parse_default_datetime(text)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        if pa.types.is_timestamp(array.type):
            naive = array.cast(pa.timestamp(array.type.unit)) if array.type.tz is not None else array
            return pc.cast(naive, pa.timestamp("us"), safe=False), None
        if pa.types.is_date(array.type):
            return pc.cast(pc.cast(array, pa.date32()), pa.timestamp("us")), None
        return super().adopt(field, array)


class YearType(FieldType):
    name = "year"
    constraints = EVERY_FIELD | ORDERED
    arrow = pa.int64()

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        return temporal.parse_year(text)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        if pa.types.is_integer(array.type):
            return pc.cast(array, pa.int64()), None
        return super().adopt(field, array)

    def expected(self, field: FieldSpec) -> str:
        return "a year written YYYY, such as 2004"

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        if isinstance(raw, int) and not isinstance(raw, bool) and INT64_MIN <= raw <= INT64_MAX:
            return pa.scalar(raw, pa.int64())
        return super().constant(field, raw, where)


class YearmonthType(FieldType):
    name = "yearmonth"
    constraints = EVERY_FIELD | ORDERED
    arrow = pa.int64()

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        return temporal.parse_yearmonth(text)

    def expected(self, field: FieldSpec) -> str:
        return "a year and month written YYYY-MM, such as 2004-08"

    def shown(self, field: FieldSpec, value: Array) -> Array:
        return temporal.yearmonth_text(value)

    def key_text(self, field: FieldSpec, value: Array) -> Array:
        return pc.cast(value, pa.string())

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        if isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
            raw = f"{raw[0]:04d}-{raw[1]:02d}"
        return super().constant(field, raw, where)


class DurationType(FieldType):
    """Durations are only partially ordered: bounds are judged in Python per distinct value (``temporal``)."""

    name = "duration"
    constraints = EVERY_FIELD | ORDERED

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        return per_distinct(text, temporal.canonical_duration, pa.string())

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        if pa.types.is_duration(array.type) or pa.types.is_interval(array.type):
            texts = [None if v is None else temporal.duration_of(v) for v in array.to_pylist()]
            value = pa.array(texts, pa.string())
            return value, pc.or_(pc.is_valid(value), pc.is_null(array))
        return super().adopt(field, array)

    def expected(self, field: FieldSpec) -> str:
        return "an ISO 8601 duration such as P1Y2M3DT4H5M6S"

    def violates(self, field: FieldSpec, value: Array, bound: Any, name: str) -> Array:
        limit = temporal.read_duration(bound.as_py())
        assert limit is not None
        wanted = {"minimum": {0, 1}, "maximum": {-1, 0}, "exclusiveMinimum": {1}, "exclusiveMaximum": {-1}}[name]
        codes = pc.dictionary_encode(value)
        verdicts = []
        for text in codes.dictionary.to_pylist():
            read = temporal.read_duration(text)
            verdicts.append(read is not None and not temporal.duration_order(read, limit) <= wanted)
        return as_mask(pc.take(pa.array(verdicts, pa.bool_()), codes.indices))


# --------------------------------------------------------------------------- JSON values


class _Json(FieldType):
    """A JSON value in a cell (object, array): canonical text, read once per distinct text."""

    constraints = EVERY_FIELD | LENGTHS | {"jsonSchema"}
    container: ClassVar[type]

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        container = self.container

        def read(word: str) -> str | None:
            found = jsonvalues.read_json(word, container)
            return None if found is None else found[0]

        return per_distinct(text, read, pa.string())

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        kind = array.type
        nested = pa.types.is_struct(kind) or pa.types.is_map(kind) or pa.types.is_list(kind) or pa.types.is_large_list(
            kind)
        if not nested:
            return super().adopt(field, array)
        values = array.to_pylist()
        if pa.types.is_map(kind):
            values = [None if v is None else dict(v) for v in values]
        texts = pa.array([None if v is None else jsonvalues.canonical(v) for v in values], pa.string())
        return self.parse(field, texts)

    def lengths(self, field: FieldSpec, value: Array) -> Array:
        codes = pc.dictionary_encode(value)
        counts = [None if v is None else len(json.loads(v)) for v in codes.dictionary.to_pylist()]
        return pc.take(pa.array(counts, pa.int64()), codes.indices)


class ObjectType(_Json):
    name = "object"
    container = dict

    def expected(self, field: FieldSpec) -> str:
        return 'a JSON object such as {"a": 1}'


class ArrayType(_Json):
    name = "array"
    container = list

    def expected(self, field: FieldSpec) -> str:
        return "a JSON array such as [1, 2]"


class GeojsonType(FieldType):
    name = "geojson"
    formats = ("default", "topojson")

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        topojson = field.format == "topojson"
        return per_distinct(text, lambda word: jsonvalues.read_geojson(word, topojson), pa.string())

    def expected(self, field: FieldSpec) -> str:
        if field.format == "topojson":
            return 'a TopoJSON topology such as {"type": "Topology", "objects": {}, "arcs": []}'
        return 'a GeoJSON object such as {"type": "Point", "coordinates": [90.5, 45.5]}'


_COORDINATE = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
POINT_RE = rf"^\s*(?P<lon>{_COORDINATE})\s*,\s*(?P<lat>{_COORDINATE})\s*$"


class GeopointType(FieldType):
    """A point: "lon, lat" (read with kernels), or ``[lon, lat]`` / ``{"lon": …, "lat": …}`` (JSON, in Python)."""

    name = "geopoint"
    formats = ("default", "array", "object")

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        if field.format != "default":
            fmt = field.format
            return per_distinct(text, lambda word: jsonvalues.read_point(word, fmt), pa.string())
        shaped = _regex_ok(text, POINT_RE)
        parts = pc.extract_regex(pc.if_else(shaped, text, "0,0"), POINT_RE)
        lon = pc.add(pc.cast(pc.struct_field(parts, "lon"), pa.float64()), 0.0)
        lat = pc.add(pc.cast(pc.struct_field(parts, "lat"), pa.float64()), 0.0)
        ok = pc.and_(shaped, pc.and_(as_mask(pc.less_equal(pc.abs(lon), 180.0)),
                                     as_mask(pc.less_equal(pc.abs(lat), 90.0))))
        joined = pc.binary_join_element_wise(pc.cast(lon, pa.string()), pc.cast(lat, pa.string()), ",")
        return pc.if_else(ok, joined, None), ok

    def expected(self, field: FieldSpec) -> str:
        return {"default": 'a point written "lon, lat", such as "90.5, 45.5"',
                "array": "a point written [lon, lat], such as [90.5, 45.5]",
                "object": 'a point written {"lon": 90.5, "lat": 45.5}'}[field.format]


# --------------------------------------------------------------------------- list

LIST_ITEM_TYPES = ("string", "integer", "boolean", "number", "datetime", "date", "time")
DEFAULT_LIST_DELIMITER = ","


class ListType(FieldType):
    """Items separated by ``delimiter``, each read as ``itemType`` in that type's default format."""

    name = "list"
    constraints = EVERY_FIELD | LENGTHS
    properties = ("delimiter", "itemType")

    def read_options(self, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if "delimiter" in raw:
            if not isinstance(raw["delimiter"], str) or not raw["delimiter"]:
                raise SchemaError(f"{where}: delimiter must be a non-empty string")
            out["delimiter"] = raw["delimiter"]
        if "itemType" in raw:
            if raw["itemType"] not in LIST_ITEM_TYPES:
                raise SchemaError(f"{where}: itemType must be one of {', '.join(LIST_ITEM_TYPES)}")
            out["item_type"] = raw["itemType"]
        return out

    def item(self, field: FieldSpec) -> tuple[FieldType, FieldSpec]:
        return TYPES[field.item_type], field.item_field()

    def arrow_type(self, field: FieldSpec) -> pa.DataType:
        kind, spec = self.item(field)
        return pa.list_(kind.arrow_type(spec))

    def parse(self, field: FieldSpec, text: Array) -> tuple[Array, Array | None]:
        lists = pc.split_pattern(text, field.delimiter)
        if field.item_type == "string":
            return lists, None
        kind, spec = self.item(field)
        items, ok = kind.parse(spec, pc.list_flatten(lists))
        typed = pa.ListArray.from_arrays(lists.offsets, items, mask=pc.is_null(lists))
        if ok is None:
            return typed, None
        bad = pc.invert(as_mask(ok))
        if not true_count(bad):
            return typed, None
        parents = pc.filter(pc.list_parent_indices(lists), bad)
        broken = as_mask(pc.is_in(counting(0, len(lists)), value_set=pc.cast(parents, pa.int64())))
        return pc.if_else(broken, pa.nulls(len(lists), typed.type), typed), pc.invert(broken)

    def adopt(self, field: FieldSpec, array: Array) -> tuple[Array, Array | None]:
        kind = array.type
        if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
            return super().adopt(field, array)
        item_kind, spec = self.item(field)
        items = pc.list_flatten(array)
        text_items = pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
        if field.item_type == "string" and not text_items:
            raise ColumnTypeError(f"has Arrow type {kind}; expected a list of strings")
        if text_items and field.item_type != "string":
            return self.parse(field, pc.binary_join(pc.cast(array, pa.list_(pa.string())), field.delimiter))
        if field.item_type == "string":
            return pc.cast(array, pa.list_(pa.string())), None
        values, ok = item_kind.adopt(spec, items)
        offsets = pc.cast(array, pa.list_(kind.value_type)).offsets if pa.types.is_large_list(kind) else array.offsets
        typed = pa.ListArray.from_arrays(offsets, values, mask=pc.is_null(array))
        if ok is not None and true_count(pc.invert(as_mask(ok))):
            raise ColumnTypeError(f"has Arrow type {kind} with items that are not {field.item_type} values")
        return typed, None

    def expected(self, field: FieldSpec) -> str:
        kind, spec = self.item(field)
        what = "items" if field.item_type == "string" else f"{field.item_type} items ({kind.expected(spec)})"
        return f"{what} separated by {field.delimiter!r}"

    def key_text(self, field: FieldSpec, value: Array) -> Array:
        if not pa.types.is_string(value.type.value_type):
            value = pc.cast(value, pa.list_(pa.string()))
        return pc.binary_join(value, KEY_ITEM_SEPARATOR)

    def comparable(self, field: FieldSpec, value: Array) -> Array:
        return self.key_text(field, value)

    def shown(self, field: FieldSpec, value: Array) -> Array:
        if not pa.types.is_string(value.type.value_type):
            value = pc.cast(value, pa.list_(pa.string()))
        return pc.binary_join(value, field.delimiter)

    def lengths(self, field: FieldSpec, value: Array) -> Array:
        return pc.list_value_length(value)

    def constant(self, field: FieldSpec, raw: Any, where: str) -> Any:
        if isinstance(raw, list):
            raw = field.delimiter.join(constant_text(v) or "" for v in raw)
        return super().constant(field, raw, where)

    def members(self, field: FieldSpec, raws: tuple[Any, ...], where: str) -> Array:
        scalars = [self.constant(field, raw, where) for raw in raws]
        lists = pa.array([s.as_py() for s in scalars], self.arrow_type(field))
        return self.key_text(field, lists)


TYPES: dict[str, FieldType] = {kind.name: kind for kind in (
    StringType(), NumberType(), IntegerType(), BooleanType(), ObjectType(), ArrayType(), ListType(),
    DatetimeType(), DateType(), TimeType(), YearType(), YearmonthType(), DurationType(), GeopointType(),
    GeojsonType(), AnyType(),
)}
"""Every Table Schema type, by name, in the specification's order."""
TYPE_PROPERTIES = frozenset(p for kind in TYPES.values() for p in kind.properties)

