"""The byte-level text tests (``schema/utf8_bytes``) answer exactly as the expressions they stand for."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ca_summit_data.schema import arrays
from ca_summit_data.schema.utf8_bytes import Utf8Bytes, ascii_shape

# Characters from the places that matter: printable ASCII, ASCII controls, Latin letters, combining
# marks and C1 controls, Cyrillic, Greek, white space of every kind, CJK, emoji.
CHARACTERS = st.sampled_from(
    [*"az_Z09 .-=+@\t\n\x7f\x00", "é", "Ō", "ß", "\u0301", "\u0085", "\u00a0", "ж", "Ғ", "\u0483", "ΐ",
     "\u0387", "\u2003", "\u200e", "日", "\u3000", "\uf900", "😀", "\U000e0001"])
TEXTS = st.lists(st.none() | st.text(CHARACTERS, max_size=12), max_size=40)


def _arrow(values: list[str | None], large: bool, cut: int) -> Any:
    """The values as a string (or large string) array, sliced so that its offsets do not start at 0."""
    array = pa.array(["pad"] * cut + values, pa.large_string() if large else pa.string())
    return array.slice(cut)


CLASS_TEXTS = ["a-z", "A-Z", "0-9", "a-z0-9_", "A-Za-z0-9._-", "0-9a-f", "_", "a-c.", " -~"]
CLASSES = st.sampled_from(CLASS_TEXTS)
ITEMS = st.tuples(CLASSES, st.sampled_from(["", "*", "+", "{2}", "{1}"]))
MEMBERS = {cls: [chr(b) for b in range(0x80) if re.fullmatch(f"[{cls}]", chr(b))] for cls in CLASS_TEXTS}


@st.composite
def near_misses(draw: Any, items: list[tuple[str, str]]) -> str:
    """A value that matches the items, with perhaps one character changed: near misses at every position."""
    text = ""
    for cls, quantifier in items:
        times = {"": 1, "{1}": 1, "{2}": 2, "*": draw(st.integers(0, 3)), "+": draw(st.integers(1, 3))}[quantifier]
        text += "".join(draw(st.sampled_from(MEMBERS[cls])) for _ in range(times))
    if text and draw(st.booleans()):
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(CHARACTERS) + text[at + 1 :]
    return text


@settings(deadline=None)  # the first example compiles the expressions it is compared with
@given(head=st.lists(st.tuples(CLASSES, st.sampled_from(["", "{2}"])), max_size=3), tail=ITEMS,
       data=st.data(), large=st.booleans(), cut=st.integers(0, 3))
def test_a_pattern_of_ascii_classes_matches_as_python_matches(head: list[tuple[str, str]], tail: tuple[str, str],
                                                              data: Any, large: bool, cut: int) -> None:
    values = data.draw(st.lists(st.none() | near_misses([*head, tail]) | st.text(CHARACTERS, max_size=8),
                                max_size=40))
    pattern = "^" + "".join(f"[{cls}]{quantifier}" for cls, quantifier in [*head, tail]) + "$"
    shape = ascii_shape(pattern)
    assert shape is not None
    compiled = re.compile(pattern)
    expected = [v is not None and compiled.fullmatch(v) is not None and "\n" not in v for v in values]
    array = _arrow(values, large, cut)
    assert arrays.matches(array, pattern).to_pylist() == expected
    view = Utf8Bytes.of(array)
    assert view is not None
    on_bytes = shape.matching(view, most_strays=len(view.data))  # the bytes' answer, however many strays
    assert on_bytes is not None
    assert [bool(b) for b, v in zip(on_bytes, values, strict=True) if v is not None] == \
        [e for e, v in zip(expected, values, strict=True) if v is not None]


@pytest.mark.parametrize(("pattern", "values"), [
    ("^[a-z][a-z0-9_]*$", ["a-", "a-b", "a", "", "-a", "ab_9", "aé", "A"]),  # a stray just after the head
    ("^[a-z]+$", ["", "a", "ab", "a b"]),
    ("^[A-Z]{3}$", ["AB", "ABC", "ABCD", "AbC", "ÅBC"]),
    ("^[A-Za-z0-9][A-Za-z0-9._-]*$", [".a", "a.", "a", "_a"]),
])
def test_edges_of_a_pattern_of_ascii_classes(pattern: str, values: list[str]) -> None:
    compiled = re.compile(pattern)
    assert arrays.matches(pa.array(values), pattern).to_pylist() == [compiled.fullmatch(v) is not None for v in values]


@given(pattern=st.sampled_from(["^[0-9]{4}(-[0-9]{2})?$", "^https?://[^\\s]+$", "^[a-z]{2,3}$", "^[^a]+$",
                                "^[a-z]|[0-9]$", "^[\\w]+$", "^[a-z]+x$", "^[a-z]*[0-9]+$", "^[a&&b]+$",
                                "^[a--]+$", "^[z-a]+$"]))
def test_other_patterns_are_left_to_a_regular_expression(pattern: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nor does reading one warn (Python's re on a class like [a&&b])
        assert ascii_shape(pattern) is None


@settings(deadline=None)
@given(values=TEXTS, prefixes=st.sets(st.sampled_from("=+-@az \t"), min_size=1), large=st.booleans(),
       cut=st.integers(0, 3))
def test_first_and_last_bytes_answer_prefix_and_space_tests(values: list[str | None], prefixes: set[str],
                                                            large: bool, cut: int) -> None:
    array = _arrow(values, large, cut)
    starts = arrays.starts_with_any(array, frozenset(prefixes)).to_pylist()
    assert starts == [v is not None and v[:1] in prefixes for v in values]
    spaced = arrays.outer_space(array).to_pylist()
    assert spaced == [v is not None and v != v.strip() for v in values]


def test_a_view_reads_the_array_it_was_given() -> None:
    array = pa.array(["ab", "", None, "cde"]).slice(1)
    view = Utf8Bytes.of(array)
    assert view is not None and len(view) == 3
    assert view.lengths().tolist() == [0, 0, 3]
    assert bytes(view.used()) == b"cde"
    assert Utf8Bytes.of(pa.array([1, 2])) is None


@given(values=TEXTS, characters=st.sets(st.sampled_from("az=Z0 \t"), min_size=1), large=st.booleans(),
       cut=st.integers(0, 3))
def test_holding_one_of_some_characters_is_a_plain_search(values: list[str | None], characters: set[str],
                                                          large: bool, cut: int) -> None:
    wanted = "".join(sorted(characters))
    found = arrays.holds_any_of(_arrow(values, large, cut), wanted).to_pylist()
    assert found == [v is not None and any(c in v for c in wanted) for v in values]
