"""Proposed ceilings on Ukraine's armed forces against reference sizes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from .base import WIDTHS, ChartDef, Column, Finding, Table, Width, Window, day_label, fmt_count, joined, rows_data
from .layout import LINE, Linear, nice_max, text_width, wrap
from .parts import FONT, plot_width, text_layer
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
            "party": r.party or r.proposer,
            "document": r.document,
            "ceiling": figure_label(r.ceiling), "ceiling_value": figure_label(r.ceiling, numeric_only=True),
            "ceiling_high": high(r.ceiling), "ceiling_low": low(r.ceiling),
            "scope": r.scope, "draft_status": r.draft_status, "status": r.status, "sources": joined(r.sources),
        })
    for band in references(data):
        rows.append({
            "kind": "reference", "id": "ref-" + band["reference"].lower().replace(" ", "-").replace("'", ""),
            "date": None, "date_label": None, "label": band["reference"],
            "short_label": band["reference"], "proposer": None, "party": None,
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
        Column("proposer", "Proposer", show=False), Column("party", "Proposed by (as grouped)", show=False),
        Column("short_label", "Short label", show=False),
        Column("ceiling_value", "Personnel (figures only)", show=False),
        Column("ceiling_low", "Lowest", "number", show=False),
        Column("ceiling_high", "Highest", "number", show=False),
    )
    return Table(columns, tuple(rows))


BESIDE = 0.42
"""Names sit beside the bars when they take at most this share of the image width; otherwise above them."""
NOW = "Ukraine's forces, latest reports"
"""The reference the title compares every ceiling with."""
BAR = 12


def claim(t: Table) -> Finding:
    """No proposed ceiling exceeds the lowest recent report of what Ukraine fields."""
    ceilings = [r["ceiling_high"] for r in t.rows if r["kind"] == "proposal" and r["ceiling_high"] is not None]
    now = next((r for r in t.rows if r["kind"] == "reference" and r["label"] == NOW), None)
    top = max(ceilings, default=None)
    holds = top is not None and now is not None and top <= now["ceiling_low"]
    return Finding("the highest proposed ceiling is no more than the lowest recent reported size of Ukraine's forces",
                   holds, f"the highest ceiling is {fmt_count(top)} and the lowest recent report is "
                   f"{fmt_count(now['ceiling_low']) if now else 'missing'}")


def _name(r: dict[str, Any]) -> str:
    return r["label"] + (", superseded" if r["draft_status"] == "superseded" else "")


def _layout(t: Table, width: Width) -> tuple[list[dict], list[dict], list[dict], float, float, float]:
    """Bars, reference ranges and texts in pixels; x = 0 is zero personnel (labels sit left of it when wide)."""
    proposals = [r for r in t.rows if r["kind"] == "proposal"]
    refs = [r for r in t.rows if r["kind"] == "reference"]
    names = [_name(r) for r in proposals] + [r["label"] for r in refs]
    label_w = max(text_width(n, FONT) for n in names) + 8
    beside = width == "wide" and label_w <= BESIDE * WIDTHS[width]
    label_w = label_w if beside else 0.0
    values = [r["ceiling_value"] for r in proposals + refs]
    w = plot_width(width, label_w, 4)
    top = nice_max(max([r["ceiling_high"] or 0 for r in proposals + refs]), 4)
    room = w - max(text_width(v, FONT) for v in values) - 6
    px = Linear(0, top, 0, room)
    line = FONT * LINE
    bars: list[dict] = []
    ranges: list[dict] = []
    texts: list[dict] = []
    y = 0.0

    def row(r: dict[str, Any], name: str, weight: str = "normal") -> float:
        nonlocal y
        if beside:
            texts.append({"text": name, "x": -8, "y": y + (BAR - line) / 2 + 1, "align": "right", "weight": weight})
            bar_y = y
            y += max(BAR, line) + 8
        else:
            lines = wrap(name, w)
            texts.append({"text": lines, "x": 0, "y": y, "align": "left", "weight": weight})
            bar_y = y + line * len(lines) + 1
            y = bar_y + BAR + 8
        return bar_y

    for r in proposals:
        bar_y = row(r, _name(r))
        x1 = px(r["ceiling_high"])
        bars.append({**r, "x0": 0, "x1": round(x1, 1), "y0": bar_y, "y1": bar_y + BAR})
        texts.append({"text": r["ceiling_value"], "x": round(x1 + 5, 1), "y": bar_y + (BAR - line) / 2 + 1,
                      "align": "left", "weight": "normal"})
    body = y
    y += 6
    texts.append({"text": "Reference sizes", "x": -label_w, "y": y, "align": "left",
                  "weight": "bold"})
    y += line + 4
    for r in refs:
        bar_y = row(r, r["label"])
        lo, hi = px(r["ceiling_low"]), max(px(r["ceiling_high"]), px(r["ceiling_low"]) + 3)
        ranges.append({**r, "x0": round(lo, 1), "x1": round(hi, 1), "y0": bar_y, "y1": bar_y + BAR,
                       "now": r["label"] == NOW})
        texts.append({"text": r["ceiling_value"], "x": round(hi + 5, 1), "y": bar_y + (BAR - line) / 2 + 1,
                      "align": "left", "weight": "normal"})
    for rng in ranges:
        if rng["now"]:  # the reference the title is about runs as a band through every proposal
            ranges.append({**rng, "y0": -line - 4, "y1": body - 4, "band": True})
            texts.append({"text": "Ukraine now", "x": rng["x0"] - 4, "y": -line - 4, "align": "right",
                          "weight": "bold"})
            break
    for rng in ranges:
        rng.setdefault("band", False)
    return bars, ranges, texts, y, w, top


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Bars from zero per draft (hollow: a draft term), reference ranges below, the latest one as a band."""
    bars, ranges, texts, h, w, top = _layout(t, width)
    draft = alt.Color("draft_status:N", legend=None, scale=alt.Scale(domain=["proposed", "superseded"],
                                                                     range=[p.series[0], p.muted]))
    tooltip = [alt.Tooltip("label:N", title="Proposal"), alt.Tooltip("ceiling:N", title="Ceiling"),
               alt.Tooltip("scope:N", title="Scope"), alt.Tooltip("draft_status:N", title="Draft")]
    source = alt.Chart(rows_data(bars))
    ref_source = alt.Chart(rows_data(ranges))
    axis = alt.Chart(rows_data([{"v": 0}, {"v": top}])).mark_rule(opacity=0, strokeWidth=0).encode(
        x=alt.X("v:Q", title="Personnel", scale=alt.Scale(domain=[0, top], range=[0, _room(w, ranges, bars, top)],
                                                          nice=False),
                axis=alt.Axis(format=",d", tickCount=2 if width == "narrow" else 4, grid=False, labelFlush=True,
                              titleFontSize=FONT)))
    return alt.layer(
        axis,
        ref_source.transform_filter("datum.band").mark_rect(color=p.series[2], opacity=0.2).encode(
            x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q"),
        ref_source.transform_filter("!datum.band").mark_rect(color=p.series[2]).encode(
            x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q",
            tooltip=[alt.Tooltip("label:N", title="Reference"), alt.Tooltip("ceiling:N", title="Personnel")]),
        source.mark_bar(strokeWidth=2).encode(
            x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q", stroke=draft, fill=draft,
            **status_channels(p, [r["status"] for r in bars]), tooltip=tooltip),
        text_layer(texts, p),
    ).properties(width=w, height=round(h))


def _room(w: float, ranges: list[dict], bars: list[dict], top: float) -> float:
    """Pixel length of the scale's full domain, as the layout used it (for the axis)."""
    sample = next((b for b in bars if b["ceiling_high"]), None)
    return sample["x1"] / sample["ceiling_high"] * top if sample else w


CHART = ChartDef(
    id="force-caps",
    short="Proposed caps and forces' size",
    title="No proposed ceiling is above what Ukraine says it fields now",
    subtitle="Ceilings on Ukraine's armed forces proposed in peace drafts since 2022 (personnel), against "
             "reference sizes of Ukraine's and Russia's forces",
    alt="Bar chart of {{ force_caps.@count }} proposed ceilings on Ukraine's armed forces, from "
        "{{ force_caps.@first.ceiling }} in Russia's draft of {{ force_caps.@first.date | month }} to "
        "{{ force_caps.@latest.ceiling }} in the latest text, shown against Ukraine's pre-war active forces, its "
        "reported wartime strength and Russia's troops in Ukraine.",
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
    claim=claim,
    window=Window("date", {"narrow": 12, "wide": 16}, "proposals"),
)
