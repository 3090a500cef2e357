"""Grow one of our tables to millions of rows the way real data grows, as a Data Package to validate.

    python benchmarks/grow.py --table financial_targets --rows 1000000 --out /tmp/grown/ft_1M [--errors 20]
                              [--seed 1] [--companion-ratio 0.25]

Why not simply repeat our rows, or number the keys in order? Because a validator that is
fast on such files may be slow on real ones: real keys arrive in no particular order (so a
sort-based duplicate check does real work and a "keys are ascending" shortcut does not
apply), every description is different text (so dictionary tricks do not apply), and other
tables refer INTO the big table (so the foreign-key index is as large as the table). The
package written here has all three:

- the grown table (``initiatives`` or ``financial_targets``) with ``--rows`` rows, its
  primary keys shuffled, every free-text cell distinct;
- a companion table grown to ``--companion-ratio`` of that: for ``financial_targets`` the
  ``initiatives`` its ``initiative_id`` refers into; for ``initiatives`` the
  ``financial_targets`` that refer into it;
- our other published tables, copied from ``data/``;
- each table as CSV *and* Parquet (typed with our published Arrow types, read from
  ``data/<table>.parquet``, row groups of at most ~128 MiB uncompressed), described by
  ``datapackage.json`` (the CSV files) and ``parquet.datapackage.json`` (the Parquet ones),
  both with our Table Schemas (without sizes and hashes: no peer checks those);
- with ``--errors N``, N errors of different kinds injected at random rows of the grown
  table, listed as (row, column, kind) in ``expected_errors.json``, rows numbered as a
  spreadsheet shows them (the header is row 1, the first data row is row 2), which is how
  our validator reports them.

Values are generated from the Table Schema in ``datapackage.json`` (types, required, enums,
patterns, lengths, bounds, ISO code lists, money digits, list items, cross-field rules),
vectorised with numpy and pyarrow, a row group at a time, so 10M rows take about a minute.

A cell that cannot be typed (an injected type error) cannot be written in a typed Parquet
column: there it is left empty, so the same (row, column) is an error in both formats
(a required value missing, instead of a wrong type). Kinds whose broken value no Parquet
type can hold (more decimals than the decimal type) are not injected.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
GROWN_TABLES = ("initiatives", "financial_targets")
COMPANION = {"financial_targets": "initiatives", "initiatives": "financial_targets"}
"""The table grown beside each grown table: the one it refers into, or one that refers into it."""
ROW_GROUP_BYTES = 128 * 1024 * 1024
"""Uncompressed bytes of one Parquet row group, at most (our validator reads a row group at a time)."""
OPTIONAL_EMPTY = 0.1
"""Share of empty cells in an optional column."""
EXPECTED_FILE = "expected_errors.json"
CSV_DESCRIPTOR = "datapackage.json"
PARQUET_DESCRIPTOR = "parquet.datapackage.json"

# --------------------------------------------------------------------------- word pools (our own, made up here)

SLUGS = (  # noqa: SIM905 (one string of words reads better than a list)
    "energy corridor transport logistics mineral supply chain health medical water digital green resilience "
    "agriculture education tourism finance investment trade rail road port aviation grid solar wind hydro "
    "uranium copper lithium cotton textile pharma vaccine hospital clinic school university research startup "
    "satellite fibre customs border trucking freight cargo storage warehouse pipeline refinery fertiliser "
    "irrigation drought flood earthquake seismic climate carbon forest desert steppe mountain river lake"
).split()
"""Words for identifiers (snake_case, ``^[a-z][a-z0-9_]*$``)."""

STARTERS = (  # noqa: SIM905 (one string of words reads better than a list)
    "Japan Cooperation Investment Support Joint The A Strengthening Developing Building Expanding Financing "
    "Training Modernising Connecting Promoting Sharing Improving Establishing Launching Central Regional "
    "Türkiye-bound Almaty–Tashkent São-style Ōita-based"
).split()
"""First words of a sentence: capitalised, never a character that spreadsheets run as a formula."""

WORDS = (  # noqa: SIM905 (one string of words reads better than a list)
    "and the of in for with across between over under through after before during including to on by at "
    "projects, programmes, partners, corridors, sectors, countries, markets, investments, loans, grants, "
    "energy transport logistics minerals supply chains health medical water digital green resilience "
    "agriculture education tourism finance trade rail roads ports aviation grids solar wind hydropower "
    "critical rare-earth uranium copper lithium cotton textiles pharmaceuticals vaccines hospitals clinics "
    "schools universities research start-ups satellites fibre customs borders freight cargo storage pipelines "
    "refineries fertilisers irrigation drought floods earthquakes climate carbon forests deserts steppe "
    "mountains rivers lakes Kazakhstan Uzbekistan Kyrgyzstan Tajikistan Turkmenistan Japan Tokyo Astana "
    "Tashkent Bishkek Dushanbe Ashgabat Samarkand Almaty Caspian Aral five-year ten-year annual bilateral "
    "multilateral regional national local public private joint new existing modern sustainable resilient "
    "low-carbon clean efficient secure reliable affordable inclusive smart \"green\" so-called trans-Caspian "
    "Middle-Corridor yen dollars tenge som somoni manat billion million trillion percent targets commitments "
    "agreements memoranda initiatives dialogues summits ministers leaders experts engineers students doctors "
    "nurses farmers workers companies banks agencies funds institutions networks platforms centres hubs "
    "Türkiye Ōsaka Jalal-Abad Khujand Nukus Kökshetau Oʻzbekiston résumé naïve coöperation façade"
).split()
"""Words of free text, a few with commas, quotes and composed (NFC) non-ASCII letters, as real text has."""

INDONESIAN = (  # noqa: SIM905 (one string of words reads better than a list)
    "kerja sama investasi proyek bisnis energi transportasi koridor logistik mineral kritis rantai pasokan "
    "kesehatan medis air digital hijau ketahanan pertanian pendidikan pariwisata keuangan perdagangan "
    "kereta jalan pelabuhan penerbangan jaringan listrik surya angin tenaga nuklir tembaga litium kapas "
    "tekstil farmasi vaksin rumah sakit sekolah universitas penelitian satelit bea cukai perbatasan "
    "kargo gudang pipa kilang pupuk irigasi kekeringan banjir gempa iklim karbon hutan gurun sungai danau "
    "Jepang Asia Tengah Kazakhstan Uzbekistan Kirgistan Tajikistan Turkmenistan dan untuk dengan di antara "
    "selama lima tahun baru berkelanjutan strategis penguatan pengembangan pembangunan peningkatan"
).split()
"""Words of the Indonesian wording columns (``*_id`` text: the Indonesian source's own words)."""

SECTORS = (  # noqa: SIM905 (one string of words reads better than a list)
    "health medical energy mining transport logistics agriculture water digital finance education tourism "
    "manufacturing textiles chemicals"
).split()
"""Items of list columns (``sectors``); 15 of them, so stepping through them by a step coprime to 15 never repeats
within a list shorter than 3 (see ``_lists``)."""

CODE_POOLS = {
    "ISO 4217": ["JPY", "USD", "EUR", "KZT", "UZS", "KGS", "TJS", "TMT", "IDR", "CNY"],
    "ISO 3166-1 alpha-3": ["JPN", "KAZ", "UZB", "KGZ", "TJK", "TKM"],
    "ISO 639-1": ["en", "ja", "id", "kk", "uz", "ru"],
}
"""A small pool of valid codes per ISO list (every one assigned)."""
BAD_CODE = {"ISO 4217": "QQQ", "ISO 3166-1 alpha-3": "QQQ", "ISO 639-1": "qq"}
"""A code of the right shape that no ISO list assigns."""


# --------------------------------------------------------------------------- the schema, as the generator reads it


@dataclass(frozen=True)
class Column:
    """One Table Schema field, with what the generator needs to know of it."""

    name: str
    type: str
    required: bool
    pattern: str | None
    enum: list[Any] | None
    max_length: int | None
    minimum: Any
    code_list: str | None
    plain_text: bool
    places: int | None
    delimiter: str
    raw: dict[str, Any]

    @staticmethod
    def of(raw: dict[str, Any]) -> Column:
        constraints = raw.get("constraints", {})
        return Column(
            name=raw["name"],
            type=raw.get("type", "string"),
            required=bool(constraints.get("required")),
            pattern=constraints.get("pattern"),
            enum=constraints.get("enum"),
            max_length=constraints.get("maxLength"),
            minimum=constraints.get("minimum"),
            code_list=raw.get("codeList"),
            plain_text=bool(raw.get("plainText")),
            places=raw.get("decimalPlaces"),
            delimiter=raw.get("delimiter", ","),
            raw=raw,
        )


@dataclass(frozen=True)
class Table:
    """A table of the package: its Table Schema, read into what generating and breaking rows need."""

    name: str
    columns: list[Column]
    primary_key: list[str]
    foreign_keys: list[tuple[str, str, str]]
    """(field, referenced resource, referenced field), single-field keys only (ours are)."""
    rules: list[dict[str, Any]]

    @staticmethod
    def of(resource: dict[str, Any]) -> Table:
        schema = resource["schema"]
        fks = [
            (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in schema.get("foreignKeys", [])
        ]
        return Table(resource["name"], [Column.of(f) for f in schema["fields"]], list(schema.get("primaryKey", [])),
                     fks, list(schema.get("rules", [])))

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def reference_of(self, name: str) -> tuple[str, str] | None:
        return next(((t, f) for c, t, f in self.foreign_keys if c == name), None)


def read_descriptor() -> dict[str, Any]:
    """Our published ``datapackage.json``."""
    descriptor: dict[str, Any] = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    return descriptor


def csv_resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The CSV table resources of the descriptor, by name (their Parquet twins carry no schema of their own)."""
    return {r["name"]: r for r in descriptor["resources"] if r.get("format") == "csv" and "schema" in r}


# --------------------------------------------------------------------------- vectorised value generators


def key_text(numbers: np.ndarray) -> pa.Array:
    """The key of each number: ``<word>_<number>``, unique for unique numbers, valid for ``^[a-z][a-z0-9_]*$``."""
    words = pc.take(pa.array(SLUGS), pa.array(numbers % len(SLUGS)))
    return pc.binary_join_element_wise(words, pc.cast(pa.array(numbers), pa.string()), "_")


def _pick(pool: list[str], rng: np.random.Generator, n: int) -> pa.Array:
    return pc.take(pa.array(pool, pa.string()), pa.array(rng.integers(0, len(pool), n)))


def free_text(rng: np.random.Generator, n: int, low: int, high: int, unique: np.ndarray | None,
              vocabulary: tuple[str, ...] = tuple(WORDS), starters: tuple[str, ...] = tuple(STARTERS)) -> pa.Array:
    """Sentences of ``low``..``high`` words; with ``unique`` (distinct numbers) every sentence differs from the others.

    Built column-wise: word j of every row at once (a null past a row's length is skipped
    in the join), so a million sentences cost ``high`` array takes, not a million joins.
    """
    count = rng.integers(low, high + 1, n)
    parts: list[pa.Array] = [_pick(list(starters), rng, n)]
    words = pa.array(vocabulary, pa.string())
    for j in range(1, high):
        part = pc.take(words, pa.array(rng.integers(0, len(words), n)))
        if j >= low:
            part = pc.if_else(pa.array(count > j), part, pa.scalar(None, pa.string()))
        parts.append(part)
    if unique is not None:
        tags = pc.binary_join_element_wise(pa.array(["ref."] * n, pa.string()),
                                           pc.cast(pa.array(unique), pa.string()), " ")
        parts.insert(int(rng.integers(2, max(3, low))), tags)
    sentence = pc.binary_join_element_wise(*parts, " ", null_handling="skip")
    return pc.binary_join_element_wise(sentence, pa.array(["."] * n, pa.string()), "")


def _money(rng: np.random.Generator, n: int, places: int) -> pa.Array:
    """Amounts as text with 0, 2 or ``places`` decimals, from thousands to tens of trillions."""
    whole = pc.cast(pa.array(rng.integers(1_000, 50_000_000_000_000, n)), pa.string())
    digits = rng.choice([0, 2, places], n, p=[0.6, 0.3, 0.1])
    fraction = pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10**places, n)), pa.string()), places, "0")
    fraction = pc.utf8_slice_codeunits(fraction, 0, places)
    trimmed = pc.if_else(pa.array(digits == 2), pc.utf8_slice_codeunits(fraction, 0, 2), fraction)
    with_point = pc.binary_join_element_wise(whole, trimmed, ".")
    return pc.if_else(pa.array(digits == 0), whole, with_point)


def _lists(rng: np.random.Generator, n: int, delimiter: str) -> pa.Array:
    """1 to 3 distinct items a row: start anywhere, step by 1, 2, 4 or 7 (coprime to 15, so no item repeats)."""
    pool = pa.array(SECTORS, pa.string())
    count = rng.integers(1, 4, n)
    start = rng.integers(0, len(SECTORS), n)
    step = rng.choice([1, 2, 4, 7], n)
    parts = []
    for j in range(3):
        item = pc.take(pool, pa.array((start + j * step) % len(SECTORS)))
        parts.append(item if j == 0 else pc.if_else(pa.array(count > j), item, pa.scalar(None, pa.string())))
    return pc.binary_join_element_wise(*parts, delimiter, null_handling="skip")


@dataclass
class Plan:
    """How the rows of one table are made: its size, key order and what its foreign keys may point at."""

    table: Table
    rows: int
    order: np.ndarray
    """The number behind each row's primary key (a permutation of range(rows): keys are shuffled)."""
    published: dict[str, list[str]]
    """Referenced published table -> its key values."""
    grown_keys: dict[str, int] = field(default_factory=dict)
    """Referenced grown table -> its row count (its keys are ``key_text(range(rows))``)."""
    avoid: dict[str, np.ndarray] = field(default_factory=dict)
    """Referenced grown table -> key numbers not to refer to (rows broken on purpose lose their key)."""


def _published_keys(table: str, column: str) -> list[str]:
    import csv

    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle) if row[column]]


