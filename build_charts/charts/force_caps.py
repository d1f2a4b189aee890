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
"""Reference rows use the figures stated within this many days before the data's as_of date."""

REFERENCES = (
    ("Ukraine", "prewar_active", "Ukraine before the war", None),
    ("Ukraine", "wartime_strength", "Ukraine's forces now", RECENT_DAYS),
    ("Russia", "deployed_in_ukraine", "Russian troops in Ukraine", 365),
)
KINDS = (("reported", "official figures", "official figure"), ("estimate", "estimates", "estimate"))
"""Reference rows by kind: officials' statements and outside estimates are never drawn as one band."""


def _cap_label(record) -> str:
    return f"{record.label or record.proposer} ({record.date:%b %Y})"


def _span(days: list[dt.date]) -> str:
    first, last = min(days), max(days)
    if (first.year, first.month) == (last.year, last.month):
        return f"{last:%b %Y}"
    return f"{first:%b %Y}-{last:%b %Y}" if first.year != last.year else f"{first:%b}-{last:%b %Y}"


def references(data: Data) -> list[dict]:
    """Reference rows: per (country, measure) group, officials' figures and outside estimates apart, dated.

    Each spans its lowest to highest figure; claims from low-reliability outlets are left out.
    """
    levels = data["force_levels"]
    as_of = levels.meta.as_of
    bands = []
    for country, measure, label, days in REFERENCES:
        recent = [r for r in levels.records if r.country == country and r.measure == measure
                  and (days is None or r.date >= as_of - dt.timedelta(days=days))]
        for status, plural, singular in KINDS:
            records = [r for r in recent if r.status == status and low(r.value) is not None]
            if not records:
                continue
            # Why the filters: they drop nothing (every record here has a number), but say so to the type checker.
            lo = min(v for r in records if (v := low(r.value)) is not None)
            hi = max(v for r in records if (v := high(r.value)) is not None)
            kind = singular if len(records) == 1 else plural
            bands.append({"reference": f"{label}: {kind}, {_span([r.date for r in records])}", "group": label,
                          "status": status, "low": lo, "high": hi, "records": [r.id for r in records],
                          "stated": max(r.date for r in records).isoformat(),
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
            "status": band["status"], "group": band["group"], "stated": band["stated"], "sources": band["sources"],
            "records": band["records"],
        })
    columns = (
        Column("label", "Proposal or reference"), Column("ceiling", "Personnel"), Column("document", "Document"),
        Column("stated", "Latest figure dated", "date", show=False),
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
NOW = "Ukraine's forces now"
"""The reference group the title compares the current drafts with."""
CAP = 800_000
SAID = dt.date(2025, 12, 1)
"""The month of the latest official figure the title names."""
BAR = 12


def claim(t: Table) -> Finding:
    """Every draft still on the table caps the forces at CAP, the latest official figure (given in SAID's month)."""
    current = [r["ceiling_high"] for r in t.rows if r["kind"] == "proposal" and r["draft_status"] != "superseded"]
    official = next((r for r in t.rows if r["kind"] == "reference" and r.get("group") == NOW
                     and r["status"] == "reported"), None)
    holds = (bool(current) and all(c == CAP for c in current) and official is not None
             and official["ceiling_low"] == official["ceiling_high"] == CAP
             and official["stated"][:7] == SAID.isoformat()[:7])
    return Finding(f"every draft not superseded caps Ukraine's forces at {CAP:,}, and the latest official figure for "
                   f"their size, given in {SAID:%B %Y}, is {CAP:,}", holds,
                   f"current ceilings {', '.join(fmt_count(c) or '?' for c in current) or 'none'}; official figure "
                   + (f"{official['ceiling']} of {official['stated']}" if official else "missing"))


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
                       "now": r.get("group") == NOW and r["status"] == "reported"})
        texts.append({"text": r["ceiling_value"], "x": round(hi + 5, 1), "y": bar_y + (BAR - line) / 2 + 1,
                      "align": "left", "weight": "normal"})
    for rng in ranges:
        if rng["now"]:  # the reference the title is about runs as a band through every proposal
            ranges.append({**rng, "y0": -line - 4, "y1": body - 4, "band": True})
            text = f"Official figure, {rng['label'].rsplit(', ', 1)[-1]}"
            if text_width(text, FONT, True) <= rng["x0"] - 4 + label_w:  # right of it there is no room on phones
                texts.append({"text": text, "x": rng["x0"] - 4, "y": -line - 4, "align": "right", "weight": "bold"})
            else:
                texts.append({"text": f"Shaded: {text[0].lower()}{text[1:]}", "x": -label_w, "y": -line - 4,
                              "align": "left", "weight": "bold"})
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
    statuses = status_channels(p, [r["status"] for r in [*bars, *ranges] if not r.get("band")])
    axis = alt.Chart(rows_data([{"v": 0}, {"v": top}])).mark_rule(opacity=0, strokeWidth=0).encode(
        x=alt.X("v:Q", title="Personnel", scale=alt.Scale(domain=[0, top], range=[0, _room(w, ranges, bars, top)],
                                                          nice=False),
                axis=alt.Axis(format=",d", tickCount=2 if width == "narrow" else 4, grid=False, labelFlush=True,
                              titleFontSize=FONT)))
    return alt.layer(
        axis,
        ref_source.transform_filter("datum.band").mark_rect(color=p.series[2], opacity=0.2).encode(
            x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q"),
        ref_source.transform_filter("!datum.band").mark_rect(color=p.series[2], stroke=p.series[2],
                                                              strokeWidth=2).encode(
            x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q", **statuses,
            tooltip=[alt.Tooltip("label:N", title="Reference"), alt.Tooltip("ceiling:N", title="Personnel")]),
        source.mark_bar(strokeWidth=2).encode(
            x=alt.X("x0:Q", scale=None), x2="x1:Q", y=alt.Y("y0:Q", scale=None), y2="y1:Q", stroke=draft, fill=draft,
            **statuses, tooltip=tooltip),
        text_layer(texts, p),
    ).properties(width=w, height=round(h))


def _room(w: float, ranges: list[dict], bars: list[dict], top: float) -> float:
    """Pixel length of the scale's full domain, as the layout used it (for the axis)."""
    sample = next((b for b in bars if b["ceiling_high"]), None)
    return sample["x1"] / sample["ceiling_high"] * top if sample else w


CHART = ChartDef(
    id="force-caps",
    short="Proposed caps and forces' size",
    title="The drafts still on the table cap Ukraine's forces at 800,000, the size its president gave in December 2025",
    subtitle="Ceilings on Ukraine's armed forces proposed in peace drafts since 2022 (personnel), against officials' "
             "figures and outside estimates of Ukraine's and Russia's forces",
    alt="Bar chart of {{ force_caps.@count }} proposed ceilings on Ukraine's armed forces, from "
        "{{ force_caps.@first.ceiling }} in Russia's draft of {{ force_caps.@first.date | month }} to "
        "{{ force_caps.@latest.ceiling }} in the latest text, shown against Ukraine's pre-war active forces, its "
        "reported wartime strength and Russia's troops in Ukraine.",
    description="Bars are draft terms, drawn hollow with a dashed outline; a solid outline marks a term known only "
                "from an unconfirmed report. Grey bars are drafts that later texts replaced. Below, each reference "
                "size is split into officials' figures (solid) and outside estimates (hollow, dashed), each dated and "
                "spanning its lowest to highest figure; the shaded band runs the latest official figure through the "
                "drafts. The table names the records behind each row.",
    notes=("Scopes differ (the 20-point framework leaves out the National Guard), and strength figures count different "
           "things; claims from low-reliability outlets are left out.",),
    datasets=("force_caps", "force_levels"),
    table=table,
    chart=chart,
    claim=claim,
    window=Window("date", {"narrow": 12, "wide": 16}, "proposals"),
)
