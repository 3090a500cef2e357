"""Every Table Schema type, format, option and constraint, checked by us and by frictionless.

Each case of ``CELLS`` is one column of one type: cells that must be valid and cells that
must not. They are written to one CSV file (a row each) and validated by
``ca_summit_data.validation.validate`` and by ``frictionless.validate``: both must give
every row the same verdict, and every (row, field) frictionless reports we report too.
``TABLES`` do the same for whole schemas (keys, ``fieldsMatch``, missing values).

Where the specification and frictionless 5.x differ, we follow the specification: those
cells are in ``SPEC_CELLS`` and their reasons, in the spec's words, in
``KNOWN_DIFFERENCES`` (``tests/known_differences.py``, one list for both parity suites);
there we assert the spec's verdict, and that frictionless still gives the other one (so
the list stays true). Hypothesis then varies the inputs where they vary most: numbers
with grouping and decimal characters, durations, datetimes.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ca_summit_data.schema.tableschema import from_table_schema
from ca_summit_data.schema.temporal import canonical_duration, duration_order, read_duration
from ca_summit_data.validation import validate
from ca_summit_data.validation.cells import parse_text

from .known_differences import TYPE_DIFFERENCES as KNOWN_DIFFERENCES

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
"""Frictionless checks v2 constraints (exclusiveMinimum …) only in a package that says it is v2."""
Cells = tuple[dict[str, Any], list[str], list[str]]
"""(field properties, cells that are valid, cells that are not)."""

POINT = '{"type": "Point", "coordinates": [90.5, 45.5]}'
TOPOLOGY = '{"type": "Topology", "objects": {"a": {"type": "Point", "coordinates": [0, 0]}}, "arcs": []}'

CELLS: dict[str, Cells] = {
    # string and its formats
    "string": ({"type": "string"}, ["x", " spaced ", "é"], []),
    "string email": ({"type": "string", "format": "email"}, ["name@example.org", "a.b+c@mail.example.co.jp"],
                     ["name", "@example.org", "a@@b.org"]),
    "string uri": ({"type": "string", "format": "uri"}, ["https://example.org/a?b=1#c", "urn:isbn:0451450523",
                                                        "mailto:a@b.org"], ["example.org", "/relative/path"]),
    "string uuid": ({"type": "string", "format": "uuid"}, ["123e4567-e89b-12d3-a456-426614174000"],
                    ["123e4567", "zzze4567-e89b-12d3-a456-426614174000"]),
    "string binary": ({"type": "string", "format": "binary"}, ["aGVsbG8=", "aGVsbG8gd29ybGQ="], ["aGVsbG8", "a"]),
    # numbers
    "integer": ({"type": "integer"}, ["1", "-5", "+3", " 7 ", "0", "123456789012345678901234567890"],
                ["1.5", "x", "1e3", "-"]),
    "integer bareNumber": ({"type": "integer", "bareNumber": False}, ["€95", "95%", "EUR -12"], ["EUR", "%"]),
    "number": ({"type": "number"}, ["1.5", "-2", "1e3", "1.5E-3", ".5", "NaN", "INF", "-INF", "+1.0"],
               ["1,5", "x", "1.2.3", "e5"]),
    "number decimalChar": ({"type": "number", "decimalChar": ","}, ["1,5", "-2", "3,25"], ["1.5", "x"]),
    "number groupChar": ({"type": "number", "groupChar": ","}, ["1,000.5", "1,000,000", "12"], ["1.000,5x"]),
    "number group and decimal": ({"type": "number", "groupChar": ".", "decimalChar": ","},
                                 ["1.000,5", "1.234.567,89", "3"], ["1,000.5x"]),
    "number bareNumber": ({"type": "number", "bareNumber": False}, ["95%", "€95.5", "EUR 1.5"], ["EUR"]),
    # boolean
    "boolean": ({"type": "boolean"}, ["true", "False", "TRUE", "1", "0"], ["yes", "t", "2"]),
    "boolean values": ({"type": "boolean", "trueValues": ["yes", "y"], "falseValues": ["no"]}, ["yes", "y", "no"],
                       ["true", "0", "n"]),
    # dates and times
    "date": ({"type": "date"}, ["2025-12-20", "2024-02-29", "0001-01-01"], ["2025-02-30", "2023-02-29", "20-12-2025",
                                                                          "2025-13-01"]),
    "date pattern": ({"type": "date", "format": "%d/%m/%Y"}, ["20/12/2025", "1/2/2025"], ["2025-12-20", "31/02/2025"]),
    "date any": ({"type": "date", "format": "any"}, ["2025-12-20", "20 December 2025", "Dec 20, 2025"],
                 ["not a date", "2025-02-30"]),
    "time": ({"type": "time"}, ["15:00:00", "00:00:00", "23:59:59.250", "10:00:00Z", "10:00:00+05:30"],
             ["25:00:00", "10:60:00", "3pm", "10:00", "10:00:0"]),
    "time pattern": ({"type": "time", "format": "%H:%M"}, ["15:00", "9:05"], ["15:00:00", "24:00"]),
    "time any": ({"type": "time", "format": "any"}, ["15:00", "3pm", "15:00:00"], ["later"]),
    "datetime": ({"type": "datetime"}, ["2024-01-26T15:00:00", "2024-01-26T15:00:00.300-05:00",
                                        "2024-01-26T15:00:00Z"], ["2024-01-26", "2024-02-30T10:00:00",
                                                                  "2024-01-26T15:61:00", "yesterday"]),
    "datetime pattern": ({"type": "datetime", "format": "%d/%m/%Y %H:%M:%S"}, ["12/11/2018 09:15:32"],
                         ["2018-11-12T09:15:32", "12/11/2018"]),
    "datetime any": ({"type": "datetime", "format": "any"}, ["2018-11-12 09:15", "12 Nov 2018 9am"], ["soon"]),
    "year": ({"type": "year"}, ["2004", "1999", "0000"], ["04", "20x4", "2004.5"]),
    "yearmonth": ({"type": "yearmonth"}, ["2004-08", "1999-12"], ["2004-13", "2004-00", "August 2004", "2004"]),
    "duration": ({"type": "duration"}, ["P1Y2M3DT4H5M6S", "PT36H", "P1D", "-P2M", "PT0.5S", "P0D"],
                 ["P", "1Y", "P1H"]),
    # geography
    "geopoint": ({"type": "geopoint"}, ["90.5, 45.5", "-180,-90", "0,0"], ["190, 45", "90.5", "a, b", "45, 91"]),
    "geopoint array": ({"type": "geopoint", "format": "array"}, ["[90.5, 45.5]", "[0, 0]"],
                       ["[90.5]", "[190, 0]", "90.5, 45.5"]),
    "geopoint object": ({"type": "geopoint", "format": "object"}, ['{"lon": 90.5, "lat": 45.5}'],
                        ['{"lon": 90.5}', '{"lon": 90.5, "lat": 95}', "[1, 2]"]),
    "geojson": ({"type": "geojson"}, [POINT, '{"type": "Feature", "geometry": null, "properties": {}}',
                                      '{"type": "FeatureCollection", "features": []}'],
                ['{"type": "Point"}', '{"type": "Circle", "coordinates": [0, 0]}', "[1, 2]", "x"]),
    "geojson topojson": ({"type": "geojson", "format": "topojson"}, [TOPOLOGY], ["{}"]),
    # JSON values
    "object": ({"type": "object"}, ['{"a": 1}', "{}", '{"a": {"b": [1, 2]}}'], ["[1]", "x", '"text"', "{"]),
    "array": ({"type": "array"}, ["[1, 2]", "[]", '[{"a": 1}]'], ['{"a": 1}', "x", "["]),
    # list and its item types
    "list": ({"type": "list"}, ["a,b", "a", ""], []),
    "list delimiter": ({"type": "list", "delimiter": ";", "itemType": "integer"}, ["1;2;3", "4"], ["1,2", "1;x"]),
    "list integer": ({"type": "list", "itemType": "integer"}, ["1,2,3", "-4"], ["1,x", "1.5"]),
    "list number": ({"type": "list", "itemType": "number"}, ["1.5,2", "NaN"], ["1.5,x"]),
    "list boolean": ({"type": "list", "itemType": "boolean"}, ["true,false", "1"], ["true,yes"]),
    "list date": ({"type": "list", "itemType": "date"}, ["2025-01-01,2025-12-31"], ["2025-01-01,2025-02-30"]),
    "list datetime": ({"type": "list", "itemType": "datetime"}, ["2025-01-01T10:00:00,2025-01-02T10:00:00"],
                      ["2025-01-01T10:00:00,2025-01-02"]),
    "list time": ({"type": "list", "itemType": "time"}, ["10:00:00,11:30:00"], ["10:00:00,26:00:00"]),
    "any": ({"type": "any"}, ["1", "x", "2025-01-01"], []),
    # missing values of one field
    "field missingValues": ({"type": "integer", "missingValues": ["-", "NA"]}, ["-", "NA", "5"], [""]),
    # constraints
    "required": ({"type": "string", "constraints": {"required": True}}, ["x"], [""]),
    "enum string": ({"type": "string", "constraints": {"enum": ["a", "b"]}}, ["a", "b"], ["c", "A"]),
    "enum integer": ({"type": "integer", "constraints": {"enum": [1, 2]}}, ["1", "2", "+2"], ["3", "0"]),
    "enum number -0": ({"type": "number", "constraints": {"enum": [0, 1.5]}}, ["0", "-0", "0.0", "-0.0", "1.50"],
                       ["2"]),
    "enum boolean": ({"type": "boolean", "constraints": {"enum": [True]}}, ["true", "1"], ["false"]),
    "enum date": ({"type": "date", "constraints": {"enum": ["2025-12-20"]}}, ["2025-12-20"], ["2025-12-21"]),
    "enum datetime": ({"type": "datetime", "constraints": {"enum": ["2025-12-20T10:00:00"]}},
                      ["2025-12-20T10:00:00"], ["2025-12-20T10:00:01"]),
    "enum time": ({"type": "time", "constraints": {"enum": ["10:00:00"]}}, ["10:00:00"], ["11:00:00"]),
    "enum year": ({"type": "year", "constraints": {"enum": [2004, 2005]}}, ["2004"], ["2006"]),
    "enum yearmonth": ({"type": "yearmonth", "constraints": {"enum": ["2004-08"]}}, ["2004-08"], ["2004-09"]),
    "enum duration": ({"type": "duration", "constraints": {"enum": ["P1D"]}}, ["P1D", "PT24H"], ["P2D"]),
    "enum geopoint": ({"type": "geopoint", "constraints": {"enum": ["90.5, 45.5"]}}, ["90.5,45.5"], ["1, 1"]),
    "enum object": ({"type": "object", "constraints": {"enum": [{"a": 1}]}}, ['{"a": 1}', '{ "a" : 1 }'],
                    ['{"a": 2}']),
    "enum array": ({"type": "array", "constraints": {"enum": [[1, 2]]}}, ["[1, 2]", "[1,2]"], ["[2, 1]"]),
    "enum any": ({"type": "any", "constraints": {"enum": ["x", "y"]}}, ["x"], ["z"]),
    "pattern": ({"type": "string", "constraints": {"pattern": "[a-z]+[0-9]?"}}, ["abc", "ab1"], ["Abc", "ab12"]),
    "minLength string": ({"type": "string", "constraints": {"minLength": 2}}, ["ab", "abc"], ["a"]),
    "maxLength string": ({"type": "string", "constraints": {"maxLength": 2}}, ["ab", "é"], ["abc"]),
    "minLength array": ({"type": "array", "constraints": {"minLength": 2}}, ["[1, 2]"], ["[1]"]),
    "maxLength array": ({"type": "array", "constraints": {"maxLength": 1}}, ["[1]", "[]"], ["[1, 2]"]),
    "minLength object": ({"type": "object", "constraints": {"minLength": 1}}, ['{"a": 1}'], ["{}"]),
    "maxLength object": ({"type": "object", "constraints": {"maxLength": 1}}, ['{"a": 1}'], ['{"a": 1, "b": 2}']),
    "minLength list": ({"type": "list", "constraints": {"minLength": 2}}, ["a,b"], ["a"]),
    "maxLength list": ({"type": "list", "itemType": "integer", "constraints": {"maxLength": 2}}, ["1,2"], ["1,2,3"]),
    "minimum integer": ({"type": "integer", "constraints": {"minimum": 10}}, ["10", "11"], ["9", "-10"]),
    "maximum integer": ({"type": "integer", "constraints": {"maximum": 10}}, ["10", "-11"], ["11"]),
    "exclusiveMinimum integer": ({"type": "integer", "constraints": {"exclusiveMinimum": 10}}, ["11"], ["10"]),
    "exclusiveMaximum integer": ({"type": "integer", "constraints": {"exclusiveMaximum": 10}}, ["9"], ["10"]),
    "maximum big integer": ({"type": "integer", "constraints": {"maximum": 10**30}},
                            ["999999999999999999999999999999", "5"], ["1000000000000000000000000000001"]),
    "minimum number": ({"type": "number", "constraints": {"minimum": 1.5}}, ["1.5", "2"], ["1.49", "-INF"]),
    "exclusiveMaximum number": ({"type": "number", "constraints": {"exclusiveMaximum": 1.5}}, ["1.4"], ["1.5"]),
    "minimum date": ({"type": "date", "constraints": {"minimum": "2025-01-01"}}, ["2025-01-01"], ["2024-12-31"]),
    "maximum date": ({"type": "date", "constraints": {"maximum": "2025-01-01"}}, ["2024-12-31"], ["2025-01-02"]),
    "exclusiveMinimum date pattern": ({"type": "date", "format": "%d/%m/%Y",
                                       "constraints": {"exclusiveMinimum": "01/01/2025"}}, ["02/01/2025"],
                                      ["01/01/2025"]),
    "minimum time": ({"type": "time", "constraints": {"minimum": "09:00:00"}}, ["09:00:00", "17:00:00"],
                     ["08:59:59"]),
    "maximum time": ({"type": "time", "constraints": {"maximum": "17:00:00"}}, ["17:00:00"], ["17:00:01"]),
    "minimum datetime": ({"type": "datetime", "constraints": {"minimum": "2025-01-01T00:00:00"}},
                         ["2025-01-01T00:00:00"], ["2024-12-31T23:59:59"]),
    "exclusiveMaximum datetime": ({"type": "datetime", "constraints": {"exclusiveMaximum": "2025-01-01T00:00:00"}},
                                  ["2024-12-31T23:59:59"], ["2025-01-01T00:00:00"]),
    "minimum year": ({"type": "year", "constraints": {"minimum": 2000}}, ["2000"], ["1999"]),
    "exclusiveMaximum year": ({"type": "year", "constraints": {"exclusiveMaximum": 2000}}, ["1999"], ["2000"]),
    "minimum yearmonth": ({"type": "yearmonth", "constraints": {"minimum": "2004-08"}}, ["2004-08", "2005-01"],
                          ["2004-07"]),
    "maximum yearmonth": ({"type": "yearmonth", "constraints": {"maximum": "2004-08"}}, ["2004-08"], ["2004-09"]),
    "unique": ({"type": "integer", "constraints": {"unique": True}}, ["1", "2", ""], ["1"]),
    "unique number -0": ({"type": "number", "constraints": {"unique": True}}, ["0"], ["-0"]),
    "unique date": ({"type": "date", "constraints": {"unique": True}}, ["2025-01-01"], ["2025-01-01"]),
}

SPEC_CELLS: dict[str, tuple[dict[str, Any], str, bool]] = {
    "integer with an underscore": ({"type": "integer"}, "1_000", False),
    "date without zero padding": ({"type": "date"}, "2025-1-5", False),
    "number Infinity": ({"type": "number"}, "Infinity", False),
    "integer groupChar": ({"type": "integer", "groupChar": ","}, "1,000", True),
    "datetime with a space": ({"type": "datetime"}, "2024-01-26 15:00:00", False),
    "duration with a bare T": ({"type": "duration"}, "PT", False),
    "topojson of a bare geometry": ({"type": "geojson", "format": "topojson"}, POINT, False),
    "year with more digits": ({"type": "year"}, "12004", True),
    "yearmonth with a one-digit month": ({"type": "yearmonth"}, "2004-8", False),
    "duration in weeks": ({"type": "duration"}, "P2W", False),
    "duration maximum": ({"type": "duration", "constraints": {"maximum": "P1D"}}, "PT23H", True),
    "duration maximum exceeded": ({"type": "duration", "constraints": {"maximum": "P1D"}}, "PT25H", False),
    "duration minimum, not ordered": ({"type": "duration", "constraints": {"minimum": "P1M"}}, "P30D", False),
    "duration minimum": ({"type": "duration", "constraints": {"minimum": "P1M"}}, "P32D", True),
    "uuid without hyphens": ({"type": "string", "format": "uuid"}, "123e4567e89b12d3a456426614174000", False),
    "binary with a stray character": ({"type": "string", "format": "binary"}, "aGVs!bG8=", False),
    "geopoint array of strings": ({"type": "geopoint", "format": "array"}, '["90.5", "45.5"]', False),
    "enum on a list": ({"type": "list", "constraints": {"enum": ["a,b"]}}, "a,b", True),
    "enum on a list, not a member": ({"type": "list", "constraints": {"enum": ["a,b"]}}, "b,a", False),
    "jsonSchema on an object": ({"type": "object", "constraints": {"jsonSchema": {
        "type": "object", "properties": {"value": {"type": "integer"}}}}}, '{"value": 1}', True),
    "jsonSchema on an array, broken": ({"type": "array", "constraints": {"jsonSchema": {
        "type": "array", "items": {"type": "integer"}}}}, '[1, "bad"]', False),
    "categories": ({"type": "string", "categories": ["apple", "orange"]}, "banana", False),
    "categories objects": ({"type": "integer", "categories": [{"value": 0, "label": "apple"}]}, "1", False),
}


TABLES: dict[str, tuple[dict[str, Any], str]] = {
    "composite primary key": ({"fields": [{"name": "a", "type": "integer"}, {"name": "b"}], "primaryKey": ["a", "b"]},
                              "a,b\n1,x\n1,y\n1,x\n"),
    "primary key as a string (v1)": ({"fields": [{"name": "a", "type": "integer"}], "primaryKey": "a"},
                                     "a\n1\n2\n1\n\n"),
    "schema missingValues": ({"fields": [{"name": "a", "type": "integer"}, {"name": "b"}],
                              "missingValues": ["", "NA"]}, "a,b\nNA,x\n1,NA\nx,y\n"),
    "missingValues as objects": ({"fields": [{"name": "a", "type": "integer"}, {"name": "b"}],
                                  "missingValues": [{"value": "-", "label": "not asked"}]}, "a,b\n-,x\n2,y\nz,\n"),
    "fieldsMatch equal": ({"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}],
                           "fieldsMatch": "equal"}, "b,a\n1,2\nx,3\n"),
    "fieldsMatch subset": ({"fields": [{"name": "a", "type": "integer"}], "fieldsMatch": "subset"},
                           "c,a\nx,1\ny,z\n"),
    "fieldsMatch superset": ({"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}],
                              "fieldsMatch": "superset"}, "b\n1\nx\n"),
    "fieldsMatch partial": ({"fields": [{"name": "a", "type": "integer"}, {"name": "b"}], "fieldsMatch": "partial"},
                            "c,a\nx,1\ny,z\n"),
    "fieldsMatch equal, a column missing": ({"fields": [{"name": "a"}, {"name": "b"}], "fieldsMatch": "equal"},
                                            "a\n1\n"),
    "fieldsMatch subset, a column missing": ({"fields": [{"name": "a"}, {"name": "b"}], "fieldsMatch": "subset"},
                                             "b,c\n1,2\n"),
    "fieldsMatch superset, an extra column": ({"fields": [{"name": "a"}], "fieldsMatch": "superset"},
                                              "a,c\n1,2\n"),
}

SPEC_TABLES: dict[str, tuple[dict[str, Any], str, set[int]]] = {
    "composite primary key with a missing part": (
        {"fields": [{"name": "a", "type": "integer"}, {"name": "b"}], "primaryKey": ["a", "b"]}, "a,b\n1,x\n2,\n",
        {3}),
    "uniqueKeys": ({"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "uniqueKeys": [["a"], ["b", "c"]]},
                   "a,b,c\n1,x,p\n2,x,q\n3,x,p\n4,,p\n5,,p\n", {4}),
    "required on the field": ({"fields": [{"name": "a", "type": "integer"}, {"name": "b", "required": True}]},
                              "a,b\n1,x\n2,\n", {3}),
}


# --------------------------------------------------------------------------- running both


def _write(folder: Path, schema: dict[str, Any], text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.csv").write_text(text, encoding="utf-8")
    resource = {"name": "t", "path": "t.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": schema}
    descriptor = {"$schema": V2, "name": "case", "resources": [resource]}
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return path


def _column(field: dict[str, Any], cells: list[str]) -> tuple[dict[str, Any], str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "v"])
    writer.writerows([[str(i), cell] for i, cell in enumerate(cells)])
    return {"fields": [{"name": "id", "type": "integer"}, {"name": "v", **field}]}, buffer.getvalue()


def theirs(descriptor: Path) -> tuple[bool, set[tuple[int | None, int | None]]]:
    """frictionless's verdict and the (row, field) of each error it reports."""
    from frictionless import validate as run

    report = run(str(descriptor)).to_dict()
    errors = {(e.get("rowNumber"), e.get("fieldNumber")) for t in report["tasks"] for e in t["errors"]}
    return bool(report["valid"]), errors | {(None, None) for _ in report.get("errors", [])}


