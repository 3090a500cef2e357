"""A resource's Table Dialect (CSV Dialect 1.x and Table Dialect 2.0), read in one place: ``dialect_from``.

Every property of a delimited file's dialect is read and checked here, once, into a
``Dialect``; the readers only ever ask the ``Dialect``. Where each property is applied:

- ``delimiter``, ``quoteChar``, ``doubleQuote``, ``escapeChar``: pyarrow's parser, natively,
  for single ASCII characters; any other single character goes through ``normalize``, a
  streamed rewrite with Python's ``csv`` module in front of pyarrow;
- ``lineTerminator``: ``\\r\\n``, ``\\n`` and ``\\r`` all end a row (pyarrow and Python's ``csv``
  read any of them, as frictionless does); another sequence is refused;
- ``header``, ``headerRows``, ``headerJoin``: ``csv_reader.read_preamble`` reads the header
  rows with Python's ``csv``; pyarrow reads only the data after them;
- ``commentChar``, ``commentRows``: ``csv_reader`` drops those rows after parsing
  (vectorised); their numbers are kept;
- ``skipInitialSpace``: ``csv_reader`` trims leading spaces after parsing (vectorised), which
  is exact unless a quoted cell follows the spaces; then the file is read through ``normalize``;
- ``nullSequence``: ``inputs`` adds it to every field's missing values (it reads as null);
- ``caseSensitiveHeader`` (CSV Dialect 1.x): ``header.pair_fields`` compares labels and names
  without case when it is ``false``;
- ``byteOrderMark`` (ours): ``csv_reader`` reports a UTF-8 byte-order mark when it is ``false``.

``byteOrderMark`` is our own property: the spec allows a byte-order mark, so a user's file
may have one; our published resources declare ``"byteOrderMark": false`` because ours never
do, and a file checked as one of our tables is held to that. The properties of other kinds
of file (``property``, ``itemType``, ``itemKeys``, ``sheetNumber``, ``sheetName``, ``table``)
"MUST be ignored" for delimited files (Table Dialect 2.0), and are; ``$schema``,
``csvddfVersion`` and descriptive ``name``/``title``/``description`` change nothing. Anything
else is refused (``UnsupportedSchema``, exit 2), never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schema.tableschema import UnsupportedSchema

LINE_TERMINATORS = ("\r\n", "\n", "\r")
"""The row ends every CSV reader here (pyarrow, Python's csv, frictionless) reads, whichever is declared."""
_IGNORED = frozenset({"$schema", "csvddfVersion", "name", "title", "description",
                      "property", "itemType", "itemKeys", "sheetNumber", "sheetName", "table"})
READ_PROPERTIES = frozenset({"header", "headerRows", "headerJoin", "commentChar", "commentRows", "delimiter",
                   "lineTerminator", "quoteChar", "doubleQuote", "escapeChar", "nullSequence",
                   "skipInitialSpace", "caseSensitiveHeader", "byteOrderMark"})


@dataclass(frozen=True)
class Dialect:
    """How a delimited file is written. The defaults are the spec's (and our published files')."""

    delimiter: str = ","
    quote_char: str | None = '"'
    """None: no quoting at all (never from a descriptor: the spec's quoteChar is one character)."""
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    null_sequence: str | None = None
    header: bool = True
    header_rows: tuple[int, ...] = (1,)
    header_join: str = " "
    comment_char: str | None = None
    comment_rows: frozenset[int] = frozenset()
    case_sensitive_header: bool = True
    """``caseSensitiveHeader`` was CSV Dialect 1.x's (default false) and is gone from 2.0; labels are
    compared with case unless a descriptor says ``false`` in so many words."""
    byte_order_mark: bool | None = None
    """False: the file must not start with a byte-order mark (our files); otherwise one is allowed."""

    @property
    def preamble(self) -> int:
        """Rows before the data: every row up to the last header row (none without a header)."""
        return max(self.header_rows) if self.header else 0

    @property
    def native(self) -> bool:
        """Whether pyarrow's parser reads this dialect itself (single ASCII characters only)."""
        return all(c is None or c.isascii() for c in (self.delimiter, self.quote_char, self.escape_char))

    def is_comment(self, row: int, first_cell: str | None) -> bool:
        """Whether a row (its number, its first cell) is a comment row, to be dropped from the data."""
        return row in self.comment_rows or (
            self.comment_char is not None and first_cell is not None and first_cell.startswith(self.comment_char)
        )

    def python(self) -> dict[str, Any]:
        """The arguments of Python's ``csv.reader`` for this dialect."""
        import csv

        return {
            "delimiter": self.delimiter,
            "quotechar": self.quote_char or '"',
            "quoting": csv.QUOTE_MINIMAL if self.quote_char else csv.QUOTE_NONE,
            "doublequote": self.double_quote,
            "escapechar": self.escape_char,
            "skipinitialspace": self.skip_initial_space,
            "strict": False,
        }


CANONICAL = Dialect()
"""What ``normalize`` rewrites a file into: comma, double quotes doubled, LF."""


def _char(raw: dict[str, Any], name: str, default: str | None) -> str | None:
    value = raw.get(name, default)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 1:
        raise UnsupportedSchema(f"dialect {name} must be a single character, not {value!r}")
    if value in "\r\n":
        raise UnsupportedSchema(f"dialect {name} cannot be a line break")
    return value


def _flag(raw: dict[str, Any], name: str, default: bool) -> bool:
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise UnsupportedSchema(f"dialect {name} must be true or false, not {value!r}")
    return value


def _rows(raw: dict[str, Any], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    value = raw.get(name)
    if value is None:
        return default
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)):
        raise UnsupportedSchema(f"dialect {name} must be a list of row numbers (1, 2, …), not {value!r}")
    return tuple(value)


