"""``ca-summit-data validate`` and ``verify`` as a CI job sees them: exit codes, formats, and never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ca_summit_data.cli import main
from ca_summit_data.validation import validate

from .conftest import ROOT

PERSONS = (ROOT / "data" / "persons.csv").read_bytes()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def persons(tmp_path: Path, content: bytes, name: str = "persons.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_the_published_package_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(ROOT / "datapackage.json"))
    assert code == 0, out
    files = len(json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"])
    assert out.strip().splitlines()[-1].startswith(f"ok: {files} file(s) valid")
    assert err == ""


def test_an_error_names_file_row_column_value_and_expectation(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    path = persons(tmp_path, PERSONS.replace(b"emomali_rahmon,", b"Emomali!,"))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0] == (
        f"{path}:2: column 'person_id' (1): does not match the required pattern: 'Emomali!'; "
        "expected text matching ^[a-z][a-z0-9_]*$ [pattern]"
    )
    assert lines[-1] == "1 error(s) in 1 file(s): invalid"


def test_json_report_is_stable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = persons(tmp_path, PERSONS.replace(b"Emomali Rahmon,TJK", b"Emomali Rahmon,XYZ"))
    code, out, _ = run(capsys, "validate", "--format", "json", str(path))
    report = json.loads(out)
    assert code == 1 == report["exit_code"]
    assert set(report) == {"report_version", "command", "valid", "exit_code", "error_count", "warning_count", "shown",
                           "files", "findings", "notes"}
    assert report["report_version"] == 1 and report["valid"] is False
    rows = PERSONS.count(b"\n") - 1
    assert report["files"] == [{"path": str(path), "kind": "table", "table": "persons", "rows": rows, "errors": 2}]
    assert [(e["row"], e["column"], e["column_number"], e["code"], e["value"]) for e in report["findings"]] == [
        (2, "country_code", 3, "foreign-key", "XYZ"),
        (2, "country_code", 3, "iso-code", "XYZ"),
    ]
    assert all(set(e) == {"severity", "file", "row", "column", "column_number", "code", "message", "value", "expected"}
               for e in report["findings"])
    assert {e["severity"] for e in report["findings"]} == {"error"}


def test_github_format_prints_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = persons(tmp_path, PERSONS.replace(b"Emomali Rahmon", b""))
    code, out, _ = run(capsys, "validate", "--format", "github", str(path))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={str(path).replace(':', '%3A')},line=2,title=ca-summit-data required::")
    assert "column 'name' (2): missing value in a required column" in first


def test_max_errors_shows_the_first_ones_and_counts_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = persons(tmp_path, PERSONS.replace(b"TJK", b"tjk").replace(b"KAZ", b"kaz").replace(b"UZB", b"uzb"))
    code, out, _ = run(capsys, "validate", "--max-errors", "2", "--format", "json", str(path))
    report = json.loads(out)
    assert code == 1
    assert report["error_count"] > 2 and report["shown"] == 2
    assert [e["row"] for e in report["findings"]] == sorted(e["row"] for e in report["findings"])


def test_a_formula_is_a_warning_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = persons(tmp_path, PERSONS.replace(b"Emomali Rahmon", b"=Emomali Rahmon"))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert out.splitlines()[0].startswith(f"warning: {path}:2: column 'name' (2): starts with a character")
    rows = PERSONS.count(b"\n") - 1
    assert out.splitlines()[-1] == f"ok: 1 file(s) valid ({rows} rows and records checked; 1 warning(s))"
    code, out, _ = run(capsys, "validate", "--format", "github", str(path))
    assert out.splitlines()[0].startswith("::warning file=")


@pytest.mark.parametrize(
    ("content", "code_expected"),
    [
        (PERSONS.replace(b"Emomali Rahmon,TJK", b"Emomali Rahmon"), "missing-cell"),
        (PERSONS.replace(b"Emomali Rahmon,TJK", b"Emomali Rahmon,TJK,,"), "extra-cell"),
        (PERSONS.replace(b"Emomali Rahmon", "Emomali Rahmön".encode("latin-1")), "encoding"),
        (b"\xef\xbb\xbf" + PERSONS, "bom"),
        ("person_id,name\n".encode("utf-16"), "encoding"),
        (b"", "file"),
        (PERSONS.replace(b"Emomali Rahmon", b'"Emomali Rahmon'), "missing-cell"),
    ],
    ids=["too few cells", "too many cells", "Latin-1", "BOM", "UTF-16", "empty", "open quote"],
)
def test_broken_files_get_a_clear_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, code_expected: str
) -> None:
    path = persons(tmp_path, content)
    code, out, err = run(capsys, "validate", "--format", "json", str(path))
    assert code == 1
    assert code_expected in {e["code"] for e in json.loads(out)["findings"]}
    assert "Traceback" not in err and err == ""


def test_a_truncated_parquet_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = (ROOT / "data" / "persons.parquet").read_bytes()
    path = persons(tmp_path, data[: len(data) // 2], "persons.parquet")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert "not a readable Parquet file" in out and "[file]" in out


def test_parquet_values_are_checked_with_csv_row_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = pq.read_table(ROOT / "data" / "persons.parquet")
    names = table.column("name").to_pylist()
    names[3] = " Shavkat"
    table = table.set_column(1, table.schema.field(1), pa.array(names, pa.string()))
    path = tmp_path / "persons.parquet"
    pq.write_table(table, path)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.startswith(f"{path}:5: column 'name' (2): has leading or trailing white space")


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "no/such/file.csv"],
        ["validate", "--table", "nonsense", "x.csv"],
        ["validate", "--max-errors", "-1", "x.csv"],
        ["validate"],
    ],
    ids=["missing path", "unknown table", "negative max", "no path"],
)
def test_usage_problems_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(str(exc.code))
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_file_not_named_after_a_table_needs_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = persons(tmp_path, PERSONS, "people_2026.csv")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 2 and "pass --table" in out
    code, out, _ = run(capsys, "validate", "--table", "persons", str(path))
    assert code == 0, out


def test_an_unknown_type_or_format_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.csv").write_text("when\n2025-12-20T10:00:00\n")
    for field, message in (({"type": "instant"}, "type 'instant' is not a Table Schema type"),
                           ({"type": "datetime", "format": "YYYY-MM-DD"}, "is not a strptime pattern"),
                           ({"type": "string", "format": "wkt"}, "format 'wkt' is not a format of type string")):
        descriptor = {"resources": [{"name": "t", "path": "t.csv", "format": "csv",
                                     "schema": {"fields": [{"name": "when", **field}]}}]}
        (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
        code, out, _ = run(capsys, "validate", str(tmp_path / "datapackage.json"))
        assert code == 2, out
        assert message in out and "[unsupported]" in out, out
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "format": "csv",
                                 "schema": {"fields": [{"name": "when", "type": "datetime"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    assert run(capsys, "validate", str(tmp_path / "datapackage.json"))[0] == 0


def user_table(tmp_path: Path, csv_text: str, field: dict[str, object]) -> Path:
    """A user's own table (not one of ours) of one column described by ``field``."""
    (tmp_path / "t.csv").write_text(csv_text)
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": {"fields": [field]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    return tmp_path / "datapackage.json"


