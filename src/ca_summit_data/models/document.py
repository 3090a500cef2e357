"""The nested summit document: one summit with everything that refers to it (``data/ca_summit.json``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .records import (
    BilateralMeeting,
    Country,
    Evidence,
    FinancialTarget,
    Initiative,
    Participation,
    Person,
    PriorityArea,
    Source,
    Statement,
    Summit,
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
