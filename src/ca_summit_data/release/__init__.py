"""Release files: the changelog entry of a version, public download addresses, and the assets of a release.

A release is a tag ``v<version>``. Its assets are the wheel, the sdist, every published
data file (named flat, as a download), ``datapackage.json``, ``CITATION.cff``, a zip of
the whole Data Package in its own layout, and ``SHA256SUMS`` over all of them. The
GitHub workflow runs ``ca-summit-data release`` and uploads what it writes.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import __version__
from ..package import from_folder
from .citation import CITATION_PATH

CHANGELOG_PATH = "CHANGELOG.md"
SUMS_NAME = "SHA256SUMS"
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?:\s+-\s+(?P<date>.+?))?\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReleaseProblem(Exception):
    """The release cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class ChangelogEntry:
    version: str
    date: str | None
    body: str


def changelog_entries(text: str) -> list[ChangelogEntry]:
    """The ``## [version] - date`` sections of a Keep a Changelog file, in file order."""
    entries: list[ChangelogEntry] = []
    current: tuple[str, str | None] | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            entries.append(ChangelogEntry(current[0], current[1], "\n".join(body).strip() + "\n"))

    for line in text.splitlines():
        match = _HEADING.match(line)
        if match is None:
            body.append(line)
            continue
        close()
        current, body = (match["version"], match["date"]), []
    close()
    return entries


def release_notes(text: str, version: str, dated: bool = True) -> str:
    """The body of the changelog entry of ``version``; with ``dated``, the entry must carry a release date."""
    for entry in changelog_entries(text):
        if entry.version != version:
            continue
        if dated and not (entry.date and _DATE.match(entry.date)):
            raise ReleaseProblem(
                f"{CHANGELOG_PATH}: the entry of {version} has no release date: write '## [{version}] - YYYY-MM-DD'"
            )
        return entry.body
    raise ReleaseProblem(f"{CHANGELOG_PATH} has no entry '## [{version}]'")


def asset_url(repository: str | None, version: str, path: str) -> str:
    """Where a published file can be downloaded: the release asset once a repository is set, else ``path``."""
    if not repository:
        return path
    return f"{repository}/releases/download/v{version}/{PurePosixPath(path).name}"


def wheel_name(version: str) -> str:
    """The release wheel's file name (what ``python -m build`` writes), said once for the release and the site."""
    return f"ca_summit_data-{version}-py3-none-any.whl"


def data_zip_name(version: str) -> str:
    return f"ca-summit-data-{version}-datapackage.zip"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_zip(files: dict[str, bytes]) -> bytes:
    """A zip of the Data Package in its own layout (path -> bytes), byte-identical for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in sorted(files):
            info = zipfile.ZipInfo(relative, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[relative])
    return buffer.getvalue()


def package_paths(root: Path, data_paths: list[str]) -> list[str]:
    """What the whole-package zip holds: the descriptor, the citation, the data files and the JSON Schemas."""
    schemas = sorted(p.relative_to(root).as_posix() for p in (root / "schemas").glob("*.json"))
    return ["datapackage.json", CITATION_PATH, *data_paths, *schemas]


def release_assets(root: Path, dist: Path, out: Path, tag: str | None = None) -> list[Path]:
    """Write the assets of release ``v<version>`` into ``out/assets`` and its notes into ``out/notes.md``.

    Checks first that the tag (if given) names this version, that the changelog has an
    entry for it, that ``dist`` holds this version's wheel and sdist, and that every
    data file is the one ``datapackage.json`` describes (size and sha256).
    """
    version = __version__
    if tag is not None and tag != f"v{version}":
        raise ReleaseProblem(f"tag {tag!r} does not match the package version {version} (expected v{version})")
    changelog = root / CHANGELOG_PATH
    if not changelog.is_file():
        raise ReleaseProblem(f"{changelog} is missing")
    notes = release_notes(changelog.read_text(encoding="utf-8"), version)
    wheel = dist / wheel_name(version)
    sdist = dist / f"ca_summit_data-{version}.tar.gz"
    for built in (wheel, sdist):
        if not built.is_file():
            raise ReleaseProblem(f"{built} is missing: run 'python -m build' first")
    package = from_folder(root)
    if package.version != version:
        raise ReleaseProblem(f"datapackage.json says version {package.version}, the package {version}: rebuild")
    data_paths: list[str] = []
    for resource in package.resources():
        path = str(resource["path"])
        if package.mismatches(resource) or "hash" not in resource or "bytes" not in resource:
            raise ReleaseProblem(f"{path} differs from its description in datapackage.json: rebuild")
        data_paths.append(path)
    assets = out / "assets"
    if assets.exists():
        shutil.rmtree(assets)
    assets.mkdir(parents=True)
    copies = [wheel, sdist, root / "datapackage.json", root / CITATION_PATH, *(root / p for p in data_paths)]
    names = [c.name for c in copies]
    if len(set(names)) != len(names):
        raise ReleaseProblem("two release files would have the same name")
    for source in copies:
        shutil.copyfile(source, assets / source.name)
    zipped = {p: (root / p).read_bytes() for p in package_paths(root, data_paths)}
    (assets / data_zip_name(version)).write_bytes(package_zip(zipped))
    written = sorted(assets.iterdir())
    sums = "".join(f"{sha256(p)}  {p.name}\n" for p in written)
    (assets / SUMS_NAME).write_text(sums, encoding="utf-8")
    (out / "notes.md").write_text(notes, encoding="utf-8")
    return [*written, assets / SUMS_NAME]
