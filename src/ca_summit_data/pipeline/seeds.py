"""Loading the curated records in ``seeds/``: one YAML file a table, a list of records each.

Every record goes through the one record checker (``models.check``): its model, then
its JSON Schema; every problem is reported with the file, line, record and field. Then
the records become the dataset (``from_seeds``): each table's rows in primary-key order,
the evidence each record cites as rows of ``evidence``, and what each source says of each
column as rows of ``claims``: a ``supports`` claim for every column an evidence entry
names, then the record's own ``claims`` (contradictions, additions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..models import SEEDED_MODELS, TABLE_MODELS, Citation, Claim, ClaimEntry, Evidence, EvidenceKind, Record, Stance
from ..models.columns import cell_text
from ..models.dataset import Dataset, claim_id, evidence_id
from ..problems import Finding, ProblemsFound
from ..yamlio import read_yaml


@dataclass(frozen=True)
class SeedRecord:
    """A validated record with the evidence it cites and where it was written."""

    record: Record
    citations: tuple[Citation, ...]
    claims: tuple[ClaimEntry, ...]
    file: str
    line: int | None


@dataclass
class SeedSet:
    """All seed records, table by table, in the order they were written."""

    tables: dict[str, list[SeedRecord]] = field(default_factory=dict)


def seed_file_name(table: str) -> str:
    return f"{table}.yaml"


def load_seeds(seeds_dir: Path, shown_root: Path) -> SeedSet:
    """Read and validate every seed file. Raises ProblemsFound listing every problem."""
    from ..models import seed_model
    from ..models.check import check_record, record_label
    from ..models.jsonschema import record_validator

    problems: list[Finding] = []
    seeds = SeedSet()
    known = {seed_file_name(m.table) for m in SEEDED_MODELS}
    if not seeds_dir.is_dir():
        raise ProblemsFound([Finding(_shown(seeds_dir, shown_root), "file", "seeds folder not found")])
    for path in sorted(seeds_dir.iterdir()):
        if path.name not in known and not path.name.startswith("."):
            problems.append(
                Finding(
                    _shown(path, shown_root),
                    "file",
                    f"not a seed file we know; expected one of {', '.join(sorted(known))}",
                )
            )
    for model in SEEDED_MODELS:
        path = seeds_dir / seed_file_name(model.table)
        shown = _shown(path, shown_root)
        rows: list[SeedRecord] = []
        seeds.tables[model.table] = rows
        if path.is_symlink() or (path.exists() and not path.is_file()):
            problems.append(Finding(shown, "file", "must be a regular file, not a link or folder"))
            continue
        if not path.exists():
            continue
        try:
            data = read_yaml(path, shown)
        except ProblemsFound as exc:
            problems.extend(exc.problems)
            continue
        if data is None:
            continue
        if not isinstance(data, list):
            problems.append(Finding(shown, "schema", "must be a list of records", getattr(data, "line", 1)))
            continue
        seed_cls = seed_model(model)
        checker = record_validator(model, seeded=True)
        for index, raw in enumerate(data):
            label = record_label(model.table, index, raw, model.primary_key)
            validated, found = check_record(seed_cls, raw, file=shown, label=label,
                                            line=getattr(raw, "line", None), validator=checker)
            problems.extend(found)
            if validated is None:
                continue
            # The seed model is the row model plus evidence: its fields are already validated,
            # so the row is built from them without running the validators a second time.
            record = model.model_construct(**{name: getattr(validated, name) for name in model.model_fields})
            citations = tuple(getattr(validated, "evidence"))  # noqa: B009 (fields added by seed_model)
            claims = tuple(getattr(validated, "claims"))  # noqa: B009
            rows.append(SeedRecord(record, citations, claims, shown, getattr(raw, "line", None)))
    if problems:
        raise ProblemsFound(problems)
    return seeds


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def from_seeds(seeds: SeedSet, version: str) -> Dataset:
    """The dataset the seed records make: rows in primary-key order, the evidence they cite and the claims."""
    tables: dict[str, list[Record]] = {m.table: [] for m in TABLE_MODELS}
    for table, seed_records in seeds.tables.items():
        for seed in seed_records:
            tables[table].append(seed.record)
            evidence, claims = record_provenance(table, seed)
            tables["evidence"].extend(evidence)
            tables["claims"].extend(claims)
    return Dataset(version=version, tables={name: tuple(sorted(rows, key=Record.key)) for name, rows in tables.items()})


def record_provenance(table: str, seed: SeedRecord) -> tuple[list[Evidence], list[Claim]]:
    """One record's rows of ``evidence`` and ``claims``.

    Each evidence entry becomes an evidence row, and a ``supports`` claim of its source for
    each column it names, whose value is the published one; the record's own claims follow.
    Claims on one column are numbered in that order.
    """
    key = seed.record.key()
    evidence: list[Evidence] = []
    claims: list[Claim] = []
    numbers: dict[str, int] = {}

    def next_id(column: str) -> str:
        numbers[column] = numbers.get(column, 0) + 1
        return claim_id(table, key, column, numbers[column])

    for n, citation in enumerate(seed.citations, start=1):
        kind = EvidenceKind.quote if citation.quote is not None else EvidenceKind.citation
        row = Evidence(evidence_id=evidence_id(table, key, n), record_table=table, record_id=key,
                       source_id=citation.source_id, kind=kind, quote=citation.quote, locator=citation.locator,
                       note=citation.note)
        evidence.append(row)
        for column in citation.fields:
            claims.append(Claim(claim_id=next_id(column), record_table=table, record_id=key, field=column,
                                value=cell_text(getattr(seed.record, column)), source_id=citation.source_id,
                                stance=Stance.supports, evidence_id=row.evidence_id))
    for entry in seed.claims:
        claims.append(Claim(claim_id=next_id(entry.field), record_table=table, record_id=key, field=entry.field,
                            value=entry.value, source_id=entry.source_id, stance=entry.stance,
                            resolution=entry.resolution, quote=entry.quote, locator=entry.locator, note=entry.note))
    return evidence, claims
