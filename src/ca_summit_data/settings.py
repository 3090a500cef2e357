"""Where things are: the project checkout, its seeds, and the archived source texts.

The archived texts live outside the project (they are the publishers' words, which we
quote but do not redistribute). Their folder is a setting, found in this order: the
``--sources-dir`` option, the ``CA_SUMMIT_SOURCES_DIR`` environment variable, then
``sources-dir`` under ``[tool.ca-summit-data]`` in ``pyproject.toml`` (relative to the
project root).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

SOURCES_ENV = "CA_SUMMIT_SOURCES_DIR"
PROJECT_NAME = "ca-summit-data"


@dataclass(frozen=True)
class Settings:
    root: Path
    sources_dir: Path | None

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"


class NotAProject(Exception):
    """The folder is not a ca-summit-data checkout (no pyproject.toml naming it)."""


def _read_pyproject(root: Path) -> dict[str, object] | None:
    path = root / "pyproject.toml"
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if data.get("project", {}).get("name") != PROJECT_NAME:
        return None
    return data


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` whose pyproject.toml is this project's."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _read_pyproject(folder) is not None:
            return folder
    raise NotAProject(f"no {PROJECT_NAME} checkout (pyproject.toml) at or above {here}")


def load_settings(root: Path | None = None, sources_dir: Path | None = None) -> Settings:
    project_root = find_root(root)
    if sources_dir is None and os.environ.get(SOURCES_ENV):
        sources_dir = Path(os.environ[SOURCES_ENV])
    if sources_dir is None:
        data = _read_pyproject(project_root) or {}
        tool = data.get("tool", {})
        configured = tool.get(PROJECT_NAME, {}).get("sources-dir") if isinstance(tool, dict) else None
        if isinstance(configured, str) and configured:
            sources_dir = project_root / configured
    elif not sources_dir.is_absolute():
        sources_dir = Path.cwd() / sources_dir
    return Settings(root=project_root, sources_dir=sources_dir)


_REPOSITORY_PATTERN = re.compile(r"^https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~-]+)+$")


def repository_url(root: Path) -> str | None:
    """The project's public repository, from ``repository`` under ``[tool.ca-summit-data]``.

    The one place a public address comes from (download links, JSON-LD ``contentUrl``,
    CITATION.cff). Empty or absent gives None, and links stay relative: no address is
    ever made up. A value that is not a plain ``https://host/path`` URL is an error.
    """
    data = _read_pyproject(root) or {}
    tool = data.get("tool", {})
    configured = tool.get(PROJECT_NAME, {}).get("repository") if isinstance(tool, dict) else None
    if configured is None or configured == "":
        return None
    if not isinstance(configured, str) or not _REPOSITORY_PATTERN.match(configured.rstrip("/")):
        raise NotAProject(
            f"'repository' under [tool.{PROJECT_NAME}] in {root / 'pyproject.toml'} must be empty or an "
            f"https:// URL like https://host/owner/name, not {configured!r}"
        )
    return configured.rstrip("/")
