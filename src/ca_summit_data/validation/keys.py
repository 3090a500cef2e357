"""Primary keys, unique columns and foreign keys, checked with Arrow hashing, not Python sets.

Keys are the one thing a streaming validator must remember across batches. Each file
keeps, for every key it takes part in, the canonical key text of each row and the row
number (``KeyColumn``); at the end of the file duplicates are found with one
``value_counts``; at the end of the run every foreign key is one ``is_in`` against the
referenced table's distinct keys. As in frictionless, a key whose cells are all missing
(or all badly typed) is a primary-key error and is not looked up as a foreign key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from .arrow import pc
from .batch import Array, Batch, Cells, all_false, all_true, as_mask, counting
from .emit import emit, true_count
from .findings import Findings

SEPARATOR = "\x1f"
"""Joins the parts of a composite key (a character our values may not contain)."""
NULL_PART = "\x00"


def canonical_text(cells: Cells) -> Array:
    """A column's typed values as comparable text (null where missing or invalid)."""
    value = cells.value
    if pa.types.is_string(value.type):
        return value
    if pa.types.is_list(value.type):
        return pc.binary_join(value, "\x1e")
    return pc.cast(value, pa.string())


def key_of(batch: Batch, fields: tuple[str, ...]) -> Array | None:
    """The key text of each row (null where every part is missing), or None if a field is not in the batch."""
    found = [batch.get(name) for name in fields]
    cells = [c for c in found if c is not None]
    if len(cells) != len(fields):
        return None
    parts = [canonical_text(c) for c in cells]
    if len(parts) == 1:
        return parts[0]
    all_null = pc.is_null(parts[0])
    for part in parts[1:]:
        all_null = pc.and_(all_null, pc.is_null(part))
    joined = pc.binary_join_element_wise(*parts, SEPARATOR, null_handling="replace", null_replacement=NULL_PART)
    return pc.if_else(all_null, None, joined)


@dataclass(frozen=True)
class _Chunk:
    first_row: int
    keys: Array
    rows: Array | int
    """The row numbers, or just the first one when they are consecutive (the usual case)."""
    ordered: bool
    """Whether the keys never decrease within the chunk."""

    def row_numbers(self) -> Array:
        return counting(self.rows, len(self.keys)) if isinstance(self.rows, int) else self.rows


@dataclass
class KeyColumn:
    """The keys of one file for one tuple of fields, with the row number of each.

    Memory is what a key check cannot avoid: the key text itself. Row numbers are kept
    as a first row when a batch's rows are consecutive, and each batch notes whether its
    keys are in order. Batches may be added in any order (they are checked in
    parallel); they are put back in row order when the keys are used.
    """

    fields: tuple[str, ...]
    _chunks: list[_Chunk] = field(default_factory=list)

    def add(self, keys: Array, rows: Array) -> None:
        present = pc.is_valid(keys)
        if true_count(present) != len(keys):
            keys, rows = pc.filter(keys, present), pc.filter(rows, present)
        if not len(keys):
            return
        ordered = len(keys) < 2 or bool(pc.all(pc.greater_equal(keys.slice(1), keys.slice(0, len(keys) - 1))).as_py())
        first, last = rows[0].as_py(), rows[-1].as_py()
        self._chunks.append(_Chunk(first, keys, first if last - first + 1 == len(rows) else rows, ordered))

    def chunks(self) -> list[_Chunk]:
        return sorted(self._chunks, key=lambda c: c.first_row)

    @property
    def keys(self) -> list[Array]:
        return [c.keys for c in self.chunks()]

    @property
    def rows(self) -> list[Array]:
        return [c.row_numbers() for c in self.chunks()]

    def all_keys(self) -> Array:
        return pa.chunked_array(self.keys, pa.string())

    def distinct(self) -> Array:
        """The distinct keys (what a foreign key into this column is looked up in)."""
        return pc.unique(self.all_keys()) if self._chunks else pa.array([], pa.string())


def _columns(**arrays: Array) -> Any:
    """Columns for ``pa.table`` (arrays or chunked arrays, which pyarrow's stubs do not accept together)."""
    return arrays


def _describe(fields: tuple[str, ...]) -> str:
    return ", ".join(fields)


STRAY_SHARE = 0.05
"""When more than this share of the keys is out of order, duplicates are found by hashing all keys."""


def _spine(chunks: list[_Chunk]) -> tuple[list[_Chunk], list[_Chunk]]:
    """Split chunks (in row order) into a run whose keys never decrease, and the strays out of order."""
    spine: list[_Chunk] = []
    strays: list[_Chunk] = []
    for chunk in chunks:
        if chunk.ordered and (not spine or pc.greater_equal(chunk.keys[0], spine[-1].keys[-1]).as_py()):
            spine.append(chunk)
        else:
            strays.append(chunk)
    return spine, strays


def _later_of_sorted(key: Array, row: Array) -> Array:
    """For (key, row) sorted by key then row: (row, first row with that key, key) of every later occurrence."""
    first = pc.not_equal(key.slice(1), key.slice(0, len(key) - 1))
    is_first = pa.concat_arrays([all_true(1), first])
    group = pc.subtract(pc.cumulative_sum(pc.cast(is_first, pa.int64())), 1)
    first_rows = pc.take(pc.filter(row, is_first), group)
    return pa.table(_columns(row=row, first=first_rows, key=key)).filter(pc.invert(is_first))


