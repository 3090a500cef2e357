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
class EventLine:
    """One event as the timeline and the programme show it: when, what, where, whether it took place."""

    event_id: str
    name: str
    when: str
    time: str
    place: str
    kind: str
    status: str
    note: str


@dataclass(frozen=True)
class Outcome:
    """A document of the summit, or a count of documents a source gives."""

    name: str
    kind: str
    status: str
    when: str
    parties: str


@dataclass(frozen=True)
class Disagreement:
    """A source that gives another value than the one published, and why the published one stands."""

    table: str
    record_id: str
    field: str
    published: str
    claimed: str
    source: str
    resolution: str
    note: str


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
    programme: tuple[EventLine, ...] = ()
    history: tuple[EventLine, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    counts: tuple[Outcome, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    additions: tuple[Disagreement, ...] = ()


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
        programme=tuple(_event_line(e) for e in document.get("programme") or []),
        history=tuple(_event_line(e) for e in document.get("history") or []),
        outcomes=tuple(
            Outcome(d["title"], d["kind"].replace("_", " "), d["status"], _dates(d.get("date"), None),
                    ", ".join(d.get("parties") or []))
            for d in document.get("documents") or []
        ),
        counts=tuple(
            Outcome(c["what"], "count", (_BOUND_WORDS.get(c["bound"], "") + str(c["count_min"])).capitalize(),
                    _event_names(document).get(c["event_id"], c["event_id"]), _source_name(document, c["source_id"]))
            for c in document.get("document_counts") or []
        ),
        disagreements=_claims(document, "contradicts"),
        additions=_claims(document, "adds"),
    )


def _dates(start: str | None, end: str | None) -> str:
    if not start:
        return "no date given"
    return start if not end or end == start else f"{start} to {end}"


def _event_line(row: dict[str, Any]) -> EventLine:
    venue, city = row.get("venue") or "", row.get("city") or ""
    place = "online" if row.get("online") else (venue if city and city in venue else ", ".join(p for p in (venue, city)
                                                                                             if p))
    note = row.get("description") or ""
    return EventLine(
        event_id=row["event_id"],
        name=row["name"],
        when=_dates(row.get("start_date"), row.get("end_date")),
        time=row.get("start_time") or "",
        place=place,
        kind=row["kind"].replace("_", " "),
        status=row["status"],
        note=note,
    )


def _event_names(document: dict[str, Any]) -> dict[str, str]:
    events = [document.get("event"), *(document.get("programme") or []), *(document.get("history") or [])]
    return {e["event_id"]: e["name"] for e in events if isinstance(e, dict)}


def _source_name(document: dict[str, Any], source_id: str) -> str:
    for source in document.get("sources") or []:
        if source["source_id"] == source_id:
            return str(source["publisher"])
    return source_id


def _claims(document: dict[str, Any], stance: str) -> tuple[Disagreement, ...]:
    """The claims of one stance, each beside the value published (read from the claims that support it)."""
    claims = document.get("claims") or []
    published: dict[tuple[str, str, str], str] = {}
    for claim in claims:
        if claim["stance"] == "supports":
            published.setdefault((claim["record_table"], claim["record_id"], claim["field"]), claim["value"])
    records = _records(document)
    out = []
    for claim in claims:
        if claim["stance"] != stance:
            continue
        key = (claim["record_table"], claim["record_id"], claim["field"])
        value = published.get(key)
        if value is None:
            found = records.get((claim["record_id"], claim["field"]))
            value = "" if found is None else str(found)
        out.append(Disagreement(claim["record_table"], claim["record_id"], claim["field"], value or "(empty)",
                                claim["value"], _source_name(document, claim["source_id"]),
                                (claim.get("resolution") or "").replace("_", " "), claim.get("note") or ""))
    return tuple(out)


def _records(document: Any) -> dict[tuple[str, str], Any]:
    """Every value of every record in the document, by (the record's key value, column); keys end in _id or _code."""
    found: dict[tuple[str, str], Any] = {}
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            key = next((v for k, v in item.items() if k.endswith(("_id", "_code")) and isinstance(v, str)), None)
            if key is not None:
                for column, value in item.items():
                    if not isinstance(value, dict | list):
                        found.setdefault((key, column), value)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
    return found


def _target(row: dict[str, Any], initiative_names: dict[str, str]) -> Target:
    years = row.get("period_years")
    horizon = f"within {years} year{'s' if years != 1 else ''} of the summit" if years else "no horizon stated"
    if row.get("approximate") is True:
        horizon = f"approximately, {horizon}"
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
