"""The columns of a table, read from its model's field annotations.

Each field is typed with a column type (``types``: ``Annotated[str, Typed(ID)]``), a
plain Python type (``date``, ``bool``), an enum (a closed vocabulary) or a list of one
of those; the column type is read from the annotation itself. Nothing is recovered from
generated JSON Schema, so a Pydantic release that reshapes its JSON Schema cannot change
our published types.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from ..schema.columns import LIST_DELIMITER, Column, ColumnType, list_of, vocabulary
from .records import Record
from .types import PLAIN, Typed


def _column_type(annotation: Any, where: str) -> tuple[ColumnType, bool]:
    """The column type of a field's annotation, and whether the annotation admits None."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"{where}: a column holds one type, not {annotation!r}")
        kind, _ = _column_type(options[0], where)
        return kind, True
    if origin is typing.Annotated:
        typed = [m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Typed)]
        if len(typed) != 1:
            raise TypeError(f"{where}: annotate the field with one column type of models.types")
        return typed[0].kind, False
    if origin is list:
        (item,) = typing.get_args(annotation)
        kind, _ = _column_type(item, where)
        return list_of(kind), False
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return vocabulary(tuple(str(member.value) for member in annotation)), False
    if annotation in PLAIN:
        return PLAIN[annotation], False
    raise TypeError(f"{where}: no column type for {annotation!r}")


@cache
def columns(model: type[Record]) -> tuple[Column, ...]:
    """The columns of ``model``'s table, in field order."""
    hints = typing.get_type_hints(model, include_extras=True)
    out = []
    for name, info in model.model_fields.items():
        kind, nullable = _column_type(hints[name], f"{model.__name__}.{name}")
        out.append(Column(name, kind, info.description or "", info.is_required() and not nullable))
    return tuple(out)


def cell_text(value: Any) -> str:
    """A model value as the text of its CSV cell, which is also how a claim writes the value it makes.

    Empty for None; ``true``/``false``; an enum's value; an exact decimal without exponent;
    an ISO date; a list joined with ``;``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_DELIMITER.join(cell_text(v) for v in value)
    return str(value)
