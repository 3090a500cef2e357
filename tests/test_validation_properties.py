"""Properties over many generated inputs: types read as frictionless reads them, CSV and Parquet
agree, keys and row numbers are right, and no input makes the validator raise."""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ca_summit_data.schema.tableschema import FieldSpec, LogicalType
from ca_summit_data.validation import validate
from ca_summit_data.validation.cells import parse_text
from ca_summit_data.validation.csv_reader import _row_numbers
from ca_summit_data.validation.keys import KeyColumn, duplicate_rows, same_texts

from .conftest import ROOT

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def frictionless_rejects(kind: str, text: str) -> bool:
    from frictionless import Field

    reader = Field.from_descriptor({"name": "x", "type": kind}).create_cell_reader()
    _, notes = reader(text)
    return bool(notes and "type" in notes)


def we_reject(kind: str, text: str) -> bool:
    cells = parse_text(FieldSpec("x", cast(LogicalType, kind)), 1, pa.array([text], pa.string()), ("",))
    return bool(cells.invalid[0].as_py())


_PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|-?(?i:inf)|(?i:nan)")
_ASCII_SPACE = " \t\n\r\x0b\x0c"


def stricter_on_purpose(kind: str, text: str) -> bool:
    """The documented cases where we refuse what frictionless (Python's int/Decimal/strptime) accepts."""
    core = text.strip(_ASCII_SPACE)
    if kind == "integer":
        return _PLAIN_INTEGER.fullmatch(core) is None or len(core.lstrip("+-").lstrip("0")) > 76
    if kind == "number":  # underscores, non-ASCII digits or spaces, sNaN, 'Infinity', '+nan' (the spec: NaN, INF, -INF)
        return _PLAIN_NUMBER.fullmatch(core) is None
    if kind == "date":  # only YYYY-MM-DD with two-digit month and day
        return re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is None
    return False


NUMERIC = st.text(alphabet="0123456789+-_. eEnaifty\t\x1c١", min_size=1, max_size=10)
DATES = st.one_of(
    st.builds(lambda y, m, d, pad: f"{y:04d}-{m:0{pad}d}-{d:0{pad}d}", st.integers(0, 9999), st.integers(0, 13),
              st.integers(0, 32), st.sampled_from([1, 2])),
    st.text(alphabet="0123456789- T:", min_size=1, max_size=12),
)
BOOLEANS = st.one_of(
    st.sampled_from(["true", "True", "TRUE", "1", "false", "0", "yes", "T", " true"]), st.text(max_size=4)
)


@SETTINGS
@given(kind=st.sampled_from(["integer", "number"]), text=NUMERIC)
def test_numbers_read_as_frictionless_reads_them(kind: str, text: str) -> None:
    assume(text != "")
    theirs, ours = frictionless_rejects(kind, text), we_reject(kind, text)
    assert not theirs or ours, f"frictionless refuses {text!r} as {kind}, we accept it"
    assert not ours or theirs or stricter_on_purpose(kind, text), f"we refuse {text!r} as {kind}"


@SETTINGS
@given(text=DATES)
def test_dates_read_as_frictionless_reads_them(text: str) -> None:
    theirs, ours = frictionless_rejects("date", text), we_reject("date", text)
    assert not theirs or ours
    assert not ours or theirs or stricter_on_purpose("date", text)


@SETTINGS
@given(text=BOOLEANS)
def test_booleans_read_exactly_as_frictionless_reads_them(text: str) -> None:
    assume(text != "")
    assert we_reject("boolean", text) == frictionless_rejects("boolean", text)


# --------------------------------------------------------------------------- CSV and Parquet agree


def _published(table: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO((ROOT / "data" / f"{table}.csv").read_text(encoding="utf-8"))))
    return header, rows


