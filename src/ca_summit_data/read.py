"""Reading the published dataset: ``load()``, ``tables()``, ``summit()``.

An installed wheel carries the published files inside the package
(``ca_summit_data/dataset/``), read through ``importlib.resources``; in a source
checkout the files at the project root are used. No network is ever needed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from .package import dataset_path

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from .models import SummitDocument

Output = Literal["pandas", "arrow", "polars"]

__all__ = ["dataset_path", "load", "summit", "tables"]


def _descriptor() -> dict[str, Any]:
    from .package import read_descriptor

    data: dict[str, Any] = read_descriptor(dataset_path() / "datapackage.json")
    return data


def tables() -> list[str]:
    """The names of the published tables, in dependency order."""
    return [r["name"] for r in _descriptor()["resources"] if r.get("type") == "table"]


def _parquet_file(table: str) -> Path:
    names = tables()
    if table not in names:
        raise KeyError(f"no table {table!r}; the tables are: {', '.join(names)}")
    return dataset_path() / "data" / f"{table}.parquet"


@overload
def load(table: str, as_: Literal["pandas"] = "pandas") -> pd.DataFrame: ...
@overload
def load(table: str, as_: Literal["arrow"]) -> pa.Table: ...
@overload
def load(table: str, as_: Literal["polars"]) -> Any: ...


def load(table: str, as_: Output = "pandas") -> Any:
    """Load one table.

    ``as_="pandas"`` (default) gives a DataFrame with nullable dtypes: ``string`` for
    text, ``Int64`` for integers, ``boolean``, ``category`` for closed vocabularies
    (every allowed value is a category), ``datetime64[s]`` for dates, Arrow-backed
    ``list<string>`` for lists, and exact ``decimal.Decimal`` values (``object`` dtype,
    ``pd.NA`` where missing) for money, so that ``amount / 1000``, ``amount * 2``,
    sums and ratios compute exactly (a quotient to 28 significant digits).
    ``as_="arrow"`` gives the pyarrow Table as stored, without importing pandas;
    ``as_="polars"`` a polars DataFrame (polars must be installed), whose closed
    vocabularies are ``pl.Enum`` of every allowed value, in order.
    """
    import pyarrow.parquet as pq

    if as_ not in ("pandas", "arrow", "polars"):
        raise ValueError(f"as_ must be 'pandas', 'arrow' or 'polars', not {as_!r}")
    # ParquetFile.read, unlike read_table, does not import pandas to look for its metadata.
    arrow_table = pq.ParquetFile(_parquet_file(table)).read()
    if as_ == "arrow":
        return arrow_table
    if as_ == "polars":
        return _to_polars(arrow_table, table)
    return _to_pandas(arrow_table)


def _categories(table: str) -> dict[str, list[str]]:
    """The allowed values of each closed-vocabulary column of a published table, in order (its Table Schema)."""
    resource = next(r for r in _descriptor()["resources"] if r["name"] == table)
    fields = resource.get("schema", {}).get("fields", [])
    return {f["name"]: list(f["categories"]) for f in fields if isinstance(f.get("categories"), list)}


def _to_polars(table: pa.Table, name: str) -> Any:
    try:
        import polars as pl
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "load(..., as_='polars') needs polars: pip install 'ca-summit-data[polars]' (or pip install polars)",
            name="polars",
        ) from None
    frame = pl.DataFrame(table)
    vocabularies = _categories(name)
    return frame.with_columns(
        pl.col(column).cast(pl.String).cast(pl.Enum(values)) for column, values in vocabularies.items()
    )


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    def mapper(arrow_type: pa.DataType) -> Any:
        if pa.types.is_string(arrow_type):
            return pd.StringDtype()
        if pa.types.is_int64(arrow_type):
            return pd.Int64Dtype()
        if pa.types.is_boolean(arrow_type):
            return pd.BooleanDtype()
        if pa.types.is_list(arrow_type):
            return pd.ArrowDtype(arrow_type)
        return None

    decimals = [f.name for f in table.schema if pa.types.is_decimal(f.type)]
    frame = table.drop_columns(decimals).to_pandas(types_mapper=mapper, date_as_object=False)
    for field in table.schema:
        if pa.types.is_date(field.type):
            frame[field.name] = frame[field.name].astype("datetime64[s]")
    for name in decimals:
        # Arrow's decimal arithmetic overflows its 38 digits on the first division (30 digits / 30 digits);
        # Python's Decimal keeps every digit of a sum or product and 28 significant digits of a quotient.
        values = [pd.NA if v is None else _plain(v) for v in table.column(name).to_pylist()]
        frame.insert(table.schema.get_field_index(name), name, pd.Series(values, dtype=object, index=frame.index))
    return frame


def _plain(value: Decimal) -> Decimal:
    """A stored decimal (scale 4: ``3000000000000.0000``) written as it reads: ``3000000000000``, ``1.25``.

    Trailing zeros are cut from the text, never by ``normalize()``, which rounds to the context's
    28 digits and writes large round numbers with an exponent.
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def summit() -> SummitDocument:
    """The summit as a typed, nested model with its participants, areas, initiatives and more."""
    from .models import SummitDocument

    text = (dataset_path() / "data" / "ca_summit.json").read_text(encoding="utf-8")
    return SummitDocument.model_validate_json(text)
