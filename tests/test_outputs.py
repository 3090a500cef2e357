"""The published files: formats as documented, and a Data Package frictionless accepts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from jsonschema import Draft202012Validator

from ca_summit_data.models import TABLE_MODELS, columns

from .conftest import ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def frictionless_validate(path: Path) -> dict[str, object]:
    exe = shutil.which("frictionless", path=str(Path(sys.executable).parent))
    assert exe is not None, "frictionless is not installed in this environment (it is in the dev extra)"
    proc = subprocess.run([exe, "validate", "--json", str(path)], capture_output=True, text=True, cwd=path.parent)
    report: dict[str, object] = json.loads(proc.stdout)
    return report


def test_frictionless_accepts_the_package() -> None:
    report = frictionless_validate(ROOT / "datapackage.json")
    assert report["valid"] is True, json.dumps(report["errors"], indent=1)[:2000]
    tasks = report["tasks"]
    assert isinstance(tasks, list)
    assert len(tasks) == len(DESCRIPTOR["resources"])


def test_frictionless_catches_a_broken_copy(project: Path) -> None:
    """The descriptor is not vacuous: a wrong cell, a dangling key and a changed Parquet file are caught."""
    persons = project / "data" / "persons.csv"
    persons.write_text(persons.read_text().replace("KAZ", "XXX"))
    parquet = project / "data" / "summits.parquet"
    parquet.write_bytes(parquet.read_bytes()[:-10] + b"0123456789")
    report = frictionless_validate(project / "datapackage.json")
    assert report["valid"] is False
    failing = {t["name"] for t in report["tasks"] if not t["valid"]}  # type: ignore[attr-defined]
    assert {"persons", "summits_parquet"} <= failing


def test_descriptor_metadata() -> None:
    from ca_summit_data import __version__

    assert DESCRIPTOR["version"] == __version__
    assert DESCRIPTOR["$schema"].endswith("/2.0/datapackage.json")
    assert [lic["name"] for lic in DESCRIPTOR["licenses"]] == ["CC-BY-4.0"]
    assert DESCRIPTOR["code_license"]["name"] == "MIT"
    assert DESCRIPTOR["contributors"] and DESCRIPTOR["sources"]
    for resource in DESCRIPTOR["resources"]:
        data = (ROOT / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert {"name", "path", "format", "mediatype"} <= resource.keys()


@pytest.mark.parametrize("model", TABLE_MODELS, ids=lambda m: m.table)
def test_table_schema_follows_the_model(model: type) -> None:
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == model.table)
    schema = resource["schema"]
    assert [f["name"] for f in schema["fields"]] == [c.name for c in columns(model)]
    assert schema["primaryKey"] == [model.primary_key]
    assert {fk["fields"][0]: fk["reference"]["resource"] for fk in schema["foreignKeys"]} == {
        k: t for k, (t, _) in model.foreign_keys.items()
    }
    assert all(f.get("description") for f in schema["fields"])


@pytest.mark.parametrize("model", TABLE_MODELS, ids=lambda m: m.table)
def test_csv_format(model: type) -> None:
    raw = (ROOT / "data" / f"{model.table}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == [c.name for c in columns(model)]
    keys = [row[rows[0].index(model.primary_key)] for row in rows[1:]]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("model", TABLE_MODELS, ids=lambda m: m.table)
def test_parquet_types_and_metadata(model: type) -> None:
    path = ROOT / "data" / f"{model.table}.parquet"
    table = pq.read_table(path)
    meta = pq.read_metadata(path)
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert b"pandas" not in (table.schema.metadata or {})
    info = json.loads(table.schema.metadata[b"ca_summit_data"])
    assert info["table"] == model.table
    assert info["primary_key"] == [model.primary_key]
    for column in columns(model):
        field = table.schema.field(column.name)
        expected = {
            "date": pa.types.is_date32,
            "integer": pa.types.is_int64,
            "number": pa.types.is_decimal,
            "boolean": pa.types.is_boolean,
            "list": pa.types.is_list,
        }.get(column.type)
        if column.enum is not None:
            assert pa.types.is_dictionary(field.type)
            assert table.column(column.name).combine_chunks().dictionary.to_pylist() == list(column.enum)
        elif expected is not None:
            assert expected(field.type), (column.name, field.type)
        else:
            assert pa.types.is_string(field.type)
        assert field.nullable is not column.required
        assert field.metadata[b"description"].decode() == column.description
    csv_rows = list(csv.DictReader(io.StringIO((ROOT / "data" / f"{model.table}.csv").read_text())))
    assert table.num_rows == len(csv_rows)
    assert table.column(model.primary_key).to_pylist() == [r[model.primary_key] for r in csv_rows]


def test_nested_document_matches_its_schema() -> None:
    document = json.loads((ROOT / "data" / "ca_summit.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / "summit_document.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    errors = list(
        Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(document)
    )
    assert errors == []
    # Money travels as exact decimal strings, never as floats.
    assert document["financial_targets"][0]["amount"] == "3000000000000"
    assert document["financial_targets"][0]["equivalent_amount"] == "317500000000000"


@pytest.mark.parametrize("path", sorted((ROOT / "schemas").glob("*.schema.json")), ids=lambda p: p.name)
def test_json_schemas_are_valid_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
