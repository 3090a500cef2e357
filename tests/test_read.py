"""The read API: tables(), load(), summit(); and an import that stays cheap."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import ca_summit_data
from ca_summit_data.models import MODEL_BY_TABLE, TABLE_MODELS, SummitDocument, columns


def test_tables_lists_every_table_in_order() -> None:
    assert ca_summit_data.tables() == [m.table for m in TABLE_MODELS]


@pytest.mark.parametrize("table", [m.table for m in TABLE_MODELS])
def test_load_gives_proper_pandas_dtypes(table: str) -> None:
    frame = ca_summit_data.load(table)
    assert isinstance(frame, pd.DataFrame)
    model = MODEL_BY_TABLE[table]
    assert list(frame.columns) == [c.name for c in columns(model)]
    for column in columns(model):
        dtype = frame[column.name].dtype
        if column.enum is not None:
            assert isinstance(dtype, pd.CategoricalDtype)
            assert list(dtype.categories) == list(column.enum)
        elif column.type == "string":
            assert isinstance(dtype, pd.StringDtype)
        elif column.type == "integer":
            assert dtype == pd.Int64Dtype()
        elif column.type == "boolean":
            assert dtype == pd.BooleanDtype()
        elif column.type == "date":
            assert dtype == "datetime64[s]"
        elif column.type == "number":  # money: exact Decimal values (tests/test_money.py)
            assert dtype == np.dtype(object)
            assert all(isinstance(v, Decimal) or v is pd.NA for v in frame[column.name])
        else:
            assert isinstance(dtype, pd.ArrowDtype)


def test_load_arrow_and_values() -> None:
    table = ca_summit_data.load("financial_targets", as_="arrow")
    assert isinstance(table, pa.Table)
    row = table.to_pylist()[0]
    assert row["amount"] == Decimal("3000000000000")
    assert row["currency"] == "JPY"
    assert row["sectors"] == [] and row["holder_country"] == "JPN" and row["approximate"] is True
    frame = ca_summit_data.load("summits")
    assert frame.loc[0, "start_date"] == pd.Timestamp("2025-12-19")
    assert frame.loc[0, "documents_signed_min"] == 150


def test_load_refuses_unknown_names() -> None:
    with pytest.raises(KeyError, match="no table 'initiative'"):
        ca_summit_data.load("initiative")
    with pytest.raises(ValueError, match="as_ must be"):
        ca_summit_data.load("initiatives", as_="excel")  # type: ignore[call-overload]


def test_summit_returns_the_typed_nested_model() -> None:
    summit = ca_summit_data.summit()
    assert isinstance(summit, SummitDocument)
    assert summit.dataset_version == ca_summit_data.__version__
    assert summit.summit.city == "Tokyo"
    assert summit.participants[0].participation.role.value == "host"
    assert [a.area.position for a in summit.priority_areas] == [1, 2, 3]
    assert sorted(i.initiative_id for i in summit.initiatives_without_area) == [
        "business_project_investment", "ca_jad_tokyo_initiative", "health_and_medical_cooperation"]
    assert summit.event is not None and summit.event.event_id == summit.summit.event_id
    assert {e.parent_event_id for e in summit.programme} == {summit.event.event_id}
    assert summit.history[0].start_date == "2004-08-28" and summit.event in summit.history
    total = sum(len(a.initiatives) for a in summit.priority_areas) + len(summit.initiatives_without_area)
    assert total == len(ca_summit_data.load("initiatives"))


def test_import_loads_no_heavy_library() -> None:
    code = (
        "import sys, json, ca_summit_data;"
        "print(json.dumps(sorted(m for m in ('pydantic','pyarrow','pandas','frictionless','yaml','jsonschema',"
        "'pycountry','numpy') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_dir_names_the_public_api() -> None:
    names = dir(ca_summit_data)
    assert {"load", "tables", "summit", "dataset_path", "__version__"} <= set(names)
    assert not {"Any", "TYPE_CHECKING", "annotations"} & set(names)
    for name in names:
        assert getattr(ca_summit_data, name) is not None


@pytest.mark.parametrize("as_", ["arrow", "polars"])
def test_arrow_and_polars_loads_import_no_pandas(as_: str) -> None:
    code = (
        "import sys, ca_summit_data;"
        f"ca_summit_data.load('financial_targets', as_={as_!r});"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
