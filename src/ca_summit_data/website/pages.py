"""What each page shows, as plain data for the templates: the data dictionary, rows, downloads, snippets.

Everything is read from the published package (whose Table Schemas are generated from
the models), never written down a second time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..package import Package
from ..release import wheel_name
from ..schema.facets import read_facets

INT64_MAX = 2**63 - 1


DATE_TYPES = frozenset({"date", "datetime", "time", "year", "yearmonth"})
NUMBER_TYPES = frozenset({"number", "integer"})
LONG_TEXT = 40
"""Characters from which a value with spaces is prose that needs room, not a label."""
BREAKS = re.compile(r"[-_./]")
"""Where an identifier or URL may wrap: after the separators of its parts (see ``website.breakable``)."""
LONG_RUN = 24
"""Characters without a break from which a value (a hash) may only wrap anywhere."""
_DECIMAL = re.compile(r"(-?)([0-9]+)(\.[0-9]+)?")


@dataclass(frozen=True)
class Cell:
    text: str
    """What the page shows (digits grouped for long numbers)."""
    missing: bool = False
    link: str | None = None
    items: tuple[str, ...] = ()
    kind: str = "text"
    """How the cell wraps, a class of the stylesheet: date, num, token, unbroken, prose or text (``cell_kind``)."""
    value: str | None = None
    """The exact published value when ``text`` shows it differently."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    arrow_type: str
    required: bool
    constraints: tuple[str, ...]
    pattern: str | None
    description: str

    @property
    def kind(self) -> str:
        return column_kind(self.type)


@dataclass(frozen=True)
class TablePage:
    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]
    """(column, referenced table, referenced column)."""
    referenced_by: tuple[tuple[str, str], ...]
    """(table, column) of the foreign keys that point here."""
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    """(row anchor id, cells in column order)."""
    files: tuple[tuple[str, str], ...]
    """(label, path) of this table's downloads."""

    @property
    def stacked(self) -> bool:
        """Whether each row is shown as a card of its cells rather than a line: a table of more columns than
        fit side by side at 1280 px keeps every value in view instead of hiding columns to the right."""
        return len(self.columns) > STACK_ABOVE


STACK_ABOVE = 10
"""Tables of more columns than this show their rows as cards (one block per row, each cell under its name)."""


@dataclass(frozen=True)
class Download:
    path: str
    title: str
    format: str
    size: int
    sha256: str
    group: str = "data"


@dataclass(frozen=True)
class Snippets:
    pandas: str
    polars: str
    duckdb: str
    package: str
    files: tuple[str, ...] = field(default_factory=tuple)


def column_kind(field_type: str) -> str:
    """``date`` and ``num`` columns never wrap (``2025-12-`` / ``20`` misreads) and numbers align right."""
    if field_type in DATE_TYPES:
        return "date"
    return "num" if field_type in NUMBER_TYPES else ""


def cell_kind(field_type: str, value: str) -> str:
    """How a value may wrap, so a table of long identifiers or prose fits the page.

    A value without spaces (an identifier, a code, a URL) wraps at its parts rather than push the
    table wider than the page, and one with a long run (a hash) anywhere; a long value with spaces
    keeps room to be read (not one word a line).
    """
    kind = column_kind(field_type)
    if kind:
        return kind
    if not any(c.isspace() for c in value):
        return "unbroken" if max(map(len, BREAKS.split(value))) > LONG_RUN else "token"
    return "prose" if len(value) > LONG_TEXT else "text"


def group_digits(text: str) -> str:
    """``3000000000000`` as ``3,000,000,000,000``: thirteen digits in a row are miscounted.

    Only the display changes (the published files keep the plain value), only for whole parts of
    five digits or more (a year or a count stays as written), and every digit is kept.
    """
    match = _DECIMAL.fullmatch(text)
    if match is None or len(match[2]) < 5:
        return text
    sign, whole, fraction = match.groups()
    head = len(whole) % 3 or 3
    groups = [whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))]
    return sign + ",".join(groups) + (fraction or "")


def value_cell(field_type: str, value: str, link: str | None) -> Cell:
    """A non-empty, non-list value as the rows table shows it."""
    kind = cell_kind(field_type, value)
    shown = group_digits(value) if kind == "num" else value
    return Cell(shown, link=link, kind=kind, value=value if shown != value else None)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"


