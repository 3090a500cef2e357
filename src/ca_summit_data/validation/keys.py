"""Primary keys, unique columns and foreign keys, by 64-bit fingerprints: memory of 8 bytes a key.

Keys are the one thing a streaming validator must remember across batches. Keeping their
text would make memory grow with the rows' bytes, so each key of each row is kept as one
64-bit fingerprint of its canonical text (``fingerprints``: a keyed mix of its 8-byte
words, with a seed drawn at random for each run, so no input can be made to collide on
purpose), and row numbers are kept as spans, not one per row. Then:

- **duplicates**: at the end of a file its fingerprints are sorted once; a fingerprint
  seen twice marks candidate rows (none in a valid file, so that is the whole cost).
  Candidates are confirmed by reading the key columns of just those rows a second time
  (``ReadTexts``), which is also when the values to show are read: a duplicate is reported
  only if the texts agree, so a chance collision of fingerprints (about n²/2⁶⁵ for n
  keys) never becomes a finding. Every check of a file that needs texts asks for them
  (``PendingTexts``), and the file is read again once for all of them;
- **foreign keys**: the referenced keys become a sorted array of distinct fingerprints
  (``KeyIndex``) and each referring value is looked up by binary search, batch by batch
  while the referring file streams (or at the end, for a key into the table itself or
  into one read later). A value reported missing is certainly missing (equal keys have
  equal fingerprints); a missing value could be taken for a present one only if its
  fingerprint collides with one of the n referenced keys, with probability n/2⁶⁴.

A primary key with a missing part is a primary-key error (the spec makes its fields
required; frictionless only reports a key whose cells are all missing); a foreign key
whose cells are all missing is not looked up, and a unique key (``uniqueKeys``) with a
missing part is left out of the uniqueness check, as SQL's unique constraint does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from ..schema.arrays import pc
from ..schema.utf8_bytes import Utf8Bytes
from .batch import Array, Batch, Cells, all_true, as_mask
from .emit import emit, true_count
from .findings import Findings
from .prefetch import in_parallel

SEPARATOR = "\x1f"
"""Joins the parts of a composite key (a character our values may not contain)."""
NULL_PART = "\x00"
U64 = np.uint64

_SEEDS = tuple(int.from_bytes(os.urandom(8), "little") | 1 for _ in range(2))
"""Two secret seeds a run: the fingerprint, and the second one that confirms a duplicate."""

TextRequest = tuple[tuple[str, ...], Any]
"""The key ``fields`` and a sorted array of row numbers whose key texts are wanted."""
ReadTexts = Callable[[list[TextRequest]], list[dict[int, str]]]
"""Read a file's key columns again, once, for several requests: the texts of each, by row number."""


class PendingTexts:
    """Findings that wait for key texts, asked by every check of one file and answered in one reading.

    Reading a large file again costs as much as parsing it, so the duplicate keys and the
    missing references of a file are not read one check at a time: each check asks here,
    and ``settle`` reads the file once, for the union of the columns and rows asked.
    """

    def __init__(self, read: ReadTexts) -> None:
        self._read = read
        self._asked: list[tuple[TextRequest, Callable[[dict[int, str]], None]]] = []

    def ask(self, fields: tuple[str, ...], rows: Any, then: Callable[[dict[int, str]], None]) -> None:
        """Call ``then`` with the texts of ``rows`` (sorted row numbers) once they are read (now, if none)."""
        if not len(rows):
            then({})
            return
        self._asked.append(((fields, rows), then))

    def settle(self) -> None:
        """Read the file again for everything asked so far, and hand each check its texts."""
        asked, self._asked = self._asked, []
        if not asked:
            return
        answers = self._read([request for request, _ in asked])
        for (_, then), texts in zip(asked, answers, strict=True):
            then(texts)


def canonical_text(cells: Cells) -> Array:
    """A column's typed values as comparable text (null where missing or invalid); the type says how."""
    return cells.field.kind.key_text(cells.field, cells.value)


