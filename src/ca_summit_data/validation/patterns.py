"""Table Schema ``pattern`` constraints, checked with RE2 in Arrow, or with Python's ``re`` when RE2 cannot.

A Table Schema pattern is an XML Schema / Python-style regular expression that must
match the whole value. Arrow's RE2 is fast but differs from Python's ``re`` in a few
places: ``\\uXXXX`` escapes (translated here), Unicode-aware ``\\d \\w \\s \\b``,
look-arounds and back-references. A pattern using those is checked with Python's
``re``, on the distinct values of each batch only, so the verdict is Python's.
"""

from __future__ import annotations

import re
from functools import cache

import pyarrow as pa

from .arrow import pc
from .batch import Array, as_mask

_PYTHON_ONLY = re.compile(r"\\[dDwWsSbBZAz0-9]|\(\?[=!<P]")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


@cache
def re2_form(pattern: str) -> str | None:
    """The pattern as an anchored RE2 expression, or None if only Python's ``re`` reads it the same."""
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
def _python(pattern: str) -> re.Pattern[str]:
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
    compiled = _python(pattern)
    excluded = {c for c in range(128) if compiled.fullmatch(chr(c)) is None}
    return excluded == _ASCII_CONTROLS


def matches(values: Array, pattern: str, printable: Array | None = None) -> Array:
    """For each string (null stays false), whether the whole of it matches ``pattern``.

    ``printable`` may pass ``ascii_is_printable`` of the values, when the caller has it.
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
        return as_mask(pc.match_substring_regex(values, anchored))
    compiled = _python(pattern)
    distinct = pc.drop_null(pc.unique(values)).to_pylist()
    good = [v for v in distinct if compiled.fullmatch(v) is not None]
    return as_mask(pc.is_in(values, value_set=pa.array(good, pa.string())))
