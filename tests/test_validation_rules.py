"""The models' own rules, held against CSV files: cross-field rules, ISO codes, plain text, money, list items.

Each case changes one published row in a way its Pydantic model refuses, and checks that
the validator refuses the CSV file too, at that row and column. The list of cases must
cover every rule the models declare (``Record.rules``, the one declaration the models and
the validator both check), so a rule without a case that shows the validator keeps it fails here.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import ca_summit_data
from ca_summit_data.models import MODEL_BY_TABLE, TABLE_MODELS, columns
from ca_summit_data.schema.facets import CodeList, Digits, ItemPattern, PlainText
from ca_summit_data.schema.text import plain_text_problem
from ca_summit_data.validation import validate
from ca_summit_data.validation.ours import table_spec

from .conftest import ROOT


def all_rules() -> list[tuple[str, Any]]:
    """(table, rule) for every rule a model declares."""
    return [(m.table, rule) for m in TABLE_MODELS for rule in m.rules]


def row(table: str, key: str) -> int:
    """The index of the published row whose primary key (the first column) is ``key``."""
    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        keys = [r[0] for r in csv.reader(handle)][1:]
    return keys.index(key)


PANTAU = row("sources", "pantau_japan_central_asia_initiatives")
DINNER = row("events", "summit_2025_dinner")
SUMMIT = row("events", "summit_2025_tokyo")
DECLARATION = row("documents", "tokyo_declaration")
CITED = row("evidence", "summits.ca_plus_japan_2025.4")  # a citation of a page, not a quote

# (table, index of the published row to change, CSV cells to set, model fields to set, code we must report, column)
Case = tuple[str, int, dict[str, str], dict[str, Any], str, str]
RULE_CASES: dict[str, Case] = {
    "summit ends before it starts": (
        "summits", 0, {"end_date": "2025-12-18"}, {"end_date": date(2025, 12, 18)}, "rule", "end_date"),
    "documents bound without its count": (
        "summits", 0, {"documents_signed_min": ""}, {"documents_signed_min": None}, "rule", "documents_signed_min"),
    "iso2 of another country": ("countries", 0, {"iso2": "KZ"}, {"iso2": "KZ"}, "rule", "iso2"),
    "equivalent amount without currency": (
        "financial_targets", 0, {"equivalent_currency": ""}, {"equivalent_currency": None}, "rule",
        "equivalent_currency"),
    "a sector listed twice": (
        "financial_targets", 0, {"sectors": "health;health"}, {"sectors": ["health", "health"]}, "rule", "sectors"),
    "a meeting with oneself": (
        "bilateral_meetings", 0, {"counterpart_id": "sanae_takaichi"}, {"counterpart_id": "sanae_takaichi"}, "rule",
        "counterpart_id"),
    "a speaker for the source's own assessment": (
        "statements", 0, {"person_id": "sanae_takaichi"}, {"person_id": "sanae_takaichi"}, "rule", "person_id"),
    "an archive file without its hash": ("sources", PANTAU, {"sha256": ""}, {"sha256": None}, "rule", "sha256"),
    "an archive file for a source not archived": (
        "sources", PANTAU, {"archived": "false"}, {"archived": False}, "rule", "archive_file"),
    "a source derived from itself": (
        "sources", PANTAU, {"derived_from": "pantau_japan_central_asia_initiatives"},
        {"derived_from": "pantau_japan_central_asia_initiatives"}, "rule", "derived_from"),
    "a launch month called a day": (
        "dialogues", 0, {"launch_precision": "day"}, {"launch_precision": "day"}, "rule", "launch_precision"),
    "an event part of itself": (
        "events", DINNER, {"parent_event_id": "summit_2025_dinner"}, {"parent_event_id": "summit_2025_dinner"},
        "rule", "parent_event_id"),
    "a day called a year": ("events", DINNER, {"start_precision": "year"}, {"start_precision": "year"}, "rule",
                            "start_precision"),
    "an end date without its precision": (
        "events", SUMMIT, {"end_precision": ""}, {"end_precision": None}, "rule", "end_precision"),
    "a duration without saying whether it is approximate": (
        "events", DINNER, {"duration_approximate": ""}, {"duration_approximate": None}, "rule",
        "duration_approximate"),
    "an initiative under itself": (
        "initiatives", 0, {"parent_initiative_id": "business_project_investment"},
        {"parent_initiative_id": "business_project_investment"}, "rule", "parent_initiative_id"),
    "a document's day called a month": (
        "documents", DECLARATION, {"date_precision": "month"}, {"date_precision": "month"}, "rule", "date_precision"),
    "a party listed twice": (
        "documents", DECLARATION, {"parties": "JPN;JPN"}, {"parties": ["JPN", "JPN"]}, "rule", "parties"),
    "an original title without its language": (
        "documents", DECLARATION, {"title_language": ""}, {"title_language": None}, "rule", "title_language"),
    "a citation that also quotes": ("evidence", CITED, {"quote": "a quote"}, {"quote": "a quote"}, "rule", "quote"),
    "a citation without its locator": ("evidence", CITED, {"locator": ""}, {"locator": None}, "rule", "locator"),
    "a citation without its note": ("evidence", CITED, {"note": ""}, {"note": None}, "rule", "note"),
    "a supporting claim with a resolution": (
        "claims", 0, {"resolution": "unresolved"}, {"resolution": "unresolved"}, "rule", "resolution"),
    "a claim with nothing to read it from": (
        "claims", 0, {"evidence_id": ""}, {"evidence_id": None}, "rule", "evidence_id"),
}
EXTRA_CASES: dict[str, Case] = {
    "a country code that is not assigned": (
        "persons", 0, {"country_code": "XXK"}, {"country_code": "XXK"}, "iso-code", "country_code"),
    "a currency that does not exist": (
        "financial_targets", 0, {"currency": "ABC"}, {"currency": "ABC"}, "iso-code", "currency"),
    "a language that does not exist": ("statements", 0, {"language": "qq"}, {"language": "qq"}, "iso-code", "language"),
    "a name with a leading space": ("persons", 0, {"name": " Emomali"}, {"name": " Emomali"}, "text", "name"),
    "a formula (a warning)": ("persons", 0, {"name": "=Emomali"}, {"name": "=Emomali"}, "formula", "name"),
    "a name not in NFC": ("persons", 0, {"name": "Emomali Rahmo\u0301n"}, {"name": "Emomali Rahmo\u0301n"}, "text",
                          "name"),
    "five decimal places": ("financial_targets", 0, {"amount": "1.12345"}, {"amount": "1.12345"}, "decimal", "amount"),
    "an infinite amount": ("financial_targets", 0, {"amount": "INF"}, {"amount": "Infinity"}, "decimal", "amount"),
    "an amount of 27 digits": (
        "financial_targets", 0, {"amount": "1e26"}, {"amount": "1e26"}, "decimal", "amount"),
    "a sector that is not an identifier": (
        "financial_targets", 0, {"sectors": "health;Medical Care"}, {"sectors": ["health", "Medical Care"]},
        "list-item", "sectors"),
}


def published_text_rows(table: str) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO((ROOT / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline=""))
    header, *rows = list(reader)
    return header, rows


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def check_case(case: Case, tmp_path: Path) -> None:
    table, index, cells, fields, code, column = case
    model = MODEL_BY_TABLE[table]
    record = ca_summit_data.load(table, as_="arrow").to_pylist()[index]
    with pytest.raises(ValidationError):
        model.model_validate(record | fields)
    header, rows = published_text_rows(table)
    for name, value in cells.items():
        rows[index][header.index(name)] = value
    path = tmp_path / f"{table}.csv"
    write_rows(path, header, rows)
    report = validate([path])
    found = {(f.code, f.row, f.column) for f in report.findings}
    assert (code, index + 2, column) in found, [str(f) for f in report.findings]


@pytest.mark.parametrize("case", list(RULE_CASES))
def test_each_cross_field_rule_refuses_what_its_model_refuses(case: str, tmp_path: Path) -> None:
    check_case(RULE_CASES[case], tmp_path)


@pytest.mark.parametrize("case", list(EXTRA_CASES))
def test_model_extras_refuse_what_the_models_refuse(case: str, tmp_path: Path) -> None:
    check_case(EXTRA_CASES[case], tmp_path)


def test_every_rule_has_a_case_and_no_model_checks_rows_outside_its_rules() -> None:
    covered = {(t, col) for t, _, _, _, code, col in RULE_CASES.values() if code == "rule"}
    for table, rule in all_rules():
        assert any(t == table and c in rule.fields for t, c in covered), rule
    # The one model validator is the base class's, which checks the declared rules: no rule hides in code.
    for model in TABLE_MODELS:
        assert list(model.__pydantic_decorators__.model_validators) == ["_keep_rules"], model


def test_rules_name_real_columns() -> None:
    for table, rule in all_rules():
        names = {c.name for c in columns(MODEL_BY_TABLE[table])}
        assert set(rule.fields) <= names, rule


def test_the_published_tables_break_no_rule() -> None:
    report = validate([ROOT / "data"])
    assert report.exit_code == 0, [str(f) for f in report.findings]


def test_extras_come_from_the_models() -> None:
    spec = table_spec("financial_targets")
    assert spec.get("currency").facet(CodeList) == CodeList("currency")  # type: ignore[union-attr]
    assert spec.get("amount").facet(Digits) == Digits(26, 4)  # type: ignore[union-attr]
    assert spec.get("description").facet(PlainText) is not None  # type: ignore[union-attr]
    assert spec.get("sectors").facet(ItemPattern) == ItemPattern(r"^[a-z][a-z0-9_]*$")  # type: ignore[union-attr]
    assert spec.get("target_id").facet(PlainText) is None  # type: ignore[union-attr]


TEXT_ALPHABET = st.sampled_from(
    ["a", "Z", "é", " ", "\u00a0", "\u3000", "\t", "\n", "\x1f", "\u200e", "e\u0301", "=", "+", "-", "@", "\u2028", "1"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT_ALPHABET, min_size=1, max_size=6).map("".join))
def test_vectorised_text_checks_agree_with_the_model(text: str) -> None:
    """The validator refuses a name exactly when the models' text check (``schema.text``) does."""
    header, rows = published_text_rows("persons")
    rows[0][header.index("name")] = text
    folder = Path(tempfile.mkdtemp(prefix="text-"))
    try:
        write_rows(folder / "persons.csv", header, rows)
        ours = any(f.row == 2 and f.column == "name" for f in validate([folder / "persons.csv"]).findings)
    finally:
        shutil.rmtree(folder)
    theirs = plain_text_problem(text) is not None
    assert ours == theirs


def test_the_specs_read_from_our_descriptor_are_the_ones_the_models_give() -> None:
    """The validator reads our tables from datapackage.json; they must be what the models generate now."""
    from dataclasses import replace

    from ca_summit_data.export.datapackage import table_schema
    from ca_summit_data.schema.tableschema import from_table_schema
    from ca_summit_data.validation.ours import our_tables

    assert our_tables() == tuple(m.table for m in TABLE_MODELS)
    for model in TABLE_MODELS:
        derived = from_table_schema(table_schema(model), model.table)
        assert table_spec(model.table) == replace(derived, model_table=model.table), model.table


def test_the_statement_mode_without_a_speaker_is_the_models() -> None:
    from ca_summit_data.models import Statement, StatementMode
    from ca_summit_data.schema.rules import EmptyExactlyWhen

    (rule,) = [r for r in Statement.rules if isinstance(r, EmptyExactlyWhen)]
    assert StatementMode(rule.value) is StatementMode.source_assessment
