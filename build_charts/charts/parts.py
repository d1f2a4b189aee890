"""Pieces every chart uses the same way: plot widths, quiet axes, direct labels with leader lines, gaps.

Text drawn from data rows (labels, unit lines) lives in inline data with pixel positions, so a chart's
spec, and its golden file, depend only on code; the data decides what the text says and where it sits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal, cast

import altair as alt

from .base import WIDTHS, Width, rows_data
from .layout import LINE, Box, Label, text_width, wrap
from .theme import Palette

PADDING = 8
"""Left plus right padding of every chart (theme.py)."""
FONT = 12
"""Every text in a chart is 12 px: the smallest size readers see, since images are never shrunk."""


def plot_width(width: Width, left: float, right: float = 0) -> int:
    """Plot width that makes the whole image exactly as wide as the column it is shown in."""
    return int(WIDTHS[width] - PADDING - left - right)


def y_axis(extent: float, fmt: str = ",d", ticks: int = 4, **extra: Any) -> alt.Axis:
    """A y axis with a fixed label extent (so plot widths are known) and no title: units go in a text line."""
    return alt.Axis(title=None, format=fmt, tickCount=ticks, minExtent=extent, maxExtent=extent, labelFontSize=FONT,
                    domain=False, ticks=False, labelPadding=4, **extra)


Align = Literal["left", "center", "right"]
"""How a text is aligned on its x (Vega-Lite's `align`)."""
Weight = Literal["normal", "bold"]
"""The font weights texts here use."""


def layered(*charts: alt.Chart | alt.LayerChart) -> alt.LayerChart:
    """`alt.layer(*charts)`, typed as the LayerChart it returns for charts without row, column or facet encodings.

    Why the cast: `alt.layer` is typed to return a FacetChart too, which it does only for layers sharing such
    encodings, and no chart here has them.
    """
    return cast(alt.LayerChart, alt.layer(*charts))


def text_layer(rows: Sequence[dict[str, Any]], p: Palette, colour: str | None = None) -> alt.LayerChart:
    """Text at pixel positions (x, y = top of the first line), one row per text; `align` and `weight` per row.

    Vega-Lite has no encoding for alignment or weight, so each combination is a filtered layer of one data set.
    """
    source = alt.Chart(rows_data(list(rows)))
    # Only the combinations some row uses: every layer costs Altair a deep copy of the chart around it.
    aligns: tuple[Align, ...] = ("left", "center", "right")
    weights: tuple[Weight, ...] = ("normal", "bold")
    used = [(a, w) for a in aligns for w in weights
            if any(r.get("align") == a and r.get("weight") == w for r in rows)] or [("left", "normal")]
    layers = [source.transform_filter(f"datum.align === '{align}' && datum.weight === '{weight}'").mark_text(
        baseline="top", fontSize=FONT, lineHeight=FONT * LINE, align=align, fontWeight=weight,
        color=colour or p.text).encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None), text="text:N")
        for align, weight in used]
    return layered(*layers)


def label_layers(labels: Sequence[Label], p: Palette) -> list[alt.Chart | alt.LayerChart]:
    """Placed labels and the leader lines joining moved labels to their points."""
    rows = [lab.row(weight="bold" if lab.bold else "normal") for lab in labels]
    leaders = [r for r in rows if r["leader"]]
    return [alt.Chart(rows_data(leaders)).mark_rule(color=p.muted, strokeWidth=1).encode(
                x=alt.X("ax:Q", scale=None), y=alt.Y("ay:Q", scale=None), x2="lx:Q", y2="ly:Q"),
            text_layer(rows, p)]


def header_rows(texts: Sequence[str], width: float, top: float, bold: bool = False) -> tuple[list[dict], float]:
    """Lines of text (a unit, a panel name) wrapped to the plot width, starting at `top`; returns rows and height."""
    rows: list[dict] = []
    y = top
    for text in texts:
        lines = wrap(text, width, FONT, bold)
        rows.append({"text": lines, "x": 0, "y": y, "align": "left", "weight": "bold" if bold else "normal"})
        y += len(lines) * FONT * LINE
    return rows, y - top


def header_box(rows: Sequence[dict]) -> list[Box]:
    """Boxes of header text rows, as obstacles for label placement."""
    return [Box(r["x"], r["y"], r["x"] + max(text_width(line, FONT, r["weight"] == "bold") for line in r["text"]),
                r["y"] + len(r["text"]) * FONT * LINE) for r in rows]


def gap_rows(gaps: Sequence[dict[str, str]], start: str, end: str) -> list[dict[str, str]]:
    """Collection gaps clipped to the axis range, with an exclusive end so a one-day gap has a width."""
    out = []
    for gap in gaps:
        lo, hi = max(gap["start"], start), min(gap["end"], end)
        if lo <= hi:
            hi_excl = (dt.date.fromisoformat(hi) + dt.timedelta(days=1)).isoformat()
            out.append({"start": lo, "end": hi_excl, "reason": gap["reason"]})
    return out


def gap_layer(rows: Sequence[dict[str, str]], x: alt.X, p: Palette) -> alt.Chart:
    """Periods without collected data: a quiet band over the whole plot height, never read as zero."""
    return alt.Chart(rows_data(list(rows))).mark_rect(color=p.grid, opacity=1).encode(
        x=x, x2="end:T", tooltip=[alt.Tooltip("reason:N", title="Gap in collection")])
