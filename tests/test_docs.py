"""The documentation says what the code does: the bounds in docs/reliability.md are those of limits.py."""

from __future__ import annotations

import ast

from ca_summit_data import limits

from .conftest import ROOT

START = "<!-- bounds: generated from src/ca_summit_data/limits.py; tests/test_docs.py checks it -->"
END = "<!-- /bounds -->"


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


def test_the_bounds_in_the_docs_are_those_of_the_code() -> None:
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    table = text[text.index(START) + len(START) : text.index(END)].strip()
    assert table == bounds_table(), "docs/reliability.md: paste this table between the bounds markers:\n" + (
        bounds_table()
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
