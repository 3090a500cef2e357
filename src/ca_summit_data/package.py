"""The one reader of a Data Package: its descriptor, the files it names, and their declared sizes and hashes.

``load``, ``validate``, ``verify``, ``diff``, the site and releases all read packages
here: ``read_descriptor`` (a descriptor, bounded in size and nesting), ``Package`` (a
package in a folder or at a git revision: its resources and Table Schemas, checked for
shape, and its files), and ``check_file`` (a file against its declared size and hash,
streamed). A resource path that leaves the package (absolute, ``..``, a URL, a link out
of the folder) or names a FIFO or device file is refused (``fs``), and every read is
bounded in bytes: a descriptor by ``MAX_DESCRIPTOR_BYTES``, a whole file read at once by
``MAX_DIFF_TABLE_BYTES``; files are hashed in chunks, whatever their size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import fs, jsonio
from .limits import MAX_DESCRIPTOR_BYTES, MAX_DIFF_TABLE_BYTES

DESCRIPTOR = "datapackage.json"
DESCRIPTOR_NAMES = (DESCRIPTOR, "datapackage.yaml", "datapackage.yml")
"""What a package's descriptor may be called in its folder, in the order they are looked for (JSON, then YAML)."""
YAML_SUFFIXES = (".yaml", ".yml")


def dataset_path() -> Path:
    """The folder of our own published package: inside the installed wheel, or a source checkout's root."""
    from importlib import resources

    packaged = resources.files("ca_summit_data") / "dataset"
    if packaged.is_dir() and (packaged / DESCRIPTOR).is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / DESCRIPTOR).is_file():
        return checkout
    raise FileNotFoundError(
        "the published dataset was not found: install the ca-summit-data wheel, or run "
        "'ca-summit-data build' in a source checkout"
    )


class UnreadablePackage(Exception):
    """The package cannot be found or read: a usage problem, reported in one line."""


def read_descriptor(path: Path, what: str = "descriptor") -> Any:
    """A JSON or YAML descriptor (or a schema or dialect file it names), bounded in size and nesting.

    JSON is read by ``jsonio``; a file named ``.yaml`` or ``.yml`` by the project's safe YAML
    reader (``yamlio``: a key given twice, too many aliases or too deep a nesting is refused),
    its decimals then read as JSON reads them (floats), so either form means the same.
    ``UnreadablePackage`` says why it cannot be read; ``FileNotFoundError`` when it is not there.
    """
    try:
        data = fs.read_bytes(fs.readable(path.absolute().parent, path), MAX_DESCRIPTOR_BYTES)
    except fs.TooLarge:
        raise UnreadablePackage(f"the {what} is larger than {MAX_DESCRIPTOR_BYTES} bytes") from None
    except fs.UnsafePath as exc:
        raise UnreadablePackage(f"cannot read the {what}: {exc}") from None
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnreadablePackage(f"cannot read the {what}: {exc.strerror or exc}") from None
    if path.suffix.lower() in YAML_SUFFIXES:
        return _yaml_descriptor(data, path, what)
    try:
        return jsonio.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UnreadablePackage(f"the {what} is not UTF-8 (byte {exc.start})") from None
    except jsonio.JsonError as exc:
        raise UnreadablePackage(f"the {what} is not JSON we read: {exc}") from None


def _yaml_descriptor(data: bytes, path: Path, what: str) -> Any:
    from decimal import Decimal

    from .problems import ProblemsFound
    from .yamlio import parse_yaml

    try:
        value = parse_yaml(data, str(path))
    except ProblemsFound as exc:
        first = exc.problems[0]
        where = f" (line {first.row})" if first.row is not None else ""
        raise UnreadablePackage(f"the {what} is not YAML we read{where}: {first.message}") from None

    def plain(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: plain(child) for key, child in item.items()}
        if isinstance(item, list):
            return [plain(child) for child in item]
        return float(item) if isinstance(item, Decimal) else item

    return plain(value)