BAD_CELLS = st.sampled_from(["", " ", "x", "X Y", "-1", "0", "1.5", "2025-02-30", "JPY", "jpy", "maybe", "a;a", "=1",
                             "health;Medical", "1e30", "NaN", "ca_plus_japan_2025", "business_project_investment"])


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_csv_file_and_its_parquet_twin_give_the_same_findings(data: Any) -> None:
    """The same text in a CSV file and in a Parquet file of string columns: the same findings, row for row."""
    table = data.draw(st.sampled_from(["financial_targets", "summits", "statements", "countries"]))
    header, rows = _published(table)
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.integers(0, len(rows) - 1))
        rows[row][data.draw(st.integers(0, len(header) - 1))] = data.draw(BAD_CELLS)
    folder = Path(tempfile.mkdtemp(prefix="twins-"))
    try:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
        (folder / f"{table}.csv").write_text(buffer.getvalue(), encoding="utf-8")
        columns = {name: pa.array([r[i] for r in rows], pa.string()) for i, name in enumerate(header)}
        (folder / "parquet").mkdir()
        pq.write_table(pa.table(columns), folder / "parquet" / f"{table}.parquet")
        from_csv = validate([folder / f"{table}.csv"], max_errors=None)
        from_parquet = validate([folder / "parquet" / f"{table}.parquet"], max_errors=None)
    finally:
        shutil.rmtree(folder)

    def seen(report: Any) -> list[tuple[Any, ...]]:
        return sorted(
            (f.row, f.column_number, f.code, f.message, f.value) for f in report.findings if f.code != "parquet-type"
        )

    assert seen(from_csv) == seen(from_parquet)
    # Only the Parquet file is told that its typed columns are stored as text.
    from ca_summit_data.models import MODEL_BY_TABLE, columns

    typed = {f.column for f in from_parquet.findings if f.code == "parquet-type"}
    assert typed == {c.name for c in columns(MODEL_BY_TABLE[table]) if c.type != "string"}
    assert all(f.code != "parquet-type" for f in from_csv.findings)
    assert from_csv.exit_code == from_parquet.exit_code


# --------------------------------------------------------------------------- keys and row numbers


def reference_duplicates(chunks: list[list[str]]) -> list[tuple[int, int, str]]:
    seen: dict[str, int] = {}
    out = []
    row = 2
    for chunk in chunks:
        for key in chunk:
            if key in seen:
                out.append((row, seen[key], key))
            else:
                seen[key] = row
            row += 1
    return sorted(out)


@SETTINGS
@given(st.lists(st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=8), min_size=1, max_size=8),
       st.booleans(), st.randoms(use_true_random=False))
def test_duplicate_keys_match_a_plain_python_search(chunks: list[list[str]], sort: bool, rng: Any) -> None:
    """Sorted runs, strays and hashing must together find exactly the repeats a dict finds, whatever the order."""
    if sort:
        flat = sorted(k for c in chunks for k in c)
        sizes = [len(c) for c in chunks]
        chunks = [flat[sum(sizes[:i]):sum(sizes[: i + 1])] for i in range(len(sizes))]
    column = KeyColumn(("id",))
    row = 2
    added = []
    for chunk in chunks:
        added.append((pa.array(chunk, pa.string()), pa.array(range(row, row + len(chunk)), pa.int64())))
        row += len(chunk)
    rng.shuffle(added)  # batches are checked in parallel and may arrive in any order
    for keys, rows in added:
        column.add(keys, rows)
    text_of = {row: key for keys, rows in added for row, key in zip(rows.to_pylist(), keys.to_pylist(), strict=True)}

    later, first, total = duplicate_rows(column)
    texts = {int(r): text_of[int(r)] for r in [*later, *first]}  # the rows asked for, read again
    later, first, total = same_texts(later, first, total, texts)
    assert total == len(later)
    ours = sorted((int(r), int(f), texts[int(r)]) for r, f in zip(later, first, strict=True))
    assert ours == reference_duplicates(chunks)


@SETTINGS
@given(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 30), max_size=60),
       st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 30), max_size=60))
