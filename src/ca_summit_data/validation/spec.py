"""What a table must look like, read from a Frictionless Table Schema.

The validator never keeps its own list of columns: a table's ``TableSpec`` is read from
its Table Schema, either ours (from the installed ``datapackage.json``, see ``modelspec``)
or the one a user's ``datapackage.json`` declares. We support the subset
of Table Schema that we emit ourselves (types string, integer, number, boolean, date,
list of strings and any; constraints required, unique, enum, pattern, minLength,
maxLength, minimum, maximum, exclusiveMinimum, exclusiveMaximum; primaryKey,
foreignKeys, missingValues, trueValues, falseValues), plus the custom field properties
our Table Schemas carry for the rules our models add (``codeList``, ``plainText``,
``maxDigits`` with ``decimalPlaces``, ``itemPattern``), which any schema may use.
Anything else is refused with ``UnsupportedSchema`` (exit code 2) rather than silently
not checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from ..codes import CODE_LISTS

LogicalType = Literal["string", "integer", "number", "boolean", "date", "list", "any"]
CodeList = Literal["country", "currency", "language"]

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
# Custom field properties for the rules our models add to Table Schema's (see ``_model_rules``).
_MODEL_RULES = frozenset({"codeList", "plainText", "maxDigits", "decimalPlaces", "itemPattern"})
_CODE_LIST_BY_STANDARD = {standard: kind for kind, standard in CODE_LISTS.items()}
_SCHEMA_KEYS = frozenset(
    {"fields", "primaryKey", "foreignKeys", "missingValues", "$schema", "profile", "name", "title", "description",
     "fieldsMatch", "uniqueKeys"}
)


class UnsupportedSchema(ValueError):
    """The Table Schema uses something this validator does not check (say which, never guess)."""


@dataclass(frozen=True)
class FieldSpec:
    """One column: its logical type and constraints, plus the extra rules our models add.

    The extras (``code_list``, ``plain_text``, ``item_pattern``, ``decimal``) come from the
    custom properties of the field (see ``_model_rules``): our own Table Schemas carry
    them, and ``modelspec`` adds ours to a user's columns named like ours.
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
    code_list: CodeList | None = None
    plain_text: bool = False
    item_pattern: str | None = None
    decimal: tuple[int, int] | None = None
    """(digits before the point, digits after it) a money amount may have."""


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
    model_table: str | None = None
    """Our table whose model rules (``rules.RULES``) apply, if any."""

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
    unknown = set(raw) - _DESCRIPTIVE - _MODEL_RULES
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
        _regex(pattern, f"{where}: pattern")
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
        **_model_rules(raw, kind, where),
    )


def _regex(value: Any, where: str) -> str:
    """A pattern, refused unless it is a regular expression Python can read."""
    if not isinstance(value, str):
        raise UnsupportedSchema(f"{where} must be a string")
    try:
        re.compile(f"^(?:{value})$")  # as the checks use it (a flag such as (?i) must then come first)
    except re.error as exc:
        raise UnsupportedSchema(f"{where} {value!r} is not a valid regular expression ({exc})") from None
    return value


def _model_rules(raw: Mapping[str, Any], kind: str, where: str) -> dict[str, Any]:
    """FieldSpec settings from the custom properties ``codeList``, ``plainText``, ``maxDigits``,
    ``decimalPlaces`` and ``itemPattern``, each checked so that a typo is refused, not ignored."""
    rules: dict[str, Any] = {}
    present = _MODEL_RULES & set(raw) - ({"plainText"} if raw.get("plainText") is False else set())
    allowed = {"string": {"codeList", "plainText"}, "number": {"maxDigits", "decimalPlaces"}, "list": {"itemPattern"}}
    misplaced = present - allowed.get(kind, set())
    if misplaced:
        raise UnsupportedSchema(f"{where}: {', '.join(sorted(misplaced))} cannot be used on a field of type {kind}")
    if "codeList" in raw:
        if not isinstance(raw["codeList"], str) or raw["codeList"] not in _CODE_LIST_BY_STANDARD:
            raise UnsupportedSchema(f"{where}: codeList must be one of {', '.join(_CODE_LIST_BY_STANDARD)}")
        rules["code_list"] = _CODE_LIST_BY_STANDARD[raw["codeList"]]
    if "plainText" in raw:
        if not isinstance(raw["plainText"], bool):
            raise UnsupportedSchema(f"{where}: plainText must be true or false")
        rules["plain_text"] = raw["plainText"]
    if {"maxDigits", "decimalPlaces"} & present:
        digits, places = raw.get("maxDigits"), raw.get("decimalPlaces")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (digits, places)):
            raise UnsupportedSchema(f"{where}: maxDigits and decimalPlaces must both be given, as integers")
        digits, places = cast(int, digits), cast(int, places)
        if not 0 <= places <= digits:
            raise UnsupportedSchema(f"{where}: decimalPlaces must be between 0 and maxDigits")
        rules["decimal"] = (digits - places, places)
    if "itemPattern" in raw:
        rules["item_pattern"] = _regex(raw["itemPattern"], f"{where}: itemPattern")
    return rules


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
    return TableSpec(name, fields, primary_key, tuple(foreign_keys), missing)
