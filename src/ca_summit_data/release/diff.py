"""What changed between two published packages, and the smallest version bump it needs.

Semantic versioning for data, as this project applies it:

- **major**: a table, column or file is removed or renamed; a column's type changes; a
  constraint narrows (a new or raised minimum, a lowered maximum, an enum value removed,
  a column made required, a pattern added or changed, a model rule such as ``codeList``
  added); a primary or foreign key changes;
  the way a file is parsed changes (path, format, dialect, delimiter, missing values);
  rows are removed; the licence changes.
- **minor**: tables, columns, files or rows are added; a constraint widens.
- **patch**: values of existing rows are corrected; descriptions and other metadata change.

Schemas are compared by their Frictionless Table Schemas (fields, types, constraints,
keys); rows by the CSV resources, keyed by the primary key. A property of a column,
constraint, key or file that this module does not know is treated as breaking: a wrong
"major" costs a version number, a wrong "minor" costs users their pipelines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from ..package import Package, UnreadablePackage
from ..schema.facets import Digits, SchemaError, properties_ranked
from ..schema.rules import PROPERTY as RULES


class Level(IntEnum):
    """How big a version bump a change needs."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Change:
    level: Level
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class RowDiff:
    """Rows added, removed and changed in one table, by primary key (keys joined with '|')."""

    table: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(key, names of the columns whose values differ), for rows in both."""
    note: str | None = None

    @property
    def level(self) -> Level:
        if self.removed:
            return Level.MAJOR
        if self.added:
            return Level.MINOR
        if self.changed:
            return Level.PATCH
        return Level.NONE


@dataclass(frozen=True)
class Verdict:
    ok: bool
    minimum: str
    message: str


@dataclass(frozen=True)
class DiffResult:
    old: Package
    new: Package
    changes: tuple[Change, ...]
    rows: tuple[RowDiff, ...]
    verdict: Verdict = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "verdict", check_version(self.old.version, self.new.version, self.level, self.old.released)
        )

    @property
    def level(self) -> Level:
        levels = [c.level for c in self.changes] + [r.level for r in self.rows]
        return max(levels, default=Level.NONE)


# --------------------------------------------------------------------------- versions

_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


def parse_version(version: str) -> tuple[int, int, int]:
    match = _VERSION.match(version)
    if match is None:
        raise UnreadablePackage(f"version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def bump(version: str, level: Level) -> str:
    """The smallest version after ``version`` that a change of ``level`` needs (strict semver, also below 1.0)."""
    major, minor, patch = parse_version(version)
    if level is Level.MAJOR:
        return f"{major + 1}.0.0"
    if level is Level.MINOR:
        return f"{major}.{minor + 1}.0"
    if level is Level.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return version


def check_version(old: str, new: str, needed: Level, baseline_released: bool = True) -> Verdict:
    """Is the declared version ``new`` high enough for changes of level ``needed`` since ``old``?

    The rule: a version is released when its tag exists. Against a released baseline the
    declared version must be at least ``bump(old, needed)``. Against an unreleased
    baseline (a git revision that no tag ``v<version>`` points at) of the same version,
    the changes since it are part of that unreleased version, so any version not lower
    than the baseline's passes. A version lower than the baseline's never passes.
    """
    old_v, new_v = parse_version(old), parse_version(new)
    if new_v < old_v:
        return Verdict(False, old, f"declared version {new} is lower than the baseline's {old}")
    if needed is Level.NONE:
        return Verdict(True, old, f"declared version {new}: ok (nothing changed that needs a new version)")
    if not baseline_released:
        return Verdict(
            True,
            old,
            f"declared version {new}: ok (the baseline's version {old} is not released: no tag v{old} on it, "
            f"so the changes since it belong to the unreleased {old} or later; against a release, "
            f"{bump(old, needed)} would be needed)",
        )
    minimum = bump(old, needed)
    if new_v < parse_version(minimum):
        return Verdict(False, minimum, f"declared version {new} is too low: the changes need {minimum} or later")
    return Verdict(True, minimum, f"declared version {new}: ok (at least {minimum})")


# --------------------------------------------------------------------------- schemas

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")
_FLAGS = ("required", "unique", *properties_ranked("flag"))
_PATTERNS = ("pattern", *properties_ranked("value"))
_MODEL_RULES = (*properties_ranked("value"), *properties_ranked("flag"))
_DIGITS = properties_ranked("digits")
"""Field properties for the rules our models add (see ``export.datapackage``): ranked like constraints."""
_DOC_KEYS = frozenset({"title", "description", "example", "examples", "rdfType"})
_FILE_KEYS = frozenset({"path", "format", "mediatype", "encoding", "scheme", "dialect", "compression", "type"})


def _values(items: Any) -> set[str] | None:
    """Enum or category values as a set of canonical strings (categories may be {value, label})."""
    if not isinstance(items, list):
        return None
    return {str(i.get("value")) if isinstance(i, dict) else str(i) for i in items}


def _compare_bound(old: Any, new: Any, lower: bool) -> Level:
    if old is None:
        return Level.MAJOR  # a new bound narrows
    if new is None:
        return Level.MINOR  # a bound dropped widens
    try:
        narrower = new > old if lower else new < old
        wider = new < old if lower else new > old
    except TypeError:
        return Level.MAJOR
    return Level.MAJOR if narrower else Level.MINOR if wider else Level.NONE


def compare_constraints(
    where: str, old: dict[str, Any], new: dict[str, Any], label: str = "constraint"
) -> list[Change]:
    """Constraint (or model rule) changes of one column: narrowing is major, widening minor."""
    changes: list[Change] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key in _FLAGS:
            level = Level.MAJOR if after is True else Level.MINOR if before is True else Level.NONE
            if level is not Level.NONE:
                verb = "now" if after is True else "no longer"
                changes.append(Change(level, where, f"{verb} {key}"))
            continue
        if key in _LOWER_BOUNDS or key in _UPPER_BOUNDS:
            level = _compare_bound(before, after, lower=key in _LOWER_BOUNDS)
        elif key == "enum":
            old_set, new_set = _values(before), _values(after)
            if old_set is not None and new_set is not None:
                added, removed = sorted(new_set - old_set), sorted(old_set - new_set)
                if not added and not removed:
                    changes.append(Change(Level.PATCH, where, f"{label} enum: order of the values changed"))
                    continue
                level = Level.MAJOR if removed else Level.MINOR
                parts = ([f"values added: {', '.join(added)}"] if added else []) + (
                    [f"values removed: {', '.join(removed)}"] if removed else []
                )
                changes.append(Change(level, where, f"{label} enum changed ({'; '.join(parts)})"))
                continue
            level = Level.MINOR if after is None else Level.MAJOR
        elif key in _PATTERNS:
            level = Level.MINOR if after is None else Level.MAJOR
        else:
            level = Level.MAJOR  # a constraint we cannot rank
        changes.append(Change(level, where, f"{label} {key} {_transition(before, after)}"))
    return changes


def _transition(before: Any, after: Any) -> str:
    if before is None:
        return f"added ({after!r})"
    if after is None:
        return f"removed (was {before!r})"
    return f"changed from {before!r} to {after!r}"


def _split_digits(field: dict[str, Any]) -> tuple[int, int] | str | None:
    """(digits before the point, digits after it) a field allows; None if unlimited, "?" if malformed."""
    try:
        digits = Digits.read(field, "field")
    except SchemaError:
        return "?"
    return None if digits is None else (digits.whole, digits.places)


def _compare_digits(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """``maxDigits`` counts every digit, so the pair is ranked by what it allows on each side of the point:
    (30, 4) -> (30, 6) leaves 24 digits before the point instead of 26, which narrows."""
    before, after = _split_digits(old), _split_digits(new)
    if before == after and all(old.get(k) == new.get(k) for k in _DIGITS):
        return []
    if isinstance(before, str) or isinstance(after, str):
        level = Level.MAJOR  # a limit we cannot read
    elif before is None:
        level = Level.MAJOR
    elif after is None:
        level = Level.MINOR
    else:
        level = max(_compare_bound(b, a, lower=False) for b, a in zip(before, after, strict=True))
    was = tuple(old.get(k) for k in _DIGITS)
    now = tuple(new.get(k) for k in _DIGITS)
    return [Change(level, where, f"rule maxDigits/decimalPlaces changed from {was} to {now}")]


def compare_field(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Changes of one column that keeps its name."""
    where = f"{table}.{new.get('name')}"
    changes: list[Change] = []
    changes += compare_constraints(
        where, {k: old[k] for k in _MODEL_RULES if k in old}, {k: new[k] for k in _MODEL_RULES if k in new}, "rule"
    )
    changes += _compare_digits(where, old, new)
    for key in sorted((set(old) | set(new)) - {"name", *_MODEL_RULES, *_DIGITS}):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "type":
            changes.append(Change(Level.MAJOR, where, f"type changed from {before or 'any'} to {after or 'any'}"))
        elif key == "constraints":
            changes += compare_constraints(where, dict(before or {}), dict(after or {}))
        elif key == "categories" and (
            "enum" in (old.get("constraints") or {}) or "enum" in (new.get("constraints") or {})
        ):
            continue  # the enum constraint carries the same values and is reported once
        elif key == "categories":
            old_set, new_set = _values(before), _values(after)
            wider = old_set is not None and new_set is not None and new_set > old_set
            level = Level.MINOR if wider or after is None else Level.MAJOR
            changes.append(Change(level, where, f"categories {_transition(before, after)}"))
        elif key in _DOC_KEYS:
            changes.append(Change(Level.PATCH, where, f"{key} changed"))
        else:
            changes.append(Change(Level.MAJOR, where, f"{key} {_transition(before, after)}"))
    return changes