def test_a_key_index_finds_exactly_the_keys_it_holds(held: list[int], asked: list[int]) -> None:
    import numpy as np

    from ca_summit_data.validation import keys
    from ca_summit_data.validation.keys import KeyIndex

    index = KeyIndex.of(np.array(held, np.uint64))
    for cached in (0, 1 << 16):  # an index beyond the cache (looked up in ascending order), and one within it
        original, keys.CACHED_INDEX = keys.CACHED_INDEX, cached
        try:
            found = index.contains(np.array(asked, np.uint64))
        finally:
            keys.CACHED_INDEX = original
        assert found.tolist() == [value in set(held) for value in asked]


@given(st.lists(st.integers(0, 40), min_size=1, max_size=200), st.integers(1, 9))
def test_repeats_are_dropped_in_place_as_unique_drops_them(values: list[int], block: int) -> None:
    import numpy as np

    from ca_summit_data.validation import keys

    ordered = np.sort(np.array(values, np.uint64))
    distinct, counts = np.unique(ordered, return_counts=True)
    original, keys.COMPACT_BLOCK = keys.COMPACT_BLOCK, block
    try:
        repeated = keys._repeats(ordered)
        found = keys._drop_repeats(ordered)
    finally:
        keys.COMPACT_BLOCK = original
    assert repeated.tolist() == distinct[counts > 1].tolist()
    assert found.tolist() == distinct.tolist()


@given(st.integers(0, 60), st.integers(0, 60), st.sets(st.integers(2, 130), max_size=70))
def test_row_numbers_skip_ragged_rows(start: int, count: int, skipped: set[int]) -> None:
    order = sorted(skipped)
    before = [number - 1 - j for j, number in enumerate(order)]
    expected = [i + 1 + bisect.bisect_right(before, i) for i in range(start, start + count)]
    assert _row_numbers(start, count, order).to_pylist() == expected


# --------------------------------------------------------------------------- never a traceback

PERSONS_HEADER = b"person_id,name,country_code\n"


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=300), suffix=st.sampled_from(["csv", "parquet", "json", "yaml"]))
def test_no_input_makes_the_validator_raise(body: bytes, suffix: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        path = folder / f"persons.{suffix}"
        path.write_bytes((PERSONS_HEADER if suffix == "csv" else b"") + body)
        report = validate([path])
    finally:
        shutil.rmtree(folder)
    assert report.exit_code in (0, 1)
    assert all(f.file == str(path) or f.file.endswith(path.name) for f in report.findings)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**20) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)
FIELD_KEYS = ["type", "format", "missingValues", "trueValues", "falseValues", "delimiter", "itemType", "categories",
              "codeList", "plainText", "maxDigits", "decimalPlaces", "itemPattern", "groupChar", "decimalChar",
              "bareNumber"]
CONSTRAINT_KEYS = ["required", "unique", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
                   "exclusiveMinimum", "exclusiveMaximum", "jsonSchema"]
