"""schema.org ``Dataset`` JSON-LD, from the same metadata as ``datapackage.json`` and ``CITATION.cff``.

Embedded in the site's landing page, where dataset search engines look for it. Every
value comes from the published package: names, version and licence from its descriptor,
the coverage in time and space from the summit's rows, each download from its resource.
``contentUrl`` is an absolute release address only when the repository setting is
filled; while it is empty the addresses stay relative to the page.
"""

from __future__ import annotations

from typing import Any

from .. import metadata
from ..package import Package
from . import asset_url


def _creators(descriptor: dict[str, Any]) -> list[dict[str, str]]:
    contributors = descriptor.get("contributors") or list(metadata.CONTRIBUTORS)
    return [
        {"@type": "Organization", "name": str(c.get("title"))}
        for c in contributors
        if isinstance(c, dict) and "creator" in (c.get("roles") or [])
    ]


def _coverage(package: Package) -> tuple[str | None, list[dict[str, Any]]]:
    summits = sorted(package.rows("summits")[1], key=lambda r: r["summit_id"])
    countries = {r["country_code"]: r for r in package.rows("countries")[1]}
    if not summits:
        return None, []
    start = min(s["start_date"] for s in summits)
    end = max(s["end_date"] for s in summits)
    temporal = start if start == end else f"{start}/{end}"
    places: list[dict[str, Any]] = []
    for summit in summits:
        host = countries.get(summit["host_country"], {}).get("name", summit["host_country"])
        places.append({"@type": "City", "name": f"{summit['city']}, {host}"})
    for code, country in sorted(countries.items()):
        places.append({"@type": "Country", "name": country["name"], "identifier": code})
    return temporal, places


def _based_on(package: Package) -> list[dict[str, Any]]:
    works: list[dict[str, Any]] = []
    for source in package.rows("sources")[1]:
        work: dict[str, Any] = {
            "@type": "CreativeWork",
            "name": source["title"],
            "publisher": {"@type": "Organization", "name": source["publisher"]},
            "inLanguage": source["language"],
        }
        if source.get("author"):
            work["author"] = {"@type": "Person", "name": source["author"]}
        if source.get("url"):
            work["url"] = source["url"]
        if source.get("published_date"):
            work["datePublished"] = source["published_date"]
        works.append(work)
    return works


def dataset_jsonld(package: Package, repository: str | None, extra_files: dict[str, bytes]) -> dict[str, Any]:
    """The ``Dataset`` object. ``extra_files`` (path -> bytes) are downloads beside the resources, e.g. the zip."""
    import hashlib

    descriptor = package.descriptor
    version = package.version
    distribution: list[dict[str, Any]] = []
    for resource in package.resources():
        path = str(resource["path"])
        distribution.append(
            {
                "@type": "DataDownload",
                "name": str(resource.get("title") or resource["name"]),
                "encodingFormat": str(resource.get("mediatype", "")),
                "contentUrl": asset_url(repository, version, path),
                "contentSize": f"{resource.get('bytes')} B",
                "sha256": str(resource.get("hash", "")).removeprefix("sha256:"),
            }
        )
    formats = {".json": "application/json", ".cff": "application/x-yaml", ".zip": "application/zip"}
    for path, content in sorted(extra_files.items()):
        suffix = path[path.rfind(".") :]
        distribution.append(
            {
                "@type": "DataDownload",
                "name": path.rsplit("/", 1)[-1],
                "encodingFormat": formats.get(suffix, "application/octet-stream"),
                "contentUrl": asset_url(repository, version, path),
                "contentSize": f"{len(content)} B",
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    licences = descriptor.get("licenses") or [metadata.DATA_LICENSE]
    temporal, places = _coverage(package)
    dataset: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": str(descriptor.get("title", metadata.TITLE)),
        "alternateName": str(descriptor.get("name", metadata.NAME)),
        "description": str(descriptor.get("description", metadata.DESCRIPTION)),
        "version": version,
        "license": str(licences[0].get("path") or licences[0].get("name")),
        "creator": _creators(descriptor),
        "keywords": list(descriptor.get("keywords", metadata.KEYWORDS)),
        "isAccessibleForFree": True,
        "distribution": distribution,
        "isBasedOn": _based_on(package),
    }
    if temporal:
        dataset["temporalCoverage"] = temporal
    if places:
        dataset["spatialCoverage"] = places
    if repository:
        dataset["url"] = repository
        dataset["sameAs"] = repository
    return dataset
