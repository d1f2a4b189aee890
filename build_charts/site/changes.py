"""Every change readers are told about, in one list: dataset changes and calendar revisions.

The Changes & corrections page and the Atom feed are two views of this list, so a correction an
editor records in `meta.changes` reaches both, with the same anchor and the same words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from ..data import Data


@dataclass(frozen=True)
class Entry:
    """One change: when, what kind, about what, and what happened (plain text)."""

    date: dt.date
    kind: str
    subject: str
    text: str
    event_id: str | None = None
    """The calendar event a revision belongs to (links go to its entry on the Calendar page)."""

    @property
    def anchor(self) -> str:
        """A stable id from the entry's content (not its position, which changes as entries are added)."""
        digest = hashlib.sha256(f"{self.date}|{self.kind}|{self.subject}|{self.text}".encode()).hexdigest()[:10]
        return f"change-{self.date.isoformat()}-{digest}"


FIRST = "First published"


def entries(data: Data, first_published: dt.date | None = None) -> list[Entry]:
    """All changes, newest first (ties in a stable order).

    With `first_published` (mkdocs.yml `extra.first_published`), the list starts with one "First published"
    entry on that day, and notes dated up to it are part of that first version, not changes readers were
    shown: editors' notes made before publication never read as a log of updates.
    """
    out = [Entry(change.date, change.kind.capitalize(), ds.meta.title, change.description)
           for ds in data.datasets.values() for change in ds.meta.changes]
    if "diplomatic_calendar" in data.datasets:
        out += [Entry(rev.date, "Calendar", event.title, rev.change, event.id)
                for event in data["diplomatic_calendar"].records for rev in event.revisions]
    if first_published is not None:
        out = [e for e in out if e.date > first_published]
        titles = sorted(ds.meta.title for name, ds in data.datasets.items() if name != "sources")
        out.append(Entry(first_published, FIRST, "The site",
                         f"First publication, with {len(titles)} datasets: " + "; ".join(titles) + "."))
    return sorted(out, key=lambda e: (e.date, e.kind != FIRST, e.kind, e.subject, e.text), reverse=True)