SCHEMA_KEYS = ["primaryKey", "foreignKeys", "missingValues", "fieldsMatch", "uniqueKeys"]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    kind=st.sampled_from(["string", "integer", "number", "boolean", "date", "list", "any", "time", "datetime", "year",
                          "yearmonth", "duration", "geopoint", "geojson", "object", "array"]),
    field_extra=st.dictionaries(st.sampled_from(FIELD_KEYS), JSON_VALUES, max_size=2),
    constraints=st.dictionaries(st.sampled_from(CONSTRAINT_KEYS), JSON_VALUES, max_size=3),
    schema_extra=st.dictionaries(st.sampled_from(SCHEMA_KEYS), JSON_VALUES | st.just(["v"]), max_size=2),
    name=st.sampled_from(["t", "persons", "financial_targets"]),
    cells=st.lists(st.sampled_from(["", "1", "x", "2025-01-01", "true", "a;b", "1.5", "-3", "JPN", " y", "P1D",
                                    "10:00:00", "[1, 2]", '{"a": 1}', "90, 45", "2004-08", "1" * 40]),
                   min_size=1, max_size=4),
)
def test_no_table_schema_makes_the_validator_raise(
    kind: str, field_extra: dict[str, Any], constraints: dict[str, Any], schema_extra: dict[str, Any], name: str,
    cells: list[str],
) -> None:
    """A user's Table Schema of any shape (our custom rule properties included) is checked or refused, never a crash."""
    field = {"name": "v", "type": kind, "constraints": constraints, **field_extra}
    resource = {"name": name, "path": "t.csv", "format": "csv", "schema": {"fields": [field], **schema_extra}}
    folder = Path(tempfile.mkdtemp(prefix="schema-"))
    try:
        (folder / "t.csv").write_text("v\n" + "\n".join(cells) + "\n", encoding="utf-8")
        (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
        report = validate([folder / "datapackage.json"])
    finally:
        shutil.rmtree(folder)
    assert report.exit_code in (0, 1, 2)
    assert report.exit_code != 2 or any(f.code == "unsupported" for f in report.findings)


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(st.lists(st.text(alphabet="ab,\"\n\r;é ", max_size=6), min_size=1, max_size=5),
                      max_size=6))
