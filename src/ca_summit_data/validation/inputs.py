"""From the paths a user gives to what to check: tables, record files, and declared sizes and hashes.

A path may be:

- a ``datapackage.json`` (ours, or a user's that reuses our Table Schemas): each
  resource with a Table Schema is checked against that schema (with our models' extra
  rules when the resource is named like one of our tables); a Parquet resource named
  ``<table>_parquet`` or ``<table>.parquet`` is checked as our table; every declared
  ``bytes`` and ``hash`` is checked; ``ca_summit.json`` against its JSON Schema;
- a folder: its ``datapackage.json`` if it has one, else every file in it named after
  one of our tables (``<table>.csv``, ``.parquet``, ``.json``, ``.yaml``, ``.yml``);
- a CSV or Parquet file of one of our tables, named after it or given with ``--table``;
- a JSON or YAML file of seed records (named after the table, or ``--table``), or the
  nested document ``ca_summit.json``.

Problems found here (a missing path, an unreadable descriptor, a schema feature we do
not check) are findings with exit code 2, never exceptions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .. import fs
from ..limits import MAX_RESOURCES
from ..package import UnreadablePackage, read_descriptor
from ..schema.tableschema import TableSpec, UnsupportedSchema, from_table_schema
from .csv_reader import Dialect, dialect_from
from .findings import Finding, Findings
from .streams import compression_of, uncompressed_name

TableFormat = Literal["csv", "parquet"]
TABLE_SUFFIXES: dict[str, TableFormat] = {".csv": "csv", ".parquet": "parquet"}
RECORD_SUFFIXES = (".json", ".yaml", ".yml")
DOCUMENT_NAME = "ca_summit"
DESCRIPTOR_NAME = "datapackage.json"
UTF8_NAMES = {"utf-8", "utf8"}
DEFAULT_DIALECT = Dialect()


@dataclass(frozen=True)
class TableInput:
    path: Path
    shown: str
    format: TableFormat
    name: str
    """The resource (table) name foreign keys refer to."""
    spec: TableSpec
    dialect: Dialect = DEFAULT_DIALECT
    in_package: bool = False
    target: bool = True
    """Whether foreign keys to ``name`` resolve to this file (a Parquet twin of a CSV resource does not)."""
    compression: str | None = None
    """How the file is compressed (``streams``), or None."""


@dataclass(frozen=True)
class RecordInput:
    path: Path
    shown: str
    table: str | None
    """Our table whose seed records the file holds; None for the nested document."""


@dataclass(frozen=True)
class DeclaredFile:
    """A file whose size and hash a descriptor declares."""

    path: Path
    shown: str
    bytes: int | None
    hash: str | None
    descriptor: str


@dataclass
class Plan:
    tables: list[TableInput] = field(default_factory=list)
    records: list[RecordInput] = field(default_factory=list)
    declared: list[DeclaredFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """Every file in the order it was given, for the report."""


def shown_path(path: Path) -> str:
    """How a path is shown in reports: relative to the current folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def _our_table(name: str) -> str | None:
    from .ours import our_tables

    tables = our_tables()
    for candidate in (name, name.removesuffix("_parquet")):
        if candidate in tables:
            return candidate
    return None


def _table_name_of(path: Path, table: str | None) -> str | None:
    return table if table is not None else _our_table(path.stem)


def _usage(sink: Findings, file: str, message: str, code: str = "usage") -> None:
    sink.add(Finding(file, code, message))


def _is_descriptor(path: Path) -> bool:
    if path.name == DESCRIPTOR_NAME or path.name.endswith("." + DESCRIPTOR_NAME):
        return True
    if path.suffix != ".json" or path.stem == DOCUMENT_NAME:
        return False
    try:
        with fs.open_regular(path) as handle:
            start = handle.read(65536).lstrip()
    except (OSError, fs.UnsafePath):
        return False
    return start.startswith(b"{") and b'"resources"' in start


