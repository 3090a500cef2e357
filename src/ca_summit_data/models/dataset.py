"""The dataset as published: every table's rows, in primary-key order (made by ``pipeline.seeds.from_seeds``)."""

from __future__ import annotations

from dataclasses import dataclass

from .records import Record


@dataclass(frozen=True)
class Dataset:
    version: str
    tables: dict[str, tuple[Record, ...]]

    def rows(self, table: str) -> tuple[Record, ...]:
        return self.tables[table]


def evidence_id(table: str, record_id: str, n: int) -> str:
    """``<record_table>.<record_id>.<n>``: the n-th piece of evidence for a record."""
    return f"{table}.{record_id}.{n}"


def claim_id(table: str, record_id: str, field: str, n: int) -> str:
    """``<record_table>.<record_id>.<field>.<n>``: the n-th claim on one value."""
    return f"{table}.{record_id}.{field}.{n}"
