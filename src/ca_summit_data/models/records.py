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
from ..schema.rules import (
    Differ,
    EmptyExactlyWhen,
    ExactlyOne,
    GivenExactlyWhen,
    MatchesCountry,
    NotBefore,
    PrecisionOf,
    Rule,
    Together,
    UniqueItems,
)
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
    PartialDate,
    Sha256,
    ShortText,
    Text,
    TimeOfDay,
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
    business_target = "business_target"
    umbrella_initiative = "umbrella_initiative"
    cooperation_field = "cooperation_field"


class InitiativeStatus(StrEnum):
    """How far an initiative had come, as the source reports it at the summit."""

    planned = "planned"
    committed = "committed"
    launched = "launched"
    targeted = "targeted"


class MeetingFormat(StrEnum):
    one_on_one = "one_on_one"


class SourceKind(StrEnum):
    """What sort of publication a source is."""

    news_article = "news_article"
    agency_report = "agency_report"
    press_conference = "press_conference"
    government_statement = "government_statement"
    press_release = "press_release"
    joint_declaration = "joint_declaration"
    joint_statement = "joint_statement"
    official_text_copy = "official_text_copy"
    """A copy of an official text or release on another site (a database, a mirror)."""
    official_document = "official_document"
    """A text the governments adopted (an action plan), as the government publishes it."""
    commentary = "commentary"


class EvidenceKind(StrEnum):
    """How a source supports a record: a verbatim quote of an archived text, or a citation of a page."""

    quote = "quote"
    citation = "citation"


class Stance(StrEnum):
    """How a source's claim stands to the published value."""

    supports = "supports"
    contradicts = "contradicts"
    adds = "adds"


class Resolution(StrEnum):
    """Why a published value won over a claim that contradicts it, or that the question is still open."""

    official_over_secondary = "official_over_secondary"
    """The government's own record, or an official text, over a news report of it."""
    original_over_translation = "original_over_translation"
    """A text in the language it was written in over a translation of it."""
    primary_over_relay = "primary_over_relay"
    """A report nearer the event over a rewrite of that report."""
    later_correction = "later_correction"
    """A later statement of the same publisher over an earlier one."""
    more_sources = "more_sources"
    """Several independent sources over one."""
    unresolved = "unresolved"
    """The sources disagree and none outranks the other: the published value is one of them, not a finding."""


class DatePrecision(StrEnum):
    """How precisely a source gives a date."""

    year = "year"
    month = "month"
    day = "day"


class EventKind(StrEnum):
    """What sort of happening an event is."""

    foreign_ministers_meeting = "foreign_ministers_meeting"
    foreign_ministers_video_meeting = "foreign_ministers_video_meeting"
    summit = "summit"
    dinner = "dinner"
    plenary_session = "plenary_session"
    business_forum = "business_forum"
    press_conference = "press_conference"
    bilateral_meeting = "bilateral_meeting"


class EventLevel(StrEnum):
    """Who meets at an event."""

    leaders = "leaders"
    foreign_ministers = "foreign_ministers"
    business = "business"


class EventStatus(StrEnum):
    """Whether an event took place, as the sources give it."""

    held = "held"
    scheduled = "scheduled"
    """Fixed for a date that had not yet come when the sources wrote."""
    planned = "planned"
    """Agreed or announced, without a date."""
    postponed = "postponed"
    cancelled = "cancelled"


class DocumentKind(StrEnum):
    """What sort of document it is."""

    joint_declaration = "joint_declaration"
    joint_statement = "joint_statement"
    joint_press_release = "joint_press_release"
    initiative = "initiative"
    action_plan = "action_plan"
    roadmap = "roadmap"
    agreement = "agreement"


class DocumentStatus(StrEnum):
    """What was done with a document at its event."""

    adopted = "adopted"
    signed = "signed"
    issued = "issued"
    announced = "announced"
    presented = "presented"


class TargetKind(StrEnum):
    """What a money target counts."""

    business_projects = "business_projects"
    investment = "investment"


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
    editorial: ClassVar[frozenset[str]] = frozenset()
    """Columns we write ourselves (our English wording, a precision read off a date, a link to the record a row
    belongs to), which no source is asked to state. Every other column's value has a claim of a source
    (``claims``); the primary key is ours too."""

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
    foreign_keys = {
        "host_country": ("countries", "country_code"),
        "dialogue_id": ("dialogues", "dialogue_id"),
        "event_id": ("events", "event_id"),
    }
    table_title = "Summits"
    rules = (NotBefore(("end_date", "start_date")), Together(("documents_signed_min", "documents_signed_bound")))
    editorial = frozenset({"name", "dialogue", "documents_signed_note", "dialogue_id", "event_id"})

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
    dialogue_id: Id | None = Field(default=None, description="The dialogue, as a row of dialogues.")
    event_id: Id | None = Field(
        default=None, description="The summit as an event (events), whose parts are its programme."
    )


