"""People or customers left without power after major strikes: small multiples, one per unit counted.

Reports count different things (people, households, electricity accounts...), so each unit gets its own
group of bars on its own labelled linear scale from zero; no scale mixes units. Consumers, customers and
subscribers are all electricity accounts, so they share one group. A figure that is part of another (a city
within a national total) stays in the table, not drawn beside its total. When a unit has more reports
than fit, its largest are drawn and the rest counted; every row stays in the downloads.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from .base import ChartDef, Column, Finding, Table, Width, day_label, fmt_count, joined, rows_data, short_day
from .layout import LINE, nice_max, text_width, wrap
from .parts import FONT, plot_width, text_layer
from .theme import Palette, status_channels

GROUPS = {"consumers": "accounts", "customers": "accounts", "subscribers": "accounts"}
"""Units that count the same thing under different names: grid operators' word for an electricity account."""
HEADINGS = {"people": "People", "households": "Households", "properties": "Properties", "buildings": "Buildings",
            "accounts": "Electricity accounts (consumers, customers, subscribers)"}
PLACES = "settlements"
"""Counts of places, not of people or accounts: in the dataset, not on this chart."""
MAX_BARS = 6
"""Most bars per unit; smaller reports beyond these are counted under the group and listed in the table."""
MILLION = 1_000_000
HUNDREDS_OF_THOUSANDS = 100_000
BAR = 12
BESIDE = 0.45
"""Names sit beside the bars when the widest takes at most this share of the plot width."""


def table(data: Data) -> Table:
    """One row per reported outage figure, with its unit and the figure it is part of, if any."""
    ds = data["outages"]
    labels = {r.id: f"{r.region}, {day_label(r.date)}" for r in ds.records}
    rows = []
    for r in sorted(ds.records, key=lambda x: (x.date, x.id)):
        if r.unit == PLACES:
            continue
        rows.append({
            "id": r.id, "date": r.date.isoformat(), "date_label": day_label(r.date), "region": r.region,
            "unit": r.unit, "affected": figure_label(r.affected),
            "affected_value": figure_label(r.affected, numeric_only=True), "affected_low": low(r.affected),
            "affected_high": high(r.affected), "part_of": r.part_of, "part_of_label": labels.get(r.part_of or "", ""),
            "strike": r.strike, "status": r.status, "sources": joined(r.sources),
        })
    columns = (
        Column("date", "Date", "date"), Column("region", "Where"), Column("affected", "Without power"),
        Column("unit", "Counted as"), Column("part_of_label", "Part of"), Column("status", "Status"),
        Column("sources", "Sources"), Column("id", "Record id", show=False),
        Column("date_label", "Date (text)", show=False),
        Column("affected_low", "Lowest reported", "number", show=False),
        Column("affected_high", "Highest reported", "number", show=False),
        Column("affected_value", "Without power (figures only)", show=False),
        Column("part_of", "Part of (record id)", show=False), Column("strike", "Strike id", show=False),
    )
    return Table(columns, tuple(rows), ds.meta.as_of.isoformat())


def _totals(t: Table) -> list[dict[str, Any]]:
    """Figures that are not part of another, with a number."""
    return [r for r in t.rows if not r["part_of"] and r["affected_high"] is not None]


def claim(t: Table) -> Finding:
    """At least two strikes cut power to a million or more, and the median reported total is 100,000 or more."""
    totals = _totals(t)
    millions = sorted({r["date"] for r in totals if (r["affected_low"] or 0) >= MILLION})
    median = statistics.median(r["affected_high"] for r in totals) if totals else 0
    return Finding(f"at least two strike dates have a reported total of {MILLION:,} or more without power, and the "
                   f"median reported total is {HUNDREDS_OF_THOUSANDS:,} or more",
                   len(millions) >= 2 and median >= HUNDREDS_OF_THOUSANDS,
                   f"{len(millions)} dates reach {MILLION:,} and the median total is {fmt_count(median)}")


def _groups(t: Table) -> list[tuple[str, list[dict[str, Any]], int]]:
    """(unit group, rows drawn in date order, rows left out) per group, largest first."""
    by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _totals(t):
        by_unit[GROUPS.get(r["unit"], r["unit"])].append(r)
    out = []
    for unit, rows in by_unit.items():
        kept = sorted(rows, key=lambda r: (-r["affected_high"], r["date"]))[:MAX_BARS]
        out.append((unit, sorted(kept, key=lambda r: (r["date"], r["id"])), len(rows) - len(kept)))
    return sorted(out, key=lambda g: (-max(r["affected_high"] for r in g[1]), g[0]))


def _value(r: dict[str, Any]) -> str:
    """The figure as sources give it ("more than 1,000,000"), or the range where they differ."""
    lo, hi = r["affected_low"], r["affected_high"]
    return r["affected_value"] if lo == hi else f"{fmt_count(lo)} to {fmt_count(hi)}"


def _tick(value: float) -> str:
    """A scale label: "0", "500,000", "1.5 million"."""
    if value >= MILLION:
        return f"{value / MILLION:,.1f}".removesuffix(".0") + " million"
    return fmt_count(value) or "0"


