"""The models accept what the sources say and refuse what no valid record can be."""

from __future__ import annotations

import string
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ca_summit_data.models import (
    BilateralMeeting,
    Country,
    FinancialTarget,
    Source,
    Statement,
    Summit,
    seed_model,
)

SUMMIT: dict[str, Any] = {
    "summit_id": "s1",
    "name": "A summit",
    "name_id": "pertemuan",
    "dialogue": "A dialogue",
    "edition": 1,
    "start_date": "2025-12-20",
    "end_date": "2025-12-20",
    "city": "Tokyo",
    "host_country": "JPN",
    "documents_signed_min": 150,
    "documents_signed_bound": "more_than",
}

TARGET: dict[str, Any] = {
    "target_id": "t1",
    "summit_id": "s1",
    "amount": 3_000_000_000_000,
    "currency": "JPY",
    "period_years": 5,
    "sectors": ["health"],
    "sectors_exhaustive": False,
    "equivalent_amount": "317500000000000",
    "equivalent_currency": "IDR",
    "description": "A target.",
}

ALPHA3 = sorted(c.alpha_3 for c in pycountry.countries)
CURRENCIES = sorted(c.alpha_3 for c in pycountry.currencies)


def test_valid_summit_parses_dates_and_bounds() -> None:
    summit = Summit.model_validate(SUMMIT)
    assert summit.start_date == date(2025, 12, 20)
    assert summit.documents_signed_bound is not None
    assert summit.documents_signed_bound.value == "more_than"


def test_models_are_immutable_and_closed() -> None:
    summit = Summit.model_validate(SUMMIT)
    with pytest.raises(ValidationError):
        summit.city = "Osaka"
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Summit.model_validate({**SUMMIT, "venue": "somewhere"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": "2025-12-19"}, "end_date is before start_date"),
        ({"documents_signed_bound": None}, "must be given together"),
        ({"documents_signed_min": -1}, "greater than or equal to 0"),
        ({"host_country": "XXX"}, "not an ISO 3166-1 alpha-3"),
        ({"host_country": "jpn"}, "should match pattern"),
        ({"start_date": "2025-02-30"}, "date"),
        ({"edition": 0}, "greater than or equal to 1"),
        ({"city": " Tokyo"}, "white space"),
        ({"city": "Tok\u202eyo"}, "should match pattern"),
        ({"city": "Cafe\u0301"}, "NFC"),
        ({"city": ""}, "at least 1 character"),
        ({"summit_id": "Has Space"}, "should match pattern"),
    ],
)
def test_summit_rejects(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Summit.model_validate({**SUMMIT, **change})


@given(st.sampled_from(ALPHA3))
def test_every_iso_country_is_accepted_with_its_alpha2(code: str) -> None:
    alpha2 = pycountry.countries.get(alpha_3=code).alpha_2
    country = Country(country_code=code, iso2=alpha2, name="X", name_id="X", central_asian=False)
    assert country.iso2 == alpha2


@given(st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3).filter(lambda c: c not in ALPHA3))
def test_unassigned_country_codes_are_refused(code: str) -> None:
    with pytest.raises(ValidationError, match="not an ISO 3166-1 alpha-3"):
        Country(country_code=code, iso2="XX", name="X", name_id="X", central_asian=False)


def test_country_alpha2_must_match_alpha3() -> None:
    with pytest.raises(ValidationError, match="does not match JPN"):
        Country(country_code="JPN", iso2="JA", name="Japan", name_id="Jepang", central_asian=False)


