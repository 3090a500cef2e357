"""``datapackage.json``: a Frictionless Data Package (v2) describing every published file.

The CSV resources carry the Table Schemas (types, descriptions, constraints, enum
categories, primary and foreign keys): CSV is what ``frictionless validate`` reads
faithfully. Each Parquet file is described as a plain file (``type: file``) with its
size and sha256, and points at the CSV resource with the same rows: frictionless 5.21
reads nullable Parquet integers as NaN and cannot read list columns, so a Table
Schema on the Parquet resources would make the validator report errors that are not
there. The nested JSON document is a ``json`` resource.

Table Schema fields also carry the rules our models add (``codeList``, ``plainText``,
``maxDigits``, ``decimalPlaces``, ``itemPattern``; see ``_model_rules``), so that the
validator reads every rule of our tables from this one descriptor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from .. import metadata
from ..codes import CODE_LISTS
from ..columns import LIST_DELIMITER, Column, columns
from ..dataset import Dataset
from ..jsonio import dumps
from ..models import TABLE_MODELS, Record, Source
from . import DATAPACKAGE_PATH, DOCUMENT_PATH, Files, csv_path, parquet_path
from .jsonschema import schema_path

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def table_schema_field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum is not None:
        field["categories"] = list(column.enum)
        constraints["enum"] = list(column.enum)
    if column.pattern is not None:
        constraints["pattern"] = column.pattern
    if column.min_length is not None:
        constraints["minLength"] = column.min_length
    if column.max_length is not None:
        constraints["maxLength"] = column.max_length
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    if column.type == "list":
        field["delimiter"] = LIST_DELIMITER
        field["itemType"] = "string"
    if constraints:
        field["constraints"] = constraints
    field.update(_model_rules(column))
    return field


def _model_rules(column: Column) -> dict[str, Any]:
    """The rules our models add to Table Schema's, as custom field properties (Table Schema allows them).

    They travel with the schema so that the validator (and anyone reading the package)
    knows them without our models: an ISO list whose codes must be assigned, plain text,
    money's digit limits, a pattern for each item of a list.
    """
    rules: dict[str, Any] = {}
    if column.code_list is not None:
        rules["codeList"] = CODE_LISTS[column.code_list]
    if column.plain_text:
        rules["plainText"] = True
    if column.max_digits is not None and column.decimal_places is not None:
        rules["maxDigits"] = column.max_digits
        rules["decimalPlaces"] = column.decimal_places
    if column.item_pattern is not None:
        rules["itemPattern"] = column.item_pattern
    return rules


def model_rule_texts(field: Mapping[str, Any], code: Callable[[str], str] = str) -> list[str]:
    """The model rules of a Table Schema field (see ``_model_rules``) in words, for the dictionary and the site.

    ``code`` marks up a pattern (Markdown wants it in backticks)."""
    texts = []
    if "codeList" in field:
        texts.append(f"an assigned {field['codeList']} code")
    if field.get("plainText"):
        texts.append("Unicode NFC, no white space at either end, not starting with = + - @")
    if "maxDigits" in field and "decimalPlaces" in field:
        places = field["decimalPlaces"]
        texts.append(f"at most {field['maxDigits'] - places} digits before the point and {places} after it")
    if "itemPattern" in field:
        texts.append(f"each item matches {code(field['itemPattern'])}")
    return texts


def table_schema(model: type[Record]) -> dict[str, Any]:
    """The Frictionless Table Schema of a table, from its model."""
    return {
        "fields": [table_schema_field(c) for c in columns(model)],
        "missingValues": [""],
        "primaryKey": [model.primary_key],
        "foreignKeys": [
            {"fields": [column], "reference": {"resource": table, "fields": [target]}}
            for column, (table, target) in model.foreign_keys.items()
        ],
    }


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
                "dialect": {"header": True, "delimiter": ",", "quoteChar": '"'},
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


def export(dataset: Dataset, files: Files) -> Files:
    return {DATAPACKAGE_PATH: dumps(descriptor(dataset, files))}