def ours(descriptor: Path) -> tuple[int, set[tuple[int | None, int | None]], list[str]]:
    report = validate([descriptor], max_errors=None)
    found = {(f.row, f.column_number) for f in report.findings}
    return int(report.exit_code), found, [str(f) for f in report.findings]


@pytest.fixture
def folder() -> Any:
    path = Path(tempfile.mkdtemp(prefix="types-"))
    yield path
    shutil.rmtree(path)


@pytest.mark.parametrize("case", list(CELLS))
def test_each_cell_gets_the_same_verdict_from_both(case: str, folder: Path) -> None:
    field, good, bad = CELLS[case]
    schema, text = _column(field, good + bad)
    descriptor = _write(folder, schema, text)
    their_valid, their_errors = theirs(descriptor)
    code, found, shown = ours(descriptor)
    assert code != 2, shown
    bad_rows = set(range(2 + len(good), 2 + len(good) + len(bad)))
    assert {row for row, _ in their_errors} == bad_rows, their_errors  # the corpus says what it means to
    assert {row for row, _ in found} == bad_rows, shown
    assert (code == 0) == their_valid == (not bad)
    assert their_errors <= found | {(row, None) for row, _ in found}, shown


@pytest.mark.parametrize("case", list(SPEC_CELLS))
def test_where_the_spec_and_frictionless_differ_we_follow_the_spec(case: str, folder: Path) -> None:
    assert case in KNOWN_DIFFERENCES
    field, cell, valid = SPEC_CELLS[case]
    schema, text = _column(field, [cell])
    descriptor = _write(folder, schema, text)
    code, _, shown = ours(descriptor)
    assert code == (0 if valid else 1), shown
    their_valid, their_errors = theirs(descriptor)
    refused = their_errors == {(None, None)}  # frictionless refuses the schema itself (a feature it lacks)
    assert refused or their_valid != valid, "frictionless now agrees with the spec: drop it from KNOWN_DIFFERENCES"


