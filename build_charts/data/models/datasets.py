"""One model per dataset file in `data/`; the file stem is the dataset id.

Each file is `meta` + a list of records; `issues()` on a record adds the checks
that span fields (downed <= launched, end >= start, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import AnyUrl, Field, StringConstraints, field_validator

from .common import (
    Count,
    Figure,
    IsoDate,
    Issue,
    Meta,
    Record,
    RecordId,
    ShortText,
    Strict,
    Text,
    exceeds,
    high,
    low,
    standing,
)

SourceTier = Literal["primary", "original", "wire", "republication"]
TIER_RANK: dict[str, int] = {"primary": 1, "original": 2, "wire": 3, "republication": 4}
"""Lower is stronger. A value resting only on tier-4 pages is flagged to readers."""
STRONG_TIERS = frozenset({"primary", "original", "wire"})


class Source(Strict):
    """One public page in the registry that records cite.

    `publisher` is the site the URL goes to; when that page is a copy of someone else's text,
    `original_publisher` names who wrote it, so link text can say "AP, as republished by X".
    """

    id: RecordId
    publisher: ShortText
    original_publisher: ShortText | None = None
    title: Text
    url: AnyUrl
    published: IsoDate
    accessed: IsoDate
    tier: SourceTier
    reliability: Text | None = None

    @field_validator("url", mode="before")
    @classmethod
    def _https_only(cls, value: object) -> object:
        if not isinstance(value, str):
            raise ValueError("expected a URL as text")
        if not value.lower().startswith("https://"):
            scheme = value.split(":", 1)[0] if ":" in value else "no scheme"
            raise ValueError(f"only https:// URLs are allowed (got {scheme!r})")
        return value

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "published", self.published
        yield "accessed", self.accessed

    def issues(self) -> Iterator[Issue]:
        """Copies name whose text they carry; an original names nobody else."""
        if self.tier == "wire" and not self.original_publisher:
            yield ("original_publisher",), "a wire copy needs original_publisher: the agency whose text it is"
        if self.tier in ("primary", "original") and self.original_publisher:
            yield ("original_publisher",), (f"a {self.tier} page is its publisher's own text; remove "
                                            "original_publisher, or set tier to wire or republication")

    @property
    def credit(self) -> str:
        """Link text that names where the link goes: 'AP, as republished by Dayton Daily News'."""
        if self.original_publisher:
            return f"{self.original_publisher}, as republished by {self.publisher}"
        return self.publisher


class SourcesFile(Strict):
    """`data/sources.yaml`: the one registry of sources."""

    meta: Meta
    sources: Annotated[list[Source], Field(min_length=1)]


class Strike(Record):
    """A mass combined strike, dated by its night; `energy_focus` says whether energy was the main target."""

    date: IsoDate
    night: ShortText | None = None
    energy_focus: Literal["primary", "partial", "none"]
    drones_launched: Count | None = None
    missiles_launched: Count | None = None
    cruise_missiles: Count | None = None
    ballistic_missiles: Count | None = None
    drones_downed: Count | None = None
    """Drones the air force reported shot down, or all it reported downed when it gave one total."""
    drones_lost: Count | None = None
    """Drones reported lost to electronic warfare (jammed, "locationally lost"), not included in drones_downed."""
    missiles_downed: Count | None = None
    missiles_lost: Count | None = None
    """Missiles reported lost to electronic warfare, not included in missiles_downed."""
    sources_conflict: Text | None = None
    """Why the sources' figures cannot be read together (e.g. one source's downed count exceeds another's launches)."""
    regions: tuple[ShortText, ...] = ()
    consequences: Text

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date

    def issues(self) -> Iterator[Issue]:
        yield from super().issues()
        if self.drones_launched is None and self.missiles_launched is None:
            yield ("drones_launched",), "a strike needs drones_launched or missiles_launched"
        for kind in ("drones", "missiles"):
            total, launched = stopped_and_launched(self, kind)
            if total is not None and launched is not None and total > launched and self.sources_conflict is None:
                yield (f"{kind}_downed",), (
                    f"{total:,g} {kind} downed or lost is more than the {launched:,g} launched by the same account; "
                    "check the figures, or explain in sources_conflict why the sources cannot be read together")
        split = [high(self.cruise_missiles), high(self.ballistic_missiles)]
        if all(v is not None for v in split):
            yield from exceeds(("cruise_missiles",), sum(split), "missiles_launched",  # type: ignore[arg-type]
                               high(self.missiles_launched))


def _launch_for(variant: Any, launched: list[Any]) -> float | None:
    """The launch count of the account a downed figure belongs to: same source if one gives both, else the lowest."""
    mine = set(variant.sources or ())
    same = [v.value for v in standing(launched) if v.value is not None and set(v.sources or ()) & mine]
    return max(same) if same else low(launched)


def stopped_and_launched(strike: Strike, kind: str) -> tuple[float | None, float | None]:
    """(downed + lost, launched) for drones or missiles, read as one account: the basis of the interception share.

    Each downed or lost figure is paired with the launch count from the same source where one exists, so
    a share compares like with like; None when either side is unknown.
    """
    launched = getattr(strike, f"{kind}_launched")
    parts = [getattr(strike, f"{kind}_downed"), getattr(strike, f"{kind}_lost")]
    values = [max(standing(f), key=lambda v: v.value or 0) for f in parts if f and high(f) is not None]
    if not values or not launched or low(launched) is None:
        return None, None
    base = [_launch_for(v, launched) for v in values]
    return sum(v.value for v in values), min(b for b in base if b is not None)


class StrikesFile(Strict):
    meta: Meta
    records: Annotated[list[Strike], Field(min_length=1)]