def _hashed(chunks: list[_Chunk], candidates: Array | None = None) -> Array | None:
    """Later occurrences among all keys (or only those in ``candidates``), found by hashing."""
    if candidates is None:
        counts = pc.value_counts(pa.chunked_array([c.keys for c in chunks], pa.string()))
        candidates = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if not len(candidates):
        return None
    parts = []
    for chunk in chunks:  # chunk by chunk, so only the candidates' rows are ever materialised
        chosen = pc.is_in(chunk.keys, value_set=candidates)
        if pc.any(chosen).as_py():
            parts.append(pa.table(_columns(key=pc.filter(chunk.keys, chosen),
                                           row=pc.filter(chunk.row_numbers(), chosen))))
    if not parts:
        return None
    table = pa.concat_tables(parts).sort_by([("key", "ascending"), ("row", "ascending")]).combine_chunks()
    if table.num_rows < 2:
        return None
    return _later_of_sorted(table.column("key").chunk(0), table.column("row").chunk(0))


def _in_runs(spine: list[_Chunk], skip: Array | None) -> list[Array]:
    """Later occurrences in a run of chunks whose keys never decrease (a repeat sits next to its twin).

    Chunk by chunk, carrying the current run's first row across chunk borders, so no
    more than one chunk's worth of anything is ever built. Keys in ``skip`` are left out.
    """
    found = []
    previous_key: Any = None
    run_first: Any = None
    for chunk in spine:
        keys = chunk.keys
        same = pc.equal(keys.slice(1), keys.slice(0, len(keys) - 1))
        joined = previous_key is not None and pc.equal(keys[0], previous_key).as_py()
        repeat = pa.concat_arrays([all_true(1) if joined else all_false(1), same])
        rows = chunk.row_numbers()
        if pc.any(repeat).as_py():
            starts = pc.fill_null_forward(pc.if_else(repeat, None, rows))
            starts = pc.fill_null(starts, run_first) if run_first is not None else starts
            if skip is not None:
                repeat = pc.and_(repeat, pc.invert(pc.is_in(keys, value_set=skip)))
            found.append(pa.table(_columns(row=pc.filter(rows, repeat), first=pc.filter(starts, repeat),
                                           key=pc.filter(keys, repeat))))
            run_first = starts[-1]
        else:
            run_first = rows[-1]
        previous_key = keys[-1]
    return found


def duplicates(column: KeyColumn) -> Array | None:
    """A table (row, first, key) of every row whose key an earlier row has, or None.

    Files are usually written in key order, so the keys are checked as runs that never
    decrease, where a repeated key sits next to its twin: one pass, no hashing. Keys out
    of that order (a few appended rows, say) are looked up among all keys; only when many
    are out of order is every key hashed.
    """
    chunks = column.chunks()
    if not chunks:
        return None
    spine, strays = _spine(chunks)
    stray_count = sum(len(c.keys) for c in strays)
    if stray_count > sum(len(c.keys) for c in chunks) * STRAY_SHARE:
        return _hashed(chunks)
    found = []
    others = pc.unique(pa.chunked_array([c.keys for c in strays], pa.string())) if strays else None
    if others is not None:
        later = _hashed(chunks, others)
        if later is not None:
            found.append(later)
    found.extend(_in_runs(spine, others))
    if not found:
        return None
    table = pa.concat_tables(found)
    return table if table.num_rows else None


def report_duplicates(column: KeyColumn, file: str, sink: Findings, *, code: str, column_number: int | None) -> None:
    """Every row whose key an earlier row already has, naming that earlier row."""
    found = duplicates(column)
    if found is None:
        return
    later = found.sort_by("row")
    details = pc.binary_join_element_wise("same as row ", pc.cast(later.column("first"), pa.string()), "")
    name = _describe(column.fields)
    what = "primary key" if code == "primary-key" else "value"
    emit(
        sink, file, later.column("row").combine_chunks(), all_true(later.num_rows),
        code=code, message=f"duplicate {what} ({name})", expected=f"a {name} no other row has",
        column=column.fields[0], column_number=column_number,
        values=later.column("key").combine_chunks(), details=details.combine_chunks(),
    )


@dataclass(frozen=True)
class Reference:
    """A foreign key as checked: what it refers to, for messages, and the referenced keys once known."""

    fields: tuple[str, ...]
    target_name: str
    target_fields: tuple[str, ...]
    column_number: int | None


def report_missing_keys(keys: Array, rows: Array, target: Array, file: str, sink: Findings, ref: Reference,
                        cells: Cells | None = None) -> None:
    """Every row whose (non-missing) foreign key is not among ``target`` (the referenced table's distinct keys).

    ``cells``, the key's one text column when it repeats itself, lets each distinct value be looked up once.
    """
    if not len(keys):
        return
    if cells is not None and cells.distinct is not None and pa.types.is_string(cells.value.type):
        found = as_mask(cells.by_value(lambda values: pc.is_in(values, value_set=target)))
    else:
        found = as_mask(pc.is_in(keys, value_set=target))
    missing = pc.and_(pc.is_valid(keys), pc.invert(found))
    if not true_count(missing):
        return
    table = pa.table(_columns(row=rows, key=keys)).filter(missing).sort_by("row")
    emit(
        sink, file, table.column("row").combine_chunks(), all_true(table.num_rows),
        code="foreign-key",
        message=f"not found in {ref.target_name}",
        expected=f"a value of {_describe(ref.target_fields)} that exists there",
        column=ref.fields[0], column_number=ref.column_number,
        values=pc.replace_substring(table.column("key").combine_chunks(), SEPARATOR, ", "),
    )
