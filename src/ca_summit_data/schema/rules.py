"""Rules between the columns of one row, as data: declared once on a model, checked everywhere.

A model lists its rules (``Summit.rules = (NotBefore("end_date", "start_date"), ...)``).
The same objects are checked on a Python record by the models (``check_record``), on
Arrow batches by the validator (``check_batch``), and travel in the table's Table Schema
as the custom property ``rules`` (a list of ``{"rule": ..., "fields": [...]}``), so that
the validator knows them without the models and anyone's schema may declare them too.
A rule looks only at cells that are present, well typed and within their constraints
(``clean``), so a broken cell is reported once, by the check that understands it; its
violation is reported on the first field it names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from .facets import SchemaError

PROPERTY = "rules"
"""The Table Schema property that lists a table's rules."""


def _plain(value: Any) -> Any:
    """An enum member as its value (records hold members, tables hold text)."""
    return getattr(value, "value", value)


@dataclass(frozen=True)
class RuleViolation:
    """Rows of a batch that break a rule: the mask, the field reported on, and what to say."""

    mask: Any
    field: str
    message: str
    expected: str


@dataclass(frozen=True)
class Rule(ABC):
    """A rule over some fields of one row; ``fields[0]`` is the field a violation is reported on."""

    fields: tuple[str, ...]
    name: ClassVar[str]
    arity: ClassVar[int | None] = 2

    def __post_init__(self) -> None:
        if self.arity is not None and len(self.fields) != self.arity:
            raise SchemaError(f"rule {self.name} takes {self.arity} fields, not {len(self.fields)}")

    def write(self) -> dict[str, Any]:
        return {"rule": self.name, "fields": list(self.fields)}

    @abstractmethod
    def message(self) -> str:
        """What a violation is, in words (the same for a record and a row)."""

    @abstractmethod
    def expected(self) -> str:
        """What the reported field should hold instead."""

    @abstractmethod
    def broken(self, values: tuple[Any, ...]) -> bool:
        """Whether one record's values of ``fields`` (None where missing) break the rule."""

    def check_record(self, get: Callable[[str], Any]) -> str | None:
        """Why a record (``get(field)`` -> its value) breaks the rule, or None."""
        values = tuple(_plain(get(name)) for name in self.fields)
        return self.record_message(values) if self.broken(values) else None

    def record_message(self, values: tuple[Any, ...]) -> str:
        return self.message()

    @abstractmethod
    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        """The rows that break the rule, given the batch's ``ColumnView`` of each field."""

    def check_batch(self, columns: Mapping[str, Any], live: Any | None) -> list[RuleViolation]:
        """The rows of a batch that break the rule (only among ``live`` rows, blank ones left out)."""
        found = [columns.get(name) for name in self.fields]
        if any(c is None or c.field.type == "any" for c in found):  # a column missing, or of a type it cannot hold
            return []
        from .arrays import as_mask, pc

        out = []
        for violation in self.masks(found):
            mask = violation.mask if live is None else pc.and_(violation.mask, live)
            out.append(RuleViolation(as_mask(mask), violation.field, violation.message, violation.expected))
        return out


def _usable(cells: Any) -> Any:
    from .arrays import pc

    return cells.clean if cells.clean is not None else pc.invert(pc.or_(cells.missing, cells.invalid))


@dataclass(frozen=True)
class NotBefore(Rule):
    """``fields[0]`` (a date) is not before ``fields[1]``."""

    name: ClassVar[str] = "notBefore"

    def message(self) -> str:
        return f"{self.fields[0]} is before {self.fields[1]}"

    def expected(self) -> str:
        return f"a date on or after {self.fields[1]}"

    def broken(self, values: tuple[Any, ...]) -> bool:
        later, earlier = values
        return later is not None and earlier is not None and later < earlier

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        from .arrays import as_mask, pc

        later, earlier = cells
        both = pc.and_(_usable(later), _usable(earlier))
        yield RuleViolation(pc.and_(both, as_mask(pc.less(later.value, earlier.value))), self.fields[0],
                            self.message(), self.expected())


