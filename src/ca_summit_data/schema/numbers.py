"""Numbers as written: read exactly, never through a binary float, and counted digit by digit.

A money amount is published exactly as its source gives it, or refused. So every number
that reaches a model or the validator as text (a YAML scalar, a JSON number, a CSV cell)
is read here as a ``Decimal`` from its own characters, and its digits are counted from
the written form, without arithmetic that could overflow or round (``1e999999999999``
and ``1e-999999999`` are ordinary inputs, not crashes).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..limits import MAX_DECIMAL_EXPONENT, MAX_NUMBER_CHARS

PLAIN_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
"""An integer in plain decimal digits: no leading zero (YAML 1.1 reads ``010`` as 8), no ``_`` or ``:``."""
PLAIN_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
"""A decimal number, optionally with an exponent; nothing else (no ``_``, ``.inf``, ``0x``, ``1:30``)."""


class NotANumber(ValueError):
    """Text that is not a number we read exactly; the message says why."""


def exact_integer(text: str) -> int:
    """The integer ``text`` writes in plain decimal digits, or ``NotANumber``."""
    if len(text) > MAX_NUMBER_CHARS:
        raise NotANumber(f"a number of more than {MAX_NUMBER_CHARS} characters")
    if PLAIN_INTEGER.fullmatch(text) is None:
        raise NotANumber(f"{text[:40]!r} is not a whole number in plain decimal digits")
    return int(text)


def exact_decimal(text: str) -> Decimal:
    """The decimal ``text`` writes, exactly, or ``NotANumber`` (not finite, too long, exponent too large)."""
    if len(text) > MAX_NUMBER_CHARS:
        raise NotANumber(f"a number of more than {MAX_NUMBER_CHARS} characters")
    if PLAIN_DECIMAL.fullmatch(text) is None:
        raise NotANumber(f"{text[:40]!r} is not a finite decimal number")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise NotANumber(f"{text!r} is not a decimal number") from None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if abs(exponent) > MAX_DECIMAL_EXPONENT:
        raise NotANumber(f"{text[:40]!r} has an exponent beyond ±{MAX_DECIMAL_EXPONENT}")
    return value


def digits(value: Decimal) -> tuple[int, int] | None:
    """(digits before the point, digits after it) of a finite decimal; None if it is not finite.

    Trailing zeros after the point do not count (``1.50`` has one decimal place), and a
    lone zero before the point counts as one digit, as Pydantic counts them. Only the
    written digits and exponent are looked at: no rounding, no overflow, whatever the size.
    """
    if not value.is_finite():
        return None
    _, written, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    significant = list(written)
    while exponent < 0 and len(significant) > 1 and significant[-1] == 0:
        significant.pop()
        exponent += 1
    if exponent < 0 and significant == [0]:
        return 1, 0
    if exponent >= 0:
        return len(significant) + exponent, 0
    after = -exponent
    return max(len(significant) - after, 0), after


def fits(value: Decimal, whole: int, places: int) -> str | None:
    """None if ``value`` is finite with at most ``whole`` digits before the point and ``places`` after; else why not."""
    counted = digits(value)
    if counted is None:
        return "is not a finite number"
    before, after = counted
    if after > places:
        return f"has more than {places} decimal places"
    if before > whole:
        return f"has more than {whole} digits before the decimal point"
    return None
