"""Checking one table file from start to end, in bounded memory.

The file is streamed batch by batch (``csv_reader`` / ``parquet_reader``); each batch is
typed (``cells``) and checked (``checks``), and the keys the run needs are kept
(``keys``). Duplicated primary keys and unique values are found when the file ends;
foreign keys when every file has been read (``run``). If the reader has to start again
(a row longer than a block, or a ragged row that is also not UTF-8), the file's
findings so far are dropped and it is read again, so nothing is reported twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import pyarrow as pa

from ..schema.arrays import pc
from ..schema.tableschema import FieldSpec
from .batch import Array, Batch, Cells
from .cells import ColumnTypeError, adopt_typed, parse_text
from .checks import check_batch
from .csv_reader import BLOCK_SIZE, CsvTable, Restart, TextBatch, decode_slowly
from .emit import emit
from .findings import Finding, Findings
from .header import pair_fields
from .inputs import TableInput
from .keys import (
    KeyColumn,
    KeyIndex,
    PendingTexts,
    ReadTexts,
    Reference,
    TextRequest,
    key_of,
    report_duplicates,
    report_missing_keys,
)
from .parquet_reader import ParquetTable, TypedBatch
from .prefetch import in_parallel, prefetched
from .sources import encoding_label

MAX_RESTARTS = 4
PROFILE_ROWS = 2048
"""The fewest rows a batch needs for a column's repetition to be judged on it."""
PROFILE_SAMPLE = 8192
"""The rows the judgement looks at: the first of that batch. Finding the distinct values of a whole
16 MiB batch took 0.18 s a table of 14 columns; the verdict only chooses the faster of two exact paths."""
REPEATING = 0.25
"""A text column with at most this share of distinct values in the rows judged is checked per distinct value."""
ENCODED_MIN_BYTES = 8
"""... if its values are at least this long on average (with their offsets), or it is a list."""


@dataclass
class TableResult:
    """What a checked file leaves for the foreign-key checks: its keys, and whether it could be read."""

    read: bool
    rows: int = 0
    keys: dict[tuple[str, ...], KeyColumn] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    """Column number of each field in the file."""
    pending: PendingTexts | None = None
    """Findings found at the end that wait for key values, read again from the file at once (``settle``)."""
    unique_keys: list[tuple[tuple[str, ...], str, int]] = field(default_factory=list)
    """(fields, code, column number) of the primary key and unique keys, whose duplicates are reported."""


@dataclass
class _Profile:
    """Which text columns repeat themselves, judged on the first rows of a large batch, so they are read per value."""

    repeats: dict[int, bool] = field(default_factory=dict)

    def encoded(self, position: int, text: Array, kind: str) -> Array | None:
        """The column dictionary-encoded if reading it per distinct value pays, else None.

        It pays for lists (splitting and item checks) and for text of some length
        (patterns, lengths); numbers, dates, booleans and very short codes are read
        as fast row by row as encoding them would take.
        """
        decided = self.repeats.get(position)
        if decided is None and len(text) >= PROFILE_ROWS:
            sample = text.slice(0, PROFILE_SAMPLE)
            repeats = len(pc.unique(sample)) <= len(sample) * REPEATING
            long_enough = kind == "list" or (kind == "string" and sample.nbytes >= ENCODED_MIN_BYTES * len(sample))
            decided = self.repeats[position] = repeats and long_enough
        return pc.dictionary_encode(text) if decided else None


def _ragged_findings(batch: Batch, file: str, sink: Findings) -> None:
    """Missing and extra cells of rows whose cell count differs from the header's (blank rows excepted)."""
    assert batch.ragged is not None
    width = len(batch.cells)
    live = batch.live.to_pylist() if batch.live is not None else [True] * len(batch.ragged)
    for (row, cells), is_live in zip(batch.ragged, live, strict=True):
        if not is_live:
            continue
        for position in range(len(cells), width):
            if sink.wants(file, row, position + 1):
                sink.add(
                    Finding(
                        file,
                        "missing-cell",
                        "the row has fewer cells than the header",
                        row,
                        batch.cells[position].field.name,
                        position + 1,
                        None,
                        f"{width} cells, as the header has",
                    )
                )
            else:
                sink.count(file, 1)
        for position in range(width, len(cells)):
            if sink.wants(file, row, position + 1):
                sink.add(
                    Finding(
                        file,
                        "extra-cell",
                        "the row has more cells than the header",
                        row,
                        None,
                        position + 1,
                        cells[position],
                        f"{width} cells, as the header has",
                    )
                )
            else:
                sink.count(file, 1)


