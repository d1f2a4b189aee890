"""Proposed ceilings on Ukraine's armed forces against reference sizes."""

from __future__ import annotations

import datetime as dt

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from .base import WIDTHS, ChartDef, Column, Table, Width, day_label, joined
from .theme import Palette, status_channels

RECENT_DAYS = 150
"""Reference bands use the figures stated within this many days before the data's as_of date."""

REFERENCES = (
    ("Ukraine", "prewar_active", "Ukraine before the war (active forces)", None),
    ("Ukraine", "wartime_strength", "Ukraine's forces, latest reports", RECENT_DAYS),
    ("Russia", "deployed_in_ukraine", "Russian troops in Ukraine", 365),
)


def _cap_label(record) -> str:
    return f"{record.label or record.proposer} ({record.date:%b %Y})"


def references(data: Data) -> list[dict]:
    """Reference bands: lowest to highest figure of each (country, measure) group; claims excluded."""
    levels = data["force_levels"]
    as_of = levels.meta.as_of
    bands = []
    for country, measure, label, days in REFERENCES:
        records = [r for r in levels.records if r.country == country and r.measure == measure
                   and r.status != "claimed" and (days is None or r.date >= as_of - dt.timedelta(days=days))]
        if not records:
            continue
        lo = min(low(r.value) for r in records if low(r.value) is not None)
        hi = max(high(r.value) for r in records if high(r.value) is not None)
        bands.append({"reference": label, "low": lo, "high": hi, "records": [r.id for r in records],
                      "range_label": f"{lo:,.0f}" if lo == hi else f"{lo:,.0f} to {hi:,.0f}",
                      "sources": joined(s for r in records for s in r.sources)})
    return bands