@pytest.mark.parametrize("case", list(TABLES))
def test_each_table_gets_the_same_findings_from_both(case: str, folder: Path) -> None:
    schema, text = TABLES[case]
    descriptor = _write(folder, schema, text)
    their_valid, their_errors = theirs(descriptor)
    code, found, shown = ours(descriptor)
    assert (code == 0) == their_valid, (their_errors, shown)
    rows = {row for row, _ in found}
    assert all(row in rows or (row is None and 1 in rows) for row, _ in their_errors), (their_errors, shown)


@pytest.mark.parametrize("case", list(SPEC_TABLES))
def test_where_the_spec_asks_more_of_a_table_we_check_it(case: str, folder: Path) -> None:
    assert case in KNOWN_DIFFERENCES
    schema, text, rows = SPEC_TABLES[case]
    descriptor = _write(folder, schema, text)
    code, found, shown = ours(descriptor)
    assert code == 1 and {row for row, _ in found} == rows, shown
    their_valid, their_errors = theirs(descriptor)
    assert their_valid or their_errors == {(None, None)}


def test_every_known_difference_is_a_case() -> None:
    assert set(KNOWN_DIFFERENCES) == set(SPEC_CELLS) | set(SPEC_TABLES)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"type": "date", "format": "YYYY-MM-DD"}, "is not a strptime pattern"),
        ({"type": "date", "format": "%Q"}, "directives Python's strptime does not know"),
        ({"type": "number", "format": "percent"}, "not a format of type number"),
        ({"type": "integer", "constraints": {"minimum": "ten"}}, "is not a integer value"),
        ({"type": "integer", "constraints": {"enum": [1, "x"]}}, "is not a integer value"),
        ({"type": "date", "constraints": {"maximum": "2025-02-30"}}, "is not a date value"),
        ({"type": "string", "constraints": {"minimum": 1}}, "do not apply to type string"),
        ({"type": "object", "constraints": {"jsonSchema": {"type": 5}}}, "is not a valid JSON Schema"),
        ({"type": "boolean", "trueValues": "yes"}, "trueValues must be a list of strings"),
        ({"type": "number", "groupChar": ",", "decimalChar": ","}, "must differ"),
        ({"type": "list", "itemType": "geopoint"}, "itemType must be one of"),
        ({"type": "date", "categories": ["2025-01-01"]}, "categories may only be given"),
        ({"type": "string", "constraints": {"maxLength": -1}}, "must be a non-negative integer"),
    ],
)
def test_a_bad_schema_is_exit_2_with_a_clear_message(field: dict[str, Any], message: str, folder: Path) -> None:
    schema, text = _column(field, ["1"])
    report = validate([_write(folder, schema, text)])
    assert report.exit_code == 2
    assert any(message in f.message and f.code == "unsupported" for f in report.findings), report.findings