def key_of(batch: Batch, fields: tuple[str, ...], any_missing: bool = False) -> Array | None:
    """The key text of each row, or None if a field is not in the batch.

    A row's key is null where every part is missing, or with ``any_missing`` where any
    part is (a unique key, as SQL's unique constraint, leaves such rows out).
    """
    found = [batch.get(name) for name in fields]
    cells = [c for c in found if c is not None]
    if len(cells) != len(fields):
        return None
    parts = [canonical_text(c) for c in cells]
    if len(parts) == 1:
        return parts[0]
    combine = pc.or_ if any_missing else pc.and_
    null = pc.is_null(parts[0])
    for part in parts[1:]:
        null = combine(null, pc.is_null(part))
    joined = pc.binary_join_element_wise(*parts, SEPARATOR, null_handling="replace", null_replacement=NULL_PART)
    return pc.if_else(null, None, joined)


# --------------------------------------------------------------------------- fingerprints


def _mix(h: Any) -> Any:
    """splitmix64's finaliser: every input bit moves every output bit (numpy wraps uint64 arithmetic)."""
    h = h ^ (h >> U64(30))
    h = h * U64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> U64(27))
    h = h * U64(0x94D049BB133111EB)
    return h ^ (h >> U64(31))


def fingerprints(text: Array, which: int = 0) -> Any:
    """The 64-bit fingerprint of each value of a text array without nulls (``which``: 0, or 1 to confirm).

    The value's bytes are taken 8 at a time, each word mixed into the running state with
    the seed, all values at once (numpy over the whole batch, one step per word of the
    longest value); the length is mixed in too, so values that differ only in trailing
    zero bytes differ.
    """
    array = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    if not pa.types.is_large_string(array.type):
        array = pc.cast(array, pa.large_string())
    n = len(array)
    if n == 0:
        return np.empty(0, U64)
    view = Utf8Bytes.of(array)
    assert view is not None  # a large string array, cast above
    offsets, data = view.offsets, view.used()
    starts = offsets[:-1] - offsets[0]
    lengths = view.lengths()
    padded = np.concatenate([data, np.zeros(8, np.uint8)])
    words = np.lib.stride_tricks.as_strided(padded, shape=(len(data) + 1, 8), strides=(1, 1))
    seed = U64(_SEEDS[which])
    state = _mix(np.full(n, seed, U64) ^ lengths.astype(U64))
    longest = int(lengths.max())
    for start in range(0, longest, 8):
        active = lengths > start
        every = bool(active.all())
        where = starts + start if every else (starts + start)[active]
        word = words[where].copy().view(U64).ravel()
        left = (lengths if every else lengths[active]) - start
        short = left < 8
        if short.any():
            keep = np.where(short, (U64(1) << (left.astype(U64) * U64(8))) - U64(1), ~U64(0))
            word = word & keep
        if every:
            state = _mix(state ^ word ^ seed)
        else:
            state[active] = _mix(state[active] ^ word ^ seed)
    return _mix(state ^ seed)


CACHED_INDEX = 1 << 16
"""An index of up to this many fingerprints (512 KiB) stays in the cache: looked up in row order."""


@dataclass(frozen=True)
class KeyIndex:
    """The distinct fingerprints of a table's keys, sorted: what a foreign key is looked up in."""

    sorted: Any
    """uint64 numpy array, ascending, no repeats."""

    @staticmethod
    def of(fps: Any) -> KeyIndex:
        return KeyIndex(np.unique(np.asarray(fps, U64)))

    def __len__(self) -> int:
        return len(self.sorted)

    def contains(self, fps: Any) -> Any:
        """For each fingerprint, whether it is in the index (a bool numpy array).

        On an index larger than the cache, the fingerprints are looked up in ascending order:
        consecutive binary searches then share their first steps in the cache, about 3x faster
        than in row order on an index of millions (a row-order search misses at nearly every step).
        Only the few fingerprints not found are then placed back in row order (a sorted copy is
        several times faster to make than the order that sorts them).
        """
        fps = np.asarray(fps, U64)
        if not len(self.sorted):
            return np.zeros(len(fps), bool)
        if len(self.sorted) <= CACHED_INDEX:
            at = np.searchsorted(self.sorted, fps)
            at[at == len(self.sorted)] = 0
            return self.sorted[at] == fps
        ascending = np.sort(fps)
        at = np.searchsorted(self.sorted, ascending)
        at[at == len(self.sorted)] = 0
        hit = self.sorted[at] == ascending
        if hit.all():
            return np.ones(len(fps), bool)
        return ~np.isin(fps, ascending[~hit])


