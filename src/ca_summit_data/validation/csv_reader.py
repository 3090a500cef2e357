"""Streaming a CSV file into batches of text columns with spreadsheet row numbers.

A table's bytes come as UTF-8 from ``sources`` (decompressed, re-encoded, parts joined,
any byte-order mark skipped). Its dialect (``dialect.Dialect``) is applied in two steps:

- the preamble, every row up to the last header row, is read with Python's ``csv``
  module (``read_preamble``): the labels, joined over several header rows, and where the
  data begins. Later parts of a multi-part resource have their own preamble, skipped;
- pyarrow's streaming reader (``pyarrow.csv.open_csv``) parses the data from there, block
  by block, every cell as raw bytes, so nothing in the file can make it fail on a type.
  What pyarrow cannot do is done after it, vectorised: comment rows are dropped and
  ``skipInitialSpace`` trims leading spaces. A dialect it cannot parse (a delimiter or
  quote that is not ASCII, or spaces before a quoted cell under ``skipInitialSpace``) is
  first rewritten, streamed, into plain CSV by Python's ``csv`` module (``_Normalized``).

What a plain reader would do silently or with a traceback is reported here:

- a UTF-8 byte-order mark where the dialect says there is none (``byteOrderMark: false``,
  as our tables declare); on anyone else's file the spec allows one, and it is skipped;
- bytes that are not text in the file's encoding, cell by cell (each column of a batch is
  validated at once; only a column that fails is searched, in Python, for its bad cells);
- a row with more or fewer cells than the header ("ragged"): pyarrow hands it to a
  callback with its row number; it is re-read with Python's csv module so its cells are
  still checked, as frictionless does;
- an empty file, or one with fewer rows than its header.

Row numbers are physical rows as frictionless counts them: every row of the file counts,
the header rows, comment rows, blank rows and rows between header rows included, and a
row that spans several lines is one row. The first data row after a one-row header is
row 2; without a header it is row 1. The parts of a multi-part resource are numbered as
one file in which the header rows of the later parts are left out (frictionless joins
them so). Rows are numbered with the reader's own count of parsed rows, which is exact
because parsing is serial (``use_threads=False``).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import itertools
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa
import pyarrow.csv as pacsv

from ..limits import BATCH_BYTES, BATCH_ROWS, MAX_COLUMNS, MAX_ROW_BYTES
from ..schema.arrays import pc
from .batch import Array, counting
from .dialect import CANONICAL, Dialect
from .findings import Finding, Findings
from .sources import UTF8, Chain, Produced, Source, Transcoded, discard, encoding_label
from .streams import Expanded

BLOCK_SIZE = 1 << 19
"""Bytes parsed at a time. pyarrow's reader holds a few dozen blocks ahead, so this bounds
its memory (about 40 MiB at 1 MiB); a row longer than this is retried with larger blocks."""
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




@dataclass
class TextBatch:
    """Rows of a CSV file: the row numbers and one text column per header position."""

    rows: Array
    columns: list[Array]
    ragged: list[tuple[int, list[str]]] | None = None
    """For re-read ragged rows: (row number, cells) as found, for missing/extra cell findings."""
    bad_encoding: dict[int, Array] = field(default_factory=dict)
    """Cells already reported as not text in the file's encoding, by column position (0-based)."""


class Restart(Exception):
    """The file must be read again from the start in a more tolerant mode."""

    def __init__(self, *, repair_utf8: bool = False, block_size: int | None = None, normalize: bool = False) -> None:
        super().__init__("restart")
        self.repair_utf8 = repair_utf8
        self.block_size = block_size
        self.normalize = normalize


class Unreadable(OSError):
    """Text the Python reader cannot take (a row past ``MAX_ROW_BYTES``)."""


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


if csv.field_size_limit() < MAX_ROW_BYTES:
    csv.field_size_limit(MAX_ROW_BYTES)  # a cell is bounded by the row bound, not by Python's 128 KiB default


def _lines(stream: Any) -> Iterator[str]:
    """The lines of a text stream, each at most ``MAX_ROW_BYTES`` long (a file without line breaks is refused)."""
    while line := stream.readline(MAX_ROW_BYTES + 1):
        if len(line) > MAX_ROW_BYTES:
            raise Unreadable(f"a row is longer than {MAX_ROW_BYTES} bytes, the longest this reader takes")
        yield line