def _reference(plan: Plan, target: str, rng: np.random.Generator, n: int, published: list[str] | None) -> pa.Array:
    if published is not None:
        return _pick(published, rng, n)
    size = plan.grown_keys[target]
    numbers = rng.integers(0, size, n)
    avoid = plan.avoid.get(target)
    if avoid is not None and len(avoid):
        banned = np.isin(numbers, avoid)
        safe = np.setdiff1d(np.arange(min(size, len(avoid) + 1)), avoid)[0]
        numbers[banned] = safe
    return key_text(numbers)


def column_values(plan: Plan, column: Column, rows: slice, rng: np.random.Generator) -> pa.Array:
    """Valid cells (text, null where empty) of one column for the rows ``rows`` of the table."""
    n = rows.stop - rows.start
    table = plan.table
    if column.name in table.primary_key:
        return key_text(plan.order[rows])
    reference = table.reference_of(column.name)
    if reference is not None:
        target = reference[0]
        values = _reference(plan, target, rng, n, plan.published.get(target))
    elif column.enum is not None:
        values = _pick([str(v) for v in column.enum], rng, n)
    elif column.code_list is not None:
        values = _pick(CODE_POOLS[column.code_list], rng, n)
    elif column.type == "integer":
        low = int(column.minimum) if column.minimum is not None else 0
        values = pc.cast(pa.array(rng.integers(low, low + 30, n)), pa.string())
    elif column.type == "number":
        values = _money(rng, n, column.places if column.places is not None else 2)
    elif column.type == "boolean":
        values = _pick(["true", "false"], rng, n)
    elif column.type == "date":
        days = np.datetime64("2015-01-01") + rng.integers(0, 4000, n).astype("timedelta64[D]")
        values = pc.cast(pa.array(days), pa.string())
    elif column.type == "list":
        values = _lists(rng, n, column.delimiter)
    elif column.plain_text or column.pattern is None or not column.pattern.startswith("^[a-z]"):
        if column.name.endswith("_id"):  # the Indonesian wording
            values = free_text(rng, n, 2, 7, None, tuple(INDONESIAN), ("Kerja", "Investasi", "Penguatan", "Koridor"))
        elif column.max_length is not None and column.max_length <= 300:
            values = free_text(rng, n, 3, 9, None)
        else:  # a description: distinct on every row, as real ones are
            values = free_text(rng, n, 10, 36, plan.order[rows] * 7 + 3)
    else:
        values = _pick(SLUGS, rng, n)
    if not column.required:
        values = pc.if_else(pa.array(rng.random(n) < OPTIONAL_EMPTY), pa.scalar(None, pa.string()), values)
    return values


