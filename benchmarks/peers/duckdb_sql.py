"""Our validator's checks as SQL in DuckDB: every Table Schema rule a ``WHERE`` clause over the loaded table.

    python benchmarks/peers/duckdb_sql.py PACKAGE_FOLDER [--format csv|parquet] [--print-sql]

Why this way: it is what a data engineer with a SQL engine would write, and DuckDB reads
CSV and Parquet in parallel, so it is the strongest "by hand" peer. Each checked table is
loaded once (CSV with every column as text, ``all_varchar``, so a type error is found
rather than stopping the read; Parquet as typed), and then:

- types: ``TRY_CAST`` of the text (with the Table Schema's shape of a number, an integer,
  a date; booleans from the schema's true and false values);
- required: ``IS NULL``; patterns: ``regexp_full_match``; enums and ISO codes: ``IN``;
  lengths and bounds: comparisons on well-typed cells;
- plain text: white space at either end (RE2) and ``nfc_normalize``; money digits: a
  pattern on the text; list items: ``list_transform`` over ``string_split``;
- the cross-field rules (``together``, ``uniqueItems``, ``notBefore``, ``differ``);
- the primary key: ``GROUP BY ... HAVING count(*) > 1``, reporting the rows after the first;
- foreign keys: an ``ANTI JOIN`` against the referenced keys.

``--print-sql`` prints the statements instead (loads, then one query a table) to run in the
DuckDB shell over the same files, or to translate for another SQL engine.

Rows are numbered by ``rowid`` (DuckDB keeps the file's order when it loads a table), plus
2, as a spreadsheet shows them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb
from common import (
    DATE_TEXT,
    INTEGER_TEXT,
    NUMBER_TEXT,
    SPACE_CLASS,
    Field,
    Package,
    Result,
    TableSchema,
    anchored,
    codes,
    digits_pattern,
    load_package,
    parse_args,
)

Check = tuple[str, str, str]
"""(column, finding code, SQL condition true on a failing row)."""


def literal(value: object) -> str:
    """A SQL literal (text quoted, backslashes kept as they are: SQL strings have no escapes)."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def values(items: list[object] | tuple[object, ...]) -> str:
    return "(" + ", ".join(literal(v) for v in items) + ")"


def typed_value(f: Field, fmt: str) -> str:
    """The cell in its logical type (NULL where missing or not of the type)."""
    c = ident(f.name)
    if fmt != "csv":
        return c
    if f.type == "number":
        return f"CASE WHEN regexp_full_match({c}, {literal(NUMBER_TEXT)}) THEN TRY_CAST(trim({c}) AS DOUBLE) END"
    if f.type == "integer":
        return f"CASE WHEN regexp_full_match({c}, {literal(INTEGER_TEXT)}) THEN TRY_CAST(trim({c}) AS BIGINT) END"
    if f.type == "boolean":
        return (f"CASE WHEN {c} IN {values(f.true_values)} THEN TRUE "
                f"WHEN {c} IN {values(f.false_values)} THEN FALSE END")
    if f.type == "date":
        return f"CASE WHEN regexp_full_match({c}, {literal(DATE_TEXT)}) THEN TRY_CAST({c} AS DATE) END"
    if f.type == "list":
        return f"string_split({c}, {literal(f.delimiter)})"
    return c


def field_checks(f: Field, fmt: str) -> list[Check]:
    """One field's checks: type, required, constraints on well-typed cells, our properties on cells that passed."""
    c = ident(f.name)
    value = typed_value(f, fmt)
    typed = f"({c} IS NOT NULL AND ({value}) IS NOT NULL)"
    out: list[Check] = []
    if fmt == "csv" and f.type not in ("string", "list", "any"):
        out.append((f.name, "type", f"{c} IS NOT NULL AND ({value}) IS NULL"))
    if f.required:
        out.append((f.name, "required", f"{c} IS NULL"))
    failing: list[str] = []

    def constraint(code: str, bad: str) -> None:
        out.append((f.name, code, f"{typed} AND ({bad})"))
        failing.append(bad)

    if f.enum is not None:
        constraint("enum", f"({value}) NOT IN {values(f.enum)}")
    if f.pattern is not None and f.type == "string":
        constraint("pattern", f"NOT regexp_full_match({c}, {literal(anchored(f.pattern))})")
    length = f"len({value})" if f.type == "list" else f"length({c})"
    if f.min_length is not None:
        constraint("min-length", f"{length} < {f.min_length}")
    if f.max_length is not None:
        constraint("max-length", f"{length} > {f.max_length}")
    if f.minimum is not None:
        constraint("minimum", f"({value}) < {f.minimum}")
    if f.maximum is not None:
        constraint("maximum", f"({value}) > {f.maximum}")
    passed = typed + "".join(f" AND NOT ({bad})" for bad in failing)
    if f.code_list is not None:
        out.append((f.name, "iso-code", f"{passed} AND {c} NOT IN {values(codes(f.code_list))}"))
    if f.plain_text:
        spaced = (f"regexp_matches({c}, {literal('^' + SPACE_CLASS)}) "
                  f"OR regexp_matches({c}, {literal(SPACE_CLASS + '$')})")
        out.append((f.name, "text", f"{passed} AND ({spaced})"))
        out.append((f.name, "text", f"{passed} AND nfc_normalize({c}) <> {c}"))
    if f.digits is not None and fmt == "csv":  # a Parquet decimal holds no more digits than its type
        digits = literal(digits_pattern(*f.digits))
        out.append((f.name, "decimal", f"{passed} AND NOT regexp_full_match({c}, {digits})"))
    if f.item_pattern is not None:
        pattern = literal(anchored(f.item_pattern))
        bad_item = f"list_transform({value}, lambda x: NOT regexp_full_match(x, {pattern}))"
        out.append((f.name, "list-item", f"{passed} AND list_bool_or({bad_item})"))
    return out


