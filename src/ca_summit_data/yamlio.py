"""Reading YAML safely, with the line of every record and field kept for error messages.

The loader is PyYAML's safe loader with five changes that matter for hand-written data:
a key given twice in one mapping is an error (not a silent overwrite); dates and times
stay strings, so the models (not YAML's own rules) decide what a valid date is; numbers
are read exactly from their digits (a decimal becomes a ``Decimal``, never a binary float
that would round money), and what YAML 1.1 would silently re-read (``010`` as 8, ``1:0``
as 60, ``0x1F``, ``1_000``, ``yes``/``no``/``on``/``off`` as booleans) is refused with the
line, so a value is what it looks like or an error; a document may use only a bounded
number of aliases (a YAML "billion laughs" document is refused before it expands); and
each mapping remembers the line of each of its keys.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import fs
from .limits import MAX_ALIASES, MAX_EXPANDED_NODES, MAX_FILE_BYTES, MAX_JSON_DEPTH, MAX_NUMBER_CHARS
from .problems import Finding, ProblemsFound
from .schema.numbers import NotANumber, exact_decimal, exact_integer

__all__ = ["MAX_ALIASES", "MAX_EXPANDED_NODES", "MAX_FILE_BYTES", "LineDict", "parse_yaml", "read_yaml"]


class LineDict(dict[str, Any]):
    """A mapping that remembers the line (1-based) of itself and of each key."""

    line: int
    key_lines: dict[str, int]


class _BoundedComposer(yaml.composer.Composer):
    """PyYAML's composer, counting aliases as it goes (a document may hold at most ``MAX_ALIASES``)."""

    _aliases = 0

    if TYPE_CHECKING:  # given by the parser (libyaml's or PyYAML's) mixed in beside it
        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_ALIASES} aliases in one document", event.start_mark
                )
        return super().compose_node(parent, index)


_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)
"""libyaml's scanner and parser, which PyYAML's wheels carry: the same events, marks and errors, ten times faster."""

