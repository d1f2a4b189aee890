"""Generated pages and page blocks: sources, changes, the calendar listing, the next event.

All text from the data is escaped here; pages are Markdown files whose
bodies are HTML blocks, so MkDocs adds them to navigation and search.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from html import escape

from ..data.models.datasets import TRACK_NAMES
from .atom import FEED_PATH
from .changes import entries
from ..charts.base import day_label
from ..data import Data
from ..data.models.datasets import Event

TIER_LABELS = {"primary": "Primary source", "original": "Original report", "wire": "Wire copy",
               "republication": "Republication or aggregator"}
TIER_PLURALS = {"primary": ("primary source", "primary sources"), "original": ("original report", "original reports"),
                "wire": ("wire copy", "wire copies"), "republication": ("republication or aggregator",
                                                                      "republications or aggregators")}
UrlFor = Callable[[str], str]
"""Maps a site path ('calendar/#event-x') to a URL usable from the page being written."""
EVENT_STATUS_LABELS = {"held": "Held", "scheduled": "Scheduled", "postponed": "Postponed", "cancelled": "Cancelled"}


def _dates(event: Event) -> str:
    if event.start == event.end:
        return day_label(event.start)
    if event.start.year == event.end.year and event.start.month == event.end.month:
        return f"{event.start.day} to {day_label(event.end)}"
    return f"{day_label(event.start)} to {day_label(event.end)}"


TIER_INTROS = {
    "primary": "Pages of the body that produced the figure: a government, the IAEA, a ministry.",
    "original": "Reports by a newsroom or analyst, on its own site.",
    "wire": "A news agency's report (Reuters, AP, AFP ...) as republished by another site; the agency is named.",
    "republication": "Copies on other sites, aggregators and low-reliability outlets. A figure resting only on "
                     "these is flagged in the chart's data table.",
}



def sources_page(data: Data, usage: dict[str, list[tuple[str, str]]], as_of: str, url: UrlFor) -> str:
    """Markdown for the Sources page: every source once, grouped by tier, with where it is used."""
    datasets: dict[str, list[str]] = defaultdict(list)
    for name, ds in data.datasets.items():
        if name == "sources":
            continue
        for record in ds.records:
            for sid in sorted(record.cited()):
                if ds.meta.title not in datasets[sid]:
                    datasets[sid].append(ds.meta.title)
    groups = []
    counts = {tier: sum(1 for s in data.sources.values() if s.tier == tier) for tier in TIER_LABELS}
    for tier, label in TIER_LABELS.items():
        items = []
        members = sorted((s for s in data.sources.values() if s.tier == tier),
                         key=lambda s: (s.publisher.lower(), s.published, s.id))
        for s in members:
            charts = [f'<a href="{escape(url(path))}">{escape(title)}</a>' for title, path in usage.get(s.id, [])]
            used = "; ".join(charts) or ", ".join(escape(d) for d in datasets[s.id]) or "the text of the site"
            note = f' <span class="src-flag">{escape(s.reliability)}</span>' if s.reliability else ""
            who = escape(s.credit)
            items.append(
                f'<li id="src-{escape(s.id)}"><a href="{escape(str(s.url))}" rel="noopener">{who}</a>: '
                f'{escape(s.title)} <span class="src-meta">· <time datetime="{s.published.isoformat()}">'
                f"{escape(day_label(s.published))}</time> · used in: {used}</span>{note}</li>")
        if items:
            groups.append(f'<h2 id="tier-{tier}">{escape(TIER_PLURALS[tier][1].capitalize())} ({len(items)})</h2>\n'
                          f"<p>{escape(TIER_INTROS[tier])}</p>\n"
                          f'<ul class="source-list">\n{chr(10).join(items)}\n</ul>')
    jump = " · ".join(f'<a href="#tier-{t}">{escape(TIER_PLURALS[t][n != 1])}: {n}</a>'
                      for t, n in counts.items() if n)
    flagged = sum(1 for s in data.sources.values() if s.reliability)
    return f"""---
title: Sources
description: Every public page behind the site's figures, grouped by how close it is to whoever produced the figure.
search:
  exclude: true
---

# Sources

Every figure on this site rests on one or more of the {len(data.sources)} public pages below, grouped by
how close each is to whoever produced the figure. {flagged} carry a note on their reliability. Each chart's
source line links here, and each entry says where it is used. Data as of {escape(as_of)}.

<p class="tier-counts">{jump}</p>

{chr(10).join(groups)}
"""


def changes_page(data: Data, as_of: str, url: UrlFor) -> str:
    """Markdown for Changes & corrections: dataset changes and event revisions, newest first."""
    items = []
    for e in entries(data):
        subject = escape(e.subject)
        if e.event_id:
            subject = f'<a href="{escape(url(f"calendar/#event-{e.event_id}"))}">{subject}</a>'
        items.append(f'<li id="{e.anchor}"><time datetime="{e.date.isoformat()}">{escape(day_label(e.date))}</time> · '
                     f'<span class="change-kind">{escape(e.kind)}</span> · <strong>{subject}</strong>: '
                     f"{escape(e.text)}</li>")
    return f"""---
