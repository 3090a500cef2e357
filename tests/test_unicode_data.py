"""The stored Unicode tables are what this Python's Unicode data gives (a generated artefact, checked for drift)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ca_summit_data.schema import arrays, text, unicode_data


def test_the_stored_tables_are_what_this_python_works_out() -> None:
    computed = text.noisy_class_computed()
    if unicodedata.unidata_version == unicode_data.UNIDATA_VERSION:  # the Python the tables were made for
        assert computed == unicode_data.NOISY_CLASS, (
            "the stored class is stale: run `python -m ca_summit_data.schema.unicode_data`")
        assert unicode_data.render() == Path(unicode_data.__file__).read_text(encoding="utf-8")
    arrays.noisy_class.cache_clear()
    assert arrays.noisy_class() == computed


def test_a_python_with_other_unicode_data_works_its_own_class_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unicode_data, "UNIDATA_VERSION", "0.0.0")
    monkeypatch.setattr(unicode_data, "NOISY_CLASS", "[stale]")
    arrays.noisy_class.cache_clear()
    try:
        assert arrays.noisy_class() == text.noisy_class_computed()
    finally:
        arrays.noisy_class.cache_clear()