@dataclass(frozen=True)
class Together(Rule):
    """The fields are given together or not at all (a violation is reported on each empty one)."""

    name: ClassVar[str] = "together"
    arity: ClassVar[int | None] = None

    def message(self) -> str:
        return f"{' and '.join(self.fields)} must be given together"

    def expected(self) -> str:
        return "a value, because the others are given"

    def broken(self, values: tuple[Any, ...]) -> bool:
        given = [v is not None for v in values]
        return any(given) and not all(given)

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        from .arrays import pc

        given = [pc.invert(c.missing) for c in cells]
        any_given = given[0]
        for g in given[1:]:
            any_given = pc.or_(any_given, g)
        for c in cells:
            others = ", ".join(o.field.name for o in cells if o is not c)
            yield RuleViolation(pc.and_(any_given, c.missing), c.field.name, self.message(),
                                f"a value, because {others} is given")


@dataclass(frozen=True)
class ExactlyOne(Rule):
    """Exactly one of the fields is given (a piece of evidence is a quote or a locator, never both or neither)."""

    name: ClassVar[str] = "exactlyOne"
    arity: ClassVar[int | None] = None

    def message(self) -> str:
        return f"exactly one of {', '.join(self.fields)} must be given"

    def expected(self) -> str:
        return f"a value in exactly one of {', '.join(self.fields)}"

    def broken(self, values: tuple[Any, ...]) -> bool:
        return sum(v is not None for v in values) != 1

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        import pyarrow as pa

        from .arrays import pc

        given = [pc.cast(pc.invert(c.missing), pa.int8()) for c in cells]
        total = given[0]
        for g in given[1:]:
            total = pc.add(total, g)
        unsure = cells[0].invalid
        for c in cells[1:]:
            unsure = pc.or_(unsure, c.invalid)
        yield RuleViolation(pc.and_(pc.invert(unsure), pc.not_equal(total, 1)), self.fields[0], self.message(),
                            self.expected())


@dataclass(frozen=True)
class Differ(Rule):
    """``fields[0]`` differs from ``fields[1]``."""

    name: ClassVar[str] = "differ"

    def message(self) -> str:
        return f"{self.fields[0]} and {self.fields[1]} are the same"

    def expected(self) -> str:
        return f"a value different from {self.fields[1]}"

    def broken(self, values: tuple[Any, ...]) -> bool:
        first, second = values
        return first is not None and first == second

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        from .arrays import as_mask, pc

        first, second = cells
        both = pc.and_(_usable(first), _usable(second))
        yield RuleViolation(pc.and_(both, as_mask(pc.equal(first.value, second.value))), self.fields[0],
                            self.message(), self.expected())


@dataclass(frozen=True)
class EmptyExactlyWhen(Rule):
    """``fields[0]`` is empty exactly when ``fields[1]`` equals ``value``."""

    value: str = ""
    name: ClassVar[str] = "emptyExactlyWhen"

    def write(self) -> dict[str, Any]:
        return {**super().write(), "value": self.value}

    def message(self) -> str:
        return f"{self.fields[0]} must be empty exactly when {self.fields[1]} is {self.value!r}"

    def expected(self) -> str:
        return f"empty if and only if {self.fields[1]} is {self.value!r}"

    def broken(self, values: tuple[Any, ...]) -> bool:
        subject, condition = values
        return condition is not None and (subject is None) != (condition == self.value)

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        from .arrays import as_mask, pc

        subject, condition = cells
        is_value = as_mask(pc.equal(condition.value, self.value))
        wrong = pc.not_equal(subject.missing, is_value)
        mask = pc.and_(_usable(condition), pc.and_(pc.invert(subject.invalid), wrong))
        yield RuleViolation(mask, self.fields[0], self.message(), self.expected())


@dataclass(frozen=True)
class UniqueItems(Rule):
    """No item appears twice in the list field ``fields[0]``."""

    name: ClassVar[str] = "uniqueItems"
    arity: ClassVar[int | None] = 1
    pairwise: ClassVar[int] = 8
    """Lists up to this long are compared item against item; longer ones (rare) one by one in Python."""

    def message(self) -> str:
        return f"{self.fields[0]} lists an item twice"

    def expected(self) -> str:
        return "each item at most once"

    def broken(self, values: tuple[Any, ...]) -> bool:
        (items,) = values
        return items is not None and len(set(items)) != len(items)

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        from .arrays import as_mask, pc

        (column,) = cells
        mask = pc.and_(_usable(column), as_mask(column.by_value(lambda lists: repeats_an_item(lists, self.pairwise))))
        yield RuleViolation(mask, self.fields[0], self.message(), self.expected())