def _add_file(plan: Plan, sink: Findings, path: Path, table: str | None) -> None:
    from .ours import our_tables, table_spec

    shown = shown_path(path)
    compression = compression_of(path.name)
    inner = Path(uncompressed_name(path.name))
    suffix = inner.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        name = _table_name_of(inner, table)
        if name is None or name not in our_tables():
            _usage(sink, shown, f"cannot tell which table this file holds: name it after one of our tables "
                                f"({', '.join(our_tables())}) or pass --table")
            return
        if compression is not None and suffix != ".csv":
            _usage(sink, shown, f"a compressed {suffix} file is not read (only CSV may be compressed)", "unsupported")
            return
        plan.tables.append(TableInput(path, shown, TABLE_SUFFIXES[suffix], name, table_spec(name),
                                      compression=compression))
    elif suffix in RECORD_SUFFIXES:
        if path.stem == DOCUMENT_NAME and table is None:
            plan.records.append(RecordInput(path, shown, None))
            return
        name = _table_name_of(path, table)
        if name is None or name not in our_tables():
            _usage(sink, shown, f"cannot tell which table's records this file holds: name it after one of our "
                                f"tables ({', '.join(our_tables())}) or pass --table")
            return
        plan.records.append(RecordInput(path, shown, name))
    else:
        _usage(sink, shown, "not a file we can check: expected datapackage.json, .csv (or .csv.gz, .csv.zip, …), "
                            ".parquet, .json, .yaml or .yml")
        return
    plan.order.append(shown)


def inside(raw: Any, base: Path) -> tuple[Path | None, str]:
    """A descriptor's path as a regular file inside the package folder ``base``, or None and why not.

    Like frictionless, we read only inside the package: no remote, absolute or ``..``
    paths, no link that leads outside the folder (``fs``), and no FIFO or device file,
    which would make the validator wait for ever. A file that does not exist is returned
    (it is reported as missing where it is read).
    """
    if not isinstance(raw, str) or not raw:
        return None, "is not a single path (multi-part and inline resources are not supported)"
    try:
        return fs.readable_in(base, raw), ""
    except fs.UnsafePath as exc:
        return None, str(exc).removeprefix("the path ")
    except FileNotFoundError:
        return base.joinpath(*fs.relative_parts(raw)), ""


def _resource_schema(resource: dict[str, Any], base: Path) -> Any:
    schema = resource.get("schema")
    if isinstance(schema, str):
        path, why = inside(schema, base)
        if path is None:
            raise UnsupportedSchema(f"schema path {schema!r} {why}")
        try:
            return read_descriptor(path, "schema file")
        except FileNotFoundError:
            raise UnsupportedSchema(f"cannot read the schema file {schema!r}: no such file") from None
        except UnreadablePackage as exc:
            raise UnsupportedSchema(f"schema file {schema!r}: {exc}") from None
    return schema


def _add_resource(plan: Plan, sink: Findings, resource: Any, index: int, base: Path, descriptor: str) -> None:
    from .ours import table_spec, with_model_extras

    if not isinstance(resource, dict):
        _usage(sink, descriptor, f"resource {index + 1} is not an object", "unsupported")
        return
    label = str(resource.get("name") or f"resource {index + 1}")
    if "data" in resource and "path" not in resource:
        plan.notes.append(f"{descriptor}: resource {label!r} has inline data, which is not checked")
        return
    path, why = inside(resource.get("path"), base)
    if path is None:
        _usage(sink, descriptor, f"resource {label!r}: path {resource.get('path')!r} {why}", "unsupported")
        return
    relative = str(resource["path"])
    shown = shown_path(path)
    plan.order.append(shown)
    if "bytes" in resource or "hash" in resource:
        size = resource.get("bytes")
        plan.declared.append(DeclaredFile(path, shown, size if isinstance(size, int) else None,
                                          resource.get("hash") if isinstance(resource.get("hash"), str) else None,
                                          descriptor))
    try:
        compression = compression_of(relative, resource.get("compression"))
    except ValueError as exc:
        _usage(sink, descriptor, f"resource {label!r}: {exc}", "unsupported")
        return
    inner = PurePosixPath(uncompressed_name(relative) if compression else relative)
    name = str(resource.get("name") or inner.stem)
    fmt = str(resource.get("format") or inner.suffix.lstrip(".")).lower()
    ours = _our_table(name) or _our_table(inner.stem)
    try:
        if compression is not None and fmt != "csv":
            raise UnsupportedSchema(f"a compressed {fmt} resource is not read (only CSV may be compressed)")
        encoding = resource.get("encoding")
        if encoding is not None and str(encoding).lower() not in UTF8_NAMES:
            raise UnsupportedSchema(f"encoding {encoding!r} is not supported (only UTF-8)")
        schema = _resource_schema(resource, base)
        if schema is not None:
            if fmt not in ("csv", "parquet"):
                raise UnsupportedSchema(f"format {fmt!r} is not supported for tables (only csv and parquet)")
            spec = from_table_schema(schema, name)
            if ours is not None:
                spec = with_model_extras(spec, ours)
            plan.tables.append(TableInput(path, shown, "csv" if fmt == "csv" else "parquet", name, spec,
                                          dialect_from(resource.get("dialect")), in_package=True,
                                          compression=compression))
        elif fmt == "parquet" and ours is not None:
            plan.tables.append(TableInput(path, shown, "parquet", name, table_spec(ours), in_package=True,
                                          target=False))
        elif fmt == "csv" and ours is not None and resource.get("type") == "table":
            plan.tables.append(TableInput(path, shown, "csv", name, table_spec(ours),
                                          dialect_from(resource.get("dialect")), in_package=True,
                                          compression=compression))
        elif fmt == "json" and PurePosixPath(relative).stem == DOCUMENT_NAME:
            plan.records.append(RecordInput(path, shown, None))
        elif resource.get("type") == "table" or resource.get("profile") == "tabular-data-resource":
            plan.notes.append(f"{shown}: resource {label!r} has no Table Schema; only its size and hash are checked")
    except UnsupportedSchema as exc:
        _usage(sink, descriptor, f"resource {label!r}: {exc}", "unsupported")


def _add_package(plan: Plan, sink: Findings, path: Path) -> None:
    shown = shown_path(path)
    try:
        descriptor = read_descriptor(path)
    except FileNotFoundError:
        _usage(sink, shown, "cannot read the descriptor: no such file", "unreadable")
        return
    except UnreadablePackage as exc:
        _usage(sink, shown, str(exc), "unreadable")
        return
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        _usage(sink, shown, "the descriptor has no list of resources", "unreadable")
        return
    if not resources:
        _usage(sink, shown, "the descriptor lists no resources (a Data Package has at least one)", "unreadable")
        return
    if len(resources) > MAX_RESOURCES:
        _usage(sink, shown, f"the descriptor lists more than {MAX_RESOURCES} resources", "unreadable")
        return
    plan.order.append(shown)
    for index, resource in enumerate(resources):
        _add_resource(plan, sink, resource, index, path.parent, shown)
    names = {t.name for t in plan.tables if t.in_package and t.target}
    for index, twin in enumerate(plan.tables):
        if twin.in_package and not twin.target and twin.name not in names:
            plan.tables[index] = replace(twin, target=True)


def _safe(path: Path, folder: Path, sink: Findings) -> bool:
    """Whether ``path`` is a regular file inside ``folder``; if not, a finding says why (exit 2)."""
    try:
        fs.readable(folder, path)
    except fs.UnsafePath as exc:
        _usage(sink, shown_path(path), f"not read: {exc}", "unreadable")
        return False
    except FileNotFoundError:
        _usage(sink, shown_path(path), "no such file (a link to nothing?)", "unreadable")
        return False
    return True


def _add_folder(plan: Plan, sink: Findings, folder: Path) -> None:
    descriptor = folder / DESCRIPTOR_NAME
    if os.path.lexists(descriptor):
        if _safe(descriptor, folder, sink):
            _add_package(plan, sink, descriptor)
        return
    found = False
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.is_symlink():
            continue
        suffix = path.suffix.lower()
        named = _our_table(path.stem) is not None or (path.stem == DOCUMENT_NAME and suffix == ".json")
        if named and (suffix in TABLE_SUFFIXES or suffix in RECORD_SUFFIXES) and not _safe(path, folder, sink):
            found = True
            continue
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        known = _our_table(path.stem) is not None or (path.stem == DOCUMENT_NAME and suffix == ".json")
        if (suffix in TABLE_SUFFIXES or suffix in RECORD_SUFFIXES) and known:
            _add_file(plan, sink, path, None)
            found = True
        elif not path.name.startswith("."):
            plan.notes.append(f"{shown_path(path)}: skipped (not named after one of our tables)")
    if not found:
        _usage(sink, shown_path(folder), "no datapackage.json and no file named after one of our tables here")


def discover(paths: list[Path], table: str | None, sink: Findings) -> Plan:
    """What to check for the given paths; problems go to ``sink`` as exit-code-2 findings."""
    from .ours import missing_note, our_tables

    plan = Plan()
    note = missing_note()
    if note is not None:
        plan.notes.append(note)
    if table is not None and table not in our_tables():
        _usage(sink, table, f"--table must be one of our tables: {', '.join(our_tables())}")
        return plan
    seen: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        if not path.exists():
            _usage(sink, shown_path(path), "no such file or folder", "unreadable")
        elif path.is_dir():
            if table is not None:
                _usage(sink, shown_path(path), "--table applies to single files, not to folders")
            else:
                _add_folder(plan, sink, path)
        elif not _safe(path, path.absolute().parent, sink):
            continue
        elif table is None and _is_descriptor(path):
            _add_package(plan, sink, path)
        else:
            _add_file(plan, sink, path, table)
    return plan
