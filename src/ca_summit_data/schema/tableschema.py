"""What a table must look like, read from a Frictionless Table Schema: ``TableSpec``.

The validator never keeps its own list of columns: a table's ``TableSpec`` is read from
its Table Schema, either ours (generated from the models and installed with the package,
see ``validation.ours``) or the one a user's ``datapackage.json`` declares. Every type,
format and constraint of Table Schema (Data Package v2, and v1 descriptors as its
compatibility notes say) is read here, each type's own rules from its class in
``fieldtypes``; plus the custom field properties of ``facets`` (``codeList``,
``plainText``, ``maxDigits`` with ``decimalPlaces``, ``itemPattern``, ``partialDate``)
and the schema's ``rules`` (``rules``), which any schema may use. Anything malformed or
unknown is refused with ``UnsupportedSchema`` (exit code 2) rather than silently not
checked.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from . import jsonvalues
from .facets import PROPERTIES, Facet, SchemaError, checked_pattern, read_facets
from .fieldtypes import BOUND_CONSTRAINTS, DEFAULT_LIST_DELIMITER, TYPE_PROPERTIES, TYPES, FieldType
from .rules import PROPERTY as RULES_PROPERTY
from .rules import Rule, read_rules

LogicalType = Literal["string", "number", "integer", "boolean", "object", "array", "list", "datetime", "date",
                      "time", "year", "yearmonth", "duration", "geopoint", "geojson", "any"]
F = TypeVar("F", bound=Facet)

DEFAULT_MISSING_VALUES = ("",)
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")

_CONSTRAINT_NAMES = frozenset({"required", "unique", "enum", "pattern", "minLength", "maxLength", *BOUND_CONSTRAINTS,
                               "jsonSchema"})
# Field properties that only describe (they never change what is valid), and the types' own (``fieldtypes``).
_DESCRIPTIVE = frozenset(
    {"name", "type", "format", "title", "description", "example", "examples", "rdfType", "constraints",
     "categories", "categoriesOrdered", "missingValues"}
) | TYPE_PROPERTIES
_FIELD_FLAGS = frozenset({"required"})  # v2: a field's own ``required``, as in its constraints
_SCHEMA_KEYS = frozenset(
    {"fields", "primaryKey", "foreignKeys", "missingValues", "$schema", "profile", "name", "title", "description",
     "fieldsMatch", "uniqueKeys", RULES_PROPERTY}
)
FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")
CATEGORY_TYPES = ("string", "integer")


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
    format: str = "default"
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
    item_type: str = "string"
    bare_number: bool = True
    group_char: str | None = None
    decimal_char: str = "."
    categories: tuple[Any, ...] | None = None
    json_schema: str | None = None
    """The ``jsonSchema`` constraint, as JSON text (a spec stays hashable)."""
    facets: tuple[Facet, ...] = ()

    @property
    def kind(self) -> FieldType:
        """The field's type: how its cells are read, compared and described (``fieldtypes``)."""
        return TYPES[self.type]

    @property
    def lexical_options(self) -> bool:
        """Whether numbers are written other than plainly (``bareNumber``, ``groupChar``, ``decimalChar``)."""
        return not self.bare_number or self.group_char is not None or self.decimal_char != "."

    def item_field(self) -> FieldSpec:
        """A plain field of the list's item type, named as the list (how each item is read)."""
        return FieldSpec(self.name, type=cast(LogicalType, self.item_type))

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
    fields_match: str = "exact"
    """How the file's columns meet the fields: by position (exact) or by name (equal, subset, superset, partial)."""
    unique_keys: tuple[tuple[str, ...], ...] = ()
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


def _missing_values(value: Any, where: str) -> tuple[str, ...]:
    """Strings, or (Data Package v2) objects with a string ``value`` and an optional ``label``."""
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        if not all(isinstance(v.get("value"), str) for v in value):
            raise UnsupportedSchema(f"{where}: each object needs a string value")
        return tuple(v["value"] for v in value)
    return _strings(value, where)


