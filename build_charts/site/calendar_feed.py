"""The diplomatic calendar as iCalendar feeds (RFC 5545), written with `icalendar`.

Everything comes from the data, never the clock: DTSTAMP is the dataset's
as_of date, SEQUENCE counts the event's revisions, so subscribers' calendars
update when an event is moved or postponed and two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from icalendar import Event as VEvent

from ..data import Data
from ..data.models.datasets import TRACK_NAMES, Event

UID_DOMAIN = "ukraine-resilience-explainer"


def ics_status(event: Event, as_of: dt.date) -> str:
    """RFC 5545 STATUS, as documented on the methodology page.

    Cancelled, or postponed without a new date: CANCELLED. Claimed by one party or a
    low-reliability outlet, or announced but past its dates with no report it was held:
    TENTATIVE. Held, and scheduled in the future: CONFIRMED.
    """
    if event.event_status in ("cancelled", "postponed"):
        return "CANCELLED"
    if event.status == "claimed" or (event.event_status == "scheduled" and event.end < as_of):
        return "TENTATIVE"
    return "CONFIRMED"


def event_uid(event: Event) -> str:
    """Stable across builds: derived from the event id only."""
    return f"{event.id}@{UID_DOMAIN}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def feed(data: Data, site_url: str, page_path: str = "calendar/", track: str | None = None, *,
         product: str) -> bytes:
    """The calendar (or one track of it) as .ics bytes."""
    ds = data["diplomatic_calendar"]
    cal = Calendar()
    cal.add("prodid", f"-//{product}//Diplomatic calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = "Ukraine peace talks" + (f": {TRACK_NAMES[track]}" if track else "")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", f"{ds.meta.description} Data as of {ds.meta.as_of.isoformat()}.")
    stamp = _midnight(ds.meta.as_of)
    base = site_url.rstrip("/") + "/" + page_path
    for event in sorted(ds.records, key=lambda e: (e.start, e.id)):
        if track and event.track != track:
            continue
        ve = VEvent()
        ve.add("uid", event_uid(event))
        ve.add("dtstamp", stamp)
        ve.add("dtstart", event.start)
        ve.add("dtend", event.end + dt.timedelta(days=1))  # exclusive for all-day events (RFC 5545 3.6.1)
        ve.add("summary", event.title)
        ve.add("location", ", ".join(p for p in (event.venue, event.city, event.country) if p))
        urls = [str(data.sources[sid].url) for sid in sorted(event.cited())]
        lines = [event.outcome, f"Status: {event.event_status} ({event.status}).",
                 "Participants: " + "; ".join(event.participants) + "."]
        lines += [f"Revised {r.date.isoformat()}: {r.change}" for r in event.revisions]
        lines += ["Sources:", *urls]
        ve.add("description", "\n".join(lines))
        ve.add("url", f"{base}#event-{event.id}")
        ve.add("status", ics_status(event, ds.meta.as_of))
        ve.add("sequence", len(event.revisions))
        ve.add("categories", [TRACK_NAMES[event.track]])
        ve.add("transp", "TRANSPARENT")
        if event.revisions:
            ve.add("last-modified", _midnight(event.revisions[-1].date))
        cal.add_component(ve)
    return cal.to_ical()
