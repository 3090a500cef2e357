"""Classifying schema and row changes: breaking (major), additive (minor), corrections (patch).

Property tests generate Table Schemas and apply one known kind of change; the classifier
must name the level semver for data gives it, and undoing a widening must be breaking.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ca_summit_data.package import UnreadablePackage
from ca_summit_data.release.diff import (
    Level,
    bump,
    check_version,
    compare_constraints,
    compare_rows,
    compare_table_schema,
)

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
TYPES = st.sampled_from(["string", "integer", "number", "boolean", "date", "list"])


@st.composite
def field_dicts(draw: st.DrawFn, name: str) -> dict[str, Any]:
    kind = draw(TYPES)
    constraints: dict[str, Any] = {}
    if draw(st.booleans()):
        constraints["required"] = True
    if kind == "string":
        if draw(st.booleans()):
            constraints["maxLength"] = draw(st.integers(1, 500))
        if draw(st.booleans()):
            constraints["enum"] = sorted(draw(st.sets(NAMES, min_size=1, max_size=5)))
    if kind == "integer" and draw(st.booleans()):
        constraints["minimum"] = draw(st.integers(-5, 5))
    field: dict[str, Any] = {"name": name, "type": kind, "description": draw(st.text(max_size=20))}
    if constraints:
        field["constraints"] = constraints
    return field


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(NAMES, min_size=1, max_size=6, unique=True))
    return {
        "fields": [draw(field_dicts(n)) for n in names],
        "missingValues": [""],
        "primaryKey": [names[0]],
        "foreignKeys": [],
    }


def level(old: dict[str, Any], new: dict[str, Any]) -> Level:
    return max((c.level for c in compare_table_schema("t", old, new)), default=Level.NONE)


@given(schemas())
def test_an_unchanged_schema_has_no_changes(schema: dict[str, Any]) -> None:
    assert compare_table_schema("t", schema, copy.deepcopy(schema)) == []


@given(schemas(), NAMES, TYPES)
def test_adding_a_column_is_minor_and_removing_it_major(schema: dict[str, Any], name: str, kind: str) -> None:
    assume(name not in {f["name"] for f in schema["fields"]})
    wider = copy.deepcopy(schema)
    wider["fields"].append({"name": name, "type": kind})
    assert level(schema, wider) is Level.MINOR
    assert level(wider, schema) is Level.MAJOR


@given(schemas(), st.data())
def test_renaming_a_column_is_major(schema: dict[str, Any], data: st.DataObject) -> None:
    names = {f["name"] for f in schema["fields"]}
    index = data.draw(st.integers(0, len(schema["fields"]) - 1))
    new_name = data.draw(NAMES.filter(lambda n: n not in names))
    renamed = copy.deepcopy(schema)
    renamed["fields"][index]["name"] = new_name
    if index == 0:
        renamed["primaryKey"] = [new_name]
    changes = compare_table_schema("t", schema, renamed)
    assert max(c.level for c in changes) is Level.MAJOR
    assert any("renamed to" in c.message for c in changes)


@given(schemas(), st.data())
def test_any_type_change_is_major(schema: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(schema["fields"]) - 1))
    new_type = data.draw(TYPES.filter(lambda t: t != schema["fields"][index]["type"]))
    changed = copy.deepcopy(schema)
    changed["fields"][index]["type"] = new_type
    assert level(schema, changed) is Level.MAJOR


@given(schemas(), st.data())
def test_a_description_change_is_a_patch(schema: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(schema["fields"]) - 1))
    text = data.draw(st.text(min_size=1, max_size=20).filter(lambda t: t != schema["fields"][index]["description"]))
    changed = copy.deepcopy(schema)
    changed["fields"][index]["description"] = text
    assert level(schema, changed) is Level.PATCH


@given(st.integers(0, 1000), st.integers(0, 1000), st.sampled_from(["maxLength", "maximum"]))
def test_upper_bounds_narrow_when_lowered(old: int, new: int, key: str) -> None:
    expected = Level.NONE if old == new else Level.MAJOR if new < old else Level.MINOR
    found = max((c.level for c in compare_constraints("t.c", {key: old}, {key: new})), default=Level.NONE)
    assert found is expected


@given(st.integers(0, 1000), st.integers(0, 1000), st.sampled_from(["minLength", "minimum"]))
def test_lower_bounds_narrow_when_raised(old: int, new: int, key: str) -> None:
    expected = Level.NONE if old == new else Level.MAJOR if new > old else Level.MINOR
    found = max((c.level for c in compare_constraints("t.c", {key: old}, {key: new})), default=Level.NONE)
    assert found is expected


@given(
    st.sampled_from(["maxLength", "maximum", "minLength", "minimum", "pattern", "enum", "required", "unique",
                     "codeList", "plainText", "itemPattern"]),
    st.one_of(st.integers(0, 9), st.just("^[a-z]+$"), st.just(["a", "b"]), st.just(True)),
)
def test_a_new_constraint_narrows_and_dropping_it_widens(key: str, value: Any) -> None:
    if key in {"required", "unique", "plainText"}:
        value = True
    adds = compare_constraints("t.c", {}, {key: value})
    drops = compare_constraints("t.c", {key: value}, {})
    assert [c.level for c in adds] == [Level.MAJOR]
    assert [c.level for c in drops] == [Level.MINOR]


@given(st.sets(NAMES, min_size=1, max_size=6), st.sets(NAMES, min_size=1, max_size=6))
def test_enum_values_added_widen_and_removed_narrow(old: set[str], new: set[str]) -> None:
    found = max(
        (c.level for c in compare_constraints("t.c", {"enum": sorted(old)}, {"enum": sorted(new)})),
        default=Level.NONE,
    )
    if old == new:
        assert found is Level.NONE
    elif old < new:
        assert found is Level.MINOR
    else:
        assert found is Level.MAJOR


def widen(schema: dict[str, Any], choice: int, data: st.DataObject) -> dict[str, Any] | None:
    """One additive change to ``schema`` (None when this kind does not apply to it)."""
    wider = copy.deepcopy(schema)
    names = {f["name"] for f in wider["fields"]}
    constrained = [f for f in wider["fields"] if f.get("constraints")]
    if choice == 0:
        wider["fields"].append({"name": data.draw(NAMES.filter(lambda n: n not in names)), "type": "string"})
        return wider
    if not constrained:
        return None
    field = data.draw(st.sampled_from(constrained))
    constraints = field["constraints"]
    key = data.draw(st.sampled_from(sorted(constraints)))
    if choice == 1:
        del constraints[key]  # dropping any constraint widens
    elif key == "maxLength":
        constraints[key] += data.draw(st.integers(1, 100))
    elif key == "minimum":
        constraints[key] -= data.draw(st.integers(1, 100))
    elif key == "enum":
        constraints[key] = sorted({*constraints[key], data.draw(NAMES.filter(lambda n: n not in constraints[key]))})
    else:
        del constraints[key]
    return wider


@given(schemas(), st.integers(0, 2), st.data())
def test_a_widening_is_minor_and_its_reverse_breaking(schema: dict[str, Any], choice: int, data: st.DataObject) -> None:
    wider = widen(schema, choice, data)
    assume(wider is not None)
    assert wider is not None
    assert level(schema, wider) is Level.MINOR
    assert level(wider, schema) is Level.MAJOR


def test_keys_and_column_order() -> None:
    fields: list[dict[str, Any]] = [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}]
    base: dict[str, Any] = {"fields": fields, "primaryKey": ["a"]}
    reordered = {**base, "fields": list(reversed(fields))}
    assert level(base, reordered) is Level.MAJOR
    assert level(base, {**base, "primaryKey": ["b"]}) is Level.MAJOR
    fk = {"fields": ["b"], "reference": {"resource": "other", "fields": ["id"]}}
    assert level(base, {**base, "foreignKeys": [fk]}) is Level.MAJOR, "a new foreign key on an old column narrows"
    assert level({**base, "foreignKeys": [fk]}, base) is Level.MAJOR, "a key removed is a key changed"
    with_new_column = {**base, "fields": [*fields, {"name": "c", "type": "string"}]}
    fk_c = {"fields": ["c"], "reference": {"resource": "other", "fields": ["id"]}}
    assert level(base, {**with_new_column, "foreignKeys": [fk_c]}) is Level.MINOR
    assert level(base, {**base, "missingValues": ["", "NA"]}) is Level.MAJOR


ROWS = st.dictionaries(
    st.from_regex(r"[a-z]{1,4}", fullmatch=True), st.tuples(st.sampled_from(["x", "y"]), st.sampled_from(["1", "2"]))
)


@settings(deadline=None)
@given(ROWS, ROWS)
def test_rows_are_compared_by_primary_key(old: dict[str, tuple[str, str]], new: dict[str, tuple[str, str]]) -> None:
    def rows(d: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
        return [{"id": k, "a": a, "b": b} for k, (a, b) in d.items()]

    diff = compare_rows("t", ["id"], rows(old), rows(new))
    assert set(diff.added) == set(new) - set(old)
    assert set(diff.removed) == set(old) - set(new)
    assert {k for k, _ in diff.changed} == {k for k in set(old) & set(new) if old[k] != new[k]}
    for key, columns in diff.changed:
        assert set(columns) == {c for c, i in (("a", 0), ("b", 1)) if old[key][i] != new[key][i]}
    expected = (
        Level.MAJOR if diff.removed else Level.MINOR if diff.added else Level.PATCH if diff.changed else Level.NONE
    )
    assert diff.level is expected


def test_duplicate_keys_are_unreadable_input() -> None:
    with pytest.raises(UnreadablePackage, match="twice"):
        compare_rows("t", ["id"], [{"id": "a"}, {"id": "a"}], [])


@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20), st.sampled_from(list(Level)))
def test_bump_is_the_smallest_version_that_says_so(major: int, minor: int, patch: int, lvl: Level) -> None:
    version = f"{major}.{minor}.{patch}"
    bumped = bump(version, lvl)
    parts = tuple(int(p) for p in bumped.split("."))
    assert parts >= (major, minor, patch)
    assert check_version(version, bumped, lvl).ok
    if lvl is not Level.NONE:
        assert parts > (major, minor, patch)
        assert not check_version(version, version, lvl).ok
        assert check_version(version, version, lvl, baseline_released=False).ok


def test_version_rules() -> None:
    assert bump("0.1.0", Level.MAJOR) == "1.0.0"
    assert bump("0.1.3", Level.MINOR) == "0.2.0"
    assert bump("0.1.3", Level.PATCH) == "0.1.4"
    assert not check_version("0.1.0", "0.1.1", Level.MINOR).ok
    assert check_version("0.1.0", "0.2.0", Level.MINOR).ok
    assert not check_version("0.2.0", "0.1.0", Level.NONE).ok, "a version never goes down"
    assert not check_version("0.2.0", "0.1.0", Level.MAJOR, baseline_released=False).ok
    with pytest.raises(UnreadablePackage):
        check_version("0.1", "0.1.0", Level.NONE)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({}, {"codeList": "ISO 4217"}, Level.MAJOR),
        ({"codeList": "ISO 4217"}, {}, Level.MINOR),
        ({"codeList": "ISO 4217"}, {"codeList": "ISO 3166-1 alpha-3"}, Level.MAJOR),
        ({}, {"plainText": True}, Level.MAJOR),
        ({"plainText": True}, {}, Level.MINOR),
        ({"maxDigits": 30, "decimalPlaces": 4}, {"maxDigits": 32, "decimalPlaces": 4}, Level.MINOR),
        ({"maxDigits": 30, "decimalPlaces": 4}, {"maxDigits": 30, "decimalPlaces": 2}, Level.MAJOR),
        # more places within the same total leaves fewer digits before the point
        ({"maxDigits": 30, "decimalPlaces": 4}, {"maxDigits": 30, "decimalPlaces": 6}, Level.MAJOR),
        ({"maxDigits": 30, "decimalPlaces": 4}, {"maxDigits": 32, "decimalPlaces": 6}, Level.MINOR),
        ({}, {"maxDigits": 30, "decimalPlaces": 4}, Level.MAJOR),
        ({"maxDigits": 30, "decimalPlaces": 4}, {}, Level.MINOR),
        ({"maxDigits": 30, "decimalPlaces": 4}, {"maxDigits": "30", "decimalPlaces": 4}, Level.MAJOR),
        ({"itemPattern": "^[a-z]+$"}, {}, Level.MINOR),
    ],
)
def test_model_rules_on_a_field_are_ranked_like_constraints(
    old: dict[str, Any], new: dict[str, Any], expected: Level
) -> None:
    base = {"fields": [{"name": "c", "type": "string"}], "primaryKey": ["c"]}
    before, after = copy.deepcopy(base), copy.deepcopy(base)
    before["fields"][0].update(old)
    after["fields"][0].update(new)
    assert level(before, after) is expected
    keys = set(old) | set(new)
    assert all(any(k in c.message for k in keys) for c in compare_table_schema("t", before, after))


@given(st.integers(1, 40), st.integers(0, 10), st.integers(1, 40), st.integers(0, 10))
def test_digit_limits_narrow_when_either_side_of_the_point_shrinks(d1: int, p1: int, d2: int, p2: int) -> None:
    assume(p1 <= d1 and p2 <= d2 and (d1, p1) != (d2, p2))
    base = {"fields": [{"name": "c", "type": "number"}], "primaryKey": ["c"]}
    before, after = copy.deepcopy(base), copy.deepcopy(base)
    before["fields"][0].update(maxDigits=d1, decimalPlaces=p1)
    after["fields"][0].update(maxDigits=d2, decimalPlaces=p2)
    shrinks = d2 - p2 < d1 - p1 or p2 < p1
    assert level(before, after) is (Level.MAJOR if shrinks else Level.MINOR)


def test_a_rule_added_narrows_and_a_rule_removed_widens() -> None:
    rule = {"rule": "notBefore", "fields": ["b", "a"]}
    base = {"fields": [{"name": "a", "type": "date"}, {"name": "b", "type": "date"}]}
    assert level(base, {**base, "rules": [rule]}) is Level.MAJOR
    assert level({**base, "rules": [rule]}, base) is Level.MINOR
    assert level({**base, "rules": [rule]}, {**base, "rules": [rule]}) is Level.NONE


def test_a_rule_on_a_column_added_with_it_narrows_nothing() -> None:
    """A rule is checked only where its columns are present: on a new column it cannot refuse an old file."""
    base = {"fields": [{"name": "a", "type": "date"}]}
    grown = {"fields": [*base["fields"], {"name": "b", "type": "date"}]}
    assert level(base, {**grown, "rules": [{"rule": "notBefore", "fields": ["b", "a"]}]}) is Level.MINOR
    assert level(grown, {**grown, "rules": [{"rule": "notBefore", "fields": ["b", "a"]}]}) is Level.MAJOR
