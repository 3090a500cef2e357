"""The nested JSON document: one summit with everything that refers to it.

Money amounts are JSON strings holding exact decimals (a JSON number may be read as a
float and lose units); dates are ISO 8601 strings. The shape is ``SummitDocument``,
whose JSON Schema is ``schemas/summit_document.schema.json``.
"""

from __future__ import annotations

from ..jsonio import dumps
from ..models import (
    AreaWithInitiatives,
    BilateralMeeting,
    Claim,
    Country,
    Dialogue,
    Document,
    DocumentCount,
    Event,
    Evidence,
    FinancialTarget,
    Initiative,
    Participant,
    Participation,
    Person,
    PriorityArea,
    Source,
    Statement,
    Summit,
    SummitDocument,
    TargetEquivalent,
)
from ..models.dataset import Dataset
from . import DOCUMENT_PATH, Files


def build_document(dataset: Dataset) -> SummitDocument:
    """The nested model of the dataset's one summit (the first by summit_id if there are more)."""
    summits = [r for r in dataset.rows("summits") if isinstance(r, Summit)]
    if not summits:
        raise ValueError("the dataset has no summit")
    summit = summits[0]
    sid = summit.summit_id
    countries = {r.country_code: r for r in dataset.rows("countries") if isinstance(r, Country)}
    persons = {r.person_id: r for r in dataset.rows("persons") if isinstance(r, Person)}
    participations = [r for r in dataset.rows("participations") if isinstance(r, Participation) and r.summit_id == sid]
    # Host first, then guests in the order of their country codes.
    participations.sort(key=lambda p: (p.role.value != "host", p.country_code, p.person_id))
    areas = sorted(
        (r for r in dataset.rows("priority_areas") if isinstance(r, PriorityArea) and r.summit_id == sid),
        key=lambda a: (a.position, a.area_id),
    )
    initiatives = [r for r in dataset.rows("initiatives") if isinstance(r, Initiative) and r.summit_id == sid]
    events = {r.event_id: r for r in dataset.rows("events") if isinstance(r, Event)}
    event = events.get(summit.event_id) if summit.event_id is not None else None
    programme = sorted((e for e in events.values() if event is not None and e.parent_event_id == event.event_id),
                       key=when)
    at_summit = {e.event_id for e in programme} | ({event.event_id} if event is not None else set())
    dialogues = {r.dialogue_id: r for r in dataset.rows("dialogues") if isinstance(r, Dialogue)}
    targets = [r for r in dataset.rows("financial_targets") if isinstance(r, FinancialTarget) and r.summit_id == sid]
    target_ids = {t.target_id for t in targets}
    return SummitDocument(
        dataset_version=dataset.version,
        summit=summit,
        host_country=countries[summit.host_country],
        participants=[
            Participant(participation=p, person=persons[p.person_id], country=countries[p.country_code])
            for p in participations
        ],
        priority_areas=[
            AreaWithInitiatives(area=a, initiatives=[i for i in initiatives if i.area_id == a.area_id]) for a in areas
        ],
        initiatives_without_area=[i for i in initiatives if i.area_id is None],
        financial_targets=targets,
        bilateral_meetings=[
            r for r in dataset.rows("bilateral_meetings") if isinstance(r, BilateralMeeting) and r.summit_id == sid
        ],
        statements=[r for r in dataset.rows("statements") if isinstance(r, Statement) and r.summit_id == sid],
        sources=[r for r in dataset.rows("sources") if isinstance(r, Source)],
        evidence=[r for r in dataset.rows("evidence") if isinstance(r, Evidence)],
        dialogue=dialogues.get(summit.dialogue_id) if summit.dialogue_id is not None else None,
        event=event,
        programme=programme,
        history=sorted((e for e in events.values() if e.parent_event_id is None
                        and (summit.dialogue_id is None or e.dialogue_id == summit.dialogue_id)), key=when),
        documents=sorted((r for r in dataset.rows("documents") if isinstance(r, Document) and r.event_id in at_summit),
                         key=lambda d: (d.date or "", d.document_id)),
        document_counts=[r for r in dataset.rows("document_counts")
                         if isinstance(r, DocumentCount) and r.event_id in at_summit],
        target_equivalents=[r for r in dataset.rows("target_equivalents")
                            if isinstance(r, TargetEquivalent) and r.target_id in target_ids],
        claims=[r for r in dataset.rows("claims") if isinstance(r, Claim)],
    )


def when(event: Event) -> tuple[str, str, str]:
    """An event's place in time: a date known to the month sorts before the days of that month, a day's events
    with a stated time before those without one; undated last."""
    return (event.start_date or "9999", event.start_time or "99:99", event.event_id)


class DocumentExporter:
    name = "json_document"

    def files(self, dataset: Dataset, written: Files) -> Files:
        return {DOCUMENT_PATH: dumps(build_document(dataset).model_dump(mode="json"))}


EXPORTER = DocumentExporter()
