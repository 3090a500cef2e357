"""Our own tables as the validator sees them: the Table Schemas of our published package.

The build generates every Table Schema from the Pydantic models, including the rules
the models add to Table Schema's (ISO codes that must be assigned, plain NFC text,
money's digit limits, the items of list columns; see ``export.datapackage``). So the
validator reads all of it from ``datapackage.json`` as installed with the package
(``package.dataset_path``), never from the models: checking tables then needs no Pydantic
at all, which keeps the command's start-up short. ``build --check`` fails when the
committed descriptor drifts from the models, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from ..schema.facets import SchemaError
from ..schema.tableschema import FieldSpec, TableSpec, UnsupportedSchema, from_table_schema
from .dialect import Dialect, dialect_from


def _our_resources() -> dict[str, Any]:
    """Table name -> its CSV resource (with its Table Schema and dialect), in the order of our package's resources.

    Empty when the installed descriptor is missing or unreadable (a broken install):
    a user's own tables are still checked against their own schemas (see ``missing_note``).
    """
    from ..package import UnreadablePackage, dataset_path, read_descriptor

    try:
        descriptor = read_descriptor(dataset_path() / "datapackage.json")
        return {r["name"]: r for r in descriptor["resources"] if r.get("format") == "csv" and "schema" in r}
    except (OSError, UnreadablePackage, KeyError, TypeError, AttributeError):
        return {}


@cache
def _our_schemas() -> dict[str, Any]:
    """Table name -> its Table Schema, in the order of our package's resources."""
    return {name: resource["schema"] for name, resource in _our_resources().items()}


@cache
def _our_dialects() -> dict[str, Any]:
    """Table name -> its dialect as declared."""
    return {name: resource.get("dialect") for name, resource in _our_resources().items()}


@cache
def our_dialect(table: str) -> Dialect:
    """The dialect our package declares for a table: a file checked as that table is held to it (no byte-order
    mark, for one)."""
    return dialect_from(_our_dialects().get(table))


def missing_note() -> str | None:
    """What to tell the user when our own tables could not be read from the installed package."""
    if _our_schemas():
        return None
    return ("the dataset installed with ca-summit-data (its datapackage.json) is missing or unreadable, so files "
            "cannot be checked as our tables; reinstall the package")


def our_tables() -> tuple[str, ...]:
    """Names of the published tables, in dependency order."""
    return tuple(_our_schemas())


@cache
def table_spec(table: str) -> TableSpec:
    """The full spec of one of our tables, model rules included."""
    return replace(from_table_schema(_our_schemas()[table], table), model_table=table)


def with_model_extras(spec: TableSpec, table: str) -> TableSpec:
    """``spec`` with our columns' facets added to each column that has the same name and type as ours, and our
    rules whose fields it has.

    The user's own rules on such a column hold as well (``Facet.combined``): digit limits
    combine to the tighter of each; a different ``codeList`` or ``itemPattern`` cannot both
    hold in one field, so it is refused (``UnsupportedSchema``) rather than silently replaced.
    """
    if table not in our_tables():
        return spec
    mine = table_spec(table)
    ours = {f.name: f for f in mine.fields}
    fields: list[FieldSpec] = []
    for field in spec.fields:
        our_field = ours.get(field.name)
        fields.append(_both(field, our_field, table) if our_field is not None and our_field.type == field.type
                      else field)
    names = {f.name for f in spec.fields}
    rules = (*spec.rules, *(r for r in mine.rules if set(r.fields) <= names and r not in spec.rules))
    return replace(spec, fields=tuple(fields), rules=rules, model_table=table)


def _both(theirs: FieldSpec, mine: FieldSpec, table: str) -> FieldSpec:
    """A user's field of one of our columns, holding our facets and theirs."""
    facets = list(theirs.facets)
    for our_facet in mine.facets:
        at = next((i for i, f in enumerate(facets) if type(f) is type(our_facet)), None)
        if at is None:
            facets.append(our_facet)
            continue
        try:
            facets[at] = facets[at].combined(our_facet, theirs.name, table)
        except SchemaError as exc:
            raise UnsupportedSchema(str(exc)) from None
    return replace(theirs, facets=tuple(facets))
