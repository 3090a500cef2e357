"""Hostile and broken seed files never crash the build and never touch published files.

Property-based: hypothesis mutates the valid seed records (values, fields, ids, Unicode,
numbers, codes) and the raw YAML text (tabs, indentation, duplicate keys, aliases,
truncation, bad encodings). Whatever it produces, the build must either publish a valid
dataset or answer in its documented format (``error: FILE[:LINE]: ...`` lines, then a
summary line; exit 1) and leave every published byte as it was.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ca_summit_data.cli import main
from ca_summit_data.limits import MAX_ALIASES, MAX_EXPANDED_NODES, MAX_FILE_BYTES

from .conftest import ROOT, snapshot

SEED_FILES = sorted(p.name for p in (ROOT / "seeds").glob("*.yaml"))
ORIGINAL = {name: yaml.safe_load((ROOT / "seeds" / name).read_text(encoding="utf-8")) for name in SEED_FILES}
ORIGINAL_TEXT = {name: (ROOT / "seeds" / name).read_bytes() for name in SEED_FILES}
STATS_FILE = ROOT / ".hypothesis" / "ca-summit-reliability.json"

ODD_STRINGS = [
    "",
    " ",
    "x" * 100_000,
    "nul\x00byte",
    "bidi\u202eoverride",
    "\u0301combining first",
    "Cafe\u0301",  # not NFC
    '=HYPERLINK("x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\tTab",
    "line\nbreak",
    "\ufeffbom",
    "\ud7ff\ue000",
    "😀",
]
WRONG_VALUES: list[Any] = [None, 0, -1, 1.5, float("nan"), float("inf"), True, [], {}, ["a"], {"a": 1}]
BAD_DATES = ["2025-02-30", "2025-13-01", "0000-01-01", "yesterday", "20-12-2025", 20251220]
BAD_NUMBERS: list[Any] = [-1, -0.5, float("nan"), float("inf"), float("-inf"), "1e400", 10**40, "3 triliun"]
BAD_CODES = ["XXX", "jpn", "JP", "JPNN", "IDX", "zz", "", "123"]


def alias_bomb(depth: int) -> str:
    """A "billion laughs" YAML list: each level repeats the one before nine times (9**depth values)."""
    lines = ['- a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, depth)]
    return "\n".join(lines) + "\n"


class Recorder:
    """Counts the cases tried by kind and outcome, for the README's reliability figures."""

    counts: ClassVar[Counter[str]] = Counter()

    @classmethod
    def add(cls, kind: str, outcome: str) -> None:
        cls.counts[f"{kind}:{outcome}"] += 1
        STATS_FILE.parent.mkdir(exist_ok=True)
        STATS_FILE.write_text(json.dumps(dict(sorted(cls.counts.items())), indent=1))


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory, sources_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "project"
    root.mkdir()
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = text.replace('sources-dir = "../shared/seeds"', f'sources-dir = "{sources_dir.as_posix()}"')
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    for entry in ("seeds", "data", "schemas"):
        shutil.copytree(ROOT / entry, root / entry)
    shutil.copy2(ROOT / "datapackage.json", root / "datapackage.json")
    (root / "docs").mkdir()
    shutil.copy2(ROOT / "docs" / "data-dictionary.md", root / "docs" / "data-dictionary.md")
    return root


def reset(root: Path) -> None:
    for name, raw in ORIGINAL_TEXT.items():
        (root / "seeds" / name).write_bytes(raw)


def assert_documented_outcome(root: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root)
    code = main(["build", "--root", str(root)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "internal error" not in captured.err, captured.err
    if code == 0:
        Recorder.add(kind, "accepted")
        # A mutation the models accept must still give outputs that pass the drift check.
        assert main(["build", "--root", str(root), "--check"]) == 0
        capsys.readouterr()
        return
    assert code == 1, captured
    lines = captured.err.splitlines()
    assert lines[-1].endswith("nothing was published"), lines[-1]
    assert lines[:-1], "no problem was named"
    for line in lines[:-1]:
        assert line.startswith("error: seeds/") or line.startswith("note: "), line
    assert snapshot(root) == before
    Recorder.add(kind, "refused")


@st.composite
def value_mutation(draw: st.DrawFn) -> tuple[str, str, int, str, Any]:
    """(file, mode, record index, field, value): a change to one field of one record."""
    name = draw(st.sampled_from(SEED_FILES))
    records = ORIGINAL[name]
    index = draw(st.integers(0, len(records) - 1))
    field = draw(st.sampled_from(sorted(records[index])))
    mode = draw(
        st.sampled_from(["wrong", "odd_string", "date", "number", "code", "delete", "unknown", "dup_id", "dangling"])
    )
    pool: list[Any] = {
        "wrong": WRONG_VALUES,
        "odd_string": ODD_STRINGS,
        "date": BAD_DATES,
        "number": BAD_NUMBERS,
        "code": BAD_CODES,
        "delete": [None],
        "unknown": ["surprise"],
        "dup_id": [None],
        "dangling": ["no_such_record"],
    }[mode]
    return name, mode, index, field, draw(st.sampled_from(pool))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value_mutation())
def test_mutated_records(
    base_project: Path, capsys: pytest.CaptureFixture[str], mutation: tuple[str, str, int, str, Any]
) -> None:
    name, mode, index, field, value = mutation
    reset(base_project)
    records = json.loads(json.dumps(ORIGINAL[name]))  # a deep copy
    record = records[index]
    if mode == "delete":
        del record[field]
    elif mode == "unknown":
        record["unexpected_field"] = value
    elif mode == "dup_id" and len(records) > 1:
        key = next(iter(record))
        record[key] = records[(index + 1) % len(records)][key]
    else:
        record[field] = value
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=10_000)
    (base_project / "seeds" / name).write_text(text, encoding="utf-8")
    assert_documented_outcome(base_project, f"record:{mode}", capsys)


