"""Every event of the diplomatic calendar on a time axis by track."""

from __future__ import annotations

import datetime as dt

import altair as alt

from ..data import Data
from ..data.models.datasets import TRACK_NAMES
from .base import WIDTHS, ChartDef, Column, Table, Width, day_label, joined, utc_x
from .theme import Palette, status_channels

EVENT_SHAPES = {"held": "circle", "scheduled": "square", "postponed": "triangle-right", "cancelled": "cross"}


def table(data: Data) -> Table:
    """One row per event, with an exclusive end for drawing multi-day spans."""
    rows = []
    for e in sorted(data["diplomatic_calendar"].records, key=lambda x: (x.start, x.id)):
        rows.append({
            "id": e.id, "start": e.start.isoformat(), "end": e.end.isoformat(),
            "end_exclusive": (e.end + dt.timedelta(days=1)).isoformat(),
            "dates": day_label(e.start) if e.start == e.end else f"{day_label(e.start)} to {day_label(e.end)}",
            "title": e.title, "place": f"{e.city}, {e.country}", "track": e.track,
            "track_label": TRACK_NAMES[e.track], "event_status": e.event_status, "outcome": e.outcome,
            "status": e.status, "sources": joined(sorted(e.cited())),
        })
    columns = (
        Column("dates", "Dates"), Column("title", "Event"), Column("place", "Place"),
        Column("track_label", "Track"), Column("event_status", "Event status"), Column("outcome", "Outcome"),
        Column("status", "Status"), Column("sources", "Sources"), Column("id", "Event id", show=False),
        Column("start", "Start", "date", show=False), Column("end", "End", "date", show=False),
        Column("end_exclusive", "End (exclusive)", "date", show=False), Column("track", "Track id", show=False),
    )
    return Table(columns, tuple(rows))


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Rows by track; shape = held/scheduled/postponed/cancelled; the as_of date marked."""
    as_of = data["diplomatic_calendar"].meta.as_of
    rows = list(t.rows)
    first = min(dt.date.fromisoformat(r["start"]) for r in rows).replace(day=1)
    last = max(as_of, max(dt.date.fromisoformat(r["end"]) for r in rows)) + dt.timedelta(days=6)
    x = utc_x("start", "Date", width, [first.isoformat(), last.isoformat()])
    x.axis = alt.Axis(format="%b %Y" if width == "wide" else "%b", tickCount="month",
                      labelOverlap=True)
    tracks = [name for key, name in TRACK_NAMES.items() if any(r["track"] == key for r in rows)]
    y = alt.Y("track_label:N", sort=tracks, title=None, axis=alt.Axis(labelLimit=230 if width == "wide" else 95))
    colour = alt.Color("track_label:N", scale=alt.Scale(domain=tracks, range=list(p.series)), legend=None)
    base = alt.Chart(alt.Data(values=rows))
    tooltip = [alt.Tooltip("dates:N", title="Dates"), alt.Tooltip("title:N", title="Event"),
               alt.Tooltip("place:N", title="Place"), alt.Tooltip("event_status:N", title="Status")]
    spans = base.transform_filter("datum.end > datum.start").mark_bar(height=6, opacity=0.5).encode(
        x=x, x2="end_exclusive:T", y=y, color=colour)
    dots = base.mark_point(size=110, filled=False, strokeWidth=2).encode(
        x=x, y=y, color=colour, fill=colour, **status_channels(p, [r["status"] for r in t.rows]),
        shape=alt.Shape("event_status:N", scale=alt.Scale(domain=list(EVENT_SHAPES),
                                                          range=list(EVENT_SHAPES.values())),
                        legend=alt.Legend(title="Event", orient="bottom")),
        tooltip=tooltip)
    marker = alt.Chart(alt.Data(values=[{"as_of": as_of.isoformat(), "label": f"Data as of {day_label(as_of)}"}]))
    rule = marker.mark_rule(strokeDash=[4, 3], color=p.muted).encode(x=alt.X("as_of:T"))
    rule_text = marker.mark_text(align="right", dx=-4, baseline="top", y=0, fontSize=11, color=p.muted).encode(
        x=alt.X("as_of:T"), text="label:N")
    return alt.layer(spans, dots, rule, rule_text).properties(
        width=WIDTHS[width] - (0 if width == "wide" else 20), height=42 * len(tracks))


CHART = ChartDef(
    id="diplomatic-timeline",
    title="From separate US meetings to three-way rounds, then a pause",
    subtitle="Talks, meetings and summits of the peace process since November 2025, by format",
    alt="Timeline of about 30 meetings from November 2025 to March 2026 in five rows by format; three-way "
        "US-Russia-Ukraine rounds begin in late January 2026, and the fourth round, planned for 5 to 9 March, "
        "was postponed.",
    description="Each mark is one meeting: circles were held, squares announced, a triangle postponed, a cross "
                "cancelled; multi-day meetings have a bar. Hollow marks rest on a single party's account or a "
                "low-reliability source. The dashed line marks the date the data runs to.",
    notes=("Tracks: US-Ukraine and US-Russia bilateral contacts, trilateral US-Russia-Ukraine rounds, European and "
           "Coalition of the Willing meetings, and other multilateral or bilateral meetings.",),
    datasets=("diplomatic_calendar",),
    table=table,
    chart=chart,
    claim=lambda t: __import__("build_charts.charts.base", fromlist=["Finding"]).Finding("x", True, ""),
)
