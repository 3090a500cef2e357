"""CSV: UTF-8 without BOM, a header row, LF line ends, ISO dates, rows in primary-key order.

Empty cells are missing values. Booleans are ``true``/``false``; money amounts are exact
decimals without exponent; a list is joined with ``;`` (its items may not contain one).
"""

from __future__ import annotations

import csv
import io

from ..models import MODEL_BY_TABLE, TABLE_MODELS, columns
from ..models.columns import cell_text
from ..models.dataset import Dataset
from . import Files, csv_path


def table_csv(dataset: Dataset, table: str) -> bytes:
    names = [c.name for c in columns(MODEL_BY_TABLE[table])]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)
    for record in dataset.rows(table):
        writer.writerow([cell_text(getattr(record, name)) for name in names])
    return buffer.getvalue().encode("utf-8")


class CsvExporter:
    name = "csv"

    def files(self, dataset: Dataset, written: Files) -> Files:
        return {csv_path(m.table): table_csv(dataset, m.table) for m in TABLE_MODELS}


EXPORTER = CsvExporter()
