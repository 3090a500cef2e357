"""Problems found in input, and the exception that carries them to the command line.

A problem names the file, the line (for YAML), the record and the field, so that the
person who has to fix it can go straight there. The CLI prints one problem a line and
exits 1; it never shows a traceback for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input."""

    file: str
    line: int | None = None
    record: str | None = None
    field: str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join(parts) + f": {self.message}"


class ProblemsFound(Exception):
    """Raised when input is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__(f"{len(self.problems)} problem(s) found")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _sort_key(p: Problem) -> tuple[str, int, str, str, str]:
    return (p.file, p.line or 0, p.record or "", p.field or "", p.message)
