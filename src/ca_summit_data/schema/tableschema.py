"""What a table must look like, read from a Frictionless Table Schema: ``TableSpec``.

The validator never keeps its own list of columns: a table's ``TableSpec`` is read from
its Table Schema, either ours (generated from the models and installed with the package,
see ``validation.ours``) or the one a user's ``datapackage.json`` declares. We support
the subset of Table Schema listed in ``docs/validating.md`` (types, their constraints,
keys, missing values, boolean values), plus the custom field properties of ``facets``
(``codeList``, ``plainText``, ``maxDigits`` with ``decimalPlaces``, ``itemPattern``) and
the schema's ``rules`` (``rules``), which any schema may use. Anything else is refused
with ``UnsupportedSchema`` (exit code 2) rather than silently not checked.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from .facets import PROPERTIES, Facet, SchemaError, checked_pattern, read_facets
from .rules import PROPERTY as RULES_PROPERTY
from .rules import Rule, read_rules

LogicalType = Literal["string", "integer", "number", "boolean", "date", "list", "any"]
F = TypeVar("F", bound=Facet)

DEFAULT_MISSING_VALUES = ("",)
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")
DEFAULT_LIST_DELIMITER = ","

BOUND_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_CONSTRAINTS: dict[str, frozenset[str]] = {
    "string": frozenset({"required", "unique", "enum", "pattern", "minLength", "maxLength"}),
    "integer": frozenset({"required", "unique", "enum", *BOUND_CONSTRAINTS}),
    "number": frozenset({"required", "unique", "enum", *BOUND_CONSTRAINTS}),
    "date": frozenset({"required", "unique", "enum", *BOUND_CONSTRAINTS}),
    "boolean": frozenset({"required", "unique", "enum"}),
    "list": frozenset({"required", "minLength", "maxLength"}),
    "any": frozenset({"required", "unique", "enum"}),
}
# Field properties that only describe (they never change what is valid).
_DESCRIPTIVE = frozenset(
    {"name", "type", "format", "title", "description", "example", "examples", "rdfType", "constraints",
     "categories", "categoriesOrdered", "missingValues", "trueValues", "falseValues", "delimiter", "itemType"}
)
_SCHEMA_KEYS = frozenset(
    {"fields", "primaryKey", "foreignKeys", "missingValues", "$schema", "profile", "name", "title", "description",
     "fieldsMatch", "uniqueKeys", RULES_PROPERTY}
)


class UnsupportedSchema(SchemaError):
    """The Table Schema uses something this validator does not check (say which, never guess)."""


@dataclass(frozen=True)
class FieldSpec:
    """One column: its logical type and constraints, plus the rules our columns add (``facets``).

    The facets come from the custom properties of the field: our own Table Schemas carry
    them, and ``validation.ours`` adds ours to a user's columns named like ours.
    """

    name: str
    type: LogicalType = "string"
    required: bool = False
    unique: bool = False
    enum: tuple[Any, ...] | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    bounds: tuple[tuple[str, Any], ...] = ()
    missing_values: tuple[str, ...] | None = None
    true_values: tuple[str, ...] = DEFAULT_TRUE_VALUES
    false_values: tuple[str, ...] = DEFAULT_FALSE_VALUES
    delimiter: str = DEFAULT_LIST_DELIMITER
    facets: tuple[Facet, ...] = ()

    def facet(self, kind: builtins.type[F]) -> F | None:
        """The facet of that kind this field has, if any."""
        for facet in self.facets:
            if isinstance(facet, kind):
                return facet
        return None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    """The referenced resource; "" means the table itself."""
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    missing_values: tuple[str, ...] = DEFAULT_MISSING_VALUES
    rules: tuple[Rule, ...] = ()
    model_table: str | None = None
    """Our table this is, if it is one (its columns carry our facets and rules)."""

    def get(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def missing_for(self, spec: FieldSpec) -> tuple[str, ...]:
        return self.missing_values if spec.missing_values is None else spec.missing_values


def _names(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise UnsupportedSchema(f"{where} must be a field name or a list of field names")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UnsupportedSchema(f"{where} must be a list of strings")
    return tuple(value)


def _field(raw: Any, table: str) -> FieldSpec:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
        raise UnsupportedSchema(f"table {table!r}: every field needs a name")
    name = raw["name"]
    where = f"table {table!r}, field {name!r}"
    kind = raw.get("type", "string")
    if not isinstance(kind, str) or kind not in _CONSTRAINTS:
        raise UnsupportedSchema(f"{where}: type {kind!r} is not supported (supported: {', '.join(_CONSTRAINTS)})")
    if raw.get("format", "default") != "default":
        raise UnsupportedSchema(f"{where}: format {raw['format']!r} is not supported (only the default format)")
    unknown = set(raw) - _DESCRIPTIVE - PROPERTIES
    if unknown:
        raise UnsupportedSchema(f"{where}: field properties {', '.join(sorted(unknown))} are not supported")
    if kind == "list" and raw.get("itemType", "string") != "string":
        raise UnsupportedSchema(f"{where}: only lists of strings are supported (itemType 'string')")
    constraints = raw.get("constraints", {})
    if not isinstance(constraints, Mapping):
        raise UnsupportedSchema(f"{where}: constraints must be an object")
    unsupported = set(constraints) - _CONSTRAINTS[kind]
    if unsupported:
        raise UnsupportedSchema(f"{where}: constraints {', '.join(sorted(unsupported))} are not supported for {kind}")
    enum = constraints.get("enum")
    if enum is not None and not isinstance(enum, list):
        raise UnsupportedSchema(f"{where}: enum must be a list")
    pattern = constraints.get("pattern")
    if pattern is not None:
        _checked(checked_pattern, pattern, f"{where}: pattern")
    lengths = {k: constraints.get(k) for k in ("minLength", "maxLength")}
    for key, length in lengths.items():
        if length is not None and (not isinstance(length, int) or isinstance(length, bool)):
            raise UnsupportedSchema(f"{where}: {key} must be an integer")
    delimiter = raw.get("delimiter", DEFAULT_LIST_DELIMITER)
    if not isinstance(delimiter, str) or not delimiter:
        raise UnsupportedSchema(f"{where}: delimiter must be a non-empty string")
    return FieldSpec(
        name=name,
        type=cast(LogicalType, kind),
        required=constraints.get("required") is True,
        unique=constraints.get("unique") is True,
        enum=None if enum is None else tuple(enum),
        pattern=pattern,
        min_length=lengths["minLength"],
        max_length=lengths["maxLength"],
        bounds=tuple((k, constraints[k]) for k in BOUND_CONSTRAINTS if k in constraints),
        missing_values=(
            None if "missingValues" not in raw else _strings(raw["missingValues"], f"{where}: missingValues")
        ),
        true_values=_strings(raw.get("trueValues", list(DEFAULT_TRUE_VALUES)), f"{where}: trueValues"),
        false_values=_strings(raw.get("falseValues", list(DEFAULT_FALSE_VALUES)), f"{where}: falseValues"),
        delimiter=delimiter,
        facets=_checked(read_facets, raw, kind, where),
    )


def _checked(read: Any, *args: Any) -> Any:
    """``read(*args)``, a ``SchemaError`` of it re-raised as ``UnsupportedSchema`` (exit code 2)."""
    try:
        return read(*args)
    except UnsupportedSchema:
        raise
    except SchemaError as exc:
        raise UnsupportedSchema(str(exc)) from None


def from_table_schema(schema: Any, name: str) -> TableSpec:
    """Read a Table Schema (a dict, as in a descriptor) into a TableSpec, refusing what we do not support."""
    if not isinstance(schema, Mapping):
        raise UnsupportedSchema(f"table {name!r}: the schema must be an object")
    unknown = set(schema) - _SCHEMA_KEYS
    if unknown:
        raise UnsupportedSchema(f"table {name!r}: schema properties {', '.join(sorted(unknown))} are not supported")
    if schema.get("fieldsMatch", "exact") != "exact":
        raise UnsupportedSchema(f"table {name!r}: only fieldsMatch 'exact' (the default) is supported")
    if schema.get("uniqueKeys"):
        raise UnsupportedSchema(f"table {name!r}: uniqueKeys is not supported")
    raw_fields = schema.get("fields")
    if not isinstance(raw_fields, list):
        raise UnsupportedSchema(f"table {name!r}: the schema has no list of fields")
    fields = tuple(_field(f, name) for f in raw_fields)
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise UnsupportedSchema(f"table {name!r}: two fields have the same name")
    primary_key = _names(schema["primaryKey"], f"table {name!r}: primaryKey") if schema.get("primaryKey") else ()
    foreign_keys = []
    declared = schema.get("foreignKeys") or []
    if not isinstance(declared, list):
        raise UnsupportedSchema(f"table {name!r}: foreignKeys must be a list")
    for fk in declared:
        reference = fk.get("reference") if isinstance(fk, Mapping) else None
        if not isinstance(reference, Mapping) or not isinstance(reference.get("resource", ""), str):
            raise UnsupportedSchema(f"table {name!r}: every foreign key needs a reference to a resource")
        source = _names(fk.get("fields"), f"table {name!r}: foreignKeys fields")
        target = _names(reference.get("fields"), f"table {name!r}: foreignKeys reference fields")
        if len(source) != len(target):
            raise UnsupportedSchema(f"table {name!r}: a foreign key's fields and reference fields differ in number")
        foreign_keys.append(ForeignKey(source, reference.get("resource", ""), target))
    for key in (primary_key, *(fk.fields for fk in foreign_keys)):
        for column in key:
            if column not in names:
                raise UnsupportedSchema(f"table {name!r}: key field {column!r} is not a field of the schema")
    missing = _strings(schema.get("missingValues", list(DEFAULT_MISSING_VALUES)), f"table {name!r}: missingValues")
    rules = _checked(read_rules, schema.get(RULES_PROPERTY), set(names), f"table {name!r}")
    return TableSpec(name, fields, primary_key, tuple(foreign_keys), missing, rules)
