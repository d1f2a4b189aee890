"""`data/peace_drafts.yaml`: peace drafts and what each says on a fixed list of topics.

A draft is a record (who proposed it, when, how its text is known, where it stands now); its terms are
one entry per topic of `TOPICS`, every topic present, so a draft that says nothing on a topic says so
(`silent`) and a draft whose wording on a topic is unknown says that (`not_public`): no cell is ever
left blank or filled from inference. Drafts of one negotiating sequence name the draft they answer
(`follows`), and each of their terms says whether it changed from that draft, with the change in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field

from .common import (
    Figure,
    IsoDate,
    Issue,
    Meta,
    Record,
    RecordId,
    ShortText,
    Status,
    Strict,
    Text,
    rule,
)

TOPICS: dict[str, str] = {
    "territory": "Which land each side holds or gives up, recognition of Russian control, withdrawals, buffer zones.",
    "army_ceiling": "A limit on the size of Ukraine's armed forces (the figure agrees with force_caps.yaml).",
    "nato": "Ukraine's NATO membership or neutrality, and NATO's enlargement.",
    "foreign_troops": "Foreign troops, bases or military infrastructure in Ukraine.",
    "security_guarantees": "Guarantees of Ukraine's security against a new attack: who gives them, what they "
                           "commit to, for how long.",
    "znpp": "The Zaporizhzhia nuclear power plant: who runs it and who receives its electricity.",
    "frozen_assets": "Frozen Russian assets, reparations, compensation and the funding of Ukraine's reconstruction.",
    "sanctions": "Sanctions on Russia (lifting, easing, reinstating) and Russia's return to the G8.",
    "elections": "Elections and referendums, and when they are held.",
    "amnesty": "Amnesty for acts committed in the war, and waivers of claims for them.",
    "eu_membership": "Ukraine's membership of the European Union and access to its market.",
    "language_church": "The Russian language, minority rights, churches and religious freedom.",
}
"""The fixed list of topics every draft is read against, in the order pages list them, with what each covers."""
TOPIC_NAMES: dict[str, str] = {
    "territory": "Territory", "army_ceiling": "Army ceiling", "nato": "NATO", "foreign_troops": "Foreign troops",
    "security_guarantees": "Security guarantees", "znpp": "Zaporizhzhia nuclear power plant",
    "frozen_assets": "Frozen assets and reconstruction", "sanctions": "Sanctions", "elections": "Elections",
    "amnesty": "Amnesty", "eu_membership": "EU membership", "language_church": "Language and church",
}
"""Readers' names of the topics (row headers)."""
Topic = Literal["territory", "army_ceiling", "nato", "foreign_troops", "security_guarantees", "znpp",
                "frozen_assets", "sanctions", "elections", "amnesty", "eu_membership", "language_church"]
TermStatus = Literal["proposed", "claimed", "reported", "estimate", "silent", "not_public"]
UNSTATED = frozenset({"silent", "not_public"})
DraftStatus = Literal["under discussion", "superseded", "rejected", "abandoned", "adopted"]
KnownFrom = Literal["published", "leaked", "reported"]
Change = Literal["changed", "unchanged", "unknown"]


class Account(Strict):
    """Another source's account of what the same draft says on a topic, where sources disagree."""

    position: Text
    """What this source says the draft says, in one neutral, attributed sentence."""
    status: Status
    """How firm this account is: proposed (the draft's text), claimed (one party's or outlet's claim), reported."""
    sources: Annotated[list[RecordId], Field(min_length=1)]
    """Ids (from sources.yaml) of the sources giving this account."""


