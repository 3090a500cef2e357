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

MAX_ALIASES = 100
"""A YAML document with more alias uses than this is refused."""

MAX_EXPANDED_NODES = 100_000
"""A document whose values, with every alias expanded, exceed this many nodes is refused
before it is built: a few aliases nested in each other (a "billion laughs") expand
exponentially, and the models would walk every copy."""


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


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes ``node`` stands for once aliases are expanded (shared nodes counted per use)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = MAX_EXPANDED_NODES + 1  # a cycle counts as too large
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo)
            if size > MAX_EXPANDED_NODES:
                break
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, memo) + _expanded_size(value, memo)
            if size > MAX_EXPANDED_NODES:
                break
    memo[id(node)] = size
    return size


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
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, {})
        if size > MAX_EXPANDED_NODES:
            raise ProblemsFound(
                [
                    Problem(
                        shown_as,
                        node.start_mark.line + 1,
                        message=f"aliases expand to more than {MAX_EXPANDED_NODES} values; write the records out",
                    )
                ]
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line + 1 if mark is not None else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise ProblemsFound([Problem(shown_as, error_line, message=f"invalid YAML: {message}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: max(exc.position, 0)].count("\n") + 1
        raise ProblemsFound(
            [Problem(shown_as, line, message=f"invalid YAML: character U+{exc.character:04X} is not allowed")]
        ) from None
    except yaml.YAMLError as exc:
        raise ProblemsFound([Problem(shown_as, message=f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise ProblemsFound([Problem(shown_as, message="invalid YAML: nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()
