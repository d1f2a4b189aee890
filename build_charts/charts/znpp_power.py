"""The Zaporizhzhia plant's losses of off-site power: one row per episode on a linear UTC timeline.

Each bar runs from start to end on a true time scale, so the month-long loss is as long as a month; short
losses get a minimum width and their duration in the label. A loss whose end was not reported is drawn
open (a short bar trailing off in a dotted line), never as a tick that reads as a short loss.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low, producer_of, standing
from .base import ChartDef, Column, Finding, Table, Width, Window, day_label, joined, rows_data, short_day
from .layout import Linear, days, text_width
from .parts import FONT, plot_width, text_layer
from .theme import Palette, status_channels

KIND_LABELS = {"full": "All off-site power lost", "single-line": "Left on a single line",
               "disconnection": "Cut off from the grid (other)"}
SHORT_KIND = {"full": "Full loss", "single-line": "Single line", "disconnection": "Cut off"}
MORE_THAN = 10
"""The title's 'more than ten times'."""
MONTH_DAYS = 28
"""A loss of at least this many days is 'a month' in the title."""
ROW = {"wide": 24, "narrow": 36}
BAR = 10
MIN_BAR = 5
OPEN = 26
"""Length in px of the dotted tail that marks a loss whose end was not reported."""


def _ordinal(n: int | None) -> str:
    if n is None:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _days(hours_high: float | None, start: dt.date, end: dt.date | None) -> float | None:
    """Length in days: from reported hours when given, else from the dates; None when the end is unknown."""
    if hours_high is not None:
        return hours_high / 24
    return None if end is None else float((end - start).days)


def _duration(hours: str, hours_high: float | None, start: dt.date, end: dt.date | None) -> str:
    if hours_high is not None:
        return f"{hours_high / 24:.0f} days" if hours_high >= 48 else f"{hours} hours"
    if end is None:
        return "end not reported"
    n = (end - start).days
    return "same day" if n == 0 else "until next day" if n == 1 else f"{n} days"


def table(data: Data) -> Table:
    """One row per episode: start, end, kind, IAEA ordinal and duration."""
    ds = data["znpp_power"]
    rows = []
    for r in sorted(ds.records, key=lambda x: (x.start, x.id)):
        # Why: "about 11 or 10 hours" mixed the IAEA's count with Ukrenergo's; the chart gives the producer's.
        own = [v for v in standing(r.duration_hours) if producer_of(v, ds.meta) == ds.meta.producer]
        hours = own or r.duration_hours
        hours_high = high(hours)
        rows.append({
            "id": r.id, "start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
            "start_label": day_label(r.start), "kind": r.kind, "kind_label": KIND_LABELS[r.kind],
            "iaea_ordinal": r.iaea_ordinal, "ordinal_label": _ordinal(r.iaea_ordinal),
            "hours_low": low(hours), "hours_high": hours_high,
            "days": _days(hours_high, r.start, r.end),
            "duration": _duration(figure_label(hours, numeric_only=True), hours_high, r.start, r.end),
            "every_duration": figure_label(r.duration_hours),
            "status": r.status, "sources": joined(r.sources),
        })
    columns = (
        Column("start", "Start", "date"), Column("end", "End", "date"), Column("kind_label", "What happened"),
        Column("ordinal_label", "IAEA count"), Column("duration", "Duration"),
        Column("every_duration", "Every reported duration (hours)"), Column("status", "Status"),
        Column("sources", "Sources"), Column("id", "Episode id", show=False), Column("kind", "Kind", show=False),
        Column("start_label", "Start (text)", show=False),
        Column("iaea_ordinal", "IAEA ordinal", "number", show=False),
        Column("hours_low", "Hours (lowest reported)", "number", show=False),
        Column("hours_high", "Hours (highest reported)", "number", show=False),
        Column("days", "Days (from hours, or from the dates)", "number", show=False),
    )
    return Table(columns, tuple(rows), ds.meta.as_of.isoformat())


def claim(t: Table) -> Finding:
    """More than ten complete losses are drawn, and exactly one of them lasted a month or more.

    'More than ten' stays true as losses are added (an editor's routine update), and fails if corrections
    bring the count to ten or fewer; 'once for a month' fails if a second month-long loss is recorded.
    """
    full = [r for r in t.rows if r["kind"] == "full"]
    long = [r for r in full if r["days"] is not None and r["days"] >= MONTH_DAYS]
    ordinal = max((r["iaea_ordinal"] or 0 for r in full), default=0)
    return Finding(f"the table holds more than {MORE_THAN} complete losses of off-site power, and exactly one of "
                   f"them lasted {MONTH_DAYS} days or more", len(full) > MORE_THAN and len(long) == 1,
                   f"it holds {len(full)} complete losses (the IAEA's highest count is {ordinal}) and {len(long)} "
                   f"lasting {MONTH_DAYS} days or more")


def _label(row: dict[str, Any]) -> str:
    what = f"{row['ordinal_label']} loss" if row["ordinal_label"] else SHORT_KIND[row["kind"]]
    return f"{what} · {short_day(dt.date.fromisoformat(row['start']))} · {row['duration']}"


