"""Cross-file checks of `peace_drafts.yaml`: one source of truth for the army ceiling, links, the sequence, tiers.

Why here and not in the model: each check reads another file (force_caps.yaml, the calendar, the source
registry) or another draft of the same file. Registered with `checks.check`, so the Methodology page lists
them from the code that runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .checks import Datasets, _at, check
from .errors import Problem
from .messages import near_ids, one_of
from .models.common import Variant, standing
from .models.datasets import STRONG_TIERS
from .models.drafts import UNSTATED, Term

DRAFTS = "peace_drafts"


def _numbers(figure: Sequence[Variant] | None) -> list[float]:
    return sorted({v.value for v in standing(figure) if v.value is not None})


def _shown(values: list[float]) -> str:
    return " or ".join(f"{v:,.0f}" for v in values) or "no figure"


def _hint(ref: str, known: set[str]) -> str:
    guesses = near_ids(ref, known)
    return f"; did you mean {one_of(guesses)}?" if guesses else ": correct the id, or remove the line"


@check("A draft's force_caps, meeting and follows name records of force_caps.yaml, diplomatic_calendar.yaml and "
       "peace_drafts.yaml; a draft follows an earlier draft, and no two drafts follow the same one.")
def _draft_references(datasets: Datasets) -> Iterator[Problem]:
    ds = datasets.get(DRAFTS)
    if ds is None:
        return
    caps = {r.id for r in datasets["force_caps"].records} if "force_caps" in datasets else None
    meetings = {r.id for r in datasets["diplomatic_calendar"].records} if "diplomatic_calendar" in datasets else None
    drafts = {r.id: r for r in ds.records}
    followed: dict[str, int] = {}
    for i, draft in enumerate(ds.records):
        for k, cap in enumerate(draft.force_caps):
            if caps is not None and cap not in caps:
                yield _at(ds, ("records", i, "force_caps", k), "force_caps",
                          f"no record in force_caps.yaml has the id '{cap}'{_hint(cap, caps)}")
        if draft.meeting is not None and meetings is not None and draft.meeting not in meetings:
            yield _at(ds, ("records", i, "meeting"), "meeting",
                      f"no meeting in diplomatic_calendar.yaml has the id '{draft.meeting}'"
                      f"{_hint(draft.meeting, meetings)}")
        if draft.follows is None or draft.follows == draft.id:
            continue
        previous = drafts.get(draft.follows)
        if previous is None:
            yield _at(ds, ("records", i, "follows"), "follows", f"no draft in peace_drafts.yaml has the id "
                      f"'{draft.follows}'{_hint(draft.follows, set(drafts) - {draft.id})}")
        elif previous.date > draft.date:
            yield _at(ds, ("records", i, "follows"), "follows",
                      f"this draft ({draft.date}) follows '{previous.id}', dated later ({previous.date}): a draft "
                      "answers an earlier one; correct follows or one of the dates")
        elif draft.follows in followed:
            line = ds.located.position(("records", followed[draft.follows], "follows"))[0]
            yield _at(ds, ("records", i, "follows"), "follows",
                      f"the draft at line {line} already follows '{draft.follows}': a sequence has one next draft; "
                      "correct one of the two")
        followed.setdefault(draft.follows, i)


@check("A draft's army ceiling equals the ceiling of its force_caps.yaml records (one source of truth).")
def _army_ceiling_agrees(datasets: Datasets) -> Iterator[Problem]:
    ds, caps_ds = datasets.get(DRAFTS), datasets.get("force_caps")
    if ds is None or caps_ds is None:
        return
    caps = {r.id: r for r in caps_ds.records}
    for i, draft in enumerate(ds.records):
        linked = [caps[c] for c in draft.force_caps if c in caps]
        if not linked:
            continue
        expected = sorted({v for cap in linked for v in _numbers(cap.ceiling)})
        term = draft.term("army_ceiling")
        if term is None:
            continue
        found = _numbers(term.number)
        if found != expected:
            index = draft.terms.index(term)
            path = ("records", i, "terms", index, "number", 0, "value") if term.number else ("records", i, "terms",
                                                                                             index, "topic")
            names = ", ".join(c.id for c in linked)
            yield _at(ds, path, "number",
                      f"the army ceiling here is {_shown(found)} but force_caps.yaml gives {_shown(expected)} for "
                      f"{names}: make the two agree (force_caps.yaml is where the ceiling is recorded)")


@check("A term of a draft that follows another is 'unknown' when either text on the topic is not public, and "
       "'changed' when its figure differs from the previous draft's.")
def _changes_consistent(datasets: Datasets) -> Iterator[Problem]:
    ds = datasets.get(DRAFTS)
    if ds is None:
        return
    drafts = {r.id: r for r in ds.records}
    for i, draft in enumerate(ds.records):
        previous = drafts.get(draft.follows or "")
        if previous is None or previous is draft:
            continue
        for k, term in enumerate(draft.terms):
            before = previous.term(term.topic)
            if before is None or term.versus_previous is None:
                continue
            hidden = "not_public" in (term.status, before.status)
            if hidden and term.versus_previous != "unknown":
                which = "this draft's" if term.status == "not_public" else f"'{previous.id}''s"
                yield _at(ds, ("records", i, "terms", k, "versus_previous"), "versus_previous",
                          f"{which} wording on {term.topic} is not public, so whether it changed is not known: set "
                          "versus_previous: unknown")
            elif (not hidden and term.versus_previous == "unchanged" and term.number and before.number
                  and _numbers(term.number) != _numbers(before.number)):
                yield _at(ds, ("records", i, "terms", k, "versus_previous"), "versus_previous",
                          f"the figure changed from {_shown(_numbers(before.number))} to "
                          f"{_shown(_numbers(term.number))}: set versus_previous: changed and say so in what_changed")


@check("Every draft cites a source of tier primary, original or wire, or carries a flag for readers.")
def _draft_tiers(datasets: Datasets) -> Iterator[Problem]:
    ds, registry = datasets.get(DRAFTS), datasets.get("sources")
    if ds is None or registry is None:
        return
    tiers = {s.id: s.tier for s in registry.records}
    for i, draft in enumerate(ds.records):
        cited = [s for s in draft.sources if s in tiers]
        if cited and not any(tiers[s] in STRONG_TIERS for s in cited) and draft.flag is None:
            yield _at(ds, ("records", i, "sources"), "sources",
                      "every source of this draft is a republication or aggregator: cite an original report, wire "
                      "copy or primary text, or add `flag:` with a note for readers on how weak the sourcing is")


def stated(term: Term) -> bool:
    """True for a term with a position from the text (not silent, not unknown)."""
    return term.status not in UNSTATED
