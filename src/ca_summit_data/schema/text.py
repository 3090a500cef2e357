"""Plain text, the one rule for it: what a text value may contain, and how text is shown safely.

Our text values are one line of Unicode NFC with no control or bidirectional characters,
no white space at either end, and no first character that spreadsheet programs run as a
formula. The characters are declared once here (``FORBIDDEN_RANGES``); the JSON Schema
and Table Schema ``pattern``, the Python check the models run and the validator's Arrow
check are all made from this module.
"""

from __future__ import annotations

import unicodedata
from functools import cache

FORMULA_PREFIXES = frozenset("=+-@\t\r")
"""A CSV cell starting with one of these is run as a formula by spreadsheet programs.
We refuse such text at build time rather than alter it: a published value is always
exactly the value we wrote (see docs/reliability.md)."""

FORBIDDEN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x200E, 0x200E),
    (0x200F, 0x200F),
    (0x061C, 0x061C),
    (0x202A, 0x202E),
    (0x2066, 0x2069),
)
"""C0/C1 controls and the Unicode bidirectional marks, overrides and isolates, which make a
value display differently from what it contains. Never legitimate in our values."""

FORBIDDEN_CHARS = frozenset(chr(c) for low, high in FORBIDDEN_RANGES for c in range(low, high + 1))


def _class_part(low: int, high: int) -> str:
    return f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}"


TEXT_PATTERN = "^[^" + "".join(_class_part(low, high) for low, high in FORBIDDEN_RANGES) + "]+$"
"""The forbidden characters as a pattern (JSON Schema and Table Schema ``pattern``)."""


NFC_SCAN_END = 0x30000
"""Code points from here on are all in every ``character_class`` (none of them decomposes or combines in
Unicode 15, but a later version might): the class stays a superset whatever the Python's Unicode version."""


@cache
def nfc_suspect_points() -> frozenset[int]:
    """Every code point below ``NFC_SCAN_END`` that can make a text other than its NFC form.

    A text is in NFC unless it holds a character that NFC changes, one that combines with what
    precedes it (canonical combining class other than 0), the second of a pair NFC composes, or a
    Hangul vowel or final jamo (composed with the syllable before it). Texts without any of them are
    in NFC, so only the rest need normalising. Built once, on first use (a few hundredths of a second).
    """
    suspects = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for point in range(0x80, NFC_SCAN_END):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:  # the second of a pair NFC may compose (a singleton's target is already NFC)
                suspects.add(int(parts[1], 16))
        if unicodedata.combining(char) or unicodedata.normalize("NFC", char) != char:
            suspects.add(point)
    return frozenset(suspects)


def character_class(points: frozenset[int] | set[int]) -> str:
    """An RE2 character class of ``points`` and of every code point from ``NFC_SCAN_END`` on."""
    ranges: list[list[int]] = []
    for point in sorted(p for p in points if p < NFC_SCAN_END):
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    ranges.append([NFC_SCAN_END, 0x10FFFF])
    return "[" + "".join(rf"\x{{{low:x}}}-\x{{{high:x}}}" for low, high in ranges) + "]"


def plain_text_problem(value: str) -> str | None:
    """Why ``value`` is not plain text (the first reason), or None."""
    bad = sorted({f"U+{ord(ch):04X}" for ch in value if ch in FORBIDDEN_CHARS})
    if bad:
        return f"contains control or bidirectional characters ({', '.join(bad)})"
    if value != value.strip():
        return "has leading or trailing white space"
    if value[:1] in FORMULA_PREFIXES:
        return (
            f"starts with {value[0]!r}, which spreadsheet programs run as a formula; reword it "
            "(for example, start with a word)"
        )
    if unicodedata.normalize("NFC", value) != value:
        return "is not in Unicode normalisation form NFC"
    return None


_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Characters shown as escapes: controls (a newline in a file name could start a fake GitHub
workflow command such as ``::error::``), format characters (bidirectional overrides that make
text display differently from what it holds), unpaired surrogates (an undecodable byte in a
file name, which no stream can print), private-use and unassigned code points, and line and
paragraph separators."""


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal or a CI log: every character above escaped.

    Plain text (the usual case) is returned as it is, so this costs one scan.
    """
    if text.isprintable() and text.isascii():
        return text
    out = []
    for char in text:
        if unicodedata.category(char) in _ESCAPED_CATEGORIES:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def noisy_class_computed() -> str:
    """``arrays.noisy_class`` worked out from this Python's Unicode data (about 0.1 s).

    The forbidden characters, every character that can make a text other than its NFC
    form, and every white space but the ASCII space, as one RE2 class. It lives beside the
    Unicode facts it is made of; ``unicode_data`` stores its result for one Unicode version.
    """
    points = set(nfc_suspect_points())
    for low, high in FORBIDDEN_RANGES:
        points.update(range(low, high + 1))
    points.update(c for c in range(0x80, NFC_SCAN_END) if chr(c).isspace() or unicodedata.category(chr(c))[0] == "Z")
    return character_class(points)
