"""Generated pages and page blocks: Sources, Changes, the calendar listing, the next event, small blocks.

Each is a template of `templates/` filled with the data (autoescaped). The generated pages are Markdown
files with front matter, a heading and one HTML block, so MkDocs adds them to navigation and search; they
are never passed through the reference expander (data text is not a template).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypedDict

import yaml

from ..charts.base import day_label, day_range
from ..data import Data
from ..data.models.datasets import TRACK_NAMES, Event, Source
from .atom import FEED_PATH
from .changes import entries
from .templates import block, render

TIER_LABELS = {"primary": "Primary source", "original": "Original report", "wire": "Wire copy",
               "republication": "Republication or aggregator"}
TIER_PLURALS = {"primary": ("primary source", "primary sources"), "original": ("original report", "original reports"),
                "wire": ("wire copy", "wire copies"), "republication": ("republication or aggregator",
                                                                      "republications or aggregators")}
TIER_INTROS = {
    "primary": "Pages of the body that produced the figure: a government, the IAEA, a ministry.",
    "original": "Reports by a newsroom or analyst, on its own site.",
    "wire": "A news agency's report (Reuters, AP, AFP ...) as republished by another site; the agency is named.",
    "republication": "Copies on other sites, aggregators and low-reliability outlets. A figure resting only on "
                     "these is flagged in the chart's data table.",
}
UrlFor = Callable[[str], str]
"""Maps a site path ('calendar/#event-x') to a URL usable from the page being written."""
EVENT_STATUS_LABELS = {"held": "Held", "scheduled": "Scheduled", "postponed": "Postponed", "cancelled": "Cancelled"}


def generated_page(meta: dict[str, Any], heading: str, html: str) -> str:
    """A generated page: front matter (safely dumped), its heading, and one HTML block.

    Why out of the search index: Sources and Changes are long lists every page would download with the
    index before a reader types anything (the pages' weight budget); the stories and Methodology stay in it.
    """
    head = yaml.safe_dump({**meta, "search": {"exclude": True}}, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}---\n\n# {heading}\n\n{html}\n"


def event_dates(event: Event) -> str:
    """A meeting's dates in house style: "4-6 December 2025"."""
    return day_range(event.start, event.end)


class _TierGroup(TypedDict):
    """One tier's section of the Sources page."""

    tier: str
    sources: list[Source]


def sources_page(data: Data, usage: dict[str, list[tuple[str, str]]], as_of: str, url: UrlFor) -> str:
    """The Sources page: every source once, grouped by tier, with where it is used."""
    datasets: dict[str, list[str]] = defaultdict(list)
    for name, ds in data.datasets.items():
        if name == "sources":
            continue
        for record in ds.records:
            for sid in sorted(record.cited()):
                if ds.meta.title not in datasets[sid]:
                    datasets[sid].append(ds.meta.title)
    groups: list[_TierGroup] = [
        {"tier": tier, "sources": sorted((s for s in data.sources.values() if s.tier == tier),
                                         key=lambda s: (s.publisher.lower(), s.published or dt.date.min, s.id))}
        for tier in TIER_LABELS]
    html = render("sources.html", total=len(data.sources), flagged=sum(1 for s in data.sources.values()
                                                                        if s.reliability),
                  as_of=as_of, counts=[(g["tier"], len(g["sources"])) for g in groups],
                  groups=[g for g in groups if g["sources"]], plurals=TIER_PLURALS, intros=TIER_INTROS,
                  usage=usage, datasets=datasets, url=url)
    meta = {"title": "Sources", "description": "Every public page behind the site's figures, grouped by how close "
            "it is to whoever produced the figure.", "search": {"exclude": True}}
    return generated_page(meta, "Sources", html)


def changes_page(data: Data, as_of: str, url: UrlFor, first_published: dt.date | None = None) -> str:
    """Changes & corrections: the first publication, then dataset changes and event revisions, newest first."""
    html = render("changes.html", entries=entries(data, first_published), as_of=as_of, url=url,
                  feed_path=FEED_PATH)
    meta = {"title": "Changes & corrections", "description": "What changed in the data, and every correction, "
            "newest first."}
    return generated_page(meta, "Changes & corrections", html)


def _months(events: list[Event]) -> list[tuple[tuple[int, int, str], list[Event]]]:
    months: dict[tuple[int, int, str], list[Event]] = defaultdict(list)
    for e in events:
        months[(e.start.year, e.start.month, dt.date(e.start.year, e.start.month, 1).strftime("%B %Y"))].append(e)
    return list(months.items())


def calendar_listing(data: Data, site_url: str, url: UrlFor) -> str:
    """How to subscribe, then upcoming and past events relative to the data's as_of date, and lists per track."""
    ds = data["diplomatic_calendar"]
    as_of = ds.meta.as_of
    events = sorted(ds.records, key=lambda e: (e.start, e.id))
    upcoming = [e for e in events if e.end >= as_of and e.event_status in ("scheduled", "postponed")]
    # a past "scheduled" event was announced but never reported held: it stays in the past list, flagged
    past = [e for e in reversed(events) if e not in upcoming]
    tracks = [(track, name, [e for e in events if e.track == track]) for track, name in TRACK_NAMES.items()]
    counts: dict[str, int] = defaultdict(int)
    for e in events:
        counts[e.event_status] += 1
    absolute = site_url.rstrip("/") + "/calendar.ics"
    return render("calendar.html", events=events, upcoming=_months(upcoming), past=_months(past),
                  tracks=[t for t in tracks if t[2]], feeds={t: url(f"calendar-{t}.ics") for t in TRACK_NAMES},
                  tally=", ".join(f"{n} {s}" for s, n in sorted(counts.items())), as_of=as_of,
                  sources=data.sources, dates=event_dates, status_labels=EVENT_STATUS_LABELS,
                  track_names=TRACK_NAMES, absolute=absolute, webcal="webcal://" + absolute.split("://", 1)[-1],
                  download_url=url("calendar.ics"))


def next_event(data: Data, calendar_url: str) -> str:
    """A box for the home page: the next scheduled event, or what is pending, and the last one held."""
    ds = data["diplomatic_calendar"]
    as_of = ds.meta.as_of
    events = sorted(ds.records, key=lambda e: (e.start, e.id))
    scheduled = [e for e in events if e.event_status == "scheduled" and e.end >= as_of]
    held = [e for e in events if e.event_status == "held"]
    pending = [e for e in events if e.event_status == "postponed"]
    head = "Next scheduled" if scheduled else "On the calendar"
    return render("next_event.html", head=head, scheduled=scheduled[0] if scheduled else None,
                  pending=pending[-1] if pending else None, last=held[-1] if held else None,
                  calendar_url=calendar_url, as_of=as_of, dates=event_dates)


def cite_version(publication: str, version: dict[str, str], site_url: str, as_of: dt.date) -> str:
    """How to cite this exact version of the site: plain text and BibTeX."""
    number = version.get("version", "unversioned")
    commit = version.get("commit", "")
    commit_text = f", commit {commit}" if commit else ""
    key = publication.lower().replace(" ", "_") + "_" + number.replace(".", "_").replace("-", "_")
    plain = (f"{publication}, version {number}{commit_text}, data as of {day_label(as_of)}. "
             f"{site_url} (accessed [date]).")
    bibtex = "\n".join([
        f"@misc{{{key},",
        f"  title = {{{publication}}},",
        f"  note = {{Version {number}{commit_text}; data as of {day_label(as_of)}}},",
        f"  year = {{{as_of.year}}},",
        f"  url = {{{site_url}}},",
        "}",
    ])
    return block("cite_version", plain, bibtex)


def byline(publisher: str, as_of: str, about_url: str) -> str:
    """The publisher line under a headline: who publishes, and how current the data is."""
    return block("byline", publisher, about_url, as_of)


def corrections_contact(address: str) -> str:
    """How to reach the corrections desk: an email address (mailto) or a web address."""
    return block("corrections", _href(address), address.removeprefix("mailto:"))


def _href(address: str) -> str:
    return address if address.startswith(("https://", "mailto:")) else f"mailto:{address}"


def masthead(publisher: str, editors: tuple[str, ...], contact: str) -> str:
    """Who publishes the site, its editors and how to reach them, from mkdocs.yml `extra.masthead`."""
    return block("masthead", publisher, editors, _href(contact), contact.removeprefix("mailto:"))


def collection_gaps(data: Data) -> str:
    """Every period a dataset says it does not fully cover (meta.gaps), so the list cannot drift from the data."""
    return block("gaps", [(ds.meta.title, g) for ds in data.datasets.values()
                          for g in sorted(ds.meta.gaps, key=lambda g: g.start)])
