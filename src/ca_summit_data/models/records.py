"""The tables: one Pydantic model per published table, each declaring its columns, keys and rules.

These classes are the single source of truth. The JSON Schemas in ``schemas/``, the
Frictionless Table Schemas in ``datapackage.json``, the Arrow/Parquet schemas, the data
dictionary and the validator's checks of our tables are all made from them: a column's
type is a ``types`` annotation (a column type of the schema layer), its meaning is its
description, and the rules between columns are ``rules`` (``schema.rules``).

Every model forbids unknown fields and is immutable. Field descriptions are written
for the people who read the data dictionary, so they say what a value means and where
it comes from, not how it is stored.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from ..schema.columns import ColumnType
from ..schema.rules import Differ, EmptyExactlyWhen, MatchesCountry, NotBefore, Rule, Together, UniqueItems
from .types import (
    Count,
    CountryCode,
    CurrencyCode,
    FileName,
    HttpUrl,
    Id,
    Iso2,
    LanguageCode,
    Money,
    Ordinal,
    Sha256,
    ShortText,
    Text,
    Typed,
)

# --------------------------------------------------------------------------- vocabularies


class Role(StrEnum):
    """The part a participant played at the summit."""

    host = "host"
    guest = "guest"


class CountBound(StrEnum):
    """How a reported count relates to the number stored beside it."""

    exact = "exact"
    at_least = "at_least"
    more_than = "more_than"


class InitiativeKind(StrEnum):
    """What sort of undertaking an initiative is."""

    cooperation_focus = "cooperation_focus"
    transport_corridor = "transport_corridor"
    partnership = "partnership"
    investment_target = "investment_target"


class InitiativeStatus(StrEnum):
    """How far an initiative had come, as the source reports it at the summit."""

    planned = "planned"
    committed = "committed"
    launched = "launched"
    targeted = "targeted"


class MeetingFormat(StrEnum):
    one_on_one = "one_on_one"


class StatementMode(StrEnum):
    """Whose words a statement is, and how directly the source gives them."""

    direct_quote = "direct_quote"
    reported_speech = "reported_speech"
    source_assessment = "source_assessment"


# --------------------------------------------------------------------------- tables


class Record(BaseModel):
    """Base of every row model: immutable, unknown fields are an error, and the table's rules hold.

    A table is declared by one subclass: its columns (fields typed with ``types``), its
    keys and its rules (``schema.rules``). Everything else (Table Schema, Arrow schema,
    JSON Schemas, data dictionary, the validator's checks) is made from that declaration.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, validate_default=True)

    # Table metadata, read by the exporters. Filled in by each subclass.
    table: ClassVar[str]
    primary_key: ClassVar[str]
    foreign_keys: ClassVar[dict[str, tuple[str, str]]] = {}
    table_title: ClassVar[str]
    rules: ClassVar[tuple[Rule, ...]] = ()
    """Rules between this table's columns, checked here on every record and by the validator on every row."""

    def key(self) -> str:
        return str(getattr(self, self.primary_key))

    @model_validator(mode="after")
    def _keep_rules(self) -> Self:
        for rule in self.rules:
            problem = rule.check_record(lambda name: getattr(self, name))
            if problem is not None:
                raise ValueError(problem)
        return self


class Summit(Record):
    """A summit of a dialogue: where, when, who hosted, and what was signed."""

    table = "summits"
    primary_key = "summit_id"
    foreign_keys = {"host_country": ("countries", "country_code")}
    table_title = "Summits"
    rules = (NotBefore(("end_date", "start_date")), Together(("documents_signed_min", "documents_signed_bound")))

    summit_id: Id = Field(description="Stable identifier of the summit.")
    name: ShortText = Field(description="The summit's name in English (our wording).")
    name_id: ShortText = Field(description="The summit's name as the Indonesian source writes it.")
    dialogue: ShortText = Field(description="The dialogue (the standing forum) the summit belongs to, in English.")
    edition: Ordinal = Field(description="Which summit of the dialogue this is: 1 for the first.")
    start_date: date = Field(description="First day of the summit (ISO 8601).")
    end_date: date = Field(description="Last day of the summit (ISO 8601); equal to start_date for a one-day summit.")
    city: ShortText = Field(description="City where the summit was held.")
    host_country: CountryCode = Field(description="ISO 3166-1 alpha-3 code of the host country.")
    documents_signed_min: Count | None = Field(
        default=None,
        description=(
            "Lower bound of the number of cooperation documents signed and presented during the summit. "
            "Read it together with documents_signed_bound: 'more_than' means the true number is strictly greater."
        ),
    )
    documents_signed_bound: CountBound | None = Field(
        default=None,
        description="How documents_signed_min bounds the true count: exact, at_least or more_than.",
    )
    documents_signed_note: Text | None = Field(
        default=None, description="What the source says about the documents, in English (our wording)."
    )


class Country(Record):
    """A country that took part, with its ISO codes and its name in the source."""

    table = "countries"
    primary_key = "country_code"
    table_title = "Countries"
    rules = (MatchesCountry(("iso2", "country_code")),)

    country_code: CountryCode = Field(description="ISO 3166-1 alpha-3 code.")
    iso2: Iso2 = Field(description="ISO 3166-1 alpha-2 code.")
    name: ShortText = Field(description="Short English name.")
    name_id: ShortText = Field(description="The name as the Indonesian source writes it.")
    central_asian: bool = Field(description="True for the Central Asian side of the dialogue, false for Japan.")


class Person(Record):
    """A person named in a source, spelled as the source spells them."""

    table = "persons"
    primary_key = "person_id"
    foreign_keys = {"country_code": ("countries", "country_code")}
    table_title = "Persons"

    person_id: Id = Field(description="Stable identifier of the person.")
    name: ShortText = Field(description="Full name as the source spells it.")
    country_code: CountryCode = Field(description="Country the person represents (ISO 3166-1 alpha-3).")


class Participation(Record):
    """One person's part in one summit: in which capacity, for which country."""

    table = "participations"
    primary_key = "participation_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "person_id": ("persons", "person_id"),
        "country_code": ("countries", "country_code"),
    }
    table_title = "Participations"

    participation_id: Id = Field(description="Stable identifier of the participation.")
    summit_id: Id = Field(description="The summit.")
    person_id: Id = Field(description="The participant.")
    country_code: CountryCode = Field(description="The country the participant represented.")
    title: ShortText = Field(description="The participant's office in English, e.g. 'President'.")
    title_id: ShortText = Field(description="The office as the Indonesian source writes it.")
    role: Role = Field(description="'host' for the leader of the host country, 'guest' for the others.")


