"""``ca-summit-data diff``: two published packages (folders, descriptors or git revisions) compared end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ca_summit_data import __version__
from ca_summit_data.cli import main
from ca_summit_data.package import UnreadablePackage, from_folder, open_package
from ca_summit_data.release.diff import Level, diff_packages, render_text

from .conftest import ROOT

GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def copy_package(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(ROOT / "datapackage.json", target / "datapackage.json")
    shutil.copytree(ROOT / "data", target / "data")
    return target


def edit_descriptor(folder: Path, change: Any) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def set_version(folder: Path, version: str) -> None:
    edit_descriptor(folder, lambda d: d.update(version=version))


def table(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r["name"] == name)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return copy_package(tmp_path / "old"), copy_package(tmp_path / "new")


def test_identical_packages_need_no_bump(pair: tuple[Path, Path]) -> None:
    result = diff_packages(from_folder(pair[0]), from_folder(pair[1]))
    assert result.level is Level.NONE
    assert result.changes == ()
    assert all(r.level is Level.NONE for r in result.rows)
    assert result.verdict.ok
    assert "smallest version bump needed: none" in render_text(result)


def test_a_corrected_value_is_a_patch_with_the_changed_field(pair: tuple[Path, Path]) -> None:
    old, new = pair
    persons = new / "data" / "persons.csv"
    persons.write_text(persons.read_text(encoding="utf-8").replace("Sadyr Zhaparov,", "Sadyr Japarov,"), "utf-8")
    result = diff_packages(from_folder(old), from_folder(new))
    assert result.level is Level.PATCH
    (persons_diff,) = [r for r in result.rows if r.table == "persons"]
    assert persons_diff.changed == (("sadyr_zhaparov", ("name",)),)
    assert not result.verdict.ok and result.verdict.minimum == "0.1.1"
    assert "~ sadyr_zhaparov: name" in render_text(result)


def test_added_and_removed_rows(pair: tuple[Path, Path]) -> None:
    old, new = pair
    areas = new / "data" / "priority_areas.csv"
    text = areas.read_text(encoding="utf-8")
    areas.write_text(text + "water,ca_plus_japan_2025,4,Water,Air,\n", encoding="utf-8")
    added = diff_packages(from_folder(old), from_folder(new))
    assert added.level is Level.MINOR
    assert [r.added for r in added.rows if r.table == "priority_areas"] == [("water",)]
    lines = text.splitlines(keepends=True)
    areas.write_text("".join(line for line in lines if not line.startswith("connectivity,")), encoding="utf-8")
    removed = diff_packages(from_folder(old), from_folder(new))
    assert removed.level is Level.MAJOR
    assert [r.removed for r in removed.rows if r.table == "priority_areas"] == [("connectivity",)]


def test_a_removed_column_is_major_and_a_new_table_minor(pair: tuple[Path, Path]) -> None:
    old, new = pair

    def drop_column(d: dict[str, Any]) -> None:
        schema = table(d, "persons")["schema"]
        schema["fields"] = [f for f in schema["fields"] if f["name"] != "country_code"]
        schema["foreignKeys"] = []

    edit_descriptor(new, drop_column)
    result = diff_packages(from_folder(old), from_folder(new))
    assert result.level is Level.MAJOR
    assert any(c.where == "persons.country_code" and "column removed" in c.message for c in result.changes)

    fresh = copy_package(new.parent / "fresh")
    shutil.copy2(fresh / "data" / "countries.csv", fresh / "data" / "regions.csv")

    def add_table(d: dict[str, Any]) -> None:
        d["resources"].append({**table(d, "countries"), "name": "regions", "path": "data/regions.csv"})

    edit_descriptor(fresh, add_table)
    added = diff_packages(from_folder(old), from_folder(fresh))
    assert added.level is Level.MINOR
    assert any(c.where == "regions" and c.message == "table added" for c in added.changes)


def test_cli_check_exit_codes_and_output(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    initiatives = new / "data" / "initiatives.csv"
    initiatives.write_text(initiatives.read_text(encoding="utf-8").replace(",planned,", ",committed,", 1), "utf-8")
    assert main(["diff", str(old / "datapackage.json"), str(new)]) == 0, "without --check the diff only reports"
    assert main(["diff", "--check", str(old), str(new)]) == 1
    err = capsys.readouterr().err
    assert "too low" in err and "0.1.1" in err
    set_version(new, "0.1.1")
    assert main(["diff", "--check", str(old), str(new), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bump"] == "patch" and report["version_ok"] is True
    (changed,) = [r for r in report["rows"] if r["changed"]]
    assert changed["table"] == "initiatives" and changed["changed"][0]["columns"] == ["status"]


@pytest.mark.parametrize(
    "breakage",
    ["missing", "not json", "escaping path", "bad version", "duplicate key", "not a descriptor"],
)
def test_unreadable_input_exits_2_without_a_traceback(
    pair: tuple[Path, Path], breakage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = pair
    target = str(new)
    if breakage == "missing":
        target = str(new / "nowhere")
    elif breakage == "not json":
        (new / "datapackage.json").write_text("{not json", encoding="utf-8")
    elif breakage == "escaping path":
        edit_descriptor(new, lambda d: table(d, "persons").update(path="../../etc/passwd"))
    elif breakage == "bad version":
        set_version(new, "1.0")
    elif breakage == "duplicate key":
        persons = new / "data" / "persons.csv"
        lines = persons.read_text(encoding="utf-8").splitlines(keepends=True)
        persons.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    elif breakage == "not a descriptor":
        target = str(new / "data" / "persons.csv")
    assert main(["diff", "--check", str(old), target, "--root", str(new)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ")
    assert "Traceback" not in captured.err + captured.out


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the package, committed once (not tagged)."""
    root = copy_package(tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


def test_git_revisions_are_read_without_touching_the_work_tree(repo: Path) -> None:
    persons = repo / "data" / "persons.csv"
    persons.write_text(persons.read_text(encoding="utf-8").replace("Emomali Rahmon,", "E. Rahmon,"), "utf-8")
    before = persons.read_bytes()
    package = open_package("HEAD", repo)
    assert package.label.startswith("git revision HEAD (")
    assert package.released is False
    result = diff_packages(package, open_package(str(repo), repo))
    assert result.level is Level.PATCH
    assert persons.read_bytes() == before
    assert git(repo, "status", "--porcelain") == " M data/persons.csv\n"


def test_the_version_rule_against_released_and_unreleased_baselines(repo: Path) -> None:
    """An untagged baseline of the same version is unreleased: its changes belong to that version.

    Once the baseline carries the tag v<version>, the same change needs a new version.
    """
    persons = repo / "data" / "persons.csv"
    persons.write_text(persons.read_text(encoding="utf-8").replace("Emomali Rahmon,", "E. Rahmon,"), "utf-8")
    args = ["diff", "--check", "HEAD", str(repo), "--root", str(repo)]
    assert main(args) == 0
    git(repo, "tag", f"v{__version__}")
    assert open_package("HEAD", repo).released is True
    assert main(args) == 1
    set_version(repo, "0.1.1")
    assert main(args) == 0
    set_version(repo, "0.0.9")
    git(repo, "tag", "-d", f"v{__version__}")
    assert main(args) == 1, "a version lower than the baseline's never passes"


def test_bad_revisions_and_git_output_are_usage_errors(repo: Path) -> None:
    with pytest.raises(UnreadablePackage, match="not a path to a data package nor a git revision"):
        open_package("no-such-rev", repo)
    with pytest.raises(UnreadablePackage):
        open_package("--output=/tmp/x", repo)
    (repo / "sub").mkdir()
    git(repo, "add", ".")
    git(repo, "rm", "-q", "--cached", "datapackage.json")
    git(repo, "commit", "-q", "-m", "drop descriptor")
    with pytest.raises(UnreadablePackage, match=r"has no datapackage\.json"):
        open_package("HEAD", repo)


def test_this_repository_against_its_first_commit_passes_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    """What CI runs before any release tag exists."""
    first = git(ROOT, "rev-list", "--max-parents=0", "HEAD").split()[-1]
    assert main(["diff", "--check", first, str(ROOT), "--root", str(ROOT)]) == 0
    out = capsys.readouterr().out
    assert f"old: git revision {first}" in out
    assert "smallest version bump needed:" in out
