"""The build: validates everything, publishes atomically and reproducibly, and explains bad input."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ca_summit_data.cli import main
from ca_summit_data.pipeline import build
from ca_summit_data.pipeline.publish import differences, publish
from ca_summit_data.problems import ProblemsFound
from ca_summit_data.settings import load_settings

from .conftest import ROOT, snapshot


def run(root: Path, *args: str) -> int:
    return main(["build", "--root", str(root), *args])


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_committed_outputs_match_a_fresh_build(sources_dir: Path) -> None:
    result = build(load_settings(ROOT, sources_dir), require_sources=True)
    assert differences(ROOT, result.files) == []
    quotes = [r for table in ("evidence", "claims") for r in result.dataset.rows(table) if getattr(r, "quote", None)]
    assert result.quotes_verified == len(quotes) > 50


def test_two_builds_are_byte_identical(project: Path) -> None:
    assert run(project) == 0
    first = snapshot(project)
    assert run(project) == 0
    assert snapshot(project) == first
    assert first == snapshot(ROOT)


def test_build_in_a_new_process_is_identical(project: Path) -> None:
    """Set iteration order and hash seeds differ between processes; the bytes must not."""
    before = snapshot(project)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "ca_summit_data", "build", "--root", str(project)], check=True, env=env, cwd=project
    )
    assert snapshot(project) == before


def test_check_names_drifted_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "data" / "persons.csv").write_bytes(b"tampered\n")
    (project / "schemas" / "summit.schema.json").unlink()
    (project / "data" / "stale.csv").write_text("x\n")
    assert run(project, "--check") == 1
    err = capsys.readouterr().err
    assert "data/persons.csv (differs)" in err
    assert "schemas/summit.schema.json (missing)" in err
    assert "data/stale.csv (not produced by the build)" in err
    # --check publishes nothing.
    assert (project / "data" / "persons.csv").read_bytes() == b"tampered\n"


def test_check_passes_on_a_clean_copy(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "--check") == 0
    assert "match a fresh build" in capsys.readouterr().out


def test_publish_replaces_stale_files(project: Path) -> None:
    (project / "data" / "stale.csv").write_text("x\n")
    assert run(project) == 0
    assert not (project / "data" / "stale.csv").exists()
    assert not (project / ".publish" / "new").exists()


BAD_INPUTS = [
    # (file, old, new, expected fragments of the error line)
    (
        "initiatives.yaml",
        "status: planned",
        "status: maybe",
        ["seeds/initiatives.yaml:", "'energy_transition'", "'status'", "Input should be"],
    ),
    (
        "summits.yaml",
        'end_date: "2025-12-20"',
        'end_date: "2025-12-18"',
        ["seeds/summits.yaml:", "end_date is before start_date"],
    ),
    (
        "summits.yaml",
        "edition: 1",
        'edition: "1"',
        ["seeds/summits.yaml:9:", "'edition'", "JSON Schema", "not of type 'integer'"],
    ),
    (
        "persons.yaml",
        "country_code: KAZ",
        "country_code: KAX",
        ["seeds/persons.yaml:", "'kassym_jomart_tokayev'", "'country_code'", "not an ISO 3166-1"],
    ),
    (
        "financial_targets.yaml",
        "currency: JPY",
        "currency: JPX",
        ["seeds/financial_targets.yaml:15:", "'currency'", "ISO 4217"],
    ),
    ("financial_targets.yaml", "amount: 3000000000000", "amount: -3", ["'amount'", "greater than or equal to 0"]),
    (
        "initiatives.yaml",
        "area_id: connectivity",
        "area_id: connectivityy",
        ["'area_id'", "'connectivityy' is not a area_id in priority_areas"],
    ),
    (
        "persons.yaml",
        "person_id: sadyr_zhaparov",
        "person_id: emomali_rahmon",
        ["seeds/persons.yaml:", "duplicate person_id 'emomali_rahmon'"],
    ),
    (
        "countries.yaml",
        "central_asian: true",
        "central_asian: true\n  capital: Astana",
        ["'capital'", "Extra inputs are not permitted"],
    ),
    ("statements.yaml", "language: id", "language: zz", ["'language'", "ISO 639-1"]),
    (
        "countries.yaml",
        "  iso2: KZ\n",
        "  iso2: KZ\n  iso2: KZ\n",
        ["seeds/countries.yaml:13:", "duplicate key 'iso2'"],
    ),
    ("countries.yaml", "  iso2: KZ\n", "\tiso2: KZ\n", ["seeds/countries.yaml:", "invalid YAML"]),
    ("summits.yaml", "  city: Tokyo\n", "  city: Tokyo\n    bad: indent\n", ["seeds/summits.yaml:", "invalid YAML"]),
    (
        "initiatives.yaml",
        'quote: "kerja sama akan difokuskan pada transisi energi"',
        'quote: "kerja sama akan difokuskan pada energi nuklir"',
        ["'energy_transition'", "'evidence[0].quote'", "quote not found"],
    ),
    (
        "initiatives.yaml",
        '      quote: "kerja sama akan difokuskan pada transisi energi"\n',
        "",
        ["'energy_transition'", "'evidence[0]'", "exactly one of quote, locator must be given"],
    ),
    (
        "participations.yaml",
        "  country_code: KAZ\n",
        "  country_code: KGZ\n",
        ["'ca_plus_japan_2025_kassym_jomart_tokayev'", "differs from the person's country"],
    ),
    ("summits.yaml", 'start_date: "2025-12-19"', 'start_date: "20 Desember 2025"', ["'start_date'", "date"]),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"), BAD_INPUTS, ids=[f"{b[0]}:{b[2][:24]}" for b in BAD_INPUTS]
)
def test_bad_input_is_reported_and_publishes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], file: str, old: str, new: str, expected: list[str]
) -> None:
    before = snapshot(project)
    edit(project / "seeds" / file, old, new)
    assert run(project) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    problem_lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert problem_lines, err
    assert any(all(fragment in line for fragment in expected) for line in problem_lines), err
    assert "nothing was published" in err
    assert snapshot(project) == before
    assert not (project / ".publish" / "new").exists()


def test_every_problem_is_reported_not_just_the_first(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project / "seeds" / "initiatives.yaml", "status: planned", "status: maybe", count=3)
    edit(project / "seeds" / "persons.yaml", "country_code: KAZ", "country_code: KAX")
    assert run(project) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 4


def test_changed_source_text_is_reported_as_changed(project: Path, tmp_path: Path, sources_dir: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    original = (sources_dir / "000_3808b1ef68cc008e.txt").read_bytes()
    (archive / "000_3808b1ef68cc008e.txt").write_bytes(original.replace(b"Tokyo", b"Tokio", 1))
    with pytest.raises(ProblemsFound) as caught:
        build(load_settings(project, archive))
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 1
    assert "has changed: its sha256 is" in messages[0]
    assert hashlib.sha256(original).hexdigest() in messages[0]


def test_missing_sources_are_said_plainly(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    assert run(project, "--sources-dir", str(empty)) == 0
    captured = capsys.readouterr()
    assert "quotes were not verified" in captured.err
    assert "0 quotes verified" in captured.out
    assert run(project, "--sources-dir", str(empty), "--require-sources") == 1
    assert "quotes were not verified" in capsys.readouterr().err


def test_unknown_seed_file_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "seeds" / "initiative.yaml").write_text("[]\n")
    assert run(project) == 1
    assert "seeds/initiative.yaml: not a seed file we know" in capsys.readouterr().err


def test_not_a_checkout_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--root", str(tmp_path)]) == 2
    assert "no ca-summit-data checkout" in capsys.readouterr().err


def test_cli_in_a_subprocess_never_shows_a_traceback(project: Path) -> None:
    edit(project / "seeds" / "summits.yaml", "city: Tokyo", "city: [Tokyo")
    proc = subprocess.run(
        [sys.executable, "-m", "ca_summit_data", "build"], cwd=project, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: seeds/summits.yaml:")


def test_interrupted_publish_is_completed_from_its_journal(project: Path, sources_dir: Path) -> None:
    """Simulate a crash after the commit point: the journal exists, one entry swapped, others not."""
    result = build(load_settings(project, sources_dir))
    new_files = {**result.files, "data/persons.csv": result.files["data/persons.csv"] + b"x,y,JPN\n"}
    work = project / ".publish"
    (work / "new").mkdir(parents=True)
    for relative, content in new_files.items():
        (work / "new" / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / "new" / relative).write_bytes(content)
    (work / "journal.json").write_text(
        '{"entries": ["data", "datapackage.json", "docs/data-dictionary.md", "schemas"]}'
    )
    # Crash happened after swapping datapackage.json only.
    (work / "old").mkdir()
    os.replace(project / "datapackage.json", work / "old" / "datapackage.json")
    os.replace(work / "new" / "datapackage.json", project / "datapackage.json")
    assert main(["recover", "--root", str(project)]) == 0
    assert (project / "data" / "persons.csv").read_bytes().endswith(b"x,y,JPN\n")
    assert not work.joinpath("journal.json").exists()
    assert not (work / "old").exists()


def test_a_crash_before_the_journal_leaves_old_outputs(project: Path) -> None:
    before = snapshot(project)
    stale = project / ".publish" / "new" / "data"
    stale.mkdir(parents=True)
    (stale / "persons.csv").write_text("half written")
    assert main(["recover", "--root", str(project)]) == 0
    assert snapshot(project) == before
    assert not (project / ".publish" / "new").exists()


def test_publish_of_partial_file_set_keeps_other_entries(project: Path, sources_dir: Path) -> None:
    result = build(load_settings(project, sources_dir))
    publish(project, result.files)
    assert differences(project, result.files) == []
