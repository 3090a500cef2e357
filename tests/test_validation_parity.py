"""Parity with frictionless: on a corpus of broken files, every error frictionless reports, we report too.

Each case copies our CSV tables into a package, breaks one thing (one error class of the
validate issue), runs ``frictionless.validate`` and ``ca_summit_data.validation.validate``
on it, and checks that each (row, column) frictionless reports a cell error at is among
ours. Where frictionless has no row (file-level errors: encoding, hash, size, an empty
file) an error of the same kind must be among ours; where it has no column (row errors:
primary key, foreign key, blank row) one of the same kind at that row. Header errors have
no row in frictionless; we report them at row 1, same column. We may report more (our
models know more), never less.

The last cases are where we are stricter than frictionless on purpose, as documented in
the README: there frictionless finds nothing and we find the problem.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ca_summit_data.validation import validate

from .conftest import ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))

KIND = {
    "type-error": {"type"},
    "constraint-error": {"required", "enum", "pattern", "min-length", "max-length", "minimum", "maximum"},
    "primary-key": {"primary-key"},
    "foreign-key": {"foreign-key"},
    "blank-row": {"blank-row"},
    "extra-cell": {"extra-cell"},
    "missing-cell": {"missing-cell"},
    "extra-label": {"extra-label"},
    "missing-label": {"missing-label"},
    "blank-label": {"blank-label"},
    "duplicate-label": {"duplicate-label"},
    "incorrect-label": {"incorrect-label"},
    "encoding-error": {"encoding"},
    "hash-count": {"hash"},
    "byte-count": {"bytes"},
    "source-error": {"file"},
}
ROW_ERRORS = {"primary-key", "foreign-key", "blank-row"}
HEADER_ERRORS = {"extra-label", "missing-label", "blank-label", "duplicate-label", "incorrect-label"}

Mutation = Callable[[Path], None]


def package(folder: Path, *, keep_hashes: bool = False) -> Path:
    """Our CSV tables as a package in ``folder`` (sizes and hashes dropped unless asked for)."""
    (folder / "data").mkdir(parents=True)
    resources = []
    for resource in DESCRIPTOR["resources"]:
        if resource.get("format") != "csv":
            continue
        resource = copy.deepcopy(resource)
        if not keep_hashes:
            resource.pop("bytes")
            resource.pop("hash")
        shutil.copy(ROOT / resource["path"], folder / resource["path"])
        resources.append(resource)
    descriptor = {k: v for k, v in DESCRIPTOR.items() if k != "resources"} | {"resources": resources}
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return path


PERSONS_HEADER = "person_id,name,country_code,name_official\n"


def edit(table: str, old: str | bytes, new: str | bytes) -> Mutation:
    """Replace the first ``old`` in ``data/<table>.csv`` with ``new``."""

    def mutate(folder: Path) -> None:
        path = folder / "data" / f"{table}.csv"
        data = path.read_bytes()
        before = old.encode() if isinstance(old, str) else old
        after = new.encode() if isinstance(new, str) else new
        assert before in data, f"{old!r} not in {table}.csv"
        path.write_bytes(data.replace(before, after, 1))

    return mutate


def write(table: str, content: bytes) -> Mutation:
    def mutate(folder: Path) -> None:
        (folder / "data" / f"{table}.csv").write_bytes(content)

    return mutate


CASES: dict[str, Mutation] = {
    # header
    "incorrect label": edit("summits", "summit_id,name", "summit_idx,name"),
    "missing column": edit("persons", PERSONS_HEADER, "person_id,name,name_official\n"),
    "extra column": edit("persons", PERSONS_HEADER, "person_id,name,country_code,name_official,x\n"),
    "duplicate label": edit("persons", PERSONS_HEADER, "person_id,name,name,name_official\n"),
    "blank label": edit("persons", PERSONS_HEADER, "person_id,,country_code,name_official\n"),
    # types
    "integer": edit("summits", ",1,2025-12-19", ",one,2025-12-19"),
    "date": edit("summits", "2025-12-19,2025-12-20", "2025-12-19,2025-13-20"),
    "boolean": edit("countries", "Japan,Jepang,false", "Japan,Jepang,no"),
    "number": edit("financial_targets", "3000000000000", "3,000"),
    # constraints
    "required": edit("persons", "Emomali Rahmon", ""),
    "enum": edit("initiatives", "cooperation_focus,planned", "cooperation_focus,done"),
    "pattern": edit("persons", "emomali_rahmon,", "Emomali-Rahmon,"),
    "ISO code pattern": edit("persons", "Emomali Rahmon,TJK", "Emomali Rahmon,tjk"),
    "max length": edit("persons", "Emomali Rahmon", "E" * 301),
    "minimum": edit("summits", ",1,2025-12-19", ",0,2025-12-19"),
    "maximum": edit("summits", ",1,2025-12-19", ",9223372036854775808,2025-12-19"),
    # keys
    "duplicate primary key": edit("persons", "kassym_jomart_tokayev,", "emomali_rahmon,"),
    "foreign key": edit("initiatives", "greening_and_resilience,Climate", "nowhere,Climate"),
    "foreign key to a country": edit("persons", "Emomali Rahmon,TJK", "Emomali Rahmon,XYZ"),
    "referenced table empty": write("persons", b""),
    # rows
    "row with a cell missing": edit("persons", "Emomali Rahmon,TJK", "Emomali Rahmon"),
    "row with an extra cell": edit("persons", "Emomali Rahmon,TJK", "Emomali Rahmon,TJK,extra"),
    "blank row": edit("persons", "\nkassym", "\n,,\nkassym"),
    "empty line": edit("persons", "\nkassym", "\n\nkassym"),
    "value over two lines": edit("persons", "Emomali Rahmon", '"Emomali\nRahmon"'),
    # encoding
    "not UTF-8": edit("persons", "Emomali Rahmon", b"Emomali \xff Rahmon"),
    "ragged and not UTF-8": edit("persons", "Emomali Rahmon,TJK", b"Emomali \xff Rahmon"),
    "Latin-1 file": write("countries", "country_code,iso2,name,name_id,central_asian\nJPN,JP,Japón,Jepang,false\n"
                          .encode("latin-1")),
}

STRICTER: dict[str, tuple[Mutation, str]] = {
    "byte-order mark": (edit("persons", "person_id", b"\xef\xbb\xbfperson_id"), "bom"),
    "date without zero padding": (edit("summits", "2025-12-19,2025-12-20", "2025-12-19,2025-12-2"), "type"),
    "integer with an underscore": (edit("summits", ",1,2025-12-19", ",1_0,2025-12-19"), "type"),
    "leading white space in a name": (edit("persons", "Emomali Rahmon", " Emomali Rahmon"), "text"),
    "end date before start date": (edit("summits", "2025-12-19,2025-12-20", "2025-12-19,2025-12-18"), "rule"),
}


@pytest.fixture(scope="module")
def frictionless_validate() -> Callable[[Path], dict[str, Any]]:
    from frictionless import validate as run

    def report(descriptor: Path) -> dict[str, Any]:
        result: dict[str, Any] = run(str(descriptor)).to_dict()
        return result

    return report


def frictionless_errors(report: dict[str, Any]) -> list[tuple[str, int | None, int | None]]:
    out = [(str(e["type"]), e.get("rowNumber"), e.get("fieldNumber")) for t in report["tasks"] for e in t["errors"]]
    return out + [(str(e["type"]), None, None) for e in report.get("errors", [])]


def missing_from_ours(theirs: list[tuple[str, int | None, int | None]], ours: set[tuple[str, int | None, int | None]]
                      ) -> list[tuple[str, int | None, int | None]]:
    """Frictionless errors with no counterpart among our findings (kind, row, column)."""
    missing = []
    for kind, row, column in theirs:
        codes = KIND[kind]
        if kind in HEADER_ERRORS:
            hit = any(c in codes and r == 1 and n == column for c, r, n in ours)
        elif row is None:
            hit = any(c in codes for c, _, _ in ours)
        elif kind in ROW_ERRORS:
            hit = any(c in codes and r == row for c, r, _ in ours)
        else:  # a cell: the same cell (an integer past 64 bits is "too large" to frictionless, a type error to us)
            hit = any(r == row and n == column for _, r, n in ours)
        if not hit:
            missing.append((kind, row, column))
    return missing


def test_the_intact_package_is_valid_for_both(tmp_path: Path, frictionless_validate: Any) -> None:
    descriptor = package(tmp_path / "intact", keep_hashes=True)
    assert frictionless_validate(descriptor)["valid"] is True
    report = validate([descriptor])
    assert report.exit_code == 0, [str(f) for f in report.findings]


@pytest.mark.parametrize("case", list(CASES))
def test_we_report_every_error_frictionless_reports(case: str, tmp_path: Path, frictionless_validate: Any) -> None:
    descriptor = package(tmp_path / "case")
    CASES[case](descriptor.parent)
    theirs = frictionless_errors(frictionless_validate(descriptor))
    assert theirs, "the corpus file must be broken for frictionless too"
    report = validate([descriptor], max_errors=None)
    ours = {(f.code, f.row, f.column_number) for f in report.findings}
    assert report.exit_code == 1
    assert missing_from_ours(theirs, ours) == []


def test_a_changed_file_fails_its_declared_size_and_hash_for_both(tmp_path: Path, frictionless_validate: Any) -> None:
    descriptor = package(tmp_path / "hash", keep_hashes=True)
    edit("persons", "Emomali Rahmon", "Emomali Rahmoo")(descriptor.parent)
    theirs = frictionless_errors(frictionless_validate(descriptor))
    assert {kind for kind, _, _ in theirs} == {"hash-count"}
    ours = {(f.code, f.row, f.column_number) for f in validate([descriptor]).findings}
    assert missing_from_ours(theirs, ours) == []
    assert ("hash", None, None) in ours


@pytest.mark.parametrize("case", list(STRICTER))
def test_where_we_are_stricter_frictionless_finds_nothing_and_we_find_it(
    case: str, tmp_path: Path, frictionless_validate: Any
) -> None:
    mutate, code = STRICTER[case]
    descriptor = package(tmp_path / "case")
    mutate(descriptor.parent)
    assert frictionless_errors(frictionless_validate(descriptor)) == []
    assert code in {f.code for f in validate([descriptor]).findings}