@st.composite
def text_mutation(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(file, kind, new bytes): a change to the raw bytes of one seed file."""
    name = draw(st.sampled_from(SEED_FILES))
    raw = ORIGINAL_TEXT[name]
    lines = raw.split(b"\n")
    kind = draw(
        st.sampled_from(["tab", "indent", "dup_key", "truncate", "non_utf8", "bom", "alias_bomb", "garbage", "crlf"])
    )
    at = draw(st.integers(0, max(0, len(lines) - 2)))
    if kind == "tab":
        lines[at] = b"\t" + lines[at].lstrip(b" ")
    elif kind == "indent":
        lines[at] = b"   " + lines[at]
    elif kind == "dup_key":
        candidates = [
            i
            for i, line in enumerate(lines)
            if line.startswith(b"  ") and b":" in line and not line.strip().startswith(b"-")
        ]
        i = draw(st.sampled_from(candidates)) if candidates else at
        lines.insert(i + 1, lines[i])
    elif kind == "truncate":
        cut = draw(st.integers(0, len(raw)))
        return name, kind, raw[:cut]
    elif kind == "non_utf8":
        cut = draw(st.integers(0, len(raw)))
        return name, kind, raw[:cut] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xe2\x82", b"\x80"])) + raw[cut:]
    elif kind == "bom":
        return name, kind, b"\xef\xbb\xbf" + raw
    elif kind == "alias_bomb":
        depth = draw(st.integers(3, 9))
        return name, kind, alias_bomb(depth).encode()
    elif kind == "garbage":
        return name, kind, draw(st.binary(max_size=200))
    elif kind == "crlf":
        return name, kind, raw.replace(b"\n", b"\r\n")
    return name, kind, b"\n".join(lines)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text_mutation())
def test_mutated_yaml_text(
    base_project: Path, capsys: pytest.CaptureFixture[str], mutation: tuple[str, str, bytes]
) -> None:
    name, kind, data = mutation
    reset(base_project)
    (base_project / "seeds" / name).write_bytes(data)
    assert_documented_outcome(base_project, f"yaml:{kind}", capsys)


def test_alias_bomb_is_refused_early(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Few aliases, exponential expansion: refused by size before anything walks it.
    (project / "seeds" / "summits.yaml").write_text(alias_bomb(10))
    assert main(["build", "--root", str(project)]) == 1
    assert f"aliases expand to more than {MAX_EXPANDED_NODES} values" in capsys.readouterr().err
    # Many aliases: refused by count.
    many = ["- &x {a: 1}"] + ["- *x"] * (MAX_ALIASES + 1)
    (project / "seeds" / "summits.yaml").write_text("\n".join(many) + "\n")
    assert main(["build", "--root", str(project)]) == 1
    assert f"more than {MAX_ALIASES} aliases" in capsys.readouterr().err


def test_oversized_seed_file_is_refused_before_parsing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "seeds" / "statements.yaml"
    path.write_bytes(path.read_bytes() + b"#" * MAX_FILE_BYTES)
    assert main(["build", "--root", str(project)]) == 1
    assert f"seed files may be at most {MAX_FILE_BYTES}" in capsys.readouterr().err


def test_seed_symlink_out_of_the_tree_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((project / "seeds" / "persons.yaml").read_bytes())
    (project / "seeds" / "persons.yaml").unlink()
    (project / "seeds" / "persons.yaml").symlink_to(outside)
    assert main(["build", "--root", str(project)]) == 1
    assert "seeds/persons.yaml: must be a regular file, not a link" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "sub/file.txt", ".hidden"])
def test_archive_paths_cannot_escape_the_sources_folder(
    project: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = project / "seeds" / "sources.yaml"
    path.write_text(path.read_text().replace("archive_file: 000_3808b1ef68cc008e.txt", f'archive_file: "{name}"'))
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "'archive_file'" in err and "should match pattern" in err


def test_archive_symlink_is_refused(
    project: Path, tmp_path: Path, sources_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "000_3808b1ef68cc008e.txt").symlink_to(sources_dir / "000_3808b1ef68cc008e.txt")
    assert main(["build", "--root", str(project), "--sources-dir", str(archive)]) == 1
    assert "is a symbolic link" in capsys.readouterr().err


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_formula_text_is_refused_at_build(project: Path, capsys: pytest.CaptureFixture[str], prefix: str) -> None:
    path = project / "seeds" / "bilateral_meetings.yaml"
    text = path.read_text()
    path.write_text(text.replace("purpose: To strengthen bilateral dialogue.", f'purpose: "{prefix}1 dialogue"', 1))
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "'purpose'" in err and "run as a formula" in err


def test_no_published_csv_cell_starts_like_a_formula() -> None:
    import csv

    for path in sorted((ROOT / "data").glob("*.csv")):
        for row in csv.reader(path.open(encoding="utf-8")):
            for cell in row:
                assert cell[:1] not in {"=", "+", "-", "@", "\t", "\r"}, (path.name, cell)
