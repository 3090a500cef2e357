"""ca-summit-data: the first Central Asia plus Japan Dialogue summit as a typed, citable dataset.

Quick start::

    import ca_summit_data
    ca_summit_data.tables()                     # the table names
    df = ca_summit_data.load("initiatives")     # a pandas DataFrame
    tbl = ca_summit_data.load("initiatives", as_="arrow")
    summit = ca_summit_data.summit()            # the typed, nested model

Importing the package is cheap: pydantic, pyarrow and pandas are imported on first
use of the functions that need them, not here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "dataset_path", "load", "summit", "tables"]

if TYPE_CHECKING:
    from .read import dataset_path, load, summit, tables


def __dir__() -> list[str]:
    """The public names (``load``, ``tables``, ``summit``, ...), which are imported on first use, not the helpers."""
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    if name in {"load", "summit", "tables", "dataset_path"}:
        from . import read

        return getattr(read, name)
    raise AttributeError(f"module 'ca_summit_data' has no attribute {name!r}")
