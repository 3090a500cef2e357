"""The official record in the data: sources, claims, disagreements, events, documents, partial dates.

The article the seeds began from (Pantau) is a rewrite of a rewrite; the primary record
(the Prime Minister's Office, the foreign ministry, the declaration, the agencies that
reported first) corrects and extends it. Every value carries its claims; where sources
disagree both sides are kept and the published value says why it stands. These tests pin
the disagreements one by one and hold the build's checks of the provenance.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ca_summit_data
from ca_summit_data.models import MODEL_BY_TABLE, SEEDED_MODELS, columns
from ca_summit_data.models.columns import cell_text
from ca_summit_data.pipeline import build_dataset
from ca_summit_data.problems import ProblemsFound
from ca_summit_data.schema.facets import partial_date_problem
from ca_summit_data.schema.rules import PrecisionOf
from ca_summit_data.settings import load_settings

from .conftest import ROOT

PANTAU = "pantau_japan_central_asia_initiatives"

DISAGREEMENTS = {
    # (table, record, column, what the source says, source, why the published value stands)
    ("summits", "ca_plus_japan_2025", "start_date", "2025-12-20", PANTAU, "official_over_secondary"),
    ("events", "summit_2025_tokyo", "start_date", "2025-12-20", PANTAU, "official_over_secondary"),
    ("events", "summit_2024_astana", "status", "cancelled", "jiji_nippon_summit_may_be_held",
     "official_over_secondary"),
    ("events", "summit_2024_astana", "status", "cancelled", "gazeta_uz_trip_called_off_2024",
     "official_over_secondary"),
    ("events", "summit_2025_plenary", "venue", "State Guest House, Akasaka Palace", "worldinsight_commentary",
     "official_over_secondary"),
    ("financial_targets", "business_project_investment_jpy", "holder_country",
     "Japan and the five Central Asian countries jointly", PANTAU, "official_over_secondary"),
    ("financial_targets", "business_project_investment_jpy", "holder_country",
     "Japan and the five Central Asian countries jointly", "aa_new_initiatives", "official_over_secondary"),
    ("financial_targets", "business_project_investment_jpy", "target_kind", "investment", PANTAU,
     "official_over_secondary"),
    ("financial_targets", "business_project_investment_jpy", "target_kind", "investment", "jiji_adnkronos_summit",
     "original_over_translation"),
    ("financial_targets", "business_project_investment_jpy", "sectors", "health;medical", PANTAU,
     "primary_over_relay"),
    ("financial_targets", "business_project_investment_jpy", "approximate", "false", "afp_trtworld", "more_sources"),
    ("financial_targets", "business_project_investment_jpy", "approximate", "false", "afpbb_summit", "more_sources"),
    ("initiatives", "business_project_investment", "kind", "investment_target", PANTAU, "official_over_secondary"),
    ("priority_areas", "greening_and_resilience", "name_official", "green resilience", "kantei_press_conference_en",
     "unresolved"),
    ("priority_areas", "greening_and_resilience", "name", "climate change mitigation", "jiji_adnkronos_summit",
     "official_over_secondary"),
    ("priority_areas", "connectivity", "name", "transportation infrastructure development", "jiji_adnkronos_summit",
     "official_over_secondary"),
    ("priority_areas", "human_resource_development", "name", "people-to-people exchanges", "jiji_adnkronos_summit",
     "official_over_secondary"),
}
"""Every disagreement between sources the data keeps. A new one must be added here, with its reason."""


def rows(table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((ROOT / "data" / f"{table}.csv").read_text(encoding="utf-8"))))


def test_the_disagreements_are_these() -> None:
    claims = [c for c in rows("claims") if c["stance"] == "contradicts"]
    found = {(c["record_table"], c["record_id"], c["field"], c["value"], c["source_id"], c["resolution"])
             for c in claims}
    assert found == DISAGREEMENTS
    assert len(claims) == len(DISAGREEMENTS), "no disagreement is listed twice"


def test_what_the_official_record_corrects_in_the_article_stays_as_its_claims() -> None:
    """Nothing the article said is dropped: each corrected value is a claim of the article, with its quote."""
    from_pantau = [c for c in rows("claims") if c["source_id"] == PANTAU and c["stance"] == "contradicts"]
    assert {(c["record_table"], c["field"]) for c in from_pantau} == {
        ("summits", "start_date"), ("events", "start_date"), ("financial_targets", "holder_country"),
        ("financial_targets", "target_kind"), ("financial_targets", "sectors"), ("initiatives", "kind"),
    }
    archive = (ROOT.parent / "shared" / "seeds" / "000_3808b1ef68cc008e.txt").read_text(encoding="utf-8")
    flat = " ".join(archive.split())
    for claim in from_pantau:
        assert claim["quote"] and " ".join(claim["quote"].split()) in flat, claim["claim_id"]


def test_every_claim_points_at_a_record_and_one_of_its_columns() -> None:
    keys = {m.table: {r[m.primary_key] for r in rows(m.table)} for m in SEEDED_MODELS}
    evidence = {r["evidence_id"] for r in rows("evidence")}
    for claim in rows("claims"):
        model = MODEL_BY_TABLE[claim["record_table"]]
        assert claim["record_id"] in keys[model.table], claim["claim_id"]
        assert claim["field"] in model.model_fields and claim["field"] != model.primary_key, claim["claim_id"]
        assert (claim["resolution"] != "") == (claim["stance"] == "contradicts"), claim["claim_id"]
        assert not claim["evidence_id"] or claim["evidence_id"] in evidence


def test_every_value_names_a_source_that_gives_it() -> None:
    """Each value that is not ours (Record.editorial) has a supporting claim whose value is the published one."""
    supports: dict[tuple[str, str, str], set[str]] = {}
    for claim in rows("claims"):
        if claim["stance"] == "supports":
            supports.setdefault((claim["record_table"], claim["record_id"], claim["field"]), set()).add(claim["value"])
    checked = 0
    for model in SEEDED_MODELS:
        names = [c.name for c in columns(model)]
        for record in ca_summit_data.load(model.table, as_="arrow").to_pylist():
            key = str(record[model.primary_key])
            for name in names:
                value = record[name]
                if name == model.primary_key or name in model.editorial or value in (None, []):
                    continue
                given = supports.get((model.table, key, name))
                assert given, f"{model.table} {key}.{name} has no source"
                shown = cell_text(value.isoformat() if isinstance(value, date) else value)
                if model.model_fields[name].annotation is not None and "Money" not in str(
                        model.model_fields[name].annotation):
                    assert shown in given or str(value) in given, (model.table, key, name, shown, given)
                checked += 1
    assert checked > 400


def test_every_cited_page_has_an_address_and_only_archived_texts_are_quoted() -> None:
    sources = {r["source_id"]: r for r in rows("sources")}
    for row in rows("evidence"):
        source = sources[row["source_id"]]
        if row["kind"] == "quote":
            assert source["archived"] == "true" and row["quote"] and not row["locator"]
        else:
            assert source["url"] and row["locator"] and row["note"] and not row["quote"]
    for row in rows("claims"):
        if row["quote"]:
            assert sources[row["source_id"]]["archived"] == "true"
        if row["locator"]:
            assert sources[row["source_id"]]["url"]
    assert sum(r["archived"] == "true" for r in sources.values()) == 1
    assert sources[PANTAU]["derived_from"] == "aa_new_initiatives"


def test_the_dialogue_history_runs_from_2004_to_the_next_summit() -> None:
    events = {r["event_id"]: r for r in rows("events")}
    meetings = sorted((r for r in events.values() if r["kind"] == "foreign_ministers_meeting"),
                      key=lambda r: int(r["edition"]))
    assert [int(r["edition"]) for r in meetings] == list(range(1, 10))
    assert meetings[0]["start_date"] == "2004-08-28" and meetings[0]["city"] == "Astana"
    # "July 2014" stays a month: never a made-up first of the month.
    assert (events["fmm_2014_kyrgyzstan"]["start_date"], events["fmm_2014_kyrgyzstan"]["start_precision"]) == (
        "2014-07", "month")
    assert events["summit_2024_astana"]["status"] == "postponed"
    assert (events["summit_2025_tokyo"]["start_date"], events["summit_2025_tokyo"]["end_date"]) == (
        "2025-12-19", "2025-12-20")
    following = events["summit_next_kazakhstan"]
    assert following["status"] == "planned" and not following["start_date"], "no source gives its date"
    programme = {e for e, r in events.items() if r["parent_event_id"] == "summit_2025_tokyo"}
    assert {events[e]["kind"] for e in programme} == {
        "dinner", "plenary_session", "business_forum", "press_conference", "bilateral_meeting"}
    assert (events["summit_2025_dinner"]["start_time"], events["summit_2025_plenary"]["start_time"]) == (
        "19:15", "09:30")
    (dialogue,) = rows("dialogues")
    assert (dialogue["short_name"], dialogue["launch_date"], dialogue["launch_precision"]) == ("CA+JAD", "2004-08",
                                                                                              "month")


def test_what_was_adopted_and_signed() -> None:
    documents = {r["document_id"]: r for r in rows("documents")}
    declaration = documents["tokyo_declaration"]
    assert (declaration["status"], declaration["parties"]) == ("adopted", "JPN;KAZ;KGZ;TJK;TKM;UZB")
    meetings = {r["meeting_id"]: r for r in rows("bilateral_meetings")}
    assert all(m["outcome_document_id"] in documents and m["date"] and m["place"] for m in meetings.values())
    counts = {r["count_id"]: r for r in rows("document_counts")}
    assert (counts["summit_2025_documents_pm"]["count_min"], counts["summit_2025_documents_pm"]["bound"]) == (
        "150", "more_than")
    assert counts["business_forum_2025_documents_jetro"]["count_min"] == "158"


# ------------------------------------------------------------------ the build's checks of provenance

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_after(project: Path, sources_dir: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as caught:
        build_dataset(load_settings(project, sources_dir), require_sources=True)
    return [str(p) for p in caught.value.problems]


BAD_PROVENANCE = [
    # (seed file, old, new, fragments of one problem)
    ("dialogues.yaml", "    - field: launch_date\n", "    - field: launch_day\n",
     ["seeds/dialogues.yaml", "'central_asia_plus_japan'", "claims[0].field", "'launch_day' is not a column"]),
    ("events.yaml", "      resolution: official_over_secondary\n      locator: closing paragraph\n",
     "      locator: closing paragraph\n",
     ["seeds/events.yaml", "'summit_2024_astana'", "resolution must be given exactly when stance is 'contradicts'"]),
    ("sources.yaml", '  url: "https://www.mofa.go.jp/mofaj/erp/ca_c/pageit_000001_02641.html"\n', "",
     ["'mofa_summit_announcement'", "has no url"]),
    ("dialogues.yaml", "      locator: closing paragraph\n", "      quote: \"closing paragraph\"\n",
     ["'central_asia_plus_japan'", "claims[0].quote", "quotes 'newstj_som11_2016', whose text is not archived"]),
    ("summits.yaml", "      fields: [edition, start_date, end_date, city, host_country]\n",
     "      fields: [edition, end_date, city, host_country]\n",
     ["seeds/summits.yaml", "'ca_plus_japan_2025'", "'start_date'", "no source is cited"]),
    ("dialogues.yaml", "      stance: adds\n", "      stance: supports\n",
     ["'central_asia_plus_japan'", "claims[0].value", "supports launch_date, but gives '2004-08-28'"]),
    ("dialogues.yaml", '      value: "2004-08-28"\n', '      value: "2004-08"\n',
     ["'central_asia_plus_japan'", "claims[0].value", "adds, but gives the published value"]),
    ("events.yaml", "      source_id: worldinsight_commentary\n", "      source_id: world_insight\n",
     ["'summit_2025_plenary'", "claims[1].source_id", "'world_insight' is not a source_id"]),
    ("priority_areas.yaml", "      fields: [name_official, position]\n", "      fields: [area_id, name_official]\n",
     ["'greening_and_resilience'", "evidence[1].fields", "the record's key"]),
    ("initiatives.yaml", "      fields: [kind, status]\n    - source_id: livedoor_pm_remarks",
     "      fields: [kind, status, parent_initiative_id]\n    - source_id: livedoor_pm_remarks",
     ["'ca_jad_tokyo_initiative'", "names 'parent_initiative_id', which is empty"]),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BAD_PROVENANCE,
                         ids=[f"{b[0]}:{b[3][-1][:30]}" for b in BAD_PROVENANCE])
def test_the_build_refuses_provenance_that_does_not_hold(project: Path, sources_dir: Path, file: str, old: str,
                                                         new: str, expected: list[str]) -> None:
    edit(project / "seeds" / file, old, new)
    found = problems_after(project, sources_dir)
    assert any(all(fragment in line for fragment in expected) for line in found), found


def test_a_claims_quote_is_verified_against_the_archive(project: Path, sources_dir: Path) -> None:
    edit(project / "seeds" / "summits.yaml", 'quote: "yang digelar di Tokyo, Sabtu, 20 Desember 2025"',
         'quote: "yang digelar di Tokyo, Jumat, 19 Desember 2025"')
    found = problems_after(project, sources_dir)
    assert any("claims[0].quote" in line and "quote not found in the archived text" in line for line in found), found


# ------------------------------------------------------------------ partial dates

@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_every_calendar_day_month_and_year_is_a_partial_date(day: date) -> None:
    text = day.isoformat()
    assert partial_date_problem(text) is None
    assert partial_date_problem(text[:7]) is None and partial_date_problem(text[:4]) is None


@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
def test_a_partial_date_is_refused_exactly_when_it_is_no_calendar_day(year: int, month: int, day: int) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        date.fromisoformat(text)
        real = year >= 1
    except ValueError:
        real = False
    assert (partial_date_problem(text) is None) == real
    assert (partial_date_problem(text[:7]) is None) == (year >= 1 and 1 <= month <= 12)


@given(st.sampled_from(["2004", "2004-08", "2004-08-28", None]), st.sampled_from(["year", "month", "day", None]))
def test_a_precision_matches_how_the_date_is_written(written: str | None, precision: str | None) -> None:
    rule = PrecisionOf(("precision", "written"))
    expected = {4: "year", 7: "month", 10: "day"}.get(len(written)) if written else None
    assert rule.broken((precision, written)) == (precision != expected)