class Term(Strict):
    """What one draft says on one topic: a position with its sources, or an explicit `silent` / `not_public`."""

    topic: Topic
    """Which topic (one of TOPICS): territory, army_ceiling, nato, foreign_troops, security_guarantees, znpp,
    frozen_assets, sanctions, elections, amnesty, eu_membership or language_church."""
    status: TermStatus
    """proposed (the draft's own wording), claimed (one party's or outlet's account), reported (an official's
    statement about the draft), silent (the text is known and says nothing on the topic) or not_public (the
    wording on the topic is not known)."""
    position: Text | None = None
    """The position in one short neutral sentence that names who proposed it ("The US draft proposed ..."); for
    silent, what the known text covers instead; optional for not_public."""
    number: Figure | None = None
    """The figure the term sets, when it has one, one entry per source's figure (an army ceiling in personnel,
    a deadline in days); the army ceiling must equal the draft's force_caps.yaml records."""
    unit: ShortText | None = None
    """What the number counts (personnel, days, US dollars); required with a number."""
    other_accounts: tuple[Account, ...] = ()
    """Other sources' versions of what the draft says on this topic, where they disagree with `position`."""
    versus_previous: Change | None = None
    """For a draft that follows another: changed, unchanged, or unknown (either text not public) compared with
    the same topic of the draft it follows."""
    what_changed: Text | None = None
    """The change from the previous draft in words, shown in the table (required when versus_previous is changed)."""
    sources: tuple[RecordId, ...] = ()
    """Ids (from sources.yaml) of the sources for the position; for silent, the sources listing the text's points."""

    @rule("A term with a position or a silence cites at least one source; not_public terms need none.")
    def _sourced(self) -> Iterator[Issue]:
        if self.status != "not_public" and not self.sources:
            yield ("sources",), (f"a {self.status} term needs sources: add `sources: [...]` with the pages it rests "
                                 "on, or set status: not_public if the wording is not known")
        if self.status != "not_public" and self.position is None:
            yield ("position",), (f"a {self.status} term needs a position: say in one sentence what the draft says"
                                  + (" (or what its known text covers instead)" if self.status == "silent" else ""))

    @rule("silent and not_public terms carry no number and no other accounts.")
    def _unstated_is_empty(self) -> Iterator[Issue]:
        if self.status in UNSTATED and self.number is not None:
            yield ("number",), (f"a {self.status} term has no figure: remove number, or set the status the "
                                "figure's source supports (proposed, claimed or reported)")
        if self.status in UNSTATED and self.other_accounts:
            yield ("other_accounts",), (f"a {self.status} term has no accounts to compare: remove other_accounts, "
                                        "or give the term the status of its first account")

    @rule("A term with a number says what it counts (unit).")
    def _unit(self) -> Iterator[Issue]:
        if self.number is not None and self.unit is None:
            yield ("number",), "this number needs a unit: add `unit:` (e.g. personnel, days, US dollars)"

    @rule("what_changed is given exactly when versus_previous is changed.")
    def _what_changed(self) -> Iterator[Issue]:
        if self.versus_previous == "changed" and self.what_changed is None:
            yield ("versus_previous",), ("say what changed: add `what_changed:` with the change in words (readers "
                                         "see it in the table)")
        if self.what_changed is not None and self.versus_previous != "changed":
            yield ("what_changed",), ("what_changed is set, so versus_previous must be changed: set "
                                      "versus_previous: changed, or remove what_changed")

    def cited(self) -> set[str]:
        """Every source id the term cites (its own, its accounts' and its figure's)."""
        return set(self.sources).union(*(a.sources for a in self.other_accounts),
                                       *((v.sources or ()) for v in self.number or ()))


