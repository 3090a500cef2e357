"""Arrow helpers for the checks of the schema layer and the validator: masks, patterns, text tests.

Imported only where Arrow arrays are checked (the validator, and the Arrow side of the
column types' rules), never by ``import ca_summit_data`` or by the models.

``pc`` is ``pyarrow.compute`` typed loosely: checks chain compute functions whose
results (array, chunked array or scalar) depend on their inputs at run time; pyarrow's
stubs cannot follow that and reject correct code. The validator's own functions are
fully typed; calls into ``pyarrow.compute`` go through this one ``Any``-typed handle.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as _compute

from .utf8_bytes import Utf8Bytes, as_arrow, as_ranges, ascii_shape

pc: Any = _compute
Array = Any
"""A pyarrow Array; kept loose because pyarrow's stubs do not follow compute results precisely."""


class ColumnView(Protocol):
    """One column of a batch as the rules of a column type see it (the validator's ``Cells``)."""

    value: Array
    """The canonical typed values."""
    clean: Array | None
    """Present, well typed and within every constraint: what further rules look at."""
    distinct: tuple[Array, Array] | None
    """For a column that repeats itself: its distinct values and each row's index into them."""

    def by_value(self, check: Callable[[Array], Array]) -> Array: ...
    def printable(self) -> Array: ...
    def shown(self) -> Array: ...


def open_native(path: Path) -> Any:
    """A pyarrow native file opened from the path's bytes.

    A name pyarrow cannot encode (an undecodable byte in it) still opens, and pyarrow,
    given a file rather than a name, never guesses a compression from the name: a
    compressed file is not expanded silently.
    """
    native: Any = pa.OSFile
    return native(os.fsencode(path), "r")


