"""The rules our columns add to Table Schema's, as custom field properties: each declared once, here.

Table Schema has no word for "an ISO code that is really assigned", "plain one-line NFC
text", "money with at most 26 digits before the point and 4 after" or "every item of
a list matches a pattern". Our Table Schemas carry them as custom field properties
(which Table Schema allows, and ``frictionless validate`` accepts and ignores):

=================  ===================================  ==========================
property           meaning                               class
=================  ===================================  ==========================
``codeList``       ``"ISO 3166-1 alpha-3"``, ``"ISO      ``CodeList``
                   4217"`` or ``"ISO 639-1"``: an
                   assigned code of that list
``plainText``      ``true``: one line of NFC text, no    ``PlainText``
                   white space at either end, no
                   formula prefix
``maxDigits`` and  digits in all, and after the point    ``Digits``
``decimalPlaces``
``itemPattern``    each item of a list matches it        ``ItemPattern``
=================  ===================================  ==========================

Each class knows its property names, how to read them from a field (refusing a typo
rather than ignoring it) and write them, how to check one Python value (the models and
records), how to check an Arrow column (the validator), how to say the rule in words (the
data dictionary and the site), and how it combines with a user's own rule on a column of
ours. Nothing about these properties is written anywhere else.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any, ClassVar, Literal

from ..limits import MAX_NUMBER_CHARS
from . import codes, text
from .numbers import fits

CodeListKind = Literal["country", "currency", "language"]


class SchemaError(ValueError):
    """A Table Schema (or one of its custom properties) that cannot be read as written; the message says why."""


@dataclass(frozen=True)
class Violation:
    """Rows of a batch that break a rule: which, the finding code, and what to say."""

    mask: Any
    code: str
    message: str
    expected: str
    narrows: bool = True
    """Whether the rows stop being ``clean`` (a warning leaves them clean for later rules)."""


class Facet(ABC):
    """One rule our columns add, as a custom Table Schema field property (see the module)."""

    properties: ClassVar[tuple[str, ...]]
    applies_to: ClassVar[frozenset[str]]
    """The Table Schema types the property may be used on."""
    ranking: ClassVar[str]
    """How ``diff`` ranks a change of it: ``flag`` (turned on narrows), ``value`` (added or changed narrows,
    removed widens) or ``digits`` (fewer digits on either side of the point narrows)."""

    @classmethod
    @abstractmethod
    def read(cls, field: Mapping[str, Any], where: str) -> Facet | None:
        """The facet a field declares, None if it declares none; ``SchemaError`` if it is malformed."""

    @abstractmethod
    def write(self) -> dict[str, Any]:
        """The field properties that declare this facet."""

    @abstractmethod
    def check(self, value: Any) -> str | None:
        """Why one Python value breaks the rule, or None."""

    @abstractmethod
    def check_arrow(self, cells: Any) -> list[Violation]:
        """The rows of a column (``arrays.ColumnView``) that break the rule, among its clean ones."""

    @abstractmethod
    def words(self, code: Callable[[str], str] = str) -> str:
        """The rule in words; ``code`` marks up a pattern (Markdown wants it in backticks)."""

    def combined(self, ours: Facet, field: str, table: str) -> Facet:
        """This (a user's) rule and ours on the same column, both holding; ``SchemaError`` if they cannot."""
        if self != ours:
            prop = self.properties[0]
            raise SchemaError(
                f"field {field!r}: {prop} {self.write()[prop]!r} differs from ours ({ours.write()[prop]!r}) for the "
                f"column of our table {table!r}; drop it or use ours"
            )
        return self


# --------------------------------------------------------------------------- codeList

_CODE_LISTS: dict[str, tuple[str, str, str]] = {
    "country": ("ISO 3166-1 alpha-3", "an assigned ISO 3166-1 alpha-3 country code, such as JPN", "is_country_alpha3"),
    "currency": ("ISO 4217", "an ISO 4217 currency code, such as JPY", "is_currency"),
    "language": ("ISO 639-1", "an ISO 639-1 language code, such as id", "is_language"),
}
_KIND_BY_STANDARD = {standard: kind for kind, (standard, _, _) in _CODE_LISTS.items()}


@cache
def code_list_check(kind: str) -> Callable[[str], bool]:
    """Whether a code is in the ISO list ``kind`` (country, currency, language), remembered per code."""
    check: Callable[[str], bool] = lru_cache(maxsize=4096)(getattr(codes, _CODE_LISTS[kind][2]))
    return check


@dataclass(frozen=True)
class CodeList(Facet):
    """The value is an assigned code of an ISO list (checked against pycountry, not only its shape)."""

    kind: CodeListKind
    properties: ClassVar[tuple[str, ...]] = ("codeList",)
    applies_to: ClassVar[frozenset[str]] = frozenset({"string"})
    ranking: ClassVar[str] = "value"

    @property
    def standard(self) -> str:
        return _CODE_LISTS[self.kind][0]

    @classmethod
    def read(cls, field: Mapping[str, Any], where: str) -> CodeList | None:
        if "codeList" not in field:
            return None
        value = field["codeList"]
        if not isinstance(value, str) or value not in _KIND_BY_STANDARD:
            raise SchemaError(f"{where}: codeList must be one of {', '.join(_KIND_BY_STANDARD)}")
        return cls(_KIND_BY_STANDARD[value])  # type: ignore[arg-type]

    def write(self) -> dict[str, Any]:
        return {"codeList": self.standard}

    def check(self, value: Any) -> str | None:
        if code_list_check(self.kind)(value):
            return None
        noun = {"country": "ISO 3166-1 alpha-3 country code", "currency": "ISO 4217 currency code",
                "language": "ISO 639-1 language code"}[self.kind]
        return f"{value!r} is not an {noun}"

    def check_arrow(self, cells: Any) -> list[Violation]:
        import pyarrow as pa

        from .arrays import as_mask, failing_distinct, pc

        check = code_list_check(self.kind)
        if cells.distinct is not None:  # the distinct values are known: judge each once, spread to the rows
            values, _ = cells.distinct
            known = pa.array([v is None or check(v) for v in values.to_pylist()], pa.bool_())
            mask = pc.and_(cells.clean, pc.invert(as_mask(cells.by_value(lambda _: known))))
        else:
            mask = failing_distinct(cells.value, cells.clean, check)
        return [Violation(mask, "iso-code", "not an ISO code", _CODE_LISTS[self.kind][1])]

    def words(self, code: Callable[[str], str] = str) -> str:
        return f"an assigned {self.standard} code"


# --------------------------------------------------------------------------- plainText


@dataclass(frozen=True)
class PlainText(Facet):
    """One line of Unicode NFC text, no white space at either end, not starting like a formula (``text``)."""

    properties: ClassVar[tuple[str, ...]] = ("plainText",)
    applies_to: ClassVar[frozenset[str]] = frozenset({"string"})
    ranking: ClassVar[str] = "flag"

    @classmethod
    def read(cls, field: Mapping[str, Any], where: str) -> PlainText | None:
        if "plainText" not in field:
            return None
        if not isinstance(field["plainText"], bool):
            raise SchemaError(f"{where}: plainText must be true or false")
        return cls() if field["plainText"] else None

    def write(self) -> dict[str, Any]:
        return {"plainText": True}

    def check(self, value: Any) -> str | None:
        return text.plain_text_problem(value)

    def check_arrow(self, cells: Any) -> list[Violation]:
        from .arrays import as_mask, outer_space, pc, starts_with_any, true_count

        clean, value = cells.clean, cells.value
        spaced = cells.by_value(outer_space) if cells.distinct is not None else outer_space(value, cells.quiet())
        found = [Violation(pc.and_(clean, as_mask(spaced)), "text", "has leading or trailing white space",
                           "text without white space at either end")]
        prefixes = "".join(sorted(text.FORMULA_PREFIXES))
        formula = pc.and_(clean, as_mask(cells.by_value(lambda v: starts_with_any(v, text.FORMULA_PREFIXES))))
        # A warning, not an error: the text is valid data, but a spreadsheet would run it (our own build refuses it).
        found.append(Violation(formula, "formula", "starts with a character that spreadsheet programs run as a formula",
                               f"text not starting with any of {', '.join(repr(p) for p in sorted(prefixes))}",
                               narrows=False))
        loud = pc.and_(clean, pc.invert(cells.quiet()))  # a quiet text (printable ASCII, …) is in NFC
        if true_count(loud):
            normal = pc.if_else(loud, value, None)
            denormal = pc.and_(loud, as_mask(pc.not_equal(pc.utf8_normalize(normal, "NFC"), normal)))
            found.append(Violation(denormal, "text", "is not in Unicode normalisation form NFC",
                                   "the same text in NFC form"))
        return found

    def words(self, code: Callable[[str], str] = str) -> str:
        return "Unicode NFC, no white space at either end, not starting with = + - @"

    def combined(self, ours: Facet, field: str, table: str) -> Facet:
        return self


# --------------------------------------------------------------------------- maxDigits / decimalPlaces


@lru_cache(maxsize=4096)
def _digits_problem(number_text: str, whole: int, places: int) -> str | None:
    """None if the text is a finite decimal within the digit limits (as the models count them), else why not.

    The digits are counted as written (``numbers.fits``): ``1e999999999999`` and
    ``1e-999999999`` are judged, not overflowed or rounded to zero.
    """
    core = number_text.strip()
    if len(core) > MAX_NUMBER_CHARS:
        return f"is longer than {MAX_NUMBER_CHARS} characters"
    try:
        number = Decimal(core)
    except InvalidOperation:
        return None
    return fits(number, whole, places)


@dataclass(frozen=True)
class Digits(Facet):
    """A finite amount with at most ``whole`` digits before the point and ``places`` after it."""

    whole: int
    places: int
    properties: ClassVar[tuple[str, ...]] = ("maxDigits", "decimalPlaces")
    applies_to: ClassVar[frozenset[str]] = frozenset({"number"})
    ranking: ClassVar[str] = "digits"

    @classmethod
    def read(cls, field: Mapping[str, Any], where: str) -> Digits | None:
        if "maxDigits" not in field and "decimalPlaces" not in field:
            return None
        digits, places = field.get("maxDigits"), field.get("decimalPlaces")
        if not isinstance(digits, int) or isinstance(digits, bool) or not isinstance(places, int) or isinstance(
            places, bool
        ):
            raise SchemaError(f"{where}: maxDigits and decimalPlaces must both be given, as integers")
        if not 0 <= places <= digits:
            raise SchemaError(f"{where}: decimalPlaces must be between 0 and maxDigits")
        return cls(digits - places, places)

    def write(self) -> dict[str, Any]:
        return {"maxDigits": self.whole + self.places, "decimalPlaces": self.places}

    def check(self, value: Any) -> str | None:
        return fits(value, self.whole, self.places)

    def check_arrow(self, cells: Any) -> list[Violation]:
        import pyarrow as pa

        from .arrays import as_mask, holds_any_of, pc, true_count

        whole, places = self.whole, self.places
        source = getattr(cells, "source", None)
        if source is not None and pa.types.is_decimal(source.type) and (
            source.type.precision - source.type.scale <= whole and source.type.scale <= places
        ):
            return []  # a decimal column whose type has no room for more digits than allowed
        text_values = cells.shown()
        # Cheap, vectorised suspicion; the exact verdict (as the models count digits) is taken
        # in Python for the distinct suspect values only. A value is suspect if it is not
        # finite, if it is 10**whole or more, if it has an exponent, or if its text has more
        # than ``whole`` characters before the point or ``places`` after it.
        value = cells.value
        length = pc.binary_length(text_values)
        point = pc.find_substring(text_values, ".")
        before = pc.if_else(pc.less(point, 0), length, point)
        after = pc.if_else(pc.less(point, 0), 0, pc.subtract(pc.subtract(length, point), 1))
        suspect = pc.invert(as_mask(pc.is_finite(value)))
        suspect = pc.or_(suspect, as_mask(pc.greater_equal(pc.abs(value), 10.0**whole)))
        suspect = pc.or_(suspect, holds_any_of(text_values, "eE"))
        suspect = pc.or_(suspect, as_mask(pc.or_(pc.greater(before, whole), pc.greater(after, places))))
        suspect = pc.and_(cells.clean, suspect)
        found = []
        if true_count(suspect):
            distinct = pc.drop_null(pc.unique(pc.filter(text_values, suspect))).to_pylist()
            reasons = {v: _digits_problem(v, whole, places) for v in distinct}
            for reason in sorted({r for r in reasons.values() if r is not None}):
                bad = pa.array([v for v, r in reasons.items() if r == reason], pa.string())
                mask = pc.and_(suspect, as_mask(pc.is_in(text_values, value_set=bad)))
                found.append(Violation(mask, "decimal", reason, self.expected()))
        return found

    def expected(self) -> str:
        return f"a finite amount with at most {self.whole} digits before the point and {self.places} after"

    def words(self, code: Callable[[str], str] = str) -> str:
        return f"at most {self.whole} digits before the point and {self.places} after it"

    def combined(self, ours: Facet, field: str, table: str) -> Facet:
        assert isinstance(ours, Digits)
        return Digits(min(self.whole, ours.whole), min(self.places, ours.places))


# --------------------------------------------------------------------------- itemPattern


def checked_pattern(value: Any, where: str) -> str:
    """A pattern, refused unless it is a regular expression Python can read as the checks use it."""
    if not isinstance(value, str):
        raise SchemaError(f"{where} must be a string")
    try:
        re.compile(f"^(?:{value})$")  # as the checks use it (a flag such as (?i) must then come first)
    except re.error as exc:
        raise SchemaError(f"{where} {value!r} is not a valid regular expression ({exc})") from None
    return value


@dataclass(frozen=True)
class ItemPattern(Facet):
    """Each item of a list matches ``pattern``."""

    pattern: str
    properties: ClassVar[tuple[str, ...]] = ("itemPattern",)
    applies_to: ClassVar[frozenset[str]] = frozenset({"list"})
    ranking: ClassVar[str] = "value"

    @classmethod
    def read(cls, field: Mapping[str, Any], where: str) -> ItemPattern | None:
        if "itemPattern" not in field:
            return None
        return cls(checked_pattern(field["itemPattern"], f"{where}: itemPattern"))

    def write(self) -> dict[str, Any]:
        return {"itemPattern": self.pattern}

    def check(self, value: Any) -> str | None:
        from .arrays import python_pattern

        compiled = python_pattern(self.pattern)
        bad = [item for item in value if compiled.fullmatch(item) is None]
        return None if not bad else f"item {bad[0]!r} does not match {self.pattern}"

    def check_arrow(self, cells: Any) -> list[Violation]:
        from .arrays import as_mask, has_bad_item, pc

        mask = pc.and_(cells.clean, as_mask(cells.by_value(lambda lists: has_bad_item(lists, self.pattern))))
        return [Violation(mask, "list-item", "has an item that does not match the pattern",
                          f"items matching {self.pattern}")]

    def words(self, code: Callable[[str], str] = str) -> str:
        return f"each item matches {code(self.pattern)}"


# --------------------------------------------------------------------------- partialDate

_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def partial_date_problem(value: str) -> str | None:
    """Why ``value`` is not a calendar date written to a year, a month or a day (``2004``, ``2004-08``,
    ``2004-08-28``), or None. "August 2004" is ``2004-08``, never a made-up ``2004-08-01``."""
    match = _PARTIAL.fullmatch(value)
    if match is None:
        return f"{value!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year < 1 or (month is not None and not 1 <= month <= 12):
        return f"{value!r} is not a calendar date"
    if day is not None and month is not None:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        if not 1 <= day <= (_DAYS[month - 1] - (month == 2 and not leap)):
            return f"{value!r} is not a calendar date"
    return None


@dataclass(frozen=True)
class PartialDate(Facet):
    """A calendar date written as far as the source knows it: a year, a month, or a day."""

    properties: ClassVar[tuple[str, ...]] = ("partialDate",)
    applies_to: ClassVar[frozenset[str]] = frozenset({"string"})
    ranking: ClassVar[str] = "flag"

    @classmethod
    def read(cls, field: Mapping[str, Any], where: str) -> PartialDate | None:
        if "partialDate" not in field:
            return None
        if not isinstance(field["partialDate"], bool):
            raise SchemaError(f"{where}: partialDate must be true or false")
        return cls() if field["partialDate"] else None

    def write(self) -> dict[str, Any]:
        return {"partialDate": True}

    def check(self, value: Any) -> str | None:
        return partial_date_problem(value)

    def check_arrow(self, cells: Any) -> list[Violation]:
        from .arrays import failing_distinct

        mask = failing_distinct(cells.value, cells.clean, lambda v: partial_date_problem(v) is None)
        return [Violation(mask, "type", "not a calendar date", "a date written YYYY, YYYY-MM or YYYY-MM-DD")]

    def words(self, code: Callable[[str], str] = str) -> str:
        return "a calendar date to the year (YYYY), the month (YYYY-MM) or the day (YYYY-MM-DD)"

    def combined(self, ours: Facet, field: str, table: str) -> Facet:
        return self


FACETS: tuple[type[Facet], ...] = (CodeList, PlainText, Digits, ItemPattern, PartialDate)
"""Every facet, in the order a field's properties are written and its rules are checked."""
PROPERTIES = frozenset(p for facet in FACETS for p in facet.properties)


def properties_ranked(ranking: str) -> tuple[str, ...]:
    """The custom properties ``diff`` ranks one way (see ``Facet.ranking``)."""
    return tuple(p for facet in FACETS if facet.ranking == ranking for p in facet.properties)


def read_facets(field: Mapping[str, Any], kind: str, where: str) -> tuple[Facet, ...]:
    """The facets a Table Schema field declares; a misplaced or malformed one is a ``SchemaError``."""
    found = []
    for facet in FACETS:
        declared = facet.read(field, where)
        if declared is None:
            continue
        if kind not in facet.applies_to:
            names = ", ".join(p for p in facet.properties if p in field)
            raise SchemaError(f"{where}: {names} cannot be used on a field of type {kind}")
        found.append(declared)
    return tuple(found)


def write_facets(facets: tuple[Facet, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for facet in sorted(facets, key=lambda f: FACETS.index(type(f))):
        out.update(facet.write())
    return out
