"""Streaming a Parquet file in record batches, with the same row numbers as its CSV twin.

Rows are numbered as the same table's CSV file would number them (the first row of
data is row 2), so a Parquet file and the CSV file with the same rows report the same
row numbers. A file that is not Parquet, is truncated or is corrupt becomes one clear
finding, never a traceback: a damaged footer is found when the file is opened, a
damaged page when its batch is read.

Memory is bounded by bytes, whatever the file claims: a batch holds about
``BATCH_BYTES`` of decompressed data (its row count is worked out from the footer's
byte counts, so a table of wide rows gets fewer rows a batch), a column chunk that
decompresses to more than ``MAX_PARQUET_COLUMN_CHUNK_BYTES`` is refused before it is
read (a 160 KB file can claim gigabytes), and a footer whose row count its row groups
do not add up to, or that the data does not hold, is reported rather than believed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..limits import BATCH_BYTES, BATCH_ROWS, MAX_COLUMNS, MAX_PARQUET_COLUMN_CHUNK_BYTES
from ..schema.arrays import open_native
from .batch import Array, counting
from .findings import Finding, Findings


@dataclass
class TypedBatch:
    rows: Array
    columns: list[Array | None]
    """One array per column of the file; None for a column not read."""


class ParquetTable:
    """One Parquet file: ``labels`` (and ``types``) after ``open()``, then ``batches()``."""

    def __init__(self, path: Path, shown: str, sink: Findings) -> None:
        self.path = path
        self.shown = shown
        self.sink = sink
        self.labels: list[str] = []
        self.types: list[pa.DataType] = []
        self.batch_rows = BATCH_ROWS
        self._file: Any = None

    def open(self) -> bool:
        import pyarrow.parquet as pq

        try:
            # no pre-buffering: it would keep the bytes of every row group read until the file is closed
            self._file = pq.ParquetFile(open_native(self.path), pre_buffer=False)
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
        problem = self._footer_problem()
        if problem is not None:
            self.sink.add(Finding(self.shown, "file", f"not read: {problem}",
                                  expected="a Parquet file within the bounds"))
            self._file.close()
            return False
        return True

    def _footer_problem(self) -> str | None:
        """Why the footer's claims are beyond what we read, or do not add up; None when they are fine."""
        meta = self._file.metadata
        if meta.num_columns > MAX_COLUMNS:
            return f"the file has {meta.num_columns} columns, more than {MAX_COLUMNS}"
        total = 0
        widest = 1.0
        for index in range(meta.num_row_groups):
            group = meta.row_group(index)
            total += group.num_rows
            for column in range(group.num_columns):
                size = group.column(column).total_uncompressed_size
                if size > MAX_PARQUET_COLUMN_CHUNK_BYTES:
                    return (f"row group {index + 1}, column {group.column(column).path_in_schema!r} decompresses to "
                            f"{size} bytes, more than {MAX_PARQUET_COLUMN_CHUNK_BYTES} (write smaller row groups)")
            if group.num_rows:
                widest = max(widest, group.total_byte_size / group.num_rows)
        if total != meta.num_rows:
            return f"the footer says the file has {meta.num_rows} rows, but its row groups hold {total}"
        self.batch_rows = max(1, min(BATCH_ROWS, int(BATCH_BYTES // widest)))
        return None

    def _groups_holding(self, rows: Any) -> list[tuple[int, int]]:
        """(row group, number of its first row) of each row group that holds any of ``rows`` (row numbers)."""
        import numpy as np

        meta = self._file.metadata
        counts = np.array([meta.row_group(i).num_rows for i in range(meta.num_row_groups)], np.int64)
        firsts = 2 + np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
        holding = np.unique(np.searchsorted(firsts, np.asarray(rows, np.int64), side="right") - 1)
        return [(int(g), int(firsts[g])) for g in holding if 0 <= g < len(counts)]

    def batches(self, wanted: set[int] | None = None, rows: Any = None) -> Iterator[TypedBatch]:
        """The rows in batches; with ``wanted`` (column positions), only those columns are read.

        With ``rows`` (row numbers), only the row groups that hold them are read, each batch
        numbered as in the whole file (to read a few keys again, the footer says where they are).
        """
        names = positions = None
        if wanted is not None and len(set(self.labels)) == len(self.labels):  # columns are chosen by name
            positions = sorted(wanted)  # in the file's order, which is the order the batches hold them in
            names = [self.labels[i] for i in positions]
        next_row = 2
        groups = None if rows is None else self._groups_holding(rows)
        try:
            for first_row, batch in self._group_batches(names, groups):
                if first_row is not None:
                    next_row = first_row
                rows_here = counting(next_row, batch.num_rows)
                next_row += batch.num_rows
                if positions is None:
                    columns: list[Array | None] = [batch.column(i) for i in range(batch.num_columns)]
                else:
                    columns = [None] * len(self.labels)
                    for position, column in zip(positions, batch.columns, strict=True):
                        columns[position] = column
                yield TypedBatch(rows_here, columns)
            claimed = self._file.metadata.num_rows
            if groups is None and next_row - 2 != claimed:
                self.sink.add(Finding(self.shown, "file", f"the footer says the file has {claimed} rows, but "
                                      f"{next_row - 2} could be read", expected="a complete Parquet file"))
        except Exception as exc:  # as in open: a damaged page is this file's finding
            self.sink.add(Finding(self.shown, "file", f"could not read the rows from row {next_row} on: {exc}",
                                  next_row, expected="a complete Parquet file"))
        finally:
            self._file.close()

    def _group_batches(self, names: list[str] | None,
                       groups: list[tuple[int, int]] | None) -> Iterator[tuple[int | None, Any]]:
        """The file's batches; with ``groups`` ((row group, its first row number)), only theirs. Each batch
        comes with the number of its first row where a group begins, else None (it follows the one before)."""
        if groups is None:
            for batch in self._file.iter_batches(batch_size=self.batch_rows, columns=names,
                                                 use_pandas_metadata=False):
                yield None, batch
            return
        for group, first_row in groups:
            start: int | None = first_row
            for batch in self._file.iter_batches(batch_size=self.batch_rows, row_groups=[group], columns=names,
                                                 use_pandas_metadata=False):
                yield start, batch
                start = None
