"""Text columns read as their UTF-8 bytes with NumPy: the tests whose answer lies in a few bytes.

Why: Arrow calls RE2 once per text, and on short texts such as identifiers that call, not the
bytes, is most of the cost. A value of ASCII classes (``^[a-z][a-z0-9_]*$``, our identifiers)
is its bytes, tested position by position with NumPy comparisons over the column's whole
buffer, three to four times faster than RE2 on our identifier columns; a text's first byte
answers a one-character prefix, and a pass over a number column's bytes finds the texts with
an exponent. The answers are exact by construction; a pattern of any other form goes to the
caller's regular expression. Imported only with the Arrow checks (``arrays``).

(Tried and not kept: finding the texts that may hold a character of a large Unicode class from
their lead bytes. On free text, NumPy's passes over every byte cost as much as RE2's calls.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa

Array = Any
"""A pyarrow Array (kept loose, as in ``arrays``)."""


@dataclass(frozen=True)
class Utf8Bytes:
    """A string array's offsets and bytes as NumPy views (no copy)."""

    offsets: Any
    """int64, one more than the values: value ``i`` is ``data[offsets[i]:offsets[i + 1]]``."""
    data: Any
    """uint8, the array's whole data buffer (positions are those of ``offsets``)."""

    @staticmethod
    def of(values: Array) -> Utf8Bytes | None:
        """The bytes of a string or large string array; None for any other type."""
        if pa.types.is_string(values.type):
            width: Any = np.int32
        elif pa.types.is_large_string(values.type):
            width = np.int64
        else:
            return None
        buffers: list[Any] = values.buffers()
        _, offsets_buffer, data_buffer = buffers
        count = len(values)
        if offsets_buffer is None:  # an empty array
            return Utf8Bytes(np.zeros(count + 1, np.int64), np.empty(0, np.uint8))
        offsets = np.frombuffer(offsets_buffer, width)[values.offset : values.offset + count + 1]
        offsets = offsets.astype(np.int64, copy=False)  # large strings' offsets are used as they are
        data = np.frombuffer(data_buffer, np.uint8) if data_buffer is not None else np.empty(0, np.uint8)
        return Utf8Bytes(offsets, data)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def lengths(self) -> Any:
        return np.diff(self.offsets)

    def used(self) -> Any:
        """The bytes the values span (a view)."""
        return self.data[self.offsets[0] : self.offsets[-1]]

    def rows_of(self, positions: Any) -> Any:
        """For each value, whether one of ``positions`` (into ``data``, ascending) lies in it."""
        hit = np.zeros(len(self), bool)
        if len(positions):
            hit[np.searchsorted(self.offsets, positions, side="right") - 1] = True
        return hit

    def positions(self, ranges: tuple[tuple[int, int], ...], most: int, *, inside: bool = True) -> Any | None:
        """Where (into ``data``, ascending) the values' bytes lie in ``ranges``, or out of them (``inside``
        false); None past ``most`` such bytes, whose positions would take 8 bytes each."""
        found = in_ranges(self.used(), ranges)
        if not inside:
            found = ~found
        if np.count_nonzero(found) > most:
            return None
        return np.flatnonzero(found) + self.offsets[0]

    def holding(self, ranges: tuple[tuple[int, int], ...], most: int) -> Any | None:
        """For each value, whether one of its bytes lies in ``ranges``; None past ``most`` such bytes."""
        found = self.positions(ranges, most)
        return None if found is None else self.rows_of(found)

    def byte_at(self, index: int) -> tuple[Any, Any]:
        """(the byte ``index`` places from the start of each value; whether the value has one)."""
        has = self.lengths() > index
        at = self.offsets[:-1] + index
        found = np.zeros(len(self), np.uint8)
        found[has] = self.data[at[has]]
        return found, has


def in_ranges(data: Any, ranges: tuple[tuple[int, int], ...]) -> Any:
    """For each byte, whether it lies in one of the inclusive ``ranges`` (a bool array)."""
    inside = np.zeros(len(data), bool)
    for low, high in ranges:
        if low == high:
            inside |= data == low
        elif low == 0:
            inside |= data <= high
        elif high == 255:
            inside |= data >= low
        else:
            inside |= (data >= low) & (data <= high)
    return inside


