"""Our column types, as objects: each knows its Table Schema, its Arrow type, its Python check and its words.

A model field is declared with one of these (``name: ShortText``, ``amount: Money``;
see ``models.types`` for the Pydantic side). Everything else about the column is asked
of its type, never restated:

- ``table_schema(name, description, required)``: the Frictionless field, with its
  constraints and our custom properties (``facets``);
- ``arrow_type()``: how it is stored in Parquet (and loaded by ``load``);
- ``check(value)``: the rules Pydantic has no word for (ISO codes, plain text), which the
  models run on every value;
- the validator reads the same Table Schema back (``tableschema``), so the Arrow checks
  of a column are those of its Table Schema and facets.

Pydantic's JSON Schemas are generated from the same declarations (``models.types``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..limits import INT64_MAX
from .facets import CodeList, CodeListKind, Digits, Facet, ItemPattern, PartialDate, PlainText, write_facets
from .text import TEXT_PATTERN

LIST_DELIMITER = ";"
"""How a list column (e.g. financial_targets.sectors) is written in one CSV cell."""


@dataclass(frozen=True)
class ColumnType:
    """What a column holds: a Table Schema type, its constraints and our facets."""

    name: str
    """What it is, in words (for the data dictionary)."""
    logical: str
    """The Table Schema type: string, integer, number, boolean, date or list."""
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[str, ...] | None = None
    facets: tuple[Facet, ...] = ()
    item: ColumnType | None = None
    """For a list: the type of its items."""
    json_schema: dict[str, Any] | None = field(default=None, compare=False)
    """A JSON Schema that replaces the one Pydantic would derive (money: a number or an exact decimal string)."""

    # ----------------------------------------------------------------- Table Schema

    def constraints(self, required: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if required:
            out["required"] = True
        if self.enum is not None:
            out["enum"] = list(self.enum)
        for key, value in (("pattern", self.pattern), ("minLength", self.min_length),
                           ("maxLength", self.max_length), ("minimum", self.minimum), ("maximum", self.maximum)):
            if value is not None:
                out[key] = value
        return out

    def table_schema(self, name: str, description: str, required: bool) -> dict[str, Any]:
        """The Frictionless Table Schema field of a column of this type."""
        out: dict[str, Any] = {"name": name, "type": self.logical, "description": description}
        if self.enum is not None:
            out["categories"] = list(self.enum)
        if self.logical == "list":
            out["delimiter"] = LIST_DELIMITER
            out["itemType"] = "string"
        constraints = self.constraints(required)
        if constraints:
            out["constraints"] = constraints
        out.update(write_facets(self.all_facets()))
        return out

    def all_facets(self) -> tuple[Facet, ...]:
        """This type's facets, and for a list the pattern its items must match."""
        if self.item is not None and self.item.pattern is not None:
            return (*self.facets, ItemPattern(self.item.pattern))
        return self.facets

    # ----------------------------------------------------------------- Arrow

    def arrow_type(self) -> Any:
        """How a column of this type is stored (Parquet) and loaded."""
        import pyarrow as pa

        if self.enum is not None:
            return pa.dictionary(pa.int32(), pa.string())
        digits = next((f for f in self.facets if isinstance(f, Digits)), None)
        if self.logical == "number" and digits is not None:
            return pa.decimal128(digits.whole + digits.places, digits.places)
        types: dict[str, Any] = {
            "string": pa.string(),
            "integer": pa.int64(),
            "boolean": pa.bool_(),
            "date": pa.date32(),
            "list": pa.list_(pa.string()),
        }
        return types[self.logical]

    # ----------------------------------------------------------------- Python

    def check(self, value: Any) -> Any:
        """``value`` if it keeps the facets' rules (the models' after-validator); ``ValueError`` says why not."""
        for facet in self.facets:
            problem = facet.check(value)
            if problem is not None:
                raise ValueError(problem)
        return value

    def words(self) -> list[str]:
        """The type's constraints and rules in words, for the data dictionary."""
        parts = []
        if self.enum is not None:
            parts.append("one of " + ", ".join(f"`{v}`" for v in self.enum))
        if self.pattern is not None and self.pattern == TEXT_PATTERN:
            parts.append("one line of text, no control or bidirectional characters")
        elif self.pattern is not None:
            parts.append(f"matches `{self.pattern}`")
        if self.max_length is not None:
            parts.append(f"at most {self.max_length} characters")
        if self.minimum is not None:
            parts.append(f"≥ {self.minimum:g}")
        if self.logical == "list":
            parts.append(f"items joined by `{LIST_DELIMITER}` in CSV")
        parts += [facet.words(code=lambda pattern: f"`{pattern}`") for facet in self.all_facets()]
        return parts