def _bits(length: int, fill: bytes) -> Array:
    return pa.Array.from_buffers(pa.bool_(), length, [None, pa.py_buffer(fill * ((length + 7) // 8))])


def all_false(length: int) -> Array:
    return _bits(length, b"\x00")


def all_true(length: int) -> Array:
    return _bits(length, b"\xff")


_BASE: list[Array] = []


def counting(start: int, length: int) -> Array:
    """start, start + 1, … (``length`` int64 values): one addition to a kept 0, 1, 2, … array."""
    if not _BASE or len(_BASE[0]) < length:
        size = max(length, 1 << 16)
        ones = pa.Array.from_buffers(pa.int8(), size, [None, pa.py_buffer(b"\x01" * size)])
        _BASE[:] = [pc.subtract(pc.cumulative_sum(pc.cast(ones, pa.int64())), 1)]
    return pc.add(_BASE[0].slice(0, length), start)


def as_mask(array: Array) -> Array:
    """A boolean array with nulls read as False."""
    return array if array.null_count == 0 else pc.fill_null(array, False)


def true_count(mask: Array) -> int:
    count = pc.sum(mask).as_py()
    return int(count or 0)


def failing_distinct(values: Array, where: Array, ok: Callable[[str], bool]) -> Array:
    """Rows in ``where`` whose value fails ``ok``, calling ``ok`` once per distinct value."""
    if true_count(where) == 0:
        return where
    distinct = pc.drop_null(pc.unique(pc.filter(values, where))).to_pylist()
    bad = [v for v in distinct if not ok(v)]
    if not bad:
        return pc.and_(where, pc.invert(where))
    return pc.and_(where, as_mask(pc.is_in(values, value_set=pa.array(bad, values.type))))


# --------------------------------------------------------------------------- patterns

_PYTHON_ONLY = re.compile(r"\\[dDwWsSbBZAz0-9]|\(\?[=!<P]")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


@cache
def re2_form(pattern: str) -> str | None:
    """The pattern as an anchored RE2 expression, or None if only Python's ``re`` reads it the same.

    A Table Schema pattern is an XML Schema / Python-style regular expression that must
    match the whole value. Arrow's RE2 is fast but differs from Python's ``re`` in a few
    places: ``\\uXXXX`` escapes (translated here), Unicode-aware ``\\d \\w \\s \\b``,
    look-arounds and back-references. A pattern using those is checked with Python's
    ``re``, on the distinct values of each batch only, so the verdict is Python's.
    """
    if _PYTHON_ONLY.search(pattern):
        return None
    translated = _UNICODE_ESCAPE.sub(lambda m: "\\x{" + (m.group(1) or m.group(2)) + "}", pattern)
    anchored = f"^(?:{translated})$"
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), anchored)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return anchored


@cache
def python_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(f"^(?:{pattern})$")


_NEGATED_CLASS = re.compile(r"\^?\[\^[^\]]+\]\+\$?")
_ASCII_CONTROLS = frozenset([*range(32), 127])


@cache
def excludes_exactly_ascii_controls(pattern: str) -> bool:
    """True for a pattern ``^[^…]+$`` whose class excludes, of ASCII, exactly the control characters.

    Our free-text pattern is one: for an ASCII value it then means "every character is
    printable ASCII", which Arrow's ``ascii_is_printable`` answers several times faster
    than a regular expression. Which ASCII characters the class excludes is asked of
    Python's ``re`` itself, so the shortcut cannot disagree with the pattern.
    """
    if _NEGATED_CLASS.fullmatch(pattern) is None:
        return False
    compiled = python_pattern(pattern)
    excluded = {c for c in range(128) if compiled.fullmatch(chr(c)) is None}
    return excluded == _ASCII_CONTROLS


def matches(values: Array, pattern: str, printable: Array | None = None) -> Array:
    """For each string (null stays false), whether the whole of it matches ``pattern``.

    ``printable`` may pass ``ascii_is_printable`` of the values, when the caller has it, or any mask of
    values known to hold no character the pattern's class excludes (``quiet`` text, for our free-text pattern).
    """
    anchored = re2_form(pattern)
    if anchored is not None and excludes_exactly_ascii_controls(pattern):
        printable = as_mask(pc.ascii_is_printable(values)) if printable is None else printable
        verdict = pc.and_(printable, as_mask(pc.greater(pc.binary_length(values), 0)))
        others = pc.and_(pc.invert(printable), pc.is_valid(values))  # non-ASCII (or control) values: RE2
        if pc.any(others).as_py():
            regex = as_mask(pc.match_substring_regex(pc.filter(values, others), anchored))
            verdict = pc.replace_with_mask(verdict, others, regex)
        return verdict
    if anchored is not None:
        shape = ascii_shape(pattern)
        view = Utf8Bytes.of(values) if shape is not None else None
        verdict = shape.matching(view) if shape is not None and view is not None else None
        if verdict is not None:  # ASCII classes: judged on the bytes, no RE2 call a text
            return _present(values, verdict)
        return as_mask(pc.match_substring_regex(values, anchored))
    compiled = python_pattern(pattern)
    distinct = pc.drop_null(pc.unique(values)).to_pylist()
    good = [v for v in distinct if compiled.fullmatch(v) is not None]
    return as_mask(pc.is_in(values, value_set=pa.array(good, pa.string())))


# --------------------------------------------------------------------------- text

SPACE_CLASS = r"[\t\n\x0b\f\r\x1c-\x1f \x{85}\p{Z}]"
"""What Python's str.strip() removes (the models' test), as an RE2 character class."""


@cache
def noisy_class() -> str:
    """An RE2 class of the characters that make plain text need a closer look (``quiet``).

    They are the forbidden characters (controls, bidirectional marks), every character that can
    make a text other than its NFC form, and every white space but the ASCII space (what Python's
    ``str.strip`` removes, which is the models' test, and every separator, ``SPACE_CLASS``'s
    ``\\p{Z}``). The class for the Unicode version of the Python we test on is stored
    (``unicode_data``), so a run does not spend 0.1 s working it out; any other Python works it
    out once, on first use.
    """
    import unicodedata

    from . import unicode_data

    if unicodedata.unidata_version == unicode_data.UNIDATA_VERSION:
        return unicode_data.NOISY_CLASS
    from .text import noisy_class_computed

    return noisy_class_computed()


QUIET_FROM = 1024
"""Texts other than printable ASCII, in one batch, from which ``quiet`` looks at them with ``noisy_class``;
below it a text is quiet only if it is printable ASCII, which is always exact."""


def quiet(values: Array, printable: Array | None = None) -> Array:
    """Whether each text is printable ASCII or holds no character of ``noisy_class`` (null: false).

    A quiet text has no forbidden character, is in NFC, and has no white space but the ASCII
    space: the plain-text checks then need only Arrow's ASCII kernels for it. One RE2 pass over
    the texts that are not printable ASCII answers all three questions for them.
    """
    printable = as_mask(pc.ascii_is_printable(values)) if printable is None else printable
    others = pc.and_(pc.invert(printable), pc.is_valid(values))
    if true_count(others) < QUIET_FROM:  # a few texts: the checks' own slow paths cost less than the class
        return printable
    calm = pc.invert(as_mask(pc.match_substring_regex(pc.filter(values, others), noisy_class())))
    return pc.replace_with_mask(printable, others, calm)


def holds_any_of(values: Array, characters: str) -> Array:
    """Whether each text holds one of the ASCII ``characters`` (a null text: false).

    One NumPy pass over the column's bytes, where Arrow's substring search would be a pass per character.
    """
    view = Utf8Bytes.of(values)
    found = None
    if view is not None and characters.isascii():  # an empty column too: its view holds no bytes
        found = view.holding(as_ranges({ord(c) for c in characters}), len(view))
    if found is not None:
        return _present(values, found)
    verdict = all_false(len(values))
    for character in characters:
        verdict = pc.or_(verdict, as_mask(pc.match_substring(values, character)))
    return verdict


def _present(values: Array, verdict: Any) -> Array:
    """A NumPy verdict as Arrow, false where the value is null."""
    answer = as_arrow(verdict)
    return pc.and_(answer, pc.is_valid(values)) if values.null_count else answer


def starts_with_any(values: Array, prefixes: frozenset[str]) -> Array:
    """Whether each text starts with one of ``prefixes`` (a null text: never true).

    Prefixes of one ASCII character are looked up from each text's first byte, several times
    faster than an anchored RE2 expression, whose cost per text dominates on short reads.
    """
    view = Utf8Bytes.of(values)
    if view is not None and all(len(p) == 1 and p.isascii() for p in prefixes):
        first, has = view.byte_at(0)
        return _present(values, has & np.isin(first, [ord(p) for p in prefixes]))
    expression = "^(?:" + "|".join(re.escape(p) for p in sorted(prefixes)) + ")"
    return pc.match_substring_regex(values, expression)


def outer_space(values: Array, printable: Array | None = None) -> Array:
    """Whether each value starts or ends with white space (as ``str.strip`` sees it).

    In printable ASCII (and in ``quiet`` text, which a caller may pass as ``printable``) the only
    white space is the space character, found with two cheap prefix/suffix tests; other values go
    through RE2, as two anchored expressions (several times faster than one with an alternation).
    """
    verdict = as_mask(pc.or_(pc.starts_with(values, " "), pc.ends_with(values, " ")))
    printable = as_mask(pc.ascii_is_printable(values)) if printable is None else printable
    others = pc.and_(pc.invert(printable), pc.is_valid(values))
    if pc.any(others).as_py():
        rest = pc.filter(values, others)
        spaced = pc.or_(pc.match_substring_regex(rest, f"^{SPACE_CLASS}"),
                        pc.match_substring_regex(rest, f"{SPACE_CLASS}$"))
        verdict = pc.replace_with_mask(verdict, others, as_mask(spaced))
    return verdict


def has_bad_item(lists: Array, pattern: str) -> Array:
    """For each list, whether one of its items does not match ``pattern`` (each distinct item checked once)."""
    items = pc.list_flatten(lists)
    if not len(items):
        return all_false(len(lists))
    codes = pc.dictionary_encode(items)
    bad_items = pc.invert(as_mask(pc.take(matches(codes.dictionary, pattern), codes.indices)))
    if not true_count(bad_items):
        return all_false(len(lists))
    parents = pc.filter(pc.list_parent_indices(lists), bad_items)
    return as_mask(pc.is_in(counting(0, len(lists)), value_set=pc.cast(parents, pa.int64())))
