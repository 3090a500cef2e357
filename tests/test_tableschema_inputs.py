"""The input half of Table Schema: dialects, encodings, compression, parts, inline data, YAML; with frictionless.

Each case writes a small Data Package (one resource, a two-column schema) and runs both
``ca_summit_data.validation.validate`` and ``frictionless.validate`` on it. Both must give
the same verdict, and every place (row, column) frictionless reports an error at must be
among ours (``missing_from_ours``, shared with the parity tests). For every feature there
is a valid case and an invalid one.

Where the spec and frictionless disagree we follow the spec: the case asserts the spec's
verdict, and ``KNOWN_DIFFERENCES`` says why, in the spec's words.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ca_summit_data.validation import validate
from ca_summit_data.validation.sources import CHUNK, Chain, Transcoded

from .known_differences import INPUT_DIFFERENCES as KNOWN_DIFFERENCES
from .test_validation_parity import frictionless_errors, missing_from_ours

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "name", "type": "string"},
    ]
}
NAME_ENUM = {"name": "name", "type": "string", "constraints": {"enum": ["a", "b, c", 'x"y', "é"]}}


@dataclass
class Case:
    """A package: its files, the resource (merged over a default one) and the verdict the spec gives."""

    files: dict[str, bytes]
    resource: dict[str, Any]
    valid: bool
    descriptor_name: str = "datapackage.json"
    extra: Callable[[Path], None] | None = None
    fields: list[dict[str, Any]] = field(default_factory=lambda: list(SCHEMA["fields"]))


def csv_case(text: str | bytes, valid: bool, *, fields: list[dict[str, Any]] | None = None,
             name: str = "t.csv", **resource: Any) -> Case:
    content = text.encode() if isinstance(text, str) else text
    return Case({name: content}, {"path": name, **resource}, valid,
                fields=fields if fields is not None else list(SCHEMA["fields"]))


def gz(data: bytes) -> bytes:
    return gzip.compress(data, 6)


def zipped(data: bytes, member: str = "t.csv") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return buffer.getvalue()


ENUM_FIELDS = [SCHEMA["fields"][0], NAME_ENUM]
FRUIT_FIELDS = [{"name": "fruit id", "type": "integer"}, {"name": "fruit name", "type": "string"}]
FRUIT_DASH = [{"name": "fruit-id", "type": "integer"}, {"name": "fruit-name", "type": "string"}]

CASES: dict[str, Case] = {
    # delimiter, lineTerminator, quoteChar
    "delimiter ; valid": csv_case("id;name\n1;a\n2;b\n", True, dialect={"delimiter": ";"}),
    "delimiter ; invalid": csv_case("id;name\n1;a\nx;b\n", False, dialect={"delimiter": ";"}),
    "delimiter not ASCII valid": csv_case("id；name\n1；\"b, c\"\n2；a\n", True, fields=ENUM_FIELDS,
                                          dialect={"delimiter": "；"}),
    "delimiter not ASCII invalid": csv_case("id；name\n1；a\n2；b；c\nx；\"a\n\"\n", False,
                                            dialect={"delimiter": "；"}),
    "delimiter tab (tsv) valid": csv_case("id\tname\n1\ta\n", True, name="t.tsv", format="tsv"),
    "delimiter tab (tsv) invalid": csv_case("id\tname\n1\ta\n2\n", False, name="t.tsv", format="tsv"),
    "lineTerminator LF valid": csv_case("id,name\n1,a\n", True, dialect={"lineTerminator": "\n"}),
    "lineTerminator CRLF invalid": csv_case("id,name\r\n1,a\r\nz,b\r\n", False, dialect={"lineTerminator": "\r\n"}),
    "lineTerminator CR valid": csv_case("id,name\r1,a\r2,b\r", True, dialect={"lineTerminator": "\r"}),
    "lineTerminator CR invalid": csv_case("id,name\r1,a\r2,b,c\r", False, dialect={"lineTerminator": "\r"}),
    "quoteChar ' valid": csv_case("id,name\n1,'b, c'\n", True, fields=ENUM_FIELDS, dialect={"quoteChar": "'"}),
    "quoteChar ' invalid": csv_case("id,name\n1,\"b, c\"\n", False, fields=ENUM_FIELDS,
                                    dialect={"quoteChar": "'"}),
    # doubleQuote, escapeChar
    "doubleQuote true valid": csv_case('id,name\n1,"x""y"\n', True, fields=ENUM_FIELDS,
                                       dialect={"doubleQuote": True}),
    "doubleQuote true invalid": csv_case('id,name\n1,"x""y"\n"2",z\n', False, fields=ENUM_FIELDS,
                                         dialect={"doubleQuote": True}),
    "doubleQuote false with escapeChar valid": csv_case('id,name\n1,"x\\"y"\n', True, fields=ENUM_FIELDS,
                                                        dialect={"doubleQuote": False, "escapeChar": "\\"}),
    "doubleQuote false without escapeChar": csv_case('id,name\n1,"x""y"\n', False, fields=ENUM_FIELDS,
                                                     dialect={"doubleQuote": False}),
    "escapeChar valid": csv_case("id,name\n1,b\\, c\n", True, fields=ENUM_FIELDS,
                                 dialect={"escapeChar": "\\"}),
    "escapeChar invalid": csv_case("id,name\n1,b, c\n", False, fields=ENUM_FIELDS, dialect={"escapeChar": "\\"}),
    # nullSequence
    "nullSequence in an optional field": csv_case("id,name\n1,NA\n", True,
                                                  fields=[SCHEMA["fields"][0], {"name": "name", "type": "integer"}],
                                                  dialect={"nullSequence": "NA"}),
    "nullSequence in a required field": csv_case("id,name\n1,a\nNA,b\n", False, dialect={"nullSequence": "NA"}),
    # skipInitialSpace
    "skipInitialSpace valid": csv_case('id, name\n1, a\n2,  "b, c"\n', True, fields=ENUM_FIELDS,
                                       dialect={"skipInitialSpace": True}),
    "skipInitialSpace invalid": csv_case('id, name\n1, a\n2,  "b, c"\n3, d\n', False, fields=ENUM_FIELDS,
                                         dialect={"skipInitialSpace": True}),
    "skipInitialSpace false keeps the space": csv_case("id,name\n1, a\n", False, fields=ENUM_FIELDS,
                                                       dialect={"skipInitialSpace": False}),
    "skipInitialSpace with a quoted line break": csv_case('id, name\n1,  "b,\nc"\n2, q\n', False,
                                                          dialect={"skipInitialSpace": True},
                                                          fields=[SCHEMA["fields"][0],
                                                                  {"name": "name", "type": "string",
                                                                   "constraints": {"maxLength": 1}}]),
    # header, headerRows, headerJoin
    "header false valid": csv_case("1,a\n2,b\n", True, dialect={"header": False}),
    "header false invalid": csv_case("1,a\nx,b\n", False, dialect={"header": False}),
    "headerRows valid": csv_case("fruit,fruit\nid,name\n1,a\n", True, fields=FRUIT_FIELDS,
                                 dialect={"headerRows": [1, 2]}),
    "headerRows invalid": csv_case("fruit,fruit\nid,name\n1,a\nx,b\n", False, fields=FRUIT_FIELDS,
                                   dialect={"headerRows": [1, 2]}),
    "headerRows with a row before the header": csv_case("a title\nid,name\n1,a\nx,b\n", False,
                                                        dialect={"headerRows": [2]}),
    "headerJoin valid": csv_case("fruit,fruit\nid,name\n1,a\n", True, fields=FRUIT_DASH,
                                 dialect={"headerRows": [1, 2], "headerJoin": "-"}),
    "headerJoin invalid": csv_case("fruit,fruit\nid,name\n1,a\n", False, fields=FRUIT_FIELDS,
                                   dialect={"headerRows": [1, 2], "headerJoin": "-"}),
    "headerRows: a title over two columns": csv_case("fruit\nid,name\n1,apple\n", True, fields=FRUIT_FIELDS,
                                                     dialect={"headerRows": [1, 2]}),
    # commentChar, commentRows
    "commentChar valid": csv_case("id,name\n# a comment, with a comma\n1,a\n", True, dialect={"commentChar": "#"}),
    "commentChar invalid": csv_case("id,name\n#c\n1,a\n#d,e,f\nx,b\n", False, dialect={"commentChar": "#"}),
    "commentRows valid": csv_case("id,name\nnot data\n1,a\n", True, dialect={"commentRows": [2]}),
    "commentRows invalid": csv_case("id,name\nnot data\n1,a\nx,b\n", False, dialect={"commentRows": [2]}),
    # caseSensitiveHeader (CSV Dialect 1.x)
    "caseSensitiveHeader true invalid": csv_case("ID,name\n1,a\n", False, dialect={"caseSensitiveHeader": True}),
    "caseSensitiveHeader true valid": csv_case("id,name\n1,a\n", True, dialect={"caseSensitiveHeader": True}),
    "caseSensitiveHeader false": csv_case("ID,Name\n1,a\n", True, dialect={"caseSensitiveHeader": False}),
    # dialect and schema by path, JSON or YAML
    "dialect file valid": Case({"t.csv": b"id;name\n1;a\n", "dialect.json": b'{"delimiter": ";"}'},
                               {"path": "t.csv", "dialect": "dialect.json"}, True),
    "dialect YAML file invalid": Case({"t.csv": b"id;name\nx;a\n", "dialect.yaml": b"delimiter: ';'\n"},
                                      {"path": "t.csv", "dialect": "dialect.yaml"}, False),
    "schema YAML file valid": Case({"t.csv": b"id,name\n1,a\n", "schema.yaml": b"fields:\n  - name: id\n    type: "
                                    b"integer\n  - name: name\n"}, {"path": "t.csv", "schema": "schema.yaml"}, True),
    "schema file invalid": Case({"t.csv": b"id,name\nx,a\n", "schema.json": json.dumps(SCHEMA).encode()},
                                {"path": "t.csv", "schema": "schema.json"}, False),
    # encodings
    "latin-1 valid": csv_case("id,name\n1,é\n".encode("latin-1"), True, fields=ENUM_FIELDS, encoding="latin-1"),
    "latin-1 invalid": csv_case("id,name\n1,é\nx,é\n".encode("latin-1"), False, fields=ENUM_FIELDS,
                                encoding="iso-8859-1"),
    "windows-1252 undefined byte": csv_case(b"id,name\n1,a\x81\n", False, encoding="windows-1252"),
    "utf-16 valid": csv_case("id,name\n1,é\n".encode("utf-16"), True, fields=ENUM_FIELDS, encoding="utf-16"),
    "utf-16 invalid": csv_case("id,name\n1,é\nx,a\n".encode("utf-16"), False, encoding="utf-16"),
    "shift_jis valid": csv_case("id,name\n1,日本\n".encode("shift_jis"), True, encoding="shift_jis"),
    "UTF-8 with a byte-order mark": csv_case(codecs.BOM_UTF8 + b"id,name\n1,a\n", True, encoding="utf-8"),
    "UTF-8 with a byte-order mark, undeclared": csv_case(codecs.BOM_UTF8 + b"id,name\n1,a\nx,b\n", False),
    "utf-8-sig valid": csv_case(codecs.BOM_UTF8 + b"id,name\n1,a\n", True, encoding="utf-8-sig"),
    "UTF-8 not UTF-8": csv_case(b"id,name\n1,a\xff\n", False, encoding="utf-8"),
    # compression
    "gzip valid": Case({"t.csv.gz": gz(b"id,name\n1,a\n")}, {"path": "t.csv.gz"}, True),
    "gzip invalid": Case({"t.csv.gz": gz(b"id,name\n1,a\nx,b\n")}, {"path": "t.csv.gz"}, False),
    "gzip latin-1 invalid": Case({"t.csv.gz": gz("id,name\n1,é\nx,é\n".encode("latin-1"))},
                                 {"path": "t.csv.gz", "encoding": "latin-1"}, False),
    "zip valid": Case({"t.csv.zip": zipped(b"id,name\n1,a\n")}, {"path": "t.csv.zip"}, True),
    "zip invalid": Case({"t.csv.zip": zipped(b"id,name\n1,a\n2,b,c\n")}, {"path": "t.csv.zip"}, False),
    # multi-part
    "multi-part valid": Case({"a.csv": b"id,name\n1,a\n", "b.csv": b"id,name\n2,b\n3,c\n"},
                             {"path": ["a.csv", "b.csv"]}, True),
    "multi-part invalid": Case({"a.csv": b"id,name\n1,a\n2,b\n", "b.csv": b"id,name\n3,c\nx,d\n"},
                               {"path": ["a.csv", "b.csv"]}, False),
    "multi-part without header invalid": Case({"a.csv": b"1,a\n", "b.csv": b"2,b\nx,d\n"},
                                              {"path": ["a.csv", "b.csv"], "dialect": {"header": False}}, False),
    "multi-part gzip latin-1 invalid": Case({"a.csv.gz": gz("id,name\n1,é\n".encode("latin-1")),
                                             "b.csv.gz": gz("id,name\n2,é\ny,é\n".encode("latin-1"))},
                                            {"path": ["a.csv.gz", "b.csv.gz"], "encoding": "latin-1"}, False),
    # inline data
    "inline arrays valid": Case({}, {"data": [["id", "name"], [1, "a"], [2, None]]}, True),
    "inline arrays invalid": Case({}, {"data": [["id", "name"], [1, "a"], ["x", "b"], [3]]}, False),
    "inline objects valid": Case({}, {"data": [{"id": 1, "name": "a"}, {"id": 2}]}, True),
    "inline objects invalid": Case({}, {"data": [{"id": 1, "name": "a"}, {"id": 2.5, "name": "b"},
                                                 {"name": "c"}]}, False),
    # YAML descriptors
    "datapackage.yaml valid": Case({"t.csv": b"id,name\n1,a\n"}, {"path": "t.csv"}, True,
                                   descriptor_name="datapackage.yaml"),
    "datapackage.yml invalid": Case({"t.csv": b"id,name\n1,a\nx,b\n"}, {"path": "t.csv"}, False,
                                    descriptor_name="datapackage.yml"),
}



def write_package(folder: Path, case: Case) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        (folder / name).write_bytes(content)
    resource = {"name": "t", "type": "table", "schema": {"fields": case.fields}} | case.resource
    descriptor = {"name": "p", "resources": [resource]}
    path = folder / case.descriptor_name
    if case.descriptor_name.endswith((".yaml", ".yml")):
        import yaml

        path.write_text(yaml.safe_dump(descriptor), encoding="utf-8")
    else:
        path.write_text(json.dumps(descriptor), encoding="utf-8")
    return path


def frictionless_report(descriptor: Path) -> dict[str, Any]:
    """frictionless's report; a ``.yml`` descriptor is given to it as ``.yaml``, the only YAML name it reads."""
    from frictionless import validate as run

    if descriptor.suffix == ".yml":
        descriptor = descriptor.rename(descriptor.with_suffix(".yaml"))
    result: dict[str, Any] = run(str(descriptor)).to_dict()
    return result


