"""The iCalendar feed: parsed back with `icalendar` and compared field by field with the (frozen fixture) data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from build_charts.site import calendar_feed
from build_charts.site.calendar_feed import event_uid, ics_status
from build_charts.site.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def feed(data, site_url: str, **kwargs) -> bytes:
    return calendar_feed.feed(data, site_url, product=Settings.load(ROOT).site_name, **kwargs)


@pytest.fixture(scope="module")
def data(fixture_data):
    """The frozen fixture: the site under test is built from it, and its events do not change."""
    return fixture_data


@pytest.fixture(scope="module")
def parsed(data):
    raw = feed(data, "https://example.org/site/")
    return raw, Calendar.from_ical(raw)


def test_feed_is_rfc5545_with_one_vevent_per_event(parsed, data):
    raw, cal = parsed
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = cal.walk("VEVENT")
    assert len(events) == len(data["diplomatic_calendar"].records)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"


def test_every_vevent_matches_its_record(parsed, data):
    _, cal = parsed
    records = {event_uid(e): e for e in data["diplomatic_calendar"].records}
    as_of = data["diplomatic_calendar"].meta.as_of
    seen = set()
    for ve in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "STATUS", "SEQUENCE", "URL", "DESCRIPTION"):
            assert prop in ve, f"{ve.get('UID')}: no {prop}"
        rec = records[str(ve["UID"])]
        seen.add(rec.id)
        assert ve.decoded("DTSTART") == rec.start and isinstance(ve.decoded("DTSTART"), dt.date)
        assert ve.decoded("DTEND") == rec.end + dt.timedelta(days=1), "all-day DTEND is exclusive"
        assert str(ve["SUMMARY"]) == rec.title
        assert rec.city in str(ve["LOCATION"])
        assert str(ve["STATUS"]) == ics_status(rec, as_of)
        assert int(ve["SEQUENCE"]) == len(rec.revisions)
        assert ve.decoded("DTSTAMP") == dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
        assert str(ve["URL"]).endswith(f"calendar/#event-{rec.id}")
        description = str(ve["DESCRIPTION"])
        assert rec.outcome in description
        for sid in rec.sources:
            assert str(data.sources[sid].url) in description
    assert seen == {e.id for e in data["diplomatic_calendar"].records}


def test_uids_unique_and_stable(parsed, data):
    _, cal = parsed
    uids = [str(ve["UID"]) for ve in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert uids == [str(ve["UID"]) for ve in Calendar.from_ical(feed(data, "https://example.org/site/")).walk("VEVENT")]
    assert all(u.endswith("@ukraine-resilience-explainer") for u in uids)


def test_feed_is_byte_identical_across_builds(data):
    assert feed(data, "https://x/") == feed(data, "https://x/")


def test_postponed_event_is_cancelled_and_revised_event_has_sequence(parsed, data):
    _, cal = parsed
    by_uid = {str(ve["UID"]): ve for ve in cal.walk("VEVENT")}
    postponed = [e for e in data["diplomatic_calendar"].records if e.event_status == "postponed"]
    assert postponed, "the data has a postponed event (the 4th trilateral round)"
    for e in postponed:
        assert str(by_uid[event_uid(e)]["STATUS"]) == "CANCELLED"
    revised = [e for e in data["diplomatic_calendar"].records if e.revisions]
    assert revised and all(int(by_uid[event_uid(e)]["SEQUENCE"]) > 0 for e in revised)


def test_status_mapping_rules(data):
    from build_charts.data.models.datasets import Event

    as_of = dt.date(2026, 3, 8)
    base = dict(id="x", start="2026-02-01", end="2026-02-01", title="t", city="c", country="k",
                track="trilateral", participants=["p"], outcome="o", sources=["s"])
    make = lambda **kw: Event.model_validate({**base, **kw})  # noqa: E731
    assert ics_status(make(event_status="held", status="reported"), as_of) == "CONFIRMED"
    assert ics_status(make(event_status="scheduled", status="reported", start="2026-04-01", end="2026-04-01"),
                      as_of) == "CONFIRMED"
    assert ics_status(make(event_status="held", status="claimed"), as_of) == "TENTATIVE"
    assert ics_status(make(event_status="scheduled", status="reported"), as_of) == "TENTATIVE"
    assert ics_status(make(event_status="postponed", status="reported"), as_of) == "CANCELLED"
    assert ics_status(make(event_status="cancelled", status="reported"), as_of) == "CANCELLED"


def test_site_serves_the_feeds_and_the_page_offers_them(built_site):
    """The real site (live data): the feeds it serves are the feeds of its data."""
    from bs4 import BeautifulSoup

    from build_charts import load_data

    data = load_data(Path(__file__).resolve().parents[1] / "data")
    assert (built_site / "calendar.ics").read_bytes() == feed(data, Settings.load(ROOT).site_url)
    tracks = {e.track for e in data["diplomatic_calendar"].records}
    for track in tracks:
        assert Calendar.from_ical((built_site / f"calendar-{track}.ics").read_bytes()).walk("VEVENT")
    doc = BeautifulSoup((built_site / "calendar" / "index.html").read_text(), "html.parser")
    hrefs = [a["href"] for a in doc.find_all("a", href=True)]
    assert any(h.startswith("webcal://") and h.endswith("calendar.ics") for h in hrefs)
    assert any(h.endswith("calendar.ics") and not h.startswith("webcal") for h in hrefs)
    for e in data["diplomatic_calendar"].records:
        assert doc.select_one(f"#event-{e.id}"), f"no anchor for {e.id}"