class _Normalized(Produced):
    """A dialect pyarrow cannot parse, rewritten a few rows at a time into plain CSV (``CANONICAL``).

    Python's csv module reads the file with its dialect and writes each row back with a
    comma and double quotes, quoting what needs it, so each row stays one row (an empty
    line stays an empty line) and the row numbers do not move. Bytes that are not UTF-8
    pass through unchanged (``surrogateescape``), to be reported cell by cell as usual.
    """

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding="utf-8", errors="surrogateescape",
                                newline="")
        super().__init__(text)
        self._rows = csv.reader(_lines(text), **dialect.python())
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, lineterminator="\r\n")

    def produce(self) -> bytes:
        try:
            self._writer.writerows(itertools.islice(self._rows, 4096))
        except csv.Error as exc:
            raise Unreadable(f"cannot be read as CSV: {exc}") from None
        piece = self._out.getvalue().encode("utf-8", "surrogateescape")
        self._out.seek(0)
        self._out.truncate()
        return piece


def _split_row(text: str, dialect: Dialect) -> list[str]:
    """A ragged row's cells, read by Python's csv module with the dialect pyarrow parsed it with."""
    reader = csv.reader(io.StringIO(text, newline=""), **dialect.python())
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


@dataclass
class Preamble:
    """The rows before the data: the header rows' cells, how many rows there were, and their length in bytes."""

    headers: list[tuple[int, list[str]]]
    """(row number, cells) of each header row, comment rows left out (their cells as read, surrogates for bad bytes)."""
    rows: int
    size: int


def read_preamble(open_text: Callable[[], Any], dialect: Dialect) -> Preamble | None:
    """Read the rows up to the last header row with Python's csv module; None if they exceed ``MAX_ROW_BYTES``.

    A file shorter than its preamble gives fewer ``rows``. The byte count is exact (the
    text is decoded with ``surrogateescape``, so it encodes back to the very bytes read),
    which is where pyarrow starts reading.
    """
    wanted = dialect.preamble
    if wanted == 0:
        return Preamble([], 0, 0)
    size = 1 << 16
    while True:
        stream = open_text()
        try:
            prefix = stream.read(size)
        finally:
            stream.close()
        text = prefix.decode("utf-8", errors="surrogateescape")
        buffer = io.StringIO(text, newline="")
        reader = csv.reader(buffer, **dialect.python())
        headers: list[tuple[int, list[str]]] = []
        rows = 0
        try:
            for number in range(1, wanted + 1):
                cells = next(reader, None)
                if cells is None:
                    break
                rows = number
                if number in dialect.header_rows and not dialect.is_comment(number, cells[0] if cells else None):
                    headers.append((number, cells))
        except csv.Error:
            pass
        if buffer.tell() < len(text) or len(prefix) < size:
            return Preamble(headers, rows, len(text[: buffer.tell()].encode("utf-8", "surrogateescape")))
        if size >= MAX_ROW_BYTES:
            return None
        size *= 4


def join_labels(headers: list[list[str]], join: str) -> list[str]:
    """The column labels from one or more header rows (Table Dialect ``headerRows`` and ``headerJoin``).

    One row: its cells. Several: each column's pieces joined with ``join``, top to bottom.
    In every header row but the last, a blank or missing cell continues the cell to its
    left (a title spanning columns, as the spec's example ``fruit`` over ``id,name`` gives
    ``fruit id``, ``fruit name``), and a piece equal to the one above it is not repeated (a
    title spanning rows). Blank pieces add nothing; the last row's cells are the columns.
    """
    if len(headers) == 1:
        return list(headers[0])
    width = max((len(cells) for cells in headers), default=0)
    pieces: list[list[str]] = [[] for _ in range(width)]
    above: list[str | None] = [None] * width
    for depth, cells in enumerate(headers):
        last = depth == len(headers) - 1
        spanning = ""
        for i in range(width):
            cell = cells[i] if i < len(cells) else ""
            if not last:
                spanning = cell if cell else spanning
                cell = spanning
            if cell and cell != above[i]:
                pieces[i].append(cell)
            above[i] = cell
    return [join.join(p) for p in pieces]


_SHOWN = str.maketrans({c: "\ufffd" for c in map(chr, range(0xDC80, 0xDD00))})