def repeats_an_item(lists: Any, pairwise: int) -> Any:
    """For each list, whether an item appears in it twice.

    Lists up to ``pairwise`` items long are compared item against item, as small integers,
    vectorised; longer ones (rare) are looked at one by one in Python.
    """
    import pyarrow as pa

    from .arrays import all_false, as_mask, counting, pc

    lengths = pc.fill_null(pc.list_value_length(lists), 0)
    longest = pc.max(lengths).as_py() or 0
    mask = all_false(len(lists))
    if longest < 2:
        return mask
    codes = pc.dictionary_encode(lists.values).indices
    starts = lists.offsets.slice(0, len(lists))
    item = [  # item j of every list, aligned by row (null past a list's end)
        pc.take(codes, pc.if_else(pc.greater(lengths, j), pc.add(starts, j), None))
        for j in range(min(longest, pairwise))
    ]
    for j in range(len(item)):
        for k in range(j + 1, len(item)):
            mask = pc.or_(mask, as_mask(pc.equal(item[j], item[k])))
    if longest > pairwise:
        long_rows = pc.indices_nonzero(pc.greater(lengths, pairwise)).to_pylist()
        values = pc.take(lists, pa.array(long_rows, pa.int64())).to_pylist()
        repeated = [row for row, v in zip(long_rows, values, strict=True) if len(set(v)) != len(v)]
        mask = pc.or_(mask, pc.is_in(counting(0, len(lists)), value_set=pa.array(repeated, pa.int64())))
    return mask


@lru_cache(maxsize=4096)
def _alpha2(alpha3: str) -> str | None:
    from . import codes

    return codes.country_alpha2(alpha3)


@dataclass(frozen=True)
class MatchesCountry(Rule):
    """``fields[0]`` is the ISO 3166-1 alpha-2 code of the alpha-3 code in ``fields[1]``."""

    name: ClassVar[str] = "matchesCountry"

    def message(self) -> str:
        return f"{self.fields[0]} does not match {self.fields[1]}"

    def expected(self) -> str:
        return f"the ISO alpha-2 code of the country in {self.fields[1]}"

    def broken(self, values: tuple[Any, ...]) -> bool:
        alpha2, alpha3 = values
        expected = None if alpha3 is None else _alpha2(alpha3)
        return alpha2 is not None and expected is not None and expected != alpha2

    def record_message(self, values: tuple[Any, ...]) -> str:
        alpha2, alpha3 = values
        return f"{self.fields[0]} {alpha2!r} does not match {alpha3} (expected {_alpha2(alpha3)!r})"

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        import pyarrow as pa

        from .arrays import as_mask, pc

        alpha2, alpha3 = cells
        both = pc.and_(_usable(alpha2), _usable(alpha3))
        codes3 = pc.drop_null(pc.unique(pc.filter(alpha3.value, both))).to_pylist()
        expected = {code: _alpha2(code) for code in codes3}
        known = [c for c, two in expected.items() if two is not None]
        if not known:
            return
        table = pa.array([expected[c] for c in known], pa.string())
        wanted = pc.take(table, pc.index_in(alpha3.value, value_set=pa.array(known, pa.string())))
        yield RuleViolation(pc.and_(both, as_mask(pc.not_equal(alpha2.value, wanted))), self.fields[0],
                            self.message(), self.expected())


_PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True)
class PrecisionOf(Rule):
    """``fields[0]`` names the precision (``year``, ``month``, ``day``) to which the partial date ``fields[1]`` is
    written; both are given together."""

    name: ClassVar[str] = "precisionOf"

    def message(self) -> str:
        return f"{self.fields[0]} does not say how precisely {self.fields[1]} is written"

    def expected(self) -> str:
        return f"year, month or day, as {self.fields[1]} is written (YYYY, YYYY-MM, YYYY-MM-DD)"

    def broken(self, values: tuple[Any, ...]) -> bool:
        precision, written = values
        if precision is None or written is None:
            return (precision is None) != (written is None)
        return bool(_PRECISION_BY_LENGTH.get(len(written)) != precision)

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        import pyarrow as pa

        from .arrays import as_mask, pc

        precision, written = cells
        lengths = pc.utf8_length(written.value)
        wanted = pc.take(pa.array([None, None, None, None, "year", None, None, "month", None, None, "day"],
                                  pa.string()), pc.min_element_wise(lengths, 10))
        both = pc.and_(_usable(precision), _usable(written))
        wrong = pc.and_(both, pc.invert(as_mask(pc.equal(precision.value, wanted))))
        alone = pc.not_equal(precision.missing, written.missing)
        yield RuleViolation(pc.or_(wrong, alone), self.fields[0], self.message(), self.expected())