def text(max_length: int, name: str) -> ColumnType:
    """Plain text of at most ``max_length`` characters (see ``schema.text``)."""
    return ColumnType(name, "string", pattern=TEXT_PATTERN, min_length=1, max_length=max_length,
                      facets=(PlainText(),))


def code(kind: CodeListKind, pattern: str) -> ColumnType:
    """A code that must be assigned in an ISO list, not only look like one."""
    return ColumnType(f"{CodeList(kind).standard} code", "string", pattern=pattern, facets=(CodeList(kind),))


def vocabulary(values: tuple[str, ...]) -> ColumnType:
    """One of a closed list of values (a model's enum)."""
    return ColumnType("one of a closed list", "string", enum=values)


def list_of(item: ColumnType) -> ColumnType:
    """A list of items of one type (a ``;``-joined cell in CSV, a list in Parquet)."""
    return ColumnType(f"a list of {item.name}", "list", item=item)


TEXT = text(2000, "free text")
"""Free text: one line, NFC, no control or bidi characters, no outer white space."""
SHORT_TEXT = text(300, "a name, title or short quote")
ID = ColumnType("an identifier", "string", pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=80)
"""A stable identifier: lower-case snake_case, never reused for another thing."""
COUNTRY = code("country", r"^[A-Z]{3}$")
CURRENCY = code("currency", r"^[A-Z]{3}$")
LANGUAGE = code("language", r"^[a-z]{2}$")
ISO2 = ColumnType("an ISO 3166-1 alpha-2 code", "string", pattern=r"^[A-Z]{2}$")
MONEY = ColumnType(
    "a money amount", "number", minimum=0, facets=(Digits(26, 4),),
    json_schema={
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": r"^[0-9]{1,26}(\.[0-9]{1,4})?$"},
        ]
    },
)
"""A non-negative, finite money amount with at most four decimal places (exact, never a float)."""
COUNT = ColumnType("a count", "integer", minimum=0, maximum=INT64_MAX)
"""A non-negative whole number that fits in int64."""
ORDINAL = ColumnType("a position", "integer", minimum=1, maximum=INT64_MAX)
"""A positive whole number (1, 2, ...) that fits in int64."""
DATE = ColumnType("a date", "date")
FLAG = ColumnType("true or false", "boolean")
PARTIAL_DATE = ColumnType("a date to the year, month or day", "string", pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
                          facets=(PartialDate(),))
"""A date as precisely as the source gives it: ``2004``, ``2004-08`` or ``2004-08-28``."""
TIME_OF_DAY = ColumnType("a local time of day", "string", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
"""A local time, ``HH:MM`` on the 24-hour clock."""
SHA256 = ColumnType("a SHA-256 digest", "string", pattern=r"^[0-9a-f]{64}$")
FILE_NAME = ColumnType("a file name", "string", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=255)
HTTP_URL = ColumnType("a web address", "string", pattern=r"^https?://[^\s]+$", max_length=2000)



@dataclass(frozen=True)
class Column:
    """One column of one of our tables: its name, its type, and what it means."""

    name: str
    kind: ColumnType
    description: str
    required: bool

    @property
    def type(self) -> str:
        """The Table Schema type."""
        return self.kind.logical

    @property
    def enum(self) -> tuple[str, ...] | None:
        return self.kind.enum

    def table_schema(self) -> dict[str, Any]:
        return self.kind.table_schema(self.name, self.description, self.required)

    def arrow_type(self) -> Any:
        return self.kind.arrow_type()
