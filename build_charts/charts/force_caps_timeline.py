"""Proposed ceilings on Ukraine's forces by date and by who proposed them: points, never joined by lines.

Drafts come in rounds of talks years apart, so each round is a panel on a true UTC time scale (the same
days per pixel in every panel) and the years between them are left out, visibly. Colour and shape name
the proposer, and every point carries a direct label; no line joins one party's draft to another's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt

from ..data import Data
from .base import ChartDef, Finding, Table, Width, Window, fmt_count, rows_data
from .force_caps import table as caps_table
from .layout import Box, Label, Linear, crowded, days, nice_max, place, point_box, wrap
from .parts import FONT, header_box, label_layers, plot_width, text_layer, y_axis
from .theme import Palette, status_channels

ROUND_GAP_DAYS = 180
"""Drafts more than this many days apart belong to different rounds of talks (separate panels)."""
PAD_DAYS = 8
EXTENT = 68
SHAPES = ("triangle-up", "circle", "square", "diamond", "cross", "triangle-down", "wye")
FIRST, FIRST_YEAR, LATEST, LATEST_YEARS = 50_000, "2022", 800_000, ("2025", "2026")
HEIGHT = {"wide": 260, "narrow": 200}
STATUS_WORDS = {"proposed": "Draft term", "claimed": "Unconfirmed report"}


def table(data: Data) -> Table:
    """The proposals of the force-caps table (reference rows are not part of this chart)."""
    full = caps_table(data)
    return Table(full.columns, tuple(r for r in full.rows if r["kind"] == "proposal"), full.as_of)


def claim(t: Table) -> Finding:
    """The first draft of 2022 proposed 50,000; every standing draft of 2025-26 proposes 800,000."""
    early = sorted((r for r in t.rows if r["date"].startswith(FIRST_YEAR)), key=lambda r: (r["date"], r["id"]))
    standing = [r for r in t.rows if r["date"][:4] in LATEST_YEARS and r["draft_status"] == "proposed"]
    first = early[0]["ceiling_high"] if early else None
    latest = sorted({r["ceiling_high"] for r in standing})
    holds = first == FIRST and latest == [LATEST]
    return Finding(f"the first draft of {FIRST_YEAR} proposed {FIRST:,}, and every draft of {LATEST_YEARS[0]}-"
                   f"{LATEST_YEARS[1][2:]} still standing proposes {LATEST:,}", holds,
                   f"the first {FIRST_YEAR} draft proposed {fmt_count(first) or 'nothing'} and the standing drafts "
                   f"propose {', '.join(fmt_count(v) for v in latest) or 'nothing'}")


def rounds(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Drafts split where more than ROUND_GAP_DAYS pass between one and the next."""
    out: list[list[dict[str, Any]]] = []
    for r in sorted(rows, key=lambda r: (r["date"], r["id"])):
        if out and days(r["date"]) - days(out[-1][-1]["date"]) <= ROUND_GAP_DAYS:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def _span(group: list[dict[str, Any]]) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(group[0]["date"]) - dt.timedelta(days=PAD_DAYS)
    last = dt.date.fromisoformat(group[-1]["date"]) + dt.timedelta(days=PAD_DAYS)
    return first, last


def _years(first: dt.date, last: dt.date) -> str:
    return str(first.year) if first.year == last.year else f"{first.year}–{str(last.year)[2:]}"