HASH_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")
CHUNK = 1 << 20


def packages_of(paths: list[Path], root: Path) -> list[Path]:
    """The ``datapackage.json`` each path belongs to: in its own folder or the nearest one above it, within ``root``.

    For a pre-commit hook that gets the changed files of a repository whose packages live
    anywhere in it (not only at its root): each package is named once, in the order first
    met; a path that belongs to no package inside ``root`` gives none.
    """
    found: list[Path] = []
    top = root.resolve()
    for path in paths:
        here = (path if path.is_dir() else path.parent).resolve()
        if path.name in DESCRIPTOR_NAMES and not path.is_dir():
            candidates = [path.resolve()]
        else:
            candidates = [folder / name for folder in (here, *here.parents)
                          if folder == top or top in folder.parents for name in DESCRIPTOR_NAMES]
        package = next((c for c in candidates if c.is_file()), None)
        if package is not None and (package.parent == top or top in package.parents) and package not in found:
            found.append(package)
    return found


def parse_hash(declared: str) -> tuple[str, str] | None:
    """``"sha256:abc…"`` -> ("sha256", "abc…"); a bare hex digest is MD5, as in the Data Package spec."""
    algorithm, _, digest = declared.rpartition(":")
    algorithm = algorithm.lower() or "md5"
    if algorithm not in HASH_ALGORITHMS or not digest:
        return None
    return algorithm, digest.lower()


@dataclass(frozen=True)
class Mismatch:
    """How a file differs from what its descriptor declares: ``missing``, ``unreadable``, ``bytes`` or ``hash``."""

    kind: str
    message: str
    found: str | None = None
    expected: str | None = None


def check_file(path: Path, size: int | None, declared_hash: str | None, more: tuple[Path, ...] = ()) -> list[Mismatch]:
    """A file against its declared size and hash (either may be None), hashed in 1 MiB chunks.

    ``more`` are the later parts of a multi-part resource: size and hash are then those of
    the parts one after the other, the one file they make. ``hashlib`` releases the GIL on
    large chunks, so the validator hashes in a thread while it parses.
    """
    parsed = parse_hash(declared_hash) if declared_hash is not None else None
    if declared_hash is not None and parsed is None:
        return [Mismatch("hash", f"the declared hash {declared_hash!r} names no algorithm we know",
                         expected=f"one of {', '.join(HASH_ALGORITHMS)}, as 'algorithm:hex'")]
    digest = hashlib.new(parsed[0]) if parsed is not None else None
    found_size = 0
    try:
        for part in (path, *more):
            with fs.open_regular(part) as handle:
                while chunk := handle.read(CHUNK):
                    found_size += len(chunk)
                    if digest is not None:
                        digest.update(chunk)
    except FileNotFoundError:
        return [Mismatch("missing", "the file is missing" if not more else "a part of the resource is missing")]
    except OSError as exc:
        return [Mismatch("unreadable", f"cannot read the file: {exc.strerror or exc}")]
    except fs.UnsafePath as exc:
        return [Mismatch("unreadable", f"cannot read the file: {exc}")]
    out = []
    if size is not None and found_size != size:
        out.append(Mismatch("bytes", "the file's size differs from the declared size", str(found_size),
                            f"{size} bytes"))
    if parsed is not None and digest is not None and digest.hexdigest() != parsed[1]:
        out.append(Mismatch("hash", f"the file's {parsed[0]} differs from the declared one", digest.hexdigest(),
                            parsed[1]))
    return out


