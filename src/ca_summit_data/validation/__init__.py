"""Validating data files against our schemas and models, fast enough for anyone's CI.

``validate(paths)`` checks a ``datapackage.json``, a folder, CSV or Parquet files of our
tables and JSON/YAML seed records; ``verify(descriptor)`` checks downloaded files against
the sizes and hashes the descriptor declares. Both return a ``report.Report``; the
``ca-summit-data validate`` and ``verify`` commands print it (``formats``).

The checks are vectorised on Arrow and stream the files in batches, so they run at
close to the speed of reading the file and in bounded memory. Modules, in the order
data flows through them:

- ``inputs``: paths -> what to check (tables, record files, declared sizes and hashes)
- ``dialect``: a resource's Table Dialect, read once; ``sources``: its bytes as UTF-8 (encodings, parts, inline)
- ``spec`` / ``modelspec``: a Table Schema (ours, as installed, or a user's) -> ``TableSpec``
- ``csv_reader`` / ``parquet_reader``: a file -> batches with spreadsheet row numbers
- ``header``: the header row against the schema's fields
- ``cells``: text or typed columns -> canonical typed Arrow arrays
- ``checks``, ``patterns``, ``rules``: types, constraints, model extras, cross-field rules
- ``keys``, ``references``: primary, unique and foreign keys
- ``integrity``: sizes and hashes; ``records``: JSON/YAML records
- ``findings``, ``emit``, ``report``, ``formats``: what was found, and how it is shown
- ``tables``, ``run``: one file, and a whole run

Importing this package imports nothing heavy; pyarrow is imported by the modules that
use it, when ``validate`` first runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import validate, verify

__all__ = ["validate", "verify"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module 'ca_summit_data.validation' has no attribute {name!r}")
