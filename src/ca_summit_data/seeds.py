"""Loading the curated records in ``seeds/``: one YAML file a table, a list of records each.

Every record is checked twice, by the Pydantic model and by the JSON Schema generated
from it, and every problem is reported with the file, line, record and field. The
JSON Schema pass matters because Pydantic, reading Python values, would quietly turn the
string "5" into the integer 5; a seed file must say what it means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, ProblemsFound
from .models import SEEDED_MODELS, Citation, Record
from .yaml_source import LineDict, read_yaml


@dataclass(frozen=True)
class SeedRecord:
    """A validated record with the evidence it cites and where it was written."""

    record: Record
    citations: tuple[Citation, ...]
    file: str
    line: int | None


@dataclass
class SeedSet:
    """All seed records, table by table, in the order they were written."""

    tables: dict[str, list[SeedRecord]] = field(default_factory=dict)


def seed_file_name(table: str) -> str:
    return f"{table}.yaml"


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_for(raw: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest part of ``loc`` that the YAML still knows about."""
    line = raw.line if isinstance(raw, LineDict) else None
    node = raw
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str):
            line = node.key_lines.get(part, line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line


def _record_label(table: str, index: int, raw: Any, key: str) -> str:
    label = f"{table}[{index}]"
    if isinstance(raw, dict) and isinstance(raw.get(key), str):
        label += f" {raw[key]!r}"
    return label


def _pydantic_problems(exc: Any, shown: str, label: str, raw: Any) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        message = str(err["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        problems.append(Problem(shown, _line_for(raw, loc), label, _field_path(loc) or None, message))
    return problems


def _schema_problems(validator: Any, shown: str, label: str, raw: Any) -> list[Problem]:
    problems = []
    for err in validator.iter_errors(raw):
        loc = tuple(err.absolute_path)
        problems.append(
            Problem(shown, _line_for(raw, loc), label, _field_path(loc) or None, f"JSON Schema: {err.message}")
        )
    return problems


def load_seeds(seeds_dir: Path, shown_root: Path) -> SeedSet:
    """Read and validate every seed file. Raises ProblemsFound listing every problem."""
    from pydantic import ValidationError

    from .export.jsonschema import seed_record_validator
    from .models import seed_model

    problems: list[Problem] = []
    seeds = SeedSet()
    known = {seed_file_name(m.table) for m in SEEDED_MODELS}
    if not seeds_dir.is_dir():
        raise ProblemsFound([Problem(_shown(seeds_dir, shown_root), message="seeds folder not found")])
    for path in sorted(seeds_dir.iterdir()):
        if path.name not in known and not path.name.startswith("."):
            problems.append(
                Problem(
                    _shown(path, shown_root),
                    message=f"not a seed file we know; expected one of {', '.join(sorted(known))}",
                )
            )
    for model in SEEDED_MODELS:
        path = seeds_dir / seed_file_name(model.table)
        shown = _shown(path, shown_root)
        rows: list[SeedRecord] = []
        seeds.tables[model.table] = rows
        if path.is_symlink() or (path.exists() and not path.is_file()):
            problems.append(Problem(shown, message="must be a regular file, not a link or folder"))
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
            problems.append(Problem(shown, getattr(data, "line", 1), message="must be a list of records"))
            continue
        seed_cls = seed_model(model)
        validator = seed_record_validator(model)
        for index, raw in enumerate(data):
            label = _record_label(model.table, index, raw, model.primary_key)
            if not isinstance(raw, dict):
                problems.append(Problem(shown, None, label, None, "must be a mapping of field names to values"))
                continue
            try:
                validated = seed_cls.model_validate(raw)
            except ValidationError as exc:
                problems.extend(_pydantic_problems(exc, shown, label, raw))
                continue
            schema_problems = _schema_problems(validator, shown, label, raw)
            if schema_problems:
                problems.extend(schema_problems)
                continue
            # The seed model is the row model plus evidence: its fields are already validated,
            # so the row is built from them without running the validators a second time.
            record = model.model_construct(**{name: getattr(validated, name) for name in model.model_fields})
            citations = tuple(getattr(validated, "evidence"))  # noqa: B009 (field added by seed_model)
            rows.append(SeedRecord(record, citations, shown, getattr(raw, "line", None)))
    if problems:
        raise ProblemsFound(problems)
    return seeds


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
