"""Hostile and broken data files never crash the validator.

Property-based: hypothesis damages our published CSV and Parquet files (ragged rows,
BOM, CRLF, stray quotes, bad encodings, truncation, wrong types, garbage) and the
validator must answer in its documented format: exit 0, 1 or 2, one finding a line as
``FILE[:ROW]: ...``, a summary line last, and never a traceback.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ca_summit_data.cli import main

from .conftest import ROOT
from .test_hostile_seeds import Recorder, alias_bomb

TABLES = sorted(p.stem for p in (ROOT / "data").glob("*.csv"))
CSV_BYTES = {t: (ROOT / "data" / f"{t}.csv").read_bytes() for t in TABLES}
PARQUET_BYTES = {t: (ROOT / "data" / f"{t}.parquet").read_bytes() for t in TABLES}


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_documented(code: int, out: str, err: str, shown: str) -> None:
    assert "Traceback" not in out + err
    assert "internal error" not in err, err
    assert code in (0, 1, 2), (code, out, err)
    lines = [line for line in out.splitlines() if line]
    assert lines, "the validator said nothing"
    if code == 0:
        assert lines[-1].startswith("ok: "), lines
    else:
        assert lines[-1].endswith(("invalid", "unreadable")) or "error" in lines[-1], lines[-1]
        for line in lines[:-1]:
            assert line.startswith(shown) or line.startswith("warning: ") or line.startswith("  "), line


def validate_damaged(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], name: str, data: bytes
) -> tuple[int, str]:
    """Write ``data`` as ``name`` in a new folder, validate it, and check the answer has the documented form."""
    path = tmp_path_factory.mktemp("damaged") / name
    path.write_bytes(data)
    code, out, err = validate(capsys, str(path))
    assert_documented(code, out, err, str(path))
    return code, out


@st.composite
def damaged_csv(draw: st.DrawFn) -> tuple[str, str, bytes]:
    table = draw(st.sampled_from(TABLES))
    raw = CSV_BYTES[table]
    lines = raw.split(b"\n")
    kind = draw(
        st.sampled_from(
            [
                "ragged_more",
                "ragged_less",
                "bom",
                "crlf",
                "quote",
                "non_utf8",
                "truncate",
                "empty",
                "wrong_type",
                "garbage",
                "huge_cell",
                "formula",
                "nul",
            ]
        )
    )
    row = draw(st.integers(1, max(1, len(lines) - 2)))
    if kind == "ragged_more":
        lines[row] += b",extra"
    elif kind == "ragged_less":
        lines[row] = lines[row].rsplit(b",", 1)[0]
    elif kind == "bom":
        return table, kind, b"\xef\xbb\xbf" + raw
    elif kind == "crlf":
        return table, kind, raw.replace(b"\n", b"\r\n")
    elif kind == "quote":
        lines[row] = b'"' + lines[row]
    elif kind == "non_utf8":
        at = draw(st.integers(0, len(raw)))
        return table, kind, raw[:at] + b"\xff\xfe" + raw[at:]
    elif kind == "truncate":
        return table, kind, raw[: draw(st.integers(0, len(raw)))]
    elif kind == "empty":
        return table, kind, b""
    elif kind == "wrong_type":
        cells = lines[row].split(b",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(
            st.sampled_from([b"abc", b"-1", b"2025-02-30", b"1e999", b"NaN"])
        )
        lines[row] = b",".join(cells)
    elif kind == "garbage":
        return table, kind, draw(st.binary(max_size=300))
    elif kind == "huge_cell":
        cells = lines[row].split(b",")
        cells[-1] = b"x" * 200_000
        lines[row] = b",".join(cells)
    elif kind == "formula":
        cells = lines[row].split(b",")
        cells[-1] = draw(st.sampled_from([b"=1+1", b"+1", b"@SUM(A1)", b"-2"]))
        lines[row] = b",".join(cells)
    elif kind == "nul":
        lines[row] += b"\x00"
    return table, kind, b"\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged_csv())
def test_damaged_csv(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], case: tuple[str, str, bytes]
) -> None:
    table, kind, data = case
    code, out = validate_damaged(tmp_path_factory, capsys, f"{table}.csv", data)
    if kind in {"bom", "ragged_more", "ragged_less", "non_utf8", "empty", "garbage", "huge_cell"}:
        assert code != 0, (kind, out)
    Recorder.add(f"csv:{kind}", "accepted" if code == 0 else "refused")


def _retyped_parquet(table: str, column: int) -> bytes:
    """The table with one column's type changed: text becomes int64 (all null), anything else becomes text."""
    source = pq.read_table(io.BytesIO(PARQUET_BYTES[table]))
    arrays = list(source.columns)
    field = source.schema.field(column)
    if pa.types.is_string(field.type) or pa.types.is_dictionary(field.type):
        arrays[column] = pa.chunked_array([pa.array([None] * source.num_rows, pa.int64())])
    else:
        arrays[column] = pa.chunked_array([pa.array([str(v) for v in arrays[column].to_pylist()], pa.string())])
    buffer = io.BytesIO()
    pq.write_table(pa.table(arrays, names=source.column_names), buffer)
    return buffer.getvalue()