@pytest.mark.parametrize(
    ("field", "bad", "good", "code"),
    [
        ({"type": "string", "codeList": "ISO 3166-1 alpha-3"}, "XYZ", "JPN", "iso-code"),
        ({"type": "string", "codeList": "ISO 4217"}, "ABC", "JPY", "iso-code"),
        ({"type": "string", "codeList": "ISO 639-1"}, "qq", "id", "iso-code"),
        ({"type": "string", "plainText": True}, '" trailing space "', "no outer space", "text"),
        ({"type": "number", "maxDigits": 6, "decimalPlaces": 2}, "1.234", "1234.5", "decimal"),
        ({"type": "list", "itemType": "string", "itemPattern": "^[a-z]+$"}, '"ok,Not"', '"ok,yes"', "list-item"),
    ],
)
def test_a_users_table_may_declare_our_model_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: dict[str, object], bad: str, good: str, code: str
) -> None:
    """The custom field properties our Table Schemas carry work in anyone's schema."""
    descriptor = user_table(tmp_path, f"v\n{bad}\n", {"name": "v", **field})
    exit_code, out, _ = run(capsys, "validate", "--format", "json", str(descriptor))
    found = {(f["code"], f["row"], f["column"]) for f in json.loads(out)["findings"]}
    assert exit_code == 1 and found == {(code, 2, "v")}, out
    user_table(tmp_path, f"v\n{good}\n", {"name": "v", **field})
    assert run(capsys, "validate", str(descriptor))[0] == 0


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"type": "string", "codeList": "ISO 3166-2"}, "codeList must be one of"),
        ({"type": "integer", "codeList": "ISO 4217"}, "codeList cannot be used on a field of type integer"),
        ({"type": "string", "codeList": ["ISO 4217"]}, "codeList must be one of"),
        ({"type": "string", "constraints": {"pattern": "(?i)x"}}, "is not a valid regular expression"),
        ({"type": "string", "plainText": "yes"}, "plainText must be true or false"),
        ({"type": "number", "maxDigits": 6}, "maxDigits and decimalPlaces must both be given"),
        ({"type": "number", "maxDigits": 2, "decimalPlaces": 4}, "decimalPlaces must be between 0 and maxDigits"),
        ({"type": "list", "itemPattern": "[a-"}, "itemPattern '[a-' is not a valid regular expression"),
        ({"type": "string", "constraints": {"pattern": "(unclosed"}}, "is not a valid regular expression"),
    ],
)
def test_a_broken_rule_property_is_refused_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: dict[str, object], message: str
) -> None:
    descriptor = user_table(tmp_path, "v\nx\n", {"name": "v", **field})
    code, out, err = run(capsys, "validate", str(descriptor))
    assert code == 2, out + err
    assert message in out and "[unsupported]" in out, out


