"""Who a chart credits: the bodies that produced its figures first, then the reports that carried them.

Why: a credit line of carriers ("Kyiv Independent, Devdiscourse, MENAFN ...") hid that the figures are the
air force's or the IAEA's. Producers come from the data (`meta.producer`, a figure's `by`); reports are the
publishers the rows cite, with agency copy credited to the agency (AP, not the paper that reprinted it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..data import Data
from ..data.models.common import producer_of
from .base import CAPTION_PUBLISHERS, ChartDef, Table


@dataclass(frozen=True)
class Credits:
    """A chart's source line: producers, then the reports named (most-cited first) and how many more."""

    producers: list[str]
    shown: list[tuple[str, str]]
    """(publisher, id of its first source) for the reports the line names."""
    more: int

    def text(self) -> str:
        """The line as plain text: "Ukraine's air force, via AP, Reuters and 40 more reports"."""
        reports = ", ".join(name for name, _ in self.shown)
        if self.more:
            reports += f" and {self.more} more reports"
        if not self.producers:
            return reports
        who = join_names(self.producers)
        return f"{who}, via {reports}" if reports else who


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _key(name: str) -> str:
    return name.lower().removeprefix("the ").strip()


def record_ids(table: Table) -> set[str]:
    """Ids of the records behind the rows: a row's `id`, and for a row that sums several, its `records`."""
    ids = {str(row["id"]) for row in table.rows if row.get("id") is not None}
    for row in table.rows:
        ids.update(str(i) for i in row.get("records") or ())
    return ids


def bodies(producer: str) -> list[str]:
    """One producer per body: a joint draft "by the US and Ukraine" credits the US and Ukraine."""
    return [part.strip() for part in producer.split(" and ") if part.strip()]


def producers(defn: ChartDef, data: Data, table: Table) -> list[str]:
    """Producers of the figures behind the chart's rows, most figures first (rows with an `id` narrow it)."""
    ids = record_ids(table)
    counts: Counter[str] = Counter()
    for name in defn.datasets:
        ds = data[name]
        for record in ds.records:
            if ids and str(getattr(record, "id", "")) not in ids:
                continue
            variants = [v for name, figure in record.figures() if not defn.figures or name in defn.figures
                        for v in figure if v.value is not None]
            for who in (producer_of(v, ds.meta) for v in variants):
                counts.update(bodies(who or ""))
            if not variants and ds.meta.producer:
                counts.update(bodies(ds.meta.producer))
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def reports(data: Data, table: Table, skip: set[str]) -> list[tuple[str, str]]:
    """(publisher, first source id) of the reports the rows cite, most-cited first; wire copy is the agency's."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for row in table.rows:
        for sid in str(row.get("sources", "")).split("; "):
            if not sid or sid not in data.sources:
                continue
            source = data.sources[sid]
            name = (source.original_publisher or source.publisher).split(" (")[0]
            if _key(name) in skip:
                continue
            counts[name] += 1
            first.setdefault(name, sid)
    return [(name, first[name]) for name in sorted(counts, key=lambda n: (-counts[n], n))]


def chart_credits(defn: ChartDef, data: Data, table: Table) -> Credits:
    """The source line of one chart, the same on the page, in the embed and in the downloaded image."""
    who = producers(defn, data, table)
    ranked = reports(data, table, {_key(n) for n in who})
    return Credits(who, ranked[:CAPTION_PUBLISHERS], max(0, len(ranked) - CAPTION_PUBLISHERS))
