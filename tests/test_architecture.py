"""The layers of docs/architecture.md, held against the code's imports.

Every import of every module is read (with ``ast``, nothing is run) and placed on its
layer; a module may import only its own layer and those below. The schema layer never
imports Pydantic, and the validator imports the models only inside the one function that
checks JSON and YAML records, so that checking data files loads no Pydantic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ca_summit_data"

LAYERS: dict[str, int] = {
    "limits": 1, "fs": 1, "settings": 1, "metadata": 1, "problems": 1,
    "schema": 2, "jsonio": 2, "yamlio": 2,
    "models": 3,
    "package": 4,
    "validation": 5,
    "export": 6,
    "pipeline": 7, "release": 7, "read": 7, "website": 7,
    "cli": 8, "__main__": 8, "__init__": 8,
}
LAZY_ONLY = {("validation", "models")}
"""(importer, imported) pairs allowed only inside a function (a lazy import, off the common path)."""


def part(module: str) -> str:
    """``ca_summit_data.schema.facets`` -> ``schema``."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(relative.parts)
        out.append((name.removesuffix(".__init__"), path))
    return out


def imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(imported module, whether the import is at module level) for every import of our package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # imports under ``if TYPE_CHECKING:`` are for type checkers only
        if isinstance(node, ast.If):
            top_level.update(id(child) for child in node.body)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("ca_summit_data"):
                names = [f"{target}.{a.name}" for a in node.names] if node.module is None else [target]
                found += [(t, id(node) in top_level) for t in names]
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top_level) for a in node.names if a.name.startswith("ca_summit_data")]
    return found


@pytest.mark.parametrize(("name", "path"), modules(), ids=[m for m, _ in modules()])
def test_imports_run_only_downward(name: str, path: Path) -> None:
    mine = part(name)
    assert mine in LAYERS, f"{name}: place it on a layer in docs/architecture.md and here"
    for target, at_top in imports(name, path):
        theirs = part(target)
        if theirs == mine or target == "ca_summit_data.__version__":
            continue
        if (mine, theirs) in LAZY_ONLY:
            assert not at_top, f"{name} imports {target} at module level; only lazily, inside a function"
            continue
        upward = f"{name} (layer {LAYERS[mine]}) imports {target} (layer {LAYERS[theirs]})"
        assert LAYERS[theirs] <= LAYERS[mine], upward


def test_the_schema_layer_never_imports_pydantic() -> None:
    for path in (PACKAGE / "schema").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("pydantic") for n in names), path


def test_validating_a_data_file_loads_no_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ca_summit_data.validation import validate\n"
        f"report = validate([__import__('pathlib').Path({str(PACKAGE.parents[1] / 'data' / 'persons.csv')!r})])\n"
        "assert report.exit_code == 0, report.findings\n"
        "print('pydantic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