class Draft(Record):
    """A peace draft, counter-proposal or declaration, and what it says on each topic."""

    status: Status = "proposed"
    """What kind of record it is: proposed (a draft's terms), the default."""
    title: ShortText
    """The draft's name as readers see it (e.g. "US 28-point plan")."""
    proposer: ShortText
    """Who proposed it (e.g. "United States"; "Russia and Ukraine" for a joint working draft)."""
    date: IsoDate
    """The day the draft was handed over, published or first reported."""
    known_from: KnownFrom
    """How its text is known: published (by its authors), leaked (a copy made public by others) or reported
    (only described by people who saw it)."""
    known_via: Text
    """Who published, leaked or reported it, in one sentence (e.g. "Reuters saw the text and published it")."""
    draft_status: DraftStatus
    """Where it stands as of as_of: under discussion, superseded (replaced by a later draft), rejected,
    abandoned (talks stopped) or adopted (signed as a declaration)."""
    follows: RecordId | None = None
    """The id of the draft this one answers in the same sequence (the E3 reply follows the US 28 points); the
    table marks what changed from it."""
    meeting: RecordId | None = None
    """The id of the meeting in diplomatic_calendar.yaml where the draft surfaced, when the calendar has one."""
    force_caps: tuple[RecordId, ...] = ()
    """Ids of the force_caps.yaml records for this draft's army ceiling; the term's figure must equal theirs."""
    flag: Text | None = None
    """A note for readers when the draft rests only on republications or aggregators (required then)."""
    terms: Annotated[list[Term], Field(min_length=1)]
    """One entry per topic, every topic of TOPICS once, in any order."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        """The draft's date, for the 'no date after as_of' rule."""
        yield "date", self.date

    def cited(self) -> set[str]:
        """Every source id the draft and its terms cite."""
        return set(self.sources).union(*(t.cited() for t in self.terms))

    def nested_sources(self) -> Iterator[tuple[tuple[str | int, ...], list[str]]]:
        """(path, ids) of every source list inside the terms, for the registry check."""
        for i, term in enumerate(self.terms):
            yield ("terms", i, "sources"), list(term.sources)
            for k, account in enumerate(term.other_accounts):
                yield ("terms", i, "other_accounts", k, "sources"), list(account.sources)
            for k, variant in enumerate(term.number or ()):
                yield ("terms", i, "number", k, "sources"), list(variant.sources or ())

    def term_values(self) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        """(field, label, sources) of each sourced term, so the tier report lists terms resting only on copies."""
        for term in self.terms:
            if term.sources:
                yield f"terms.{term.topic}", term.status, tuple(term.sources)

    def term(self, topic: str) -> Term | None:
        """The draft's term on `topic`."""
        return next((t for t in self.terms if t.topic == topic), None)

    def ref_item(self, name: str) -> Term:
        """`{{ terms.DRAFT.TOPIC.position }}`: the term on a topic (refs.py reads a draft's topics as fields)."""
        found = self.term(name)
        if found is None:
            raise KeyError(name)
        return found

    @rule("Every topic appears exactly once among a draft's terms (silent or not_public where the text says nothing "
          "or is unknown).")
    def _every_topic_once(self) -> Iterator[Issue]:
        seen: dict[str, int] = {}
        for i, term in enumerate(self.terms):
            if term.topic in seen:
                yield ("terms", i, "topic"), (f"topic '{term.topic}' is already given in term {seen[term.topic] + 1} "
                                              "of this draft: merge the two, or correct the topic")
            seen.setdefault(term.topic, i)
        missing = [t for t in TOPICS if t not in seen]
        if missing:
            yield ("terms",), (f"this draft has no term on {', '.join(missing)}: add one per topic, with status: "
                               "silent if the text says nothing on it or status: not_public if its wording is not "
                               "known")

    @rule("A draft that follows another says, for every term, whether it changed (versus_previous); other drafts "
          "do not.")
    def _versus_previous(self) -> Iterator[Issue]:
        if self.follows == self.id:
            yield ("follows",), "follows names this draft itself: give the id of the draft it answers"
            return
        for i, term in enumerate(self.terms):
            if self.follows is not None and term.versus_previous is None:
                yield ("terms", i, "topic"), (f"this draft follows '{self.follows}', so each term says whether it "
                                              "changed: add `versus_previous:` changed, unchanged or unknown")
            elif self.follows is None and term.versus_previous is not None:
                yield ("terms", i, "versus_previous"), ("this draft follows no other draft: remove versus_previous, "
                                                        "or add `follows:` with the id of the draft it answers")

    @rule("An army ceiling with a number names the force_caps.yaml records of the same draft.")
    def _army_ceiling_linked(self) -> Iterator[Issue]:
        ceiling = self.term("army_ceiling")
        if ceiling is not None and ceiling.number is not None and not self.force_caps:
            index = self.terms.index(ceiling)
            yield ("terms", index, "number"), ("an army ceiling's figure lives in force_caps.yaml: add "
                                               "`force_caps: [...]` to the draft with the ids of its records there")


class PeaceDraftsFile(Strict):
    """`data/peace_drafts.yaml`: peace drafts and their terms, topic by topic."""

    meta: Meta
    """What the dataset is and the day it is current to."""
    records: Annotated[list[Draft], Field(min_length=1)]
    """One entry per draft, with its terms."""

