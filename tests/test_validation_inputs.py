"""What a user may hand the validator: their own package, loose files pointing into our tables, seed records."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ca_summit_data.validation import validate

from .conftest import ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def our_schema(table: str) -> dict[str, object]:
    schema: dict[str, object] = next(r["schema"] for r in DESCRIPTOR["resources"] if r["name"] == table)
    return schema


def codes(report: object) -> list[tuple[str, int | None, str | None, str]]:
    return [(f.file.rsplit("/", 1)[-1], f.row, f.column, f.code) for f in report.findings]  # type: ignore[attr-defined]


def test_a_users_table_is_checked_against_its_own_schema(tmp_path: Path) -> None:
    """An unknown table reusing our field types: types, enum, pattern, keys from its schema; no model extras."""
    schema = {
        "fields": [
            {"name": "event_id", "type": "string", "constraints": {"required": True, "pattern": "^[a-z_]+$"}},
            {"name": "summit_id", "type": "string"},
            {"name": "day", "type": "date"},
            {"name": "kind", "type": "string", "constraints": {"enum": ["talk", "visit"]}},
            {"name": "guests", "type": "integer", "constraints": {"minimum": 0}},
            {"name": "note", "type": "string", "constraints": {"maxLength": 5}},
        ],
        "missingValues": ["", "n/a"],
        "primaryKey": ["event_id"],
        "foreignKeys": [{"fields": ["summit_id"], "reference": {"resource": "summits", "fields": ["summit_id"]}}],
    }
    descriptor = {"name": "extension", "resources": [
        {"name": "events", "path": "events.csv", "format": "csv", "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    (tmp_path / "events.csv").write_text(
        "event_id,summit_id,day,kind,guests,note\n"
        "opening,ca_plus_japan_2025,2025-12-20,talk,12, spaced\n"
        "opening,ca_plus_japan_2025,2025-12-21,dance,-1,n/a\n"
        "visit_one,no_such_summit,2025-12-32,visit,n/a,\n"
    )
    report = validate([tmp_path / "datapackage.json"])
    assert codes(report) == [
        ("events.csv", 2, "note", "max-length"),
        ("events.csv", 3, "event_id", "primary-key"),
        ("events.csv", 3, "kind", "enum"),
        ("events.csv", 3, "guests", "minimum"),
        ("events.csv", 4, "summit_id", "foreign-key"),
        ("events.csv", 4, "day", "type"),
    ]
    assert "summits (the published table summits)" in report.findings[-2].message


def test_an_extension_of_our_table_points_into_our_published_tables(tmp_path: Path) -> None:
    """More persons, in a package that has only them: their countries resolve to our published countries."""
    descriptor = {"name": "more", "resources": [
        {"name": "persons", "path": "persons.csv", "format": "csv", "schema": our_schema("persons")}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    (tmp_path / "persons.csv").write_text(
        "person_id,name,country_code,name_official\nnew_person,New Person,KAZ,\nother_person,Other Person,FRA,\n"
    )
    report = validate([tmp_path / "datapackage.json"])
    assert codes(report) == [("persons.csv", 3, "country_code", "foreign-key")]


def test_a_loose_file_uses_the_table_beside_it(tmp_path: Path) -> None:
    (tmp_path / "countries.csv").write_text(
        "country_code,iso2,name,name_id,central_asian\nFRA,FR,France,Prancis,false\n"
    )
    (tmp_path / "persons.csv").write_text("person_id,name,country_code,name_official\nnew_person,New Person,FRA,\n")
    assert validate([tmp_path / "persons.csv"]).exit_code == 0
    (tmp_path / "countries.csv").unlink()  # now FRA is looked up in our published countries, which lack it
    assert codes(validate([tmp_path / "persons.csv"])) == [("persons.csv", 2, "country_code", "foreign-key")]


def test_a_folder_of_our_files_is_a_set_whose_keys_meet(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / "summits.csv"
    path.write_text(path.read_text().replace("ca_plus_japan_2025", "ca_plus_japan_2026", 1))
    report = validate([tmp_path / "data"])
    assert report.exit_code == 1
    foreign = {(f.file.rsplit("/", 1)[-1], f.column) for f in report.findings if f.code == "foreign-key"}
    # Both twins of every table that refers to the summit: they all meet the (changed) summits.csv.
    for table in ("participations", "initiatives", "priority_areas", "statements"):
        assert {(f"{table}.csv", "summit_id"), (f"{table}.parquet", "summit_id")} <= foreign
    assert {f.code for f in report.findings} == {"foreign-key"}


def test_the_parquet_resources_of_our_package_are_checked_as_our_tables(project: Path) -> None:
    import pyarrow.parquet as pq

    path = project / "data" / "countries.parquet"
    table = pq.read_table(path)
    codes_ = table.column("iso2").to_pylist()
    codes_[0] = "ZZ"
    import pyarrow as pa

    pq.write_table(table.set_column(1, table.schema.field(1), pa.array(codes_, pa.string())), path)
    found = codes(validate([project / "datapackage.json"]))
    assert ("countries.parquet", 2, "iso2", "rule") in found
    assert ("countries.parquet", None, None, "hash") in found and ("countries.parquet", None, None, "bytes") in found


def test_seed_records_are_checked_against_their_json_schema_and_model(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    assert validate([seeds]).exit_code == 0
    path = seeds / "summits.yaml"
    text = path.read_text()
    path.write_text(text.replace("edition: 1", 'edition: "1"'))  # a string where a number belongs
    assert [(f.row, f.column, f.code) for f in validate([path]).findings] == [(9, "edition", "schema")]
    path.write_text(text.replace('end_date: "2025-12-20"', 'end_date: "2025-12-18"'))  # a rule of the model
    found = validate([path]).findings
    assert [(f.row, f.code) for f in found] == [(5, "model")]  # the record starts on line 5
    assert "end_date is before start_date" in found[0].message


def test_json_records_name_their_line_and_catch_duplicates(tmp_path: Path) -> None:
    records = [
        {"person_id": "a_person", "name": "A Person", "country_code": "KAZ",
         "evidence": [{"source_id": "pantau_japan_central_asia_initiatives", "quote": "x"}]},
        {"person_id": "a_person", "name": " Spaced", "country_code": "KAZ",
         "evidence": [{"source_id": "pantau_japan_central_asia_initiatives", "quote": "x"}]},
    ]
    path = tmp_path / "persons.json"
    path.write_text("[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n")  # record 2 is on line 3
    found = [(f.row, f.code, f.column) for f in validate([path]).findings]
    assert (3, "primary-key", "person_id") in found
    assert (3, "model", "name") in found
    (tmp_path / "persons.json").write_text('[{"person_id": "a", "person_id": "b"}]')
    assert [f.code for f in validate([path]).findings] == ["syntax"]


def test_the_nested_document_is_checked(tmp_path: Path) -> None:
    document = json.loads((ROOT / "data" / "ca_summit.json").read_text())
    assert validate([ROOT / "data" / "ca_summit.json"]).exit_code == 0
    document["summit"]["edition"] = 0
    (tmp_path / "ca_summit.json").write_text(json.dumps(document))
    report = validate([tmp_path / "ca_summit.json"])
    assert report.exit_code == 1 and {f.column for f in report.findings} == {"summit.edition"}


@pytest.mark.parametrize(
    ("schema_change", "message"),
    [
        ({"fields": [{"name": "a", "type": "string", "constraints": {"unknown": 1}}]}, "constraints unknown"),
        ({"fields": [{"name": "a", "type": "string", "format": "wkt"}]}, "format 'wkt'"),
        ({"fields": [{"name": "a", "type": "list", "itemType": "object"}]}, "itemType must be one of"),
        ({"fields": [{"name": "a"}], "fieldsMatch": "loose"}, "fieldsMatch"),
        ({"fields": [{"name": "a"}], "primaryKey": ["b"]}, "key field 'b'"),
    ],
)
def test_schema_features_we_do_not_check_are_refused_with_exit_2(
    tmp_path: Path, schema_change: dict[str, object], message: str
) -> None:
    (tmp_path / "t.csv").write_text("a\nx\n")
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": schema_change}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate([tmp_path / "datapackage.json"])
    assert report.exit_code == 2
    assert any(message in f.message and f.code == "unsupported" for f in report.findings)


def test_unsafe_and_remote_paths_are_refused(tmp_path: Path) -> None:
    descriptor = {"resources": [{"name": "a", "path": "../secret.csv"}, {"name": "b", "path": "https://x/y.csv"}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate([tmp_path / "datapackage.json"])
    assert report.exit_code == 2 and len(report.findings) == 2


def test_checking_tables_needs_no_pydantic() -> None:
    """Our tables' rules are read from datapackage.json, so tables alone never load the models."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ca_summit_data.validation import validate\n"
        f"data = Path({str(ROOT / 'data')!r})\n"
        "report = validate(sorted(data.glob('*.csv')) + sorted(data.glob('*.parquet')))\n"
        "assert report.exit_code == 0, report\n"
        "loaded = {'pydantic', 'jsonschema', 'ca_summit_data.models'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
        "import os; os._exit(0)  # skip pyarrow's thread-pool teardown, as the command does\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # ... and nor does the command: its shell imports what it needs to report a failure, and no more
    command = (
        "import sys\n"
        "sys.argv = ['ca-summit-data', 'validate', " + repr(str(ROOT / "data" / "countries.csv")) + "]\n"
        "from ca_summit_data.cli import main\n"
        "code = main()\n"
        "print(sorted({'pydantic', 'ca_summit_data.models'} & set(sys.modules)), code)\n"
    )
    done = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "[] 0", done.stdout + done.stderr