def apply_rules(table: Table, columns: dict[str, pa.Array]) -> None:
    """Make the rows obey the table's cross-field rules (the list items are already distinct)."""
    for rule in table.rules:
        names = rule["fields"]
        if rule["rule"] == "together":
            given = pc.is_valid(columns[names[0]])
            for name in names[1:]:
                given = pc.and_(given, pc.is_valid(columns[name]))
            for name in names:
                columns[name] = pc.if_else(given, columns[name], pa.scalar(None, pa.string()))
        elif rule["rule"] == "notBefore":
            columns[names[0]] = pc.max_element_wise(columns[names[0]], columns[names[1]])
        elif rule["rule"] == "differ":
            same = pc.equal(columns[names[0]], columns[names[1]])
            columns[names[0]] = pc.if_else(pc.fill_null(same, False), pa.scalar(None, pa.string()), columns[names[0]])
        elif rule["rule"] not in ("uniqueItems",):
            raise NotImplementedError(f"rule {rule['rule']!r} is not generated yet")


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Injected:
    """One error put in the grown table on purpose, and the finding code our validator gives it in each format."""

    index: int
    """0-based data row."""
    column: str
    kind: str
    value: str | None
    csv_code: str
    parquet_code: str
    also: tuple[tuple[str, str | None], ...] = ()
    """Other cells of the same row set so that only this error is present (e.g. the other field of a pair)."""

    @property
    def row(self) -> int:
        """The row as a spreadsheet shows it: the header is row 1."""
        return self.index + 2

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "kind": self.kind, "value": self.value,
                "code": {"csv": self.csv_code, "parquet": self.parquet_code}}


