"""Dates, times, years and durations as Table Schema writes them, read a whole column at a time.

Helpers of ``fieldtypes`` (imported only where Arrow arrays are checked). The default
lexical forms are XML Schema's (``dateTime``, ``time``, ``gYear``, ``gYearMonth``,
``duration``), as the Table Schema specification says; they are matched with RE2 and
assembled with Arrow arithmetic, so a column of a million timestamps costs a few
kernels, not a million Python calls. A ``format`` pattern (strftime-like) or ``any`` is
read with Python (``datetime.strptime``, ``dateutil``), once per distinct value.

Canonical values: ``date32`` days, ``time64[us]`` and ``timestamp[us]`` in UTC (a value
with a time-zone offset is moved to UTC; one without is taken as it is written), years
as ``int64``, a year and month as the ``int64`` count of months since year 0, and a
duration as its canonical text ``PnMTsS`` (months, and seconds written exactly), since
durations are only partially ordered (``P1M`` is neither more nor less than ``P30D``)
and are compared in Python, once per distinct value, as XML Schema compares them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import pyarrow as pa

from .arrays import Array, as_mask, pc

US_PER_DAY = 86_400_000_000
FIRST_DAY = -719_162
"""0001-01-01 as days since 1970-01-01: Arrow reads year 0, Python's dates (and frictionless) start at year 1."""
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_TZ = r"(?P<tz>Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
TIME_RE = r"^(?P<h>[0-9]{2}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2})(?P<f>\.[0-9]+)?" + _TZ + "$"
DATETIME_RE = (r"^(?P<d>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?P<h>[0-9]{2}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2})(?P<f>\.[0-9]+)?"
               + _TZ + "$")
YEAR_RE = r"^(?P<y>-?(?:[1-9][0-9]{3,17}|0[0-9]{3}))" + _TZ + "$"
YEARMONTH_RE = r"^(?P<y>-?(?:[1-9][0-9]{3,16}|0[0-9]{3}))-(?P<mo>0[1-9]|1[0-2])" + _TZ + "$"


def _days_in_month(year: Array, month: Array) -> Array:
    table = pa.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], pa.int64())
    days = pc.take(table, pc.subtract(pc.max_element_wise(pc.min_element_wise(month, 12), 1), 1))

    def divisible(n: int) -> Array:
        return pc.equal(pc.multiply(pc.divide(year, n), n), year)

    leap = pc.and_(divisible(4), pc.or_(pc.invert(divisible(100)), divisible(400)))
    return pc.add(days, pc.cast(pc.and_(leap, pc.equal(month, 2)), pa.int64()))


def parse_default_date(candidate: Array) -> tuple[Array, Array | None]:
    """``YYYY-MM-DD`` cells as ``date32`` (years 1 to 9999, as Python's dates); ok is None when all are."""
    try:
        value = pc.cast(candidate, pa.date32())
        earliest = pc.min(pc.cast(value, pa.int32())).as_py()
        if earliest is None or earliest >= FIRST_DAY:
            return value, None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    shaped = as_mask(pc.match_substring_regex(candidate, DATE_RE))
    digits = pc.if_else(shaped, candidate, "0000-00-00")
    year = pc.cast(pc.utf8_slice_codeunits(digits, 0, 4), pa.int64())
    month = pc.cast(pc.utf8_slice_codeunits(digits, 5, 7), pa.int64())
    day = pc.cast(pc.utf8_slice_codeunits(digits, 8, 10), pa.int64())
    ok = pc.and_(shaped, pc.greater_equal(year, 1))
    ok = pc.and_(ok, pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12)))
    ok = pc.and_(ok, pc.and_(pc.greater_equal(day, 1), pc.less_equal(day, _days_in_month(year, month))))
    return pc.cast(pc.if_else(ok, candidate, None), pa.date32()), ok


def _ints(parts: Array, name: str) -> Array:
    return pc.cast(pc.struct_field(parts, name), pa.int64())


def _clock(parts: Array, shaped: Array) -> tuple[Array, Array]:
    """(microseconds since midnight, UTC; ok) of matched ``hh:mm:ss[.f][tz]`` parts.

    ``24:00:00`` (with no fraction, or a zero one) is midnight, as XML Schema allows.
    """
    hour, minute, second = _ints(parts, "h"), _ints(parts, "m"), _ints(parts, "s")
    fraction = pc.struct_field(parts, "f")
    digits = pc.utf8_slice_codeunits(pc.utf8_rpad(pc.utf8_slice_codeunits(fraction, 1, 7), 6, "0"), 0, 6)
    micros = pc.cast(pc.if_else(pc.equal(fraction, ""), "000000", digits), pa.int64())
    whole_fraction_zero = as_mask(pc.match_substring_regex(fraction, r"^(?:\.0+)?$"))
    end_of_day = pc.and_(pc.and_(pc.equal(hour, 24), pc.equal(minute, 0)),
                         pc.and_(pc.equal(second, 0), whole_fraction_zero))
    ok = pc.and_(shaped, pc.or_(end_of_day, pc.and_(pc.less_equal(hour, 23), pc.and_(
        pc.less_equal(minute, 59), pc.less_equal(second, 59)))))
    clock = pc.add(pc.multiply(pc.add(pc.multiply(pc.add(pc.multiply(hour, 60), minute), 60), second), 1_000_000),
                   micros)
    return pc.subtract(clock, pc.multiply(_offset_minutes(pc.struct_field(parts, "tz")), 60_000_000)), ok