def _length(value: Any, where: str) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise UnsupportedSchema(f"{where} must be a non-negative integer")
    return value


def _json_schema(value: Any, where: str) -> str:
    """The ``jsonSchema`` constraint, checked to be a JSON Schema (a broken one is exit 2, not a crash per cell)."""
    if not isinstance(value, Mapping):
        raise UnsupportedSchema(f"{where} must be an object")
    from jsonschema import SchemaError as BadJsonSchema
    from jsonschema import validators

    try:
        validators.validator_for(value).check_schema(value)
    except BadJsonSchema as exc:
        raise UnsupportedSchema(f"{where} is not a valid JSON Schema: {exc.message}") from None
    return jsonvalues.canonical(value)


def _categories(value: Any, kind: str, where: str) -> tuple[Any, ...]:
    if kind not in CATEGORY_TYPES:
        raise UnsupportedSchema(f"{where}: categories may only be given for {' and '.join(CATEGORY_TYPES)} fields")
    if not isinstance(value, list) or not value:
        raise UnsupportedSchema(f"{where}: categories must be a non-empty list")
    if all(isinstance(v, Mapping) for v in value):
        if not all("value" in v for v in value):
            raise UnsupportedSchema(f"{where}: each category object needs a value")
        return tuple(v["value"] for v in value)
    return tuple(value)


def _type_name(raw: Mapping[str, Any], version: int, where: str) -> str:
    """The field's type; absent, ``string`` for a v1 schema and ``any`` for a v2 one, as each version says."""
    kind = raw.get("type", "any" if version >= 2 else "string")
    if not isinstance(kind, str) or kind not in TYPES:
        raise UnsupportedSchema(f"{where}: type {kind!r} is not a Table Schema type (one of: {', '.join(TYPES)})")
    return kind


def _field(raw: Any, table: str, version: int = 1) -> FieldSpec:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
        raise UnsupportedSchema(f"table {table!r}: every field needs a name")
    name = raw["name"]
    where = f"table {table!r}, field {name!r}"
    kind = _type_name(raw, version, where)
    field_type = TYPES[kind]
    unknown = set(raw) - _DESCRIPTIVE - _FIELD_FLAGS - PROPERTIES
    if unknown:
        raise UnsupportedSchema(f"{where}: field properties {', '.join(sorted(unknown))} are not supported")
    constraints = raw.get("constraints", {})
    if not isinstance(constraints, Mapping):
        raise UnsupportedSchema(f"{where}: constraints must be an object")
    unknown = set(constraints) - _CONSTRAINT_NAMES
    if unknown:
        raise UnsupportedSchema(f"{where}: constraints {', '.join(sorted(unknown))} are not Table Schema constraints")
    unsupported = set(constraints) - field_type.constraints
    if unsupported:
        raise UnsupportedSchema(f"{where}: constraints {', '.join(sorted(unsupported))} do not apply to type {kind}")
    for flag in ("required", "unique"):
        if flag in constraints and not isinstance(constraints[flag], bool):
            raise UnsupportedSchema(f"{where}: {flag} must be true or false")
    if "required" in raw and not isinstance(raw["required"], bool):  # Table Schema v2 also puts it on the field
        raise UnsupportedSchema(f"{where}: required must be true or false")
    enum = constraints.get("enum")
    if enum is not None and not isinstance(enum, list):
        raise UnsupportedSchema(f"{where}: enum must be a list")
    pattern = constraints.get("pattern")
    if pattern is not None:
        _checked(checked_pattern, pattern, f"{where}: pattern")
    options = _checked(field_type.read_options, raw, where)
    spec = FieldSpec(
        name=name,
        type=cast(LogicalType, kind),
        format=_checked(field_type.read_format, raw.get("format", "default"), where),
        required=constraints.get("required") is True or raw.get("required") is True,
        unique=constraints.get("unique") is True,
        enum=None if enum is None else tuple(enum),
        pattern=pattern,
        min_length=_length(constraints.get("minLength"), f"{where}: minLength"),
        max_length=_length(constraints.get("maxLength"), f"{where}: maxLength"),
        bounds=tuple((k, constraints[k]) for k in BOUND_CONSTRAINTS if k in constraints),
        missing_values=(
            None if "missingValues" not in raw else _missing_values(raw["missingValues"], f"{where}: missingValues")
        ),
        categories=None if "categories" not in raw else _categories(raw["categories"], kind, where),
        json_schema=None if "jsonSchema" not in constraints else _json_schema(constraints["jsonSchema"],
                                                                             f"{where}: jsonSchema"),
        facets=_checked(read_facets, raw, kind, where),
        **options,
    )
    _check_constants(spec, where)
    return spec