Breaker = Callable[[Table, int, np.ndarray], Injected | None]
"""Given the table, a 0-based row and the key numbers, one error at that row (None if the table has no such column)."""


def _first(table: Table, test: Callable[[Column], bool]) -> Column | None:
    return next((c for c in table.columns if test(c)), None)


def _is_plain_field(table: Table, c: Column) -> bool:
    return c.name not in table.primary_key and table.reference_of(c.name) is None


def _wrong_type(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: c.required and c.type in ("number", "integer", "boolean", "date"))
    if column is None:
        return None
    bad = {"number": "twelve", "integer": "7.5", "boolean": "maybe", "date": "2025-02-30"}[column.type]
    return Injected(i, column.name, "type", bad, "type", "required")


def _pattern(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: _is_plain_field(table, c) and c.pattern is not None and not c.plain_text
                    and c.enum is None)
    if column is not None:
        return Injected(i, column.name, "pattern", "usd" if column.code_list else "Not An Id!", "pattern", "pattern")
    key = table.primary_key[0]
    return Injected(i, key, "pattern", f"Initiative {order[i]}", "pattern", "pattern")


def _control_character(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: c.plain_text and c.required and (c.max_length or 0) > 300)
    if column is None:
        return None
    return Injected(i, column.name, "plain text (control character)", f"A bell\u0007 rings in row {order[i]}.",
                    "pattern", "pattern")


