"""``datapackage.json``: a Frictionless Data Package (v2) describing every published file.

The CSV resources carry the Table Schemas (types, descriptions, constraints, enum
categories, primary and foreign keys): CSV is what ``frictionless validate`` reads
faithfully. Each Parquet file is described as a plain file (``type: file``) with its
size and sha256, and points at the CSV resource with the same rows: frictionless 5.21
reads nullable Parquet integers as NaN and cannot read list columns, so a Table
Schema on the Parquet resources would make the validator report errors that are not
there. The nested JSON document is a ``json`` resource.

Table Schema fields also carry the rules our columns add (``schema.facets``) and each
schema the rules between its columns (``schema.rules``), so that the validator reads every
rule of our tables from this one descriptor.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import metadata
from ..jsonio import dumps
from ..models import TABLE_MODELS, Record, Source, columns
from ..models.dataset import Dataset
from ..schema.rules import PROPERTY as RULES
from . import DATAPACKAGE_PATH, DOCUMENT_PATH, Files, csv_path, parquet_path
from .jsonschema import schema_path

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def table_schema(model: type[Record]) -> dict[str, Any]:
    """The Frictionless Table Schema of a table, from its model: fields, keys, and its rules (``schema.rules``)."""
    schema: dict[str, Any] = {
        "fields": [c.table_schema() for c in columns(model)],
        "missingValues": [""],
        "primaryKey": [model.primary_key],
        "foreignKeys": [
            {"fields": [column], "reference": {"resource": table, "fields": [target]}}
            for column, (table, target) in model.foreign_keys.items()
        ],
    }
    if model.rules:
        schema[RULES] = [rule.write() for rule in model.rules]
    return schema


def _file_facts(content: bytes) -> dict[str, Any]:
    return {"bytes": len(content), "hash": f"sha256:{hashlib.sha256(content).hexdigest()}"}


def descriptor(dataset: Dataset, files: Files) -> dict[str, Any]:
    """The descriptor for ``files`` (which must hold every CSV, Parquet and JSON output)."""
    resources: list[dict[str, Any]] = []
    for model in TABLE_MODELS:
        path = csv_path(model.table)
        resources.append(
            {
                "name": model.table,
                "title": model.table_title,
                "description": " ".join((model.__doc__ or "").split()),
                "path": path,
                "type": "table",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **_file_facts(files[path]),
                # Our files never start with a byte-order mark; "byteOrderMark" is our own dialect property
                # (the spec allows a mark), so a file checked as one of our tables is held to that.
                "dialect": {"header": True, "delimiter": ",", "quoteChar": '"', "byteOrderMark": False},
                "schema": table_schema(model),
            }
        )
    for model in TABLE_MODELS:
        path = parquet_path(model.table)
        resources.append(
            {
                "name": f"{model.table}_parquet",
                "title": f"{model.table_title} (Parquet)",
                "description": (
                    f"The rows and columns of resource '{model.table}' as Parquet with Arrow types "
                    "(date32, int64, decimal128(30,4), bool, list<string>, dictionary for closed vocabularies)."
                ),
                "path": path,
                "type": "file",
                "scheme": "file",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                **_file_facts(files[path]),
            }
        )
    resources.append(
        {
            "name": "ca_summit",
            "title": "The summit as one nested JSON document",
            "description": (
                "The summit with its participants, priority areas and their initiatives, targets, meetings, "
                f"statements, sources and evidence; its JSON Schema is {schema_path('SummitDocument')}."
            ),
            "path": DOCUMENT_PATH,
            "type": "json",
            "scheme": "file",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            **_file_facts(files[DOCUMENT_PATH]),
        }
    )
    sources = [
        {"title": f"{s.publisher}: {s.title}" + (f" ({s.author})" if s.author else "")}
        | ({"path": s.url} if s.url else {})
        for s in dataset.rows("sources")
        if isinstance(s, Source)
    ]
    return {
        "$schema": PROFILE,
        "name": metadata.NAME,
        "title": metadata.TITLE,
        "description": metadata.DESCRIPTION,
        "version": dataset.version,
        "keywords": list(metadata.KEYWORDS),
        "licenses": [metadata.DATA_LICENSE],
        "code_license": metadata.CODE_LICENSE,
        "contributors": list(metadata.CONTRIBUTORS),
        "sources": sources,
        "resources": resources,
    }


class DataPackageExporter:
    name = "datapackage"

    def files(self, dataset: Dataset, written: Files) -> Files:
        return {DATAPACKAGE_PATH: dumps(descriptor(dataset, written))}


EXPORTER = DataPackageExporter()
