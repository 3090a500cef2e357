"""Every bound the commands hold input to, stated once.

A bound is refused past, with a message that names it; it is never a silent cut.
``docs/reliability.md`` lists them, and ``tests/test_docs.py`` keeps that list equal to
this module. Memory is bounded by bytes, not rows: each reader takes input a bounded number
of bytes at a time, and each thing that must be held whole (a descriptor, a record
file, a seed file, a table given to ``diff``) has a size limit of its own.
"""

from __future__ import annotations

MAX_FILE_BYTES = 1_048_576
"""A seed file, or a JSON/YAML record file given to the validator, may be at most 1 MiB."""

MAX_RECORDS = 10_000
"""A JSON/YAML record file may hold at most this many records."""

MAX_ALIASES = 100
"""A YAML document may use at most this many aliases."""

MAX_EXPANDED_NODES = 100_000
"""The values that aliases add to a YAML document, expanded, may number at most this many."""

MAX_DESCRIPTOR_BYTES = 16 * 1_048_576
"""A ``datapackage.json`` (or a Table Schema or dialect file it names) may be at most 16 MiB."""

MAX_JSON_DEPTH = 64
"""JSON and YAML documents may nest arrays and objects at most this deep."""

MAX_RESOURCES = 100_000
"""A Data Package may list at most this many resources."""

MAX_COLUMNS = 4_096
"""A table may have at most this many columns (header cells, or Parquet columns)."""

MAX_ROW_BYTES = 16 * 1_048_576
"""A CSV row (one record, which may span lines) may be at most 16 MiB."""

INT64_MAX = 2**63 - 1
"""The largest integer Arrow's int64 holds (our published integers are int64)."""

MAX_NUMBER_CHARS = 1_000
"""A number written in a cell or a record may be at most this many characters long."""

MAX_INTEGER_DIGITS = 76
"""An integer cell may have at most this many digits (Table Schema sets no limit; Arrow holds an integer as int64,
or as decimal256 past 64 bits, whose precision is 76 digits); a longer one is reported as a type error saying so."""

MAX_DECIMAL_EXPONENT = 1_000
"""A number's exponent (``1e999``) may be at most this large either way; past it no amount can fit."""

MAX_PARQUET_COLUMN_CHUNK_BYTES = 256 * 1_048_576
"""A Parquet column chunk may decompress to at most 256 MiB (its size as the file's footer states it)."""

BATCH_BYTES = 16 * 1_048_576
"""Readers hand the checks about this many bytes of cells at a time (Parquet batches are sized from
the footer's byte counts, so a file whose rows are wide gets fewer rows per batch). Each batch costs
a few hundred calls into Arrow whatever its size: 16 MiB took 8% less time than 6 MiB on 1M grown rows,
for about 100 MiB more at the peak."""

BATCH_ROWS = 65_536
"""A batch holds at most about this many rows, however narrow they are (a CSV batch may pass it by one
block of text): the checks keep arrays of a few bytes a row, which on very short cells would outweigh the cells."""

MAX_DECOMPRESSED_RATIO = 100
"""A compressed resource may expand at most this many times the compressed bytes read so far, once past
``DECOMPRESSED_SLACK_BYTES`` (a "zip bomb" is refused early, after little work; CSV rarely compresses better than
20 to 1)."""

DECOMPRESSED_SLACK_BYTES = 64 * 1_048_576
"""The first bytes a compressed resource expands to, whatever its ratio (a small file may compress very well)."""

MAX_DIFF_TABLE_BYTES = 64 * 1_048_576
"""``diff`` (and the site and releases, which read the same way) read a file of at most 64 MiB: a table is
compared in Arrow, both sides held as text, so two such tables stay well under 1 GiB."""

MAX_PRINTED_CHARS = 120
"""An offending value is cut to this many characters in reports."""
