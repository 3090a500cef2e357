"""Where a foreign key points: a file being validated, a file beside it, or our published table.

A key resolves, in this order, to the resource of that name among the inputs (for a
package, its own resources); for a loose file, to the file of that table in the same
folder; and for our own table names, to the table we publish (so a user's file may
point into our ``countries``, ``summits`` … without copying them). Keys of files that
are only referred to (beside or published) are read, not validated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import fs
from ..schema.tableschema import ForeignKey
from .findings import Findings
from .inputs import TABLE_SUFFIXES, TableInput, shown_path
from .keys import KeyColumn, KeyIndex, key_of


@dataclass(frozen=True)
class Target:
    """What a foreign key refers to: an input, or a file only read for its keys (``path``)."""

    name: str
    input: TableInput | None = None
    path: Path | None = None
    shown: str = ""

    @property
    def found(self) -> bool:
        return self.input is not None or self.path is not None


def tables_by_name(tables: list[TableInput]) -> dict[tuple[str, bool], TableInput]:
    """The first input that foreign keys to each (resource name, in a package) resolve to."""
    found: dict[tuple[str, bool], TableInput] = {}
    for table in tables:
        if table.target:
            found.setdefault((table.name, table.in_package), table)
    return found


def resolve(item: TableInput, fk: ForeignKey, tables: dict[tuple[str, bool], TableInput]) -> Target:
    from .ours import our_tables

    name = fk.resource or item.name
    if name == item.name and item.target:
        return Target(name, input=item)
    candidate = tables.get((name, item.in_package))
    if candidate is not None:
        return Target(name, input=candidate)
    if name not in our_tables():
        return Target(name)
    if not item.in_package:
        for suffix in TABLE_SUFFIXES:
            beside = item.path.parent / f"{name}{suffix}"
            try:
                real = fs.readable(item.path.absolute().parent, beside)
            except (FileNotFoundError, fs.UnsafePath):  # absent, or not a file we may read: not a target
                continue
            if real != item.path.resolve():
                return Target(name, path=beside, shown=shown_path(beside))
    published = _published(name)
    if published is not None:
        return Target(name, path=published, shown=f"the published table {name}")
    return Target(name)


def _published(table: str) -> Path | None:
    from ..package import dataset_path

    try:
        path = dataset_path() / "data" / f"{table}.parquet"
    except FileNotFoundError:
        return None
    return path if path.is_file() else None


def referenced_keys(path: Path, table: str, fields: tuple[str, ...]) -> KeyIndex:
    """The distinct keys ``fields`` of our table ``table`` in a file that is referred to but not validated.

    Remembered while the file is unchanged (our published tables are read once per process).
    """
    stat = path.stat()
    return _referenced_keys(path, stat.st_mtime_ns, stat.st_size, table, fields)


@cache
def _referenced_keys(path: Path, mtime_ns: int, size: int, table: str, fields: tuple[str, ...]) -> KeyIndex:
    from .ours import table_spec
    from .tables import typed_batches

    item = TableInput(path, shown_path(path), TABLE_SUFFIXES[path.suffix.lower()], table, table_spec(table))
    column = KeyColumn(fields)
    opened = typed_batches(item, Findings(limit=0))
    if opened is not None:
        for batch in opened[1]:
            keys = key_of(batch, fields)
            if keys is not None:
                column.add(keys, batch.rows)
    return column.index()
