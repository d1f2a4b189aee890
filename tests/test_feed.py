"""The Atom feed of updates and corrections, read by a real feed parser, and linked from every page."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from build_charts.site.changes import entries

PAGES = ["index.html", "energy/index.html", "force-caps/index.html", "peace-drafts/index.html", "calendar/index.html",
         "methodology/index.html", "sources/index.html", "changes/index.html", "about/index.html"]


@pytest.fixture(scope="module")
def parsed(built_site):
    return feedparser.parse((built_site / "feed.xml").read_bytes())


def test_the_feed_parses_cleanly_as_atom(parsed):
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title and parsed.feed.updated


def test_every_change_is_an_entry_linking_to_its_place_on_the_changes_page(parsed, built_site, data):
    changes = BeautifulSoup((built_site / "changes/index.html").read_text(encoding="utf-8"), "html.parser")
    from publish.build import settings_for

    expected = entries(data, settings_for(Path(__file__).resolve().parents[1]).first_published)
    assert len(parsed.entries) == len(expected) > 0
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == len(ids), "entry ids are unique"
    for entry, change in zip(parsed.entries, expected, strict=True):
        anchor = entry.link.split("#", 1)[1]
        assert anchor == change.anchor and changes.find(id=anchor) is not None
        assert entry.summary == change.text
        assert entry.updated.startswith(change.date.isoformat())


def test_the_feed_is_dated_by_the_data_not_the_build(parsed, data):
    newest = max((e.date for e in entries(data)), default=data.as_of)
    assert parsed.feed.updated.startswith(newest.isoformat())


@pytest.mark.parametrize("page", PAGES)
def test_every_page_announces_the_feed(built_site: Path, page):
    doc = BeautifulSoup((built_site / page).read_text(encoding="utf-8"), "html.parser")
    link = doc.find("link", rel="alternate", type="application/atom+xml")
    assert link is not None
    target = (built_site / page).parent / link["href"]
    assert target.resolve() == (built_site / "feed.xml").resolve()