title: Changes & corrections
description: What changed in the data, and every correction, newest first.
---

# Changes & corrections

Every change to the data is listed here, newest first: additions, updates and corrections to the
datasets, and changes to the dates or status of meetings in the diplomatic calendar (which also update
subscribers' calendars). Data as of {escape(as_of)}.

<p class="feed-link"><a href="{escape(url(FEED_PATH))}" type="application/atom+xml">Follow updates and corrections
in a feed reader (Atom)</a></p>

<ul class="changes">
{chr(10).join(items)}
</ul>
"""


def _event_item(event: Event, data: Data) -> str:
    as_of = data["diplomatic_calendar"].meta.as_of
    sources = ", ".join(
        f'<a href="{escape(str(data.sources[sid].url))}" rel="noopener">{escape(data.sources[sid].publisher)}</a>'
        for sid in event.sources)
    place = ", ".join(escape(p) for p in (event.venue, event.city, event.country) if p)
    revisions = "".join(
        f'<p class="event-revision">Revised {escape(day_label(r.date))}: {escape(r.change)}</p>'
        for r in event.revisions)
    claimed = ' <span class="badge status-claimed">Claimed</span>' if event.status == "claimed" else ""
    if event.event_status == "scheduled" and event.end < as_of:
        claimed += ' <span class="badge status-unconfirmed">Announced; not reported held</span>'
    return f"""<li class="event track-{escape(event.track)}" id="event-{escape(event.id)}">
<p class="event-when"><time datetime="{event.start.isoformat()}">{escape(_dates(event))}</time> · {place}</p>
<p class="event-title"><a href="#event-{escape(event.id)}">{escape(event.title)}</a>
<span class="badge event-{escape(event.event_status)}">{EVENT_STATUS_LABELS[event.event_status]}</span>{claimed}
<span class="badge track">{escape(TRACK_NAMES[event.track])}</span></p>
<p class="event-outcome">{escape(event.outcome)}</p>{revisions}
<p class="event-who">Participants: {escape("; ".join(event.participants))}</p>
<p class="event-sources">Sources: {sources}</p>
</li>"""


def _by_month(events: list[Event], data: Data, prefix: str) -> str:
    months: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for e in events:
        months[(e.start.year, e.start.month)].append(e)
    parts = []
    for (year, month), items in months.items():
        label = dt.date(year, month, 1).strftime("%B %Y")
        parts.append(f'<h3 id="{prefix}-{year}-{month:02d}">{label}</h3>\n<ul class="events">\n'
                     + "\n".join(_event_item(e, data) for e in items) + "\n</ul>")
    return "\n".join(parts)


def subscribe_box(site_url: str, download_url: str) -> str:
    """How to get the calendar into one's own: a webcal:// link, a download, three one-line how-tos."""
    absolute = site_url.rstrip("/") + "/calendar.ics"
    webcal = "webcal://" + absolute.split("://", 1)[-1]
    return f"""<aside class="subscribe" aria-labelledby="subscribe-head">
<p class="next-event-head" id="subscribe-head">Follow the talks in your calendar</p>
<p><a href="{escape(webcal)}">Subscribe to the calendar feed</a> (webcal) or
<a href="{escape(download_url)}" download>download calendar.ics</a>. Events update when their dates or status change.</p>
<ul>
<li><strong>Google Calendar</strong>: Other calendars, then <em>From URL</em>, and paste <code>{escape(absolute)}</code>.</li>
<li><strong>Apple Calendar</strong>: File, then <em>New Calendar Subscription</em>, and paste the same address (or click the webcal link).</li>
<li><strong>Outlook</strong>: Add calendar, then <em>Subscribe from web</em>, and paste the same address.</li>
</ul>
</aside>"""


def calendar_listing(data: Data, feed_urls: dict[str, str]) -> str:
    """Upcoming and past events relative to the data's as_of date, by month, plus per-track lists."""
    ds = data["diplomatic_calendar"]
    as_of = ds.meta.as_of
    events = sorted(ds.records, key=lambda e: (e.start, e.id))
    upcoming = [e for e in events if e.end >= as_of and e.event_status in ("scheduled", "postponed")]
    # a past "scheduled" event was announced but never reported held: it stays in the past list, flagged
    past = [e for e in reversed(events) if e not in upcoming]
    up_html = _by_month(upcoming, data, "upcoming") if upcoming else (
        f"<p>No meeting is scheduled in our data as of {escape(day_label(as_of))}.</p>")
    tracks = []
    for track, name in TRACK_NAMES.items():
        items = [e for e in events if e.track == track]
        if not items:
            continue
        links = "".join(f'<li><a href="#event-{escape(e.id)}">{escape(_dates(e))}: {escape(e.title)}</a> '
                        f'({EVENT_STATUS_LABELS[e.event_status].lower()})</li>' for e in items)
        feed = feed_urls.get(track)
        sub = f' · <a href="{escape(feed)}">calendar feed for this track</a>' if feed else ""
        tracks.append(f"<details class=\"track-list\"><summary>{escape(name)} ({len(items)})</summary>"
                      f"<ul>{links}</ul><p>{sub.removeprefix(' · ')}</p></details>")
    counts = defaultdict(int)
    for e in events:
        counts[e.event_status] += 1
    tally = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    return f"""<div class="calendar-listing">
<p class="calendar-asof">{len(events)} events ({tally}). Upcoming and past are counted from the data's date,
{escape(day_label(as_of))}, not from today.</p>
<h2 id="upcoming">Upcoming</h2>
{up_html}
<h2 id="by-track">By track</h2>
{"".join(tracks)}
<h2 id="past">Past events</h2>
{_by_month(past, data, "past")}
</div>"""


def next_event(data: Data, calendar_url: str) -> str:
    """A box for the home page: the next scheduled event, or what is pending."""
    ds = data["diplomatic_calendar"]
    as_of = ds.meta.as_of
    events = sorted(ds.records, key=lambda e: (e.start, e.id))
    scheduled = [e for e in events if e.event_status == "scheduled" and e.end >= as_of]
    held = [e for e in events if e.event_status == "held"]
    pending = [e for e in events if e.event_status == "postponed"]
    if scheduled:
        e = scheduled[0]
        head = "Next scheduled"
        body = (f'<a href="{escape(calendar_url)}#event-{escape(e.id)}">{escape(e.title)}</a>, '
                f"{escape(_dates(e))}, {escape(e.city)}.")
    else:
        head = "Next scheduled"
        body = f"No meeting is scheduled in our data as of {escape(day_label(as_of))}."
        if pending:
            p = pending[-1]
            body += (f' Postponed: <a href="{escape(calendar_url)}#event-{escape(p.id)}">{escape(p.title)}</a>'
                     f" ({escape(_dates(p))}), no new date.")
    if held:
        last = held[-1]
        body += (f' Last held: <a href="{escape(calendar_url)}#event-{escape(last.id)}">{escape(last.title)}</a>, '
                 f"{escape(_dates(last))}.")
    return (f'<aside class="next-event" aria-label="{head}"><p class="next-event-head">{head}</p>'
            f"<p>{body}</p></aside>")


def cite_version(version: dict[str, str], site_url: str, as_of: dt.date) -> str:
    """How to cite this exact version of the site: plain text and BibTeX."""
    number = version.get("version", "unversioned")
    commit = version.get("commit", "")
    commit_text = f", commit {commit}" if commit else ""
    key = "ukraine_resilience_explainer_" + number.replace(".", "_").replace("-", "_")
    plain = (f"Ukraine resilience explainer, version {number}{commit_text}, data as of {day_label(as_of)}. "
             f"{site_url} (accessed [date]).")
    bibtex = "\n".join([
        f"@misc{{{key},",
        "  title = {Ukraine resilience explainer},",
        f"  note = {{Version {number}{commit_text}; data as of {day_label(as_of)}}},",
        f"  year = {{{as_of.year}}},",
        f"  url = {{{site_url}}},",
        "}",
    ])
    return (f'<div class="cite-version"><p><strong>Plain text</strong></p><pre><code>{escape(plain)}</code></pre>'
            f'<p><strong>BibTeX</strong></p><pre><code>{escape(bibtex)}</code></pre></div>')


PUBLISHER = "Ukraine resilience explainer"


def byline(as_of: str, about_url: str) -> str:
    """The publisher line under a headline: who publishes, and how current the data is."""
    return (f'<p class="byline"><a href="{escape(about_url)}">{PUBLISHER}</a> · '
            f'<span class="as-of">Data as of {escape(as_of)}</span></p>')


def corrections_contact(address: str) -> str:
    """How to reach the corrections desk: an email address (mailto) or a web address."""
    href = address if address.startswith(("https://", "mailto:")) else f"mailto:{address}"
    shown = address.removeprefix("mailto:")
    return (f'<p class="corrections-contact">Write to the corrections desk: <a href="{escape(href)}">'
            f"{escape(shown)}</a></p>")


def collection_gaps(data: Data) -> str:
    """Every period a dataset says it does not fully cover (meta.gaps), so the list cannot drift from the data."""
    items = [f"<li><strong>{escape(ds.meta.title)}</strong>, {escape(day_label(g.start))} to "
             f"{escape(day_label(g.end))}: {escape(g.reason)}</li>"
             for ds in data.datasets.values() for g in sorted(ds.meta.gaps, key=lambda g: g.start)]
    if not items:
        return '<p class="collection-gaps">No dataset reports a period it does not cover.</p>'
    return '<ul class="collection-gaps">\n' + "\n".join(items) + "\n</ul>"
