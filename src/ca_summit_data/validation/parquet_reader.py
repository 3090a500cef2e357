"""Streaming a Parquet file in record batches, with the same row numbers as its CSV twin.

Rows are numbered as the same table's CSV file would number them (the first row of
data is row 2), so a Parquet file and the CSV file with the same rows report the same
row numbers. A file that is not Parquet, is truncated or is corrupt becomes one clear
finding, never a traceback: a damaged footer is found when the file is opened, a
damaged page when its batch is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from .arrow import open_native
from .batch import Array, counting
from .findings import Finding, Findings

BATCH_ROWS = 65_536


@dataclass
class TypedBatch:
    rows: Array
    columns: list[Array]


class ParquetTable:
    """One Parquet file: ``labels`` (and ``types``) after ``open()``, then ``batches()``."""

    def __init__(self, path: Path, shown: str, sink: Findings) -> None:
        self.path = path
        self.shown = shown
        self.sink = sink
        self.labels: list[str] = []
        self.types: list[pa.DataType] = []
        self._file: Any = None

    def open(self) -> bool:
        import pyarrow.parquet as pq

        try:
            self._file = pq.ParquetFile(open_native(self.path))
            schema = self._file.schema_arrow
        except OSError as exc:
            if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
                self.sink.add(Finding(self.shown, "unreadable", f"cannot read the file: {exc.strerror or exc}"))
            else:
                self.sink.add(Finding(self.shown, "file", f"not a readable Parquet file: {exc}",
                                      expected="a complete Parquet file"))
            return False
        except Exception as exc:  # a damaged file fails the Parquet library in many ways: all are its finding
            self.sink.add(Finding(self.shown, "file", f"not a readable Parquet file: {type(exc).__name__}: {exc}",
                                  expected="a complete Parquet file"))
            return False
        self.labels = list(schema.names)
        self.types = list(schema.types)
        return True

    def batches(self) -> Iterator[TypedBatch]:
        next_row = 2
        try:
            for batch in self._file.iter_batches(batch_size=BATCH_ROWS, use_pandas_metadata=False):
                rows = counting(next_row, batch.num_rows)
                next_row += batch.num_rows
                yield TypedBatch(rows, [batch.column(i) for i in range(batch.num_columns)])
        except Exception as exc:  # as in open: a damaged page is this file's finding
            self.sink.add(Finding(self.shown, "file", f"could not read the rows from row {next_row} on: {exc}",
                                  next_row, expected="a complete Parquet file"))
        finally:
            self._file.close()