def _flag_undecodable(sink: Findings, item: TableInput, rows: Array, column: Cells, bad: Array | None) -> None:
    """Report the cells of ``column`` that were not text in the file's encoding (``bad``), and keep them from
    being reported again."""
    if bad is None:
        return
    encoding = encoding_label(item.encoding)
    emit(
        sink,
        item.shown,
        rows,
        bad,
        code="encoding",
        cells=column,
        message=f"not valid {encoding} text",
        expected=f"{encoding} text",
    )
    column.invalid = pc.or_(column.invalid, bad)
    column.reported = bad


def _text_batch(raw: TextBatch, fields: list[FieldSpec], item: TableInput, sink: Findings, profile: _Profile,
                only: frozenset[str] | None = None) -> Batch:
    cells: list[Cells] = []
    for position, spec_field in enumerate(fields):
        if only is not None and spec_field.name not in only:
            continue
        text = raw.columns[position]
        encoded = None if raw.ragged is not None else profile.encoded(position, text, spec_field.type)
        column = parse_text(spec_field, position + 1, text, item.spec.missing_for(spec_field), encoded)
        _flag_undecodable(sink, item, raw.rows, column, raw.bad_encoding.get(position))
        cells.append(column)
    return Batch(raw.rows, cells, ragged=raw.ragged)


class DamagedFile(Exception):
    """A Parquet column whose data does not hold together (bad offsets, indices out of range, …)."""


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _decode_lists(column: Array) -> tuple[Array, Array]:
    """A list-of-text column with some items not UTF-8: the items decoded (U+FFFD), and which rows had one."""
    lists: list[list[str | None] | None] = []
    flags: list[bool] = []
    for value in pc.cast(column, pa.list_(pa.large_binary())).to_pylist():
        items = None if value is None else [None if v is None else v.decode("utf-8", "replace") for v in value]
        lists.append(items)
        flags.append(any(i is not None and "\ufffd" in i for i in items or []))
    return pa.array(lists, pa.list_(pa.string())), pa.array(flags, pa.bool_())


