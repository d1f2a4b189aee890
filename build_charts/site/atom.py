"""An Atom feed (RFC 4287) of updates and corrections, so readers and newsrooms can follow them.

Built from the same change list as the Changes & corrections page; deterministic (no clock:
`updated` is the newest change's date), so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from ..data import Data
from .changes import entries

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(data: Data, site_url: str, *, title: str, author: str, changes_path: str = "changes/",
              first_published: dt.date | None = None) -> bytes:
    """The feed as UTF-8 XML; entry links point at each change's anchor on the Changes page."""
    base = site_url.rstrip("/") + "/"
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    items = entries(data, first_published)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    sub(feed, "id", base + FEED_PATH)
    sub(feed, "title", f"{title}: updates and corrections")
    sub(feed, "subtitle", "New data, updates and corrections to the datasets and charts, newest first.")
    sub(feed, "updated", _stamp(items[0].date if items else data.as_of))
    sub(feed, "link", href=base + FEED_PATH, rel="self", type="application/atom+xml")
    sub(feed, "link", href=base + changes_path, rel="alternate", type="text/html")
    author_node = sub(feed, "author")
    sub(author_node, "name", author)
    sub(feed, "rights", "Text and charts CC BY 4.0. Data from the cited sources.")
    for entry in items:
        node = sub(feed, "entry")
        link = base + changes_path + "#" + entry.anchor
        sub(node, "id", link)
        sub(node, "title", f"{entry.kind}: {entry.subject}")
        sub(node, "updated", _stamp(entry.date))
        sub(node, "link", href=link, rel="alternate", type="text/html")
        sub(node, "category", term=entry.kind.lower())
        sub(node, "summary", entry.text)
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"
