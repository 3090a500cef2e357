"""Reading YAML safely, with the line of every record and field kept for error messages.

The loader is PyYAML's safe loader with four changes that matter for hand-written data:
a key given twice in one mapping is an error (not a silent overwrite); dates and times
stay strings, so the models (not YAML's own rules) decide what a valid date is; a
document may use only a bounded number of aliases (a YAML "billion laughs" document is
refused before it expands); and each mapping remembers the line of each of its keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ProblemsFound

MAX_FILE_BYTES = 1_048_576
"""A seed file larger than this (1 MiB) is refused before it is parsed."""

MAX_ALIASES = 200
"""A YAML document with more alias uses than this is refused."""


class LineDict(dict[str, Any]):
    """A mapping that remembers the line (1-based) of itself and of each key."""

    line: int
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_ALIASES} aliases in one document", event.start_mark
                )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be strings, found {key!r}", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep timestamps as text: remove the implicit resolver for them.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path, shown_as: str) -> Any:
    """Parse one YAML file. Problems are raised as ProblemsFound naming ``shown_as``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ProblemsFound([Problem(shown_as, message=f"cannot read: {exc.strerror}")]) from None
    if size > MAX_FILE_BYTES:
        raise ProblemsFound(
            [Problem(shown_as, message=f"file is {size} bytes; seed files may be at most {MAX_FILE_BYTES}")]
        )
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise ProblemsFound([Problem(shown_as, message=f"cannot read: {exc.strerror}")]) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProblemsFound(
            [Problem(shown_as, line, message=f"not valid UTF-8 (byte {exc.start}: {exc.reason})")]
        ) from None
    if text.startswith("\ufeff"):
        raise ProblemsFound([Problem(shown_as, 1, message="starts with a byte-order mark; save as UTF-8 without BOM")])
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line + 1 if mark is not None else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise ProblemsFound([Problem(shown_as, error_line, message=f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise ProblemsFound([Problem(shown_as, message=f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise ProblemsFound([Problem(shown_as, message="invalid YAML: nested too deeply")]) from None
    finally:
        loader.dispose()
