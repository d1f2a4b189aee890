"""One model per dataset file in `data/`; the file stem is the dataset id.

Each file is `meta` + a list of records. Field docstrings are the descriptions editors see in
completion and on the Methodology page; methods marked `@rule` are the checks that span fields
(downed <= launched, end >= start, ...), listed on that page from the same code.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AnyUrl, Field, StringConstraints, field_validator

from .common import (
    Count,
    CountVariant,
    Figure,
    IsoDate,
    Issue,
    Meta,
    Record,
    RecordId,
    ShortText,
    Strict,
    Text,
    Variant,
    end_before_start,
    high,
    low,
    rule,
    standing,
)
from .drafts import PeaceDraftsFile
from .monthly import MonthlyFile

SourceTier = Literal["primary", "original", "wire", "republication"]
TIER_RANK: dict[str, int] = {"primary": 1, "original": 2, "wire": 3, "republication": 4}
"""Lower is stronger. A value resting only on tier-4 pages is flagged to readers."""
STRONG_TIERS = frozenset({"primary", "original", "wire"})


def _honest_address(value: str) -> str:
    """Refuse addresses that show one site and open another, or that lead to a machine rather than a site.

    Why: `https://bbc.co.uk@evil.example/` opens evil.example; browsers read a backslash as a slash; an IP
    address, `localhost` or a one-word host is never a newsroom's public page.
    """
    if "\\" in value:
        raise ValueError("the address holds a backslash (\\), which browsers read as '/', so the link could open "
                         "another site than it shows: copy the address again from the browser's address bar")
    netloc = urlsplit(value).netloc
    if "@" in netloc:
        raise ValueError(f"the address has a user name before '@' ({netloc.split('@')[0]}@), so it opens "
                         f"{netloc.rsplit('@', 1)[1]}, not the site it seems to name: copy the page's address again "
                         "from the browser's address bar")
    host = (urlsplit(value).hostname or "").rstrip(".")
    if not host:
        return value  # AnyUrl says the host is missing, in its own words
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise ValueError(f"the address is a bare IP address ({host}), not a site's name: link to the page at the "
                         "publisher's own site")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".test", ".invalid")):
        raise ValueError(f"'{host}' is a name for a local or test machine, not a public site: link to the page "
                         "at the publisher's own site")
    if "." not in host:
        raise ValueError(f"'{host}' has no domain (such as .com or .org): copy the page's full address from the "
                         "browser's address bar")
    if len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
        raise ValueError("a part of the site's name between dots is longer than 63 characters, which no real site "
                         "has: copy the page's address again from the browser's address bar")
    return value


class Source(Strict):
    """One public page in the registry that records cite.

    `publisher` is the site the URL goes to; when that page is a copy of someone else's text,
    `original_publisher` names who wrote it, so link text can say "AP, as republished by X".
    """

    id: RecordId
    """Unique id that records cite: publisher and date, lower-case with hyphens (e.g. ap-2025-12-06)."""
    publisher: ShortText
    """The site the URL goes to (link text names it)."""
    original_publisher: ShortText | None = None
    """Who wrote the text when the page is a copy (a wire story or republication), e.g. AP."""
    title: Text
    """The page's headline or title."""
    url: AnyUrl
    """The page's full https:// address."""
    published: IsoDate | None
    """The day the page was published; null when the page shows no date (never guessed)."""
    accessed: IsoDate
    """The day an editor last read the page."""
    tier: SourceTier
    """primary (the body that produced the figure), original (a newsroom's own report), wire (an agency's text
    as republished) or republication (a copy or aggregator)."""
    reliability: Text | None = None
    """A note for readers on an outlet with a known slant or record (e.g. state-controlled)."""
    text_only: bool = False
    """Cited only by the narrative pages ({{ cite:ID }}), not by a record; the build checks a page cites it."""

    @field_validator("url", mode="before")
    @classmethod
    def _https_only(cls, value: object) -> object:
        if value is None or value == "":
            raise ValueError("the page's address is missing: write it in full, starting with https://")
        if not isinstance(value, str):
            raise ValueError(f"write the page's full address as text, starting with https:// (got {value!r})")
        if value.lower().startswith("http://"):
            raise ValueError("write https:// instead of http:// (only secure links are allowed)")
        if value.startswith("//") or (":" not in value and "." in value):
            raise ValueError("add https:// at the start of the address")
        if ":" not in value:
            raise ValueError(f"write the page's full address, starting with https:// (got {value!r})")
        if not value.lower().startswith("https://"):
            scheme = value.split(":", 1)[0]
            raise ValueError(f"a source link must be a web page address starting with https://; "
                             f"'{scheme}:' links are not allowed")
        return _honest_address(value)

    @property
    def host(self) -> str:
        """The site the link goes to, without `www.`: shown beside the publisher so readers see where it leads."""
        return (self.url.host or "").removeprefix("www.")

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        if self.published is not None:
            yield "published", self.published
        yield "accessed", self.accessed

    @rule("A wire copy names original_publisher (the agency whose text it is); primary and original pages do not.")
    def _original_publisher(self) -> Iterator[Issue]:
        if self.tier == "wire" and not self.original_publisher:
            yield ("tier",), ("a wire copy needs original_publisher: add the agency whose text it is "
                              "(e.g. original_publisher: AP)")
        if self.tier in ("primary", "original") and self.original_publisher:
            article = "an" if self.tier == "original" else "a"
            yield ("original_publisher",), (f"{article} {self.tier} page is its publisher's own text: remove "
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
    """What the registry is and the day it is current to."""
    sources: Annotated[list[Source], Field(min_length=1)]
    """Every source page that records cite, one entry per page."""


class Strike(Record):
    """A mass combined strike, dated by its night; `energy_focus` says whether energy was the main target."""

    date: IsoDate
    """The morning date of the night of the strike (Kyiv time)."""
    night: ShortText | None = None
    """The night as sources name it (e.g. "night of 9-10 October")."""
    energy_focus: Literal["primary", "partial", "none"]
    """Whether energy was the main target: primary, partial (one target among several) or none."""
    drones_launched: Count | None = None
    """Drones launched, one entry per source's figure."""
    missiles_launched: Count | None = None
    """Missiles launched (all kinds), one entry per source's figure."""
    cruise_missiles: Count | None = None
    """Cruise missiles among those launched, where a source splits them."""
    ballistic_missiles: Count | None = None
    """Ballistic missiles among those launched, where a source splits them."""
    drones_downed: Count | None = None
    """Drones the air force reported shot down, or all it reported downed when it gave one total."""
    drones_lost: Count | None = None
    """Drones reported lost to electronic warfare (jammed, "locationally lost"), not included in drones_downed."""
    missiles_downed: Count | None = None
    """Missiles the air force reported shot down."""
    missiles_lost: Count | None = None
    """Missiles reported lost to electronic warfare, not included in missiles_downed."""
    sources_conflict: Text | None = None
    """Why the sources' figures cannot be read together (e.g. one source's downed count exceeds another's launches)."""
    regions: tuple[ShortText, ...] = ()
    """Regions where damage was reported, e.g. [Kyiv, Lviv]."""
    consequences: Text
    """What the strike did, in one or two sentences: outages, damage, casualties."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date

    @rule("A strike gives drones_launched or missiles_launched (or both).")
    def _has_launches(self) -> Iterator[Issue]:
        if self.drones_launched is None and self.missiles_launched is None:
            yield ("drones_launched",), ("a strike needs a launch figure: add drones_launched or "
                                         "missiles_launched (or both)")

    @rule("Drones (and missiles) downed plus lost to electronic warfare are at most the number launched by the "
          "same account, unless sources_conflict explains why the sources cannot be read together.")
    def _downed_within_launched(self) -> Iterator[Issue]:
        for kind in ("drones", "missiles"):
            total, launched = stopped_and_launched(self, kind)
            if total is not None and launched is not None and total > launched and self.sources_conflict is None:
                yield (f"{kind}_downed",), (
                    f"{total:,g} {kind} downed or lost is more than the {launched:,g} launched by the same account; "
                    "check the figures, or explain in sources_conflict why the sources cannot be read together")

    @rule("cruise_missiles plus ballistic_missiles are at most missiles_launched.")
    def _split_within_launched(self) -> Iterator[Issue]:
        cruise, ballistic, launched = (high(self.cruise_missiles), high(self.ballistic_missiles),
                                       high(self.missiles_launched))
        if cruise is not None and ballistic is not None and launched is not None and cruise + ballistic > launched:
            yield ("cruise_missiles",), (
                f"{cruise:,g} cruise plus {ballistic:,g} ballistic missiles make {cruise + ballistic:,g}, more than "
                f"the {launched:,g} in missiles_launched: check the three figures")


def _launch_for(variant: Variant, launched: list[CountVariant]) -> float | None:
    """The launch count of the account a downed figure belongs to (the same producer, `by`), or None.

    From the same source if one gives both, else that producer's lowest.

    Why: 17 November 2024 divided the air force's downed count by President Zelensky's launch count.
    """
    mine = set(variant.sources or ())
    same_producer = [(v.value, v) for v in standing(launched) if v.value is not None and v.by == variant.by]
    same_source = [value for value, v in same_producer if set(v.sources or ()) & mine]
    if same_source:
        return max(same_source)
    return min((value for value, _ in same_producer), default=None)


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
    if len({v.by for v in values}) > 1:
        return None, None  # downed and lost given by different producers: not one account
    base = [b for b in (_launch_for(v, launched) for v in values) if b is not None]
    if not base:
        return None, None
    return sum(v.value for v in values), min(base)


class StrikesFile(Strict):
    """`data/strikes.yaml`: Russia's mass combined strikes."""

    meta: Meta
    """What the dataset is, its unit and the day it is current to."""
    records: Annotated[list[Strike], Field(min_length=1)]
    """One entry per strike."""


OutageUnit = Literal["people", "customers", "households", "consumers", "subscribers", "properties", "buildings",
                     "settlements"]


class Outage(Record):
    """People or customers left without power after a strike, as reported."""

    date: IsoDate
    """The day of the outage as reported."""
    strike: RecordId | None = None
    """The id of the strike in strikes.yaml that caused it, when known."""
    region: ShortText
    """Where the power was cut (a region, a city, or "Nationwide")."""
    unit: OutageUnit
    """What the source counts: people, customers, households, consumers, subscribers, properties, buildings or
    settlements."""
    affected: Count
    """How many were left without power, in the unit above, one entry per source's figure."""
    part_of: RecordId | None = None
    """The id of the outage whose figure includes this one (a city within a national total); charts draw the
    total, and list its parts in the table."""
    note: Text | None = None
    """Anything readers need to read the figure (e.g. "at the peak")."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date

    @rule("part_of names another outage, not this one.")
    def _part_of(self) -> Iterator[Issue]:
        if self.part_of == self.id:
            yield ("part_of",), "part_of names this outage itself: give the id of the total it is part of"


class OutagesFile(Strict):
    """`data/outages.yaml`: power outages after strikes."""

    meta: Meta
    """What the dataset is, its unit and the day it is current to."""
    records: Annotated[list[Outage], Field(min_length=1)]
    """One entry per reported outage figure."""


class PowerLoss(Record):
    """A loss of off-site power (or of all but one line) at the Zaporizhzhia plant."""

    start: IsoDate
    """The day the loss began."""
    end: IsoDate | None = None
    """The day power was restored, when known (on or after start)."""
    kind: Literal["full", "single-line", "disconnection"]
    """full (all off-site power lost), single-line (one line left) or disconnection (cut off from Ukraine's grid)."""
    iaea_ordinal: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None
    """The IAEA's count for a full loss ("the tenth loss of off-site power"); only for kind: full."""
    duration_hours: Figure | None = None
    """How long the loss lasted, in hours, one entry per source's figure."""
    description: Text
    """What happened, in one or two sentences."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "start", self.start
        if self.end is not None:
            yield "end", self.end

    @rule("A loss of off-site power ends on or after the day it starts.")
    def _end_after_start(self) -> Iterator[Issue]:
        if self.end is not None and self.end < self.start:
            yield ("end",), end_before_start(self.start, self.end)

    @rule("Only full losses of off-site power carry an iaea_ordinal.")
    def _ordinal_only_for_full(self) -> Iterator[Issue]:
        if self.iaea_ordinal is not None and self.kind != "full":
            yield ("iaea_ordinal",), ("only full losses of off-site power carry an IAEA ordinal: remove "
                                      "iaea_ordinal, or set kind: full")


class PowerLossFile(Strict):
    """`data/znpp_power.yaml`: losses of off-site power at the Zaporizhzhia plant."""

    meta: Meta
    """What the dataset is, its unit and the day it is current to."""
    records: Annotated[list[PowerLoss], Field(min_length=1)]
    """One entry per episode."""


ChartLabel = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=40)]


class ForceCap(Record):
    """A ceiling on Ukraine's armed forces proposed in a draft or declaration."""

    date: IsoDate
    """The day the draft or declaration was published or reported."""
    proposer: ShortText
    """Who proposed the ceiling (e.g. "United States")."""
    party: ChartLabel | None = None
    """Who proposed it, as charts group drafts ("Russia", "US and Ukraine"); defaults to the proposer."""
    document: Text
    """The draft or declaration it comes from."""
    label: ChartLabel | None = None
    """Short name on charts, e.g. 'US 28-point plan'; defaults to the proposer."""
    ceiling: Count
    """The proposed ceiling on personnel, one entry per source's figure."""
    scope: Text
    """What the ceiling covers (the army only, all armed forces, ...)."""
    draft_status: Literal["proposed", "superseded"]
    """proposed (still on the table) or superseded (replaced by a later draft)."""
    superseded_by: RecordId | None = None
    """The id of the later draft that replaced this one (only when draft_status is superseded)."""
    note: Text | None = None
    """Anything readers need to read the figure."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date

    @rule("superseded_by names another draft, and only when draft_status is superseded.")
    def _superseded(self) -> Iterator[Issue]:
        if self.superseded_by == self.id:
            yield ("superseded_by",), ("superseded_by names this draft itself: give the id of the later draft "
                                       "that replaced it")
        elif self.superseded_by is not None and self.draft_status != "superseded":
            yield ("superseded_by",), ("superseded_by is set, so draft_status must be superseded: set "
                                       "draft_status: superseded, or remove superseded_by")


class ForceCapsFile(Strict):
    """`data/force_caps.yaml`: proposed ceilings on Ukraine's armed forces."""

    meta: Meta
    """What the dataset is, its unit and the day it is current to."""
    records: Annotated[list[ForceCap], Field(min_length=1)]
    """One entry per proposed ceiling."""


Measure = Literal["legal_ceiling", "prewar_active", "wartime_strength", "authorised_strength", "deployed_in_ukraine"]


class ForceLevel(Record):
    """A reference size of Ukraine's or Russia's forces, with what it counts."""

    date: IsoDate
    """The day the figure was stated (the first of the month when a source gives only the month)."""
    country: Literal["Ukraine", "Russia"]
    """Whose forces: Ukraine or Russia."""
    measure: Measure
    """Which size it is: legal_ceiling, prewar_active, wartime_strength, authorised_strength or
    deployed_in_ukraine."""
    value: Count
    """The number of personnel, one entry per source's figure."""
    definition: Text
    """What the figure counts (armed forces only or the whole defence sector, active or total)."""
    stated_by: ShortText
    """Who gives the figure."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        yield "date", self.date


class ForceLevelsFile(Strict):
    """`data/force_levels.yaml`: reference sizes of Ukraine's and Russia's forces."""

    meta: Meta
    """What the dataset is, its unit and the day it is current to."""
    records: Annotated[list[ForceLevel], Field(min_length=1)]
    """One entry per reference size."""


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
    """The day the change was announced."""
    change: Text
    """What changed (e.g. "postponed to 12 March")."""
    sources: Annotated[list[RecordId], Field(min_length=1)]
    """Ids of the sources (from sources.yaml) reporting the change."""


class Event(Record):
    """A talk, meeting or summit of the peace process."""

    start: IsoDate
    """First day of the meeting."""
    end: IsoDate
    """Last day of the meeting (the same as start for a one-day meeting)."""
    title: ShortText
    """A short title readers see (e.g. "Zelensky and Erdogan meet in Ankara")."""
    city: ShortText
    """Where it takes place."""
    country: ShortText
    """The country of the city."""
    venue: ShortText | None = None
    """The building or site, when reported."""
    track: Track
    """Which negotiating track: us-ukraine, us-russia, trilateral, european or multilateral."""
    participants: Annotated[list[ShortText], Field(min_length=1)]
    """Who took part, with their office, e.g. [Volodymyr Zelensky (President of Ukraine)]."""
    event_status: EventStatus
    """held, scheduled, postponed or cancelled; only held meetings must lie on or before as_of."""
    outcome: Text
    """What came of it, as reported (or what is planned)."""
    revisions: tuple[Revision, ...] = ()
    """Changes of date or status, oldest first; each updates calendar subscribers."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        if self.event_status == "held":  # planned, postponed or cancelled meetings may lie after as_of
            yield "start", self.start
            yield "end", self.end
        for i, rev in enumerate(self.revisions):
            yield f"revisions.{i}.date", rev.date

    @rule("A meeting ends on or after the day it starts.")
    def _end_after_start(self) -> Iterator[Issue]:
        if self.end < self.start:
            yield ("end",), end_before_start(self.start, self.end)

    @rule("Revisions are listed oldest first.")
    def _revisions_in_order(self) -> Iterator[Issue]:
        for i, rev in enumerate(self.revisions):
            if i and rev.date < self.revisions[i - 1].date:
                yield ("revisions", i, "date"), (f"this revision ({rev.date}) is dated before the one above it "
                                                 f"({self.revisions[i - 1].date}): list revisions oldest first")

    def cited(self) -> set[str]:
        return set(self.sources).union(*(rev.sources for rev in self.revisions))


class CalendarFile(Strict):
    """`data/diplomatic_calendar.yaml`: talks, meetings and summits of the peace process."""

    meta: Meta
    """What the dataset is, its unit and the day it is current to."""
    records: Annotated[list[Event], Field(min_length=1)]
    """One entry per meeting."""


DatasetFile = (SourcesFile | StrikesFile | OutagesFile | PowerLossFile | ForceCapsFile | ForceLevelsFile | CalendarFile
               | PeaceDraftsFile | MonthlyFile)
"""What a data file validates to: the registry's `sources`, or another file's `records`, each with its `meta`."""

DATASET_MODELS: dict[str, type[DatasetFile]] = {
    "sources": SourcesFile,
    "strikes": StrikesFile,
    "outages": OutagesFile,
    "znpp_power": PowerLossFile,
    "force_caps": ForceCapsFile,
    "force_levels": ForceLevelsFile,
    "diplomatic_calendar": CalendarFile,
    "peace_drafts": PeaceDraftsFile,
    "monthly": MonthlyFile,
}
"""Every dataset the site knows, by file stem. A file not listed here is an error."""
