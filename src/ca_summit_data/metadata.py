"""Package-level metadata of the dataset: what travels with every published file.

Written once here and used by the Data Package descriptor, the Parquet file metadata
and the nested JSON document, so the title, licences and version never disagree.
"""

from __future__ import annotations

from typing import Any

from . import __version__

NAME = "ca-summit-data"
TITLE = "Central Asia plus Japan Dialogue: first summit (Tokyo, 19–20 December 2025)"
DESCRIPTION = (
    "A typed, citable dataset of the first summit of the Central Asia plus Japan Dialogue, "
    "held in Tokyo on 19 and 20 December 2025: the participating countries and leaders, the "
    "programme, the three priority areas of cooperation, the initiatives announced, the money "
    "target, the documents adopted and signed, the bilateral meetings, the statements made, and "
    "the Dialogue's meetings since 2004. Every value names the sources that state it (a verbatim "
    "quote of an archived text, or a cited page of the official record), and where sources "
    "disagree both sides are kept with the reason the published value stands."
)
KEYWORDS = ("Central Asia", "Japan", "summit", "diplomacy", "Central Asia plus Japan Dialogue")

DATA_LICENSE: dict[str, str] = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
"""The licence of the data (tables, JSON document, descriptor)."""

CODE_LICENSE: dict[str, str] = {
    "name": "MIT",
    "title": "MIT License (the ca-summit-data code; see LICENSE)",
    "path": "LICENSE",
}
"""The licence of the code that builds, publishes and validates the data."""

CONTRIBUTORS: tuple[dict[str, Any], ...] = ({"title": "ca-summit-data contributors", "roles": ["creator"]},)


def version() -> str:
    return __version__
