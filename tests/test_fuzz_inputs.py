"""A few hundred generated hostile inputs a run, for every command that reads user input.

The same generators run by the tens of thousands in ``benchmarks/fuzz_inputs.py``; here
each property runs enough cases to catch a regression in the test run. Whatever the
input, the answer is exit 0, 1 or 2 within a bound, and nothing outside the work folder
changes (``fuzzing.run_case``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from . import fuzzing
from .conftest import snapshot

FAST = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fuzz")
    fuzzing.prepare_sentinel(base)
    return base


@FAST
@given(case=fuzzing.descriptor())
def test_descriptors(base: Path, case: tuple[Any, list[list[str]]]) -> None:
    work = fuzzing.fresh(base / "work")
    descriptor = fuzzing.write_descriptor_case(work, case)
    sentinel = base / "outside"
    fuzzing.run_case(["validate", "--max-errors", "20", str(descriptor)], work, sentinel)
    fuzzing.run_case(["verify", str(descriptor)], work, sentinel)
    fuzzing.run_case(["diff", str(fuzzing.ROOT), str(work)], work, sentinel)


@FAST
@given(case=fuzzing.schema_case())
def test_table_schemas(base: Path, case: tuple[Any, list[list[str]]]) -> None:
    work = fuzzing.fresh(base / "work")
    descriptor = fuzzing.write_descriptor_case(work, case)
    fuzzing.run_case(["validate", "--max-errors", "20", str(descriptor)], work, base / "outside")


@FAST
@given(case=fuzzing.record_file())
def test_record_files(base: Path, case: tuple[str, bytes]) -> None:
    work = fuzzing.fresh(base / "records")
    name, content = case
    (work / name).write_bytes(content)
    for fmt in ("text", "json", "github"):
        fuzzing.run_case(["validate", "--format", fmt, str(work / name)], work, base / "outside")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, sources_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("fuzz-project") / "project"
    root.mkdir()
    text = (fuzzing.ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(text.replace('"../shared/seeds"', f'"{sources_dir.as_posix()}"'))
    for entry in ("seeds", "data", "schemas", "docs"):
        shutil.copytree(fuzzing.ROOT / entry, root / entry)
    shutil.copy2(fuzzing.ROOT / "datapackage.json", root / "datapackage.json")
    fuzzing.prepare_sentinel(root.parent)
    return root


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=fuzzing.seed_case())
def test_seed_files(project: Path, case: tuple[str, bytes]) -> None:
    name, content = case
    before = snapshot(project)
    (project / "seeds" / name).write_bytes(content)
    try:
        code = fuzzing.run_case(["build", "--root", str(project)], project, project.parent / "outside")
        if code != 0:
            assert snapshot(project) == before
    finally:
        (project / "seeds" / name).write_bytes(fuzzing.SEED_TEXT[name])
        if snapshot(project) != before:
            fuzzing.run_case(["build", "--root", str(project)], project, project.parent / "outside")
