"""ISO code look-ups (countries, currencies, languages), backed by pycountry.

We do not keep our own copy of the ISO tables: pycountry is maintained against the
ISO registries, and one wrong hand-typed code is exactly the mistake a dataset like
ours must not make. pycountry is imported on first use so that importing the package
stays cheap.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _pycountry() -> Any:
    import pycountry

    return pycountry


def country_alpha2(alpha3: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for an alpha-3 code, or None if it is not assigned."""
    country = _pycountry().countries.get(alpha_3=alpha3)
    return None if country is None else str(country.alpha_2)


def is_country_alpha3(code: str) -> bool:
    return country_alpha2(code) is not None


def is_currency(code: str) -> bool:
    """True for an ISO 4217 alphabetic currency code (e.g. JPY, IDR)."""
    return _pycountry().currencies.get(alpha_3=code) is not None


def is_language(code: str) -> bool:
    """True for an ISO 639-1 two-letter language code (e.g. id, en)."""
    return _pycountry().languages.get(alpha_2=code) is not None