def _key(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _foreign_keys(schema: dict[str, Any]) -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for fk in schema.get("foreignKeys") or []:
        if not isinstance(fk, dict):
            continue
        reference = fk.get("reference") or {}
        fields = tuple(_key(fk.get("fields")))
        out[fields] = f"{reference.get('resource', '')}.{','.join(_key(reference.get('fields')))}"
    return out


def _fields(schema: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        raise UnreadablePackage(f"{where}: Table Schema has no valid 'fields' list")
    return {f["name"]: f for f in fields}


def _rules(schema: dict[str, Any]) -> set[str]:
    """A schema's rules (``schema.rules``), each as canonical text: adding one narrows, removing one widens."""
    rules = schema.get(RULES) or []
    return {json.dumps(r, sort_keys=True) for r in rules} if isinstance(rules, list) else {json.dumps(rules)}


def compare_table_schema(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Changes between two Table Schemas of the same table."""
    old_fields, new_fields = _fields(old, table), _fields(new, table)
    changes: list[Change] = []
    removed = [n for n in old_fields if n not in new_fields]
    added = [n for n in new_fields if n not in old_fields]
    old_names, new_names = list(old_fields), list(new_fields)
    for name in removed:
        hint = ""
        position = old_names.index(name)
        if position < len(new_names) and new_names[position] in added:
            candidate = new_fields[new_names[position]]
            same = {k: v for k, v in candidate.items() if k not in _DOC_KEYS | {"name"}} == {
                k: v for k, v in old_fields[name].items() if k not in _DOC_KEYS | {"name"}
            }
            if same:
                hint = f" (renamed to '{candidate['name']}'?)"
        changes.append(Change(Level.MAJOR, f"{table}.{name}", f"column removed{hint}"))
    for name in added:
        changes.append(Change(Level.MINOR, f"{table}.{name}", "column added"))
    common_old = [n for n in old_names if n in new_fields]
    common_new = [n for n in new_names if n in old_fields]
    if common_old != common_new:
        changes.append(Change(Level.MAJOR, table, "column order changed"))
    for name in common_new:
        changes += compare_field(table, old_fields[name], new_fields[name])
    if _key(old.get("primaryKey")) != _key(new.get("primaryKey")):
        changes.append(
            Change(
                Level.MAJOR,
                table,
                f"primary key changed from {_key(old.get('primaryKey'))} to {_key(new.get('primaryKey'))}",
            )
        )
    old_fks, new_fks = _foreign_keys(old), _foreign_keys(new)
    for columns, target in old_fks.items():
        if new_fks.get(columns) != target:
            changes.append(Change(Level.MAJOR, table, f"foreign key {list(columns)} -> {target} removed or changed"))
    for columns, target in new_fks.items():
        if columns not in old_fks:
            on_new_columns = all(c in added for c in columns)
            level = Level.MINOR if on_new_columns else Level.MAJOR
            changes.append(Change(level, table, f"foreign key {list(columns)} -> {target} added"))
    old_rules, new_rules = _rules(old), _rules(new)
    for rule in sorted(new_rules - old_rules):
        # A rule is checked only where all its columns are present: one that names a column added here
        # cannot refuse a file written to the old schema, so it narrows nothing that was valid.
        names = json.loads(rule).get("fields") if rule.startswith("{") else None
        on_new_column = isinstance(names, list) and any(n in added for n in names)
        level = Level.MINOR if on_new_column else Level.MAJOR
        changes.append(Change(level, table, f"rule added: {rule}" + (" (on a new column)" if on_new_column else "")))
    for rule in sorted(old_rules - new_rules):
        changes.append(Change(Level.MINOR, table, f"rule removed: {rule}"))
    for key in sorted((set(old) | set(new)) - {"fields", "primaryKey", "foreignKeys", "$schema", RULES}):
        if old.get(key) != new.get(key):
            level = Level.PATCH if key in _DOC_KEYS else Level.MAJOR
            changes.append(Change(level, table, f"schema {key} {_transition(old.get(key), new.get(key))}"))
    return changes


def compare_resources(old: Package, new: Package) -> list[Change]:
    """Files and tables added, removed or changed, and package metadata."""
    changes: list[Change] = []
    old_res = {r["name"]: r for r in old.resources()}
    new_res = {r["name"]: r for r in new.resources()}
    for name in old_res:
        if name not in new_res:
            kind = "table" if "schema" in old_res[name] else "file"
            changes.append(Change(Level.MAJOR, name, f"{kind} removed"))
    for name in new_res:
        if name not in old_res:
            kind = "table" if "schema" in new_res[name] else "file"
            changes.append(Change(Level.MINOR, name, f"{kind} added"))
    for name, after in new_res.items():
        before = old_res.get(name)
        if before is None:
            continue
        if isinstance(before.get("schema"), dict) and isinstance(after.get("schema"), dict):
            changes += compare_table_schema(name, before["schema"], after["schema"])
        elif before.get("schema") != after.get("schema"):
            changes.append(Change(Level.MAJOR, name, "Table Schema added or removed"))
        for key in sorted((set(before) | set(after)) - {"name", "schema", "bytes", "hash"}):
            if before.get(key) == after.get(key):
                continue
            level = Level.PATCH if key in _DOC_KEYS else Level.MAJOR
            shown = _transition(before.get(key), after.get(key)) if key in _FILE_KEYS else "changed"
            changes.append(Change(level, name, f"{key} {shown}"))
        if "schema" not in after and before.get("hash") != after.get("hash"):
            changes.append(Change(Level.NONE, name, "file content changed (it is made from the tables)"))
    old_meta = {k: v for k, v in old.descriptor.items() if k not in {"resources", "version"}}
    new_meta = {k: v for k, v in new.descriptor.items() if k not in {"resources", "version"}}
    for key in sorted(set(old_meta) | set(new_meta)):
        if old_meta.get(key) != new_meta.get(key):
            level = Level.MAJOR if key in {"name", "licenses"} else Level.PATCH
            changes.append(Change(level, "package", f"{key} changed"))
    return changes


# --------------------------------------------------------------------------- rows


Rows = Any
"""A table's rows: a pyarrow Table of text columns, or (for small inputs) a list of dicts."""

_KEY = "__ca_summit_key__"


def _compute() -> Any:
    """pyarrow.compute, typed loosely (its stubs cannot follow compute results)."""
    import pyarrow.compute

    return pyarrow.compute


def _as_table(rows: Rows) -> Any:
    import pyarrow as pa

    if isinstance(rows, pa.Table):
        return rows
    names = list(dict.fromkeys(name for row in rows for name in row))
    return pa.table({n: pa.array([row.get(n, "") for row in rows], pa.string()) for n in names})


def _keys(table: str, label: str, rows: Any, key: list[str]) -> Any:
    """The primary key of each row as one text value; a missing key column or a repeated key is refused."""
    import pyarrow as pa

    pc = _compute()
    missing = [k for k in key if k not in rows.column_names]
    if missing:
        if rows.num_rows:
            raise UnreadablePackage(f"{label}: table {table} has no primary key column {missing[0]!r}")
        return pa.array([], pa.string())
    parts = [pc.cast(rows.column(k), pa.string()).combine_chunks() for k in key]
    keys = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "|")
    if len(pc.unique(keys)) != len(keys):
        counts = pc.value_counts(keys)
        twice = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))[0].as_py()
        raise UnreadablePackage(f"{label}: table {table} has primary key {twice!r} twice")
    return keys