OutageUnit = Literal["people", "customers", "households", "consumers", "subscribers", "properties", "buildings",
                     "settlements"]


class Outage(Record):
    """People or customers left without power after a strike, as reported."""

    date: IsoDate
    strike: RecordId | None = None
    region: ShortText
    unit: OutageUnit
    affected: Count
    part_of: RecordId | None = None
    """Id of the outage record whose figure includes this one (a city within a national total); charts draw
    totals, not their parts beside them."""
    note: Text | None = None

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date

    def issues(self) -> Iterator[Issue]:
        yield from super().issues()
        if self.part_of == self.id:
            yield ("part_of",), "a figure cannot be part of itself"


class OutagesFile(Strict):
    meta: Meta
    records: Annotated[list[Outage], Field(min_length=1)]


class PowerLoss(Record):
    """A loss of off-site power (or of all but one line) at the Zaporizhzhia plant."""

    start: IsoDate
    end: IsoDate | None = None
    kind: Literal["full", "single-line", "disconnection"]
    iaea_ordinal: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None
    duration_hours: Figure | None = None
    description: Text

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "start", self.start
        if self.end is not None:
            yield "end", self.end

    def issues(self) -> Iterator[Issue]:
        yield from super().issues()
        if self.end is not None and self.end < self.start:
            yield ("end",), f"end {self.end} is before start {self.start}"
        if self.iaea_ordinal is not None and self.kind != "full":
            yield ("iaea_ordinal",), "only full losses of off-site power carry an IAEA ordinal"


class PowerLossFile(Strict):
    meta: Meta
    records: Annotated[list[PowerLoss], Field(min_length=1)]


ChartLabel = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=40)]


class ForceCap(Record):
    """A ceiling on Ukraine's armed forces proposed in a draft or declaration."""

    date: IsoDate
    proposer: ShortText
    party: ChartLabel | None = None
    """Who proposed it, as charts group drafts ('Russia', 'US and Ukraine'); defaults to the proposer."""
    document: Text
    label: ChartLabel | None = None
    """Short name on charts, e.g. 'US 28-point plan'; defaults to the proposer."""
    ceiling: Count
    scope: Text
    draft_status: Literal["proposed", "superseded"]
    superseded_by: RecordId | None = None
    note: Text | None = None

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date

    def issues(self) -> Iterator[Issue]:
        yield from super().issues()
        if self.superseded_by is not None and self.draft_status != "superseded":
            yield ("superseded_by",), "superseded_by is set but draft_status is not 'superseded'"
        if self.superseded_by == self.id:
            yield ("superseded_by",), "a draft cannot supersede itself"


class ForceCapsFile(Strict):
    meta: Meta
    records: Annotated[list[ForceCap], Field(min_length=1)]


Measure = Literal["legal_ceiling", "prewar_active", "wartime_strength", "authorised_strength", "deployed_in_ukraine"]


class ForceLevel(Record):
    """A reference size of Ukraine's or Russia's forces, with what it counts."""

    date: IsoDate
    country: Literal["Ukraine", "Russia"]
    measure: Measure
    value: Count
    definition: Text
    stated_by: ShortText

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date


class ForceLevelsFile(Strict):
    meta: Meta
    records: Annotated[list[ForceLevel], Field(min_length=1)]


Track = Literal["us-ukraine", "us-russia", "trilateral", "european", "multilateral"]
TRACK_NAMES: dict[str, str] = {
    "us-ukraine": "US–Ukraine",
    "us-russia": "US–Russia",
    "trilateral": "Trilateral (US, Russia, Ukraine)",
    "european": "European / Coalition of the Willing",
    "multilateral": "Multilateral and other",
}
"""Readers' names of the tracks, in the order pages and charts list them."""

EventStatus = Literal["held", "scheduled", "postponed", "cancelled"]


class Revision(Strict):
    """A change of an event's dates or status; each raises the feed's SEQUENCE."""

    date: IsoDate
    change: Text
    sources: Annotated[list[RecordId], Field(min_length=1)]


class Event(Record):
    """A talk, meeting or summit of the peace process."""

    start: IsoDate
    end: IsoDate
    title: ShortText
    city: ShortText
    country: ShortText
    venue: ShortText | None = None
    track: Track
    participants: Annotated[list[ShortText], Field(min_length=1)]
    event_status: EventStatus
    outcome: Text
    revisions: tuple[Revision, ...] = ()

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        if self.event_status == "held":  # planned, postponed or cancelled meetings may lie after as_of
            yield "start", self.start
            yield "end", self.end
        for i, rev in enumerate(self.revisions):
            yield f"revisions.{i}.date", rev.date

    def issues(self) -> Iterator[Issue]:
        yield from super().issues()
        if self.end < self.start:
            yield ("end",), f"end {self.end} is before start {self.start}"
        for i, rev in enumerate(self.revisions):
            if i and rev.date < self.revisions[i - 1].date:
                yield ("revisions", i, "date"), "revisions must be listed oldest first"

    def cited(self) -> set[str]:
        return set(self.sources).union(*(rev.sources for rev in self.revisions))


class CalendarFile(Strict):
    meta: Meta
    records: Annotated[list[Event], Field(min_length=1)]


DATASET_MODELS: dict[str, type[Strict]] = {
    "sources": SourcesFile,
    "strikes": StrikesFile,
    "outages": OutagesFile,
    "znpp_power": PowerLossFile,
    "force_caps": ForceCapsFile,
    "force_levels": ForceLevelsFile,
    "diplomatic_calendar": CalendarFile,
}
"""Every dataset the site knows, by file stem. A file not listed here is an error."""
