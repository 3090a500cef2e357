"""Turning a vectorised verdict (a boolean mask over a batch's rows) into findings.

Every check computes a mask for a whole batch; only here do rows become Python
objects, and only as many as the report can still keep. A mask with a million true
values costs one count and at most ``limit`` findings.
"""

from __future__ import annotations

from ..problems import CATALOGUE, Severity
from ..schema.arrays import pc, true_count
from .batch import Array, Cells
from .findings import Finding, Findings, shown_value

__all__ = ["emit", "true_count"]


def emit(
    sink: Findings,
    file: str,
    rows: Array,
    mask: Array,
    *,
    code: str,
    message: str,
    expected: str | None = None,
    cells: Cells | None = None,
    column: str | None = None,
    column_number: int | None = None,
    values: Array | None = None,
    details: Array | None = None,
) -> int:
    """Record a finding for each row where ``mask`` is true; return how many there were.

    ``cells`` names the column and supplies the offending values (its text); ``values``
    overrides them; ``details`` (one string per row) is appended to the message.
    """
    n = true_count(mask)
    if n == 0:
        return 0
    if cells is not None:
        column = column or cells.field.name
        column_number = column_number or cells.number
    sink.count(file, n, warning=CATALOGUE[code].severity is Severity.WARNING)
    if sink.limit == 0:
        return n
    where = pc.indices_nonzero(mask)
    if sink.limit is not None and len(where) > sink.limit:
        where = where.slice(0, sink.limit)
    first_row = rows[where[0].as_py()].as_py()
    if not sink.wants(file, first_row, column_number):
        return n
    row_numbers = pc.take(rows, where).to_pylist()
    if values is None and cells is not None:
        values = cells.shown()
    shown = pc.take(values, where).to_pylist() if values is not None else [None] * len(row_numbers)
    extra = pc.take(details, where).to_pylist() if details is not None else [None] * len(row_numbers)
    for row, value, detail in zip(row_numbers, shown, extra, strict=True):
        text = message if not detail else f"{message} ({detail})"
        sink.add(
            Finding(file, code, text, row, column, column_number, shown_value(value), expected),
            counted=False,
        )
    return n