class Dialogue(Record):
    """A standing framework of meetings between Japan and a group of countries."""

    table = "dialogues"
    primary_key = "dialogue_id"
    foreign_keys = {"partner_country": ("countries", "country_code")}
    table_title = "Dialogues"
    rules = (PrecisionOf(("launch_precision", "launch_date")),)
    editorial = frozenset({"launch_precision", "description"})

    dialogue_id: Id = Field(description="Stable identifier of the dialogue.")
    name: ShortText = Field(description="The dialogue's name as the Japanese government writes it in English.")
    short_name: ShortText = Field(description="Its short name, as the Japanese government abbreviates it.")
    launch_date: PartialDate = Field(
        description="When it was launched, as precisely as the sources say (a month is written YYYY-MM)."
    )
    launch_precision: DatePrecision = Field(description="How precisely launch_date is known: year, month or day.")
    partner_country: CountryCode = Field(description="The country that launched it with the region (ISO alpha-3).")
    description: Text | None = Field(default=None, description="What the framework is, in our words.")


class Event(Record):
    """A dated happening of a dialogue: a meeting of ministers or leaders, or one part of a summit's programme."""

    table = "events"
    primary_key = "event_id"
    foreign_keys = {
        "dialogue_id": ("dialogues", "dialogue_id"),
        "parent_event_id": ("events", "event_id"),
        "host_country": ("countries", "country_code"),
        "chair_person_id": ("persons", "person_id"),
    }
    table_title = "Events"
    rules = (
        Differ(("parent_event_id", "event_id")),
        PrecisionOf(("start_precision", "start_date")),
        PrecisionOf(("end_precision", "end_date")),
        Together(("duration_minutes", "duration_approximate")),
    )
    editorial = frozenset({"dialogue_id", "parent_event_id", "name", "start_precision", "end_precision",
                           "description"})

    event_id: Id = Field(description="Stable identifier of the event.")
    dialogue_id: Id = Field(description="The dialogue the event belongs to.")
    parent_event_id: Id | None = Field(
        default=None,
        description="The event this one is a part of (a summit's dinner, plenary, talks); empty at the top.",
    )
    name: ShortText = Field(description="The event's name in English (our wording).")
    kind: EventKind = Field(description="What sort of happening it is.")
    level: EventLevel = Field(description="Who met: leaders, foreign ministers, or business.")
    edition: Ordinal | None = Field(
        default=None, description="The number the dialogue gives it among events of its kind (9 for the 9th meeting)."
    )
    start_date: PartialDate | None = Field(
        default=None,
        description="The (first) day, or the month or year where that is all the sources say (2004-08 is August "
        "2004); empty for an event agreed without a date.",
    )
    start_precision: DatePrecision | None = Field(
        default=None, description="How precisely start_date is known: year, month or day."
    )
    end_date: PartialDate | None = Field(
        default=None, description="The last day of an event over several days; empty for an event of one day."
    )
    end_precision: DatePrecision | None = Field(default=None, description="How precisely end_date is known.")
    start_time: TimeOfDay | None = Field(
        default=None, description="Local start time (HH:MM), where a source states it."
    )
    duration_minutes: Count | None = Field(default=None, description="How long it lasted, in minutes, as stated.")
    duration_approximate: bool | None = Field(
        default=None, description="True where the source gives the duration as about so long."
    )
    city: ShortText | None = Field(default=None, description="City where it took place; empty for an online meeting.")
    venue: ShortText | None = Field(
        default=None,
        description="Where in the city, as precisely as the official record says (e.g. 'a hotel in Tokyo').",
    )
    online: bool | None = Field(default=None, description="True for a meeting held by video link.")
    host_country: CountryCode | None = Field(default=None, description="The country that hosted it (ISO alpha-3).")
    chair_person_id: Id | None = Field(default=None, description="Who chaired it, where a source says so.")
    status: EventStatus = Field(
        description="held; scheduled (a date fixed); planned (agreed, no date); postponed; cancelled."
    )
    description: Text | None = Field(default=None, description="What happened, in our words.")


