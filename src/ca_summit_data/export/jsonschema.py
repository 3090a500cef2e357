"""JSON Schemas (draft 2020-12), generated from the models (``models.jsonschema``) into ``schemas/``.

- ``<model>.schema.json``: one row of a table (e.g. ``initiative.schema.json``);
- ``<model>_seed.schema.json``: one record of ``seeds/<table>.yaml``, the row plus evidence;
- ``summit_document.schema.json``: the nested document ``data/ca_summit.json``.

Editors can use the seed schemas for completion; the build and the validator check
records against them.
"""

from __future__ import annotations

import re

from ..jsonio import dumps
from ..models import SEEDED_MODELS, TABLE_MODELS, SummitDocument, seed_model
from ..models.dataset import Dataset
from ..models.jsonschema import document_schema, row_schema, seed_schema
from . import SCHEMAS_DIR, Files


def schema_name(model_name: str) -> str:
    """``FinancialTarget`` -> ``financial_target``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model_name).lower()


def schema_path(model_name: str) -> str:
    return f"{SCHEMAS_DIR}/{schema_name(model_name)}.schema.json"


class JsonSchemaExporter:
    name = "jsonschema"

    def files(self, dataset: Dataset, written: Files) -> Files:
        files: Files = {}
        for model in TABLE_MODELS:
            files[schema_path(model.__name__)] = dumps(row_schema(model))
        for model in SEEDED_MODELS:
            files[schema_path(seed_model(model).__name__)] = dumps(seed_schema(model))
        files[schema_path(SummitDocument.__name__)] = dumps(document_schema())
        return files


EXPORTER = JsonSchemaExporter()
