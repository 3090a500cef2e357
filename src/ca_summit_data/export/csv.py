"""CSV: UTF-8 without BOM, a header row, LF line ends, ISO dates, rows in primary-key order.

Empty cells are missing values. Booleans are ``true``/``false``; money amounts are exact
decimals without exponent; a list is joined with ``;`` (its items may not contain one).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from ..models import MODEL_BY_TABLE, TABLE_MODELS, columns
from ..models.dataset import Dataset
from ..schema.columns import LIST_DELIMITER
from . import Files, csv_path


def cell(value: Any) -> str:
    """The text of one CSV cell for a model value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_DELIMITER.join(cell(v) for v in value)
    return str(value)


def table_csv(dataset: Dataset, table: str) -> bytes:
    names = [c.name for c in columns(MODEL_BY_TABLE[table])]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)
    for record in dataset.rows(table):
        writer.writerow([cell(getattr(record, name)) for name in names])
    return buffer.getvalue().encode("utf-8")


class CsvExporter:
    name = "csv"

    def files(self, dataset: Dataset, written: Files) -> Files:
        return {csv_path(m.table): table_csv(dataset, m.table) for m in TABLE_MODELS}


EXPORTER = CsvExporter()
