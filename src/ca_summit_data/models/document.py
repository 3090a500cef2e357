"""The nested summit document: one summit with everything that refers to it (``data/ca_summit.json``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .records import (
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
    Participation,
    Person,
    PriorityArea,
    Source,
    Statement,
    Summit,
    TargetEquivalent,
)


class Participant(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    participation: Participation
    person: Person
    country: Country


class AreaWithInitiatives(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    area: PriorityArea
    initiatives: list[Initiative]


class SummitDocument(BaseModel):
    """One summit with everything that refers to it, nested: the shape of ``data/ca_summit.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset_version: str = Field(description="Version of the dataset this document was published in.")
    summit: Summit
    host_country: Country
    participants: list[Participant]
    priority_areas: list[AreaWithInitiatives]
    initiatives_without_area: list[Initiative]
    financial_targets: list[FinancialTarget]
    bilateral_meetings: list[BilateralMeeting]
    statements: list[Statement]
    sources: list[Source]
    evidence: list[Evidence]
    dialogue: Dialogue | None = Field(default=None, description="The dialogue the summit belongs to.")
    event: Event | None = Field(default=None, description="The summit as an event.")
    programme: list[Event] = Field(
        default_factory=list, description="The parts of the summit, by date and time: dinner, meetings, forum."
    )
    history: list[Event] = Field(
        default_factory=list,
        description="The dialogue's events that are not parts of another, by date: its meetings from the first to "
        "what is planned.",
    )
    documents: list[Document] = Field(
        default_factory=list, description="Documents adopted, signed or announced at the summit or its parts."
    )
    document_counts: list[DocumentCount] = Field(
        default_factory=list, description="Counts of documents at the summit or its parts, each with its source."
    )
    target_equivalents: list[TargetEquivalent] = Field(
        default_factory=list, description="Other currencies' amounts that sources give beside the money targets."
    )
    claims: list[Claim] = Field(default_factory=list, description="What each source says of each value.")