def _required(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: _is_plain_field(table, c) and c.required and c.plain_text)
    return None if column is None else Injected(i, column.name, "required", None, "required", "required")


def _enum(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: c.enum is not None)
    if column is not None:
        return Injected(i, column.name, "enum", "unheard_of", "enum", "enum")
    column = _first(table, lambda c: c.code_list is not None and c.required)
    if column is None:
        return None
    assert column.code_list is not None
    return Injected(i, column.name, "enum (ISO code)", BAD_CODE[column.code_list], "iso-code", "iso-code")


def _minimum(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: c.minimum is not None)
    if column is None:
        return None
    bad = str(int(column.minimum) - 1 if column.type == "integer" else -5)
    return Injected(i, column.name, "minimum", bad, "minimum", "minimum")


def _too_long(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: _is_plain_field(table, c) and c.plain_text and c.max_length is not None
                    and c.max_length <= 300)
    if column is None:
        return None
    assert column.max_length is not None
    text = ("Overlong name " + " ".join(["corridor"] * column.max_length))[: column.max_length + 1].rstrip()
    text = text + "x" * (column.max_length + 1 - len(text))
    return Injected(i, column.name, "max-length", text, "max-length", "max-length")


def _duplicate_key(table: Table, i: int, order: np.ndarray) -> Injected | None:
    return Injected(i, table.primary_key[0], "duplicate primary key", None, "primary-key", "primary-key")


def _missing_reference(table: Table, i: int, order: np.ndarray) -> Injected | None:
    grown = [c for c, t, _ in table.foreign_keys if t in GROWN_TABLES]
    name = grown[0] if grown else table.foreign_keys[-1][0] if table.foreign_keys else None
    if name is None:
        return None
    return Injected(i, name, "foreign key", f"no_such_key_{order[i]}", "foreign-key", "foreign-key")


def _unique_items(table: Table, i: int, order: np.ndarray) -> Injected | None:
    rule = next((r for r in table.rules if r["rule"] == "uniqueItems"), None)
    if rule is None:
        return None
    column = table.column(rule["fields"][0])
    return Injected(i, column.name, "rule (an item listed twice)", column.delimiter.join(SECTORS[:1] * 2),
                    "rule", "rule")


def _together(table: Table, i: int, order: np.ndarray) -> Injected | None:
    rule = next((r for r in table.rules if r["rule"] == "together"), None)
    if rule is None:
        return None
    given, empty = rule["fields"][0], rule["fields"][-1]
    value = "1000" if table.column(given).type in ("number", "integer") else CODE_POOLS["ISO 4217"][0]
    return Injected(i, empty, "rule (one of a pair missing)", None, "rule", "rule", also=((given, value),))


def _item_pattern(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: c.type == "list" and "itemPattern" in c.raw)
    if column is None:
        return None
    return Injected(i, column.name, "list item pattern", column.delimiter.join(["Health", "energy"]),
                    "list-item", "list-item")