def compare_rows(
    table: str,
    key: list[str],
    old_rows: Rows,
    new_rows: Rows,
    old_label: str = "old",
    new_label: str = "new",
) -> RowDiff:
    """Rows added, removed and changed (in the columns both sides have), by primary key.

    Done in Arrow, column by column: both tables are held as text once (their size is
    bounded by ``MAX_DIFF_TABLE_BYTES`` when read), never as Python rows.
    """
    import pyarrow as pa

    pc = _compute()
    old, new = _as_table(old_rows), _as_table(new_rows)
    old_keys, new_keys = _keys(table, old_label, old, key), _keys(table, new_label, new, key)
    added = tuple(sorted(pc.filter(new_keys, pc.invert(pc.is_in(new_keys, value_set=old_keys))).to_pylist()))
    removed = tuple(sorted(pc.filter(old_keys, pc.invert(pc.is_in(old_keys, value_set=new_keys))).to_pylist()))
    common = [c for c in new.column_names if c in old.column_names]
    if not len(old_keys) or not len(new_keys) or not common:
        return RowDiff(table, added, removed, ())
    left = pa.table({_KEY: old_keys, **{f"old {c}": pc.cast(old.column(c), pa.string()) for c in common}})
    right = pa.table({_KEY: new_keys, **{f"new {c}": pc.cast(new.column(c), pa.string()) for c in common}})
    both = left.join(right, _KEY, join_type="inner").sort_by(_KEY)
    differs = {
        c: pc.fill_null(pc.not_equal(both.column(f"old {c}"), both.column(f"new {c}")), True).combine_chunks()
        for c in common
    }
    any_change = pa.array([False] * both.num_rows, pa.bool_())
    for mask in differs.values():
        any_change = pc.or_(any_change, mask)
    rows = pc.indices_nonzero(any_change)
    keys = pc.take(both.column(_KEY), rows).to_pylist()
    flags = {c: pc.take(mask, rows).to_pylist() for c, mask in differs.items()}
    changed = tuple((str(k), tuple(c for c in common if flags[c][i])) for i, k in enumerate(keys))
    return RowDiff(table, added, removed, changed)