class CsvTable:
    """One CSV table, read once from start to end: ``labels`` after ``open()``, then ``batches()``.

    ``width``, for a file without a header, is how many cells a row has (the schema's fields).
    ``choose``, given the labels, names the positions (0-based) of the only columns wanted:
    the others are parsed but not converted, and come as missing values (to read a few
    columns again quickly).
    """

    def __init__(self, source: Source, shown: str, dialect: Dialect, sink: Findings, *,
                 block_size: int = BLOCK_SIZE, repair_utf8: bool = False, normalize: bool = False,
                 width: int = 0, choose: Callable[[list[str]], frozenset[int]] | None = None) -> None:
        self.source = source
        self.shown = shown
        self.dialect = dialect
        self.parsing = CANONICAL if normalize or not dialect.native else dialect
        """The dialect pyarrow parses: the file's own, or plain CSV once ``_Normalized`` has rewritten it."""
        self.normalize = self.parsing is not dialect
        self.sink = sink
        self.block_size = block_size
        self.repair_utf8 = repair_utf8
        self.width = width
        self.choose = choose
        self.include: frozenset[int] | None = None
        self.labels: list[str] = []
        self.encoding = encoding_label(source.encoding)
        self._reader: Any = None
        self._first: Any = None
        self._skipped: list[int] = []
        self._ragged: list[tuple[int, str]] = []
        self._source: Any = None
        self._offset = 0
        """Rows before the data (the preamble's), so that data row i is row ``_offset + i + 1``."""
        self._starts: list[int] = []
        """Where each part's data starts, in bytes of its UTF-8 text."""
        self._rewrite = False
        """Set when a ragged row shows a quoted cell after spaces, which pyarrow cannot parse (``skipInitialSpace``)."""
        self._quoted_after_space: re.Pattern[str] | None = None
        if dialect.skip_initial_space and dialect.quote_char is not None and not self.normalize:
            quote, delimiter = re.escape(dialect.quote_char), re.escape(dialect.delimiter)
            self._quoted_after_space = re.compile(f"(^|{delimiter}) +{quote}")

    def _fail(self, code: str, message: str, row: int | None = None, expected: str | None = None) -> None:
        self.sink.add(Finding(self.shown, code, message, row, expected=expected))

    def _on_invalid_row(self, row: pacsv.InvalidRow) -> Literal["skip", "error"]:
        if row.number is None:  # cannot happen with serial parsing; refuse to guess a row number
            raise RuntimeError("the CSV reader did not number a ragged row")
        text = str(row.text)
        if self._quoted_after_space is not None and self._quoted_after_space.search(text):
            self._rewrite = True  # pyarrow split a quoted cell: stop, and read the file again rewritten
            return "error"
        self._skipped.append(int(row.number) + self._offset)
        self._ragged.append((int(row.number) + self._offset, text))
        return "skip"

    def _data(self) -> Any:
        """The data's bytes as pyarrow reads them: every part from where its data starts, joined and rewritten."""
        def part(index: int) -> Callable[[], Any]:
            def opened() -> Any:
                stream = self.source.text(index)
                discard(stream, self._starts[index])
                return stream
            return opened

        if self.source.count == 1 and not self.repair_utf8 and not self.normalize:
            return part(0)()
        stream: Any = Chain([part(i) for i in range(self.source.count)])
        if self.repair_utf8:
            stream = Transcoded(stream, "utf-8", errors="replace")  # every invalid sequence as U+FFFD
        if self.normalize:
            stream = _Normalized(stream, self.dialect)
        return stream

    def _open_reader(self, columns: int) -> Any:
        dialect = self.parsing
        parse = pacsv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quote_char or False,
            double_quote=dialect.double_quote,
            escape_char=dialect.escape_char or False,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=self._on_invalid_row,
        )
        names = [f"f{i}" for i in range(columns)]
        read = pacsv.ReadOptions(use_threads=False, block_size=self.block_size, column_names=names)
        included = None
        if self.include is not None:  # rows asked for again are data rows: no need to tell comment rows
            included = [names[i] for i in sorted(self.include) if i < columns]
        convert = pacsv.ConvertOptions(
            column_types={name: pa.binary() for name in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            include_columns=included,
        )
        self._source = self._data()
        source = self._source
        try:
            return self._guarded(lambda: pacsv.open_csv(source, read_options=read, parse_options=parse,
                                                         convert_options=convert))
        except pa.ArrowInvalid as exc:
            if "Empty CSV file" in str(exc):
                return None
            raise

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
            if self._rewrite:
                raise Restart(block_size=self.block_size, repair_utf8=self.repair_utf8, normalize=True) from None
            if undecodable and not self.repair_utf8:
                raise Restart(repair_utf8=True, block_size=self.block_size, normalize=self.normalize) from None
            if "straddling" in message or "straddles" in message:
                if self.block_size < MAX_BLOCK_SIZE:
                    grown = min(self.block_size * 8, MAX_BLOCK_SIZE)
                    raise Restart(block_size=grown, repair_utf8=self.repair_utf8, normalize=self.normalize) from None
                raise pa.ArrowInvalid(
                    f"a row is longer than {MAX_ROW_BYTES} bytes, the longest this reader takes"
                ) from None
            raise
        finally:
            sys.unraisablehook = previous

    def _check_start(self) -> bool:
        """The file's first bytes: empty, or a byte-order mark the dialect or encoding does not allow."""
        stream = self.source.raw(0)
        try:
            head = stream.read(4)
        finally:
            stream.close()
        if not head:
            self._fail("file", "the file is empty", expected="a header row naming the columns" if self.dialect.header
                       else "rows")
            return False
        if self.source.encoding != UTF8:
            return True
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self._fail("encoding", "the file is UTF-16 (it starts with a UTF-16 byte-order mark)", 1,
                       expected="UTF-8, or the encoding declared (encoding: utf-16)")
            return False
        if head.startswith(codecs.BOM_UTF8) and self.dialect.byte_order_mark is False:
            self._fail("bom", "the file starts with a UTF-8 byte-order mark, which its dialect rules out", 1,
                       expected="UTF-8 without a byte-order mark (dialect byteOrderMark: false)")
        return True

    def _preamble(self, index: int) -> Preamble | None:
        preamble = read_preamble(lambda: self.source.text(index), self.dialect)
        if preamble is None:
            self._fail("file", f"the header rows are longer than {MAX_ROW_BYTES} bytes",
                       expected=f"a header of at most {MAX_COLUMNS} columns")
        return preamble

    def _read_labels(self, preamble: Preamble) -> bool:
        """The labels from the header rows; False (with a finding) when there are none or too many."""
        if preamble.rows < self.dialect.preamble:
            self._fail("file", "the file has no header row" if preamble.rows == 0
                       else f"the file ends before its header rows ({', '.join(map(str, self.dialect.header_rows))})",
                       expected="a header row naming the columns")
            return False
        raw = join_labels([cells for _, cells in preamble.headers], self.dialect.header_join) or [""]
        if len(raw) > MAX_COLUMNS:
            self._fail("file", f"the header has {len(raw)} columns, more than {MAX_COLUMNS}",
                       expected=f"at most {MAX_COLUMNS} columns")
            return False
        self.labels = [label.translate(_SHOWN) for label in raw]
        if self.repair_utf8 or any(label != shown for label, shown in zip(raw, self.labels, strict=True)):
            row = preamble.headers[-1][0] if preamble.headers else 1
            for i, (label, shown) in enumerate(zip(raw, self.labels, strict=True)):
                if label != shown or (self.repair_utf8 and "\ufffd" in label):
                    self.sink.add(Finding(self.shown, "encoding", f"not valid {self.encoding} text", row, shown,
                                          i + 1, shown, f"{self.encoding} text"))
        return True

    def open(self) -> bool:
        """Read the header. False (with a finding) if the file cannot be read as CSV at all."""
        try:
            if not self._check_start():
                return False
        except Expanded as exc:
            self._fail("file", f"not read: {exc}", expected="a file that expands less")
            return False
        except OSError as exc:
            self._fail("unreadable", f"cannot read the file: {exc.strerror or exc}")
            return False
        try:
            preamble = self._preamble(0)
            if preamble is None:
                return False
            if self.dialect.header:
                if not self._read_labels(preamble):
                    return False
                width = len(self.labels)
            else:
                width = max(self.width, 1)
                if width > MAX_COLUMNS:
                    self._fail("file", f"the schema has {width} fields, more than {MAX_COLUMNS}",
                               expected=f"at most {MAX_COLUMNS} columns")
                    return False
            self._offset = preamble.rows
            self._starts = [preamble.size]
            for index in range(1, self.source.count):
                try:
                    later = self._preamble(index)
                except OSError as exc:
                    if isinstance(exc, Expanded):
                        raise
                    self._fail("unreadable", f"cannot read part {index + 1}: {exc.strerror or exc}")
                    return False
                if later is None:
                    return False
                self._starts.append(later.size)
            if self.choose is not None:
                self.include = self.choose(self.labels)
            self._reader = self._open_reader(width)
            self._first = self._next_batch()
        except Restart:
            raise
        except Expanded as exc:
            self._fail("file", f"not read: {exc}", expected="a file that expands less")
            return False
        except (pa.ArrowInvalid, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self._fail("file", f"cannot be read as CSV: {reason}")
            return False
        return True

    def _next_batch(self) -> Any:
        if self._reader is None:
            return None
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
        if self.include is not None and raw.num_columns:
            return self._some_columns(raw, rows)
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
        return self._dialect_applied(TextBatch(rows, columns, bad_encoding=bad))

    def _some_columns(self, raw: Any, rows: Array) -> TextBatch:
        """The columns of ``include`` as text, the others missing (``raw`` holds only the included columns)."""
        width = len(self.labels) if self.dialect.header else max(self.width, 1)
        unread = pa.nulls(len(rows), pa.string())
        columns = [unread] * width
        for name, data in zip(raw.schema.names, raw.columns, strict=True):
            position = int(name[1:])
            try:
                columns[position] = pc.cast(data, pa.string())
            except pa.ArrowInvalid:
                columns[position] = decode_slowly(data)[0]
        return self._dialect_applied(TextBatch(rows, columns))

    def _dialect_applied(self, batch: TextBatch) -> TextBatch:
        """What pyarrow cannot do, done on a parsed batch: ``skipInitialSpace`` and comment rows (vectorised)."""
        dialect = self.dialect
        if dialect.skip_initial_space and not self.normalize:
            if self._quoted_after_space is not None:
                quoted = "^ +" + re.escape(dialect.quote_char or "")
                for column in batch.columns:
                    if pc.any(pc.match_substring_regex(column, quoted)).as_py():
                        raise Restart(block_size=self.block_size, repair_utf8=self.repair_utf8, normalize=True)
            batch.columns = [pc.utf8_ltrim(column, characters=" ") for column in batch.columns]
        if (dialect.comment_char is None and not dialect.comment_rows) or not batch.columns:
            return batch
        comment = pa.array([False] * len(batch.rows), pa.bool_()) if dialect.comment_char is None \
            else pc.fill_null(pc.starts_with(batch.columns[0], dialect.comment_char), False)
        if dialect.comment_rows:
            comment = pc.or_(comment, pc.is_in(batch.rows, value_set=pa.array(sorted(dialect.comment_rows),
                                                                                 pa.int64())))
        if not pc.any(comment).as_py():
            return batch
        keep = pc.invert(comment)
        return TextBatch(pc.filter(batch.rows, keep), [pc.filter(c, keep) for c in batch.columns],
                         bad_encoding={i: pc.filter(m, keep) for i, m in batch.bad_encoding.items()})

    def _ragged_batch(self, width: int) -> TextBatch | None:
        rows: list[int] = []
        cells: list[list[str]] = []
        for number, text in self._ragged[:RAGGED_BATCH]:
            found = _split_row(text, self.parsing)
            if self.dialect.is_comment(number, found[0] if found else None):
                continue
            rows.append(number)
            cells.append(found)
        del self._ragged[:RAGGED_BATCH]
        if not rows:
            return None
        columns = [pa.array([c[i] if i < len(c) else None for c in cells], pa.string()) for i in range(width)]
        batch = TextBatch(pa.array(rows, pa.int64()), columns, ragged=list(zip(rows, cells, strict=True)))
        if self.repair_utf8:
            for i, column in enumerate(columns):
                replaced = pc.fill_null(pc.match_substring(column, "\ufffd"), False)
                if pc.any(replaced).as_py():
                    batch.bad_encoding[i] = replaced
        return batch

    def _raggeds(self, width: int, *, all_of_them: bool) -> Iterator[TextBatch]:
        while len(self._ragged) >= (1 if all_of_them else RAGGED_BATCH):
            batch = self._ragged_batch(width)
            if batch is not None:
                yield batch

    def batches(self) -> Iterator[TextBatch]:
        """The data rows (header and comment rows excluded), in file order; ragged rows come as their own batches."""
        width = len(self.labels) if self.dialect.header else max(self.width, 1)
        parsed = 0
        raw = self._first
        pending: list[tuple[Any, int]] = []
        size = rows = 0
        try:
            while raw is not None:
                start = parsed + self._offset
                parsed += raw.num_rows
                if raw.num_rows:
                    pending.append((raw, start))
                    size += raw.nbytes
                    rows += raw.num_rows
                if size >= BATCH_BYTES or rows >= BATCH_ROWS:
                    batch = self._joined(pending)
                    if len(batch.rows):
                        yield batch
                    pending, size, rows = [], 0, 0
                yield from self._raggeds(width, all_of_them=False)
                raw = self._next_batch()
            if pending:
                batch = self._joined(pending)
                if len(batch.rows):
                    yield batch
            yield from self._raggeds(width, all_of_them=True)
        except (pa.ArrowInvalid, OSError) as exc:
            self._fail("file", f"could not read the rest of the file: {exc}")
        finally:
            self._close()
