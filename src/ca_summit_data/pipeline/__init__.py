"""The build: seeds -> validated dataset -> every output file, in memory; then publish.

``yamlio`` reads the seed files, ``seeds`` checks each record (``models.check``) and
makes the dataset, ``consistency`` checks what no single record can see (keys, foreign
keys, evidence against the archived sources), ``export`` renders every file, and
``publish`` swaps them in, only after everything, including the outputs themselves,
has been checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import metadata
from ..export import Files, render
from ..models.dataset import Dataset
from ..problems import Finding, ProblemsFound
from ..settings import Settings
from .consistency import check_all
from .seeds import from_seeds, load_seeds


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


def build(settings: Settings, require_sources: bool = False) -> BuildResult:
    dataset, notes, verified = build_dataset(settings, require_sources)
    files = render(dataset)
    problems = check_outputs(dataset, files)
    if problems:
        raise ProblemsFound(problems)
    return BuildResult(dataset, files, notes, verified)


def check_outputs(dataset: Dataset, files: Files) -> list[Finding]:
    """Read the rendered outputs back and check them against the models and schemas."""
    import io
    import json

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from ..export import DOCUMENT_PATH, csv_path, parquet_path
    from ..export.parquet import arrow_schema
    from ..models import TABLE_MODELS, columns
    from ..models.jsonschema import document_validator

    problems: list[Finding] = []
    for err in document_validator().iter_errors(json.loads(files[DOCUMENT_PATH])):
        problems.append(Finding(DOCUMENT_PATH, "schema", f"does not match its JSON Schema: {err.message}"))
    for model in TABLE_MODELS:
        expected_rows = len(dataset.rows(model.table))
        names = [c.name for c in columns(model)]
        table = pacsv.read_csv(
            io.BytesIO(files[csv_path(model.table)]),
            convert_options=pacsv.ConvertOptions(column_types={n: "string" for n in names}),
        )
        if table.column_names != names or table.num_rows != expected_rows:
            problems.append(Finding(csv_path(model.table), "file", "written CSV does not read back as written"))
        parquet = pq.read_table(io.BytesIO(files[parquet_path(model.table)]))
        if not parquet.schema.remove_metadata().equals(arrow_schema(model).remove_metadata()) or (
            parquet.num_rows != expected_rows
        ):
            problems.append(Finding(parquet_path(model.table), "file", "written Parquet does not read back as written"))
    return problems
