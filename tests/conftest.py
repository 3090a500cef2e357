"""Shared fixtures: a throw-away copy of the project, so tests can build, break and publish freely."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES_DIR = (ROOT / ".." / "shared" / "seeds").resolve()
PUBLISHED = ("data", "schemas", "datapackage.json", "docs/data-dictionary.md")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the test process as the command ends (``cli.run``): pyarrow's thread pools can abort an
    interpreter at exit (SIGABRT) after every test has passed and the summary is printed."""
    if "pyarrow" in sys.modules and EXIT_STATUS in config.stash:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config.stash[EXIT_STATUS])


EXIT_STATUS = pytest.StashKey[int]()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every published file under ``root`` with its bytes, for before/after comparisons."""
    out: dict[str, bytes] = {}
    for entry in PUBLISHED:
        path = root / entry
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            out[file.relative_to(root).as_posix()] = file.read_bytes()
    return out


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The archived source texts. CI always has them beside the checkout; their absence is a failure."""
    assert SOURCES_DIR.is_dir(), f"archived sources not found at {SOURCES_DIR}"
    return SOURCES_DIR


@pytest.fixture
def project(tmp_path: Path, sources_dir: Path) -> Path:
    """A copy of the checkout's pyproject, seeds and published outputs, with sources-dir pointing at the archive."""
    root = tmp_path / "project"
    root.mkdir()
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = text.replace('sources-dir = "../shared/seeds"', f'sources-dir = "{sources_dir.as_posix()}"')
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    for entry in PUBLISHED:
        source = ROOT / entry
        if source.is_dir():
            shutil.copytree(source, root / entry)
        else:
            (root / entry).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / entry)
    return root
