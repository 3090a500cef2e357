"""The Pydantic side of our column types: each ``schema.columns`` type as the annotation a model field uses.

``Text``, ``Id``, ``CountryCode``, ``Money``, … are ``Annotated[<python type>, Typed(<column
type>)]``. ``Typed`` gives Pydantic the constraints it checks itself (pattern, lengths,
bounds, digits), an after-validator for the rules it has no word for
(``ColumnType.check``: ISO codes, plain text), the serialiser and JSON Schema of exact
money, and keeps the column type, so that ``columns`` reads a field's type from its
annotation (never by recognising generated JSON Schema). Type checkers see the plain
Python type.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, PlainSerializer, WithJsonSchema

from ..schema import columns as c
from ..schema.facets import Digits


class Typed:
    """Pydantic metadata for a field of a column type: its constraints, validator, serialiser and JSON Schema."""

    def __init__(self, kind: c.ColumnType) -> None:
        self.kind = kind

    def metadata(self) -> tuple[Any, ...]:
        kind = self.kind
        constraints: dict[str, Any] = {}
        if kind.pattern is not None:
            constraints["pattern"] = kind.pattern
        if kind.min_length is not None:
            constraints["min_length"] = kind.min_length
        if kind.max_length is not None:
            constraints["max_length"] = kind.max_length
        if kind.minimum is not None:
            constraints["ge"] = kind.minimum
        if kind.maximum is not None:
            constraints["le"] = kind.maximum
        digits = next((f for f in kind.facets if isinstance(f, Digits)), None)
        if digits is not None:  # Pydantic counts digits itself (and says so in its own words)
            constraints.update(max_digits=digits.whole + digits.places, decimal_places=digits.places,
                               allow_inf_nan=False)
        out: list[Any] = [Field(**constraints)] if constraints else []
        if any(not isinstance(f, Digits) for f in kind.facets):
            out.append(AfterValidator(kind.check))
        if kind.logical == "number":  # exact decimals travel as strings in JSON: a JSON number may be read as a float
            out.append(PlainSerializer(_decimal_text, return_type=str, when_used="json"))
        if kind.json_schema is not None:
            out.append(WithJsonSchema(kind.json_schema))
        return tuple(out)

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return handler.generate_schema(Annotated[(source, *self.metadata())])


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


Text = Annotated[str, Typed(c.TEXT)]
"""Free text: one line, NFC, no control or bidi characters, no outer white space."""
ShortText = Annotated[str, Typed(c.SHORT_TEXT)]
"""A name, title or short quote."""
Id = Annotated[str, Typed(c.ID)]
"""A stable identifier: lower-case snake_case, never reused for another thing."""
CountryCode = Annotated[str, Typed(c.COUNTRY)]
CurrencyCode = Annotated[str, Typed(c.CURRENCY)]
LanguageCode = Annotated[str, Typed(c.LANGUAGE)]
Iso2 = Annotated[str, Typed(c.ISO2)]
Money = Annotated[Decimal, Typed(c.MONEY)]
"""A non-negative, finite money amount with at most four decimal places (exact, never a float)."""
Count = Annotated[int, Typed(c.COUNT)]
"""A non-negative whole number that fits in int64."""
Ordinal = Annotated[int, Typed(c.ORDINAL)]
"""A positive whole number (1, 2, ...) that fits in int64."""
PartialDate = Annotated[str, Typed(c.PARTIAL_DATE)]
"""A date to the year, the month or the day, as the source gives it."""
TimeOfDay = Annotated[str, Typed(c.TIME_OF_DAY)]
Sha256 = Annotated[str, Typed(c.SHA256)]
FileName = Annotated[str, Typed(c.FILE_NAME)]
HttpUrl = Annotated[str, Typed(c.HTTP_URL)]

PLAIN: dict[type, c.ColumnType] = {date: c.DATE, bool: c.FLAG}
"""Column types of fields annotated with a plain Python type."""