@dataclass(frozen=True)
class Package:
    """A Data Package: its descriptor, and a way to read the files it names."""

    label: str
    descriptor: dict[str, Any]
    reader: Callable[[str], bytes]
    released: bool = True
    """False for a git revision that no release tag ``v<version>`` points at."""
    folder: Path | None = None
    """The package's folder, for a package on disk (None for a git revision)."""

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def resources(self) -> list[dict[str, Any]]:
        """The resources, each an object with a unique name and, where it has one, a well-formed Table Schema."""
        resources = self.descriptor.get("resources")
        if not isinstance(resources, list) or not all(
            isinstance(r, dict) and isinstance(r.get("name"), str) for r in resources
        ):
            raise UnreadablePackage(f"{self.label}: datapackage.json has no valid 'resources' list")
        names = [r["name"] for r in resources]
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise UnreadablePackage(f"{self.label}: two resources are named {twice!r}")
        for resource in resources:
            if "schema" in resource:
                problem = schema_problem(resource["schema"])
                if problem is not None:
                    raise UnreadablePackage(f"{self.label}: resource {resource['name']!r}: Table Schema {problem}")
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
        try:
            fs.relative_parts(path)
        except fs.UnsafePath as exc:
            raise UnreadablePackage(f"{self.label}: resource path {path!r}: {exc}") from None
        try:
            return self.reader(path)
        except (fs.UnsafePath, fs.TooLarge) as exc:
            raise UnreadablePackage(f"{self.label}: {path}: {exc}") from None
        except (OSError, subprocess.CalledProcessError) as exc:
            raise UnreadablePackage(f"{self.label}: cannot read {path}") from exc

    def table(self, name: str) -> Any:
        """A CSV table resource as a pyarrow Table, every column as text (empty cells as empty text)."""
        import pyarrow as pa
        import pyarrow.csv as pacsv

        path = self.resource(name).get("path")
        if not isinstance(path, str):
            raise UnreadablePackage(f"{self.label}: resource {name!r} has no single path")
        content = self.read(path)
        try:
            header = next(csv.reader(io.StringIO(content[: 1 << 20].decode("utf-8-sig", "replace"), newline="")), [])
            return pacsv.read_csv(
                io.BytesIO(content),
                read_options=pacsv.ReadOptions(use_threads=False),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={h: pa.string() for h in header}, strings_can_be_null=False
                ),
            )
        except (pa.ArrowInvalid, csv.Error, UnicodeDecodeError) as exc:
            raise UnreadablePackage(f"{self.label}: {path} is not a readable CSV table ({exc})") from None

    def mismatches(self, resource: dict[str, Any]) -> list[Mismatch]:
        """How a resource's file differs from the size and hash the descriptor declares (nothing: it matches)."""
        size, declared = resource.get("bytes"), resource.get("hash")
        size = size if isinstance(size, int) and not isinstance(size, bool) else None
        declared = declared if isinstance(declared, str) else None
        path = str(resource.get("path"))
        if self.folder is not None:
            try:
                return check_file(fs.readable_in(self.folder, path), size, declared)
            except fs.UnsafePath as exc:
                return [Mismatch("unreadable", f"cannot read the file: {exc}")]
            except FileNotFoundError:
                return [Mismatch("missing", "the file is missing")]
        content = self.read(path)
        parsed = parse_hash(declared) if declared else None
        out = []
        if size is not None and len(content) != size:
            out.append(Mismatch("bytes", "the file's size differs from the declared size", str(len(content))))
        if parsed is not None and hashlib.new(parsed[0], content).hexdigest() != parsed[1]:
            out.append(Mismatch("hash", f"the file's {parsed[0]} differs from the declared one"))
        return out

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


