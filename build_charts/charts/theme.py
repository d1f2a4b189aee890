"""One palette and one Altair theme per colour scheme (light = Material default, dark = slate).

Colours are Okabe-Ito hues adjusted so that each passes 4.5:1 against its
background (tested in tests/test_theme.py); shape or labels always double colour.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import altair as alt

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans", sans-serif'


@dataclass(frozen=True)
class Palette:
    """Colours of one scheme; names are roles, not hues."""

    name: str
    background: str
    text: str
    muted: str
    grid: str
    drones: str
    missiles: str
    series: tuple[str, ...]
    reference: str


LIGHT = Palette(
    name="light",
    background="#ffffff",
    text="#1f1f1f",
    muted="#595959",
    grid="#e3e3e3",
    drones="#0072b2",
    missiles="#c15500",
    # blue, vermillion, bluish green, reddish purple, orange (darkened for AA on white)
    series=("#0072b2", "#c15500", "#008460", "#bb4d8a", "#996a00"),
    reference="#595959",
)

DARK = Palette(
    name="dark",
    background="#1e2129",
    text="#e8e8e8",
    muted="#b0b3ba",
    grid="#3a3e48",
    drones="#56b4e9",
    missiles="#f0874a",
    series=("#56b4e9", "#f0874a", "#1fb98b", "#d98cb7", "#e6a817"),
    reference="#b0b3ba",
)

PALETTES = {"light": LIGHT, "dark": DARK}

STATUS_ORDER = ["reported", "claimed", "estimate", "proposed"]
STATUS_LABELS = {
    "reported": "Reported (official figure)",
    "claimed": "Claimed (one party / unconfirmed)",
    "estimate": "Estimate (analysts)",
    "proposed": "Proposed (draft term)",
}
"""Default legend labels; a chart whose records are not figures (meetings, drafts) passes its own words."""
# One visual code for status on every chart: solid, outlined, lighter, dashed outline.
STATUS_FILL_OPACITY = [1.0, 0.0, 0.4, 0.0]
STATUS_STROKE_DASH = [[1, 0], [1, 0], [1, 0], [3, 2]]
STATUS_LEGEND = "Status"
"""Title of the status legend; render.py draws its symbols in the text colour, so every one is visible."""


def _present(statuses: list[str] | None) -> list[str]:
    """Status values to show, in the house order (all four when not given)."""
    return [s for s in STATUS_ORDER if statuses is None or s in statuses]


def _status_legend(p: Palette, labels: dict[str, str], symbol: str) -> alt.Legend:
    return alt.Legend(title=STATUS_LEGEND, labelExpr=_label_expr(labels), orient="bottom", direction="vertical",
                      symbolType=symbol, symbolFillColor=p.text, symbolStrokeColor=p.text, symbolStrokeWidth=1.5,
                      symbolSize=140, titleFontSize=12, labelFontSize=12, labelLimit=0)


def status_channels(p: Palette, statuses: list[str] | None = None, field: str = "status",
                    labels: dict[str, str] | None = None, symbol: str = "square") -> dict[str, Any]:
    """Fill opacity and stroke dash by status: the one status code, explained by one legend.

    Use as `.encode(..., **status_channels(p, statuses))`; only the statuses present are listed, and a chart
    with one status has no legend (a one-entry key tells nothing). `labels` words the legend for records that
    are not figures ("One side's account" for a meeting); `symbol` is the shape the chart draws (circle, square).
    """
    domain = _present(statuses)

    def scale(values: list[Any]) -> alt.Scale:
        by_status = dict(zip(STATUS_ORDER, values, strict=True))
        return alt.Scale(type="ordinal", domain=domain, range=[by_status[s] for s in domain])

    legend = _status_legend(p, {**STATUS_LABELS, **(labels or {})}, symbol) if len(domain) > 1 else None
    return {"fillOpacity": alt.FillOpacity(f"{field}:N", scale=scale(STATUS_FILL_OPACITY), legend=legend),
            "strokeDash": alt.StrokeDash(f"{field}:N", scale=scale(STATUS_STROKE_DASH), legend=legend)}


def _label_expr(labels: dict[str, str]) -> str:
    parts = " : ".join(f"datum.label === {json.dumps(key)} ? {json.dumps(text)}" for key, text in labels.items())
    return f"{parts} : datum.label"


def _config(p: Palette) -> alt.theme.ThemeConfig:
    axis: alt.theme.AxisConfigKwds = {
        "labelColor": p.muted,
        "titleColor": p.text,
        "gridColor": p.grid,
        "domainColor": p.muted,
        "tickColor": p.muted,
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
    }
    return {
        "background": p.background,
        "padding": {"left": 2, "right": 6, "top": 6, "bottom": 4},
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": axis,
            "legend": {"labelColor": p.text, "titleColor": p.text, "labelFont": FONT, "titleFont": FONT,
                       "labelFontSize": 12, "titleFontSize": 12, "symbolStrokeColor": p.text,
                       "symbolFillColor": p.muted,
                       "labelLimit": 0, "symbolStrokeWidth": 1.5},
            "title": {"color": p.text, "subtitleColor": p.muted, "font": FONT, "subtitleFont": FONT,
                      "fontSize": 17, "subtitleFontSize": 13, "anchor": "start", "fontWeight": "bold",
                      "subtitlePadding": 6, "offset": 12},
            "text": {"color": p.text, "font": FONT, "fontSize": 12, "baseline": "top", "lineHeight": 15},
            "range": {"category": list(p.series)},
            "point": {"size": 60, "strokeWidth": 1.5},
            # Vega-Lite's per-mark ARIA descriptions format dates in the viewer's time zone; the
            # chart's <img> alt text and data table carry the accessibility instead.
            "mark": {"aria": False},
            "rule": {"color": p.reference},
            "concat": {"spacing": 18},
        },
    }


@alt.theme.register("ukr-light", enable=False)
def _light() -> alt.theme.ThemeConfig:
    return _config(LIGHT)


@alt.theme.register("ukr-dark", enable=False)
def _dark() -> alt.theme.ThemeConfig:
    return _config(DARK)


def _light_to_dark() -> dict[str, str]:
    """Each light colour and the dark colour in the same role; one role, one colour, both ways."""
    roles = ["background", "text", "muted", "grid", "drones", "missiles", "reference"]
    pairs = [(getattr(LIGHT, r), getattr(DARK, r)) for r in roles] + list(zip(LIGHT.series, DARK.series, strict=True))
    mapping: dict[str, str] = {}
    for light, dark in pairs:
        if mapping.setdefault(light, dark) != dark:
            raise ValueError(f"light colour {light} has two dark roles")
    if len(set(mapping.values())) != len(mapping):
        raise ValueError("two light colours share a dark colour")
    return mapping


LIGHT_TO_DARK = _light_to_dark()