@dataclass(frozen=True)
class GivenExactlyWhen(Rule):
    """``fields[0]`` is given exactly when ``fields[1]`` equals ``value`` (``true`` for a boolean flag).

    The mirror of ``EmptyExactlyWhen``: a source's ``archive_file`` exactly when it is ``archived``, a claim's
    ``resolution`` exactly when its stance is ``contradicts``.
    """

    value: str | bool = True
    name: ClassVar[str] = "givenExactlyWhen"

    def write(self) -> dict[str, Any]:
        return {**super().write(), "value": self.value}

    def _shown(self) -> str:
        return ("true" if self.value else "false") if isinstance(self.value, bool) else repr(self.value)

    def message(self) -> str:
        return f"{self.fields[0]} must be given exactly when {self.fields[1]} is {self._shown()}"

    def expected(self) -> str:
        return f"a value if and only if {self.fields[1]} is {self._shown()}"

    def broken(self, values: tuple[Any, ...]) -> bool:
        subject, condition = values
        return condition is not None and (subject is not None) != (condition == self.value)

    def masks(self, cells: list[Any]) -> Iterator[RuleViolation]:
        from .arrays import as_mask, pc

        subject, condition = cells
        if isinstance(self.value, bool) == (condition.field.type == "boolean"):
            is_value = as_mask(pc.equal(condition.value, self.value))
        else:  # a flag's value against a text column, or text against a flag: never equal
            from .arrays import all_false

            is_value = all_false(len(condition.value))
        wrong = pc.equal(subject.missing, is_value)
        mask = pc.and_(_usable(condition), pc.and_(pc.invert(subject.invalid), wrong))
        yield RuleViolation(mask, self.fields[0], self.message(), self.expected())


RULES: dict[str, type[Rule]] = {r.name: r for r in (NotBefore, Together, Differ, EmptyExactlyWhen, UniqueItems,
                                                     MatchesCountry, PrecisionOf, GivenExactlyWhen, ExactlyOne)}
"""Every kind of rule, by the name it has in a Table Schema."""


def read_rules(raw: Any, fields: set[str], where: str) -> tuple[Rule, ...]:
    """The ``rules`` of a Table Schema; a malformed or unknown rule, or one naming no field, is a ``SchemaError``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SchemaError(f"{where}: rules must be a list")
    out: list[Rule] = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("rule"), str) or item["rule"] not in RULES:
            raise SchemaError(f"{where}: every rule needs a 'rule' among {', '.join(RULES)}")
        names = item.get("fields")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise SchemaError(f"{where}: rule {item['rule']!r} needs a list of field names")
        unknown = [n for n in names if n not in fields]
        if unknown:
            raise SchemaError(f"{where}: rule {item['rule']!r} names {unknown[0]!r}, which is not a field")
        extra = set(item) - {"rule", "fields", "value", "description"}
        if extra:
            raise SchemaError(f"{where}: rule {item['rule']!r} has unknown properties {', '.join(sorted(extra))}")
        kind = RULES[item["rule"]]
        if kind is EmptyExactlyWhen:
            if not isinstance(item.get("value"), str):
                raise SchemaError(f"{where}: rule emptyExactlyWhen needs a 'value' (a string)")
            out.append(EmptyExactlyWhen(tuple(names), item["value"]))
        elif kind is GivenExactlyWhen:
            value = item.get("value", True)
            if not isinstance(value, str | bool):
                raise SchemaError(f"{where}: rule givenExactlyWhen takes a 'value' that is a string or true/false")
            out.append(GivenExactlyWhen(tuple(names), value))
        else:
            out.append(kind(tuple(names)))
    return tuple(out)