class Country(Record):
    """A country that took part, with its ISO codes and its name in the source."""

    table = "countries"
    primary_key = "country_code"
    table_title = "Countries"
    rules = (MatchesCountry(("iso2", "country_code")),)
    editorial = frozenset({"iso2", "name", "central_asian"})

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
    name_official: ShortText | None = Field(
        default=None, description="The name as the Japanese government writes it in English, where that differs."
    )


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
    editorial = frozenset({"summit_id", "title", "country_code", "role"})

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
    editorial = frozenset({"summit_id", "name"})

    area_id: Id = Field(description="Stable identifier of the area.")
    summit_id: Id = Field(description="The summit that agreed the area.")
    position: Ordinal = Field(description="Order in which the source lists the area (1 = first).")
    name: ShortText = Field(description="The area's name in English (our wording).")
    name_id: ShortText = Field(description="The area's name as the Indonesian source writes it.")
    name_official: ShortText | None = Field(
        default=None, description="The area's name in the official English record, where it differs from name."
    )


class Initiative(Record):
    """An initiative, focus or commitment announced at a summit."""

    table = "initiatives"
    primary_key = "initiative_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "area_id": ("priority_areas", "area_id"),
        "parent_initiative_id": ("initiatives", "initiative_id"),
    }
    table_title = "Initiatives"
    rules = (Differ(("parent_initiative_id", "initiative_id")),)
    editorial = frozenset({"summit_id", "name", "description"})

    initiative_id: Id = Field(description="Stable identifier of the initiative.")
    summit_id: Id = Field(description="The summit where it was announced.")
    area_id: Id | None = Field(
        default=None, description="The priority area the source puts it under; empty where the source ties it to none."
    )
    name: ShortText = Field(description="Name in English (our wording).")
    name_id: ShortText | None = Field(
        default=None, description="Name or wording as the Indonesian source gives it; empty where it does not."
    )
    kind: InitiativeKind = Field(description="What sort of undertaking it is.")
    status: InitiativeStatus = Field(
        description=(
            "How far it had come as reported: planned (cooperation 'will focus' on it), committed (the parties "
            "committed to it), launched (launched at the summit), targeted (a quantified target was set)."
        )
    )
    description: Text = Field(description="What the source says about it, in English (our wording).")
    name_official: ShortText | None = Field(
        default=None, description="Its name in the official English record, where it differs from name."
    )
    parent_initiative_id: Id | None = Field(
        default=None, description="The umbrella initiative it is an item of (e.g. the CA+JAD Tokyo Initiative)."
    )
    position: Ordinal | None = Field(
        default=None, description="Order in which the sources list it under its area (1 = first), where they do."
    )


class FinancialTarget(Record):
    """A money target, with the equivalent amount the source reports beside it."""

    table = "financial_targets"
    primary_key = "target_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "initiative_id": ("initiatives", "initiative_id"),
        "holder_country": ("countries", "country_code"),
    }
    table_title = "Financial targets"
    rules = (Together(("equivalent_amount", "equivalent_currency")), UniqueItems(("sectors",)))
    editorial = frozenset({"summit_id", "initiative_id", "description", "sectors_exhaustive"})

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
    holder_country: CountryCode | None = Field(
        default=None, description="The country whose target it is; empty where sources make it a joint target."
    )
    target_kind: TargetKind | None = Field(default=None, description="What the target counts.")
    approximate: bool | None = Field(
        default=None, description="True where the target is given as about the amount ('on the scale of')."
    )


class TargetEquivalent(Record):
    """An amount in another currency that a source reports beside a money target, kept as that source gives it."""

    table = "target_equivalents"
    primary_key = "equivalent_id"
    foreign_keys = {"target_id": ("financial_targets", "target_id"), "source_id": ("sources", "source_id")}
    table_title = "Target equivalents"
    editorial = frozenset({"target_id", "source_id"})

    equivalent_id: Id = Field(description="Stable identifier of the equivalent.")
    target_id: Id = Field(description="The target it converts.")
    amount: Money = Field(description="The amount as the source gives it, in units of currency (never recomputed).")
    currency: CurrencyCode = Field(description="ISO 4217 code of amount's currency.")
    approximate: bool = Field(description="True where the source gives it as about so much ('about $20 billion').")
    source_id: Id = Field(description="The source that reports it.")