def _offset_minutes(tz: Array) -> Array:
    """A time-zone designator (``Z``, ``+05:30``, or empty) in minutes east of UTC."""
    signed = pc.if_else(pc.or_(pc.equal(tz, ""), pc.equal(tz, "Z")), "+00:00", tz)
    hours = pc.cast(pc.utf8_slice_codeunits(signed, 1, 3), pa.int64())
    minutes = pc.cast(pc.utf8_slice_codeunits(signed, 4, 6), pa.int64())
    total = pc.add(pc.multiply(hours, 60), minutes)
    return pc.if_else(pc.starts_with(signed, "-"), pc.negate(total), total)


def _matched(candidate: Array, pattern: str, blank: str) -> tuple[Array, Array]:
    shaped = as_mask(pc.match_substring_regex(candidate, pattern))
    return pc.extract_regex(pc.if_else(shaped, candidate, blank), pattern), shaped


def parse_default_time(candidate: Array) -> tuple[Array, Array]:
    """``hh:mm:ss[.fff][tz]`` cells as ``time64[us]`` (moved to UTC when a zone is given)."""
    parts, shaped = _matched(candidate, TIME_RE, "00:00:00")
    clock, ok = _clock(parts, shaped)
    clock = pc.subtract(clock, pc.multiply(pc.floor(pc.divide(pc.cast(clock, pa.float64()), US_PER_DAY)).cast(
        pa.int64()), US_PER_DAY))
    return pc.cast(pc.if_else(ok, clock, None), pa.time64("us")), ok


def parse_default_datetime(candidate: Array) -> tuple[Array, Array]:
    """``YYYY-MM-DDThh:mm:ss[.fff][tz]`` cells as ``timestamp[us]`` (moved to UTC when a zone is given)."""
    parts, shaped = _matched(candidate, DATETIME_RE, "2000-01-01T00:00:00")
    day, day_ok = parse_default_date(pc.struct_field(parts, "d"))
    clock, ok = _clock(parts, shaped)
    ok = pc.and_(ok, as_mask(day_ok) if day_ok is not None else pc.is_valid(day))
    days = pc.cast(pc.cast(day, pa.int32()), pa.int64())
    micros = pc.add(pc.multiply(days, US_PER_DAY), clock)
    return pc.cast(pc.if_else(ok, micros, None), pa.timestamp("us")), ok


def parse_year(candidate: Array) -> tuple[Array, Array]:
    """XML Schema ``gYear`` cells (``2004``, ``-0044``, ``12004``, a zone allowed) as int64 years."""
    parts, shaped = _matched(candidate, YEAR_RE, "0000")
    return pc.if_else(shaped, _ints(parts, "y"), None), shaped


def parse_yearmonth(candidate: Array) -> tuple[Array, Array]:
    """XML Schema ``gYearMonth`` cells (``2004-08``) as int64 months since January of year 0."""
    parts, shaped = _matched(candidate, YEARMONTH_RE, "0000-01")
    months = pc.add(pc.multiply(_ints(parts, "y"), 12), pc.subtract(_ints(parts, "mo"), 1))
    return pc.if_else(shaped, months, None), shaped


def yearmonth_text(months: Array) -> Array:
    """Months since year 0 back as ``YYYY-MM`` text (for messages and keys)."""
    year = pc.cast(pc.floor(pc.divide(pc.cast(months, pa.float64()), 12)), pa.int64())
    month = pc.add(pc.subtract(months, pc.multiply(year, 12)), 1)
    padded = pc.utf8_lpad(pc.cast(month, pa.string()), 2, "0")
    return pc.binary_join_element_wise(pc.cast(year, pa.string()), padded, "-")


# --------------------------------------------------------------------------- patterns and "any"

