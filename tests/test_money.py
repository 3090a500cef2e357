"""An analyst's first calculations with the money columns: in pandas, polars and DuckDB, exact or documented.

The amounts are stored as exact decimals (Parquet ``decimal128(30, 4)``). Each tool below
must give the sums, products, ratios, amounts per year and conversions an analyst reaches
for first, and give them exactly where the arithmetic is exact; a quotient is exact to the
tool's documented precision (Python's ``Decimal``: 28 significant digits).
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

import ca_summit_data
from ca_summit_data.read import _plain

from .conftest import ROOT

JPY = Decimal("3000000000000")
IDR = Decimal("317500000000000")


def test_pandas_money_computes_exactly() -> None:
    targets = ca_summit_data.load("financial_targets")
    amount = targets["amount"]
    assert amount.iloc[0] == JPY and str(amount.iloc[0]) == "3000000000000", "written as it reads"
    assert (amount / 1000).iloc[0] == Decimal("3000000000")
    assert (amount * 2).iloc[0] == Decimal("6000000000000")
    assert amount.sum() == JPY
    per_year = (targets["amount"] / targets["period_years"]).iloc[0]
    assert per_year == Decimal("600000000000")
    rate = (targets["equivalent_amount"] / targets["amount"]).iloc[0]
    with localcontext() as context:
        context.prec = 28
        assert rate == IDR / JPY
    assert str(rate).startswith("105.83333333")
    equivalents = ca_summit_data.load("target_equivalents")
    usd = equivalents[equivalents["currency"] == "USD"]
    assert usd["amount"].sum() == Decimal("77000000000"), "19 + 19 + 19 + 20 billion, as reported"
    assert usd.groupby("source_id")["amount"].sum().max() == Decimal("20000000000")
    assert (JPY / usd["amount"]).min() == Decimal("150"), "yen per dollar implied by the $20 billion"


def test_pandas_missing_money_is_na_and_skipped() -> None:
    import pandas as pd

    frame = ca_summit_data.load("financial_targets")
    column = pd.concat([frame["amount"], pd.Series([pd.NA], dtype=object)], ignore_index=True)
    assert column.sum() == JPY
    assert (column / 2).isna().tolist() == [False, True]


def test_polars_money_computes_exactly() -> None:
    import polars as pl  # in the dev extra: a missing one fails, never skips
    targets = ca_summit_data.load("financial_targets", as_="polars")
    amount = targets["amount"]
    assert isinstance(amount.dtype, pl.Decimal)
    assert Decimal(str(amount.sum())) == JPY
    assert Decimal(str((amount * 2)[0])) == Decimal("6000000000000")
    assert Decimal(str((amount / 1000)[0])) == Decimal("3000000000")
    ratio = (targets["equivalent_amount"] / targets["amount"])[0]
    assert abs(Decimal(str(ratio)) - IDR / JPY) < Decimal("1e-4"), "polars divides decimals to the scale it states"
    per_year = (targets["amount"] / targets["period_years"])[0]
    assert Decimal(str(per_year)) == Decimal("600000000000")
    kinds = ca_summit_data.load("initiatives", as_="polars")["kind"]
    assert isinstance(kinds.dtype, pl.Enum) and "business_target" in kinds.dtype.categories.to_list()


def test_duckdb_money_computes_exactly() -> None:
    import duckdb  # in the dev extra
    path = (ROOT / "data" / "financial_targets.parquet").as_posix()
    (row,) = duckdb.sql(
        f"SELECT sum(amount), amount * 2, amount / 1000, amount / period_years, equivalent_amount / amount "
        f"FROM read_parquet('{path}') GROUP BY ALL"
    ).fetchall()
    total, double, thousandth, per_year, rate = row
    assert (Decimal(total), Decimal(double)) == (JPY, Decimal("6000000000000"))
    assert Decimal(str(thousandth)) == Decimal("3000000000") and Decimal(str(per_year)) == Decimal("600000000000")
    assert abs(Decimal(str(rate)) - IDR / JPY) < Decimal("1e-9"), "DuckDB divides decimals as doubles"


def test_arrow_keeps_the_stored_decimals() -> None:
    table = ca_summit_data.load("financial_targets", as_="arrow")
    assert str(table.schema.field("amount").type) == "decimal128(30, 4)"
    assert table.column("amount").to_pylist() == [Decimal("3000000000000.0000")]


@given(st.decimals(min_value=0, max_value=Decimal("9" * 26 + ".9999"), places=4, allow_nan=False))
def test_a_stored_decimal_reads_as_the_same_number(value: Decimal) -> None:
    """Every digit kept (30 of them, past Decimal's 28-digit context), no exponent, no trailing zero."""
    plain = _plain(value)
    assert plain == value
    text = str(plain)
    assert "E" not in text.upper() and not ("." in text and text.endswith("0"))
