"""Printing a report: for a person (``text``), for a program (``json``), for GitHub Actions (``github``).

Text is one finding a line, ``file:row: column 'name' (n): problem: 'value'; expected …
[code]`` (a warning starts with ``warning: ``), then one summary line; notes go to
standard error. GitHub output is one workflow command a finding (``::error
file=…,line=…,title=…::…``, ``::warning`` for a warning), which GitHub shows as an
annotation on the file; ``line`` is the row number, which is the file's line unless a
value spans lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..schema.text import printable
from .findings import Finding
from .report import Report

FORMATS = ("text", "json", "github")


def describe(finding: Finding) -> str:
    """The finding without its file and row: column, problem, value, expectation and code."""
    parts = [f"record {printable(finding.record)}: "] if finding.record else []
    if finding.column is not None or finding.column_number is not None:
        name = f" {printable(finding.column)!r}" if finding.column is not None else ""
        number = f" ({finding.column_number})" if finding.column_number is not None else ""
        parts.append(f"column{name}{number}: ")
    parts.append(printable(" ".join(finding.message.split())))  # one finding, one line, whatever it holds
    if finding.value is not None:
        parts.append(f": {printable(finding.value)!r}")
    if finding.expected:
        parts.append(f"; expected {printable(finding.expected)}")
    parts.append(f" [{finding.code}]")
    return "".join(parts)


def text_line(finding: Finding) -> str:
    file = printable(finding.file)
    where = file if finding.row is None else f"{file}:{finding.row}"
    return f"{'warning: ' if finding.warning else ''}{where}: {describe(finding)}"


def summary(report: Report) -> str:
    files = len(report.files)
    warned = f"; {report.warning_count} warning(s)" if report.warning_count else ""
    if report.exit_code == 0 and report.command == "verify":
        return f"ok: {files} file(s) match the sizes and hashes their descriptor declares"
    if report.exit_code == 0:
        rows = sum(f.rows or 0 for f in report.files)
        return f"ok: {files} file(s) valid ({rows} rows and records checked{warned})"
    shown = "" if not report.truncated else f"; the first {len(report.findings)} are shown (--max-errors)"
    kind = "invalid" if report.exit_code == 1 else "could not be checked"
    return f"{report.error_count} error(s){warned} in {files} file(s){shown}: {kind}"


def render_text(report: Report) -> Iterator[str]:
    """The report's lines for standard output (its notes are in ``notes_text``)."""
    for finding in report.findings:
        yield text_line(finding)
    yield summary(report)


def notes_text(report: Report, fmt: str) -> Iterator[str]:
    """Notes (files skipped and the like), for standard error in text mode."""
    if fmt == "text":
        for note in report.notes:
            yield f"note: {printable(note)}"


def _escape_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding) -> str:
    properties = [f"file={_escape_property(finding.file)}"]
    if finding.row is not None:
        properties.append(f"line={finding.row}")
    properties.append(f"title={_escape_property('ca-summit-data ' + finding.code)}")
    command = "warning" if finding.warning else "error"
    return f"::{command} {','.join(properties)}::{_escape_data(describe(finding))}"


def render_github(report: Report) -> Iterator[str]:
    for note in report.notes:
        yield f"::notice::{_escape_data(note)}"
    for finding in report.findings:
        yield github_line(finding)
    yield summary(report)


def render(report: Report, fmt: str) -> Iterator[str]:
    if fmt == "json":
        yield json.dumps(_printable_strings(report.to_json()), indent=2, ensure_ascii=False)
    elif fmt == "github":
        yield from render_github(report)
    else:
        yield from render_text(report)


def _printable_strings(value: object) -> object:
    """Every string of a JSON report made printable (``printable``), so no consumer meets a control character."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(str(k)): _printable_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_strings(v) for v in value]
    return value
