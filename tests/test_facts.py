"""The data says what the source says: every fact of the article, and nothing rounder.

These tests pin the curated content. Each expected value below comes from the archived
Pantau article; a change to the seeds that contradicts it must fail here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ca_summit_data


def test_the_summit() -> None:
    summit = ca_summit_data.summit().summit
    assert (summit.start_date, summit.end_date) == (date(2025, 12, 20), date(2025, 12, 20))
    assert summit.city == "Tokyo"
    assert summit.host_country == "JPN"
    assert summit.edition == 1
    # "lebih dari 150 dokumen": a strict lower bound, not a count.
    assert summit.documents_signed_min == 150
    assert summit.documents_signed_bound is not None and summit.documents_signed_bound.value == "more_than"


def test_six_leaders_with_their_titles() -> None:
    people = {
        p.person.name: (p.country.country_code, p.participation.title, p.participation.role.value)
        for p in ca_summit_data.summit().participants
    }
    assert people == {
        "Sanae Takaichi": ("JPN", "Prime Minister", "host"),
        "Kassym-Jomart Tokayev": ("KAZ", "President", "guest"),
        "Sadyr Zhaparov": ("KGZ", "President", "guest"),
        "Emomali Rahmon": ("TJK", "President", "guest"),
        "Serdar Berdimuhamedov": ("TKM", "President", "guest"),
        "Shavkat Mirziyoyev": ("UZB", "President", "guest"),
    }
    central = ca_summit_data.load("countries").set_index("country_code")["central_asian"]
    assert int(central.sum()) == 5 and not central["JPN"]


def test_three_priority_areas_and_what_is_under_them() -> None:
    areas = {
        a.area.name_id: sorted(i.initiative_id for i in a.initiatives) for a in ca_summit_data.summit().priority_areas
    }
    assert areas == {
        "Penghijauan dan Ketahanan": [
            "climate_change_measures",
            "critical_minerals_supply_chains",
            "disaster_risk_mitigation",
            "energy_transition",
        ],
        "Konektivitas": [
            "japan_central_asia_ai_cooperation_partnership",
            "trans_caspian_international_transport_route",
        ],
        "Pengembangan Sumber Daya Manusia": [],
    }


def test_the_investment_target_as_reported() -> None:
    (target,) = ca_summit_data.summit().financial_targets
    assert (target.amount, target.currency) == (Decimal("3000000000000"), "JPY")
    assert (target.equivalent_amount, target.equivalent_currency) == (Decimal("317500000000000"), "IDR")
    assert target.period_years == 5
    assert target.sectors == ["health", "medical"]
    assert target.sectors_exhaustive is False


def test_one_on_one_meetings_with_each_central_asian_head_of_state() -> None:
    meetings = ca_summit_data.load("bilateral_meetings")
    assert set(meetings["person_id"]) == {"sanae_takaichi"}
    assert sorted(meetings["counterpart_id"]) == sorted(
        ["kassym_jomart_tokayev", "sadyr_zhaparov", "emomali_rahmon", "serdar_berdimuhamedov", "shavkat_mirziyoyev"]
    )


def test_statements_keep_the_source_language_and_speaker() -> None:
    statements = {s.statement_id: s for s in ca_summit_data.summit().statements}
    direct = [s for s in statements.values() if s.mode.value == "direct_quote"]
    assert len(direct) == 1 and "21 tahun terakhir" in direct[0].text
    assert all(s.language == "id" for s in statements.values())
    assessments = [s for s in statements.values() if s.mode.value == "source_assessment"]
    assert len(assessments) == 1 and assessments[0].person_id is None


def test_source_states_no_url_or_date_so_we_give_none() -> None:
    (source,) = ca_summit_data.summit().sources
    assert source.url is None and source.published_date is None
    assert (source.publisher, source.author, source.language) == ("Pantau", "Gerry Eka", "id")


def test_every_record_has_evidence() -> None:
    evidence = ca_summit_data.load("evidence")
    cited = set(zip(evidence["record_table"].astype(str), evidence["record_id"], strict=True))
    for table in ca_summit_data.tables():
        if table == "evidence":
            continue
        frame = ca_summit_data.load(table)
        key = frame.columns[0]
        for record_id in frame[key]:
            assert (table, record_id) in cited, (table, record_id)
