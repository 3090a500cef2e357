"""Generated hostile inputs for every command that reads user input, and one way to run them.

Shared by ``tests/test_fuzz_inputs.py`` (a few hundred cases in every test run) and
``benchmarks/fuzz_inputs.py`` (tens of thousands, by hand). Four kinds of input:

- ``descriptor``: a ``datapackage.json`` with resources of any shape (paths that try to
  leave the folder, links, FIFOs, compressions, encodings, dialects, Table Schemas with
  random properties) and CSV files of random cells, given to ``validate``, ``verify``
  and, against our own package, ``diff``;
- ``schema``: a single Table Schema of random JSON over a small CSV (``validate``);
- ``records``: a JSON or YAML record file, valid seed records damaged, or random JSON;
- ``seed``: one of our seed files damaged (values, YAML text, bytes) and built.

Every case must end with exit 0, 1 or 2, within ``CASE_SECONDS``, having written
nothing outside its work folder (a sentinel folder beside it is compared before and
after). ``run_case`` returns the exit code and raises ``AssertionError`` otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
CASE_SECONDS = 20
SEED_FILES = sorted(p.name for p in (ROOT / "seeds").glob("*.yaml"))
SEED_TEXT = {name: (ROOT / "seeds" / name).read_bytes() for name in SEED_FILES}
SEED_RECORDS = {name: yaml.safe_load(text) for name, text in SEED_TEXT.items()}

# --------------------------------------------------------------------------- generators

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["", "JPN", "2025-12-20", "1e999999999999", "\x00", "\ud800x", "../x", "a;b", " pad "])
)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
TYPES = ["string", "integer", "number", "boolean", "date", "list", "any", "datetime", "year", "object", "array",
         "geopoint", "time", "duration", "yearmonth"]
FIELD_KEYS = ["type", "format", "missingValues", "trueValues", "falseValues", "delimiter", "itemType", "categories",
              "codeList", "plainText", "maxDigits", "decimalPlaces", "itemPattern", "bareNumber", "groupChar",
              "decimalChar", "constraints"]
CONSTRAINT_KEYS = ["required", "unique", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
                   "exclusiveMinimum", "exclusiveMaximum"]
CELLS = st.sampled_from(["", "1", "-0", "x", "2025-01-01", "true", "a;b", "1.5", "1e400", "JPN", " y", "\"q\"",
                         "é", "9" * 30, "NaN", "2025-1-5", "=SUM(1)", "\x00"])


@st.composite
def table_schema(draw: st.DrawFn) -> Any:
    fields = []
    for index in range(draw(st.integers(0, 4))):
        field: dict[str, Any] = {"name": draw(st.sampled_from([f"c{index}", "c0", "", "person_id"]))}
        field["type"] = draw(st.sampled_from(TYPES) | JSON)
        for key in draw(st.lists(st.sampled_from(FIELD_KEYS), max_size=3)):
            field[key] = draw(JSON)
        if draw(st.booleans()):
            field["constraints"] = draw(st.dictionaries(st.sampled_from(CONSTRAINT_KEYS), JSON, max_size=3))
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields}
    if draw(st.booleans()):
        schema["primaryKey"] = draw(st.sampled_from(["c0", ["c0", "c1"], "nope"]) | JSON)
    if draw(st.booleans()):
        schema["foreignKeys"] = draw(st.lists(
            st.fixed_dictionaries({"fields": st.sampled_from(["c0", ["c1"]]) | JSON,
                                   "reference": st.fixed_dictionaries({}, optional={
                                       "resource": st.sampled_from(["", "t0", "t1", "countries"]) | JSON,
                                       "fields": st.sampled_from(["c0", "country_code"]) | JSON}) | JSON}),
            max_size=2) | JSON)
    for key in draw(st.lists(st.sampled_from(["missingValues", "fieldsMatch", "uniqueKeys", "rules"]), max_size=2)):
        schema[key] = draw(JSON)
    return draw(st.just(schema) | JSON) if draw(st.integers(0, 9)) == 0 else schema


PATHS = st.sampled_from(["t0.csv", "t1.csv", "t0.csv.gz", "link.csv", "fifo.csv", "../outside.csv", "/etc/passwd",
                         "sub/../t0.csv", "t\x00.csv", "missing.csv", "http://example.com/x.csv", "t1.parquet"])


@st.composite
def descriptor(draw: st.DrawFn) -> tuple[Any, list[list[str]]]:
    """(descriptor, rows of the CSV files t0.csv and t1.csv)."""
    resources = []
    for index in range(draw(st.integers(0, 3))):
        resource: dict[str, Any] = {"name": draw(st.sampled_from([f"t{index}", "t0", "persons", "countries"]))}
        resource["path"] = draw(PATHS | st.lists(PATHS, max_size=2) | JSON)
        for key, values in (("format", st.sampled_from(["csv", "parquet", "json", "xlsx"]) | JSON),
                            ("compression", st.sampled_from(["gz", "zip", "no"]) | JSON),
                            ("encoding", st.sampled_from(["utf-8", "latin-1", "utf-16"]) | JSON),
                            ("dialect", st.fixed_dictionaries({}, optional={
                                "delimiter": st.sampled_from([",", ";", "é", "", ",,"]) | JSON,
                                "quoteChar": st.sampled_from(['"', "'", "ü"]) | JSON,
                                "header": st.booleans() | JSON, "skipInitialSpace": st.booleans(),
                                "commentChar": st.sampled_from(["#"]) | JSON}) | JSON),
                            ("bytes", st.integers(-1, 10**20) | JSON), ("hash", st.text(max_size=70) | JSON),
                            ("data", JSON)):
            if draw(st.integers(0, 3)) == 0:
                resource[key] = draw(values)
        if draw(st.integers(0, 3)) != 0:
            resource["schema"] = draw(table_schema())
        resources.append(resource)
    document: Any = {"resources": resources}
    if draw(st.integers(0, 3)) != 0:
        document["version"] = draw(st.sampled_from(["0.1.0", "0.2.0", "1.0.0"]) | JSON)
    if draw(st.integers(0, 9)) == 0:
        document = draw(JSON)
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=5), min_size=0, max_size=6))
    return document, rows


@st.composite
def schema_case(draw: st.DrawFn) -> tuple[Any, list[list[str]]]:
    """One CSV resource (``t1.csv``, header c0,c1) under a generated Table Schema: the checks themselves are reached."""
    resource = {"name": draw(st.sampled_from(["t1", "persons", "financial_targets"])), "path": "t1.csv",
                "format": "csv", "schema": draw(table_schema())}
    rows = draw(st.lists(st.lists(CELLS, min_size=2, max_size=2), min_size=1, max_size=8))
    return {"resources": [resource]}, rows


@st.composite
def record_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, content): records of one of our tables, damaged, as JSON or YAML."""
    name = draw(st.sampled_from(SEED_FILES))
    table = name.removesuffix(".yaml")
    records = json.loads(json.dumps(SEED_RECORDS[name], default=str))
    if records and draw(st.booleans()):
        record = records[draw(st.integers(0, len(records) - 1))]
        for _ in range(draw(st.integers(1, 3))):
            key = draw(st.sampled_from([*sorted(record), "surprise"]))
            record[key] = draw(JSON)
    elif draw(st.booleans()):
        records = draw(JSON)
    as_yaml = draw(st.booleans())
    if as_yaml:
        text = yaml.safe_dump(records, allow_unicode=True).encode("utf-8", "surrogatepass")
        suffix = ".yaml"
    else:
        text = json.dumps(records, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
        suffix = ".json"
    return table + suffix, _damage(draw, text)


SPLICED = [b"\t", b": :", b"&a [*a]", b"010", b"1:0", b"yes", b"0x1F", b"\xff", b"1234567890123456.78", b"[" * 200,
           b"\"\\ud800\"", b"!!python/object:os.system", b"1e999999999999", b"\n- ", b"{", b"\x00"]
"""Pieces spliced into YAML and JSON text: what a careless hand or a hostile one leaves there."""


def _damage(draw: st.DrawFn, text: bytes) -> bytes:
    """The bytes, perhaps with a few of them flipped, cut, or with hostile YAML/JSON spliced in."""
    for _ in range(draw(st.integers(0, 2))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["flip", "cut", "insert"]))
        if kind == "flip" and at < len(text):
            text = text[:at] + bytes([text[at] ^ draw(st.integers(1, 255))]) + text[at + 1:]
        elif kind == "cut":
            text = text[:at]
        else:
            piece = draw(st.sampled_from(SPLICED))
            text = text[:at] + piece + text[at:]
    return text