def _rows(t: Table, width: Width, w: float, px: Linear) -> list[dict[str, Any]]:
    """Each episode's bar and label in pixels: beside the bar where it fits (wide), else on a line above it."""
    longest = max((r for r in t.rows if r["kind"] == "full" and r["days"] is not None),
                  key=lambda r: (r["days"], r["start"]), default=None)
    out = []
    for i, r in enumerate(t.rows):
        x0 = px(days(r["start"]))
        x1 = x0 + MIN_BAR if r["end"] is None else max(px(days(r["end"]) + 1), x0 + MIN_BAR)
        tail = x1 + (OPEN if r["end"] is None else 0)
        text = _label(r)
        # Bold marks the longest loss, unless bold text would not fit the narrow image (the bar still shows it).
        bold = r is longest and text_width(text, FONT, True) <= w
        size = text_width(text, FONT, bold)
        if width == "wide":
            y = i * ROW[width] + (ROW[width] - BAR) / 2
            right = tail + 6 + size <= w
            x, ty, align = (tail + 6, y + BAR / 2 - FONT * 0.625, "left") if right else (
                x0 - 6, y + BAR / 2 - FONT * 0.625, "right")
        else:
            top = i * ROW[width]
            y = top + FONT * 1.25 + 2
            x, ty, align = max(min(x0, w - size), 0), top, "left"
        out.append({**r, "x0": round(x0, 1), "x1": round(x1, 1), "tail": round(tail, 1), "y0": y, "y1": y + BAR,
                    "mid": y + BAR / 2, "open": r["end"] is None, "text": text, "x": round(x, 1), "y": ty,
                    "align": align, "weight": "bold" if bold else "normal"})
    return out


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Rows of episodes in date order; bars in pixels on the same UTC scale as the axis."""
    w = plot_width(width, 0, 4)
    first = min(dt.date.fromisoformat(r["start"]) for r in t.rows).replace(day=1)
    last = dt.date.fromisoformat(t.as_of) + dt.timedelta(days=1)
    px = Linear(days(first), days(last), 0, w)
    rows = _rows(t, width, w, px)
    h = max(1, len(rows)) * ROW[width]
    kinds = alt.Color("kind:N", legend=None, scale=alt.Scale(domain=list(KIND_LABELS),
                                                             range=[p.series[1], p.series[0], p.muted]))
    status = status_channels(p, [r["status"] for r in rows])
    source = alt.Chart(rows_data(rows))
    tooltip = [alt.Tooltip("start_label:N", title="Start"), alt.Tooltip("kind_label:N", title="What happened"),
               alt.Tooltip("ordinal_label:N", title="IAEA count"), alt.Tooltip("duration:N", title="Duration")]
    axis = alt.Chart(rows_data([{"date": first.isoformat()}, {"date": last.isoformat()}])).mark_rule(
        opacity=0, strokeWidth=0).encode(x=alt.X("date:T", title=None, scale=alt.Scale(type="utc", domain=[
            first.isoformat(), last.isoformat()], nice=False), axis=alt.Axis(
            format="%Y", tickCount="year", grid=True, labelFlush=True, labelFontSize=FONT)))
    bars = source.mark_bar(strokeWidth=1.5).encode(
        x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q", color=kinds, fill=kinds,
        stroke=kinds, **status, tooltip=tooltip)
    tails = source.transform_filter("datum.open").mark_rule(strokeDash=[2, 2], strokeWidth=2).encode(
        x=alt.X("x1:Q", scale=None), x2="tail:Q", y=alt.Y("mid:Q", scale=None), color=kinds)
    return alt.layer(axis, bars, tails, text_layer(rows, p)).properties(
        width=w, height=h)


CHART = ChartDef(
    id="znpp-offsite-power",
    short="Nuclear plant's off-site power",
    title="The Zaporizhzhia plant has lost all off-site power more than ten times, once for a month",
    subtitle="Losses of off-site power at the Zaporizhzhia nuclear power plant since August 2022, on a timeline, "
             "with the IAEA's count and the duration where reported",
    alt="Timeline of the Zaporizhzhia plant's losses of off-site power since 2022, one row each: most complete losses "
        "lasted hours or a day; the loss from {{ znpp_power.loop-2025-09-23.start }} lasted about a month.",
    description="Each row is one episode, placed at its dates on a linear time axis: vermillion bars are complete "
                "losses of off-site power, labelled with the IAEA's count where a source gives it; blue bars are "
                "periods on a single line; grey bars are other disconnections from the grid. Short episodes are drawn "
                "a few pixels wide, with their duration in the label. A bar that trails off in a dotted line is a "
                "loss whose end was not reported. Outlined bars rest on a claim.",
    notes=("The IAEA numbers each complete loss; where a source does not give the IAEA's number for a loss, the "
           "chart calls it a full loss without a count.",
           "Where the IAEA and the Russian-installed management differ (6 December 2025), both accounts are in "
           "the table."),
    datasets=("znpp_power",),
    table=table,
    chart=chart,
    claim=claim,
    window=Window("start", {"narrow": 24, "wide": 32}, "episodes"),
)