LABEL_EACH = 8
"""Points a panel labels one by one; past that (many proposals in a few weeks), labels beside the point only."""


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """One panel per round of talks, side by side when wide and stacked on phones, same days per pixel.

    Labels name the proposer; the value joins the name where a point sits off the gridlines.
    """
    rows = list(t.rows)
    groups = rounds(rows)
    spans = [_span(g) for g in groups]
    lengths = [days(b) - days(a) for a, b in spans]
    stacked = width == "narrow" or len(groups) > 2
    gaps = 0 if stacked else (len(groups) - 1) * (EXTENT + 16)
    room = plot_width(width, EXTENT, 12) - gaps
    per_day = room / max(lengths) if stacked else room / sum(lengths)
    parties = list(dict.fromkeys(r["party"] for r in rows))
    inks = [*p.series, p.text]
    colour = alt.Color("party:N", legend=None, scale=alt.Scale(
        domain=parties, range=[inks[i % len(inks)] for i in range(len(parties))]))
    shape = alt.Shape("party:N", legend=None, scale=alt.Scale(
        domain=parties, range=[SHAPES[i % len(SHAPES)] for i in range(len(parties))]))
    top = nice_max(max(r["ceiling_high"] for r in rows) * 1.2, 5)
    h = HEIGHT[width]
    panels = []
    for i, (group, (first, last), length) in enumerate(zip(groups, spans, lengths, strict=True)):
        w = max(60.0, length * per_day)
        px, py = Linear(days(first), days(last), 0, w), Linear(0, top, h, 0)
        head = [{"text": f"Talks of {_years(first, last)}", "x": 0, "y": -FONT * 1.25 - 8, "align": "left",
                 "weight": "bold"}]
        marks = [dict(r, px=px(days(r["date"])), py=py(r["ceiling_high"])) for r in group]
        obstacles = [*header_box(head), *(point_box(m["px"], m["py"], 6) for m in marks)]
        wanted, named = [], set()
        for m in sorted(marks, key=lambda m: (-m["ceiling_high"], m["date"])):
            on_grid = m["ceiling_high"] % (top / 5) == 0
            text = m["party"] if on_grid else f"{m['party']}: {m['ceiling_value']}"
            # Past LABEL_EACH points, a party's first label is kept for sure and the others where they fit
            # (colour and shape carry the party to its other points).
            wanted.append(Label(text, m["px"], m["py"], lines=tuple(wrap(text, min(w * 0.75, 150))),
                                optional=len(marks) > LABEL_EACH and m["party"] in named))
            named.add(m["party"])
        labels = place(wanted, Box(0, -2, w, h), obstacles)
        # Too many points to label each: a party's other points keep a label only where it sits beside them
        # (no leader line); if labels still collide, each party is named once. The values are in the table.
        for _ in range(len(wanted)):
            far = {(label.ax, label.ay) for label in labels if label.optional and label.leader}
            if not far:
                break
            wanted = [label for label in wanted if not label.optional or (label.ax, label.ay) not in far]
            labels = place(wanted, Box(0, -2, w, h), obstacles)
        if crowded(labels, obstacles):
            labels = place([label for label in wanted if not label.optional], Box(0, -2, w, h), obstacles)
        x = alt.X("date:T", title=None, scale=alt.Scale(type="utc", domain=[first.isoformat(), last.isoformat()],
                                                          nice=False),
                  axis=alt.Axis(format="%-d %b", tickCount=3, labelFlush=True, grid=False, labelOverlap=True,
                                labelPadding=6))
        show_y = stacked or i == 0
        y = alt.Y("ceiling_high:Q", scale=alt.Scale(domain=[0, top], nice=False),
                  axis=y_axis(EXTENT, fmt=",d", ticks=4, grid=True, labels=show_y))
        status = status_channels(p, [r["status"] for r in rows], labels=STATUS_WORDS)
        points = alt.Chart(rows_data(marks)).mark_point(size=80, strokeWidth=2, filled=False, opacity=1).encode(
            x=x, y=y, color=colour, fill=colour, shape=shape, **status,
            tooltip=[alt.Tooltip("date_label:N", title="Date"), alt.Tooltip("document:N", title="Document"),
                     alt.Tooltip("ceiling:N", title="Ceiling"), alt.Tooltip("scope:N", title="Scope")])
        panels.append(alt.layer(points, text_layer(head, p), *label_layers(labels, p)).properties(width=w, height=h))
    joined = alt.vconcat(*panels, spacing=28) if stacked else alt.hconcat(*panels, spacing=16)
    return joined.resolve_scale(x="independent")


CHART = ChartDef(
    id="force-caps-timeline",
    short="Proposed caps over time",
    title="The proposed ceiling rose from 50,000 in 2022 to 800,000 in 2025-26",
    subtitle="Ceilings on Ukraine's armed forces in peace drafts, by date and by who proposed them (personnel); "
             "the years between the two rounds of talks are left out",
    alt="Dot chart of draft ceilings by date, in two panels: in spring 2022 Russia proposed "
        "{{ force_caps.russia-draft-2022-03.ceiling }} and then {{ force_caps.istanbul-2022-russia.ceiling }} "
        "against Ukraine's {{ force_caps.istanbul-2022-ukraine.ceiling }}; from "
        "{{ force_caps.us-28-point-plan.date | month }} the US draft proposed "
        "{{ force_caps.us-28-point-plan.ceiling }}, and the latest text {{ force_caps.@latest.ceiling }}.",
    description="Each point is one draft, placed at its date and at the ceiling it proposed; colour, shape and a "
                "label name who proposed it. The two panels are the two rounds of talks, on the same time scale; "
                "the years between them are left out. Points are not joined: a draft by one party does not "
                "continue another's. Hollow dashed marks are draft terms; a solid outline marks a term known only "
                "from an unconfirmed report.",
    notes=("The early AFP report of a 400,000 ceiling in the US plan was superseded by the published text "
           "(600,000) and is shown as a claim.",
           "Russia's June 2025 memorandum demanded limits on Ukraine's army without a published figure."),
    datasets=("force_caps",),
    table=table,
    chart=chart,
    claim=claim,
    window=Window("date", {"narrow": 12, "wide": 16}, "proposals"),
)