def _key(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


def row_anchor(values: tuple[str, ...]) -> str:
    return "row-" + "--".join(values)


def constraint_texts(field: dict[str, Any]) -> tuple[tuple[str, ...], str | None]:
    """The constraints of a Table Schema field in words, and its pattern when it is worth showing as is."""
    constraints = dict(field.get("constraints") or {})
    texts: list[str] = []
    pattern = constraints.get("pattern")
    shown_pattern: str | None = None
    if "enum" in constraints:
        texts.append("one of: " + ", ".join(str(v) for v in constraints["enum"]))
    if isinstance(pattern, str) and pattern.startswith("^[^"):
        texts.append("one line of text, no control or bidirectional characters")
    elif isinstance(pattern, str):
        shown_pattern = pattern
    low, high = constraints.get("minLength"), constraints.get("maxLength")
    if low is not None and high is not None:
        texts.append(f"{low} to {high} characters")
    elif high is not None:
        texts.append(f"at most {high} characters")
    elif low is not None:
        texts.append(f"at least {low} characters")
    if "minimum" in constraints:
        texts.append(f"≥ {constraints['minimum']}")
    if "maximum" in constraints:
        maximum = constraints["maximum"]
        texts.append("fits a 64-bit integer" if maximum == INT64_MAX else f"≤ {maximum}")
    if constraints.get("unique"):
        texts.append("unique")
    if field.get("type") == "list":
        texts.append(f"a list; items joined by “{field.get('delimiter', ',')}” in CSV")
    texts += [facet.words() for facet in read_facets(field, str(field.get('type', 'string')), str(field.get('name')))]
    return tuple(texts), shown_pattern


def arrow_types(package: Package, table: str) -> dict[str, str]:
    """Column types of the table's Parquet file, as Arrow names them (empty when there is none)."""
    import io

    import pyarrow.parquet as pq

    for resource in package.resources():
        if resource.get("format") == "parquet" and resource["name"] == f"{table}_parquet":
            schema = pq.read_schema(io.BytesIO(package.read(str(resource["path"]))))
            return {f.name: str(f.type) for f in schema}
    return {}


def table_page(package: Package, name: str) -> TablePage:
    resource = package.resource(name)
    schema: dict[str, Any] = resource["schema"]
    fields: list[dict[str, Any]] = schema["fields"]
    header, rows = package.rows(name)
    names = [f["name"] for f in fields]
    if header != names:
        from ..package import UnreadablePackage

        raise UnreadablePackage(f"{resource['path']}: header {header} does not match its Table Schema {names}")
    types = arrow_types(package, name)
    columns = []
    for f in fields:
        texts, pattern = constraint_texts(f)
        required = bool((f.get("constraints") or {}).get("required"))
        columns.append(
            Column(
                f["name"],
                str(f.get("type", "any")),
                types.get(f["name"], ""),
                required,
                texts,
                pattern,
                str(f.get("description", "")),
            )
        )
    links: dict[str, str] = {}
    foreign_keys = []
    for fk in schema.get("foreignKeys") or []:
        columns_ = _key(fk.get("fields"))
        ref = fk.get("reference") or {}
        targets = _key(ref.get("fields"))
        if len(columns_) == 1 and len(targets) == 1:
            target_table = str(ref.get("resource") or name)
            links[columns_[0]] = f"{target_table}.html"
            foreign_keys.append((columns_[0], target_table, targets[0]))
    referenced_by = []
    for other in package.table_names():
        for fk in package.resource(other)["schema"].get("foreignKeys") or []:
            if (fk.get("reference") or {}).get("resource") == name:
                referenced_by.append((other, ", ".join(_key(fk.get("fields")))))
    primary_key = _key(schema.get("primaryKey"))
    rendered = []
    for row in rows:
        cells = []
        for f in fields:
            value = row[f["name"]]
            if value == "":
                cells.append(Cell("", missing=True, kind=column_kind(str(f.get("type"))) or "text"))
            elif f.get("type") == "list":
                cells.append(Cell(value, items=tuple(value.split(str(f.get("delimiter", ","))))))
            else:
                link = f"{links[f['name']]}#{row_anchor((value,))}" if f["name"] in links else None
                cells.append(value_cell(str(f.get("type", "string")), value, link))
        rendered.append((row_anchor(tuple(row[k] for k in primary_key)), tuple(cells)))
    files = [("CSV", str(resource["path"]))]
    for candidate in package.resources():
        if candidate["name"] == f"{name}_parquet":
            files.append(("Parquet", str(candidate["path"])))
    return TablePage(
        name=name,
        title=str(resource.get("title") or name),
        description=str(resource.get("description", "")),
        primary_key=primary_key,
        foreign_keys=tuple(foreign_keys),
        referenced_by=tuple(referenced_by),
        columns=tuple(columns),
        rows=tuple(rendered),
        files=tuple(files),
    )


def downloads(package: Package, extra: dict[str, bytes]) -> list[Download]:
    out = []
    for resource in package.resources():
        out.append(
            Download(
                path=str(resource["path"]),
                title=str(resource.get("title") or resource["name"]),
                format=str(resource.get("format", "")),
                size=int(resource.get("bytes", 0)),
                sha256=str(resource.get("hash", "")).removeprefix("sha256:"),
            )
        )
    for path, content in extra.items():
        group = "schema" if path.startswith("schemas/") else "package"
        out.append(
            Download(
                path=path,
                title=path.rsplit("/", 1)[-1],
                format=path.rsplit(".", 1)[-1],
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                group=group,
            )
        )
    return out


def snippets(package: Package) -> Snippets:
    """How to load the files, written for the tables this package actually has."""
    tables = package.table_names()
    example = "initiatives" if "initiatives" in tables else tables[0]
    resource = package.resource(example)
    csv_path = str(resource["path"])
    parquet = next((str(r["path"]) for r in package.resources() if r["name"] == f"{example}_parquet"), csv_path)
    join = next(
        (
            fk
            for fk in resource["schema"].get("foreignKeys") or []
            if len(_key(fk.get("fields"))) == 1 and (fk.get("reference") or {}).get("resource") != example
        ),
        None,
    )
    duckdb = f"SELECT * FROM '{parquet}' LIMIT 10;"
    files = [csv_path, parquet]
    if join is not None:
        column = _key(join["fields"])[0]
        target = str(join["reference"]["resource"])
        target_key = _key(join["reference"]["fields"])[0]
        target_file = next(
            (str(r["path"]) for r in package.resources() if r["name"] == f"{target}_parquet"),
            str(package.resource(target)["path"]),
        )
        files.append(target_file)
        duckdb = (
            f"-- each {example} row with its {target} row\n"
            f"SELECT t.*, r.*\n"
            f"FROM '{parquet}' AS t\n"
            f"LEFT JOIN '{target_file}' AS r ON t.{column} = r.{target_key};"
        )
    pandas = (
        "import pandas as pd\n\n"
        f'{example} = pd.read_csv("{csv_path}", dtype=str, keep_default_na=False)\n'
        f'{example}_typed = pd.read_parquet("{parquet}")  # Arrow types: dates, decimals, lists\n'
        f"print({example}_typed.dtypes)"
    )
    polars = (
        f'import polars as pl\n\n{example} = pl.read_parquet("{parquet}")\n'
        f'{example}_csv = pl.read_csv("{csv_path}", infer_schema=False)  # every column as text\n'
        f"print({example}.schema)"
    )
    package_snippet = (
        "# Not on PyPI: install from a clone of the repository, or from the wheel of a release\n"
        "# pip install ./ca-summit-data\n"
        f"# pip install {wheel_name(package.version)}   (the wheel carries these files)\n"
        "import ca_summit_data\n\n"
        f'{example} = ca_summit_data.load("{example}")          # pandas, typed\n'
        f'{example}_pl = ca_summit_data.load("{example}", as_="polars")\n'
        "summit = ca_summit_data.summit()                    # nested, typed model"
    )
    return Snippets(
        pandas=pandas,
        polars=polars,
        duckdb='import duckdb\n\nduckdb.sql("""\n' + duckdb + '\n""").show()',
        package=package_snippet,
        files=tuple(files),
    )
