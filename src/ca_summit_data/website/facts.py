"""The summit at a glance, read from the published nested document ``data/ca_summit.json``.

The document is the one place the summit is assembled with everything that refers to
it (``export.json_document``); the site reads it rather than joining the tables again.
The figure and the landing page are drawn from these facts, so they show what the
files hold and nothing else: a value missing from the data is missing here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..package import Package, UnreadablePackage

_BOUND_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than "}
_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))


@dataclass(frozen=True)
class Leader:
    person_id: str
    name: str
    title: str
    country_code: str
    country: str
    host: bool
    met_host: bool
    """True when bilateral_meetings has a one-on-one meeting between this leader and the host."""


@dataclass(frozen=True)
class Initiative:
    initiative_id: str
    name: str
    status: str
    kind: str


@dataclass(frozen=True)
class Area:
    area_id: str
    position: int
    name: str
    initiatives: tuple[Initiative, ...]


@dataclass(frozen=True)
class Target:
    target_id: str
    label: str
    amount: str
    horizon: str
    equivalent: str
    sectors: str


@dataclass(frozen=True)
class SummitFacts:
    summit_id: str
    name: str
    dates: str
    start_date: str
    end_date: str
    city: str
    host_country: str
    documents: str
    documents_note: str
    leaders: tuple[Leader, ...]
    areas: tuple[Area, ...]
    other_initiatives: tuple[Initiative, ...]
    targets: tuple[Target, ...]


def amount_words(amount: str, currency: str) -> str:
    """``3000000000000`` JPY as ``JPY 3 trillion``: exact, never rounded."""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return f"{currency} {amount}"
    for scale, word in _SCALES:
        if value >= scale:
            scaled = value / scale
            text = format(scaled.normalize(), "f")
            if len(text.replace(".", "")) <= 6:
                return f"{currency} {text} {word}"
    return f"{currency} {format(value.normalize(), ',f')}"


DOCUMENT_RESOURCE = "ca_summit"


def _document(package: Package) -> dict[str, Any]:
    from ..jsonio import loads

    resource = package.resource(DOCUMENT_RESOURCE)
    try:
        document = loads(package.read(str(resource["path"])).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnreadablePackage(f"{package.label}: the summit document is not JSON we read ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("summit"), dict):
        raise UnreadablePackage(f"{package.label}: the summit document has no summit")
    return document


def summit_facts(package: Package) -> SummitFacts:
    """The package's summit with its leaders, areas, initiatives and targets."""
    document = _document(package)
    summit = document["summit"]
    participants = document.get("participants") or []
    hosts = {p["person"]["person_id"] for p in participants if p["participation"]["role"] == "host"}
    met = set()
    for meeting in document.get("bilateral_meetings") or []:
        pair = {meeting["person_id"], meeting["counterpart_id"]}
        if pair & hosts:
            met |= pair - hosts
    leaders = tuple(
        sorted(
            (
                Leader(
                    person_id=p["person"]["person_id"],
                    name=p["person"]["name"],
                    title=p["participation"]["title"],
                    country_code=p["country"]["country_code"],
                    country=p["country"]["name"],
                    host=p["participation"]["role"] == "host",
                    met_host=p["person"]["person_id"] in met,
                )
                for p in participants
            ),
            key=lambda leader: (not leader.host, leader.country, leader.name),
        )
    )

    def initiative(row: dict[str, Any]) -> Initiative:
        return Initiative(row["initiative_id"], row["name"], row["status"], row["kind"])

    areas = tuple(
        Area(
            area_id=a["area"]["area_id"],
            position=int(a["area"]["position"]),
            name=a["area"]["name"],
            initiatives=tuple(initiative(i) for i in a["initiatives"]),
        )
        for a in sorted(document.get("priority_areas") or [], key=lambda a: int(a["area"]["position"]))
    )
    targets_rows = document.get("financial_targets") or []
    quantified = {t["initiative_id"] for t in targets_rows}
    everything = [i for a in document.get("priority_areas") or [] for i in a["initiatives"]]
    everything += document.get("initiatives_without_area") or []
    names = {i["initiative_id"]: i["name"] for i in everything}
    targets = tuple(_target(t, names) for t in targets_rows)
    other = tuple(initiative(i) for i in document.get("initiatives_without_area") or []
                  if i["initiative_id"] not in quantified)
    start, end = summit["start_date"], summit["end_date"]
    documents = ""
    if summit.get("documents_signed_min") is not None:
        bound = _BOUND_WORDS.get(summit.get("documents_signed_bound") or "", "")
        documents = f"{bound}{summit['documents_signed_min']}"
    return SummitFacts(
        summit_id=summit["summit_id"],
        name=summit["name"],
        dates=start if start == end else f"{start} to {end}",
        start_date=start,
        end_date=end,
        city=summit["city"],
        host_country=(document.get("host_country") or {}).get("name", summit["host_country"]),
        documents=documents,
        documents_note=summit.get("documents_signed_note") or "",
        leaders=leaders,
        areas=areas,
        other_initiatives=other,
        targets=targets,
    )


def _target(row: dict[str, Any], initiative_names: dict[str, str]) -> Target:
    years = row.get("period_years")
    horizon = f"within {years} year{'s' if years != 1 else ''} of the summit" if years else "no horizon stated"
    equivalent = ""
    if row.get("equivalent_amount"):
        words = amount_words(row["equivalent_amount"], row["equivalent_currency"])
        equivalent = f"≈ {words}, as the source reports"
    sectors = ", ".join(row.get("sectors") or [])
    if sectors:
        sectors = ("sectors include " if row.get("sectors_exhaustive") is False else "sectors: ") + sectors.replace(
            "_", " "
        )
    return Target(
        target_id=row["target_id"],
        label=initiative_names.get(row.get("initiative_id") or "", row.get("description", "")),
        amount=amount_words(row["amount"], row["currency"]),
        horizon=horizon,
        equivalent=equivalent,
        sectors=sectors,
    )