def _outer_space(table: Table, i: int, order: np.ndarray) -> Injected | None:
    column = _first(table, lambda c: c.plain_text and c.required and (c.max_length or 0) > 300)
    if column is None:
        return None
    return Injected(i, column.name, "plain text (trailing space)", f"Text that ends with a space {order[i]} ",
                    "text", "text")


BREAKERS: tuple[Breaker, ...] = (
    _wrong_type, _pattern, _required, _enum, _minimum, _duplicate_key, _missing_reference, _unique_items,
    _together, _item_pattern, _too_long, _control_character, _outer_space,
)
"""Every kind of error, in the order they are dealt to the chosen rows (those a table cannot have are skipped)."""


def plan_errors(table: Table, rows: int, count: int, order: np.ndarray, rng: np.random.Generator) -> list[Injected]:
    """``count`` errors at distinct random rows, the kinds the table can have dealt in turn."""
    if count == 0:
        return []
    if rows < 4 * count:
        raise SystemExit(f"--rows must be at least {4 * count} to hold {count} errors apart")
    at = np.sort(rng.choice(np.arange(1, rows), count, replace=False))
    kinds = [b for b in BREAKERS if b(table, 0, order) is not None]
    chosen = rng.permutation(len(at))
    errors = []
    for turn, position in enumerate(chosen):
        found = kinds[turn % len(kinds)](table, int(at[position]), order)
        assert found is not None
        errors.append(found)
    return sorted(errors, key=lambda e: e.index)


def duplicate_sources(errors: list[Injected], rng: np.random.Generator) -> dict[int, int]:
    """For each duplicate-key error, an earlier unbroken row whose key it copies (so the later row is reported)."""
    broken = {e.index for e in errors}
    chosen: dict[int, int] = {}
    for error in errors:
        if error.kind == "duplicate primary key":
            source = int(rng.integers(0, error.index))
            while source in broken or source in chosen.values():
                source = (source + 1) % error.index
            chosen[error.index] = source
    return chosen


# --------------------------------------------------------------------------- writing


def _csv_cell(values: pa.Array) -> pa.Array:
    """Text as a CSV cell, quoted only when it must be (as our exporter and Python's csv module write)."""
    needs = pc.fill_null(pc.match_substring_regex(values, '[",\r\n]'), False)
    if not pc.any(needs).as_py():
        return values
    quoted = pc.binary_join_element_wise(
        pa.array(['"'] * len(values), pa.string()), pc.replace_substring(values, '"', '""'),
        pa.array(['"'] * len(values), pa.string()), "")
    return pc.if_else(needs, quoted, values)


def csv_lines(columns: list[pa.Array]) -> pa.Array:
    """The CSV lines (LF-terminated) of text columns, nulls as empty cells, built by Arrow kernels."""
    n = len(columns[0])
    cells = [pc.fill_null(_csv_cell(c), "") for c in columns]
    lines = pc.binary_join_element_wise(*cells, ",")
    return pc.binary_join_element_wise(lines, pa.array(["\n"] * n, pa.string()), "").cast(pa.large_string())


def write_lines(out: Any, lines: pa.Array) -> None:
    """Write lines straight from the array's data buffer (no Python object a row)."""
    offsets = np.frombuffer(lines.buffers()[1], np.int64)[lines.offset: lines.offset + len(lines) + 1]
    out.write(memoryview(lines.buffers()[2])[int(offsets[0]): int(offsets[-1])])


def typed(values: pa.Array, target: pa.Field, delimiter: str) -> pa.Array:
    """Text cells as the published Parquet column type."""
    kind = target.type
    if pa.types.is_dictionary(kind):
        return pc.dictionary_encode(values).cast(kind)
    if pa.types.is_list(kind):
        return pc.split_pattern(values, delimiter).cast(kind)
    return pc.cast(values, kind)


def parquet_schema(table: str) -> pa.Schema:
    """Our published Arrow types of a table (without the file's schema-level metadata)."""
    return pq.read_schema(ROOT / "data" / f"{table}.parquet").remove_metadata()


def row_group_rows(table: Table, plan: Plan, schema: pa.Schema) -> int:
    """Rows a row group may hold to stay within ``ROW_GROUP_BYTES`` uncompressed, measured on a sample."""
    sample = min(plan.rows, 20_000)
    rng = np.random.default_rng(0)
    columns = [column_values(plan, c, slice(0, sample), rng) for c in table.columns]
    arrays = [typed(v, f, c.delimiter) for v, f, c in zip(columns, schema, table.columns, strict=True)]
    per_row = sum(a.nbytes for a in arrays) / sample
    return max(1000, int(ROW_GROUP_BYTES / per_row * 0.9))