# --------------------------------------------------------------------------- keys of one file


@dataclass(frozen=True)
class _Chunk:
    first_row: int
    fps: Any
    rows: Any | None
    """The row numbers (int64 numpy) when not consecutive from ``first_row``; None when they are."""

    def row_numbers(self, where: Any = None) -> Any:
        if self.rows is not None:
            return self.rows if where is None else self.rows[where]
        numbers = np.arange(self.first_row, self.first_row + len(self.fps), dtype=np.int64)
        return numbers if where is None else numbers[where]


COMPACT_BLOCK = 1 << 20
"""Values moved at a time when repeats are dropped in place (8 MiB of fingerprints)."""


def _repeats(ordered: Any) -> Any:
    """The distinct values that occur more than once in ``ordered`` (sorted), compared block by block."""
    found: list[Any] = []
    for start in range(1, len(ordered), COMPACT_BLOCK):
        block = ordered[start : start + COMPACT_BLOCK]
        same = block == ordered[start - 1 : start - 1 + len(block)]
        if same.any():
            found.append(block[same])
    return np.unique(np.concatenate(found)) if found else np.empty(0, U64)


def _drop_repeats(ordered: Any) -> Any:
    """``ordered`` (sorted) without the values equal to the one before, compacted in place.

    Block by block, so the only copies are one block's: a file with repeated keys costs no
    more memory than one without (``np.unique`` would copy every distinct key). A block is
    compared with the value before it as it was (``previous``), since compaction may since
    have written over that place.
    """
    kept = 1  # the first value always stays where it is
    previous = ordered[0] if len(ordered) else None
    for start in range(1, len(ordered), COMPACT_BLOCK):
        block = ordered[start : start + COMPACT_BLOCK].copy()
        before = np.concatenate([[previous], block[:-1]]).astype(U64)
        previous = block[-1]
        fresh = block[block != before]
        ordered[kept : kept + len(fresh)] = fresh
        kept += len(fresh)
    return ordered[:kept]


@dataclass
class KeyColumn:
    """The keys of one file for one tuple of fields: a fingerprint a row, rows as spans.

    Batches may be added in any order (they are checked in parallel); they are put back
    in row order when the keys are used.
    """

    fields: tuple[str, ...]
    _chunks: list[_Chunk] = field(default_factory=list)
    _index: KeyIndex | None = None
    _repeated: Any = None

    def add(self, keys: Array, rows: Array) -> None:
        present = pc.is_valid(keys)
        if true_count(present) != len(keys):
            keys, rows = pc.filter(keys, present), pc.filter(rows, present)
        if not len(keys):
            return
        first, last = rows[0].as_py(), rows[-1].as_py()
        numbers = None if last - first + 1 == len(rows) else np.asarray(rows.to_numpy(zero_copy_only=False), np.int64)
        self._chunks.append(_Chunk(first, fingerprints(keys), numbers))
        self._index = None

    def index_only(self) -> None:
        """Keep only the index of distinct fingerprints (what foreign keys into this key look up)."""
        self.index()
        self._chunks = []

    def release(self) -> None:
        """Forget the keys (once nothing will look at them again), so their memory goes back."""
        self._chunks, self._index, self._repeated = [], None, None

    def chunks(self) -> list[_Chunk]:
        return sorted(self._chunks, key=lambda c: c.first_row)

    def __len__(self) -> int:
        return sum(len(c.fps) for c in self._chunks)

    def index(self) -> KeyIndex:
        """The distinct fingerprints (what a foreign key into this column is looked up in); one sort, kept."""
        if self._index is None:
            if not self._chunks:
                self._index, self._repeated = KeyIndex(np.empty(0, U64)), np.empty(0, U64)
            else:
                # one sorted copy of the fingerprints (8 bytes a key) and a block's masks at a time: no more
                every = np.concatenate([c.fps for c in self._chunks])
                every.sort()
                self._repeated = _repeats(every)
                self._index = KeyIndex(_drop_repeats(every) if len(self._repeated) else every)
        return self._index

    def repeated(self) -> Any:
        """The fingerprints that occur more than once (sorted, distinct; empty in a valid file)."""
        self.index()
        assert self._repeated is not None
        return self._repeated

    def missing_from(self, index: KeyIndex) -> Any:
        """Row numbers, in order, of the keys not in ``index``.

        The chunks are looked up on both threads at once (NumPy's sorts and searches release
        the GIL): at the end of a file no batch is being checked.
        """
        def absent(chunk: _Chunk) -> Any:
            return chunk.row_numbers(~index.contains(chunk.fps))

        missing = list(in_parallel(absent, iter(self.chunks())))
        return np.concatenate(missing) if missing else np.empty(0, np.int64)


