"""One exporter per output format. Each turns the validated dataset into files (path -> bytes).

Exporters write nothing to disk; ``publish`` stages their bytes and swaps them in.
Keeping them pure makes every format testable on its own and the build reproducible.
"""

from __future__ import annotations

Files = dict[str, bytes]
"""Output files by path relative to the project root (POSIX separators)."""

DATA_DIR = "data"
SCHEMAS_DIR = "schemas"
DOCUMENT_PATH = f"{DATA_DIR}/ca_summit.json"
DATAPACKAGE_PATH = "datapackage.json"
DICTIONARY_PATH = "docs/data-dictionary.md"


def csv_path(table: str) -> str:
    return f"{DATA_DIR}/{table}.csv"


def parquet_path(table: str) -> str:
    return f"{DATA_DIR}/{table}.parquet"
