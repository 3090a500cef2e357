"""The build: seeds -> validated dataset -> every output file, in memory.

Nothing here touches the published files; ``publish`` swaps the result in only after
everything, including the outputs themselves, has been checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import metadata
from .dataset import Dataset, from_seeds
from .errors import Problem, ProblemsFound
from .export import Files
from .integrity import check_all
from .seeds import load_seeds
from .settings import Settings


@dataclass
class BuildResult:
    dataset: Dataset
    files: Files
    notes: list[str] = field(default_factory=list)
    quotes_verified: int = 0


def build_dataset(settings: Settings, require_sources: bool = False) -> tuple[Dataset, list[str], int]:
    """Load and validate the seeds. Raises ProblemsFound with every problem found."""
    seeds = load_seeds(settings.seeds_dir, settings.root)
    report = check_all(seeds, settings.sources_dir, require_sources)
    if report.problems:
        raise ProblemsFound(report.problems)
    return from_seeds(seeds, metadata.version()), report.notes, report.quotes_verified


def render_files(dataset: Dataset) -> Files:
    """Every output file of the dataset, by path relative to the project root."""
    from .export import csv, datapackage, dictionary, json_document, jsonschema, parquet

    files: Files = {}
    files.update(csv.export(dataset))
    files.update(parquet.export(dataset))
    files.update(json_document.export(dataset))
    files.update(jsonschema.export())
    files.update(dictionary.export(dataset))
    files.update(datapackage.export(dataset, files))
    return files


def build(settings: Settings, require_sources: bool = False) -> BuildResult:
    dataset, notes, verified = build_dataset(settings, require_sources)
    files = render_files(dataset)
    problems = check_outputs(dataset, files)
    if problems:
        raise ProblemsFound(problems)
    return BuildResult(dataset, files, notes, verified)


def check_outputs(dataset: Dataset, files: Files) -> list[Problem]:
    """Read the rendered outputs back and check them against the models and schemas."""
    import io
    import json

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    from jsonschema import Draft202012Validator

    from .columns import columns
    from .export import DOCUMENT_PATH, csv_path, parquet_path
    from .export.jsonschema import document_schema
    from .export.parquet import arrow_schema
    from .models import TABLE_MODELS

    problems: list[Problem] = []
    validator = Draft202012Validator(document_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for err in validator.iter_errors(json.loads(files[DOCUMENT_PATH])):
        problems.append(Problem(DOCUMENT_PATH, message=f"does not match its JSON Schema: {err.message}"))
    for model in TABLE_MODELS:
        expected_rows = len(dataset.rows(model.table))
        names = [c.name for c in columns(model)]
        table = pacsv.read_csv(
            io.BytesIO(files[csv_path(model.table)]),
            convert_options=pacsv.ConvertOptions(column_types={n: "string" for n in names}),
        )
        if table.column_names != names or table.num_rows != expected_rows:
            problems.append(Problem(csv_path(model.table), message="written CSV does not read back as written"))
        parquet = pq.read_table(io.BytesIO(files[parquet_path(model.table)]))
        if not parquet.schema.remove_metadata().equals(arrow_schema(model).remove_metadata()) or (
            parquet.num_rows != expected_rows
        ):
            problems.append(Problem(parquet_path(model.table), message="written Parquet does not read back as written"))
    return problems
