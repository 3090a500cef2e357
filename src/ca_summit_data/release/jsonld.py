"""schema.org ``Dataset`` JSON-LD, from the same metadata as ``datapackage.json`` and ``CITATION.cff``.

Embedded in the site's landing page, where dataset search engines look for it. Every
value comes from the published package: names, version and licence from its descriptor,
the coverage in time and space from the summit's and events' rows, each download from its
resource. The summit itself is the Dataset's ``about``: a schema.org ``Event`` with its
programme as ``subEvent``s. ``contentUrl`` is an absolute release address only when the
repository setting is filled; while it is empty the addresses stay relative to the page.
"""

from __future__ import annotations

from typing import Any

from .. import metadata
from ..package import Package, UnreadablePackage
from . import asset_url

EVENT_STATUS = {
    "held": "https://schema.org/EventScheduled",
    "scheduled": "https://schema.org/EventScheduled",
    "planned": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}
"""Our event status as schema.org's: a past event that took place as planned is 'EventScheduled' there."""


def _optional_rows(package: Package, name: str) -> list[dict[str, str]]:
    """A table's rows, or none for a package (an older release) that lacks the table."""
    try:
        return package.rows(name)[1]
    except UnreadablePackage:
        return []


def _when(day: str, time: str = "") -> str:
    return f"{day}T{time}" if day and time else day


Rows = dict[str, dict[str, str]]


def _event(row: dict[str, str], countries: Rows, persons: Rows) -> dict[str, Any]:
    """One row of ``events`` as a schema.org ``Event`` (local times, as the sources give them, without a zone)."""
    event: dict[str, Any] = {"@type": "Event", "@id": f"#event-{row['event_id']}", "name": row["name"],
                             "eventStatus": EVENT_STATUS.get(row.get("status", ""), "https://schema.org/EventScheduled")}
    if row.get("start_date"):
        event["startDate"] = _when(row["start_date"], row.get("start_time", ""))
    if row.get("end_date"):
        event["endDate"] = row["end_date"]
    if row.get("online") == "true":
        event["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        event["location"] = {"@type": "VirtualLocation", "name": "video link"}
    elif row.get("city"):
        country = countries.get(row.get("host_country", ""), {})
        address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": row["city"]}
        if country.get("iso2"):
            address["addressCountry"] = country["iso2"]
        event["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        event["location"] = {"@type": "Place", "name": row.get("venue") or row["city"], "address": address}
    chair = persons.get(row.get("chair_person_id", ""))
    if chair is not None:
        event["organizer"] = {"@type": "Person", "name": chair["name"]}
    if row.get("description"):
        event["description"] = row["description"]
    return event


def summit_event(package: Package) -> dict[str, Any] | None:
    """The first summit as a schema.org ``Event``: its dates and place, chair, attendees and programme."""
    summits = sorted(_optional_rows(package, "summits"), key=lambda r: r["summit_id"])
    events = {r["event_id"]: r for r in _optional_rows(package, "events")}
    if not summits or summits[0].get("event_id", "") not in events:
        return None
    summit = summits[0]
    countries = {r["country_code"]: r for r in _optional_rows(package, "countries")}
    persons = {r["person_id"]: r for r in _optional_rows(package, "persons")}
    event = _event(events[summit["event_id"]], countries, persons)
    event["name"] = summit["name"]
    attendees = [persons[p["person_id"]] for p in _optional_rows(package, "participations")
                 if p["summit_id"] == summit["summit_id"] and p["person_id"] in persons]
    event["attendee"] = [{"@type": "Person", "name": p["name"]} for p in attendees]
    parts = sorted((r for r in events.values() if r.get("parent_event_id") == summit["event_id"]),
                   key=lambda r: (r.get("start_date", ""), r.get("start_time") or "99:99", r["event_id"]))
    event["subEvent"] = [_event(r, countries, persons) for r in parts]
    return event


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
    held = [e for e in _optional_rows(package, "events") if e.get("status") == "held" and e.get("start_date")]
    start = min([s["start_date"] for s in summits] + [e["start_date"] for e in held])
    end = max([s["end_date"] for s in summits] + [e.get("end_date") or e["start_date"] for e in held])
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
            "name": source.get("title") or source["publisher"],
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
    event = summit_event(package)
    if event is not None:
        dataset["about"] = event
    if places:
        dataset["spatialCoverage"] = places
    if repository:
        dataset["url"] = repository
        dataset["sameAs"] = repository
    return dataset