@given(
    st.decimals(min_value=0, max_value=Decimal("1e20"), places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from(CURRENCIES),
)
def test_amounts_are_exact_decimals(amount: Decimal, currency: str) -> None:
    target = FinancialTarget.model_validate({**TARGET, "amount": str(amount), "currency": currency})
    assert target.amount == amount
    assert isinstance(target.amount, Decimal)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": -1}, "greater than or equal to 0"),
        ({"amount": "NaN"}, "finite"),
        ({"amount": "Infinity"}, "finite"),
        ({"amount": "1.00001"}, "decimal places"),
        ({"currency": "XYZ"}, "not an ISO 4217"),
        ({"equivalent_currency": None}, "must be given together"),
        ({"sectors": ["health", "health"]}, "twice"),
        ({"sectors": ["health;medical"]}, "should match pattern"),
        ({"period_years": 0}, "greater than or equal to 1"),
    ],
)
def test_financial_target_rejects(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FinancialTarget.model_validate({**TARGET, **change})


def test_meeting_needs_two_people() -> None:
    with pytest.raises(ValidationError, match="counterpart_id and person_id are the same"):
        BilateralMeeting(meeting_id="m", summit_id="s", person_id="a", counterpart_id="a", format="one_on_one")


def test_statement_speaker_matches_mode() -> None:
    base = {"statement_id": "x", "summit_id": "s", "text": "t", "language": "id", "text_en": "t"}
    Statement.model_validate({**base, "mode": "source_assessment"})
    with pytest.raises(ValidationError, match="source_assessment"):
        Statement.model_validate({**base, "mode": "direct_quote"})
    with pytest.raises(ValidationError, match="source_assessment"):
        Statement.model_validate({**base, "mode": "source_assessment", "person_id": "p"})
    with pytest.raises(ValidationError, match="ISO 639-1"):
        Statement.model_validate({**base, "mode": "source_assessment", "language": "xx"})


def test_source_archive_needs_its_hash() -> None:
    base = {"source_id": "s", "publisher": "P", "title": "T", "language": "id", "kind": "news_article",
            "archived": False}
    Source.model_validate(base)
    with pytest.raises(ValidationError, match="together"):
        Source.model_validate({**base, "archive_file": "a.txt", "archived": True})
    with pytest.raises(ValidationError, match="archive_file must be given exactly when archived is true"):
        Source.model_validate({**base, "archive_file": "a.txt", "sha256": "0" * 64})
    with pytest.raises(ValidationError, match="archive_file must be given exactly when archived is true"):
        Source.model_validate({**base, "archived": True})
    with pytest.raises(ValidationError, match="should match pattern"):
        Source.model_validate({**base, "archive_file": "../a.txt", "sha256": "0" * 64})


def test_seed_records_need_evidence() -> None:
    seed = seed_model(Summit)
    with pytest.raises(ValidationError, match="evidence"):
        seed.model_validate(SUMMIT)
    with pytest.raises(ValidationError, match="at least 1 item"):
        seed.model_validate({**SUMMIT, "evidence": []})
    record = seed.model_validate({**SUMMIT, "evidence": [{"source_id": "src", "quote": "q", "fields": ["city"]}]})
    assert isinstance(record, Summit)
    with pytest.raises(ValidationError, match="fields"):
        seed.model_validate({**SUMMIT, "evidence": [{"source_id": "src", "quote": "q"}]})
    with pytest.raises(ValidationError, match="exactly one of quote, locator"):
        seed.model_validate({**SUMMIT, "evidence": [{"source_id": "src", "quote": "q", "locator": "para. 1",
                                                     "note": "n", "fields": ["city"]}]})
    with pytest.raises(ValidationError, match="locator and note must be given together"):
        seed.model_validate({**SUMMIT, "evidence": [{"source_id": "src", "locator": "para. 1", "fields": ["city"]}]})


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 30))
def test_end_date_rule_holds_for_any_dates(start: date, days: int) -> None:
    summit = Summit.model_validate({**SUMMIT, "start_date": start, "end_date": start + timedelta(days=days)})
    assert summit.end_date >= summit.start_date
    if days:
        with pytest.raises(ValidationError):
            Summit.model_validate({**SUMMIT, "start_date": start + timedelta(days=days), "end_date": start})