@dataclass
class Written:
    table: str
    rows: int
    csv_bytes: int
    parquet_bytes: int
    row_groups: int


def write_table(folder: Path, plan: Plan, errors: list[Injected], sources: dict[int, int], seed: int) -> Written:
    """Generate and write one grown table, CSV and Parquet, a row group at a time (bounded memory).

    The next row group is generated on a second thread while this one is compressed and written (Arrow and numpy
    release the GIL), so both cores work; each row group has its own random stream, so the output is the same.
    """
    from concurrent.futures import ThreadPoolExecutor

    table = plan.table
    schema = parquet_schema(table.name)
    nullable = pa.schema([f.with_nullable(True) for f in schema])
    step = row_group_rows(table, plan, schema)
    csv_path = folder / "data" / f"{table.name}.csv"
    parquet_path = folder / "data" / f"{table.name}.parquet"
    starts = list(range(0, plan.rows, step))

    def make(chunk: int) -> tuple[pa.Array, pa.Table]:
        rows = slice(starts[chunk], min(plan.rows, starts[chunk] + step))
        rng = np.random.default_rng([seed, GROWN_TABLES.index(table.name), chunk])
        columns = {c.name: column_values(plan, c, rows, rng) for c in table.columns}
        apply_rules(table, columns)
        typed_columns = dict(columns)
        for error in errors:
            if rows.start <= error.index < rows.stop:
                _break(columns, typed_columns, error, rows.start, sources)
        arrays = [typed(typed_columns[c.name], f, c.delimiter) for c, f in zip(table.columns, schema, strict=True)]
        return csv_lines([columns[c.name] for c in table.columns]), pa.Table.from_arrays(arrays, schema=nullable)

    with (csv_path.open("wb") as out, pq.ParquetWriter(parquet_path, nullable, compression="zstd") as parquet,
          ThreadPoolExecutor(max_workers=1) as pool):
        out.write((",".join(c.name for c in table.columns) + "\n").encode())
        pending = pool.submit(make, 0)
        for chunk in range(len(starts)):
            lines, typed_table = pending.result()
            if chunk + 1 < len(starts):
                pending = pool.submit(make, chunk + 1)
            write_lines(out, lines)
            parquet.write_table(typed_table, row_group_size=step)
    return Written(table.name, plan.rows, csv_path.stat().st_size, parquet_path.stat().st_size, len(starts))


def _set(column: pa.Array, at: int, value: str | None) -> pa.Array:
    mask = np.zeros(len(column), bool)
    mask[at] = True
    return pc.replace_with_mask(column, pa.array(mask), pa.array([value], pa.string()))


def _break(columns: dict[str, pa.Array], typed_columns: dict[str, pa.Array], error: Injected, first: int,
           sources: dict[int, int]) -> None:
    """Put one error in a chunk's text columns (CSV) and in the cells the Parquet file is typed from."""
    at = error.index - first
    value = error.value
    if error.kind == "duplicate primary key":
        value = key_text(np.array([sources[error.index]]))[0].as_py()
    for name, other in error.also:
        columns[name] = _set(columns[name], at, other)
        typed_columns[name] = columns[name]
    columns[error.column] = _set(columns[error.column], at, value)
    typed_columns[error.column] = _set(typed_columns[error.column], at, None if error.kind == "type" else value)


def _sources_with_keys(errors: list[Injected], sources: dict[int, int], order: np.ndarray) -> dict[int, int]:
    """Duplicate-key errors: row -> the key NUMBER of the earlier row it copies."""
    return {row: int(order[source]) for row, source in sources.items()}


