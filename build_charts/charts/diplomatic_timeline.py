"""Every event of the diplomatic calendar on a UTC time axis, one row per track, labelled directly.

Track names sit above their rows, at full width, so nothing is cut off on a phone. Circles are meetings
held; events that were announced, postponed or cancelled are labelled where they are, with a leader
line, instead of in a legend. Each track's first and latest meetings held are labelled by place where
there is room (labels that would cross text are left out, never printed over it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import altair as alt

from ..data import Data
from ..data.models.datasets import TRACK_NAMES
from .base import ChartDef, Column, Finding, Table, Width, Window, day_range, joined, rows_data, short_day
from .layout import LINE, Box, Label, Linear, crowded, days, place, point_box, text_width
from .parts import FONT, label_layers, plot_width, text_layer
from .theme import Palette, status_channels

EVENT_SHAPES = {"held": "circle", "scheduled": "square", "postponed": "triangle-right", "cancelled": "cross"}
EVENT_WORDS = {"scheduled": "Announced", "postponed": "Postponed", "cancelled": "Cancelled"}
STATUS_WORDS = {"reported": "Confirmed by participants or reports", "claimed": "One side's account or a weak source"}
"""Meetings are not figures: the status legend says what a solid or hollow mark rests on."""
LANE = 24
"""Height of the marks' lane in each track row, below the track's name."""
TRILATERAL = "trilateral"
PAUSED = ("postponed", "cancelled")


def table(data: Data) -> Table:
    """One row per event, with an exclusive end for drawing multi-day spans."""
    ds = data["diplomatic_calendar"]
    rows = []
    for e in sorted(ds.records, key=lambda x: (x.start, x.id)):
        rows.append({
            "id": e.id, "start": e.start.isoformat(), "end": e.end.isoformat(),
            "end_exclusive": (e.end + dt.timedelta(days=1)).isoformat(),
            "dates": day_range(e.start, e.end),
            "title": e.title, "place": f"{e.city}, {e.country}", "city": e.city, "track": e.track,
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
    return Table(columns, tuple(rows), ds.meta.as_of.isoformat())


def claim(t: Table) -> Finding:
    """US talks with each side came before the first three-way round, and the latest three-way round is off."""
    def first(track: str) -> str | None:
        return min((r["start"] for r in t.rows if r["track"] == track), default=None)

    tri = sorted((r for r in t.rows if r["track"] == TRILATERAL), key=lambda r: (r["start"], r["id"]))
    starts = {k: first(k) for k in ("us-ukraine", "us-russia", TRILATERAL)}
    latest = tri[-1] if tri else None
    us_ukraine, us_russia, three_way = starts["us-ukraine"], starts["us-russia"], starts[TRILATERAL]
    holds = (us_ukraine and us_russia and three_way and three_way > max(us_ukraine, us_russia)
             and latest is not None and latest["event_status"] in PAUSED)
    return Finding("US meetings with Ukraine and with Russia began before the first three-way round, and the latest "
                   "three-way round was postponed or cancelled", bool(holds),
                   f"first meetings: US-Ukraine {starts['us-ukraine']}, US-Russia {starts['us-russia']}, "
                   f"three-way {starts[TRILATERAL]}; latest three-way round "
                   f"{latest['start'] + ' ' + latest['event_status'] if latest else 'none'}")


AXIS_LABELS = ("(datum.index == 0 || utcmonth(datum.value) == 0) ? utcFormat(datum.value, '%b %Y') "
               ": utcFormat(datum.value, '%b')")
"""Months on the axis, with the year on the first month and on each January."""


def _layout(t: Table, w: float, px: Linear, width: Width = "wide") -> tuple[list[dict], list[dict], list[Label], float]:
    """Events and texts in pixels: each track's name on a line, its events on the lane below."""
    tracks = [key for key in TRACK_NAMES if any(r["track"] == key for r in t.rows)]
    line = FONT * LINE
    events: list[dict] = []
    names: list[dict] = []
    obstacles: list[Box] = []
    name_boxes: list[Box] = []
    wanted: list[Label] = []
    y = 0.0
    for key in tracks:
        names.append({"text": TRACK_NAMES[key], "x": 0, "y": y, "align": "left", "weight": "bold"})
        name_boxes.append(Box(0, y, text_width(TRACK_NAMES[key], FONT, True), y + line))
        obstacles.append(name_boxes[-1])
        mid = y + line + LANE / 2
        for r in (r for r in t.rows if r["track"] == key):
            x0, x1 = px(days(r["start"])), px(days(r["end_exclusive"]))
            events.append({**r, "mid": mid, "x0": round(x0, 1), "x1": round(x1, 1)})
            obstacles.append(point_box(x0, mid, 6))
        y += line + LANE + 10
    latest: dict[str, dict[str, Any]] = {}
    for e in events:
        if e["event_status"] in EVENT_WORDS:
            latest[e["event_status"]] = e
    for status, e in sorted(latest.items(), key=lambda kv: kv[1]["start"]):
        text = f"{EVENT_WORDS[status]}: {short_day(dt.date.fromisoformat(e['start']))}"
        wanted.append(Label(text, e["x0"], e["mid"]))
    # Each track's first and latest meetings held, by place, on wide images:
    # optional, after the status labels.
    for key in tracks if width == "wide" else []:  # phones: too little room beside the track names
        held = [e for e in events if e["track"] == key and e["event_status"] == "held"]
        for e in _ends(held):
            wanted.append(Label(_place(e), e["x0"], e["mid"], optional=True))
    labels = place(wanted, Box(0, 0, w, y), obstacles)
    if crowded(labels, name_boxes):  # text on text (many meetings close together): two lines fit more places
        wanted = [replace(label, lines=tuple(label.text.split(": ", 1))) for label in wanted]
        labels = place(wanted, Box(0, 0, w, y), obstacles)
    if crowded(labels, name_boxes):  # still no room: a label is left out rather than printed over a name
        labels = place([replace(label, optional=True) for label in wanted], Box(0, 0, w, y), name_boxes)
    return events, names, labels, y


