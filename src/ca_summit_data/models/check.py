"""The one checker of a JSON or YAML record: what the build does to each seed record and the validator to each record.

A record is checked by its Pydantic model first (its messages say what is wrong in a
person's words, and it knows the ISO code lists, plain text and the table's rules), then,
only if the model accepts it, against the model's JSON Schema, which catches what
Pydantic, reading Python values, would quietly convert (the string ``"5"`` where a number
belongs). So each thing wrong is reported once. Every problem names the file, the line
(when the YAML or JSON reader kept it), the record and the field.
"""

from __future__ import annotations

from typing import Any

from ..problems import Finding, shown_value
from .records import Record


def field_path(loc: tuple[int | str, ...]) -> str:
    """A location as a person writes it: ``evidence[0].quote``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(raw: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest part of ``loc`` that the reader kept (``yamlio.LineDict``), else None."""
    line = getattr(raw, "line", None)
    node = raw
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and hasattr(node, "key_lines"):
            line = node.key_lines.get(part, line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


def record_label(table: str, index: int, raw: Any, key: str) -> str:
    """``summits[0] 'ca_plus_japan_2025'``: which record, by position and key."""
    label = f"{table}[{index}]"
    if isinstance(raw, dict) and isinstance(raw.get(key), str):
        label += f" {raw[key]!r}"
    return label


def _shown(value: Any) -> str | None:
    return None if isinstance(value, dict | list) else shown_value(value)


def check_record(
    model: type[Record], raw: Any, *, file: str, label: str, line: int | None, validator: Any
) -> tuple[Record | None, list[Finding]]:
    """(the validated record, or None; the problems of one record) against ``model`` and its JSON Schema."""
    from pydantic import ValidationError

    if not isinstance(raw, dict):
        return None, [Finding(file, "schema", "must be a mapping of field names to values", line, record=label)]
    try:
        record = model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            problems.append(Finding(file, "model", message, line_of(raw, loc) or line, field_path(loc) or None,
                                    value=_shown(err.get("input")), record=label))
        return None, problems
    problems = [
        Finding(file, "schema", f"JSON Schema: {err.message}", line_of(raw, tuple(err.absolute_path)) or line,
                field_path(tuple(err.absolute_path)) or None, value=_shown(err.instance), record=label)
        for err in validator.iter_errors(raw)
    ]
    return (None if problems else record), problems