def diff_packages(old: Package, new: Package) -> DiffResult:
    """Every schema and row change from ``old`` to ``new``, with the verdict on ``new``'s version."""
    changes = compare_resources(old, new)
    old_tables = set(old.table_names())
    rows: list[RowDiff] = []
    for name in new.table_names():
        new_rows = new.table(name)
        if name not in old_tables:
            rows.append(RowDiff(name, note=f"new table with {new_rows.num_rows} rows"))
            continue
        old_key = _key(old.resource(name)["schema"].get("primaryKey"))
        new_key = _key(new.resource(name)["schema"].get("primaryKey"))
        if not new_key or old_key != new_key:
            rows.append(RowDiff(name, note="rows not compared: the primary key changed or is missing"))
            continue
        rows.append(compare_rows(name, new_key, old.table(name), new_rows, old.label, new.label))
    return DiffResult(old, new, tuple(changes), tuple(rows))


# --------------------------------------------------------------------------- reports

_SHOWN_KEYS = 20


def _keys_lines(mark: str, keys: list[str]) -> list[str]:
    lines = [f"    {mark} {k}" for k in keys[:_SHOWN_KEYS]]
    if len(keys) > _SHOWN_KEYS:
        lines.append(f"    … and {len(keys) - _SHOWN_KEYS} more")
    return lines