class BilateralMeeting(Record):
    """A meeting between two leaders held on the side of a summit."""

    table = "bilateral_meetings"
    primary_key = "meeting_id"
    foreign_keys = {
        "summit_id": ("summits", "summit_id"),
        "person_id": ("persons", "person_id"),
        "counterpart_id": ("persons", "person_id"),
        "event_id": ("events", "event_id"),
        "outcome_document_id": ("documents", "document_id"),
    }
    table_title = "Bilateral meetings"
    rules = (Differ(("counterpart_id", "person_id")),)
    editorial = frozenset({"summit_id", "purpose", "event_id", "format"})

    meeting_id: Id = Field(description="Stable identifier of the meeting.")
    summit_id: Id = Field(description="The summit during which it was held.")
    person_id: Id = Field(description="The leader who held the meeting.")
    counterpart_id: Id = Field(description="The leader met.")
    format: MeetingFormat = Field(description="The meeting's format, e.g. one_on_one.")
    purpose: Text | None = Field(default=None, description="Its purpose as the source states it, in English.")
    date: PartialDate | None = Field(default=None, description="The day it was held (YYYY-MM-DD).")
    event_id: Id | None = Field(default=None, description="The meeting as an event of the summit's programme.")
    place: ShortText | None = Field(default=None, description="Where it was held.")
    outcome_document_id: Id | None = Field(default=None, description="The joint document it produced, if any.")


class Document(Record):
    """A document adopted, signed, issued, announced or presented at an event: a declaration, a statement, a plan."""

    table = "documents"
    primary_key = "document_id"
    foreign_keys = {"event_id": ("events", "event_id")}
    table_title = "Documents"
    rules = (PrecisionOf(("date_precision", "date")), UniqueItems(("parties",)),
             Together(("title_original", "title_language")))
    editorial = frozenset({"title", "title_language", "date_precision", "description"})

    document_id: Id = Field(description="Stable identifier of the document.")
    event_id: Id | None = Field(default=None, description="The event at which it was adopted, signed or announced.")
    title: ShortText = Field(description="Its title in English: the official English where we read one, else ours.")
    title_original: ShortText | None = Field(
        default=None, description="Its title as the source we read gives it, in that source's language."
    )
    title_language: LanguageCode | None = Field(
        default=None, description="ISO 639-1 code of title_original's language."
    )
    kind: DocumentKind = Field(description="What sort of document it is.")
    date: PartialDate | None = Field(
        default=None, description="The date it bears or was adopted, as precisely as known."
    )
    date_precision: DatePrecision | None = Field(default=None, description="How precisely date is known.")
    parties: list[CountryCode] = Field(
        default_factory=list, description="The countries that adopted, signed or issued it (ISO alpha-3)."
    )
    status: DocumentStatus = Field(description="What was done with it: adopted, signed, issued, announced, presented.")
    description: Text | None = Field(default=None, description="What it is about, in our words.")


class DocumentCount(Record):
    """How many documents a source says were signed or presented at an event, where they are not listed one by one."""

    table = "document_counts"
    primary_key = "count_id"
    foreign_keys = {"event_id": ("events", "event_id"), "source_id": ("sources", "source_id")}
    table_title = "Document counts"
    editorial = frozenset({"what", "source_id"})

    count_id: Id = Field(description="Stable identifier of the count.")
    event_id: Id = Field(description="The event the count is about.")
    count_min: Count = Field(
        description="The number the source gives; read it with bound ('more_than' 150 means 151 or more)."
    )
    bound: CountBound = Field(description="How count_min bounds the true count: exact, at_least or more_than.")
    what: ShortText = Field(description="What was counted, in our words (e.g. public and private documents).")
    source_id: Id = Field(description="The source that gives the count.")


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
    editorial = frozenset({"summit_id", "text_en", "mode", "language"})

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
    """A source: a page or document we read. Where its text is archived, sha256 pins the exact text we quote."""

    table = "sources"
    primary_key = "source_id"
    foreign_keys = {"derived_from": ("sources", "source_id")}
    table_title = "Sources"
    rules = (
        Together(("archive_file", "sha256")),
        GivenExactlyWhen(("archive_file", "archived"), True),
        Differ(("derived_from", "source_id")),
    )
    editorial = frozenset({"kind", "archived", "archive_file", "sha256", "derived_from", "derived_via",
                           "language"})

    source_id: Id = Field(description="Stable identifier of the source.")
    publisher: ShortText = Field(description="Who published it.")
    title: ShortText | None = Field(
        default=None, description="Its title, as published; empty where the page we read does not show one."
    )
    author: ShortText | None = Field(default=None, description="Its author, as credited.")
    language: LanguageCode = Field(description="ISO 639-1 code of its language.")
    section: ShortText | None = Field(default=None, description="Section of the publication it appeared in.")
    url: HttpUrl | None = Field(default=None, description="Where it is published; empty where we do not know it.")
    published_date: date | None = Field(
        default=None, description="Publication date as the page states it; empty where it states none."
    )
    image_credit: ShortText | None = Field(
        default=None, description="Credit line of the source's lead image, as printed."
    )
    archive_file: FileName | None = Field(
        default=None, description="File name of the archived text in the sources folder."
    )
    sha256: Sha256 | None = Field(default=None, description="SHA-256 of the archived text's bytes.")
    kind: SourceKind = Field(description="What sort of publication it is.")
    derived_from: Id | None = Field(
        default=None, description="The source it rewrites, translates or relays, where that is one of ours."
    )
    derived_via: ShortText | None = Field(
        default=None,
        description="Who the text passed through on the way from derived_from, where that is not a source we read.",
    )
    archived: bool = Field(
        description="True where its text is archived and its quotes are verified at every build; false for a page "
        "we cite (by URL and a locator) but do not quote."
    )