def grow(table_name: str, rows: int, out: Path, *, errors: int = 20, seed: int = 1,
         companion_ratio: float = 0.25, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write the package to ``out`` (replaced if it exists); returns what ``expected_errors.json`` holds."""
    if table_name not in GROWN_TABLES:
        raise SystemExit(f"--table must be one of {', '.join(GROWN_TABLES)}")
    say = log or (lambda _: None)
    started = time.perf_counter()
    descriptor = read_descriptor()
    resources = csv_resources(descriptor)
    tables = {name: Table.of(r) for name, r in resources.items()}
    companion = COMPANION[table_name]
    sizes = {table_name: rows, companion: max(1000, int(rows * companion_ratio))}
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    rng = np.random.default_rng([seed, 99])
    orders = {name: rng.permutation(size) for name, size in sizes.items()}
    main = tables[table_name]
    injected = plan_errors(main, rows, errors, orders[table_name], rng)
    sources = duplicate_sources(injected, rng)
    # Rows broken on purpose may lose their key (a duplicate, a pattern): nothing refers to them.
    avoid = {table_name: orders[table_name][[e.index for e in injected]]} if injected else {}
    written = []
    for name in (table_name, companion):
        table = tables[name]
        published = {t: _published_keys(t, f) for _, t, f in table.foreign_keys if t not in sizes}
        grown = {t: sizes[t] for _, t, _ in table.foreign_keys if t in sizes}
        plan = Plan(table, sizes[name], orders[name], published, grown, avoid)
        mine = injected if name == table_name else []
        keyed = _sources_with_keys(mine, sources, orders[name]) if mine else {}
        written.append(write_table(out, plan, mine, keyed, seed))
        say(f"  {name}: {sizes[name]:,} rows, CSV {written[-1].csv_bytes / 1e6:,.0f} MB, Parquet "
            f"{written[-1].parquet_bytes / 1e6:,.0f} MB in {written[-1].row_groups} row groups "
            f"({time.perf_counter() - started:.1f} s)")
    _write_descriptors(out, descriptor, set(sizes))
    expected = {
        "table": table_name,
        "rows": rows,
        "seed": seed,
        "tables": sizes,
        "checked": [table_name, companion],
        "row_numbers": "as a spreadsheet shows them: the header is row 1, the first data row is row 2",
        "errors": [e.to_json() for e in injected],
    }
    (out / EXPECTED_FILE).write_text(json.dumps(expected, indent=1, ensure_ascii=False), encoding="utf-8")
    say(f"  written in {time.perf_counter() - started:.1f} s to {out}")
    return expected


def refers_into(resource: dict[str, Any], tables: set[str]) -> bool:
    """Whether a published table has a foreign key into one of ``tables`` (which are grown, with other keys)."""
    keys = resource.get("schema", {}).get("foreignKeys", [])
    return any(key["reference"].get("resource") in tables for key in keys)


def header_only(name: str, folder: Path) -> None:
    """Our published table without its rows: they refer to published keys a grown table no longer has."""
    import pyarrow.parquet as pq

    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as source:
        (folder / f"{name}.csv").write_text(source.readline(), encoding="utf-8", newline="")
    published = pq.read_table(ROOT / "data" / f"{name}.parquet")
    pq.write_table(published.slice(0, 0), folder / f"{name}.parquet")


def _write_descriptors(out: Path, descriptor: dict[str, Any], grown: set[str]) -> None:
    """``datapackage.json`` (CSV) and ``parquet.datapackage.json`` (Parquet): our tables, without sizes and hashes."""
    csv_list, parquet_list = [], []
    for resource in csv_resources(descriptor).values():
        name = resource["name"]
        if name not in grown and refers_into(resource, grown):
            header_only(name, out / "data")
        elif name not in grown:
            shutil.copy(ROOT / "data" / f"{name}.csv", out / "data" / f"{name}.csv")
            shutil.copy(ROOT / "data" / f"{name}.parquet", out / "data" / f"{name}.parquet")
        plain = {k: v for k, v in resource.items() if k not in ("bytes", "hash")}
        csv_list.append(plain)
        parquet = {k: v for k, v in plain.items() if k not in ("dialect", "encoding")}
        parquet.update(path=f"data/{name}.parquet", format="parquet", mediatype="application/vnd.apache.parquet")
        parquet_list.append(parquet)
    for file, resources in ((CSV_DESCRIPTOR, csv_list), (PARQUET_DESCRIPTOR, parquet_list)):
        package = {k: v for k, v in descriptor.items() if k != "resources"}
        package["resources"] = resources
        (out / file).write_text(json.dumps(package, indent=1, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--table", choices=GROWN_TABLES, default="financial_targets")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True, help="the package folder (replaced if it exists)")
    parser.add_argument("--errors", type=int, default=20, help="errors to inject (0: a valid package)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--companion-ratio", type=float, default=0.25,
                        help="rows of the companion table, as a share of --rows")
    args = parser.parse_args(argv)
    grow(args.table, args.rows, args.out, errors=args.errors, seed=args.seed,
         companion_ratio=args.companion_ratio, log=lambda line: print(line, file=sys.stderr, flush=True))


def iter_expected(folder: Path) -> Iterator[tuple[int, str]]:
    """(row, column) of each error injected in the package at ``folder``."""
    expected = json.loads((folder / EXPECTED_FILE).read_text(encoding="utf-8"))
    for error in expected["errors"]:
        yield int(error["row"]), str(error["column"])


if __name__ == "__main__":
    main()
