"""JSON in and out: the one reader of JSON input and the one writer of the JSON we publish.

Reading takes bounds and exactness from the rest of the project: numbers in records are
read as ``Decimal`` from their own digits (a binary float would round money) and ``NaN``
and ``Infinity`` there are refused (descriptors may hold them, as Python's and
frictionless's readers allow); integers of any length are refused past
``MAX_NUMBER_CHARS`` before Python tries to convert them; nesting is bounded; a key given twice is an error,
and text that is not Unicode (an unpaired surrogate such as ``\\ud800``) is refused
before anything prints it.
"""

from __future__ import annotations

import json
from typing import Any

from .limits import MAX_JSON_DEPTH
from .schema.numbers import NotANumber, exact_decimal, exact_integer


class JsonError(ValueError):
    """JSON we do not read; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise JsonError(f"{name} is not a JSON number")


def _float_constant(name: str) -> float:
    return float(name)


def _float(text: str) -> float:
    exact_decimal(text)  # bounds: length and exponent
    return float(text)


def decoder(*, exact: bool = False) -> json.JSONDecoder:
    """A decoder with our rules (see the module): ``exact`` reads decimals as ``Decimal``, else as float."""
    return json.JSONDecoder(
        parse_float=exact_decimal if exact else _float,
        parse_int=exact_integer,
        parse_constant=_constant if exact else _float_constant,
        object_pairs_hook=_unique,
    )


def loads(text: str, *, exact: bool = False, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON text. ``exact`` reads decimals as ``Decimal`` (records); else as float (descriptors)."""
    try:
        value = decoder(exact=exact).decode(text)
    except json.JSONDecodeError as exc:
        raise JsonError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno) from None
    except NotANumber as exc:
        raise JsonError(f"a number we do not read: {exc}") from None
    except RecursionError:
        raise JsonError(f"nested more than {max_depth} levels deep") from None
    check_shape(value, max_depth)
    return value


def check_shape(value: Any, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse nesting deeper than ``max_depth`` and text with unpaired surrogates (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _text(item)
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise JsonError(f"nested more than {max_depth} levels deep")
            if isinstance(item, dict):
                for key, child in item.items():
                    _text(key)
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def _text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        raise JsonError(f"text holds an unpaired surrogate (U+{ord(bad):04X}), which is not Unicode text") from None


def dumps(document: Any) -> bytes:
    """The one JSON text format we publish: 2-space indent, UTF-8, a final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