def _ends(held: list[dict]) -> list[dict]:
    """The first and the latest meeting of a track (one when the track has one)."""
    return held[:1] + (held[-1:] if len(held) > 1 else [])


def _place(e: dict) -> str:
    """A meeting's label: its city, or its format when it had none (a videoconference)."""
    return e["city"] if e["city"] not in ("Videoconference", "Online") else "Video call"


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Rows by track; shape = held/announced/postponed/cancelled; the data's date marked."""
    as_of = dt.date.fromisoformat(t.as_of)
    first = min(dt.date.fromisoformat(r["start"]) for r in t.rows).replace(day=1)
    last = max(as_of, max(dt.date.fromisoformat(r["end"]) for r in t.rows)) + dt.timedelta(days=6)
    w = plot_width(width, 0, 8)
    px = Linear(days(first), days(last), 0, w)
    events, names, labels, h = _layout(t, w, px, width)
    tracks = list(dict.fromkeys(e["track_label"] for e in events))
    x = alt.X("start:T", title=None, scale=alt.Scale(type="utc", domain=[first.isoformat(), last.isoformat()],
                                                     nice=False),
              axis=alt.Axis(labelExpr=AXIS_LABELS, tickCount="month", labelOverlap=True, labelFlush=True,
                            grid=True, labelFontSize=FONT))
    colour = alt.Color("track_label:N", legend=None, scale=alt.Scale(domain=tracks, range=list(p.series)))
    y = alt.Y("mid:Q", scale=None)
    source = alt.Chart(rows_data(events))
    tooltip = [alt.Tooltip("dates:N", title="Dates"), alt.Tooltip("title:N", title="Event"),
               alt.Tooltip("place:N", title="Place"), alt.Tooltip("event_status:N", title="Status")]
    spans = source.transform_filter("datum.end > datum.start").mark_rule(strokeWidth=3).encode(
        x=x, x2="end_exclusive:T", y=y, color=colour)
    dots = source.mark_point(size=90, filled=False, strokeWidth=2, opacity=1).encode(
        x=x, y=y, color=colour, fill=colour, **status_channels(p, [e["status"] for e in events], labels=STATUS_WORDS,
                                                       symbol="circle"),
        shape=alt.Shape("event_status:N", legend=None, scale=alt.Scale(domain=list(EVENT_SHAPES),
                                                                       range=list(EVENT_SHAPES.values()))),
        tooltip=tooltip)
    day = [{"x": round(px(days(as_of) + 0.5), 1), "y": -FONT * LINE - 4, "text": f"Data to {short_day(as_of)}",
            "align": "right", "weight": "normal", "top": -4, "bottom": h}]
    rule = alt.Chart(rows_data(day)).mark_rule(strokeDash=[4, 3], color=p.muted).encode(
        x=alt.X("x:Q", scale=None), y=alt.Y("top:Q", scale=None), y2="bottom:Q")
    return alt.layer(spans, dots, rule, text_layer(names, p), text_layer(day, p, p.muted),
                     *label_layers(labels, p)).properties(width=w, height=round(h))


CHART = ChartDef(
    id="diplomatic-timeline",
    short="Timeline of the talks",
    title="From separate US meetings to three-way rounds, then a pause",
    subtitle="Talks, meetings and summits of the peace process since November 2025, by format",
    alt="Timeline of {{ diplomatic_calendar.@count }} meetings of the peace process from "
        "{{ diplomatic_calendar.@first.start | month }} to {{ diplomatic_calendar.@latest.start | month }}, in rows "
        "by format; three-way US-Russia-Ukraine rounds begin in "
        "{{ diplomatic_calendar[track=trilateral].@first.start | month }}, and the latest round, planned for "
        "{{ diplomatic_calendar[track=trilateral].@latest.start }}, is marked "
        "{{ diplomatic_calendar[track=trilateral].@latest.event_status }}.",
    description="Each mark is one meeting, in the row of its format: circles were held; meetings announced, "
                "postponed or cancelled are labelled where they sit. Multi-day meetings have a line through their "
                "days. Hollow marks rest on a single party's account or a low-reliability source. The dashed line "
                "marks the date the data runs to.",
    notes=("Tracks: US-Ukraine and US-Russia bilateral contacts, trilateral US-Russia-Ukraine rounds, European and "
           "Coalition of the Willing meetings, and other multilateral or bilateral meetings.",),
    datasets=("diplomatic_calendar",),
    table=table,
    chart=chart,
    claim=claim,
    window=Window("start", {"narrow": 40, "wide": 60}, "meetings"),
)