def test_plain_text_false_asks_for_nothing_on_any_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    descriptor = user_table(tmp_path, "v\n5\n", {"name": "v", "type": "integer", "plainText": False})
    assert run(capsys, "validate", str(descriptor))[0] == 0


def our_resource(tmp_path: Path, table: str, column: str, **rules: object) -> Path:
    """A package of our published ``table`` whose schema gives ``column`` the user's own ``rules``."""
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == table)
    for field in resource["schema"]["fields"]:
        if field["name"] == column:
            field.update(rules)
    resource = {k: v for k, v in resource.items() if k not in ("bytes", "hash")}
    resource["schema"]["foreignKeys"] = []
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / resource["path"], tmp_path / resource["path"])
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    return tmp_path / "datapackage.json"


def test_a_users_stricter_digits_on_our_column_hold_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    descriptor = our_resource(tmp_path, "financial_targets", "amount", maxDigits=6, decimalPlaces=2)
    code, out, _ = run(capsys, "validate", "--format", "json", str(descriptor))
    found = {(f["code"], f["column"]) for f in json.loads(out)["findings"]}
    assert code == 1 and ("decimal", "amount") in found, out


def test_a_users_other_code_list_on_our_column_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    descriptor = our_resource(tmp_path, "persons", "country_code", codeList="ISO 4217")
    code, out, _ = run(capsys, "validate", str(descriptor))
    assert code == 2 and "codeList 'ISO 4217' differs from ours" in out and "[unsupported]" in out, out


def test_verify_checks_sizes_and_hashes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify", str(project / "datapackage.json"))
    files = len(json.loads((project / "datapackage.json").read_text(encoding="utf-8"))["resources"])
    assert code == 0 and out.startswith(f"ok: {files} file(s) match")
    (project / "data" / "persons.csv").write_bytes(PERSONS + b"x")
    (project / "data" / "summits.parquet").unlink()
    code, out, _ = run(capsys, "verify", "--format", "json", str(project))
    errors = {(e["file"].rsplit("/", 1)[-1], e["code"]) for e in json.loads(out)["findings"]}
    assert code == 1
    assert errors == {("persons.csv", "bytes"), ("persons.csv", "hash"), ("summits.parquet", "missing-file")}


def test_verify_without_a_descriptor_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify", str(tmp_path))
    assert code == 2 and "no such file" in out


@pytest.mark.slow
def test_the_installed_command_and_python_m_agree(tmp_path: Path) -> None:
    """The real processes: the console script and ``python -m``, with a broken file, same output, exit 1."""
    shutil.copy(ROOT / "data" / "countries.csv", tmp_path / "countries.csv")
    path = persons(tmp_path, PERSONS.replace(b"TJK", b"XYZ"))
    script = Path(sys.executable).parent / "ca-summit-data"
    by_script = subprocess.run([str(script), "validate", str(path)], capture_output=True, text=True)
    by_module = subprocess.run([sys.executable, "-m", "ca_summit_data", "validate", str(path)],
                               capture_output=True, text=True)
    assert by_script.returncode == by_module.returncode == 1
    assert by_script.stdout == by_module.stdout
    assert "not found in countries" in by_script.stdout and by_script.stderr == by_module.stderr == ""


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([b"XYZ", b"xx", b"KAZ", b""]), min_size=3, max_size=3), st.integers(1, 8))
def test_max_errors_shows_the_first_errors_of_the_full_list(codes: list[bytes], limit: int) -> None:
    """Two errors in one cell (an unknown code that is also no foreign key) keep their order under --max-errors."""
    rows = PERSONS.splitlines(keepends=True)
    for i, code in enumerate(codes, start=1):
        cells = rows[i].split(b",")
        cells[2] = code
        rows[i] = b",".join(cells)
    folder = Path(tempfile.mkdtemp(prefix="max-errors-"))
    try:
        path = persons(folder, b"".join(rows))
        everything = [str(f) for f in validate([path], max_errors=None).findings]
        first = [str(f) for f in validate([path], max_errors=limit).findings]
    finally:
        shutil.rmtree(folder)
    assert first == everything[:limit]