def as_ranges(members: set[int]) -> tuple[tuple[int, int], ...]:
    """The inclusive ranges that make up ``members``."""
    ranges: list[tuple[int, int]] = []
    for value in sorted(members):
        if ranges and ranges[-1][1] == value - 1:
            ranges[-1] = (ranges[-1][0], value)
        else:
            ranges.append((value, value))
    return tuple(ranges)


# --------------------------------------------------------------------------- ASCII class sequences


@dataclass(frozen=True)
class AsciiShape:
    """A pattern made of ASCII classes: fixed ones, then one that repeats (``^[a-z][a-z0-9_]*$``)."""

    head: tuple[tuple[tuple[int, int], ...], ...]
    """The byte ranges of each fixed position, in order."""
    tail: tuple[tuple[int, int], ...]
    """The byte ranges every later byte must lie in."""
    least: int
    """Fewest bytes after the head."""
    most: int | None
    """Most bytes after the head (None: no limit)."""

    def matching(self, view: Utf8Bytes, most_strays: int | None = None) -> Any | None:
        """For each value, whether the whole of it matches (a bool array; a null value's answer is meaningless).

        None when more bytes stray from the classes than ``most_strays`` (by default, than there are
        values: a column of other text): their positions would take 8 bytes each, and RE2 answers
        such a column as fast.
        """
        lengths = view.lengths() - len(self.head)
        good = lengths >= self.least
        if self.most is not None:
            good &= lengths <= self.most
        for index, ranges in enumerate(self.head):
            found, has = view.byte_at(index)
            good &= has & in_ranges(found, ranges)
        strays = view.positions(self.tail, len(view) if most_strays is None else most_strays, inside=False)
        if strays is None:
            return None
        if len(strays) and self.head:  # a byte of the head is judged by its own class above
            rows = np.searchsorted(view.offsets, strays, side="right") - 1
            strays = strays[strays - view.offsets[rows] >= len(self.head)]
        return good & ~view.rows_of(strays)


_SET_OPERATIONS = ("--", "&&", "~~", "||")
"""What Python's ``re`` warns may one day mean set operations inside a class: left to RE2."""
_ITEM = re.compile(r"\[([^\]\\\[^][^\]\\\[]*)\](\*|\+|\{(\d+)\})?")


@cache
def ascii_shape(pattern: str) -> AsciiShape | None:
    """The pattern as ASCII classes, when it is one (fixed classes, then at most one repeating); else None.

    Each class's members are asked of Python's ``re`` itself, byte by byte, so the shape cannot
    disagree with the pattern. A class written with only printable ASCII, no escape and no
    negation holds only ASCII characters, which is what lets a byte stand for a character.
    """
    body = pattern[1:] if pattern.startswith("^") else pattern
    body = body[:-1] if body.endswith("$") and not body.endswith("\\$") else body
    items: list[tuple[tuple[tuple[int, int], ...], int, int | None]] = []
    at = 0
    while at < len(body):
        found = _ITEM.match(body, at)
        if found is None:
            return None
        text, quantifier, count = found.groups()
        if not all(" " <= c <= "~" for c in text) or any(pair in text for pair in _SET_OPERATIONS):
            return None
        try:
            members = {b for b in range(0x80) if re.fullmatch(f"[{text}]", chr(b)) is not None}
        except re.error:
            return None
        ranges = as_ranges(members)
        if quantifier in (None, "") or count is not None:
            times = 1 if count is None else int(count)
            items.append((ranges, times, times))
        else:
            items.append((ranges, 0 if quantifier == "*" else 1, None))
        at = found.end()
    if not items:
        return None
    head: list[tuple[tuple[int, int], ...]] = []
    for ranges, least, most in items[:-1]:
        if least != most or least > 8:
            return None
        head.extend([ranges] * least)
    tail, least, most = items[-1]
    return AsciiShape(tuple(head), tail, least, most)


def as_arrow(mask: Any) -> Array:
    """A NumPy bool array as an Arrow boolean array."""
    return pa.array(mask, pa.bool_())
