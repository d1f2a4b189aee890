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


def sources_page(data: Data, usage: dict[str, list[tuple[str, str]]], as_of: str, url: UrlFor) -> str:
    """Markdown for the Sources page: every source, its reliability, and which charts use it."""
    by_dataset: dict[str, list[str]] = defaultdict(list)
    for name, ds in data.datasets.items():
        if name == "sources":
            continue
        for record in ds.records:
            for sid in sorted(record.cited()):
                if name not in by_dataset[sid]:
                    by_dataset[sid].append(name)
    rows = []
    for source in sorted(data.sources.values(), key=lambda s: (s.publisher.lower(), s.published, s.id)):
        charts = ", ".join(f'<a href="{escape(url(path))}">{escape(path.split("#chart-")[-1])}</a>'
                           for _title, path in usage.get(source.id, []))
        datasets = ", ".join(escape(d) for d in by_dataset[source.id])
        note = f'<br><span class="src-flag">{escape(source.reliability)}</span>' if source.reliability else ""
        rows.append(
            f'<tr id="src-{escape(source.id)}"><th scope="row">{escape(source.publisher)}</th>'
            f'<td><a href="{escape(str(source.url))}" rel="noopener">{escape(source.title)}</a>{note}</td>'
            f'<td><time datetime="{source.published.isoformat()}">{escape(day_label(source.published))}</time></td>'
            f'<td>{escape(TIER_LABELS[source.tier])}</td><td>{charts or "—"}</td><td>{datasets}</td></tr>')
    kinds = defaultdict(int)
    for s in data.sources.values():
        kinds[s.tier] += 1
    summary = ", ".join(f"{n} {TIER_PLURALS[k][n != 1]}" for k, n in sorted(kinds.items()))
    flagged = sum(1 for s in data.sources.values() if s.reliability)
    return f"""---
title: Sources
description: Every public page the site's data cites, with publisher, date, reliability notes and the charts that use it.
search:
  exclude: true
---

# Sources

This list is generated from the source registry (`data/sources.yaml`). It holds {len(data.sources)} pages
({summary}); {flagged} carry a reliability note, shown under the title. Data as of {escape(as_of)}.
Each chart's caption links here; the last two columns say where a source is used.

<div class="table-scroll" tabindex="0" role="region" aria-label="Sources">
<table class="sources-table">
<thead><tr><th scope="col">Publisher</th><th scope="col">Page</th><th scope="col">Published</th><th scope="col">Tier</th><th scope="col">Charts</th><th scope="col">Datasets</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</div>
"""


def changes_page(data: Data, as_of: str, url: UrlFor) -> str:
    """Markdown for Changes & corrections: dataset changes and event revisions, newest first."""
    entries: list[tuple[dt.date, str, str]] = []
    for ds in data.datasets.values():
        for change in ds.meta.changes:
            entries.append((change.date, change.kind.capitalize(),
                            f"<strong>{escape(ds.meta.title)}</strong>: {escape(change.description)}"))
    if "diplomatic_calendar" in data.datasets:
        for event in data["diplomatic_calendar"].records:
            for rev in event.revisions:
                link = f'<a href="{escape(url(f"calendar/#event-{event.id}"))}">{escape(event.title)}</a>'
                entries.append((rev.date, "Calendar", f"{link}: {escape(rev.change)}"))
    entries.sort(key=lambda e: (e[0], e[1], e[2]), reverse=True)
    items = "\n".join(
        f'<li><time datetime="{day.isoformat()}">{escape(day_label(day))}</time> · '
        f'<span class="change-kind">{escape(kind)}</span> · {text}</li>' for day, kind, text in entries)
    return f"""---
title: Changes & corrections
description: What changed in the data, and every correction, newest first.
---

# Changes & corrections

Every change to the data is listed here, newest first, generated from the data files: dataset changes
(additions, updates, corrections) and revisions of events in the diplomatic calendar (which also raise the
event's version in the calendar feed, so subscribers' calendars update). Data as of {escape(as_of)}.

<ul class="changes">
{items}
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
