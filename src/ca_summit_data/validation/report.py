"""The result of a run: findings, a summary per file, the exit code, and the stable JSON form.

Exit codes: 0 every input is valid; 1 some input is invalid; 2 an input could not be
read or understood (a missing path, an unreadable descriptor, a schema feature we do
not check) or the command was used wrongly. ``to_json`` is the ``--format json``
report; its shape is versioned by ``REPORT_VERSION`` and documented in the README.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..problems import Exit
from .findings import Finding, Findings

REPORT_VERSION = 1


@dataclass(frozen=True)
class FileSummary:
    path: str
    kind: str
    """'table' (CSV or Parquet), 'records' (JSON/YAML), 'descriptor' or 'file' (size and hash only)."""
    table: str | None
    rows: int | None
    errors: int


@dataclass
class Report:
    command: str
    findings: list[Finding]
    error_count: int
    files: list[FileSummary]
    warning_count: int = 0
    notes: list[str] = field(default_factory=list)
    exit_code: int = Exit.OK

    @property
    def valid(self) -> bool:
        return self.exit_code == Exit.OK

    @property
    def truncated(self) -> bool:
        return self.error_count + self.warning_count > len(self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "report_version": REPORT_VERSION,
            "command": self.command,
            "valid": self.valid,
            "exit_code": self.exit_code,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "shown": len(self.findings),
            "files": [asdict(f) for f in self.files],
            "findings": [
                {
                    "severity": f.severity,
                    "file": f.file,
                    "row": f.row,
                    "column": f.column,
                    "column_number": f.column_number,
                    "code": f.code,
                    "message": f.message,
                    "value": f.value,
                    "expected": f.expected,
                }
                for f in self.findings
            ],
            "notes": list(self.notes),
        }


def build_report(command: str, sink: Findings, files: list[FileSummary], notes: list[str]) -> Report:
    """Close a run: the exit code follows from the findings (any unusable input makes it 2)."""
    exit_code = Exit.USAGE if sink.fatal else Exit.INVALID if sink.total else Exit.OK
    return Report(command, sink.kept(), sink.total, files, sum(sink.warnings.values()), notes, exit_code)