if _CParser is not None:
    class _Loader(_BoundedComposer, _CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):  # type: ignore[misc]
        """Scanned and parsed by libyaml; composed (aliases counted, lines kept) and constructed in Python."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # pragma: no cover (a PyYAML built without libyaml)
    class _Loader(_BoundedComposer, yaml.SafeLoader):  # type: ignore[no-redef]
        """Scanned, parsed, composed and constructed in Python."""


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


def _refuse(node: yaml.Node, what: str, advice: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, f"{what}; {advice}", node.start_mark)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(node.value)
    try:
        return exact_integer(text)
    except NotANumber as exc:
        if len(text) > MAX_NUMBER_CHARS:
            raise _refuse(node, str(exc), "a value here is never that long") from None
        raise _refuse(
            node,
            f"{text!r} is read by YAML as a number in another notation (octal, hexadecimal, binary, "
            "base 60 or with '_')",
            "write the number in plain decimal digits, or quote it if it is text",
        ) from None


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(node.value)
    try:
        return exact_decimal(text)
    except NotANumber as exc:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise _refuse(
            node, f"{shown!r} is not a number we read exactly ({exc})",
            "write a finite decimal, or quote it if it is text",
        ) from None


def _construct_bool(loader: _Loader, node: yaml.ScalarNode) -> bool:
    text = str(node.value)
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    raise _refuse(node, f"{text!r} is read by YAML 1.1 as a boolean", "write true or false, or quote it if it is text")


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
# Keep timestamps as text: remove the implicit resolver for them.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _shape(node: yaml.Node) -> tuple[int, int, int]:
    """(nodes written, nodes once every alias is expanded, deepest nesting) of a document.

    Walked without recursion, and stopped as soon as a bound is passed: a few aliases
    nested in each other (a "billion laughs") stand for exponentially many values, and the
    models would walk every copy; a cycle stands for infinitely many.
    """
    expanded: dict[int, int] = {}
    distinct: set[int] = set()
    deepest = 0
    # (node, depth, children done): a node is sized after its children
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    on_path: set[int] = set()
    while stack:
        current, depth, done = stack.pop()
        key = id(current)
        children = _children(current)
        if done:
            on_path.discard(key)
            size = 1 + sum(expanded[id(c)] for c in children)
            expanded[key] = min(size, MAX_EXPANDED_NODES * 2 + 2)
            continue
        if key in expanded:
            continue
        if key in on_path:  # an alias inside itself
            expanded[key] = MAX_EXPANDED_NODES * 2 + 2
            return len(distinct), expanded[key], deepest
        distinct.add(key)
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return len(distinct), 0, deepest
        on_path.add(key)
        stack.append((current, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in expanded)
    return len(distinct), expanded[id(node)], deepest


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def read_yaml(path: Path, shown_as: str) -> Any:
    """Parse one YAML file. Problems are raised as ProblemsFound naming ``shown_as``."""
    try:
        raw = fs.read_bytes(path, MAX_FILE_BYTES)
    except fs.TooLarge:
        raise ProblemsFound(
            [Finding(shown_as, "file", f"the file is larger than {MAX_FILE_BYTES} bytes: seed files may be at most "
                                       f"{MAX_FILE_BYTES} bytes (split it)")]
        ) from None
    except fs.UnsafePath as exc:
        raise ProblemsFound([Finding(shown_as, "file", f"cannot read: {exc}")]) from None
    except OSError as exc:
        raise ProblemsFound([Finding(shown_as, "file", f"cannot read: {exc.strerror}")]) from None
    return parse_yaml(raw, shown_as)


def parse_yaml(raw: bytes, shown_as: str) -> Any:
    """Parse YAML already read (and bounded in size by the caller). Problems are raised as ProblemsFound."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProblemsFound(
            [Finding(shown_as, "encoding", f"not valid UTF-8 (byte {exc.start}: {exc.reason})", line)]
        ) from None
    if text.startswith("\ufeff"):
        raise ProblemsFound([Finding(shown_as, "bom", "starts with a byte-order mark; save as UTF-8 without BOM", 1)])
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        written, size, depth = _shape(node)
        line = node.start_mark.line + 1
        if depth > MAX_JSON_DEPTH:
            raise ProblemsFound([Finding(shown_as, "syntax", f"nested more than {MAX_JSON_DEPTH} levels deep", line)])
        if size - written > MAX_EXPANDED_NODES:
            raise ProblemsFound(
                [Finding(shown_as, "syntax",
                         f"aliases expand to more than {MAX_EXPANDED_NODES} values; write the records out", line)]
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        message = f"invalid YAML: {_error_text(exc)}"
        raise ProblemsFound([Finding(shown_as, "syntax", message, _error_line(exc))]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: max(exc.position, 0)].count("\n") + 1
        raise ProblemsFound(
            [Finding(shown_as, "syntax", f"invalid YAML: character U+{exc.character:04X} is not allowed", line)]
        ) from None
    except yaml.YAMLError as exc:
        raise ProblemsFound([Finding(shown_as, "syntax", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise ProblemsFound([Finding(shown_as, "syntax", "invalid YAML: nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()


_STARTED_AT = ("while scanning a quoted scalar", "while scanning a block scalar", "while scanning a simple key")
"""Errors whose cause is where the scanned thing began (an unclosed quote), not where the scanner gave up."""


def _error_line(exc: yaml.MarkedYAMLError) -> int | None:
    """The line to fix: where an unclosed quote or key began, else where the parser found the problem."""
    if exc.context_mark is not None and str(exc.context or "").startswith(_STARTED_AT):
        return int(exc.context_mark.line) + 1
    mark = exc.problem_mark or exc.context_mark
    return int(mark.line) + 1 if mark is not None else None


def _error_text(exc: yaml.MarkedYAMLError) -> str:
    message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    started = exc.context_mark is not None and str(exc.context or "").startswith(_STARTED_AT)
    problem, context = exc.problem_mark, exc.context_mark
    if started and problem is not None and context is not None and problem.line != context.line:
        message += f" (the parser gave up at line {problem.line + 1})"
    return message