def test_importing_the_package_stays_cheap_and_frictionless_is_never_imported() -> None:
    code = (
        "import sys, ca_summit_data, ca_summit_data.validation, ca_summit_data.cli\n"
        "heavy = {'pyarrow', 'pydantic', 'pandas', 'frictionless', 'numpy'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "from pathlib import Path\n"
        "from ca_summit_data.validation import validate\n"
        f"assert validate([Path({str(ROOT / 'datapackage.json')!r})]).exit_code == 0\n"
        "assert 'frictionless' not in sys.modules\n"
        "import os; os._exit(0)  # skip pyarrow's thread-pool teardown, as the command does\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    sources = (ROOT / "src" / "ca_summit_data").rglob("*.py")
    assert not [p for p in sources if "import frictionless" in p.read_text() or "from frictionless" in p.read_text()]


def test_without_our_installed_descriptor_a_users_own_tables_are_still_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_summit_data import package
    from ca_summit_data.validation import ours as modelspec

    def gone() -> Path:
        raise FileNotFoundError("the published dataset was not found")

    (tmp_path / "t.csv").write_text("v\n1\nx\n")
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "format": "csv",
                                 "schema": {"fields": [{"name": "v", "type": "integer"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    monkeypatch.setattr(package, "dataset_path", gone)
    modelspec._our_schemas.cache_clear()
    modelspec.table_spec.cache_clear()
    try:
        report = validate([tmp_path / "datapackage.json"])
        assert report.exit_code == 1 and [(f.code, f.row) for f in report.findings] == [("type", 3)]
        assert any("missing or unreadable" in note for note in report.notes), report.notes
        assert validate([ROOT / "data" / "persons.csv"]).exit_code == 2  # cannot be checked as our table
    finally:
        monkeypatch.undo()
        modelspec._our_schemas.cache_clear()
        modelspec.table_spec.cache_clear()
    assert validate([ROOT / "data" / "persons.csv"]).exit_code == 0


@pytest.mark.parametrize("reference", [{"resource": ""}, {}, {"resource": "tree"}], ids=["empty", "omitted", "own"])
def test_a_foreign_key_into_its_own_table_is_checked_once_the_table_is_read(tmp_path: Path,
                                                                           reference: dict[str, str]) -> None:
    """A row may refer to a row further down; only a key that is nowhere in the table is reported."""
    schema = {"fields": [{"name": "id", "type": "string"}, {"name": "parent", "type": "string"}],
              "primaryKey": ["id"],
              "foreignKeys": [{"fields": ["parent"], "reference": {**reference, "fields": ["id"]}}]}
    descriptor = {"name": "self", "resources": [{"name": "tree", "path": "tree.csv", "format": "csv",
                                                 "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    (tmp_path / "tree.csv").write_text("id,parent\na,c\nb,a\nc,\n")
    assert validate([tmp_path / "datapackage.json"]).exit_code == 0
    (tmp_path / "tree.csv").write_text("id,parent\na,c\nb,zz\nc,\n")
    found = [(f.row, f.column, f.code) for f in validate([tmp_path / "datapackage.json"]).findings]
    assert found == [(3, "parent", "foreign-key")]


def test_parquet_money_is_judged_by_its_exact_digits(tmp_path: Path) -> None:
    """A decimal money column is judged as written, not as the nearest float (which has other digits)."""
    from decimal import Decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(ROOT / "data" / "financial_targets.parquet")
    amounts = ["153568225305.7100", "0.0001", "99999999999999999999999999.9999", "7.1"]
    rows = table.take([0] * len(amounts))
    rows = rows.set_column(rows.schema.get_field_index("target_id"), rows.schema.field("target_id"),
                           pa.array([f"t{i}" for i in range(len(amounts))]))
    exact = pa.array([Decimal(a) for a in amounts], pa.decimal128(30, 4))
    index = rows.schema.get_field_index("amount")
    pq.write_table(rows.set_column(index, rows.schema.field("amount"), exact), tmp_path / "financial_targets.parquet")
    assert codes(validate([tmp_path / "financial_targets.parquet"])) == []
    wider = pa.array([Decimal("1.00001"), Decimal("2.5")], pa.decimal128(12, 5))  # a type with room for more
    two = rows.take([0, 1])
    pq.write_table(two.set_column(index, pa.field("amount", wider.type), wider), tmp_path / "financial_targets.parquet")
    assert codes(validate([tmp_path / "financial_targets.parquet"])) == [("financial_targets.parquet", 2, "amount",
                                                                            "decimal")]


def test_a_repeating_parquet_column_is_checked_per_value_with_the_csv_twins_findings(tmp_path: Path) -> None:
    """A Parquet text column that repeats itself is read per distinct value, as CSV is; nothing is missed."""
    import pyarrow as pa

    rows = 6_000
    bad = {5: "Not_An_Id", 3_000: "", 5_999: "x" * 90}
    codes_column = [bad.get(i, ("alpha_code", "beta_code", "gamma_code")[i % 3]) for i in range(rows)]
    table = pa.table({"id": [f"r{i}" for i in range(rows)], "code": codes_column})
    field = {"name": "code", "type": "string",
             "constraints": {"required": True, "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 80}}
    schema = {"fields": [{"name": "id", "type": "string"}, field], "primaryKey": ["id"]}
    found = {}
    for fmt in ("csv", "parquet"):
        (tmp_path / fmt).mkdir()
        report = _validate_one_table(table, schema, tmp_path / fmt, fmt, row_group_size=2_500)
        found[fmt] = sorted((f.row, f.column, f.code) for f in report.findings)
    assert found["parquet"] == found["csv"] == [(7, "code", "pattern"), (3002, "code", "required"),
                                                (6001, "code", "max-length")]


def _validate_one_table(table: Any, schema: dict[str, Any], folder: Path, fmt: str, row_group_size: int) -> Any:
    """``table`` written to ``folder`` as ``t.csv`` or ``t.parquet`` with ``schema``, and validated as a package."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt == "csv":
        pacsv.write_csv(table, folder / "t.csv")
    else:
        pq.write_table(table, folder / "t.parquet", row_group_size=row_group_size)
    descriptor = {"name": "p", "resources": [{"name": "t", "path": f"t.{fmt}", "format": fmt, "schema": schema}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return validate([folder / "datapackage.json"])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_keys_read_again_show_their_values(tmp_path: Path, fmt: str) -> None:
    """Duplicates and missing references found at the end show the key as written, read again from the
    file's key columns alone (the wide text column beside them is neither typed nor read)."""
    import pyarrow as pa

    rows = 3_000
    ids = [f"k{i}" for i in range(rows)]
    ids[2_000] = "k7"  # a duplicate of row 9 (the header is row 1)
    parents = [None] * rows
    parents[2_500] = "nowhere"
    text = [f"free text {i} " * 8 for i in range(rows)]
    table = pa.table({"id": ids, "note": text, "parent": parents})
    schema = {"fields": [{"name": "id", "type": "string"}, {"name": "note", "type": "string"},
                         {"name": "parent", "type": "string"}],
              "primaryKey": ["id"], "foreignKeys": [{"fields": ["parent"], "reference": {"fields": ["id"]}}]}
    report = _validate_one_table(table, schema, tmp_path, fmt, row_group_size=1_000)
    found = sorted((f.row, f.column, f.code, f.value) for f in report.findings)
    assert found == [(2002, "id", "primary-key", "k7"), (2502, "parent", "foreign-key", "nowhere")]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_file_is_read_again_once_for_all_its_findings(tmp_path: Path, fmt: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A duplicate key and a missing reference into the file itself wait for their values, and the file is
    read again once for both: a second reading of a large file costs as much as the first one's parsing."""
    import pyarrow as pa

    from ca_summit_data.validation import tables

    readings: list[frozenset[str] | None] = []
    real = tables.typed_batches

    def counted(*args: Any, **kwargs: Any) -> Any:
        readings.append(kwargs.get("only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tables, "typed_batches", counted)
    rows = 2_000
    ids = [f"k{i}" for i in range(rows)]
    ids[1_500] = "k3"
    parents = [None] * rows
    parents[400] = "nowhere"
    table = pa.table({"note": [f"text {i}" for i in range(rows)], "id": ids, "parent": parents})
    schema = {"fields": [{"name": "note", "type": "string"}, {"name": "id", "type": "string"},
                         {"name": "parent", "type": "string"}],
              "primaryKey": ["id"], "foreignKeys": [{"fields": ["parent"], "reference": {"fields": ["id"]}}]}
    report = _validate_one_table(table, schema, tmp_path, fmt, row_group_size=500)
    assert sorted((f.row, f.column, f.code, f.value) for f in report.findings) == [
        (402, "parent", "foreign-key", "nowhere"), (1502, "id", "primary-key", "k3")]
    assert readings == [frozenset({"id", "parent"})]


def test_keys_read_again_from_csv_skip_comment_rows_and_other_columns(tmp_path: Path) -> None:
    """Reading only the key columns of a CSV file again keeps its dialect, and its row numbers still count
    the comment rows: the values shown are those of the rows found."""
    lines = ["note,id,parent", "# a comment row", "a,k1,", "b,k2,k9", "# another", "c,k1,", "d,k3,k2"]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema = {"fields": [{"name": "note", "type": "string"}, {"name": "id", "type": "string"},
                         {"name": "parent", "type": "string"}],
              "primaryKey": ["id"], "foreignKeys": [{"fields": ["parent"], "reference": {"fields": ["id"]}}]}
    descriptor = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": schema,
                                              "dialect": {"commentChar": "#"}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate([tmp_path / "datapackage.json"])
    found = sorted((f.row, f.column, f.code, f.value) for f in report.findings)
    assert found == [(4, "parent", "foreign-key", "k9"), (6, "id", "primary-key", "k1")]
    assert "same as row 3" in next(f.message for f in report.findings if f.code == "primary-key")


@pytest.mark.parametrize("limit", [None, 1, 2, 3])
def test_a_file_read_again_while_the_next_is_checked_reports_as_if_in_turn(tmp_path: Path, limit: int | None) -> None:
    """The first file's duplicate keys are read again in another thread while the second file is checked:
    the findings kept are still the first ones in file, row and column order, and every one is counted."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rows = 5_000
    ids = [f"k{i}" for i in range(rows)]
    ids[4_000], ids[4_500] = "k10", "k20"
    pacsv.write_csv(pa.table({"id": ids}), tmp_path / "a.csv")
    refs = [f"k{i % 4_000}" for i in range(rows)]
    refs[3], refs[4_900] = "nowhere", "nor_here"
    pacsv.write_csv(pa.table({"ref": refs}), tmp_path / "b.csv")
    descriptor = {"name": "p", "resources": [
        {"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "id", "type": "string"}], "primaryKey": ["id"]}},
        {"name": "b", "path": "b.csv", "schema": {"fields": [{"name": "ref", "type": "string"}], "foreignKeys": [
            {"fields": ["ref"], "reference": {"resource": "a", "fields": ["id"]}}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate([tmp_path / "datapackage.json"], max_errors=limit)
    every = [("a.csv", 4002, "k10"), ("a.csv", 4502, "k20"), ("b.csv", 5, "nowhere"), ("b.csv", 4902, "nor_here")]
    assert [(Path(f.file).name, f.row, f.value) for f in report.findings] == every[:limit]
    assert report.error_count == 4


def test_a_csv_of_short_rows_comes_in_batches_of_bounded_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches are bounded by rows as well as bytes: on very short rows the arrays the checks keep for each
    row would outweigh the text (a batch may pass ``BATCH_ROWS`` by the rows of one parsed block)."""
    import pyarrow as pa

    from ca_summit_data.limits import BATCH_ROWS
    from ca_summit_data.validation import csv_reader

    sizes: list[int] = []
    real = csv_reader.CsvTable._joined

    def joined(self: Any, parts: list[tuple[Any, int]]) -> Any:
        batch = real(self, parts)
        sizes.append(len(batch.rows))
        return batch

    monkeypatch.setattr(csv_reader.CsvTable, "_joined", joined)
    rows = 4 * BATCH_ROWS
    table = pa.table({"id": [f"k{i}" for i in range(rows)]})
    report = _validate_one_table(table, {"fields": [{"name": "id", "type": "string"}], "primaryKey": ["id"]},
                                 tmp_path, "csv", row_group_size=rows)
    assert report.exit_code == 0 and sum(sizes) == rows
    assert len(sizes) >= 2 and max(sizes) <= BATCH_ROWS + csv_reader.BLOCK_SIZE // 4