@st.composite
def damaged_parquet(draw: st.DrawFn) -> tuple[str, str, bytes]:
    table = draw(st.sampled_from(TABLES))
    raw = PARQUET_BYTES[table]
    kind = draw(st.sampled_from(["truncate", "flip", "garbage", "wrong_type", "drop_column"]))
    if kind == "truncate":
        return table, kind, raw[: draw(st.integers(0, len(raw) - 1))]
    if kind == "flip":
        at = draw(st.integers(0, len(raw) - 1))
        return table, kind, raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1 :]
    if kind == "garbage":
        return table, kind, draw(st.binary(max_size=300))
    if kind == "wrong_type":
        column = draw(st.integers(0, pq.read_schema(io.BytesIO(raw)).__len__() - 1))
        return table, kind, _retyped_parquet(table, column)
    source = pq.read_table(io.BytesIO(raw))
    buffer = io.BytesIO()
    pq.write_table(source.drop_columns([source.column_names[-1]]), buffer)
    return table, kind, buffer.getvalue()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged_parquet())
def test_damaged_parquet(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], case: tuple[str, str, bytes]
) -> None:
    table, kind, data = case
    code, out = validate_damaged(tmp_path_factory, capsys, f"{table}.parquet", data)
    if kind in {"truncate", "garbage", "drop_column"}:
        assert code != 0, (kind, out)
    if kind == "wrong_type":  # a text column where a typed one belongs is at least a warning
        assert code != 0 or "[parquet-type]" in out, out
    Recorder.add(f"parquet:{kind}", "accepted" if code == 0 else "refused")


def _package_copy(tmp: Path) -> Path:
    root = tmp / "pkg"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copy2(ROOT / "datapackage.json", root / "datapackage.json")
    return root


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "data/../../outside.csv", "link.csv"])
def test_package_paths_cannot_escape_their_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    root = _package_copy(tmp_path)
    (tmp_path / "outside.csv").write_bytes(CSV_BYTES["persons"])
    (root / "link.csv").symlink_to(tmp_path / "outside.csv")
    descriptor = json.loads((root / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "persons")
    resource["path"] = path
    (root / "datapackage.json").write_text(json.dumps(descriptor))
    code, out, _ = validate(capsys, str(root / "datapackage.json"))
    assert code == 2, out
    assert "outside" in out or "escape" in out or "link" in out, out


def test_formula_cells_in_user_files_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = CSV_BYTES["bilateral_meetings"].replace(b"To strengthen bilateral dialogue.", b"=HYPERLINK(1)", 1)
    path = tmp_path / "bilateral_meetings.csv"
    path.write_bytes(raw)
    code, out, _ = validate(capsys, str(path))
    assert "formula" in out, out
    assert "warning" in out, out
    assert code == 0  # a warning, not an error: the file follows our schema


def test_oversized_record_files_are_refused_early(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ca_summit_data.limits import MAX_FILE_BYTES

    for name in ("initiatives.json", "initiatives.yaml"):
        path = tmp_path / name
        path.write_bytes(b"[" + b" " * MAX_FILE_BYTES + b"]")
        code, out, _ = validate(capsys, str(path))
        assert code == 1, out
        assert f"at most {MAX_FILE_BYTES}" in out, out


def test_a_yaml_alias_bomb_in_user_records_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "initiatives.yaml"
    path.write_text(alias_bomb(10))
    code, out, _ = validate(capsys, str(path))
    assert code == 1, out
    assert "aliases expand" in out, out