@st.composite
def seed_case(draw: st.DrawFn) -> tuple[str, bytes]:
    """(seed file name, new content): one of our seed files, its values or text damaged."""
    name = draw(st.sampled_from(SEED_FILES))
    if draw(st.booleans()):
        records = json.loads(json.dumps(SEED_RECORDS[name], default=str))
        record = records[draw(st.integers(0, len(records) - 1))]
        key = draw(st.sampled_from([*sorted(record), "surprise"]))
        record[key] = draw(JSON)
        text = yaml.safe_dump(records, allow_unicode=True).encode("utf-8", "surrogatepass")
    else:
        text = SEED_TEXT[name]
    return name, _damage(draw, text)


# --------------------------------------------------------------------------- running


def _digest(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[path.relative_to(folder).as_posix()] = "link" if path.is_symlink() else "dir"
    return out


class Hung(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise Hung(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_case(args: list[str], work: Path, sentinel: Path) -> int:
    """Run the command in this process; its exit code, after checking the three promises."""
    from ca_summit_data.cli import main

    before = _digest(sentinel)
    out, err = io.StringIO(), io.StringIO()
    with _deadline(CASE_SECONDS), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code in (0, 1, 2), f"exit {code} for {args}: {err.getvalue()[-2000:]}"
    assert "Traceback" not in err.getvalue()
    assert _digest(sentinel) == before, f"{args} wrote outside its work folder"
    return code


def prepare_sentinel(base: Path) -> Path:
    """A folder beside the work folders, with a file a hostile input might aim at."""
    sentinel = base / "outside"
    sentinel.mkdir(parents=True, exist_ok=True)
    (sentinel / "outside.csv").write_text("person_id,name,country_code\nsecret,secret,JPN\n")
    return sentinel


def write_descriptor_case(work: Path, case: tuple[Any, list[list[str]]]) -> Path:
    """Lay out a ``descriptor`` case in an empty folder; the path of its descriptor."""
    document, rows = case
    text = "\n".join(",".join(row) for row in rows) + "\n"
    (work / "t0.csv").write_text(text, encoding="utf-8")
    (work / "t1.csv").write_text("c0,c1\n" + text, encoding="utf-8")
    import gzip

    (work / "t0.csv.gz").write_bytes(gzip.compress(text.encode()))
    (work / "link.csv").symlink_to(work.parent / "outside" / "outside.csv")
    os.mkfifo(work / "fifo.csv")
    (work / "t1.parquet").write_bytes(b"PAR1 not really")
    path = work / "datapackage.json"
    path.write_text(json.dumps(document, default=str), encoding="utf-8", errors="surrogatepass")
    return path


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder
