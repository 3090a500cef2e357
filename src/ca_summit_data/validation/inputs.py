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

import csv
import io
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .. import fs
from ..limits import MAX_RESOURCES
from ..package import DESCRIPTOR_NAMES, UnreadablePackage, read_descriptor
from ..schema.tableschema import TableSpec, UnsupportedSchema, from_table_schema
from .dialect import Dialect, dialect_from
from .findings import Finding, Findings
from .sources import UTF8, Source, codec_of
from .streams import compression_of, uncompressed_name

TableFormat = Literal["csv", "parquet"]
TABLE_SUFFIXES: dict[str, TableFormat] = {".csv": "csv", ".parquet": "parquet"}
RECORD_SUFFIXES = (".json", ".yaml", ".yml")
DOCUMENT_NAME = "ca_summit"
DEFAULT_DIALECT = Dialect()
SPREADSHEETS = frozenset({"xlsx", "xls", "xlsm", "ods", "gsheet"})
DATABASES = frozenset({"sql", "sqlite", "sqlite3", "db", "duckdb", "postgresql", "postgres", "mysql", "mssql",
                       "oracle", "bigquery"})


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
    more: tuple[tuple[Path, str | None], ...] = ()
    """The later parts of a multi-part resource (each with its compression), read after ``path`` as one file."""
    encoding: str = UTF8
    """The codec of the declared encoding (``sources.codec_of``)."""
    inline: bytes | None = None
    """Inline ``data``, written as CSV (``path`` is then the descriptor)."""

    @property
    def source(self) -> Source:
        """Where the table's bytes are, for the CSV reader."""
        if self.inline is not None:
            return Source((), UTF8, self.inline)
        return Source(((self.path, self.compression), *self.more), self.encoding)


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
    more: tuple[Path, ...] = ()
    """The later parts of a multi-part resource: size and hash are those of all parts one after the other."""


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
    if path.name in DESCRIPTOR_NAMES or any(path.name.endswith("." + name) for name in DESCRIPTOR_NAMES):
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
    from .ours import our_dialect, our_tables, table_spec

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
        plan.tables.append(TableInput(path, shown, TABLE_SUFFIXES[suffix], name, table_spec(name), our_dialect(name),
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
        return None, "is not a path (a non-empty string)"
    if "://" in raw:
        scheme = raw.split("://", 1)[0].lower()
        if scheme.split("+")[0] in DATABASES:
            return None, "names a SQL database, which is not read: export the table to CSV and describe that file"
        return None, "is a URL: remote data is not read; download it and describe the local copy"
    try:
        return fs.readable_in(base, raw), ""
    except fs.UnsafePath as exc:
        return None, str(exc).removeprefix("the path ")
    except FileNotFoundError:
        return base.joinpath(*fs.relative_parts(raw)), ""


def _parts(raw: Any, base: Path) -> list[tuple[str, Path]]:
    """A resource's ``path``, one string or a list of them (a multi-part resource), each inside ``base``."""
    paths = raw if isinstance(raw, list) else [raw]
    if not paths:
        raise UnsupportedSchema("path is an empty list")
    found = []
    for relative in paths:
        path, why = inside(relative, base)
        if path is None:
            raise UnsupportedSchema(f"path {relative!r} {why}")
        found.append((str(relative), path))
    return found


def _linked(resource: dict[str, Any], key: str, base: Path) -> Any:
    """A resource's ``schema`` or ``dialect``: the object itself, or read from the JSON or YAML file it names."""
    value = resource.get(key)
    if not isinstance(value, str):
        return value
    what = "schema" if key == "schema" else "dialect"
    path, why = inside(value, base)
    if path is None:
        raise UnsupportedSchema(f"{what} path {value!r} {why}")
    try:
        return read_descriptor(path, f"{what} file")
    except FileNotFoundError:
        raise UnsupportedSchema(f"cannot read the {what} file {value!r}: no such file") from None
    except UnreadablePackage as exc:
        raise UnsupportedSchema(f"{what} file {value!r}: {exc}") from None


def _refused(resource: dict[str, Any], fmt: str) -> None:
    """Kinds of tabular data we do not read, each refused with what to do instead."""
    if fmt in SPREADSHEETS:
        raise UnsupportedSchema(f"format {fmt!r} is a spreadsheet, which is not read: export the sheet to CSV")
    if fmt in DATABASES or str(resource.get("scheme", "")).lower() in DATABASES or resource.get("protocol") == "sql":
        raise UnsupportedSchema("a SQL database is not read: export the table to CSV and describe that file")


def _with_null_sequence(spec: TableSpec, null: str | None) -> TableSpec:
    """The dialect's ``nullSequence`` as one more missing value of every field: it reads as null, as the spec says."""
    if null is None:
        return spec
    fields = tuple(
        f if f.missing_values is None or null in f.missing_values
        else replace(f, missing_values=(*f.missing_values, null))
        for f in spec.fields
    )
    missing = spec.missing_values if null in spec.missing_values else (*spec.missing_values, null)
    return replace(spec, fields=fields, missing_values=missing)


def _cell(value: Any, missing: str) -> str:
    """A JSON value of inline data as the text a CSV cell would hold (null as a missing value)."""
    if value is None:
        return missing
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _inline_csv(data: Any, spec: TableSpec, header: bool) -> tuple[bytes, bool]:
    """Inline ``data`` as CSV, and whether its first row is a header: arrays of arrays (a header row first unless
    the dialect says ``header: false``) or arrays of objects (keyed by the schema's field names, as frictionless
    reads them; keys the schema does not name are not read). Held in memory: the descriptor is bounded."""
    if not isinstance(data, list):
        raise UnsupportedSchema("inline data must be an array of arrays or of objects (or a CSV string)")
    missing = [spec.missing_for(f)[0] if spec.missing_for(f) else "" for f in spec.fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if not data or all(isinstance(item, dict) for item in data):
        names = [f.name for f in spec.fields]
        writer.writerow(names)
        for item in data:
            writer.writerow([_cell(item.get(name), missing[i]) for i, name in enumerate(names)])
        return buffer.getvalue().encode("utf-8", "surrogateescape"), True
    if not all(isinstance(item, list) for item in data):
        raise UnsupportedSchema("inline data mixes arrays and objects (or holds something else): "
                                "it must be an array of arrays or an array of objects")
    for number, item in enumerate(data):
        data_row = number > 0 or not header
        writer.writerow([_cell(v, missing[i] if data_row and i < len(missing) else "") for i, v in enumerate(item)])
    return buffer.getvalue().encode("utf-8", "surrogateescape"), header


def _add_resource(plan: Plan, sink: Findings, resource: Any, index: int, base: Path, descriptor: str) -> None:
    from .ours import table_spec, with_model_extras

    if not isinstance(resource, dict):
        _usage(sink, descriptor, f"resource {index + 1} is not an object", "unsupported")
        return
    label = str(resource.get("name") or f"resource {index + 1}")
    try:
        _resource(plan, resource, index, base, descriptor, label, table_spec, with_model_extras)
    except UnsupportedSchema as exc:
        _usage(sink, descriptor, f"resource {label!r}: {exc}", "unsupported")


def _resource(plan: Plan, resource: dict[str, Any], index: int, base: Path, descriptor: str, label: str,
              table_spec: Any, with_model_extras: Any) -> None:
    """One resource into the plan; ``UnsupportedSchema`` for what we do not read."""
    raw_path = resource.get("path", resource.get("url"))  # ``url`` is Data Package v0's ``path``
    if raw_path is None and "data" in resource:
        _add_inline(plan, resource, index, base, descriptor, label)
        return
    if raw_path is not None and "data" in resource:
        raise UnsupportedSchema("has both path and data (a resource has one or the other)")
    parts = _parts(raw_path, base)
    relative, path = parts[0]
    shown = " + ".join(shown_path(p) for _, p in parts)
    compressions = []
    for name, _ in parts:
        try:
            compressions.append(compression_of(name, resource.get("compression")))
        except ValueError as exc:
            raise UnsupportedSchema(str(exc)) from None
    compression = compressions[0]
    inner = PurePosixPath(uncompressed_name(relative) if compression else relative)
    name = str(resource.get("name") or inner.stem)
    fmt = str(resource.get("format") or inner.suffix.lstrip(".")).lower()
    plan.order.append(shown)
    if "bytes" in resource or "hash" in resource:
        size = resource.get("bytes")
        plan.declared.append(DeclaredFile(path, shown, size if isinstance(size, int) else None,
                                          resource.get("hash") if isinstance(resource.get("hash"), str) else None,
                                          descriptor, tuple(p for _, p in parts[1:])))
    ours = _our_table(name) or _our_table(inner.stem)
    schema = _linked(resource, "schema", base)
    tabular = schema is not None or resource.get("type") == "table" or resource.get("profile") in (
        "tabular-data-resource", "https://specs.frictionlessdata.io/schemas/tabular-data-resource.json")
    if tabular:
        _refused(resource, fmt)
    if compression is not None and fmt not in ("csv", "tsv") and (tabular or fmt == "parquet"):
        raise UnsupportedSchema(f"a compressed {fmt} resource is not read (only CSV may be compressed)")
    if len(parts) > 1 and fmt == "parquet":
        raise UnsupportedSchema("a multi-part Parquet resource is not read (only CSV may be split into parts)")
    more = tuple((p, c) for (_, p), c in zip(parts[1:], compressions[1:], strict=True))
    if fmt in ("csv", "tsv") and (schema is not None or (ours is not None and resource.get("type") == "table")):
        spec = from_table_schema(schema, name) if schema is not None else table_spec(ours)
        if schema is not None and ours is not None:
            spec = with_model_extras(spec, ours)
        dialect = _dialect(resource, base, fmt)
        plan.tables.append(TableInput(path, shown, "csv", name, _with_null_sequence(spec, dialect.null_sequence),
                                      dialect, in_package=True, compression=compression, more=more,
                                      encoding=codec_of(resource.get("encoding"))))
    elif schema is not None and fmt == "parquet":
        plan.tables.append(TableInput(path, shown, "parquet", name, from_table_schema(schema, name) if ours is None
                                      else with_model_extras(from_table_schema(schema, name), ours), in_package=True))
    elif schema is not None:
        raise UnsupportedSchema(f"format {fmt!r} is not supported for tables (only csv, tsv and parquet)")
    elif fmt == "parquet" and ours is not None:
        plan.tables.append(TableInput(path, shown, "parquet", name, table_spec(ours), in_package=True,
                                      target=False))
    elif fmt == "json" and PurePosixPath(relative).stem == DOCUMENT_NAME:
        plan.records.append(RecordInput(path, shown, None))
    elif tabular:
        plan.notes.append(f"{shown}: resource {label!r} has no Table Schema; only its size and hash are checked")


def _dialect(resource: dict[str, Any], base: Path, fmt: str) -> Dialect:
    """The resource's dialect (an object or a file), a TSV's delimiter a tab unless it says otherwise."""
    raw = _linked(resource, "dialect", base)
    if fmt == "tsv" and (raw is None or isinstance(raw, dict)):
        raw = {"delimiter": "\t", **(raw or {})}
    return dialect_from(raw)


def _add_inline(plan: Plan, resource: dict[str, Any], index: int, base: Path, descriptor: str, label: str) -> None:
    """A resource whose rows are in the descriptor (``data``): checked like a CSV file of them."""
    from .ours import with_model_extras

    name = str(resource.get("name") or label)
    schema = _linked(resource, "schema", base)
    fmt = str(resource.get("format") or ("csv" if isinstance(resource.get("data"), str) else "json")).lower()
    if schema is None:
        plan.notes.append(f"{descriptor}: resource {label!r} has inline data and no Table Schema, so it is not checked")
        return
    _refused(resource, fmt)
    spec = from_table_schema(schema, name)
    ours = _our_table(name)
    if ours is not None:
        spec = with_model_extras(spec, ours)
    data = resource["data"]
    if isinstance(data, str):
        dialect = _dialect(resource, base, fmt)
        text = data.encode("utf-8", "surrogateescape")
    else:
        raw_dialect = _linked(resource, "dialect", base)
        header = not (isinstance(raw_dialect, dict) and raw_dialect.get("header") is False)
        text, has_header = _inline_csv(data, spec, header)
        dialect = Dialect(header=has_header)
    shown = f"{descriptor}#/resources/{index}/data"
    plan.order.append(shown)
    plan.tables.append(TableInput(base, shown, "csv", name,
                                  _with_null_sequence(spec, dialect.null_sequence), dialect, in_package=True,
                                  inline=text))


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
    for name in DESCRIPTOR_NAMES:
        descriptor = folder / name
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
