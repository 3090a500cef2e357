"""The pre-commit hooks other repositories use: well-formed, and matching exactly our table files."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from ca_summit_data.cli import _parser
from ca_summit_data.validation.ours import our_tables

from .conftest import ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_hooks_are_well_formed_and_run_our_command() -> None:
    assert [h["id"] for h in HOOKS] == ["ca-summit-data-validate", "ca-summit-data-validate-package"]
    for hook in HOOKS:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        command, *args = shlex.split(hook["entry"])
        assert command == "ca-summit-data"
        parsed = _parser().parse_args([*args, "x.csv"] if hook.get("pass_filenames", True) else args)
        assert parsed.command == "validate"


def test_the_file_pattern_is_exactly_our_tables() -> None:
    pattern = re.compile(HOOKS[0]["files"])
    for table in our_tables():
        for suffix in ("csv", "parquet", "json", "yaml", "yml"):
            assert pattern.search(f"data/{table}.{suffix}"), table
    assert pattern.search("data/ca_summit.json")
    for other in ("data/people.csv", "package.json", "data/summits.csv.bak", "my_summits.csv", ".ci/run"):
        assert not pattern.search(other), other
    named = set(re.search(r"\(([a-z_|]+)\)\\\.", HOOKS[0]["files"]).group(1).split("|"))  # type: ignore[union-attr]
    assert named == set(our_tables()) | {"ca_summit"}


def run_hook(hook: dict[str, Any], repo: Path, changed: list[str]) -> subprocess.CompletedProcess[str]:
    """The hook as pre-commit runs it: its entry, then the changed files it matches, from the repository's root."""
    pattern = re.compile(hook["files"])
    files = [f for f in changed if pattern.search(f)] if hook.get("pass_filenames", True) else []
    command, *args = shlex.split(hook["entry"])
    assert command == "ca-summit-data"
    return subprocess.run([sys.executable, "-m", "ca_summit_data", *args, *files], cwd=repo, capture_output=True,
                          text=True)


def test_the_package_hook_finds_packages_wherever_they_lie(tmp_path: Path) -> None:
    """A repository whose package is in a subfolder (not at its root): the hook checks it, and only on its files."""
    hook = next(h for h in HOOKS if h["id"] == "ca-summit-data-validate-package")
    package = tmp_path / "datasets" / "ca"
    package.mkdir(parents=True)
    shutil.copy(ROOT / "datapackage.json", package / "datapackage.json")
    shutil.copytree(ROOT / "data", package / "data")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    done = run_hook(hook, tmp_path, ["datasets/ca/data/persons.csv", "notes.csv", "README.md"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "datasets/ca/datapackage.json" in done.stdout or "file(s) valid" in done.stdout
    assert run_hook(hook, tmp_path, ["notes.csv"]).returncode == 0, "a file of no package: nothing to validate"
    (package / "data" / "persons.csv").write_bytes((ROOT / "data" / "persons.csv").read_bytes() + b"x,y,ZZZ,\n")
    broken = run_hook(hook, tmp_path, ["datasets/ca/data/persons.csv"])
    assert broken.returncode == 1 and "persons.csv" in broken.stdout