SEEDED_MODELS: tuple[type[Record], ...] = (
    Summit,
    Dialogue,
    Event,
    Country,
    Person,
    Participation,
    PriorityArea,
    Initiative,
    FinancialTarget,
    TargetEquivalent,
    BilateralMeeting,
    Document,
    DocumentCount,
    Statement,
    Source,
)
"""Tables written by hand in ``seeds/``, in the order they are published. A new table is declared by a model class
above and its line here; every output, check and page follows from it."""

RecordTable = StrEnum("RecordTable", {m.table: m.table for m in SEEDED_MODELS})  # type: ignore[misc]
RecordTable.__doc__ = "The tables whose records carry evidence (every seeded table)."


EVIDENCE_ID_PATTERN = r"^[a-z_]+\.[A-Za-z0-9_]+\.[1-9][0-9]*$"
EvidenceId = Annotated[str, Typed(ColumnType("an evidence identifier", "string", pattern=EVIDENCE_ID_PATTERN,
                                             max_length=200))]
RecordId = Annotated[str, Typed(ColumnType("a record's key", "string", pattern=r"^[A-Za-z0-9_]+$", max_length=80))]


FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
FieldName = Annotated[str, Typed(ColumnType("a column name", "string", pattern=FIELD_NAME_PATTERN, max_length=80))]
CLAIM_ID_PATTERN = r"^[a-z_]+\.[A-Za-z0-9_]+\.[a-z][a-z0-9_]*\.[1-9][0-9]*$"
ClaimId = Annotated[str, Typed(ColumnType("a claim identifier", "string", pattern=CLAIM_ID_PATTERN, max_length=300))]


class Evidence(Record):
    """What supports one record of another table: a verbatim quote of an archived source, or a cited page."""

    table = "evidence"
    primary_key = "evidence_id"
    foreign_keys = {"source_id": ("sources", "source_id")}
    table_title = "Evidence"
    rules = (
        GivenExactlyWhen(("quote", "kind"), EvidenceKind.quote.value),
        GivenExactlyWhen(("locator", "kind"), EvidenceKind.citation.value),
        GivenExactlyWhen(("note", "kind"), EvidenceKind.citation.value),
    )

    evidence_id: EvidenceId = Field(
        description="'<record_table>.<record_id>.<n>': the n-th piece of evidence for that record."
    )
    record_table: RecordTable = Field(description="Table of the record the evidence supports.")
    record_id: RecordId = Field(
        description="Primary key of the record the evidence supports."
    )
    source_id: Id = Field(description="The source quoted or cited.")
    quote: ShortText | None = Field(
        default=None,
        description="For a quote: a short verbatim quote (a sentence or less) in the source's language, checked "
        "against the archived text at every build.",
    )
    kind: EvidenceKind = Field(
        description="quote (verbatim, from an archived text) or citation (a page we read but do not archive)."
    )
    locator: ShortText | None = Field(default=None, description="For a citation: where in the page the fact is.")
    note: Text | None = Field(default=None, description="For a citation: what the page supports, in our words.")