def table(data: Data) -> Table:
    """One row per proposed ceiling, then one per reference band."""
    rows = []
    for r in sorted(data["force_caps"].records, key=lambda x: (x.date, x.id)):
        rows.append({
            "kind": "proposal", "id": r.id, "date": r.date.isoformat(), "date_label": day_label(r.date),
            "label": _cap_label(r), "short_label": r.label or r.proposer, "proposer": r.proposer,
            "document": r.document,
            "ceiling": figure_label(r.ceiling), "ceiling_value": figure_label(r.ceiling, numeric_only=True),
            "ceiling_high": high(r.ceiling), "ceiling_low": low(r.ceiling),
            "scope": r.scope, "draft_status": r.draft_status, "status": r.status, "sources": joined(r.sources),
        })
    for band in references(data):
        rows.append({
            "kind": "reference", "id": "ref-" + band["reference"].lower().replace(" ", "-").replace("'", ""),
            "date": None, "date_label": None, "label": band["reference"],
            "short_label": band["reference"], "proposer": None,
            "document": "Based on: " + ", ".join(band["records"]), "ceiling": band["range_label"],
            "ceiling_value": band["range_label"],
            "ceiling_high": band["high"], "ceiling_low": band["low"], "scope": None, "draft_status": None,
            "status": "reported", "sources": band["sources"],
        })
    columns = (
        Column("label", "Proposal or reference"), Column("ceiling", "Personnel"), Column("document", "Document"),
        Column("scope", "Scope"), Column("draft_status", "Draft"), Column("status", "Status"),
        Column("sources", "Sources"), Column("kind", "Row kind", show=False), Column("id", "Id", show=False),
        Column("date", "Date", "date", show=False), Column("date_label", "Date (text)", show=False),
        Column("proposer", "Proposer", show=False), Column("short_label", "Short label", show=False),
        Column("ceiling_value", "Personnel (figures only)", show=False),
        Column("ceiling_low", "Lowest", "number", show=False),
        Column("ceiling_high", "Highest", "number", show=False),
    )
    return Table(columns, tuple(rows))


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Hollow bars (proposals) against shaded reference bands; superseded drafts in grey."""
    proposals = [r for r in t.rows if r["kind"] == "proposal"]
    refs = [r for r in t.rows if r["kind"] == "reference"]
    y_field = "label" if width == "wide" else "short_label"
    order = [r[y_field] for r in proposals]
    x_scale = alt.Scale(domain=[0, 1_050_000])
    x_axis = alt.Axis(format="~s", tickCount=5 if width == "wide" else 3, title="Personnel")
    draft = alt.Color("draft_status:N", scale=alt.Scale(domain=["proposed", "superseded"],
                                                          range=[p.series[0], p.muted]),
                      legend=alt.Legend(title="Draft", orient="bottom"))
    bars = alt.Chart(alt.Data(values=proposals)).mark_bar(strokeWidth=2, height=14).encode(
        y=alt.Y(f"{y_field}:N", sort=order, title=None, axis=alt.Axis(labelLimit=260 if width == "wide" else 150)),
        x=alt.X("ceiling_high:Q", scale=x_scale, axis=x_axis),
        stroke=draft, fill=draft, **status_channels(p, [r["status"] for r in proposals]),
        tooltip=[alt.Tooltip("label:N", title="Proposal"), alt.Tooltip("ceiling:N", title="Ceiling"),
                 alt.Tooltip("scope:N", title="Scope"), alt.Tooltip("draft_status:N", title="Draft")])
    values = alt.Chart(alt.Data(values=proposals)).mark_text(align="left", dx=4, fontSize=11, color=p.text).encode(
        y=alt.Y(f"{y_field}:N", sort=order), x=alt.X("ceiling_high:Q", scale=x_scale), text="ceiling_value:N")
    band_colours = alt.Scale(domain=[r["label"] for r in refs], range=[p.series[2], p.series[4], p.series[1]])
    bands = alt.Chart(alt.Data(values=refs)).mark_rect(opacity=0.22).encode(
        x=alt.X("ceiling_low:Q", scale=x_scale), x2="ceiling_high:Q",
        color=alt.Color("label:N", scale=band_colours, legend=alt.Legend(
            title="Reference sizes", orient="bottom", direction="vertical")),
        tooltip=[alt.Tooltip("label:N", title="Reference"), alt.Tooltip("ceiling:N", title="Personnel")])
    edges = alt.Chart(alt.Data(values=refs)).mark_rule(strokeWidth=2).encode(
        x=alt.X("ceiling_low:Q", scale=x_scale), color=alt.Color("label:N", scale=band_colours, legend=None))
    return alt.layer(bands, edges, bars, values).properties(
        width=WIDTHS[width] - (0 if width == "wide" else 40), height=34 * len(proposals))


CHART = ChartDef(
    id="force-caps",
    title="No proposed ceiling is above what Ukraine says it fields now",
    subtitle="Ceilings on Ukraine's armed forces proposed in peace drafts since 2022 (personnel), against "
             "reference sizes of Ukraine's and Russia's forces",
    alt="Bar chart of nine proposed ceilings on Ukraine's armed forces, from 50,000 in Russia's March 2022 draft to "
        "800,000 in the 20-point framework, shown against Ukraine's pre-war active forces (about 196,000), its "
        "reported wartime strength (800,000 to about 1 million) and Russia's troops in Ukraine.",
    description="Bars are draft terms, so they are drawn hollow with a dashed outline; a solid outline marks a term "
                "known only from an unconfirmed report. Grey bars are drafts that later texts replaced. Shaded bands "
                "span the lowest and highest recent figure for each reference size; the table names the records "
                "behind each band.",
    notes=("Scopes differ: some ceilings cover the armed forces only, others all personnel; the 20-point framework "
           "excludes the National Guard.",
           "Wartime strength figures count different things (armed forces, whole defence sector) and come from "
           "Ukrainian officials and media estimates; claims from low-reliability outlets are left out of the bands."),
    datasets=("force_caps", "force_levels"),
    table=table,
    chart=chart,
    claim=lambda t: __import__("build_charts.charts.base", fromlist=["Finding"]).Finding("x", True, ""),
)