def _layout(t: Table, width: Width, w: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    """Bars and texts in pixels: a bold unit heading, then per report a label and a bar with its value.

    Labels sit beside the bars when they take at most BESIDE of the width (wide charts), else above them.
    """
    groups = _groups(t)
    bars: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    names = [f"{r['region']}, {short_day(dt.date.fromisoformat(r['date']))}" for _, rows, _ in groups for r in rows]
    label_w = max((text_width(n, FONT) for n in names), default=0) + 8
    beside = width == "wide" and label_w <= BESIDE * w
    label_w = label_w if beside else 0.0
    line = FONT * LINE
    y = 0.0
    ticks: list[dict[str, Any]] = []
    for unit, rows, rest in groups:
        heading = wrap(HEADINGS.get(unit, unit.capitalize()), w, FONT, True)
        texts.append({"text": heading, "x": 0, "y": y, "align": "left", "weight": "bold"})
        y += line * len(heading) + 4
        top = nice_max(max(r["affected_high"] for r in rows), 2)
        values = [_value(r) for r in rows]
        room = w - label_w - max(max(text_width(v, FONT) for v in values) + 6, text_width(_tick(top), FONT) / 2 + 2)
        for r, value, name in zip(rows, values, names[:len(rows)], strict=True):
            if beside:
                texts.append({"text": name, "x": label_w - 8, "y": y + (BAR - line) / 2 + 1, "align": "right",
                              "weight": "normal"})
                bar_y = y
                y += max(BAR, line) + 6
            else:
                lines = wrap(name, w)
                texts.append({"text": lines, "x": 0, "y": y, "align": "left", "weight": "normal"})
                bar_y = y + line * len(lines) + 1
                y = bar_y + BAR + 8
            x1 = label_w + max(1.0, r["affected_high"] / top * room)
            x_low = label_w + max(1.0, r["affected_low"] / top * room)
            bars.append({**r, "x0": label_w, "x1": round(x1, 1), "x_low": round(x_low, 1), "y0": bar_y,
                         "y1": bar_y + BAR, "mid": bar_y + BAR / 2, "value": value})
            texts.append({"text": value, "x": round(x1 + 5, 1), "y": bar_y + (BAR - line) / 2 + 1, "align": "left",
                          "weight": "normal"})
        names = names[len(rows):]
        ticks.append({"x0": label_w, "x1": round(label_w + room, 1), "y": y - 2})
        for tick in (0, top / 2, top):
            x = label_w + tick / top * room
            texts.append({"text": _tick(tick), "x": round(x, 1), "y": y + 4, "weight": "normal",
                          "align": "left" if tick == 0 else "center"})
            ticks.append({"x0": round(x, 1), "x1": round(x, 1), "y": y - 2, "y2": y + 2, "tick": True})
        y += line + 8
        if rest:
            texts.append({"text": f"and {rest} smaller {'report' if rest == 1 else 'reports'} (table)", "x": label_w,
                          "y": y - 2, "align": "left", "weight": "normal"})
            y += line + 2
        y += 8
    return bars, texts + [{"rule": r} for r in ticks], y


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """One group of bars per unit, each on its own scale from zero, labelled directly with place and value."""
    w = plot_width(width, 0, 4)
    bars, items, h = _layout(t, width, w)
    texts = [i for i in items if "rule" not in i]
    rules = [i["rule"] for i in items if "rule" in i]
    source = alt.Chart(rows_data(bars))
    axis = alt.Chart(rows_data([r for r in rules if not r.get("tick")])).mark_rule(color=p.muted, strokeWidth=1).encode(
        x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y:Q", scale=None))
    marks = alt.Chart(rows_data([r for r in rules if r.get("tick")])).mark_rule(color=p.muted, strokeWidth=1).encode(
        x=alt.X("x0:Q", scale=None), y=alt.Y("y:Q", scale=None), y2=alt.Y2("y2:Q"))
    status = status_channels(p, [b["status"] for b in bars])
    tooltip = [alt.Tooltip("date_label:N", title="Date"), alt.Tooltip("region:N", title="Where"),
               alt.Tooltip("affected:N", title="Without power"), alt.Tooltip("unit:N", title="Counted as")]
    colour = p.series[0]
    bar = source.mark_bar(color=colour, stroke=colour, strokeWidth=1.5).encode(
        x=alt.X("x0:Q", scale=None), x2="x_low:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q", **status,
        tooltip=tooltip)
    spread = source.transform_filter("datum.x_low < datum.x1").mark_rule(color=colour, strokeWidth=4).encode(
        x=alt.X("x_low:Q", scale=None), x2="x1:Q", y=alt.Y("mid:Q", scale=None))
    return alt.layer(axis, marks, bar, spread, text_layer(texts, p)).properties(width=w, height=max(1, round(h)))


CHART = ChartDef(
    id="outages",
    short="Outages after strikes",
    title="Single strikes have cut power to hundreds of thousands, at times millions",
    subtitle="People, households or electricity accounts left without power after major strikes, as reported by "
             "Ukrainian officials and grid companies; each group has its own scale",
    alt="Bar charts of outage figures after major strikes from 2022 to 2026, one group per unit counted: "
        "{{ outages.2022-11-15-nationwide.affected | millions }} people nationwide on "
        "{{ outages.2022-11-15-nationwide.date }}, "
        "and a million or more households or properties in several strikes of the 2025-26 winter.",
    description="Each bar is one reported figure for one place and date, grouped by what the report counts (people, "
                "households, electricity accounts, properties). Each group has its own labelled scale from zero, "
                "because the units cannot be compared or added. A thin extension shows the range where sources give "
                "different figures. Figures that are part of a larger one (a city within a national total) are in the "
                "table only; where a group has many reports, the largest are drawn and the rest listed in the table.",
    notes=("A household or electricity account usually covers several people, so groups cannot be compared; figures "
           "are snapshots, and most outages were cut back within hours or days.",),
    datasets=("outages",),
    table=table,
    chart=chart,
    claim=claim,
)
