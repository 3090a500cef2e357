"""The data model: one Pydantic model per published table, the nested summit document, and their columns.

``records`` declares the tables (columns typed with ``types``, keys, rules); ``document``
the nested summit; ``columns`` reads a table's columns from its model; ``jsonschema``
generates the JSON Schemas; ``check`` is the one checker of a JSON or YAML record, used by
the build and the validator alike. Importing ``ca_summit_data.models`` loads Pydantic.
"""

from __future__ import annotations

from .columns import columns
from .document import AreaWithInitiatives, Participant, SummitDocument
from .records import (
    EVIDENCE_ID_PATTERN,
    MODEL_BY_TABLE,
    SEEDED_MODELS,
    TABLE_MODELS,
    BilateralMeeting,
    Citation,
    CountBound,
    Country,
    Evidence,
    FinancialTarget,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    MeetingFormat,
    Participation,
    Person,
    PriorityArea,
    Record,
    RecordTable,
    Role,
    Source,
    Statement,
    StatementMode,
    Summit,
    seed_model,
)

__all__ = [
    "EVIDENCE_ID_PATTERN",
    "MODEL_BY_TABLE",
    "SEEDED_MODELS",
    "TABLE_MODELS",
    "AreaWithInitiatives",
    "BilateralMeeting",
    "Citation",
    "CountBound",
    "Country",
    "Evidence",
    "FinancialTarget",
    "Initiative",
    "InitiativeKind",
    "InitiativeStatus",
    "MeetingFormat",
    "Participant",
    "Participation",
    "Person",
    "PriorityArea",
    "Record",
    "RecordTable",
    "Role",
    "Source",
    "Statement",
    "StatementMode",
    "Summit",
    "SummitDocument",
    "columns",
    "seed_model",
]
