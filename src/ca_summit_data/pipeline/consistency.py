"""Checks across records: unique keys, foreign keys, and evidence against the sources.

The models check one record at a time; these checks need the whole dataset. Each
problem points back to the seed file and line of the record at fault.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import fs
from ..limits import MAX_DESCRIPTOR_BYTES
from ..models import MODEL_BY_TABLE, SEEDED_MODELS, Participation, Person, Record, Source, Stance, Summit, columns
from ..models.columns import cell_text
from ..problems import Finding
from .seeds import SeedRecord, SeedSet, seed_file_name


def _problem(code: str, file: str, line: int | None, record: str, field: str, message: str) -> Finding:
    return Finding(file, code, message, line, field, record=record)

_SPACE = re.compile(r"\s+")


def normalise_for_quote(text: str) -> str:
    """NFC and runs of white space folded to one space, so line wrapping does not matter."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class IntegrityReport:
    problems: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quotes_verified: int = 0


def _where(seed: SeedRecord, table: str, key: str) -> tuple[str, int | None, str]:
    return seed.file, seed.line, f"{table} {key!r}"


def check_keys(seeds: SeedSet, report: IntegrityReport) -> dict[str, set[str]]:
    """Unique primary keys per table; returns the keys of each table."""
    keys: dict[str, set[str]] = {}
    for model in SEEDED_MODELS:
        seen: dict[str, SeedRecord] = {}
        for seed in seeds.tables.get(model.table, []):
            key = seed.record.key()
            if key in seen:
                file, line, record = _where(seed, model.table, key)
                first = seen[key]
                report.problems.append(
                    _problem("primary-key",
                        file,
                        line,
                        record,
                        model.primary_key,
                        f"duplicate {model.primary_key} {key!r} (first at line {first.line})",
                    )
                )
            else:
                seen[key] = seed
        keys[model.table] = set(seen)
    return keys


def check_foreign_keys(seeds: SeedSet, keys: dict[str, set[str]], report: IntegrityReport) -> None:
    for model in SEEDED_MODELS:
        for seed in seeds.tables.get(model.table, []):
            for column, (target_table, target_column) in model.foreign_keys.items():
                value = getattr(seed.record, column)
                if value is None:
                    continue
                value = getattr(value, "value", value)
                if value not in keys.get(target_table, set()):
                    file, line, record = _where(seed, model.table, seed.record.key())
                    report.problems.append(
                        _problem("foreign-key",
                            file,
                            line,
                            record,
                            column,
                            f"{value!r} is not a {target_column} in {target_table} ({seed_file_name(target_table)})",
                        )
                    )


def check_consistency(seeds: SeedSet, report: IntegrityReport) -> None:
    """Rules across tables that no single model can see."""
    persons = {s.record.key(): s.record for s in seeds.tables.get("persons", []) if isinstance(s.record, Person)}
    summits = {s.record.key(): s.record for s in seeds.tables.get("summits", [])}
    for seed in seeds.tables.get("participations", []):
        part = seed.record
        assert isinstance(part, Participation)
        file, line, record = _where(seed, "participations", part.key())
        person = persons.get(part.person_id)
        if person is not None and person.country_code != part.country_code:
            report.problems.append(
                _problem("consistency",
                    file,
                    line,
                    record,
                    "country_code",
                    f"{part.country_code!r} differs from the person's country {person.country_code!r}",
                )
            )
        summit = summits.get(part.summit_id)
        if isinstance(summit, Summit) and part.role.value == "host" and part.country_code != summit.host_country:
            report.problems.append(
                _problem("consistency",
                    file,
                    line,
                    record,
                    "role",
                    f"host, but {part.country_code!r} is not the summit's host country {summit.host_country!r}",
                )
            )


def _source_texts(seeds: SeedSet, sources_dir: Path | None, require: bool, report: IntegrityReport) -> dict[str, str]:
    """The archived text of each source whose file is present and whose sha256 matches."""
    texts: dict[str, str] = {}
    for seed in seeds.tables.get("sources", []):
        source = seed.record
        assert isinstance(source, Source)
        if not source.archived:  # a page we cite: no text to verify
            continue
        file, line, record = _where(seed, "sources", source.key())
        path = None if sources_dir is None or source.archive_file is None else sources_dir / source.archive_file
        if path is not None and path.is_symlink():
            report.problems.append(
                _problem("source", file, line, record, "archive_file",
                         f"{path} is a symbolic link; archived texts must be files")
            )
            continue
        if source.archive_file is None:
            unavailable = "it has no archived text"
        elif path is None:
            unavailable = "no sources folder is set"
        elif not path.is_file():
            unavailable = f"{path} not found"
        else:
            unavailable = None
        if unavailable is not None or path is None:
            message = f"archived text of {source.source_id!r} unavailable ({unavailable}): its quotes were not verified"
            if require:
                report.problems.append(_problem("source", file, line, record, "archive_file", message))
            else:
                report.notes.append(message)
            continue
        data = fs.read_bytes(path, MAX_DESCRIPTOR_BYTES)
        digest = hashlib.sha256(data).hexdigest()
        if digest != source.sha256:
            report.problems.append(
                _problem("source",
                    file,
                    line,
                    record,
                    "sha256",
                    f"archived text {path} has changed: its sha256 is {digest}, the record pins "
                    f"{source.sha256}; its quotes were not checked",
                )
            )
            continue
        try:
            texts[source.source_id] = normalise_for_quote(data.decode("utf-8"))
        except UnicodeDecodeError:
            report.problems.append(_problem("source", file, line, record, "archive_file", f"{path} is not UTF-8 text"))
    return texts


