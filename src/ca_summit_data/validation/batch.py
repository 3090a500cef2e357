"""The unit the checks work on: a slice of a table's rows, one typed Arrow array per column.

Readers (CSV, Parquet) produce ``Batch`` objects; every check is a vectorised function of
a batch. Each column keeps its cells three ways: the text as it was in the file (for
messages and text constraints), the canonical typed value (for comparisons and keys),
and two masks, ``missing`` and ``invalid`` (a type error, already reported), so that no
later check reports the same cell again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from ..schema.arrays import Array, all_false, all_true, as_mask, counting, pc, quiet
from ..schema.tableschema import FieldSpec

__all__ = ["Array", "Batch", "Cells", "all_false", "all_true", "as_mask", "counting"]


@dataclass
class Cells:
    """One column of a batch."""

    field: FieldSpec
    number: int
    """1-based position of the column in the file."""
    value: Array
    missing: Array
    invalid: Array
    text: Array | None = None
    """The cells as text; None for typed (Parquet) columns until ``shown()`` renders them."""
    clean: Array | None = None
    """Set by the checks: present, well typed and within every constraint (model rules use only these)."""
    reported: Array | None = None
    """Cells already reported by the reader (e.g. not UTF-8): invalid, but not reported again as a type error."""
    distinct: tuple[Array, Array] | None = None
    """For a column that repeats itself: its distinct values (typed) and each row's index into them.
    Checks of one value at a time then run once per distinct value (``by_value``)."""
    source: Array | None = None
    """A typed (Parquet) column as it came, when its own text is exact where ``value``'s is not: a decimal
    column, whose ``value`` is float64 for comparisons but whose digits are judged as written."""
    _shown: Array | None = None
    _lengths: Array | None = None
    _printable: Array | None = None
    _quiet: Array | None = None
    _length_bounds: tuple[Array, ...] | None = None
    """``kind.length_range`` of the values once asked (both length limits ask): () where the type has none."""

    def by_value(self, check: Callable[[Array], Array]) -> Array:
        """``check`` (of each value on its own) over the values; once per distinct value when known.

        Where a value is missing the result is meaningless; callers mask those rows.
        """
        if self.distinct is not None:
            values, indices = self.distinct
            return pc.take(check(values), indices)
        return check(self.value)

    def printable(self) -> Array:
        """Whether each value is printable ASCII (computed once: several text checks start from it)."""
        if self._printable is None:
            self._printable = as_mask(self.by_value(pc.ascii_is_printable))
        return self._printable

    def quiet(self) -> Array:
        """Whether each text is quiet (``arrays.quiet``: no forbidden, NFC-changing or odd white-space character)."""
        if self._quiet is None:
            self._quiet = quiet(self.value, self.printable())
        return self._quiet

    def lengths(self) -> Array:
        """Characters of each text, items of each list or array, keys of each object (computed once)."""
        if self._lengths is None:
            field = self.field
            self._lengths = self.by_value(lambda values: field.kind.lengths(field, values))
        return self._lengths

    def length_outside(self, limit: int, shorter: bool) -> Array:
        """Whether each value is shorter than ``limit`` (``shorter``), or else longer.

        A type that can bound its lengths cheaply (text: characters are 1 to 4 bytes) has its
        exact lengths computed only for the values the bounds leave in doubt, which for a
        length constraint are usually none.
        """
        compare = pc.less if shorter else pc.greater
        if self._lengths is None and self.distinct is None:
            if self._length_bounds is None:
                self._length_bounds = self.field.kind.length_range(self.field, self.value) or ()
            if self._length_bounds:
                least, most = self._length_bounds
                sure = as_mask(compare(most if shorter else least, limit))
                doubt = pc.and_(as_mask(compare(least if shorter else most, limit)), pc.invert(sure))
                if not pc.any(doubt).as_py():
                    return sure
                exact = as_mask(compare(self.field.kind.lengths(self.field, pc.filter(self.value, doubt)), limit))
                return pc.replace_with_mask(sure, doubt, exact)
        return as_mask(compare(self.lengths(), limit))

    def shown(self) -> Array:
        """The cells as text, for messages and text checks (rendered once for typed columns)."""
        if self.text is not None:
            return self.text
        if self._shown is None:
            if self.source is not None:
                self._shown = pc.cast(self.source, pa.string())
            else:
                self._shown = self.field.kind.shown(self.field, self.value)
        return self._shown


@dataclass
class Batch:
    rows: Array
    """The row number of each row as a spreadsheet shows the file (the header is row 1)."""
    cells: list[Cells]
    live: Array | None = None
    """False for blank rows (reported once as blank, not cell by cell); None when every row is live."""
    ragged: list[tuple[int, list[str]]] | None = None
    """For rows whose cell count differs from the header's: (row number, cells as found)."""

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, name: str) -> Cells | None:
        return next((c for c in self.cells if c.field.name == name), None)