def _check_constants(spec: FieldSpec, where: str) -> None:
    """Every enum member, category and bound must be a value of the field's type (else the schema is refused)."""
    kind = spec.kind
    if spec.enum is not None:
        _checked(kind.members, spec, spec.enum, f"{where}: enum member")
    if spec.categories is not None:
        _checked(kind.members, spec, spec.categories, f"{where}: category")
    for name, raw in spec.bounds:
        _checked(kind.constant, spec, raw, f"{where}: {name}")


def _checked(read: Any, *args: Any) -> Any:
    """``read(*args)``, a ``SchemaError`` of it re-raised as ``UnsupportedSchema`` (exit code 2)."""
    try:
        return read(*args)
    except UnsupportedSchema:
        raise
    except SchemaError as exc:
        raise UnsupportedSchema(str(exc)) from None


def _version(schema: Mapping[str, Any]) -> int:
    """2 for a schema whose ``$schema`` names the v2 profile; 1 otherwise (the spec's default)."""
    profile = schema.get("$schema", schema.get("profile"))
    return 2 if isinstance(profile, str) and "/2." in profile else 1


def from_table_schema(schema: Any, name: str) -> TableSpec:
    """Read a Table Schema (a dict, as in a descriptor) into a TableSpec, refusing what we cannot check."""
    if not isinstance(schema, Mapping):
        raise UnsupportedSchema(f"table {name!r}: the schema must be an object")
    unknown = set(schema) - _SCHEMA_KEYS
    if unknown:
        raise UnsupportedSchema(f"table {name!r}: schema properties {', '.join(sorted(unknown))} are not supported")
    fields_match = schema.get("fieldsMatch", "exact")
    if fields_match not in FIELDS_MATCH:
        raise UnsupportedSchema(f"table {name!r}: fieldsMatch must be one of {', '.join(FIELDS_MATCH)}")
    raw_fields = schema.get("fields")
    if not isinstance(raw_fields, list):
        raise UnsupportedSchema(f"table {name!r}: the schema has no list of fields")
    version = _version(schema)
    fields = tuple(_field(f, name, version) for f in raw_fields)
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
    unique_keys = schema.get("uniqueKeys")
    if unique_keys is not None and (not isinstance(unique_keys, list) or not unique_keys):
        raise UnsupportedSchema(f"table {name!r}: uniqueKeys must be a non-empty list of keys")
    uniques = tuple(_names(key, f"table {name!r}: uniqueKeys") for key in unique_keys or ())
    for key in (primary_key, *(fk.fields for fk in foreign_keys), *uniques):
        for column in key:
            if column not in names:
                raise UnsupportedSchema(f"table {name!r}: key field {column!r} is not a field of the schema")
    missing = _missing_values(schema.get("missingValues", list(DEFAULT_MISSING_VALUES)),
                              f"table {name!r}: missingValues")
    rules = _checked(read_rules, schema.get(RULES_PROPERTY), set(names), f"table {name!r}")
    return TableSpec(name, fields, primary_key, tuple(foreign_keys), missing, rules, fields_match=fields_match,
                     unique_keys=uniques)