def _describe(fields: tuple[str, ...]) -> str:
    return ", ".join(fields)


def duplicate_rows(column: KeyColumn, shown: int | None = None) -> tuple[Any, Any, int]:
    """(later rows, the first row of each, how many in all) of the rows whose key fingerprint an earlier row has.

    The repeated fingerprints are known from the one sort of all of them (none in a
    valid file, and then this costs nothing more). The chunks are then walked in row
    order once, remembering for each repeated fingerprint only where it was first
    seen: memory grows with the keys that repeat, never with the rows. Only the first
    ``shown`` later rows are kept (all are counted). They are candidates until their
    texts are compared (``same_texts``).
    """
    repeated = column.repeated()
    empty = np.empty(0, np.int64)
    if not len(repeated):
        return empty, empty, 0
    first_row = np.full(len(repeated), -1, np.int64)
    later_parts: list[Any] = []
    first_parts: list[Any] = []
    kept = total = 0
    for chunk in column.chunks():
        at = np.searchsorted(repeated, chunk.fps)
        at[at == len(repeated)] = 0
        candidate = repeated[at] == chunk.fps
        if not candidate.any():
            continue
        index = at[candidate]
        rows = chunk.row_numbers(candidate)
        _, first_here = np.unique(index, return_index=True)
        new = first_row[index[first_here]] < 0
        first_row[index[first_here[new]]] = rows[first_here[new]]
        is_later = np.ones(len(index), bool)
        is_later[first_here[new]] = False
        total += int(is_later.sum())
        if shown is None or kept < shown:
            take = np.flatnonzero(is_later)
            if shown is not None:
                take = take[: shown - kept]
            later_parts.append(rows[take])
            first_parts.append(first_row[index[take]])
            kept += len(take)
    later = np.concatenate(later_parts) if later_parts else empty
    first = np.concatenate(first_parts) if first_parts else empty
    return later, first, total


def same_texts(later: Any, first: Any, total: int, texts: dict[int, str]) -> tuple[Any, Any, int]:
    """The candidate pairs whose key texts are equal: a pair whose texts differ was a fingerprint collision."""
    same = np.array([texts.get(int(a)) == texts.get(int(b)) for a, b in zip(later, first, strict=True)], bool)
    if not same.all():
        later, first, total = later[same], first[same], total - int((~same).sum())
    return later, first, total


def _asked_rows(later: Any, first: Any) -> Any:
    return np.unique(np.concatenate([later, first]))