def test_messages_name_the_row_column_value_and_what_was_expected(folder: Path) -> None:
    schema, text = _column({"type": "datetime"}, ["2024-01-26 15:00"])
    report = validate([_write(folder, schema, text)])
    finding = next(f for f in report.findings if f.code == "type")
    assert (finding.row, finding.column, finding.value) == (2, "v", "2024-01-26 15:00")
    assert finding.expected is not None and "YYYY-MM-DDThh:mm:ss" in finding.expected


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(field: dict[str, Any], texts: list[str]) -> tuple[list[Any], list[bool]]:
    spec = from_table_schema({"fields": [{"name": "v", **field}]}, "t").fields[0]
    cells = parse_text(spec, 1, pa.array(texts, pa.string()), ("",))
    return cells.value.to_pylist(), cells.invalid.to_pylist()


def _grouped(digits: str, group: str) -> str:
    head = len(digits) % 3 or 3
    return group.join([digits[:head], *[digits[i:i + 3] for i in range(head, len(digits), 3)]])


@SETTINGS
@given(st.integers(-(10**40), 10**40), st.sampled_from([",", ".", " ", "'"]))
def test_integers_with_a_group_character_read_back(number: int, group: str) -> None:
    text = ("-" if number < 0 else "") + _grouped(str(abs(number)), group)
    values, invalid = _read({"type": "integer", "groupChar": group}, [text])
    assert invalid == [False] and int(values[0]) == number


