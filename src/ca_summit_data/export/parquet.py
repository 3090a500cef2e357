"""Parquet: real Arrow types, zstd, and the table's metadata inside the file.

Types: ``date32`` for dates, ``int64`` for integers, ``decimal128(30, 4)`` for money
(exact: a float64 cannot hold every amount to the unit), ``bool``, ``list<string>``
for multi-valued fields, and ``dictionary<int32, string>`` for closed vocabularies,
with the dictionary holding every allowed value in the model's order, so a category
absent from the rows is still known to pandas. Each field carries its description;
the schema carries the table's name, title, keys, version and licence (key
``ca_summit_data``), so the file explains itself when it travels alone.

Nothing volatile is written: no timestamps and no pandas metadata. The writer's
``created_by`` names the pyarrow version, which ``constraints.txt`` pins for builds.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .. import metadata
from ..models import TABLE_MODELS, Record, columns
from ..models.dataset import Dataset
from ..schema.columns import Column
from . import Files, parquet_path

TABLE_METADATA_KEY = b"ca_summit_data"


@cache
def arrow_schema(model: type[Record]) -> pa.Schema:
    """The Arrow schema of a table, without the table-level metadata."""
    return pa.schema(
        [
            pa.field(
                c.name,
                c.arrow_type(),
                nullable=not c.required,
                metadata={b"description": c.description.encode("utf-8")},
            )
            for c in columns(model)
        ]
    )


def table_metadata(model: type[Record], version: str) -> dict[str, Any]:
    return {
        "table": model.table,
        "title": model.table_title,
        "description": (model.__doc__ or "").strip(),
        "primary_key": [model.primary_key],
        "foreign_keys": {k: f"{t}.{c}" for k, (t, c) in sorted(model.foreign_keys.items())},
        "dataset": metadata.NAME,
        "version": version,
        "license": metadata.DATA_LICENSE["name"],
    }


def _python(value: Any, column: Column) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-column.arrow_type().scale))
    return value


def _array(column: Column, values: list[Any]) -> pa.Array[Any]:
    if column.enum is not None:
        dictionary = pa.array(column.enum, pa.string())
        lookup = {v: i for i, v in enumerate(column.enum)}
        indices = pa.array([None if v is None else lookup[v] for v in values], pa.int32())
        return pa.DictionaryArray.from_arrays(indices, dictionary)
    array: pa.Array[Any] = pa.array(values, column.arrow_type())
    return array


def arrow_table(dataset: Dataset, model: type[Record]) -> pa.Table:
    rows = dataset.rows(model.table)
    cols = columns(model)
    arrays = [_array(c, [_python(getattr(r, c.name), c) for r in rows]) for c in cols]
    schema = arrow_schema(model).with_metadata(
        {TABLE_METADATA_KEY: json.dumps(table_metadata(model, dataset.version), sort_keys=True).encode()}
    )
    return pa.Table.from_arrays(arrays, schema=schema)


def table_parquet(dataset: Dataset, model: type[Record]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(
        arrow_table(dataset, model),
        buffer,
        compression="zstd",
        write_statistics=True,
        use_dictionary=True,
        store_schema=True,
    )
    return buffer.getvalue()


class ParquetExporter:
    name = "parquet"

    def files(self, dataset: Dataset, written: Files) -> Files:
        return {parquet_path(m.table): table_parquet(dataset, m) for m in TABLE_MODELS}


EXPORTER = ParquetExporter()