class PriorityArea(Record):
    """One of the priority areas of cooperation agreed at a summit."""

    table = "priority_areas"
    primary_key = "area_id"
    foreign_keys = {"summit_id": ("summits", "summit_id")}
    table_title = "Priority areas"

    area_id: Id = Field(description="Stable identifier of the area.")
    summit_id: Id = Field(description="The summit that agreed the area.")
    position: Ordinal = Field(description="Order in which the source lists the area (1 = first).")
    name: ShortText = Field(description="The area's name in English (our wording).")
    name_id: ShortText = Field(description="The area's name as the Indonesian source writes it.")


class Initiative(Record):
    """An initiative, focus or commitment announced at a summit."""

    table = "initiatives"
    primary_key = "initiative_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "area_id": ("priority_areas", "area_id"),
    }
    table_title = "Initiatives"

    initiative_id: Id = Field(description="Stable identifier of the initiative.")
    summit_id: Id = Field(description="The summit where it was announced.")
    area_id: Id | None = Field(
        default=None, description="The priority area the source puts it under; empty where the source ties it to none."
    )
    name: ShortText = Field(description="Name in English (our wording).")
    name_id: ShortText = Field(description="Name or wording as the Indonesian source gives it.")
    kind: InitiativeKind = Field(description="What sort of undertaking it is.")
    status: InitiativeStatus = Field(
        description=(
            "How far it had come as reported: planned (cooperation 'will focus' on it), committed (the parties "
            "committed to it), launched (launched at the summit), targeted (a quantified target was set)."
        )
    )
    description: Text = Field(description="What the source says about it, in English (our wording).")


class FinancialTarget(Record):
    """A money target, with the equivalent amount the source reports beside it."""

    table = "financial_targets"
    primary_key = "target_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "initiative_id": ("initiatives", "initiative_id"),
    }
    table_title = "Financial targets"
    rules = (Together(("equivalent_amount", "equivalent_currency")), UniqueItems(("sectors",)))

    target_id: Id = Field(description="Stable identifier of the target.")
    summit_id: Id = Field(description="The summit that set the target.")
    initiative_id: Id | None = Field(default=None, description="The initiative the target quantifies, if any.")
    amount: Money = Field(description="The target amount, in units of currency (not thousands or millions).")
    currency: CurrencyCode = Field(description="ISO 4217 code of amount's currency.")
    period_years: Ordinal | None = Field(default=None, description="Horizon of the target in years from the summit.")
    sectors: list[Id] = Field(
        default_factory=list, description="Sectors the source names as covered, as snake_case words."
    )
    sectors_exhaustive: bool = Field(
        description="False where the source says the target 'includes' the sectors listed, so others may be covered."
    )
    equivalent_amount: Money | None = Field(
        default=None,
        description="An equivalent amount the source itself reports, kept as reported (not recomputed by us).",
    )
    equivalent_currency: CurrencyCode | None = Field(
        default=None, description="ISO 4217 code of equivalent_amount's currency."
    )
    description: Text = Field(description="What the target is, in English (our wording).")


class BilateralMeeting(Record):
    """A meeting between two leaders held on the side of a summit."""

    table = "bilateral_meetings"
    primary_key = "meeting_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "person_id": ("persons", "person_id"),
        "counterpart_id": ("persons", "person_id"),
    }
    table_title = "Bilateral meetings"
    rules = (Differ(("counterpart_id", "person_id")),)

    meeting_id: Id = Field(description="Stable identifier of the meeting.")
    summit_id: Id = Field(description="The summit during which it was held.")
    person_id: Id = Field(description="The leader who held the meeting.")
    counterpart_id: Id = Field(description="The leader met.")
    format: MeetingFormat = Field(description="The meeting's format, e.g. one_on_one.")
    purpose: Text | None = Field(default=None, description="Its purpose as the source states it, in English.")


