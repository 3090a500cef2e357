"""The data says what the sources say: every fact of the article, as the official record corrects it.

These tests pin the curated content. Each expected value below comes from the archived
Pantau article or, where the official record corrects or extends it, from the pages cited
in the seeds (tests/test_official_record.py lists every disagreement); a change to the
seeds that contradicts them must fail here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ca_summit_data


def test_the_summit() -> None:
    summit = ca_summit_data.summit().summit
    # Two days as the foreign ministry announced it; the article's 20 December is the leaders' meeting.
    assert (summit.start_date, summit.end_date) == (date(2025, 12, 19), date(2025, 12, 20))
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


def test_the_money_target_as_the_official_record_gives_it() -> None:
    (target,) = ca_summit_data.summit().financial_targets
    assert (target.amount, target.currency) == (Decimal("3000000000000"), "JPY")
    assert (target.equivalent_amount, target.equivalent_currency) == (Decimal("317500000000000"), "IDR")
    assert target.period_years == 5
    # Japan's target, of business projects, on the scale of: the article's joint investment
    # "including" health and medical care is kept as claims only.
    assert (target.holder_country, target.target_kind, target.approximate) == ("JPN", "business_projects", True)
    assert target.sectors == []
    equivalents = ca_summit_data.load("target_equivalents")
    amounts = [format(a.normalize(), "f") for a in equivalents["amount"]]
    assert sorted(zip(equivalents["currency"], amounts, strict=True)) == [
        ("IDR", "317500000000000"), ("IDR", "317500000000000"),
        ("USD", "19000000000"), ("USD", "19000000000"), ("USD", "19000000000"), ("USD", "20000000000"),
    ]


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


def test_the_archived_article_states_no_date_so_we_give_none() -> None:
    sources = {s.source_id: s for s in ca_summit_data.summit().sources}
    source = sources["pantau_japan_central_asia_initiatives"]
    assert source.published_date is None and source.archived
    assert source.url is not None and source.url.startswith("https://www.pantau.com/geopolitik/312134/")
    assert (source.publisher, source.author, source.language) == ("Pantau", "Gerry Eka", "id")
    # It rewrites Anadolu's report, through ANTARA, which we could not read.
    assert (source.derived_from, source.derived_via) == ("aa_new_initiatives", "ANTARA")
    assert [s.source_id for s in sources.values() if s.archived] == [source.source_id]


def test_every_record_has_evidence() -> None:
    evidence = ca_summit_data.load("evidence")
    cited = set(zip(evidence["record_table"].astype(str), evidence["record_id"], strict=True))
    for table in ca_summit_data.tables():
        if table in ("evidence", "claims"):
            continue
        frame = ca_summit_data.load(table)
        key = frame.columns[0]
        for record_id in frame[key]:
            assert (table, record_id) in cited, (table, record_id)
