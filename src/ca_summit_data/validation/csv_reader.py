"""Streaming a CSV file into batches of text columns with spreadsheet row numbers.

pyarrow's streaming reader (``pyarrow.csv.open_csv``) parses the file block by block,
every cell as raw bytes, so nothing about the file's content can make it fail on a
type. What a plain reader would do silently or with a traceback is reported here:

- a UTF-8 byte-order mark (our files have none; pyarrow would drop it unseen);
- bytes that are not UTF-8, cell by cell (each column of a batch is validated at once;
  only a column that fails is searched, in Python, for its bad cells);
- a row with more or fewer cells than the header ("ragged"): pyarrow hands it to a
  callback with its row number; it is re-read with Python's csv module so its cells are
  still checked, as frictionless does;
- an empty file.

The header is row 1 and every later row keeps its number as a spreadsheet shows it,
including rows that span several lines and blank lines, so a report's row numbers are
the ones a person sees. Rows are numbered with the reader's own count of parsed rows,
which is exact because parsing is serial (``use_threads=False``).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.csv as pacsv

from ..limits import MAX_COLUMNS, MAX_ROW_BYTES
from ..schema.arrays import pc
from ..schema.tableschema import UnsupportedSchema
from .batch import Array, counting
from .findings import Finding, Findings
from .streams import Expanded, open_stream

BLOCK_SIZE = 1 << 19
"""Bytes parsed at a time. pyarrow's reader holds a few dozen blocks ahead, so this bounds
its memory (about 40 MiB at 1 MiB); a row longer than this is retried with larger blocks."""
BATCH_BYTES = 6 << 20
"""Parsed blocks are joined into batches of about this much text: fewer, larger batches
spend less time in Python per row."""
MAX_BLOCK_SIZE = MAX_ROW_BYTES // 2
"""The largest block: pyarrow refuses a record that spans more than two blocks ("straddles two block
boundaries"), so no record longer than ``MAX_ROW_BYTES`` is ever held, and the blocks it reads ahead
stay a bounded number of these."""
TYPED_COLUMNS = 512
"""Columns typed as raw bytes up front; a wider file is reopened with enough."""
RAGGED_SHIFTS = 32
"""Up to this many ragged rows inside one parsed block are accounted for with vectorised shifts."""
RAGGED_BATCH = 8192
"""Ragged rows are re-read in Python and checked in batches of at most this many."""


@dataclass(frozen=True)
class Dialect:
    """The CSV dialect of a resource (Table Schema / Data Package ``dialect``; the defaults are ours)."""

    delimiter: str = ","
    quote_char: str | None = '"'
    double_quote: bool = True
    escape_char: str | None = None


_DIALECT_KEYS = {"delimiter", "quoteChar", "doubleQuote", "escapeChar", "header", "lineTerminator",
                 "skipInitialSpace", "caseSensitiveHeader", "csvddfVersion", "$schema", "nullSequence", "csv"}


def dialect_from(raw: Any) -> Dialect:
    """Read a descriptor's ``dialect``; refuse what would change the meaning of the file in ways we do not handle."""
    if raw is None:
        return Dialect()
    if not isinstance(raw, dict):
        raise UnsupportedSchema("dialect must be an object")
    unknown = set(raw) - _DIALECT_KEYS
    if unknown:
        raise UnsupportedSchema(f"dialect properties {', '.join(sorted(unknown))} are not supported")
    if raw.get("header", True) is not True:
        raise UnsupportedSchema("only CSV files with a header row are supported (dialect header: true)")
    if raw.get("skipInitialSpace", False) or raw.get("nullSequence") is not None or raw.get("csv"):
        raise UnsupportedSchema("dialect skipInitialSpace, nullSequence and csv are not supported")
    delimiter = raw.get("delimiter", ",")
    quote = raw.get("quoteChar", '"')
    escape = raw.get("escapeChar")
    for name, value in (("delimiter", delimiter), ("quoteChar", quote), ("escapeChar", escape)):
        if value is not None and (not isinstance(value, str) or len(value) != 1):
            raise UnsupportedSchema(f"dialect {name} must be a single character")
        if value is not None and not value.isascii():
            raise UnsupportedSchema(f"dialect {name} {value!r} is not an ASCII character, which this reader needs")
    return Dialect(delimiter, quote, bool(raw.get("doubleQuote", True)), escape)


@dataclass
class TextBatch:
    """Rows of a CSV file: the row numbers and one text column per header position."""

    rows: Array
    columns: list[Array]
    ragged: list[tuple[int, list[str]]] | None = None
    """For re-read ragged rows: (row number, cells) as found, for missing/extra cell findings."""
    bad_encoding: dict[int, Array] = field(default_factory=dict)
    """Cells already reported as not UTF-8, by column position (0-based)."""


class Restart(Exception):
    """The file must be read again from the start in a more tolerant mode."""

    def __init__(self, *, repair_utf8: bool = False, block_size: int | None = None) -> None:
        super().__init__("restart")
        self.repair_utf8 = repair_utf8
        self.block_size = block_size


class _Utf8Repaired(io.RawIOBase):
    """A file's bytes with every invalid UTF-8 sequence replaced by U+FFFD (used only after a failure)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self._pending) < len(buffer) and not self._done:
            chunk = self._raw.read(1 << 20)
            self._done = not chunk
            self._pending += self._decoder.decode(chunk, final=self._done).encode("utf-8")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def decode_slowly(data: Any) -> tuple[Array, Array]:
    """Decode a column of bytes that failed UTF-8 validation, cell by cell (only ever for a broken column).

    Returns the text (bad bytes shown as U+FFFD) and which cells were not UTF-8.
    """
    texts: list[str | None] = []
    flags: list[bool] = []
    for value in data.to_pylist():
        try:
            texts.append(None if value is None else value.decode("utf-8"))
            flags.append(False)
        except UnicodeDecodeError:
            texts.append(value.decode("utf-8", errors="replace"))
            flags.append(True)
    return pa.array(texts, pa.string()), pa.array(flags, pa.bool_())


def _reader(buffer: io.StringIO, dialect: Dialect) -> Iterator[list[str]]:
    """Python's csv reader for a dialect (for the header's width and for ragged rows, never the bulk)."""
    return csv.reader(
        buffer,
        delimiter=dialect.delimiter,
        quotechar=dialect.quote_char or '"',
        quoting=csv.QUOTE_MINIMAL if dialect.quote_char else csv.QUOTE_NONE,
        doublequote=dialect.double_quote,
        escapechar=dialect.escape_char,
        strict=False,
    )


def _split_row(text: str, dialect: Dialect) -> list[str]:
    reader = _reader(io.StringIO(text, newline=""), dialect)
    try:
        cells = next(reader, [])
    except csv.Error:
        return [text]
    return cells


def _row_numbers(start: int, count: int, skipped: list[int]) -> Array:
    """Row numbers of ``count`` parsed rows from the ``start``-th (0 = header), given the skipped rows so far.

    A parsed row's number is its index + 1, plus the skipped (ragged) rows before it: a
    skipped row j (its number s) comes after exactly s - 1 - j parsed rows.
    """
    valid_before = [number - 1 - j for j, number in enumerate(skipped)]
    before = bisect.bisect_right(valid_before, start)
    inside = valid_before[before:bisect.bisect_right(valid_before, start + count - 1)]
    numbers = counting(start + 1 + before, count)
    if len(inside) > RAGGED_SHIFTS:  # a very ragged stretch: number the rows in Python (only broken files get here)
        return pa.array([i + 1 + bisect.bisect_right(valid_before, i) for i in range(start, start + count)], pa.int64())
    index = counting(start, count)
    for valid in inside:  # each skipped row inside the batch shifts every later row by one
        numbers = pc.add(numbers, pc.cast(pc.greater_equal(index, valid), pa.int64()))
    return numbers


class CsvTable:
    """One CSV file, read once from start to end: ``labels`` after ``open()``, then ``batches()``."""

    def __init__(self, path: Path, shown: str, dialect: Dialect, sink: Findings, *,
                 block_size: int = BLOCK_SIZE, repair_utf8: bool = False, compression: str | None = None) -> None:
        self.path = path
        self.compression = compression
        self.shown = shown
        self.dialect = dialect
        self.sink = sink
        self.block_size = block_size
        self.repair_utf8 = repair_utf8
        self.labels: list[str] = []
        self._reader: Any = None
        self._first: Any = None
        self._skipped: list[int] = []
        self._ragged: list[tuple[int, str]] = []
        self._source: Any = None

    def _fail(self, code: str, message: str, row: int | None = None, expected: str | None = None) -> None:
        self.sink.add(Finding(self.shown, code, message, row, expected=expected))

    def _on_invalid_row(self, row: pacsv.InvalidRow) -> Literal["skip"]:
        if row.number is None:  # cannot happen with serial parsing; refuse to guess a row number
            raise RuntimeError("the CSV reader did not number a ragged row")
        self._skipped.append(int(row.number))
        self._ragged.append((int(row.number), str(row.text)))
        return "skip"

    def _open_reader(self, columns: int) -> Any:
        parse = pacsv.ParseOptions(
            delimiter=self.dialect.delimiter,
            quote_char=self.dialect.quote_char or False,
            double_quote=self.dialect.double_quote,
            escape_char=self.dialect.escape_char or False,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=self._on_invalid_row,
        )
        read = pacsv.ReadOptions(use_threads=False, block_size=self.block_size, autogenerate_column_names=True)
        convert = pacsv.ConvertOptions(
            column_types={f"f{i}": pa.binary() for i in range(columns)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        raw = open_stream(self.path, self.compression)
        self._source = _Utf8Repaired(raw) if self.repair_utf8 else raw
        source = self._source
        return self._guarded(lambda: pacsv.open_csv(source, read_options=read, parse_options=parse,
                                                     convert_options=convert))

    def _guarded(self, action: Callable[[], Any]) -> Any:
        """Run a reader step; turn the failures a second reading can avoid into ``Restart``.

        pyarrow hands a ragged row to our callback as text; when that row is not UTF-8 it
        cannot, reports the decoding error as "unraisable" (a traceback on stderr) and fails
        the read. The hook below keeps that off the screen and asks for a repaired reading.
        """
        previous = sys.unraisablehook
        undecodable: list[BaseException] = []

        def hook(info: Any) -> None:
            if isinstance(info.exc_value, UnicodeDecodeError):
                undecodable.append(info.exc_value)
            else:
                previous(info)

        sys.unraisablehook = hook
        try:
            return action()
        except pa.ArrowInvalid as exc:
            message = str(exc)
            if undecodable and not self.repair_utf8:
                raise Restart(repair_utf8=True, block_size=self.block_size) from None
            if "straddling" in message or "straddles" in message:
                if self.block_size < MAX_BLOCK_SIZE:
                    grown = min(self.block_size * 8, MAX_BLOCK_SIZE)
                    raise Restart(block_size=grown, repair_utf8=self.repair_utf8) from None
                raise pa.ArrowInvalid(
                    f"a row is longer than {MAX_ROW_BYTES} bytes, the longest this reader takes"
                ) from None
            raise
        finally:
            sys.unraisablehook = previous

    def _header_width(self) -> tuple[int, int] | None:
        """How many cells the header row has, and its length in bytes, read with Python's csv module.

        None when the header alone is longer than ``MAX_ROW_BYTES``. Known before pyarrow
        reads the file, so a file too wide (``MAX_COLUMNS``) is refused before any column
        is typed, and the first block is made large enough to hold the whole header.
        """
        size = 1 << 16
        while True:
            stream = open_stream(self.path, self.compression)
            try:
                prefix = stream.read(size)
            finally:
                stream.close()
            text = prefix.decode("utf-8", errors="replace")
            buffer = io.StringIO(text, newline="")
            row = next(_reader(buffer, self.dialect), [])
            if buffer.tell() < len(text) or len(prefix) < size:
                return len(row), len(text[: buffer.tell()].encode("utf-8"))
            if size >= MAX_ROW_BYTES:
                return None
            size *= 4

    def open(self) -> bool:
        """Read the header. False (with a finding) if the file cannot be read as CSV at all."""
        try:
            stream = open_stream(self.path, self.compression)
            try:
                head = stream.read(4)
            finally:
                stream.close()
        except Expanded as exc:
            self._fail("file", f"not read: {exc}", expected="a file that expands less")
            return False
        except OSError as exc:
            self._fail("unreadable", f"cannot read the file: {exc.strerror or exc}")
            return False
        if not head:
            self._fail("file", "the file is empty", expected="a header row naming the columns")
            return False
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self._fail("encoding", "the file is UTF-16 (it starts with a UTF-16 byte-order mark)", 1,
                       expected="UTF-8 without a byte-order mark")
            return False
        if head.startswith(codecs.BOM_UTF8):
            self._fail("bom", "the file starts with a UTF-8 byte-order mark", 1,
                       expected="UTF-8 without a byte-order mark")
        try:
            shape = self._header_width()
        except OSError as exc:
            self._fail("file", f"cannot be read as CSV: {exc}")
            return False
        if shape is None:
            self._fail("file", f"the header row is longer than {MAX_ROW_BYTES} bytes",
                       expected=f"a header of at most {MAX_COLUMNS} columns")
            return False
        header_width, header_bytes = shape
        if header_width > MAX_COLUMNS:
            self._fail("file", f"the header has {header_width} columns, more than {MAX_COLUMNS}",
                       expected=f"at most {MAX_COLUMNS} columns")
            return False
        while self.block_size < 2 * header_bytes and self.block_size < MAX_BLOCK_SIZE:
            self.block_size *= 2
        try:
            self._reader = self._open_reader(TYPED_COLUMNS)
            width = len(self._reader.schema)
            if width > TYPED_COLUMNS:
                self._close()
                self._skipped.clear()
                self._ragged.clear()
                self._reader = self._open_reader(width)
            self._first = self._next_batch()
        except Restart:
            raise
        except (pa.ArrowInvalid, OSError) as exc:
            if "Empty CSV file" in str(exc):
                self._fail("file", "the file has no rows", expected="a header row naming the columns")
            else:
                self._fail("file", f"cannot be read as CSV: {exc}")
            return False
        if self._first is None or self._first.num_rows == 0:
            self._fail("file", "the file has no header row", expected="a header row naming the columns")
            return False
        header = [self._first.column(i)[0].as_py() or b"" for i in range(width)]
        self.labels = [v.decode("utf-8", errors="replace") for v in header]
        for i, raw_label in enumerate(header):
            try:
                broken = self.repair_utf8 and "\ufffd" in raw_label.decode("utf-8")
            except UnicodeDecodeError:
                broken = True
            if broken:
                self.sink.add(Finding(self.shown, "encoding", "not valid UTF-8 text", 1, self.labels[i], i + 1,
                                      self.labels[i], "UTF-8 text"))
        return True

    def _next_batch(self) -> Any:
        try:
            return self._guarded(self._reader.read_next_batch)
        except StopIteration:
            return None

    def _close(self) -> None:
        if self._source is not None:
            self._source.close()

    def _joined(self, parts: list[tuple[Any, int]]) -> TextBatch:
        """One batch from consecutive parsed blocks (``parts``: each block and the index of its first row)."""
        count = sum(raw.num_rows for raw, _ in parts)
        rows = _row_numbers(parts[0][1], count, self._skipped)
        if len(parts) == 1:
            return self._text_columns(parts[0][0], rows)
        raws = [raw for raw, _ in parts]
        joined = pa.RecordBatch.from_arrays(
            [pa.concat_arrays([raw.column(i) for raw in raws]) for i in range(raws[0].num_columns)],
            names=raws[0].schema.names,
        )
        return self._text_columns(joined, rows)

    def _text_columns(self, raw: Any, rows: Array) -> TextBatch:
        columns: list[Array] = []
        bad: dict[int, Array] = {}
        for i in range(raw.num_columns):
            data = raw.column(i)
            try:
                text = pc.cast(data, pa.string())
            except pa.ArrowInvalid:
                text, bad[i] = decode_slowly(data)
            if self.repair_utf8:
                replaced = pc.match_substring(text, "\ufffd")
                if pc.any(replaced).as_py():
                    bad[i] = replaced if i not in bad else pc.or_(bad[i], replaced)
            columns.append(text)
        return TextBatch(rows, columns, bad_encoding=bad)

    def _ragged_batch(self, width: int) -> TextBatch:
        rows: list[int] = []
        cells: list[list[str]] = []
        for number, text in self._ragged[:RAGGED_BATCH]:
            rows.append(number)
            cells.append(_split_row(text, self.dialect))
        del self._ragged[:RAGGED_BATCH]
        columns = [pa.array([c[i] if i < len(c) else None for c in cells], pa.string()) for i in range(width)]
        batch = TextBatch(pa.array(rows, pa.int64()), columns, ragged=list(zip(rows, cells, strict=True)))
        if self.repair_utf8:
            for i, column in enumerate(columns):
                replaced = pc.fill_null(pc.match_substring(column, "\ufffd"), False)
                if pc.any(replaced).as_py():
                    batch.bad_encoding[i] = replaced
        return batch

    def batches(self) -> Iterator[TextBatch]:
        """The data rows (header excluded), in file order; ragged rows come as their own small batches."""
        width = len(self.labels)
        parsed = 0
        raw = self._first
        pending: list[tuple[Any, int]] = []
        size = 0
        try:
            while raw is not None:
                start = parsed
                parsed += raw.num_rows
                if start == 0:  # the header
                    raw, start = raw.slice(1), 1
                if raw.num_rows:
                    pending.append((raw, start))
                    size += raw.nbytes
                if size >= BATCH_BYTES:
                    yield self._joined(pending)
                    pending, size = [], 0
                while len(self._ragged) >= RAGGED_BATCH:
                    yield self._ragged_batch(width)
                raw = self._next_batch()
            if pending:
                yield self._joined(pending)
            while self._ragged:
                yield self._ragged_batch(width)
        except (pa.ArrowInvalid, Expanded) as exc:
            self._fail("file", f"could not read the rest of the file: {exc}")
        finally:
            self._close()