class Claim(Record):
    """What one source says about one column of one record: the statement-level provenance of the dataset.

    A claim that supports gives the published value; one that contradicts gives another, and its resolution
    says why the published value won or that the question is open; one that adds gives a detail the
    published value does not hold (a hotel's name where the official record says 'a hotel').
    """

    table = "claims"
    primary_key = "claim_id"
    foreign_keys = {"source_id": ("sources", "source_id"), "evidence_id": ("evidence", "evidence_id")}
    table_title = "Claims"
    rules = (
        GivenExactlyWhen(("resolution", "stance"), Stance.contradicts.value),
        ExactlyOne(("evidence_id", "quote", "locator")),
    )

    claim_id: ClaimId = Field(description="'<record_table>.<record_id>.<field>.<n>': the n-th claim on that value.")
    record_table: RecordTable = Field(description="Table of the record the claim is about.")
    record_id: RecordId = Field(description="Primary key of that record.")
    field: FieldName = Field(description="The column the claim is about.")
    value: Text = Field(
        description="The value as the source gives it, written as the column would hold it (a list joined by ';'), "
        "or in our words where the column cannot hold it (a target held jointly)."
    )
    source_id: Id = Field(description="The source that makes the claim.")
    stance: Stance = Field(description="supports, contradicts or adds, with respect to the published value.")
    resolution: Resolution | None = Field(
        default=None,
        description="For a contradicting claim: why the published value won over it, or 'unresolved'.",
    )
    evidence_id: EvidenceId | None = Field(
        default=None, description="The evidence the claim is read from, where it is a record's evidence."
    )
    quote: ShortText | None = Field(
        default=None, description="A verbatim quote of an archived source that makes the claim, checked at every build."
    )
    locator: ShortText | None = Field(default=None, description="Where in a cited page the claim is made.")
    note: Text | None = Field(default=None, description="Our note on the claim: what the source says, why it lost.")


class Citation(Record):
    """Evidence as written in a seed record: the source, a verbatim quote or a locator and note, and the columns
    of the record it states."""

    rules = (
        ExactlyOne(("quote", "locator")),
        Together(("locator", "note")),
    )

    source_id: Id = Field(description="The source quoted or cited.")
    quote: ShortText | None = Field(default=None, description="A short verbatim quote from an archived source.")
    locator: ShortText | None = Field(default=None, description="Where in the (not archived) page the facts are.")
    note: Text | None = Field(default=None, description="What the page says there, in our words.")
    fields: list[FieldName] = Field(
        min_length=1, description="The record's columns whose values this source states as published."
    )


class ClaimEntry(Record):
    """A claim as written in a seed record: a source's value for one column that differs from, or adds to, the
    published one (or supports it in words the evidence does not carry)."""

    rules = (
        GivenExactlyWhen(("resolution", "stance"), Stance.contradicts.value),
        ExactlyOne(("quote", "locator")),
    )

    field: FieldName = Field(description="The column the claim is about.")
    value: Text = Field(description="The value as the source gives it, written as the column would hold it.")
    source_id: Id = Field(description="The source that makes the claim.")
    stance: Stance = Field(description="supports, contradicts or adds.")
    resolution: Resolution | None = Field(default=None, description="For a contradiction: why the published value won.")
    quote: ShortText | None = Field(default=None, description="A verbatim quote of an archived source.")
    locator: ShortText | None = Field(default=None, description="Where in a cited page.")
    note: Text | None = Field(default=None, description="Our note on the claim.")


TABLE_MODELS: tuple[type[Record], ...] = (*SEEDED_MODELS, Evidence, Claim)
"""Every published table; evidence and claims are collected from the seeded records' ``evidence`` and ``claims``."""

MODEL_BY_TABLE: dict[str, type[Record]] = {m.table: m for m in TABLE_MODELS}


@cache
def seed_model(model: type[Record]) -> type[Record]:
    """The shape of one record in ``seeds/<table>.yaml``: the row plus its evidence and claims.

    Built from the row model, so a column added to a table is at once a field of its
    seed records too.
    """
    seeded: type[Record] = create_model(
        f"{model.__name__}Seed",
        __base__=model,
        __doc__=f"{model.__doc__ or ''} As written in seeds/{model.table}.yaml, with its evidence.",
        evidence=(
            list[Citation],
            Field(min_length=1, description="At least one quote or citation that supports this record."),
        ),
        claims=(
            list[ClaimEntry],
            Field(default_factory=list, description="What sources say beyond the evidence: contradictions, "
                  "additions, and support in other words."),
        ),
    )
    return seeded