def test_ragged_quoted_and_multiline_rows_keep_their_numbers(cells: list[list[str]]) -> None:
    """Rows with too few or too many cells are reported at the row Python's csv reader finds them on."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["person_id", "name", "country_code"], *cells])
    parsed = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    # As frictionless: a row whose header-column cells are all empty is a blank row, whatever else it has.
    ragged = {n for n, row in enumerate(parsed, start=1) if len(row) not in (0, 3) and any(row[:3])}
    folder = Path(tempfile.mkdtemp(prefix="rows-"))
    try:
        path = folder / "persons.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        report = validate([path], max_errors=None)
    finally:
        shutil.rmtree(folder)
    assert {f.row for f in report.findings if f.code in ("missing-cell", "extra-cell")} == ragged
    assert all(f.row is None or 1 <= f.row <= len(parsed) for f in report.findings)


@pytest.mark.parametrize("kind", ["integer", "number", "date", "boolean"])
def test_missing_values_are_not_type_errors(kind: str) -> None:
    cells = parse_text(FieldSpec("x", cast(LogicalType, kind)), 1, pa.array(["", None], pa.string()), ("",))
    assert cells.missing.to_pylist() == [True, True] and cells.invalid.to_pylist() == [False, False]


_UNICODE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.lists(_UNICODE_TEXT, min_size=1, max_size=50))
def test_a_quiet_text_needs_no_closer_look(texts: list[str]) -> None:
    """What ``quiet`` lets through the fast path has no forbidden character, is NFC and has only ASCII spaces."""
    import unicodedata

    import pyarrow.compute as pc

    from ca_summit_data.schema.arrays import noisy_class, quiet
    from ca_summit_data.schema.text import FORBIDDEN_CHARS

    # quiet() itself (which for a few texts trusts printable ASCII alone), and its class for any number of them
    by_class = pc.invert(pc.match_substring_regex(pa.array(texts), noisy_class())).to_pylist()
    verdicts = [*zip(texts, quiet(pa.array(texts)).to_pylist(), strict=True), *zip(texts, by_class, strict=True)]
    for text, calm in verdicts:
        if calm:
            assert not set(text) & FORBIDDEN_CHARS, ascii(text)
            assert unicodedata.normalize("NFC", text) == text, ascii(text)
            assert text.strip() == text.strip(" "), ascii(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=9)),
                min_size=1, max_size=40), st.integers(0, 12), st.booleans())
def test_length_constraints_judge_characters_whatever_the_bytes(texts: list[str | None], limit: int,
                                                                  shorter: bool) -> None:
    """The byte-length shortcut of ``length_outside`` gives exactly what counting characters gives."""
    import pyarrow.compute as pc

    from ca_summit_data.validation.batch import Cells

    value = pa.array(texts, pa.string())
    cells = Cells(FieldSpec("x", "string"), 1, value, pc.is_null(value), pa.array([False] * len(texts)))
    for first in (shorter, not shorter):  # both limits of one column, as a field with both asks (bounds kept)
        found = cells.length_outside(limit, first).to_pylist()
        expected = [text is not None and (len(text) < limit if first else len(text) > limit) for text in texts]
        assert found == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(st.sampled_from("=+-@\t\ra é€"), max_size=3)), min_size=1, max_size=20),
       st.frozensets(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "é", "a=", "€"]), min_size=1, max_size=4),
       st.integers(0, 3))
def test_a_prefix_test_by_first_byte_says_what_python_says(texts: list[str | None], prefixes: frozenset[str],
                                                            skip: int) -> None:
    from ca_summit_data.schema.arrays import starts_with_any

    values = pa.array(texts, pa.string()).slice(min(skip, len(texts)))
    found = [bool(v) for v in starts_with_any(values, prefixes).to_pylist()]
    assert found == [v is not None and v.startswith(tuple(prefixes)) for v in values.to_pylist()]


def test_a_large_batch_of_non_ascii_text_still_finds_each_text_not_in_nfc(tmp_path: Path) -> None:
    """Through the quiet fast path, texts not in NFC, with odd spaces or forbidden characters are still found."""
    rows = 20_000
    bad = {17: "Cafe\u0301", rows // 2: "\u3000Caf\u00e9", rows - 3: "Caf\u00e9\u200e"}
    plain = "Caf\u00e9"
    lines = ["id,name"] + [f"{i},{bad.get(i, plain)} Ташкент {i}" for i in range(rows)]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from ca_summit_data.schema.text import TEXT_PATTERN

    name = {"name": "name", "type": "string", "plainText": True, "constraints": {"pattern": TEXT_PATTERN}}
    schema = {"fields": [{"name": "id", "type": "integer"}, name]}
    descriptor = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate([tmp_path / "datapackage.json"], max_errors=None)
    found = {(f.row, f.code) for f in report.findings}
    assert found == {(19, "text"), (rows // 2 + 2, "text"), (rows - 1, "pattern")}, found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 40), min_size=1, max_size=6), st.data())
def test_parquet_rows_read_again_are_numbered_as_in_the_whole_file(groups: list[int], data: Any) -> None:
    """Reading a Parquet file again for some rows reads only the row groups that hold them, and each row
    read keeps the number it has in the whole file (whatever the sizes of the groups, empty ones too)."""
    from ca_summit_data.validation.findings import Findings
    from ca_summit_data.validation.parquet_reader import ParquetTable

    total = sum(groups)
    assume(total > 0)
    wanted = sorted(set(data.draw(st.lists(st.integers(2, total + 1), min_size=1, max_size=8))))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.parquet"
        schema = pa.schema([("id", pa.string()), ("note", pa.string())])
        with pq.ParquetWriter(path, schema) as writer:
            start = 0
            for size in groups:
                rows = range(start, start + size)
                writer.write_table(pa.table({"id": [f"r{i + 2}" for i in rows], "note": ["x"] * size}, schema=schema),
                                   row_group_size=max(size, 1))
                start += size
        table = ParquetTable(path, "t.parquet", Findings(limit=None))
        assert table.open()
        seen: dict[int, str] = {}
        for batch in table.batches({0}, wanted):
            assert batch.columns[1] is None and batch.columns[0] is not None
            seen.update(zip(batch.rows.to_pylist(), batch.columns[0].to_pylist(), strict=True))
    assert all(seen[row] == f"r{row}" for row in wanted)
    holding = {g for g in range(len(groups)) for row in wanted if 2 + sum(groups[:g]) <= row < 2 + sum(groups[:g + 1])}
    assert len(seen) == sum(groups[g] for g in holding)
