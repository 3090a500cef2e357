"""The summit at a glance, read from the published CSV tables (every value as published).

The figure and the landing page are drawn from these facts, so they show what the
files hold and nothing else: a value missing from the data is missing here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..package import Published, UnreadablePackage

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


def _index(package: Published, table: str, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in package.rows(table)[1]}


def summit_facts(package: Published) -> SummitFacts:
    """The first summit of the package (by key) with its leaders, areas, initiatives and targets."""
    summits = sorted(package.rows("summits")[1], key=lambda r: r["summit_id"])
    if not summits:
        raise UnreadablePackage(f"{package.label}: the summits table is empty")
    summit = summits[0]
    sid = summit["summit_id"]
    countries = _index(package, "countries", "country_code")
    persons = _index(package, "persons", "person_id")
    participations = [p for p in package.rows("participations")[1] if p["summit_id"] == sid]
    hosts = {p["person_id"] for p in participations if p["role"] == "host"}
    met = set()
    for meeting in package.rows("bilateral_meetings")[1]:
        if meeting["summit_id"] == sid:
            pair = {meeting["person_id"], meeting["counterpart_id"]}
            if pair & hosts:
                met |= pair - hosts
    leaders = tuple(
        sorted(
            (
                Leader(
                    person_id=p["person_id"],
                    name=persons.get(p["person_id"], {}).get("name", p["person_id"]),
                    title=p["title"],
                    country_code=p["country_code"],
                    country=countries.get(p["country_code"], {}).get("name", p["country_code"]),
                    host=p["role"] == "host",
                    met_host=p["person_id"] in met,
                )
                for p in participations
            ),
            key=lambda leader: (not leader.host, leader.country, leader.name),
        )
    )
    initiatives = [i for i in package.rows("initiatives")[1] if i["summit_id"] == sid]

    def initiative(row: dict[str, str]) -> Initiative:
        return Initiative(row["initiative_id"], row["name"], row["status"], row["kind"])

    areas = tuple(
        Area(
            area_id=a["area_id"],
            position=int(a["position"]),
            name=a["name"],
            initiatives=tuple(initiative(i) for i in initiatives if i["area_id"] == a["area_id"]),
        )
        for a in sorted(
            (a for a in package.rows("priority_areas")[1] if a["summit_id"] == sid), key=lambda a: int(a["position"])
        )
    )
    targets_rows = [t for t in package.rows("financial_targets")[1] if t["summit_id"] == sid]
    quantified = {t["initiative_id"] for t in targets_rows}
    names = {i["initiative_id"]: i["name"] for i in initiatives}
    targets = tuple(_target(t, names) for t in targets_rows)
    other = tuple(initiative(i) for i in initiatives if not i["area_id"] and i["initiative_id"] not in quantified)
    start, end = summit["start_date"], summit["end_date"]
    documents = ""
    if summit.get("documents_signed_min"):
        bound = _BOUND_WORDS.get(summit.get("documents_signed_bound", ""), "")
        documents = f"{bound}{summit['documents_signed_min']}"
    return SummitFacts(
        summit_id=sid,
        name=summit["name"],
        dates=start if start == end else f"{start} to {end}",
        start_date=start,
        end_date=end,
        city=summit["city"],
        host_country=countries.get(summit["host_country"], {}).get("name", summit["host_country"]),
        documents=documents,
        documents_note=summit.get("documents_signed_note", ""),
        leaders=leaders,
        areas=areas,
        other_initiatives=other,
        targets=targets,
    )


def _target(row: dict[str, str], initiative_names: dict[str, str]) -> Target:
    years = row.get("period_years", "")
    horizon = f"within {years} year{'s' if years != '1' else ''} of the summit" if years else "no horizon stated"
    equivalent = ""
    if row.get("equivalent_amount"):
        words = amount_words(row["equivalent_amount"], row["equivalent_currency"])
        equivalent = f"≈ {words}, as the source reports"
    sectors = ", ".join(s for s in row.get("sectors", "").split(";") if s)
    if sectors:
        sectors = ("sectors include " if row.get("sectors_exhaustive") == "false" else "sectors: ") + sectors.replace(
            "_", " "
        )
    return Target(
        target_id=row["target_id"],
        label=initiative_names.get(row.get("initiative_id", ""), row.get("description", "")),
        amount=amount_words(row["amount"], row["currency"]),
        horizon=horizon,
        equivalent=equivalent,
        sectors=sectors,
    )