@SETTINGS
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False),
       st.sampled_from([(",", "."), (".", ","), (" ", ","), ("'", ".")]))
def test_numbers_with_group_and_decimal_characters_read_back(number: Decimal, chars: tuple[str, str]) -> None:
    group, decimal = chars
    whole, _, fraction = f"{abs(number):f}".partition(".")
    text = ("-" if number < 0 else "") + _grouped(whole, group) + (decimal + fraction if fraction else "")
    values, invalid = _read({"type": "number", "groupChar": group, "decimalChar": decimal}, [text])
    assert invalid == [False] and values[0] == pytest.approx(float(number))


DURATION_PARTS = st.tuples(*[st.one_of(st.none(), st.integers(0, 500)) for _ in range(6)], st.booleans())


def _duration_text(parts: tuple[Any, ...]) -> str:
    y, mo, d, h, mi, s, negative = parts
    date = "".join(f"{v}{u}" for v, u in ((y, "Y"), (mo, "M"), (d, "D")) if v is not None)
    time = "".join(f"{v}{u}" for v, u in ((h, "H"), (mi, "M"), (s, "S")) if v is not None)
    return ("-" if negative else "") + "P" + date + ("T" + time if time else "") if date or time else "P0D"


@SETTINGS
@given(DURATION_PARTS, DURATION_PARTS)
def test_durations_equal_and_order_as_isodate_says_where_it_can(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    import isodate  # type: ignore[import-untyped]

    first, second = _duration_text(a), _duration_text(b)
    assert canonical_duration(first) is not None
    theirs_first, theirs_second = isodate.parse_duration(first), isodate.parse_duration(second)
    read_a, read_b = read_duration(first), read_duration(second)
    assert read_a is not None and read_b is not None
    order = duration_order(read_a, read_b)
    assert (order == {0}) == (canonical_duration(first) == canonical_duration(second))
    if read_a[0] == 0 and read_b[0] == 0:  # no months: plain timedeltas, totally ordered
        expected = (theirs_first > theirs_second) - (theirs_first < theirs_second)
        assert order == {expected}


@SETTINGS
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
       st.one_of(st.none(), st.integers(-14 * 60, 14 * 60)), st.sampled_from(["seconds", "milliseconds",
                                                                             "microseconds"]))
def test_datetimes_read_as_python_reads_them(moment: datetime, offset: int | None, precision: str) -> None:
    if offset is not None:
        moment = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    text = moment.isoformat(timespec=precision)
    values, invalid = _read({"type": "datetime"}, [text])
    expected = moment.astimezone(UTC).replace(tzinfo=None) if offset is not None else moment
    if precision != "microseconds":
        expected = expected.replace(microsecond=expected.microsecond // 1000 * 1000 if precision == "milliseconds"
                                    else 0)
    assert invalid == [False] and values[0] == expected


@SETTINGS
@given(st.times(), st.sampled_from(["seconds", "microseconds"]))
def test_times_read_as_python_reads_them(moment: Any, precision: str) -> None:
    values, invalid = _read({"type": "time"}, [moment.isoformat(timespec=precision)])
    expected = moment if precision == "microseconds" else moment.replace(microsecond=0)
    assert invalid == [False] and values[0] == expected
