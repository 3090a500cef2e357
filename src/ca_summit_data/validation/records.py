"""JSON and YAML record files: seed records, and the nested summit document.

A file named after one of our tables holds records in the shape of ``seeds/<table>.yaml``
(a list of mappings, or one mapping); each is checked against the generated JSON Schema
(``schemas/<model>_seed.schema.json``) and by the Pydantic model itself, which knows the
cross-field rules. Two records with the same primary key are reported too. The nested
document (``ca_summit.json``) is checked against ``summit_document.schema.json`` and the
``SummitDocument`` model. Records are few and small, so this is plain Python.
"""

from __future__ import annotations

import json
from typing import Any

from ..jsonio import JsonError
from ..limits import MAX_FILE_BYTES, MAX_RECORDS
from ..schema.numbers import NotANumber
from .findings import Finding, Findings
from .inputs import RecordInput


def _json_records(text: str) -> tuple[Any, list[int | None]]:
    """The parsed document and, for a top-level list, the line each element starts on.

    Numbers are read exactly (``jsonio``): a money amount is never rounded through a float.
    """
    from ..jsonio import check_shape, decoder

    exact = decoder(exact=True)
    stripped = text.lstrip()
    if not stripped.startswith("["):
        document = exact.decode(text)
        check_shape(document)
        return document, []
    position = text.index("[") + 1
    items: list[Any] = []
    lines: list[int | None] = []
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position < len(text) and text[position] == "]":
            if text[position + 1 :].strip():
                raise json.JSONDecodeError("extra data after the list", text, position + 1)
            check_shape(items)
            return items, lines
        if len(items) >= MAX_RECORDS:
            raise JsonError(f"more than {MAX_RECORDS} records in one file; split it")
        item, end = exact.raw_decode(text, position)
        items.append(item)
        lines.append(text.count("\n", 0, position) + 1)
        position = end


def _load(item: RecordInput, sink: Findings) -> tuple[Any, list[int | None]] | None:
    from .. import fs
    from ..problems import ProblemsFound
    from ..yamlio import read_yaml

    if item.path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = read_yaml(item.path, item.shown)
        except ProblemsFound as exc:
            for problem in exc.problems:
                sink.add(problem)
            return None
        if isinstance(data, list) and len(data) > MAX_RECORDS:
            sink.add(Finding(item.shown, "file", f"more than {MAX_RECORDS} records in one file",
                             expected="a smaller file (split the records)"))
            return None
        lines = [getattr(r, "line", None) for r in data] if isinstance(data, list) else []
        return data, lines
    try:
        text = fs.read_bytes(item.path, MAX_FILE_BYTES).decode("utf-8")
    except fs.TooLarge:
        sink.add(
            Finding(
                item.shown,
                "file",
                f"the file is larger than {MAX_FILE_BYTES} bytes; record files may be at most {MAX_FILE_BYTES}",
                expected="a smaller file (split the records)",
            )
        )
        return None
    except fs.UnsafePath as exc:
        sink.add(Finding(item.shown, "unreadable", f"cannot read the file: {exc}"))
        return None
    except OSError as exc:
        sink.add(Finding(item.shown, "unreadable", f"cannot read the file: {exc.strerror or exc}"))
        return None
    except UnicodeDecodeError as exc:
        sink.add(Finding(item.shown, "encoding", f"not valid UTF-8 (byte {exc.start})", expected="UTF-8 text"))
        return None
    if text.startswith("\ufeff"):
        sink.add(
            Finding(
                item.shown,
                "bom",
                "the file starts with a byte-order mark",
                1,
                expected="UTF-8 without a byte-order mark",
            )
        )
        text = text[1:]
    try:
        return _json_records(text)
    except json.JSONDecodeError as exc:
        sink.add(Finding(item.shown, "syntax", f"invalid JSON: {exc.msg}", exc.lineno))
    except (JsonError, NotANumber) as exc:
        sink.add(Finding(item.shown, "syntax", f"invalid JSON: {exc}", getattr(exc, "line", None)))
    except RecursionError:
        sink.add(Finding(item.shown, "syntax", "invalid JSON: nested too deeply"))
    return None


def _check_table_records(item: RecordInput, data: Any, lines: list[int | None], sink: Findings) -> int:
    """Each record through the one record checker (``models.check``, as the build does), and keys not repeated."""
    from ..models import MODEL_BY_TABLE, SEEDED_MODELS, seed_model
    from ..models.check import check_record, record_label
    from ..models.jsonschema import record_validator

    assert item.table is not None
    model = MODEL_BY_TABLE[item.table]
    seeded = model in SEEDED_MODELS
    checked_as = seed_model(model) if seeded else model
    checker = record_validator(model, seeded=seeded)
    records = data if isinstance(data, list) else [data]
    seen: dict[str, str] = {}
    for index, record in enumerate(records):
        line = lines[index] if index < len(lines) else getattr(record, "line", None)
        label = record_label(item.table, index, record, model.primary_key)
        _, problems = check_record(checked_as, record, file=item.shown, label=label, line=line, validator=checker)
        for problem in problems:
            sink.add(problem)
        key = record.get(model.primary_key) if isinstance(record, dict) else None
        if isinstance(key, str):
            if key in seen:
                sink.add(Finding(item.shown, "primary-key", f"duplicate {model.primary_key} (same as {seen[key]})",
                                 line, model.primary_key, value=key, record=label,
                                 expected=f"a {model.primary_key} no other record has"))
            else:
                seen[key] = label
    return len(records)


def _check_document(item: RecordInput, data: Any, sink: Findings) -> int:
    from pydantic import ValidationError

    from ..models import SummitDocument
    from ..models.check import field_path
    from ..models.jsonschema import document_validator

    try:
        SummitDocument.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            sink.add(Finding(item.shown, "model", str(err["msg"]).removeprefix("Value error, "), None,
                             field_path(tuple(err["loc"])) or None))
        return 1
    for err in document_validator().iter_errors(data):
        sink.add(Finding(item.shown, "schema", f"JSON Schema: {err.message}", None,
                         field_path(tuple(err.absolute_path)) or None))
    return 1


def check_records(item: RecordInput, sink: Findings) -> int:
    """Check one record file; returns how many records it holds (0 if it could not be read)."""
    loaded = _load(item, sink)
    if loaded is None:
        return 0
    data, lines = loaded
    if item.table is None:
        return _check_document(item, data, sink)
    if data is None:
        return 0
    if not isinstance(data, list | dict):
        sink.add(Finding(item.shown, "schema", "must be a list of records (or one record)", 1))
        return 0
    return _check_table_records(item, data, lines, sink)
