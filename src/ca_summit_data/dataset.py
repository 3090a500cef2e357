"""The dataset as published: every table's rows, in primary-key order.

Made from validated seed records: the seed records become rows of their tables, and
the evidence each one cites becomes rows of the ``evidence`` table, numbered in the
order the seed file lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import TABLE_MODELS, Evidence, Record
from .seeds import SeedSet


@dataclass(frozen=True)
class Dataset:
    version: str
    tables: dict[str, tuple[Record, ...]]

    def rows(self, table: str) -> tuple[Record, ...]:
        return self.tables[table]


def evidence_id(table: str, record_id: str, n: int) -> str:
    return f"{table}.{record_id}.{n}"


def from_seeds(seeds: SeedSet, version: str) -> Dataset:
    tables: dict[str, list[Record]] = {m.table: [] for m in TABLE_MODELS}
    for table, seed_records in seeds.tables.items():
        for seed in seed_records:
            tables[table].append(seed.record)
            for n, citation in enumerate(seed.citations, start=1):
                tables["evidence"].append(
                    Evidence(
                        evidence_id=evidence_id(table, seed.record.key(), n),
                        record_table=table,
                        record_id=seed.record.key(),
                        source_id=citation.source_id,
                        quote=citation.quote,
                    )
                )
    return Dataset(
        version=version,
        tables={name: tuple(sorted(rows, key=_pk_order)) for name, rows in tables.items()},
    )


def _pk_order(record: Record) -> str:
    """Rows are published in primary-key order, comparing keys as plain strings."""
    return record.key()
