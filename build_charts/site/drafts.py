"""The peace-drafts comparison: topics by drafts as real HTML tables, and the page's headline as a checked claim.

Why a claim: the headline ("The 20-point framework changed 4 of the 12 topics ...") is a finding about the data,
like a chart title; `check_headline` fails the build when an edit makes it false, with the numbers that no
longer match. The table is a template filled with the data (autoescaped): data text never becomes markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..charts.base import Finding, title_numbers
from ..charts.spec import ChartError
from ..data import Data
from ..data.models.datasets import STRONG_TIERS
from ..data.models.drafts import TOPIC_NAMES, TOPICS, Draft
from .templates import render

DATASET = "peace_drafts"
HEADLINE = "The 20-point framework changed 4 of the 12 topics from the post-Geneva revision"
"""The page's headline: a claim about the data, checked on every build (`check_headline`)."""
STATUS_LABELS = {"proposed": "Proposed", "claimed": "Claimed", "reported": "Reported", "estimate": "Estimate",
                 "silent": "Silent", "not_public": "Not public"}
KNOWN_LABELS = {"published": "Published text", "leaked": "Leaked text", "reported": "Reported, text not published"}
DRAFT_STATUS_LABELS = {"under discussion": "Under discussion", "superseded": "Superseded", "rejected": "Rejected",
                       "abandoned": "Abandoned", "adopted": "Adopted"}
UrlFor = Callable[[str], str]
Row = dict[str, Any]
"""One cell of the comparison as the claim reads it: draft, title, follows, topic, status, versus_previous."""


def sequence(drafts: Sequence[Any]) -> list[Any]:
    """The drafts of the negotiating sequence in order (each follows the one before), longest chain first found.

    Works on anything with `id` and `follows`: the draft records, or the rows of a claim table.
    """
    by_id = {d.id: d for d in drafts}
    followed = {d.follows for d in drafts if getattr(d, "follows", None)}
    chains = []
    for last in (d for d in drafts if d.id not in followed and getattr(d, "follows", None)):
        chain, seen = [last], {last.id}
        while chain[0].follows in by_id and chain[0].follows not in seen:
            chain.insert(0, by_id[chain[0].follows])
            seen.add(chain[0].id)
        chains.append(chain)
    return max(chains, key=len) if chains else []


@dataclass(frozen=True)
class _Node:
    id: str
    title: str
    follows: str | None


def rows(data: Data) -> list[Row]:
    """The comparison as flat rows, one per draft and topic (the table the headline's claim is checked on)."""
    return [{"draft": d.id, "title": d.title, "follows": d.follows, "date": d.date.isoformat(), "topic": t.topic,
             "status": t.status, "versus_previous": t.versus_previous}
            for d in data[DATASET].records for t in d.terms]


def summary(table: Sequence[Row]) -> tuple[str, str, int, int, int]:
    """(latest draft, the draft it follows, topics changed, topics unknown, topics) of the sequence's last step."""
    nodes = {r["draft"]: _Node(r["draft"], r["title"], r["follows"]) for r in table}
    chain = sequence(list(nodes.values()))
    if len(chain) < 2:
        return "", "", 0, 0, len({r["topic"] for r in table})
    latest, previous = chain[-1], chain[-2]
    mine = [r for r in table if r["draft"] == latest.id]
    changed = sum(1 for r in mine if r["versus_previous"] == "changed")
    unknown = sum(1 for r in mine if r["versus_previous"] == "unknown")
    return latest.title, previous.title, changed, unknown, len({r["topic"] for r in mine})


def claim(table: Sequence[Row]) -> Finding:
    """What HEADLINE asserts, checked on the comparison's rows.

    The sequence ends with the 20-point framework after the post-Geneva revision, and 4 of its 12 topics are
    marked changed from it.
    """
    latest, previous, changed, unknown, total = summary(table)
    holds = (latest == "20-point framework" and previous.lower() == "post-geneva revision" and changed == 4
             and total == 12)
    return Finding(
        claim="the latest draft of the sequence is the 20-point framework, it follows the post-Geneva revision, and "
              "4 of its 12 topics are marked changed from it",
        holds=holds,
        numbers=f"the latest draft is {latest or 'missing'}, after {previous or 'no draft'}, with {changed} of "
                f"{total} topics marked changed ({unknown} unknown)")


def check_headline(table: Sequence[Row], headline: str = HEADLINE) -> None:
    """Fail when the headline's claim does not hold for the data, or the headline states a number the claim omits."""
    finding = claim(table)
    missing = sorted(title_numbers(headline) - title_numbers(finding.claim), key=lambda n: (len(n), n))
    if missing:
        raise ChartError(f"peace-drafts page: the headline states {', '.join(missing)} but its claim does not check "
                         f"it (claim: {finding.claim})")
    if not finding.holds:
        raise ChartError(f"peace-drafts page: the headline \"{headline}\" is no longer true: it claims "
                         f"{finding.claim}, but {finding.numbers}. Edit the headline and its claim "
                         "(build_charts/site/drafts.py), or the data.")


def _weak(data: Data, sources: Sequence[str]) -> bool:
    return bool(sources) and not any(data.sources[s].tier in STRONG_TIERS for s in sources if s in data.sources)


def _cell(data: Data, draft: Draft, topic: str, previous: Draft | None) -> dict[str, Any]:
    term = draft.term(topic)
    assert term is not None  # the model requires every topic
    return {"term": term, "label": STATUS_LABELS[term.status], "previous": previous,
            "sources": [data.sources[s] for s in term.sources if s in data.sources],
            "accounts": [(a, [data.sources[s] for s in a.sources if s in data.sources]) for a in term.other_accounts],
            "weak": _weak(data, term.sources)}


def _group(data: Data, drafts: list[Draft], caption: str, key: str) -> dict[str, Any]:
    by_id = {d.id: d for d in data[DATASET].records}
    return {"key": key, "caption": caption, "drafts": drafts,
            "rows": [{"topic": topic, "name": TOPIC_NAMES[topic], "about": TOPICS[topic],
                      "cells": [_cell(data, d, topic, by_id.get(d.follows or "")) for d in drafts]}
                     for topic in TOPICS]}


def tables(data: Data, url: UrlFor, as_of: str) -> str:
    """The comparison block: the headline, the sequence's table, then the other drafts' table."""
    ds = data[DATASET]
    drafts = sorted(ds.records, key=lambda d: (d.date, d.id))
    chain = sequence(drafts)
    rest = [d for d in drafts if d not in chain]
    groups = []
    if chain:
        groups.append(_group(data, chain, "The 2025 sequence: " + ", then ".join(d.title for d in chain)
                             + ". Each cell says what changed from the draft before it.", "sequence"))
    if rest:
        groups.append(_group(data, rest, "Other drafts and declarations: " + "; ".join(d.title for d in rest) + ".",
                             "other"))
    meetings = {e.id: e for e in data["diplomatic_calendar"].records} if "diplomatic_calendar" in data.datasets else {}
    return render("peace_drafts.html", headline=HEADLINE, groups=groups, meetings=meetings, url=url, as_of=as_of,
                  known_labels=KNOWN_LABELS, draft_status_labels=DRAFT_STATUS_LABELS,
                  weak_draft={d.id: _weak(data, d.sources) for d in drafts}, topics=len(TOPICS))
