"""JSON Schemas (draft 2020-12), generated from the models into ``schemas/``.

- ``<model>.schema.json``: one row of a table (e.g. ``initiative.schema.json``);
- ``<model>_seed.schema.json``: one record of ``seeds/<table>.yaml``, the row plus evidence;
- ``summit_document.schema.json``: the nested document ``data/ca_summit.json``.

Editors can use the seed schemas for completion; the build and the validator check
records against them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..jsonio import dumps
from ..models import SEEDED_MODELS, TABLE_MODELS, Record, SummitDocument, seed_model
from . import SCHEMAS_DIR, Files

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_name(model_name: str) -> str:
    """``FinancialTarget`` -> ``financial_target``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model_name).lower()


def schema_path(model_name: str) -> str:
    return f"{SCHEMAS_DIR}/{schema_name(model_name)}.schema.json"


def _document(model: type[Any]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"$schema": DIALECT, **schema}


@cache
def row_schema(model: type[Record]) -> dict[str, Any]:
    return _document(model)


@cache
def seed_schema(model: type[Record]) -> dict[str, Any]:
    return _document(seed_model(model))


@cache
def document_schema() -> dict[str, Any]:
    return _document(SummitDocument)


@cache
def seed_record_validator(model: type[Record]) -> Any:
    """A jsonschema validator for one seed record of ``model``'s table."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(seed_schema(model), format_checker=Draft202012Validator.FORMAT_CHECKER)


def export() -> Files:
    files: Files = {}
    for model in TABLE_MODELS:
        files[schema_path(model.__name__)] = dumps(row_schema(model))
    for model in SEEDED_MODELS:
        files[schema_path(seed_model(model).__name__)] = dumps(seed_schema(model))
    files[schema_path(SummitDocument.__name__)] = dumps(document_schema())
    return files
