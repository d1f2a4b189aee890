"""People or customers left without power after major strikes, where reported."""

from __future__ import annotations

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from .base import WIDTHS, ChartDef, Column, Table, Width, day_label, joined, utc_x
from .theme import Palette, status_channels

LABEL_FROM = 1_000_000
"""Points at or above this many affected get a text label on the wide chart."""
PLACES = "settlements"
"""Counts of places, not of people or accounts: in the dataset, not on this chart."""


def table(data: Data) -> Table:
    """One row per reported outage figure, with its unit (units differ between reports)."""
    rows = []
    for r in sorted(data["outages"].records, key=lambda x: (x.date, x.id)):
        if r.unit == PLACES:
            continue
        rows.append({
            "id": r.id, "date": r.date.isoformat(), "date_label": day_label(r.date), "region": r.region,
            "unit": r.unit, "affected": figure_label(r.affected),
            "label": f"{r.region}, {day_label(r.date)}", "affected_low": low(r.affected),
            "affected_high": high(r.affected), "strike": r.strike, "status": r.status, "sources": joined(r.sources),
        })
    # label the largest figure per year (one for the crowded 2025-26 winter) above LABEL_FROM: no collisions
    best: dict[str, dict] = {}
    for row in rows:
        month = row["date"][:4] if row["date"] < "2025-06-01" else "recent"
        if (row["affected_high"] or 0) >= LABEL_FROM and (month not in best
                                                         or row["affected_high"] > best[month]["affected_high"]):
            best[month] = row
    for row in rows:
        if best.get(row["date"][:4] if row["date"] < "2025-06-01" else "recent") is not row:
            row["label"] = ""
        row["label_side"] = "left" if row["date"] < "2025-06-01" else "right"
    columns = (
        Column("date", "Date", "date"), Column("region", "Where"), Column("affected", "Without power"),
        Column("unit", "Counted as"), Column("status", "Status"), Column("sources", "Sources"),
        Column("id", "Record id", show=False), Column("date_label", "Date (text)", show=False),
        Column("affected_low", "Lowest reported", "number", show=False),
        Column("affected_high", "Highest reported", "number", show=False),
        Column("strike", "Strike id", show=False), Column("label", "Label", show=False),
        Column("label_side", "Label side", show=False),
    )
    return Table(columns, tuple(rows))


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Unconnected points (no interpolation across gaps), log scale, shape and colour by unit."""
    rows = list(t.rows)
    units = sorted({r["unit"] for r in rows})
    shapes = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-left", "stroke"]
    colours = [p.series[i % len(p.series)] for i in range(len(units))]
    base = alt.Chart(alt.Data(values=rows)).encode(x=utc_x("date", "Date", width))
    colour = alt.Color("unit:N", scale=alt.Scale(domain=units, range=colours), legend=alt.Legend(
        title="Counted as", orient="bottom", columns=4 if width == "wide" else 2))
    y = alt.Y("affected_high:Q", title="Left without power (log scale)",
              scale=alt.Scale(type="log", domain=[5_000, 20_000_000]),
              axis=alt.Axis(values=[10_000, 100_000, 1_000_000, 10_000_000], format="~s"))
    dots = base.mark_point(filled=False, size=70).encode(
        y=y, color=colour, shape=alt.Shape("unit:N", scale=alt.Scale(domain=units, range=shapes[:len(units)]),
                                           legend=alt.Legend(title="Counted as", orient="bottom",
                                                             columns=4 if width == "wide" else 2)),
        fill=colour, **status_channels(p, [r["status"] for r in t.rows]),
        tooltip=[alt.Tooltip("date_label:N", title="Date"), alt.Tooltip("region:N", title="Where"),
                 alt.Tooltip("affected:N", title="Without power"), alt.Tooltip("unit:N", title="Counted as")])
    layers = [dots]
    if width == "wide":
        labelled = base.transform_filter("datum.label !== ''")
        layers.append(labelled.transform_filter("datum.label_side === 'left'").mark_text(
            align="left", dx=9, fontSize=11, color=p.text).encode(y=alt.Y("affected_high:Q"), text="label:N"))
        layers.append(labelled.transform_filter("datum.label_side === 'right'").mark_text(
            align="right", dx=-9, dy=-14, fontSize=11, color=p.text).encode(y=alt.Y("affected_high:Q"), text="label:N"))
    return alt.layer(*layers).properties(width=WIDTHS[width], height=280 if width == "wide" else 240)


CHART = ChartDef(
    id="outages",
    title="Single strikes have cut power to hundreds of thousands, at times millions",
    subtitle="People, households or customers left without electricity after major strikes, as reported by "
             "Ukrainian officials and companies (log scale)",
    alt="Scatter of outage figures after major strikes from 2022 to 2026 on a log scale, from a few thousand "
        "customers in one region to about 10 million people nationwide on 15 November 2022.",
    description="Each point is one reported figure for one place and date. Reports count different things "
                "(people, households, consumers, customers, buildings), shown by shape and colour; points are not "
                "joined because the gaps between reports are not measured.",
    notes=("Units are not interchangeable: a household or customer account usually covers several people.",
           "Figures are snapshots at the time of the report; most outages were cut back within hours or days.",
           "Counts of settlements cut off (not people or accounts) are in the dataset download, not on this chart."),
    datasets=("outages",),
    table=table,
    chart=chart,
)