_DIRECTIVE = re.compile(r"%(.)")
STRPTIME_DIRECTIVES = frozenset("aAwdbBmyYHIpMSfzZjUWcxXGuV%")
"""The directives Python's ``strptime`` reads (the Table Schema's ``<PATTERN>`` syntax)."""


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a strptime pattern Python can read, or None."""
    directives = _DIRECTIVE.findall(pattern.replace("%%", ""))
    if pattern.endswith("%") and not pattern.endswith("%%"):
        return "ends with a lone %"
    unknown = sorted({d for d in directives if d not in STRPTIME_DIRECTIVES})
    if unknown:
        return f"has directives Python's strptime does not know ({', '.join('%' + d for d in unknown)})"
    if not directives:
        return "has no strptime directive such as %Y or %H (a pattern is written like %d/%m/%Y)"
    return None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


@cache
def _any_parser() -> Callable[[str], datetime]:
    from dateutil import parser

    parse: Callable[[str], datetime] = parser.parse
    return parse


def read_moment(text: str, fmt: str) -> datetime | None:
    """A cell read with a strptime pattern, or with ``any`` (dateutil's parser); None if it does not read."""
    try:
        moment = _any_parser()(text) if fmt == "any" else datetime.strptime(text, fmt)
    except (ValueError, OverflowError, TypeError):
        return None
    return moment


def moment_to_date(text: str, fmt: str) -> date | None:
    moment = read_moment(text, fmt)
    return None if moment is None else moment.date()


def moment_to_time(text: str, fmt: str) -> time | None:
    moment = read_moment(text, fmt)
    if moment is None:
        return None
    return _utc(moment).time() if moment.tzinfo is not None else moment.time()


def moment_to_datetime(text: str, fmt: str) -> datetime | None:
    moment = read_moment(text, fmt)
    return None if moment is None else _utc(moment)


# --------------------------------------------------------------------------- durations

_DURATION = re.compile(
    r"(?P<sign>-)?P(?!$)(?:(?P<Y>[0-9]+)Y)?(?:(?P<M>[0-9]+)M)?(?:(?P<D>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<h>[0-9]+)H)?(?:(?P<m>[0-9]+)M)?(?:(?P<s>[0-9]+(?:\.[0-9]+)?)S)?)?"
)


@lru_cache(maxsize=4096)
def read_duration(text: str) -> tuple[int, Decimal] | None:
    """An XML Schema duration (``P1Y2M3DT4H5M6.7S``, ``-P1D``) as (months, seconds), or None.

    Days, hours and minutes are seconds here (``P1D`` equals ``PT24H``), years are twelve
    months: XML Schema's value space, a pair of months and exact seconds.
    """
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    parts = match.groupdict()
    months = int(parts["Y"] or 0) * 12 + int(parts["M"] or 0)
    seconds = (Decimal(int(parts["D"] or 0) * 86_400 + int(parts["h"] or 0) * 3600 + int(parts["m"] or 0) * 60)
               + Decimal(parts["s"] or 0))
    if parts["sign"]:
        months, seconds = -months, -seconds
    return months, seconds


def duration_text(months: int, seconds: Decimal) -> str:
    """The canonical text of a duration: ``PnMTsS`` (``-P…`` when negative), seconds written exactly."""
    negative = months < 0 or seconds < 0
    amount = format(abs(seconds).normalize(), "f")
    return f"{'-' if negative else ''}P{abs(months)}MT{amount}S"


def canonical_duration(text: str) -> str | None:
    read = read_duration(text)
    return None if read is None else duration_text(*read)


def duration_of(value: Any) -> str | None:
    """A typed duration from a Parquet column (timedelta, or Arrow's month-day-nano) as canonical text."""
    if isinstance(value, timedelta):
        return duration_text(0, Decimal(value.days * 86_400 + value.seconds) + Decimal(value.microseconds) / 10**6)
    months, days, nanos = getattr(value, "months", None), getattr(value, "days", None), getattr(value, "nanoseconds", 0)
    if months is None or days is None:
        return None
    if (months < 0) != (days * 86_400 * 10**9 + nanos < 0) and months and (days or nanos):
        return None  # mixed signs: not an XML Schema duration
    return duration_text(months, Decimal(days * 86_400) + Decimal(nanos) / 10**9)


_REFERENCES = (datetime(1696, 9, 1), datetime(1697, 2, 1), datetime(1903, 3, 1), datetime(1903, 7, 1))
"""XML Schema's four reference moments: two durations are ordered when every one of them agrees."""


def _civil_days(year: int, month: int) -> int:
    """Days from 0000-03-01 to the first of ``month`` of ``year`` (proleptic Gregorian; any year)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy


def _end(start: datetime, months: int, seconds: Decimal) -> Decimal:
    total = start.year * 12 + start.month - 1 + months
    return Decimal(_civil_days(total // 12, total % 12 + 1) * 86_400) + seconds  # every reference is on day 1


def duration_order(a: tuple[int, Decimal], b: tuple[int, Decimal]) -> set[int]:
    """How ``a`` compares with ``b`` from each reference moment: {-1}, {0}, {1}, or more (not ordered)."""
    out = set()
    for start in _REFERENCES:
        diff = _end(start, *a) - _end(start, *b)
        out.add((diff > 0) - (diff < 0))
    return out
