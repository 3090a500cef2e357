"""The models' cross-field rules, as vectorised checks: the one list of them is ``all_rules()``.

Each Pydantic model validator in ``models.py`` that compares fields of one record has
a counterpart here, so a CSV or Parquet file is held to the same rules as a seed
record. A rule looks only at cells that are present, well typed and within their
constraints (``Cells.clean``), so a broken cell is reported once, by the check that
understands it. ``tests/test_validation_rules.py`` checks every rule against its model.
The list is ``all_rules()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from .arrow import pc
from .batch import Array, Batch, Cells, all_false, as_mask, counting


@dataclass(frozen=True)
class Violation:
    mask: Array
    cells: Cells
    message: str
    expected: str


def _usable(cells: Cells) -> Array:
    return cells.clean if cells.clean is not None else pc.invert(pc.or_(cells.missing, cells.invalid))


@dataclass(frozen=True)
class Rule:
    """A rule over some columns of one of our tables; ``columns[0]`` is the column a violation is reported on."""

    table: str
    columns: tuple[str, ...]

    def check(self, cells: list[Cells]) -> Iterator[Violation]:
        raise NotImplementedError

    def apply(self, batch: Batch) -> Iterator[Violation]:
        found = [batch.get(name) for name in self.columns]
        if any(c is None or c.field.type == "any" for c in found):  # a column missing, or of a type it cannot hold
            return
        present = [c for c in found if c is not None]
        for violation in self.check(present):
            mask = violation.mask if batch.live is None else pc.and_(violation.mask, batch.live)
            yield Violation(as_mask(mask), violation.cells, violation.message, violation.expected)


@dataclass(frozen=True)
class NotBefore(Rule):
    """``columns[0]`` (a date) is not before ``columns[1]``."""

    def check(self, cells: list[Cells]) -> Iterator[Violation]:
        later, earlier = cells
        both = pc.and_(_usable(later), _usable(earlier))
        mask = pc.and_(both, as_mask(pc.less(later.value, earlier.value)))
        yield Violation(mask, later, f"{later.field.name} is before {earlier.field.name}",
                        f"a date on or after {earlier.field.name}")


@dataclass(frozen=True)
class Together(Rule):
    """The columns are given together or not at all (reported on the empty one)."""

    def check(self, cells: list[Cells]) -> Iterator[Violation]:
        given = [pc.invert(c.missing) for c in cells]
        any_given = given[0]
        for g in given[1:]:
            any_given = pc.or_(any_given, g)
        names = " and ".join(c.field.name for c in cells)
        for c in cells:
            others = ", ".join(o.field.name for o in cells if o is not c)
            yield Violation(pc.and_(any_given, c.missing), c, f"{names} must be given together",
                            f"a value, because {others} is given")


@dataclass(frozen=True)
class Differ(Rule):
    """``columns[0]`` differs from ``columns[1]``."""

    def check(self, cells: list[Cells]) -> Iterator[Violation]:
        first, second = cells
        both = pc.and_(_usable(first), _usable(second))
        mask = pc.and_(both, as_mask(pc.equal(first.value, second.value)))
        yield Violation(mask, first, f"{first.field.name} and {second.field.name} are the same",
                        f"a value different from {second.field.name}")


@dataclass(frozen=True)
class EmptyExactlyWhen(Rule):
    """``columns[0]`` is empty exactly when ``columns[1]`` equals ``value``."""

    value: str = ""

    def check(self, cells: list[Cells]) -> Iterator[Violation]:
        subject, condition = cells
        is_value = as_mask(pc.equal(condition.value, self.value))
        wrong = pc.not_equal(subject.missing, is_value)
        mask = pc.and_(_usable(condition), pc.and_(pc.invert(subject.invalid), wrong))
        yield Violation(
            mask, subject,
            f"{subject.field.name} must be empty exactly when {condition.field.name} is {self.value!r}",
            f"empty if and only if {condition.field.name} is {self.value!r}",
        )


@dataclass(frozen=True)
class UniqueItems(Rule):
    """No item appears twice in the list column ``columns[0]``."""

    pairwise: int = 8
    """Lists up to this long are compared item against item; longer ones (rare) one by one in Python."""

    def check(self, cells: list[Cells]) -> Iterator[Violation]:
        (column,) = cells
        mask = pc.and_(_usable(column), as_mask(column.by_value(lambda lists: repeats_an_item(lists, self.pairwise))))
        yield Violation(mask, column, f"{column.field.name} lists an item twice", "each item at most once")


def repeats_an_item(lists: Array, pairwise: int) -> Array:
    """For each list, whether an item appears in it twice.

    Lists up to ``pairwise`` items long are compared item against item, as small integers,
    vectorised; longer ones (rare) are looked at one by one in Python.
    """
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


@cache
def _alpha2(alpha3: str) -> str | None:
    from .. import codes

    return codes.country_alpha2(alpha3)


@dataclass(frozen=True)
class MatchesCountry(Rule):
    """``columns[0]`` is the ISO alpha-2 code of the alpha-3 code in ``columns[1]``."""

    def check(self, cells: list[Cells]) -> Iterator[Violation]:
        alpha2, alpha3 = cells
        both = pc.and_(_usable(alpha2), _usable(alpha3))
        codes3 = pc.drop_null(pc.unique(pc.filter(alpha3.value, both))).to_pylist()
        expected = {code: _alpha2(code) for code in codes3}
        known = [c for c, two in expected.items() if two is not None]
        if not known:
            return
        table = pa.array([expected[c] for c in known], pa.string())
        index = pc.index_in(alpha3.value, value_set=pa.array(known, pa.string()))
        wanted = pc.take(table, index)
        mask = pc.and_(both, as_mask(pc.not_equal(alpha2.value, wanted)))
        yield Violation(mask, alpha2, f"{alpha2.field.name} does not match {alpha3.field.name}",
                        f"the ISO alpha-2 code of the country in {alpha3.field.name}")


SOURCE_ASSESSMENT = "source_assessment"
"""The statement mode whose statements have no speaker (``models.StatementMode``; a test keeps them equal)."""


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every cross-field rule of our tables: the one list of them (built on first use, to keep imports cheap)."""
    return (
        NotBefore("summits", ("end_date", "start_date")),
        Together("summits", ("documents_signed_min", "documents_signed_bound")),
        MatchesCountry("countries", ("iso2", "country_code")),
        Together("financial_targets", ("equivalent_amount", "equivalent_currency")),
        UniqueItems("financial_targets", ("sectors",)),
        Differ("bilateral_meetings", ("counterpart_id", "person_id")),
        EmptyExactlyWhen("statements", ("person_id", "mode"), SOURCE_ASSESSMENT),
        Together("sources", ("archive_file", "sha256")),
    )


@cache
def rules_for(table: str) -> tuple[Rule, ...]:
    """The cross-field rules of one of our tables (none for other tables)."""
    return tuple(r for r in all_rules() if r.table == table)
