"""The documentation says what the code does.

The bounds in docs/reliability.md are those of limits.py; the table of Table Schema features in
docs/validating.md is made from the declarations the validator reads (each type's formats, options and
constraints, the dialect properties, the schema properties, the compressions), so it cannot promise a feature
the code does not declare, nor leave one out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from ca_summit_data import limits
from ca_summit_data.schema import tableschema
from ca_summit_data.schema.fieldtypes import TYPES
from ca_summit_data.validation import dialect, streams

from .conftest import ROOT

START = "<!-- bounds: generated from src/ca_summit_data/limits.py; tests/test_docs.py checks it -->"
END = "<!-- /bounds -->"
FEATURES_START = "<!-- features: generated from the validator's declarations; tests/test_docs.py checks it -->"
FEATURES_END = "<!-- /features -->"


def _shown(value: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if value >= size and value % size == 0:
            return f"{value // size} {unit}"
    return f"{value:,}"


def bounds_table() -> str:
    """The table of every bound in limits.py: its name, value and docstring, in the module's order."""
    tree = ast.parse((ROOT / "src" / "ca_summit_data" / "limits.py").read_text(encoding="utf-8"))
    rows = ["| bound | value | what it limits |", "| --- | ---: | --- |"]
    body = tree.body
    for node, after in zip(body, [*body[1:], None], strict=True):
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        name = node.targets[0].id
        doc = ""
        if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            doc = " ".join(str(after.value.value).split())
        rows.append(f"| `{name}` | {_shown(getattr(limits, name))} | {doc} |")
    return "\n".join(rows)


def between_markers(page: str, start: str, end: str) -> str:
    """The generated part of a docs page: what stands between its two markers."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return text[text.index(start) + len(start) : text.index(end)].strip()


def test_the_bounds_in_the_docs_are_those_of_the_code() -> None:
    table = bounds_table()
    assert between_markers("reliability.md", START, END) == table, (
        "docs/reliability.md: paste this table between the bounds markers:\n" + table
    )


def test_the_readme_links_every_docs_page_and_each_link_resolves() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"](docs/{page.name})" in readme, page.name
    for document in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = document.read_text(encoding="utf-8")
        for target in [part.split(")", 1)[0] for part in text.split("](")[1:]]:
            if target.startswith(("http", "#", "mailto:")) or " " in target:
                continue
            assert (document.parent / target.split("#")[0]).exists(), f"{document.name}: {target}"


def _codes(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def features_table() -> str:
    """What ``validate`` reads of Table Schema, a row per type and per group of properties."""
    rows = ["| feature | what is read |", "| --- | --- |"]
    for kind in TYPES.values():
        formats = [f for f in kind.formats if f != "default"] + (["a strptime pattern"] if kind.patterns else [])
        parts = [f"formats: {_codes(formats[:-1] if kind.patterns else formats)}"
                 + (", or a strptime pattern" if kind.patterns else "")] if formats else []
        if kind.properties:
            parts.append(f"options: {_codes(kind.properties)}")
        parts.append(f"constraints: {_codes(sorted(kind.constraints))}")
        if kind.name in tableschema.CATEGORY_TYPES:
            parts.append("`categories`")
        rows.append(f"| type `{kind.name}` | {'; '.join(parts)} |")
    rows.append("| every field | `missingValues` (strings or v2 objects), `required` outside `constraints` (v2) |")
    rows.append(f"| schema | `fieldsMatch` ({_codes(tableschema.FIELDS_MATCH)}), `primaryKey` (composite too), "
                "`foreignKeys` (to another resource or the same one), `uniqueKeys`, `missingValues` |")
    rows.append(f"| dialect | {_codes(sorted(dialect.READ_PROPERTIES))} |")
    rows.append(f"| compression | {_codes(sorted(streams.SUFFIXES))}, or the resource's `compression` |")
    rows.append("| resource | a local `path` (one file or several parts), inline `data`, `encoding`, `bytes`, `hash`; "
                "a schema or dialect given by path |")
    return "\n".join(rows)


def test_the_feature_table_in_the_docs_is_the_validators() -> None:
    table = features_table()
    assert between_markers("validating.md", FEATURES_START, FEATURES_END) == table, (
        "docs/validating.md: paste this table between the features markers:\n" + table
    )


def test_the_known_differences_are_counted_in_the_docs() -> None:
    from .known_differences import KNOWN_DIFFERENCES

    text = (ROOT / "docs" / "validating.md").read_text(encoding="utf-8")
    assert f"{len(KNOWN_DIFFERENCES)} cases" in text, len(KNOWN_DIFFERENCES)