def _is_names(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a well-formed Table Schema (the shapes ``diff`` and the site rely on), or None."""
    if not isinstance(schema, dict):
        return "is not an object"
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return "has no list of fields, each an object with a name"
    names = [f["name"] for f in fields]
    if len(set(names)) != len(names):
        return "names a field twice"
    for field in fields:
        if not isinstance(field.get("constraints", {}), dict):
            return f"field {field['name']!r}: constraints is not an object"
        if not isinstance(field.get("type", "string"), str):
            return f"field {field['name']!r}: type is not a string"
    if "primaryKey" in schema and not _is_names(schema["primaryKey"]):
        return "primaryKey is not a field name or a list of them"
    foreign_keys = schema.get("foreignKeys", [])
    if not isinstance(foreign_keys, list):
        return "foreignKeys is not a list"
    for fk in foreign_keys:
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if (
            not isinstance(fk, dict)
            or not _is_names(fk.get("fields"))
            or not isinstance(reference, dict)
            or not isinstance(reference.get("resource", ""), str)
            or not _is_names(reference.get("fields"))
        ):
            return "has a foreign key that is not {fields, reference: {resource, fields}}"
    missing = schema.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(v, str) for v in missing):
        return "missingValues is not a list of strings"
    return None


def _descriptor(label: str, content: bytes) -> dict[str, Any]:
    try:
        data = jsonio.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, jsonio.JsonError) as exc:
        raise UnreadablePackage(f"{label}: datapackage.json is not JSON we read ({exc})") from None
    if not isinstance(data, dict):
        raise UnreadablePackage(f"{label}: datapackage.json is not a JSON object")
    return data


def from_folder(folder: Path) -> Package:
    """The package whose ``datapackage.json`` is in ``folder``."""
    descriptor_file = folder / DESCRIPTOR
    try:
        descriptor = read_descriptor(descriptor_file)
    except FileNotFoundError as exc:
        raise UnreadablePackage(f"cannot read {descriptor_file}: no such file") from exc
    except UnreadablePackage as exc:
        raise UnreadablePackage(f"{descriptor_file}: {exc}") from None
    if not isinstance(descriptor, dict):
        raise UnreadablePackage(f"{folder}: datapackage.json is not a JSON object")

    def reader(path: str) -> bytes:
        return fs.read_bytes(fs.readable_in(folder, path), MAX_DIFF_TABLE_BYTES)

    return Package(str(folder), descriptor, reader, folder=folder)


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


def from_git(repo: Path, revision: str) -> Package:
    """The package as committed at ``revision``, read with ``git show`` (nothing is checked out)."""
    commit = resolve_revision(repo, revision)
    if commit is None:
        raise UnreadablePackage(f"{revision!r} is not a path to a data package nor a git revision of {repo}")
    label = f"git revision {revision} ({commit[:10]})"

    def reader(path: str) -> bytes:
        size = _git(repo, "cat-file", "-s", f"{commit}:./{path}").strip()
        if int(size or 0) > (MAX_DESCRIPTOR_BYTES if path == DESCRIPTOR else MAX_DIFF_TABLE_BYTES):
            raise fs.TooLarge(f"{path} is {int(size)} bytes, more than diff reads")
        return _git(repo, "show", f"{commit}:./{path}")

    try:
        content = reader(DESCRIPTOR)
    except subprocess.CalledProcessError as exc:
        raise UnreadablePackage(f"{label} has no datapackage.json") from exc
    except fs.TooLarge as exc:
        raise UnreadablePackage(f"{label}: {exc}") from None
    descriptor = _descriptor(label, content)
    version = str(descriptor.get("version", ""))
    tags = _git(repo, "tag", "--points-at", commit, "--list", f"v{version}").decode().split()
    return Package(label, descriptor, reader, released=bool(tags))


def open_package(spec: str, repo: Path) -> Package:
    """A package named by a path to ``datapackage.json``, a folder holding one, or a git revision of ``repo``."""
    if "\x00" in spec:
        raise UnreadablePackage(f"{spec!r}: a path or revision cannot contain a NUL character")
    path = Path(spec)
    if path.is_file():
        if path.name != DESCRIPTOR:
            raise UnreadablePackage(f"{spec}: expected a datapackage.json, a folder holding one, or a git revision")
        return from_folder(path.resolve().parent)
    if path.is_dir():
        return from_folder(path.resolve())
    return from_git(repo, spec)
