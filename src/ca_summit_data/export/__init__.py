"""One exporter per output format, behind one protocol, in one registry.

An exporter turns the validated dataset into files (path -> bytes); it writes nothing to
disk (``pipeline.publish`` stages the bytes and swaps them in), which makes every format
testable on its own and the build reproducible. ``exporters()`` lists them in the order
they run: each is given the files made before it, so the Data Package descriptor, last,
describes every other file with its size and hash. A new format is one module with one
``Exporter`` and a line here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..models.dataset import Dataset

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


class Exporter(Protocol):
    """One output format."""

    name: str

    def files(self, dataset: Dataset, written: Files) -> Files:
        """The files of this format for ``dataset``; ``written`` holds the files made before it."""
        ...


def exporters() -> tuple[Exporter, ...]:
    """Every exporter, in the order they run (imported on use: Parquet loads pyarrow)."""
    from . import csv, datapackage, dictionary, json_document, jsonschema, parquet

    return (csv.EXPORTER, parquet.EXPORTER, json_document.EXPORTER, jsonschema.EXPORTER, dictionary.EXPORTER,
            datapackage.EXPORTER)


def render(dataset: Dataset) -> Files:
    """Every output file of the dataset, by path relative to the project root."""
    files: Files = {}
    for exporter in exporters():
        files.update(exporter.files(dataset, dict(files)))
    return files
