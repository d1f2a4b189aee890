"""How the proposed ceiling on Ukraine's forces moved from draft to draft, 2022 to the latest."""

from __future__ import annotations

import altair as alt

from ..data import Data
from .base import WIDTHS, ChartDef, Table, Width
from .force_caps import table as caps_table
from .theme import Palette, status_channels


def table(data: Data) -> Table:
    """The proposals of the force-caps table (reference rows are not part of this chart)."""
    full = caps_table(data)
    return Table(full.columns, tuple(r for r in full.rows if r["kind"] == "proposal"))


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Drafts in date order along x; a dashed line joins the drafts of each round of talks."""
    rows = [dict(r, era="2022 talks" if r["date"] < "2024-01-01" else "2025–26 talks",
                 tick=f"{r['short_label']}, {r['date_label'].split(' ', 1)[1]}") for r in t.rows]
    for i, row in enumerate(rows):  # label a value once where consecutive drafts repeat it
        row["value_label"] = "" if i and rows[i - 1]["ceiling_value"] == row["ceiling_value"] else row["ceiling_value"]
    order = [r["tick"] for r in rows]
    base = alt.Chart(alt.Data(values=rows))
    x = alt.X("tick:N", sort=order, title=None,
              axis=alt.Axis(labelAngle=-40 if width == "wide" else -60, labelLimit=230 if width == "wide" else 150,
                            labelAlign="right"))
    y = alt.Y("ceiling_high:Q", title="Proposed ceiling (personnel)", scale=alt.Scale(domain=[0, 900_000]),
              axis=alt.Axis(format="~s", tickCount=5))
    era = alt.Color("era:N", scale=alt.Scale(domain=["2022 talks", "2025–26 talks"], range=[p.series[1], p.series[0]]),
                    legend=alt.Legend(title="Round of talks", orient="top"))
    line = base.mark_line(strokeDash=[3, 3], strokeWidth=1.5).encode(x=x, y=alt.Y("ceiling_high:Q"), color=era,
                                                                     detail="era:N")
    dots = base.mark_point(size=90, filled=False, strokeWidth=2).encode(
        x=x, y=y, color=era, fill=era, **status_channels(p, [r["status"] for r in rows]),
        shape=alt.Shape("draft_status:N", scale=alt.Scale(domain=["proposed", "superseded"],
                                                           range=["circle", "diamond"]),
                        legend=alt.Legend(title="Draft", orient="top")),
        tooltip=[alt.Tooltip("date_label:N", title="Date"), alt.Tooltip("document:N", title="Document"),
                 alt.Tooltip("ceiling:N", title="Ceiling"), alt.Tooltip("scope:N", title="Scope")])
    text = base.mark_text(dy=-14, fontSize=11 if width == "wide" else 10, color=p.text).encode(
        x=x, y=alt.Y("ceiling_high:Q"), text="value_label:N")
    return alt.layer(line, dots, text).properties(width=WIDTHS[width], height=240 if width == "wide" else 220)


CHART = ChartDef(
    id="force-caps-timeline",
    title="The proposed ceiling rose from 50,000 in 2022 to 800,000 in 2025-26",
    subtitle="Ceilings on Ukraine's armed forces in successive peace drafts, in date order (personnel)",
    alt="Dot chart of drafts in date order: in 2022 Russia proposed 50,000 and then 85,000 against "
        "Ukraine's 250,000; in November "
        "2025 the US draft proposed 600,000, and later European, Ukrainian and coalition texts 800,000.",
    description="Drafts are shown in date order, one step each (the gap between 2022 and 2025 is not to scale). "
                "Diamonds are drafts later superseded; a dashed line joins the drafts of each round of talks. "
                "Hollow marks are draft terms; the early AFP report is an unconfirmed claim.",
    notes=("The early AFP report of a 400,000 ceiling in the US plan was superseded by the published text "
           "(600,000) and is shown as a claim.",
           "Russia's June 2025 memorandum demanded limits on Ukraine's army without a published figure."),
    datasets=("force_caps",),
    table=table,
    chart=chart,
    claim=lambda t: __import__("build_charts.charts.base", fromlist=["Finding"]).Finding("x", True, ""),
)
