"""What every chart declares, and the table that feeds both the chart and its downloads.

A chart is built from its Table, so the CSV/JSON a reader downloads holds
exactly the rows drawn. Dates are ISO strings (parsed as UTC by Vega-Lite) plus
a preformatted label, so no reader's time zone can shift a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt

from ..data import Data
from .theme import Palette

Width = Literal["wide", "narrow"]
WIDTHS: dict[str, int] = {"wide": 680, "narrow": 300}
"""Plot widths in px: wide fits Material's content column; narrow a 360 px phone."""


@dataclass(frozen=True)
class Column:
    """A column of a chart's data table: key in the rows, label for readers."""

    key: str
    label: str
    kind: Literal["text", "number", "date"] = "text"
    show: bool = True
    """Shown in the page's HTML table; helper columns (ranges, ids) live only in CSV/JSON."""


@dataclass(frozen=True)
class Table:
    """Rows behind one chart; also its CSV, JSON and HTML table."""

    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]

    def publishers(self, data: Data) -> list[tuple[str, str]]:
        """(publisher, first source id) by how many rows cite them, most-cited first: for source lines."""
        counts: dict[str, int] = {}
        first: dict[str, str] = {}
        for row in self.rows:
            for sid in str(row.get("sources", "")).split("; "):
                if sid:
                    publisher = data.sources[sid].publisher.split(" (")[0]
                    counts[publisher] = counts.get(publisher, 0) + 1
                    first.setdefault(publisher, sid)
        return [(pub, first[pub]) for pub in sorted(counts, key=lambda pub: (-counts[pub], pub))]

    def source_ids(self) -> list[str]:
        """Every source id cited by the rows, in first-seen order."""
        seen: dict[str, None] = {}
        for row in self.rows:
            for sid in str(row.get("sources", "")).split("; "):
                if sid:
                    seen.setdefault(sid, None)
        return list(seen)


@dataclass(frozen=True)
class ChartDef:
    """One chart: metadata readers see, plus its table and chart builders."""

    id: str
    title: str
    subtitle: str
    alt: str
    description: str
    notes: tuple[str, ...]
    datasets: tuple[str, ...]
    table: Callable[[Data], Table]
    chart: Callable[[Table, Data, Palette, Width], alt.TopLevelMixin]
    annotate: tuple[str, ...] = ()
    """Record ids the chart annotates (documented, and checked to exist)."""


CAPTION_PUBLISHERS = 6
"""Publishers named in a source line; the rest are counted ("and 12 more") and listed on Sources."""


def csv_cell(value: Any) -> str:
    """A value as CSV text: whole floats without '.0', blank for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def day_label(day: dt.date) -> str:
    """House style date: 6 December 2025."""
    return f"{day.day} {day:%B %Y}"


def joined(ids: Iterable[str]) -> str:
    """Source ids as one cell: 'a; b'."""
    return "; ".join(dict.fromkeys(ids))


def utc_x(field: str, title: str | None, width: Width, domain: list[str] | None = None) -> alt.X:
    """A UTC time axis (a reader in New York still sees 6 December as 6 December)."""
    fmt = "%b %Y" if width == "wide" else "%Y"
    scale = alt.Scale(type="utc", domain=domain) if domain else alt.Scale(type="utc")
    return alt.X(f"{field}:T", title=title, scale=scale,
                 axis=alt.Axis(format=fmt, labelOverlap=True, tickCount=8 if width == "wide" else 4))
