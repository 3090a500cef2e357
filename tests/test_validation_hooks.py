"""The pre-commit hooks other repositories use: well-formed, and matching exactly our table files."""

from __future__ import annotations

import re
import shlex

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