def rule_checks(table: TableSchema, fmt: str) -> list[Check]:
    out: list[Check] = []
    for rule in table.rules:
        fields = [table.field(name) for name in rule.fields]
        usable = [f"({ident(f.name)} IS NOT NULL AND ({typed_value(f, fmt)}) IS NOT NULL)" for f in fields]
        if rule.rule == "together":
            for f in fields:
                others = " OR ".join(f"{ident(o.name)} IS NOT NULL" for o in fields if o is not f)
                out.append((f.name, "rule", f"{ident(f.name)} IS NULL AND ({others})"))
        elif rule.rule == "uniqueItems":
            items = typed_value(fields[0], fmt)
            out.append((fields[0].name, "rule", f"{usable[0]} AND len(list_distinct({items})) <> len({items})"))
        elif rule.rule in ("notBefore", "differ"):
            first, second = (typed_value(f, fmt) for f in fields)
            compare = "<" if rule.rule == "notBefore" else "="
            out.append((fields[0].name, "rule", f"{usable[0]} AND {usable[1]} AND ({first}) {compare} ({second})"))
        else:
            raise NotImplementedError(f"rule {rule.rule!r} is not translated to SQL")
    return out


def load_sql(table: TableSchema, fmt: str, name: str) -> str:
    """The statement that loads one file as a DuckDB table (CSV all text, Parquet typed), in the file's row order."""
    path = literal(str(table.path))
    if fmt == "csv":
        source = f"read_csv({path}, all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')"
    else:
        source = f"read_parquet({path})"
    return f"CREATE TABLE {ident(name)} AS SELECT * FROM {source}"


def check_sql(package: Package, name: str) -> tuple[dict[str, str], str]:
    """(the small tables to load first, by the name they are loaded as; the one query of every check of a table)."""
    table = package.tables[name]
    t = ident(name)
    queries = [
        f"SELECT rowid + 2 AS row, {literal(column)} AS col, {literal(code)} AS code FROM {t} WHERE {condition}"
        for column, code, condition in [
            *(c for f in table.fields for c in field_checks(f, package.format)),
            *rule_checks(table, package.format),
        ]
    ]
    if table.primary_key:
        key = ", ".join(ident(k) for k in table.primary_key)
        joined = " AND ".join(f"t.{ident(k)} = d.{ident(k)}" for k in table.primary_key)
        present = " AND ".join(f"{ident(k)} IS NOT NULL" for k in table.primary_key)
        queries.append(
            f"SELECT t.rowid + 2, {literal(table.primary_key[0])}, 'primary-key' FROM {t} t JOIN "
            f"(SELECT {key}, min(rowid) AS first FROM {t} WHERE {present} GROUP BY {key} HAVING count(*) > 1) d "
            f"ON {joined} WHERE t.rowid > d.first"
        )
    small: dict[str, str] = {}
    for fk in table.foreign_keys:
        column, target = fk.fields[0], fk.resource
        loaded = target
        if target not in package.checked:  # a small published table: only its keys are read
            loaded = f"keys_{target}"
            small[loaded] = target
        queries.append(
            f"SELECT s.rowid + 2, {literal(column)}, 'foreign-key' FROM "
            f"(SELECT rowid, {ident(column)} AS v FROM {t} WHERE {ident(column)} IS NOT NULL) s "
            f"ANTI JOIN {ident(loaded)} r ON s.v = CAST(r.{ident(fk.reference[0])} AS VARCHAR)"
        )
    return small, " UNION ALL ".join(queries)


def main() -> None:
    args = parse_args(__doc__, printing=True)
    package = load_package(args.package, args.format)
    if args.print_sql:  # to run elsewhere: the DuckDB shell, or (translated) Spark SQL
        loads = {name: name for name in package.checked}
        checks = []
        for name in package.checked:
            small, query = check_sql(package, name)
            loads.update(small)
            checks.append(query)
        for loaded, name in loads.items():
            print(load_sql(package.tables[name], args.format, loaded) + ";")
        for query in checks:
            print(query + ";")
        return
    result = Result("duckdb-sql", args.format)
    con = duckdb.connect()
    loaded_already: set[str] = set()
    for name in package.checked:
        con.execute(load_sql(package.tables[name], args.format, name))
        loaded_already.add(name)
        result.rows[name] = int(con.execute(f"SELECT count(*) FROM {ident(name)}").fetchone()[0])  # type: ignore[index]
    for name in package.checked:
        small, query = check_sql(package, name)
        for loaded, target in small.items():
            if loaded not in loaded_already:
                con.execute(load_sql(package.tables[target], args.format, loaded))
                loaded_already.add(loaded)
        rows = con.execute(query).fetchall()
        result.add(name, [(int(row), str(column), str(code)) for row, column, code in rows])
    result.print()


if __name__ == "__main__":
    main()