@pytest.mark.parametrize("name", list(CASES))
def test_each_input_feature_against_frictionless(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    descriptor = write_package(tmp_path / "p", case)
    report = validate([descriptor], max_errors=None)
    ours = {(f.code, f.row, f.column_number) for f in report.findings}
    assert report.exit_code == (0 if case.valid else 1), [str(f) for f in report.findings]
    theirs = frictionless_report(descriptor)
    if name in KNOWN_DIFFERENCES:
        assert theirs["valid"] is not case.valid, "frictionless agrees now: drop the known difference"
        return
    assert theirs["valid"] is case.valid, frictionless_errors(theirs)
    assert missing_from_ours(frictionless_errors(theirs), ours) == []


def test_row_numbers_are_the_physical_rows_frictionless_reports(tmp_path: Path) -> None:
    """Comment rows, rows before and between header rows, blank rows and multi-line cells all count."""
    text = "title\nid,name\n# comment\n1,a\n\n2,\"two\nlines\"\nx,b\n#,more\ny,c\n"
    descriptor = write_package(tmp_path / "p", csv_case(text, False, dialect={"headerRows": [2], "commentChar": "#"}))
    ours = sorted((f.row, f.column_number) for f in validate([descriptor]).findings if f.code == "type")
    theirs = sorted((e[1], e[2]) for e in frictionless_errors(frictionless_report(descriptor)) if e[0] == "type-error")
    assert ours == theirs == [(7, 1), (9, 1)]


def test_a_multi_part_resource_is_numbered_as_one_file(tmp_path: Path) -> None:
    case = Case({"a.csv": b"id,name\n1,a\n2,b\n", "b.csv": b"id,name\nx,c\n"}, {"path": ["a.csv", "b.csv"]}, False)
    report = validate([write_package(tmp_path / "p", case)])
    assert [(f.file, f.row, f.code) for f in report.findings] == [(report.findings[0].file, 4, "type")]
    assert report.findings[0].file.endswith("a.csv + p/b.csv") or " + " in report.findings[0].file


def test_declared_size_and_hash_of_a_multi_part_resource_cover_all_parts(tmp_path: Path) -> None:
    import hashlib

    parts = {"a.csv": b"id,name\n1,a\n", "b.csv": b"id,name\n2,b\n"}
    whole = b"".join(parts.values())
    good = Case(parts, {"path": ["a.csv", "b.csv"], "bytes": len(whole),
                        "hash": "sha256:" + hashlib.sha256(whole).hexdigest()}, True)
    assert validate([write_package(tmp_path / "good", good)]).exit_code == 0
    bad = Case(parts, {"path": ["a.csv", "b.csv"], "bytes": len(whole) - 1}, False)
    assert {f.code for f in validate([write_package(tmp_path / "bad", bad)]).findings} == {"bytes"}


def test_our_tables_still_refuse_a_byte_order_mark_because_our_dialect_says_so(tmp_path: Path) -> None:
    from .conftest import ROOT

    persons = tmp_path / "persons.csv"
    persons.write_bytes(codecs.BOM_UTF8 + (ROOT / "data" / "persons.csv").read_bytes())
    assert "bom" in {f.code for f in validate([persons]).findings}
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    dialects = {r["dialect"].get("byteOrderMark") for r in descriptor["resources"] if r.get("format") == "csv"}
    assert dialects == {False}


REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "remote URL": ({"path": "https://example.com/t.csv"}, "remote data is not read"),
    "SQL database": ({"path": "sqlite:///data.db", "format": "sql", "dialect": {"table": "t"}}, "SQL database"),
    "SQL by format": ({"path": "data.db", "format": "sqlite"}, "SQL database is not read"),
    "spreadsheet": ({"path": "t.xlsx"}, "spreadsheet, which is not read"),
    "remote schema": ({"path": "t.csv", "schema": "https://example.com/schema.json"}, "remote data is not read"),
    "unknown encoding": ({"path": "t.csv", "encoding": "no-such-encoding"}, "not a character encoding"),
    "multi-character delimiter": ({"path": "t.csv", "dialect": {"delimiter": "||"}}, "more than one character"),
    "another line terminator": ({"path": "t.csv", "dialect": {"lineTerminator": ";"}}, "lineTerminator"),
    "an empty quoteChar": ({"path": "t.csv", "dialect": {"quoteChar": ""}}, "quoteChar must be a single character"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_we_do_not_read_is_refused_with_exit_2_and_a_reason(name: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from ca_summit_data.cli import main

    resource, message = REFUSED[name]
    (tmp_path / "t.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "t.csv").write_bytes(b"id,name\n1,a\n")
    descriptor = write_package(tmp_path, Case({}, resource, False))
    assert main(["validate", str(descriptor)]) == 2
    out = capsys.readouterr().out
    assert message in out and "[unsupported]" in out, out


def test_a_package_without_resources_is_refused(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text('{"name": "p", "resources": []}')
    report = validate([tmp_path / "datapackage.json"])
    assert report.exit_code == 2 and "at least one" in report.findings[0].message


class _Counting(io.RawIOBase):
    """A stream of ``size`` bytes that remembers the largest read asked of it."""

    def __init__(self, size: int, line: bytes = b"1,abc\xe9\n") -> None:
        self.left = size
        self.line = line
        self.largest = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.largest = max(self.largest, len(buffer))
        n = min(len(buffer), self.left)
        data = (self.line * (n // len(self.line) + 1))[:n]
        buffer[:n] = data
        self.left -= n
        return n


def test_re_encoding_and_joining_parts_read_a_bounded_amount_at_a_time() -> None:
    """The streams never hold a whole file (the benchmark measures the memory of 200 MB of them)."""
    raws = [_Counting(8 * CHUNK) for _ in range(2)]
    stream = Chain([lambda raw=raw: io.BufferedReader(Transcoded(raw, "latin-1"), CHUNK) for raw in raws])
    total = 0
    while chunk := stream.read(CHUNK):
        assert len(chunk) <= CHUNK
        total += len(chunk)
    assert total > 16 * CHUNK  # é became two bytes
    assert all(raw.largest <= CHUNK for raw in raws)
