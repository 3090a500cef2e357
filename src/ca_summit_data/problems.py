"""The one catalogue of problems: every code a command can report, what it means, and what it does to the exit.

Every command reports what is wrong as ``Finding`` objects (the build about seed files,
the validator about data files, both about JSON and YAML records) with a ``code`` from
``CATALOGUE``. The code decides the severity (an error, or a warning that never
changes the exit code) and whether the input could be checked at all (``fatal``: exit
2, not 1). The exit codes of every command are ``Exit``. ``docs/validating.md`` lists the
codes; a test keeps that list equal to this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from .limits import MAX_PRINTED_CHARS


class Exit(IntEnum):
    """What every ``ca-summit-data`` command exits with."""

    OK = 0
    """Success: valid input, outputs published or matching."""
    INVALID = 1
    """Invalid input (reported one problem a line), or a check that failed (outputs that differ, a version too low)."""
    USAGE = 2
    """A usage error, or an input or environment that could not be read or used (not a checkout, a link out of
    the folder, a full disk)."""
    INTERNAL = 3
    """A bug of ours: said in one line; ``CA_SUMMIT_DEBUG=1`` shows the traceback."""
    INTERRUPTED = 130


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    """A hazard that does not make the data invalid; it never changes the exit code."""


@dataclass(frozen=True)
class Code:
    """One kind of problem."""

    name: str
    title: str
    fatal: bool = False
    """The input could not be read or understood at all (exit 2, not 1)."""
    severity: Severity = Severity.ERROR


_CODES = (
    # cells and rows
    Code("type", "a cell is not a value of its column's type"),
    Code("required", "a required cell is missing"),
    Code("enum", "a cell is not one of the allowed values"),
    Code("pattern", "a cell does not match the column's pattern"),
    Code("min-length", "a cell is shorter than allowed"),
    Code("max-length", "a cell is longer than allowed"),
    Code("minimum", "a cell is below the minimum"),
    Code("maximum", "a cell is above the maximum"),
    Code("exclusive-minimum", "a cell is not above the exclusive minimum"),
    Code("exclusive-maximum", "a cell is not below the exclusive maximum"),
    Code("json-schema", "a cell's JSON value does not match the column's jsonSchema constraint"),
    Code("unique", "a value of a unique column appears twice"),
    Code("primary-key", "a primary key is missing or appears twice"),
    Code("foreign-key", "a foreign key names a row that does not exist"),
    Code("blank-row", "a row has no values at all"),
    Code("missing-cell", "a row has fewer cells than the header"),
    Code("extra-cell", "a row has more cells than the header"),
    # the header
    Code("blank-label", "a column has no name"),
    Code("duplicate-label", "two columns have the same name"),
    Code("incorrect-label", "a column's name is not the schema's"),
    Code("missing-label", "a column of the schema is missing"),
    Code("extra-label", "a column the schema does not have"),
    # bytes
    Code("encoding", "bytes that are not text in the file's encoding"),
    Code("bom", "a byte-order mark where the dialect rules one out (byteOrderMark: false, as our tables declare)"),
    # the rules our models add
    Code("iso-code", "a code that is not assigned in its ISO list"),
    Code("text", "text with white space at either end, or not in Unicode NFC"),
    Code("formula", "text a spreadsheet would run as a formula", severity=Severity.WARNING),
    Code("decimal", "an amount with more digits than it may have"),
    Code("list-item", "an item of a list that does not match the item pattern"),
    Code("rule", "a rule between columns of one row is broken"),
    # records (JSON and YAML) and seeds
    Code("schema", "a record does not match its JSON Schema"),
    Code("model", "a record breaks a rule of its model"),
    Code("syntax", "a JSON or YAML file that does not parse"),
    Code("consistency", "records of two tables that do not agree"),
    Code("evidence", "a quote not found in its archived source, or a citation that is incomplete"),
    Code("source", "an archived source text that is missing or has changed"),
    # files
    Code("file", "a file that cannot be read as what it should be (empty, damaged, too large, too wide)"),
    Code("bytes", "a file whose size differs from the declared size"),
    Code("hash", "a file whose hash differs from the declared hash"),
    Code("missing-file", "a file the descriptor declares is missing"),
    Code("parquet-type", "a Parquet column holds text where our files hold a typed column",
         severity=Severity.WARNING),
    # could not check at all
    Code("usage", "the command was used wrongly", fatal=True),
    Code("unreadable", "an input that cannot be read (missing, not JSON, a link out of its folder)", fatal=True),
    Code("unsupported", "a descriptor, dialect or schema feature that is not read (a remote URL, SQL, a spreadsheet)",
         fatal=True),
    Code("lock", "another build is publishing in the same folder (exit 1: try again)"),
)

CATALOGUE: dict[str, Code] = {code.name: code for code in _CODES}


@dataclass(frozen=True)
class Finding:
    """One problem: where (file, row or line, record, column), what (code, message), and the offending value.

    ``row`` is the row as a spreadsheet shows a table (the header is row 1), or the line
    of a JSON or YAML file. ``column`` is a table's column or a record's field path.
    """

    file: str
    code: str
    message: str
    row: int | None = None
    column: str | None = None
    column_number: int | None = None
    value: str | None = None
    expected: str | None = None
    record: str | None = None
    """For JSON and YAML records: which record (``summits[0] 'ca_plus_japan_2025'``)."""

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown problem code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    @property
    def warning(self) -> bool:
        return self.severity is Severity.WARNING

    @property
    def fatal(self) -> bool:
        """True when the input could not be checked at all (exit code 2, not 1)."""
        return CATALOGUE[self.code].fatal

    def position(self) -> tuple[int, int, str, str, str]:
        """Order within one file: file-level problems first, then by row and column."""
        return (self.row or 0, self.column_number or 0, self.code, self.column or "", self.message)

    def __str__(self) -> str:
        """The build's form: ``FILE:LINE: record R: field 'F': message``."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.column:
            parts.append(f"field {self.column!r}")
        return ": ".join(parts) + f": {self.message}"


class ProblemsFound(Exception):
    """Raised when input is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Finding]) -> None:
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__(f"{len(self.problems)} problem(s) found")

    @property
    def exit(self) -> Exit:
        return Exit.USAGE if any(p.fatal for p in self.problems) else Exit.INVALID

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _sort_key(p: Finding) -> tuple[str, int, str, str, str]:
    return (p.file, p.row or 0, p.record or "", p.column or "", p.message)


def shown_value(value: Any) -> str | None:
    """A value as text for a report, cut to a readable length (``MAX_PRINTED_CHARS``)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    elif isinstance(value, list | tuple):
        text = ";".join("" if v is None else str(v) for v in value)
    else:
        text = str(value)
    if len(text) > MAX_PRINTED_CHARS:
        text = text[:MAX_PRINTED_CHARS] + "…"
    return text