def report_duplicates(
    column: KeyColumn, file: str, sink: Findings, pending: PendingTexts, *, code: str, column_number: int | None
) -> None:
    """Every row whose key an earlier row already has, naming that earlier row (once its texts are read)."""
    later, first, total = duplicate_rows(column, sink.limit)
    if not total:
        return

    def then(texts: dict[int, str]) -> None:
        _emit_duplicates(column.fields, file, sink, *same_texts(later, first, total, texts), texts, code=code,
                         column_number=column_number)

    pending.ask(column.fields, _asked_rows(later, first), then)


def _emit_duplicates(fields: tuple[str, ...], file: str, sink: Findings, later: Any, first: Any, total: int,
                     texts: dict[int, str], *, code: str, column_number: int | None) -> None:
    if not total:
        return
    shown = len(later)
    details = pa.array([f"same as row {f}" for f in first[:shown].tolist()], pa.string())
    values = pa.array([texts.get(int(row)) for row in later[:shown].tolist()], pa.string())
    name = _describe(fields)
    what = "primary key" if code == "primary-key" else "value"
    if shown:
        emit(
            sink,
            file,
            pa.array(later[:shown], pa.int64()),
            all_true(shown),
            code=code,
            message=f"duplicate {what} ({name})",
            expected=f"a {name} no other row has",
            column=fields[0],
            column_number=column_number,
            values=pc.replace_substring(values, SEPARATOR, ", "),
            details=details,
        )
    sink.count(file, total - shown)


def _shown(sink: Findings, total: int) -> int:
    """How many of ``total`` findings (in row order) could be kept: the rest are only counted."""
    return total if sink.limit is None else min(sink.limit, total)


@dataclass(frozen=True)
class Reference:
    """A foreign key as checked: what it refers to, for messages, and the referenced keys once known."""

    fields: tuple[str, ...]
    target_name: str
    target_fields: tuple[str, ...]
    column_number: int | None


def _emit_missing(sink: Findings, file: str, rows: Array, values: Array, ref: Reference) -> None:
    emit(
        sink,
        file,
        rows,
        all_true(len(rows)),
        code="foreign-key",
        message=f"not found in {ref.target_name}",
        expected=f"a value of {_describe(ref.target_fields)} that exists there",
        column=ref.fields[0],
        column_number=ref.column_number,
        values=pc.replace_substring(values, SEPARATOR, ", "),
    )


def report_missing_keys(
    keys: Array, rows: Array, target: KeyIndex, file: str, sink: Findings, ref: Reference, cells: Cells | None = None
) -> None:
    """Every row of a batch whose (non-missing) foreign key is not in ``target``.

    ``cells``, the key's one text column when it repeats itself, lets each distinct value be looked up once.
    """
    if not len(keys):
        return
    present = as_mask(pc.is_valid(keys))
    if cells is not None and cells.distinct is not None and pa.types.is_string(cells.value.type):
        values, indices = cells.distinct
        known = pa.array(target.contains(fingerprints(pc.fill_null(values, ""))), pa.bool_())
        found = as_mask(pc.take(known, indices))
    else:
        filled = pc.fill_null(keys, "")
        found = pa.array(target.contains(fingerprints(filled)), pa.bool_())
    missing = pc.and_(present, pc.invert(found))
    if not true_count(missing):
        return
    _emit_missing(sink, file, pc.filter(rows, missing), pc.filter(keys, missing), ref)


def report_missing_later(
    source: KeyColumn, target: KeyIndex, file: str, sink: Findings, ref: Reference, pending: PendingTexts
) -> None:
    """A foreign key checked once the whole file is read (into the table itself, or one read after it).

    The rows are known now; their values are shown once the file is read again (``pending``).
    """
    missing = source.missing_from(target)
    if not len(missing):
        return
    shown = missing[: _shown(sink, len(missing))]
    sink.count(file, len(missing) - len(shown))

    def then(texts: dict[int, str]) -> None:
        if len(shown):
            values = pa.array([texts.get(int(row)) for row in shown.tolist()], pa.string())
            _emit_missing(sink, file, pa.array(shown, pa.int64()), values, ref)

    pending.ask(source.fields, shown, then)
