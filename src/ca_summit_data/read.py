"""Reading the published dataset: ``load()``, ``tables()``, ``summit()``.

An installed wheel carries the published files inside the package
(``ca_summit_data/dataset/``), read through ``importlib.resources``; in a source
checkout the files at the project root are used. No network is ever needed.
"""

from __future__ import annotations

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
    (every allowed value is a category), ``datetime64[s]`` for dates, and Arrow-backed
    dtypes for exact money amounts and lists. ``as_="arrow"`` gives the pyarrow Table
    as stored; ``as_="polars"`` a polars DataFrame (polars must be installed).
    """
    import pyarrow.parquet as pq

    if as_ not in ("pandas", "arrow", "polars"):
        raise ValueError(f"as_ must be 'pandas', 'arrow' or 'polars', not {as_!r}")
    arrow_table = pq.read_table(_parquet_file(table))
    if as_ == "arrow":
        return arrow_table
    if as_ == "polars":
        try:
            import polars as pl
        except ModuleNotFoundError:
            raise ModuleNotFoundError(
                "load(..., as_='polars') needs polars: pip install 'ca-summit-data[polars]' (or pip install polars)",
                name="polars",
            ) from None

        return pl.from_arrow(arrow_table)
    return _to_pandas(arrow_table)


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
        if pa.types.is_decimal(arrow_type) or pa.types.is_list(arrow_type):
            return pd.ArrowDtype(arrow_type)
        return None

    frame = table.to_pandas(types_mapper=mapper, date_as_object=False)
    for field in table.schema:
        if pa.types.is_date(field.type):
            frame[field.name] = frame[field.name].astype("datetime64[s]")
    return frame


def summit() -> SummitDocument:
    """The summit as a typed, nested model with its participants, areas, initiatives and more."""
    from .models import SummitDocument

    text = (dataset_path() / "data" / "ca_summit.json").read_text(encoding="utf-8")
    return SummitDocument.model_validate_json(text)