def render_text(result: DiffResult) -> str:
    old, new = result.old, result.new
    released = "" if old.released else ", not a release"
    lines = [f"old: {old.label}, version {old.version}{released}", f"new: {new.label}, version {new.version}", ""]
    shown = [c for c in result.changes if c.level is not Level.NONE]
    info = [c for c in result.changes if c.level is Level.NONE]
    lines.append(f"schema and metadata changes: {len(shown) or 'none'}")
    for level in (Level.MAJOR, Level.MINOR, Level.PATCH):
        lines += [f"  {level.label:<6} {c}" for c in shown if c.level is level]
    lines += [f"  note   {c}" for c in info]
    lines += ["", "rows:"]
    for diff in result.rows:
        if diff.note:
            lines.append(f"  {diff.table}: {diff.note}")
            continue
        if diff.level is Level.NONE:
            lines.append(f"  {diff.table}: unchanged")
            continue
        lines.append(
            f"  {diff.table}: {len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
        )
        lines += _keys_lines("+", list(diff.added)) + _keys_lines("-", list(diff.removed))
        lines += _keys_lines("~", [f"{k}: {', '.join(cols)}" for k, cols in diff.changed])
    lines += ["", f"smallest version bump needed: {result.level.label}", result.verdict.message]
    return "\n".join(lines) + "\n"


def as_json(result: DiffResult) -> dict[str, Any]:
    """The result as plain data, for ``diff --json``."""
    return {
        "old": {"label": result.old.label, "version": result.old.version, "released": result.old.released},
        "new": {"label": result.new.label, "version": result.new.version},
        "bump": result.level.label,
        "changes": [{"level": c.level.label, "where": c.where, "message": c.message} for c in result.changes],
        "rows": [
            {
                "table": r.table,
                "added": list(r.added),
                "removed": list(r.removed),
                "changed": [{"key": k, "columns": list(cols)} for k, cols in r.changed],
                "note": r.note,
            }
            for r in result.rows
        ],
        "version_ok": result.verdict.ok,
        "minimum_version": result.verdict.minimum,
        "verdict": result.verdict.message,
    }