def check_evidence(
    seeds: SeedSet,
    keys: dict[str, set[str]],
    sources_dir: Path | None,
    require_sources: bool,
    report: IntegrityReport,
) -> None:
    """Every piece of evidence and every claim: its source, its quote against the archived text, its columns.

    A quote must come from an archived source and is found in its text; a citation names a
    source with a URL; the columns an evidence entry names exist and hold a value; a claim
    that supports gives the published value and one that contradicts or adds another; and
    every column that is not ours (``Record.editorial``) and holds a value has a source
    that supports it.
    """
    texts = _source_texts(seeds, sources_dir, require_sources, report)
    sources = {s.record.key(): s.record for s in seeds.tables.get("sources", []) if isinstance(s.record, Source)}
    assert all(isinstance(v, Source) for v in sources.values())
    for table, seed_records in seeds.tables.items():
        model = MODEL_BY_TABLE[table]
        for seed in seed_records:
            file, line, record = _where(seed, table, seed.record.key())

            def problem(where: str, message: str) -> None:
                report.problems.append(_problem("evidence", file, line, record, where, message))  # noqa: B023

            supported: set[str] = set()
            for n, citation in enumerate(seed.citations):
                where = f"evidence[{n}]"
                if _cited_source_ok(citation.source_id, citation.quote, sources, texts, where, problem, report):
                    for name in citation.fields:
                        if _column_problem(model, seed.record, name, f"{where}.fields", problem):
                            continue
                        if _value(seed.record, name) is None:
                            problem(f"{where}.fields", f"names {name!r}, which is empty in this record")
                        supported.add(name)
            for n, claim in enumerate(seed.claims):
                where = f"claims[{n}]"
                _cited_source_ok(claim.source_id, claim.quote, sources, texts, where, problem, report)
                if _column_problem(model, seed.record, claim.field, f"{where}.field", problem):
                    continue
                published = cell_text(_value(seed.record, claim.field))
                if claim.stance is Stance.supports:
                    if claim.value != published:
                        problem(f"{where}.value", f"supports {claim.field}, but gives {claim.value!r} where the "
                                f"record holds {published!r}; a different value contradicts or adds")
                    supported.add(claim.field)
                elif claim.value == published:
                    problem(f"{where}.value", f"{claim.stance.value}, but gives the published value {published!r}; "
                            "a claim that gives it supports")
            for column in columns(model):
                name = column.name
                if name == model.primary_key or name in model.editorial or name in supported:
                    continue
                if _value(seed.record, name) is not None:
                    problem(name, "holds a value no source is cited for: name the column in the fields of an "
                            "evidence entry whose source states it, or in a supporting claim")


def _value(record: Record, name: str) -> object:
    """A column's value, None for an empty one (an empty list too)."""
    value = getattr(record, name)
    return None if value == [] else value


def _column_problem(model: type[Record], record: Record, name: str, where: str,
                    problem: Callable[[str, str], None]) -> bool:
    if name not in model.model_fields:
        problem(where, f"{name!r} is not a column of {model.table}")
        return True
    if name == model.primary_key:
        problem(where, f"{name!r} is the record's key, which is ours; no source is asked for it")
        return True
    return False


def _cited_source_ok(source_id: str, quote: str | None, sources: dict[str, Source], texts: dict[str, str],
                     where: str, problem: Callable[[str, str], None], report: IntegrityReport) -> bool:
    """Whether the source exists and the quote or citation fits it; a verified quote is counted."""
    source = sources.get(source_id)
    if source is None:
        problem(f"{where}.source_id", f"{source_id!r} is not a source_id in sources ({seed_file_name('sources')})")
        return False
    if quote is None:
        if source.url is None:
            problem(f"{where}.source_id", f"cites {source_id!r}, which has no url: a page we cite is one a reader "
                    "can open")
            return False
        return True
    if not source.archived:
        problem(f"{where}.quote", f"quotes {source_id!r}, whose text is not archived: only archived texts are "
                "quoted (cite the page with a locator and a note instead)")
        return False
    text = texts.get(source_id)
    if text is None:
        return True
    if normalise_for_quote(quote) in text:
        report.quotes_verified += 1
        return True
    problem(f"{where}.quote", f"quote not found in the archived text of {source_id!r}: {quote!r}")
    return False


def check_all(seeds: SeedSet, sources_dir: Path | None, require_sources: bool) -> IntegrityReport:
    report = IntegrityReport()
    keys = check_keys(seeds, report)
    check_foreign_keys(seeds, keys, report)
    check_consistency(seeds, report)
    check_evidence(seeds, keys, sources_dir, require_sources, report)
    assert set(MODEL_BY_TABLE) >= set(seeds.tables)
    return report