def _checked(column: Array, name: str) -> tuple[Array, Array | None]:
    """A Parquet column, checked: which cells are not UTF-8 (Parquet readers do not check text; we must).

    A column whose structure is broken (offsets, dictionary indices) raises ``DamagedFile``.
    """
    try:
        column.validate(full=True)
        return column, None
    except pa.ArrowInvalid as exc:
        problem = exc
    kind = column.type
    if pa.types.is_dictionary(kind) and _is_text(kind.value_type):
        try:
            column.indices.validate(full=True)
            column = pc.take(column.dictionary, column.indices)
        except (pa.ArrowInvalid, pa.ArrowIndexError) as damaged:
            raise DamagedFile(f"column {name!r} is damaged: {damaged}") from None
        kind = column.type
    if _is_text(kind):
        text, bad = decode_slowly(pc.cast(column, pa.large_binary()))
    elif (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and _is_text(kind.value_type):
        text, bad = _decode_lists(column)
    else:
        raise DamagedFile(f"column {name!r} is damaged: {problem}")
    if not pc.any(bad).as_py():
        raise DamagedFile(f"column {name!r} is damaged: {problem}")
    return text, bad


def _typed_batch(raw: TypedBatch, fields: list[FieldSpec], item: TableInput, sink: Findings,
                 profile: _Profile) -> Batch:
    cells = []
    for position, spec_field in enumerate(fields):
        if raw.columns[position] is None:  # not read (see ``ParquetTable.batches``)
            continue
        column, bad = _checked(raw.columns[position], spec_field.name)
        encode = partial(profile.encoded, position, kind=spec_field.type)
        typed = adopt_typed(spec_field, position + 1, column, item.spec.missing_for(spec_field), encode)
        _flag_undecodable(sink, item, raw.rows, typed, bad)
        cells.append(typed)
    return Batch(raw.rows, cells)


def _typed_fields(reader: ParquetTable, fields: list[FieldSpec], item: TableInput, sink: Findings) -> list[FieldSpec]:
    """Fields whose Parquet column cannot hold their type are reported once and then left unchecked."""
    usable: list[FieldSpec] = []
    for position, (spec_field, arrow_type) in enumerate(zip(fields, reader.types, strict=False)):
        try:
            adopt_typed(spec_field, position + 1, pa.array([], arrow_type), ())
        except ColumnTypeError as exc:
            sink.add(
                Finding(
                    item.shown,
                    "type",
                    f"the Parquet column {exc}",
                    None,
                    spec_field.name,
                    position + 1,
                    str(arrow_type),
                    f"a column that can hold {spec_field.type} values",
                )
            )
            spec_field = FieldSpec(name=spec_field.name, type="any")
        else:
            text_type = arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type
            if spec_field.type not in ("string", "any") and _is_text(text_type):
                sink.add(
                    Finding(
                        item.shown,
                        "parquet-type",
                        f"the Parquet column holds text; its values are read as {spec_field.type} text, as in CSV",
                        None,
                        spec_field.name,
                        position + 1,
                        str(arrow_type),
                        f"a typed {spec_field.type} column, as in our published Parquet files",
                    )
                )
        usable.append(spec_field)
    return usable


@dataclass
class _Opened:
    """An open file: the field each column is checked as, its raw batches, and how to type one."""

    fields: list[FieldSpec]
    raw: Iterator[TextBatch | TypedBatch]
    typed: Callable[[TextBatch | TypedBatch], Batch]


@dataclass(frozen=True)
class Mode:
    """How a CSV file is read: the block size, and whether it is repaired or rewritten first (see ``Restart``)."""

    block_size: int = BLOCK_SIZE
    repair: bool = False
    normalize: bool = False


def _open(item: TableInput, sink: Findings, mode: Mode, only: frozenset[str] | None = None,
          rows: Any = None) -> _Opened | None:
    """The file opened for reading; with ``only``, its batches hold just those columns (to read keys again).

    With ``rows`` (sorted row numbers), a Parquet file's batches are those of the row groups that hold them.
    """
    if item.format == "csv":
        case_sensitive = item.dialect.case_sensitive_header

        def columns_of(labels: list[str]) -> frozenset[int]:
            named = labels if item.dialect.header else [f.name for f in item.spec.fields]
            paired = pair_fields(item.spec, named, item.shown, Findings(limit=0), case_sensitive=case_sensitive)
            return frozenset(i for i, f in enumerate(paired) if only is not None and f.name in only)

        reader = CsvTable(item.source, item.shown, item.dialect, sink, block_size=mode.block_size,
                          repair_utf8=mode.repair, normalize=mode.normalize, width=len(item.spec.fields),
                          choose=None if only is None else columns_of)
        if not reader.open():
            return None
        labels = reader.labels if item.dialect.header else [f.name for f in item.spec.fields]
        fields = pair_fields(item.spec, labels, item.shown, sink, case_sensitive=case_sensitive)
        profile = _Profile()

        def from_text(raw: TextBatch | TypedBatch) -> Batch:
            assert isinstance(raw, TextBatch)
            return _text_batch(raw, fields, item, sink, profile, only)

        return _Opened(fields, reader.batches(), from_text)
    parquet = ParquetTable(item.path, item.shown, sink)
    if not parquet.open():
        return None
    typed_fields = _typed_fields(parquet, pair_fields(item.spec, parquet.labels, item.shown, sink), item, sink)
    typed_profile = _Profile()

    def from_parquet(raw: TextBatch | TypedBatch) -> Batch:
        assert isinstance(raw, TypedBatch)
        return _typed_batch(raw, typed_fields, item, sink, typed_profile)

    wanted = None if only is None else {i for i, f in enumerate(typed_fields) if f.name in only}
    return _Opened(typed_fields, parquet.batches(wanted, rows), from_parquet)


def typed_batches(
    item: TableInput, sink: Findings, mode: Mode = Mode(), only: frozenset[str] | None = None, rows: Any = None
) -> tuple[list[FieldSpec], Iterator[Batch]] | None:
    """The file's batches, typed, one after the other, unchecked (for reading a referenced table's keys).

    ``only`` names the columns wanted: the others are not typed (CSV) or not even read (Parquet).
    ``rows`` (sorted row numbers) are the rows wanted: a Parquet file is read only where they are.
    """
    opened = _open(item, sink, mode, only, rows)
    return None if opened is None else (opened.fields, (opened.typed(raw) for raw in opened.raw))


def rereader(item: TableInput, mode: Mode = Mode()) -> ReadTexts:
    """Read a file's key columns again, once for several requests, up to the last row asked (see ``keys.ReadTexts``).

    Only the columns asked are typed, and in a Parquet file only they are read.
    """

    def reread(requests: list[TextRequest]) -> list[dict[int, str]]:
        import numpy as np

        answers: list[dict[int, str]] = [{} for _ in requests]
        asked = [(fields, np.asarray(rows, np.int64)) for fields, rows in requests if len(rows)]
        if not asked:
            return answers
        everywhere = np.unique(np.concatenate([rows for _, rows in asked]))
        last = int(everywhere[-1])
        only = frozenset(name for fields, _ in asked for name in fields)
        opened = typed_batches(item, Findings(limit=0), mode, only=only, rows=everywhere)
        if opened is None:
            return answers
        batches = opened[1]
        try:
            for batch in batches:
                numbers = batch.rows.to_numpy(zero_copy_only=False)
                for (fields, rows), texts in zip(requests, answers, strict=True):
                    wanted = np.isin(numbers, rows)
                    if not wanted.any():
                        continue
                    keys = key_of(batch, fields)
                    if keys is not None:
                        values = pc.fill_null(pc.filter(keys, pa.array(wanted, pa.bool_())), "")
                        texts.update(zip(numbers[wanted].tolist(), values.to_pylist(), strict=True))
                if len(numbers) and numbers.min() > last:
                    break
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()
        return answers

    return reread


def _check_once(
    item: TableInput,
    needed: set[tuple[str, ...]],
    sink: Findings,
    mode: Mode,
    immediate: list[tuple[Reference, KeyIndex]],
) -> TableResult:
    opened = _open(item, sink, mode)
    if opened is None:
        return TableResult(read=False)
    fields = opened.fields
    names = [f.name for f in fields]
    positions = {name: i + 1 for i, name in enumerate(names)}
    spec = replace(item.spec, fields=tuple(fields))
    wanted = {key for key in needed if all(name in positions for name in key)}
    primary = item.spec.primary_key if all(name in positions for name in item.spec.primary_key) else ()
    if primary:
        wanted.add(primary)
    uniques: list[tuple[str, ...]] = [(f.name,) for f in fields if f.unique]
    uniques += [key for key in item.spec.unique_keys if all(name in positions for name in key) and key not in uniques]
    wanted.update(uniques)
    result = TableResult(read=True, keys={key: KeyColumn(key) for key in wanted}, positions=positions)
    unique_keys = set(uniques) - {primary}
    lookups = [
        (replace(reference, column_number=positions[reference.fields[0]]), values)
        for reference, values in immediate
        if all(name in positions for name in reference.fields)
    ]

    def process(batch: Batch) -> int:
        check_batch(batch, spec, item.shown, sink)
        if batch.ragged is not None:
            _ragged_findings(batch, item.shown, sink)
        for key, column in result.keys.items():
            keys = key_of(batch, key, any_missing=key in unique_keys)
            if keys is None:
                continue
            if key == primary:
                # the spec makes a primary key's fields required: a key with any part missing is reported
                partial = key_of(batch, key, any_missing=True) if len(key) > 1 else keys
                emit(
                    sink,
                    item.shown,
                    batch.rows,
                    pc.is_null(partial),
                    code="primary-key",
                    message=f"the primary key ({', '.join(key)}) is missing" if len(key) == 1 else
                    f"a part of the primary key ({', '.join(key)}) is missing",
                    expected="a value" if len(key) == 1 else "a value in every field of the key",
                    column=key[0],
                    column_number=positions[key[0]],
                )
            column.add(keys, batch.rows)
        for reference, values in lookups:
            keys = key_of(batch, reference.fields)
            single = batch.get(reference.fields[0]) if len(reference.fields) == 1 else None
            if keys is not None:
                report_missing_keys(keys, batch.rows, values, item.shown, sink, reference, single)
        return len(batch)

    # The reading thread also types each batch: that balances the work best between two cores.
    typed = (opened.typed(raw) for raw in opened.raw)
    result.rows = sum(in_parallel(process, prefetched(typed)))
    result.pending = PendingTexts(rereader(item, mode))
    if primary:
        result.unique_keys.append((primary, "primary-key", positions[primary[0]]))
    result.unique_keys += [(key, "unique", positions[key[0]]) for key in uniques]
    return result


def check_table(
    item: TableInput,
    needed: set[tuple[str, ...]],
    sink: Findings,
    immediate: list[tuple[Reference, KeyIndex]] | None = None,
) -> TableResult:
    """Check one table file; its findings go to ``sink``, its keys come back for the foreign-key checks.

    ``immediate`` are foreign keys whose referenced keys are already known: they are
    checked batch by batch. ``needed`` are the key columns to keep for later checks.
    """
    mode = Mode()
    for _ in range(MAX_RESTARTS):
        own = Findings(limit=sink.limit)
        try:
            result = _check_once(item, needed, own, mode, immediate or [])
        except Restart as again:
            mode = Mode(again.block_size or mode.block_size, again.repair_utf8, again.normalize)
            continue
        except DamagedFile as exc:
            own.add(Finding(item.shown, "file", f"the Parquet file is damaged: {exc}", expected="an intact file"))
            sink.merge(own)
            return TableResult(read=False)
        sink.merge(own)
        if result.pending is not None:  # reported to ``sink`` itself: the texts come after ``own`` is merged
            for key, code, column_number in result.unique_keys:
                report_duplicates(result.keys[key], item.shown, sink, result.pending, code=code,
                                  column_number=column_number)
        return result
    sink.add(Finding(item.shown, "file", "the file could not be parsed as CSV (a row is too long or malformed)"))
    return TableResult(read=False)
