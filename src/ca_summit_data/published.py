"""A published Data Package, read from a folder or from a git revision of this repository.

Used by ``diff`` (to compare two releases) and by the site generator (to show the
published files). Only the descriptor and the files it names are read; a resource path
that leaves the package (absolute, ``..``, a URL) is refused.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

DESCRIPTOR = "datapackage.json"


class UnreadablePackage(Exception):
    """The package cannot be found or read: a usage problem, reported in one line."""


@dataclass(frozen=True)
class Published:
    """A Data Package: its descriptor, and a way to read the files it names."""

    label: str
    descriptor: dict[str, Any]
    reader: Callable[[str], bytes]
    released: bool = True
    """False for a git revision that no release tag ``v<version>`` points at."""

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def resources(self) -> list[dict[str, Any]]:
        resources = self.descriptor.get("resources")
        if not isinstance(resources, list) or not all(isinstance(r, dict) and "name" in r for r in resources):
            raise UnreadablePackage(f"{self.label}: datapackage.json has no valid 'resources' list")
        return resources

    def resource(self, name: str) -> dict[str, Any]:
        for resource in self.resources():
            if resource["name"] == name:
                return resource
        raise UnreadablePackage(f"{self.label}: no resource named {name!r}")

    def table_names(self) -> list[str]:
        """Resources with a Table Schema, in descriptor order."""
        return [str(r["name"]) for r in self.resources() if isinstance(r.get("schema"), dict)]

    def read(self, path: str) -> bytes:
        parts = PurePosixPath(path).parts
        if not path or path.startswith("/") or ":" in path or ".." in parts or "\\" in path:
            raise UnreadablePackage(f"{self.label}: resource path {path!r} is not a relative path inside the package")
        try:
            return self.reader(path)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise UnreadablePackage(f"{self.label}: cannot read {path}") from exc

    def rows(self, name: str) -> tuple[list[str], list[dict[str, str]]]:
        """The header and the rows of a CSV table resource, every cell as text."""
        path = self.resource(name).get("path")
        if not isinstance(path, str):
            raise UnreadablePackage(f"{self.label}: resource {name!r} has no single path")
        try:
            text = self.read(path).decode("utf-8-sig")
            reader = csv.reader(io.StringIO(text, newline=""))
            header = next(reader, [])
            rows = [dict(zip(header, row, strict=True)) for row in reader]
        except (UnicodeDecodeError, csv.Error, ValueError) as exc:
            raise UnreadablePackage(f"{self.label}: {path} is not a readable CSV table ({exc})") from exc
        return header, rows


def _descriptor(label: str, content: bytes) -> dict[str, Any]:
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadablePackage(f"{label}: datapackage.json is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise UnreadablePackage(f"{label}: datapackage.json is not a JSON object")
    return data


def from_folder(folder: Path) -> Published:
    """The package whose ``datapackage.json`` is in ``folder``."""
    descriptor_file = folder / DESCRIPTOR
    try:
        content = descriptor_file.read_bytes()
    except OSError as exc:
        raise UnreadablePackage(f"cannot read {descriptor_file}: {exc.strerror or exc}") from exc

    def reader(path: str) -> bytes:
        return (folder / path).read_bytes()

    return Published(str(folder), _descriptor(str(folder), content), reader)


def _git(repo: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True).stdout
    except FileNotFoundError as exc:
        raise UnreadablePackage("git is not installed, so git revisions cannot be read") from exc


def resolve_revision(repo: Path, revision: str) -> str | None:
    """The commit a revision names in the repository at ``repo``, or None."""
    if revision.startswith("-"):
        return None
    try:
        out = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except subprocess.CalledProcessError:
        return None
    return out.decode().strip() or None


def from_git(repo: Path, revision: str) -> Published:
    """The package as committed at ``revision``, read with ``git show`` (nothing is checked out)."""
    commit = resolve_revision(repo, revision)
    if commit is None:
        raise UnreadablePackage(f"{revision!r} is not a path to a data package nor a git revision of {repo}")
    label = f"git revision {revision} ({commit[:10]})"

    def reader(path: str) -> bytes:
        return _git(repo, "show", f"{commit}:./{path}")

    try:
        content = reader(DESCRIPTOR)
    except subprocess.CalledProcessError as exc:
        raise UnreadablePackage(f"{label} has no datapackage.json") from exc
    descriptor = _descriptor(label, content)
    version = str(descriptor.get("version", ""))
    tags = _git(repo, "tag", "--points-at", commit, "--list", f"v{version}").decode().split()
    return Published(label, descriptor, reader, released=bool(tags))


def open_package(spec: str, repo: Path) -> Published:
    """A package named by a path to ``datapackage.json``, a folder holding one, or a git revision of ``repo``."""
    path = Path(spec)
    if path.is_file():
        if path.name != DESCRIPTOR:
            raise UnreadablePackage(f"{spec}: expected a datapackage.json, a folder holding one, or a git revision")
        return from_folder(path.resolve().parent)
    if path.is_dir():
        return from_folder(path.resolve())
    return from_git(repo, spec)