class Statement(Record):
    """Words said at a summit, or the source's own assessment of it, as the source gives them."""

    table = "statements"
    primary_key = "statement_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "person_id": ("persons", "person_id"),
    }
    table_title = "Statements"
    rules = (EmptyExactlyWhen(("person_id", "mode"), StatementMode.source_assessment.value),)

    statement_id: Id = Field(description="Stable identifier of the statement.")
    summit_id: Id = Field(description="The summit it concerns.")
    person_id: Id | None = Field(default=None, description="Who said it; empty for the source's own assessment.")
    mode: StatementMode = Field(
        description="direct_quote (the speaker's words in quotation marks), reported_speech, or source_assessment."
    )
    text: Text = Field(description="The statement as the source gives it, in the source's language.")
    language: LanguageCode = Field(description="ISO 639-1 code of text's language.")
    text_en: Text = Field(description="Our English translation of text.")


class Source(Record):
    """A source document. Its text is archived outside the project; sha256 pins the exact text."""

    table = "sources"
    primary_key = "source_id"
    table_title = "Sources"
    rules = (Together(("archive_file", "sha256")),)

    source_id: Id = Field(description="Stable identifier of the source.")
    publisher: ShortText = Field(description="Who published it.")
    title: ShortText = Field(description="Its title, as published.")
    author: ShortText | None = Field(default=None, description="Its author, as credited.")
    language: LanguageCode = Field(description="ISO 639-1 code of its language.")
    section: ShortText | None = Field(default=None, description="Section of the publication it appeared in.")
    url: HttpUrl | None = Field(default=None, description="Where it is published; empty where we do not know it.")
    published_date: date | None = Field(
        default=None, description="Publication date; empty where the source does not state it."
    )
    image_credit: ShortText | None = Field(
        default=None, description="Credit line of the source's lead image, as printed."
    )
    archive_file: FileName | None = Field(
        default=None, description="File name of the archived text in the sources folder."
    )
    sha256: Sha256 | None = Field(default=None, description="SHA-256 of the archived text's bytes.")


SEEDED_MODELS: tuple[type[Record], ...] = (
    Summit,
    Country,
    Person,
    Participation,
    PriorityArea,
    Initiative,
    FinancialTarget,
    BilateralMeeting,
    Statement,
    Source,
)
"""Tables written by hand in ``seeds/``, in dependency order (a table only refers to tables before it). A new table
is declared by a model class above and its line here; every output, check and page follows from it."""

RecordTable = StrEnum("RecordTable", {m.table: m.table for m in SEEDED_MODELS})  # type: ignore[misc]
RecordTable.__doc__ = "The tables whose records carry evidence (every seeded table)."


EVIDENCE_ID_PATTERN = r"^[a-z_]+\.[A-Za-z0-9_]+\.[1-9][0-9]*$"
EvidenceId = Annotated[str, Typed(ColumnType("an evidence identifier", "string", pattern=EVIDENCE_ID_PATTERN,
                                             max_length=200))]
RecordId = Annotated[str, Typed(ColumnType("a record's key", "string", pattern=r"^[A-Za-z0-9_]+$", max_length=80))]


class Evidence(Record):
    """A verbatim quote from a source that supports one record of another table."""

    table = "evidence"
    primary_key = "evidence_id"
    foreign_keys = {"source_id": ("sources", "source_id")}
    table_title = "Evidence"

    evidence_id: EvidenceId = Field(
        description="'<record_table>.<record_id>.<n>': the n-th piece of evidence for that record."
    )
    record_table: RecordTable = Field(description="Table of the record the quote supports.")
    record_id: RecordId = Field(
        description="Primary key of the record the quote supports."
    )
    source_id: Id = Field(description="The source quoted.")
    quote: ShortText = Field(description="A short verbatim quote (a sentence or less) in the source's language.")


class Citation(BaseModel):
    """Evidence as written in a seed record: which source, and the verbatim quote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_id: Id = Field(description="The source quoted.")
    quote: ShortText = Field(description="A short verbatim quote from that source.")


TABLE_MODELS: tuple[type[Record], ...] = (*SEEDED_MODELS, Evidence)
"""Every published table, in dependency order; evidence is collected from the seeded records' ``evidence`` lists."""

MODEL_BY_TABLE: dict[str, type[Record]] = {m.table: m for m in TABLE_MODELS}




@cache
def seed_model(model: type[Record]) -> type[Record]:
    """The shape of one record in ``seeds/<table>.yaml``: the row plus its evidence.

    Built from the row model, so a column added to a table is at once a field of its
    seed records too.
    """
    seeded: type[Record] = create_model(
        f"{model.__name__}Seed",
        __base__=model,
        __doc__=f"{model.__doc__ or ''} As written in seeds/{model.table}.yaml, with its evidence.",
        evidence=(
            list[Citation],
            Field(min_length=1, description="At least one verbatim quote that supports this record."),
        ),
    )
    return seeded