def _text(raw: dict[str, Any], name: str, default: str | None, *, empty: bool = True) -> str | None:
    value = raw.get(name, default)
    if value is None:
        return None
    if not isinstance(value, str) or (not empty and not value):
        raise UnsupportedSchema(f"dialect {name} must be a {'non-empty ' if not empty else ''}string, not {value!r}")
    return value


def dialect_from(raw: Any) -> Dialect:
    """Read a descriptor's ``dialect`` (an object; a path is resolved by ``inputs``), refusing what we cannot read."""
    if raw is None:
        return Dialect()
    if not isinstance(raw, dict):
        raise UnsupportedSchema("dialect must be an object (or the path of a dialect file)")
    if "csv" in raw:
        raise UnsupportedSchema("dialect property 'csv' (frictionless's own nesting) is not read: "
                                "write delimiter, quoteChar, … at the dialect's top level")
    unknown = set(raw) - READ_PROPERTIES - _IGNORED
    if unknown:
        raise UnsupportedSchema(f"dialect properties {', '.join(sorted(unknown))} are not Table Dialect properties")
    delimiter = raw.get("delimiter", ",")
    if not isinstance(delimiter, str) or not delimiter:
        raise UnsupportedSchema(f"dialect delimiter must be a non-empty string, not {delimiter!r}")
    if len(delimiter) != 1:
        raise UnsupportedSchema(f"dialect delimiter {delimiter!r}: a delimiter of more than one character is not "
                                "read (Table Dialect 2.0 allows it; neither pyarrow nor Python's csv reads it)")
    terminator = _text(raw, "lineTerminator", "\r\n", empty=False)
    if terminator not in LINE_TERMINATORS:
        raise UnsupportedSchema(f"dialect lineTerminator {terminator!r} is not read: rows must end with "
                                "\\r\\n, \\n or \\r")
    quote_char = _char(raw, "quoteChar", '"')
    header = _flag(raw, "header", True)
    header_rows = _rows(raw, "headerRows", (1,))
    comment_rows = _rows(raw, "commentRows", ())
    marks = raw.get("byteOrderMark")
    if marks is not None and not isinstance(marks, bool):
        raise UnsupportedSchema(f"dialect byteOrderMark must be true or false, not {marks!r}")
    dialect = Dialect(
        delimiter=delimiter,
        quote_char=quote_char,
        double_quote=_flag(raw, "doubleQuote", True),
        escape_char=_char(raw, "escapeChar", None),
        skip_initial_space=_flag(raw, "skipInitialSpace", False),
        null_sequence=_text(raw, "nullSequence", None),
        header=header,
        header_rows=header_rows,
        header_join=_text(raw, "headerJoin", " ") or "",
        comment_char=_text(raw, "commentChar", None, empty=False),
        comment_rows=frozenset(comment_rows),
        case_sensitive_header=_flag(raw, "caseSensitiveHeader", True),
        byte_order_mark=marks,
    )
    special = [c for c in (dialect.delimiter, dialect.quote_char, dialect.escape_char) if c is not None]
    if len(set(special)) != len(special):
        raise UnsupportedSchema("dialect delimiter, quoteChar and escapeChar must be different characters")
    return dialect
