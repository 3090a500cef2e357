"""Release metadata: one version everywhere, a valid CITATION.cff that cannot drift, a changelog, licences."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

import ca_summit_data
from ca_summit_data.cli import main
from ca_summit_data.release import ReleaseProblem, changelog_entries, citation, release_notes
from ca_summit_data.settings import NotAProject, repository_url

from .conftest import ROOT

VERSION = ca_summit_data.__version__

# The official Citation File Format 1.2.0 schema, as the cffconvert 2.0.0 wheel on PyPI ships it.
# It is fetched from the package registry when the tests run (we do not keep a copy of other
# projects' files), and its sha256 pins exactly which schema we validate against. cffconvert
# itself is not installed: it requires jsonschema<4.
CFF_WHEEL = "cffconvert==2.0.0"
CFF_SCHEMA_MEMBER = "cffconvert/schemas/1.2.0/schema.json"
CFF_SCHEMA_SHA256 = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"


@functools.cache
def cff_schema() -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="cff-schema-"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(folder),
            CFF_WHEEL,
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = folder.glob("cffconvert-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(CFF_SCHEMA_MEMBER)
    assert hashlib.sha256(data).hexdigest() == CFF_SCHEMA_SHA256
    schema: dict[str, object] = json.loads(data)
    return schema


def cff_errors(document: object) -> list[str]:
    validator = Draft7Validator(cff_schema(), format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_version_is_written_in_one_place() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/ca_summit_data/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    init = (ROOT / "src" / "ca_summit_data" / "__init__.py").read_text(encoding="utf-8")
    assert init.count(f'__version__ = "{VERSION}"') == 1
    # every published or generated copy says the same version
    assert json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"] == VERSION
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["version"] == VERSION
    assert json.loads((ROOT / "data" / "ca_summit.json").read_text(encoding="utf-8"))["dataset_version"] == VERSION


def test_committed_citation_is_valid_cff_and_matches_the_metadata() -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert text == citation.render(repository_url(ROOT)), "CITATION.cff drifted: run 'ca-summit-data citation'"
    document = yaml.safe_load(text)
    assert cff_errors(document) == []
    assert document["cff-version"] == "1.2.0"
    assert document["type"] == "dataset"
    assert document["license"] == "CC-BY-4.0"
    assert document["title"] == json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["title"]


def test_the_cff_schema_check_is_not_vacuous() -> None:
    document = yaml.safe_load(citation.render())
    assert cff_errors(document) == []
    assert cff_errors({**document, "license": "not-a-licence"})
    assert cff_errors({k: v for k, v in document.items() if k != "authors"})
    assert cff_errors({**document, "repository-code": "not a url"})


def test_citation_with_a_repository_names_it_and_stays_valid() -> None:
    document = yaml.safe_load(citation.render("https://example.org/owner/ca-summit-data"))
    assert cff_errors(document) == []
    assert document["repository-code"] == "https://example.org/owner/ca-summit-data"
    assert "repository-code" not in yaml.safe_load(citation.render(None))


def test_citation_check_fails_on_drift(project: Path) -> None:
    (project / "CITATION.cff").write_text(citation.render(), encoding="utf-8")
    assert main(["citation", "--check", "--root", str(project)]) == 0
    drifted = citation.render().replace(f"version: {VERSION}", "version: 9.9.9")
    (project / "CITATION.cff").write_text(drifted, encoding="utf-8")
    assert main(["citation", "--check", "--root", str(project)]) == 1
    assert main(["citation", "--root", str(project)]) == 0
    assert (project / "CITATION.cff").read_text(encoding="utf-8") == citation.render()
    (project / "CITATION.cff").unlink()
    assert main(["citation", "--check", "--root", str(project)]) == 1


def test_repository_setting_is_empty_and_read_from_one_place(project: Path) -> None:
    assert repository_url(ROOT) is None, "no public address is configured: links stay relative"
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert 'repository = ""' in text
    pyproject.write_text(text.replace('repository = ""', 'repository = "https://example.org/o/r/"'), encoding="utf-8")
    assert repository_url(project) == "https://example.org/o/r"
    pyproject.write_text(text.replace('repository = ""', 'repository = "http://insecure.example/x"'), encoding="utf-8")
    with pytest.raises(NotAProject, match="https://"):
        repository_url(project)


def test_changelog_has_a_dated_or_unreleased_entry_for_every_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    entries = changelog_entries(text)
    assert entries, "no '## [version] - date' entries"
    assert entries[0].version == VERSION, "the newest changelog entry must be the package's version"
    versions = [tuple(int(p) for p in e.version.split(".")) for e in entries]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    for n, entry in enumerate(entries):
        assert entry.date is not None and (
            re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.date) or (n == 0 and entry.date == "Unreleased")
        ), f"{entry.version}: date must be YYYY-MM-DD (only the newest may be 'Unreleased')"
        assert "### " in entry.body, f"{entry.version}: no Added/Changed/Fixed/Removed section"


def test_release_notes_need_a_dated_entry() -> None:
    text = "# Changelog\n\n## [1.1.0] - Unreleased\n\n### Added\n- b\n\n## [1.0.0] - 2026-01-31\n\n### Added\n- a\n"
    assert release_notes(text, "1.0.0") == "### Added\n- a\n"
    assert release_notes(text, "1.1.0", dated=False) == "### Added\n- b\n"
    with pytest.raises(ReleaseProblem, match="no release date"):
        release_notes(text, "1.1.0")
    with pytest.raises(ReleaseProblem, match="no entry"):
        release_notes(text, "2.0.0")


def test_licences_for_code_and_data() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    (licence,) = descriptor["licenses"]
    assert licence["name"] == "CC-BY-4.0"
    assert licence["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert descriptor["code_license"]["path"] == "LICENSE"


def test_the_readme_shows_the_current_citation() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```yaml\n" + (ROOT / "CITATION.cff").read_text(encoding="utf-8") + "```\n" in readme, (
        "README's 'Citing' section must show CITATION.cff as it is"
    )
