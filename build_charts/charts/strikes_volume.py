"""Drones and missiles launched in each mass strike: two panels on one UTC time axis, labelled directly.

Every strike is a stem from zero (bars start at zero); where sources disagree a thick segment spans the
lowest to highest count. Strikes not aimed mainly at energy are grey squares. Periods in which strikes
were not collected are shaded, so no data never reads as no strikes. When strikes outgrow the width
(a strike every night), each mark becomes the largest strike of a week, month or quarter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low, producer_of, standing
from . import periods
from .base import (
    PAGE_ROWS,
    ChartDef,
    Column,
    Finding,
    Table,
    Width,
    day_label,
    fmt_count,
    joined,
    rows_data,
    short_day,
    utc_x,
)
from .layout import Box, Label, Linear, days, nice_max, place, point_box, wrap
from .parts import (
    FONT,
    gap_layer,
    gap_rows,
    header_box,
    header_rows,
    label_layers,
    layered,
    plot_width,
    text_layer,
    y_axis,
)
from .theme import Palette, status_channels

FOCUS = {"primary": "Yes", "partial": "Partly", "none": "No"}
LIMIT: dict[str, int] = {"wide": 150, "narrow": 60}
"""Most marks per panel: past this, strikes are grouped into weeks, months or quarters."""
EXTENT = 40
"""Width of the y-axis labels in px."""
HEADROOM = 1.12
"""Room above the tallest mark for its label."""
RIGHT = 8
"""Room right of the plot for the last strike's mark."""
HEIGHT = {"wide": 170, "narrow": 150}
EARLY_YEAR = "2022"
DOZENS_BELOW = 100
BIG = 800


def _accounts(figure: list[Any] | None, meta: Any) -> tuple[list[Any], list[Any]]:
    """(the dataset producer's versions, everyone else's); when the producer gave none, every version is its own.

    Why: a range drawn from "the air force's and officials' figures" held Putin's claimed 100 drones.
    """
    versions = [v for v in standing(figure) if v.value is not None]
    own = [v for v in versions if meta.producer and producer_of(v, meta) == meta.producer]
    return (own, [v for v in versions if v not in own]) if own else (versions, [])


def table(data: Data) -> Table:
    """One row per strike: launch figures as low/high (sources disagree) and labels."""
    ds = data["strikes"]
    rows = []
    for s in sorted(ds.records, key=lambda r: (r.date, r.id)):
        drones, other_drones = _accounts(s.drones_launched, ds.meta)
        missiles, other_missiles = _accounts(s.missiles_launched, ds.meta)
        rows.append({
            "id": s.id,
            "date": s.date.isoformat(),
            "date_label": day_label(s.date),
            "energy_focus": s.energy_focus,
            "focus_label": FOCUS[s.energy_focus],
            "drones_low": low(drones) if drones else low(s.drones_launched),
            "drones_high": high(drones) if drones else high(s.drones_launched),
            "drones": figure_label(s.drones_launched),
            "drones_other": _other(other_drones, ds.meta),
            "drones_claim": max((v.value for v in other_drones), default=None),
            "missiles_low": low(missiles) if missiles else low(s.missiles_launched),
            "missiles_high": high(missiles) if missiles else high(s.missiles_launched),
            "missiles": figure_label(s.missiles_launched),
            "missiles_other": _other(other_missiles, ds.meta),
            "missiles_claim": max((v.value for v in other_missiles), default=None),
            "status": s.status,
            "sources": joined(s.sources),
        })
    columns = (
        Column("date", "Date (night of)", "date"),
        Column("drones", "Drones launched"),
        Column("missiles", "Missiles launched"),
        Column("focus_label", "Energy the main target?"),
        Column("status", "Status"),
        Column("sources", "Sources"),
        Column("id", "Strike id", show=False),
        Column("date_label", "Date (text)", show=False),
        Column("energy_focus", "Energy focus (primary, partial, none)", show=False),
        Column("drones_low", "Drones (lowest reported)", "number", show=False),
        Column("drones_high", "Drones (highest reported)", "number", show=False),
        Column("missiles_low", "Missiles (lowest reported)", "number", show=False),
        Column("missiles_high", "Missiles (highest reported)", "number", show=False),
        Column("drones_other", "Drones: another party's figure", show=False),
        Column("missiles_other", "Missiles: another party's figure", show=False),
        Column("drones_claim", "Drones: another party's figure (number)", "number", show=False),
        Column("missiles_claim", "Missiles: another party's figure (number)", "number", show=False),
    )
    gaps = tuple({"start": g.start.isoformat(), "end": g.end.isoformat(), "reason": g.reason} for g in ds.meta.gaps)
    full = Table(columns, tuple(rows), as_of=ds.meta.as_of.isoformat(), gaps=gaps)
    return Table(columns, full.rows, full.as_of, gaps, page=monthly(full) if len(rows) > PAGE_ROWS else None)


def _other(versions: list[Any], meta: Any) -> str | None:
    """Other parties' figures in words ("100 (Vladimir Putin)"), kept out of the drawn range."""
    return "; ".join(f"{v.label()} ({producer_of(v, meta) or 'another source'})" for v in versions) or None


def monthly(t: Table) -> Table:
    """The page's summary of a long strike table: per month (or coarser, to stay short), strikes and the largest."""
    period = periods.choose((dt.date.fromisoformat(r["date"]) for r in t.rows), PAGE_ROWS)
    rows = []
    for first, items in periods.grouped(t.rows, period):
        out: dict[str, Any] = {"period": periods.label(first, period), "strikes": len(items)}
        for kind in ("drones", "missiles"):
            counted = [r for r in items if r[f"{kind}_high"] is not None]
            top = max(counted, key=lambda r: (r[f"{kind}_high"], r["date"]), default=None)
            out[kind] = f"{top[kind]} ({short_day(dt.date.fromisoformat(top['date']))})" if top else ""
        rows.append(out)
    columns = (Column("period", periods.NOUN[period].capitalize()), Column("strikes", "Strikes recorded", "number"),
               Column("drones", "Most drones in one strike"), Column("missiles", "Most missiles in one strike"))
    return Table(columns, tuple(rows), t.as_of)


def claim(t: Table) -> Finding:
    """Strikes of 2022 carried dozens of drones at most; the largest strike since carried more than 800."""
    early = [r["drones_high"] for r in t.rows if r["date"].startswith(EARLY_YEAR) and r["drones_high"] is not None]
    counted = [r for r in t.rows if r["drones_low"] is not None]
    top = max(counted, key=lambda r: (r["drones_low"], r["date"]), default=None)
    early_max = max(early, default=None)
    holds = early_max is not None and early_max < DOZENS_BELOW and top is not None and top["drones_low"] > BIG
    numbers = (f"the largest {EARLY_YEAR} strike launched {fmt_count(early_max) or 'no counted'} drones and the "
               f"largest strike on record {fmt_count(top['drones_low']) if top else 'none'}"
               + (f" ({top['date_label']})" if top else ""))
    return Finding(f"every {EARLY_YEAR} strike with a drone count launched fewer than {DOZENS_BELOW} drones, and the "
                   f"largest strike launched more than {BIG} drones by its lowest reported count", holds, numbers)


def _marks(t: Table, kind: str, width: Width) -> tuple[periods.Period, list[dict[str, Any]]]:
    """One mark per strike, or per period (its largest strike) when strikes are too many for the width."""
    rows = [r for r in t.rows if r[f"{kind}_high"] is not None]
    period = periods.choose((dt.date.fromisoformat(r["date"]) for r in t.rows), LIMIT[width])
    marks = []
    # Why: the current period is collected only up to as_of; its bar ends there, inside the plot.
    stop = dt.date.fromisoformat(t.as_of) + dt.timedelta(days=1)
    for first, items in periods.grouped(rows, period):
        top = max(items, key=lambda r: (r[f"{kind}_high"], r["date"]))
        marks.append({"id": top["id"], "date": top["date"] if period == "night" else first.isoformat(),
                      "end": min(periods.end(first, period), stop).isoformat(), "night": top["date_label"],
                      "low": top[f"{kind}_low"], "high": top[f"{kind}_high"], "figure": top[kind],
                      "claim": top[f"{kind}_claim"] if period == "night" else None, "claim_by": top[f"{kind}_other"],
                      "status": top["status"], "other": top["energy_focus"] == "none",
                      "period": periods.label(first, period), "strikes": len(items)})
    return period, marks


def _domain(t: Table, period: periods.Period) -> tuple[dt.date, dt.date]:
    first = periods.start(min(dt.date.fromisoformat(r["date"]) for r in t.rows), "month" if period == "night"
                          else period)
    last = dt.date.fromisoformat(t.as_of) + dt.timedelta(days=1)
    return first, last


def _figure(mark: dict[str, Any]) -> str:
    return (f"{fmt_count(mark['low'])}–{fmt_count(mark['high'])}" if mark["low"] != mark["high"]
            else fmt_count(mark["high"]))


def _panel(t: Table, p: Palette, width: Width, kind: str, bottom: bool) -> alt.LayerChart:
    colour = p.drones if kind == "drones" else p.missiles
    noun = "drones" if kind == "drones" else "missiles"
    period, marks = _marks(t, kind, width)
    d0, d1 = _domain(t, period)
    w, h = plot_width(width, EXTENT, RIGHT), HEIGHT[width]
    top = nice_max(max((m["high"] for m in marks), default=1) * HEADROOM)
    px, py = Linear(days(d0), days(d1), 0, w), Linear(0, top, h, 0)
    unit = (f"{noun.capitalize()} launched per strike" if period == "night"
            else f"{noun.capitalize()} launched: the largest strike of each {periods.NOUN[period]}")
    gaps = gap_rows(t.gaps, d0.isoformat(), d1.isoformat())
    if gaps and kind == "drones":
        unit += "; shaded: periods not fully collected"
    head, head_h = header_rows([unit], w, 0)
    for row in head:
        row["y"] = -head_h - 10
    x = utc_x("date", "Date of strike (night of)" if bottom else None, width, [d0.isoformat(), d1.isoformat()],
              axis=None if bottom else {"labels": False, "ticks": False})
    y_scale = alt.Scale(domain=[0, top], nice=False)
    base = alt.Chart(rows_data(marks if period == "night" else []))
    bars = alt.Chart(rows_data([] if period == "night" else marks))
    fill = alt.Color("other:N", scale=alt.Scale(domain=[False, True], range=[colour, p.muted]), legend=None)
    shape = alt.Shape("other:N", scale=alt.Scale(domain=[False, True], range=[
        "circle" if kind == "drones" else "triangle-up", "square"]), legend=None)
    status = status_channels(p, [m["status"] for m in marks], symbol="circle")
    tooltip = [alt.Tooltip("night:N", title="Night of"), alt.Tooltip("figure:N", title=f"{noun.capitalize()} launched")]
    layers: list[Any] = [
        gap_layer(gaps, alt.X("start:T", scale=alt.Scale(type="utc")), p),
        base.mark_rule(strokeWidth=1).encode(x=x, y=alt.Y("high:Q", scale=y_scale, axis=y_axis(EXTENT)),
                                             y2=alt.datum(0), color=fill),
        base.transform_filter("datum.low < datum.high").mark_rule(strokeWidth=5).encode(
            x=x, y=alt.Y("low:Q", scale=y_scale), y2="high:Q", color=fill),
        base.transform_filter("isValid(datum.claim)").mark_point(shape="cross", size=40, filled=True, opacity=1,
                                                                 color=p.text).encode(
            x=x, y=alt.Y("claim:Q", scale=y_scale),
            tooltip=[alt.Tooltip("night:N", title="Night of"),
                     alt.Tooltip("claim_by:N", title="Another party's figure")]),
        bars.mark_bar(strokeWidth=1, x2Offset=-1).encode(
            x=x, x2="end:T", y=alt.Y("high:Q", scale=y_scale), y2=alt.datum(0), color=fill, fill=fill,
            stroke=fill, **status, tooltip=[*tooltip, alt.Tooltip("period:N", title="Period")]),
        text_layer(head, p, p.muted),
    ]
    layers.extend(label_layers(_annotations(t, marks, kind, period, px, py, w, h, header_box(head)), p))
    # Marks last, above labels and leader lines, so hovering a labelled strike still shows its tooltip.
    layers.append(base.mark_point(size=55, strokeWidth=1.5, filled=False, opacity=1).encode(
        x=x, y=alt.Y("high:Q", scale=y_scale), color=fill, fill=fill, shape=shape, **status, tooltip=tooltip))
    return layered(*layers).properties(width=w, height=h)


def _annotations(t: Table, marks: list[dict[str, Any]], kind: str, period: periods.Period, px: Linear, py: Linear,
                 w: float, h: float, header: list[Box]) -> list[Label]:
    """The largest strike (what the title is about) and the largest not aimed at energy."""
    if not marks:
        return []
    noun = "drones" if kind == "drones" else "missiles"
    obstacles = [*header]
    for m in marks:
        x, y = px(days(m["date"])), py(m["high"])
        x_end = px(days(m["end"])) if period != "night" else x + 1
        obstacles += [point_box(x, y, 5), Box(x - 1, y, x_end, h)]
    wanted = []
    top = max(marks, key=lambda m: (m["high"], m["date"]))
    when = short_day(dt.date.fromisoformat(t.rows[[r["id"] for r in t.rows].index(top["id"])]["date"]))
    text = f"{when}: {_figure(top)} {noun}" + (", not mainly energy" if top["other"] else "")
    wanted.append(Label(text, px(days(top["date"])), py(top["high"]), bold=True,
                        lines=tuple(wrap(text, w * 0.8, FONT, True))))
    energy = [m for m in marks if not m["other"]]
    if top["other"] and energy:
        biggest = max(energy, key=lambda m: (m["high"], m["date"]))
        when = short_day(dt.date.fromisoformat(biggest["date"])) if period == "night" else biggest["period"]
        text = f"{when}: {_figure(biggest)} {noun}, the most aimed at energy"
        wanted.append(Label(text, px(days(biggest["date"])), py(biggest["high"]), lines=tuple(wrap(text, w * 0.55)),
                            optional=True))
    return place(wanted, Box(0, -8, w, h), obstacles)


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Drones above, missiles below, sharing the UTC time axis."""
    return alt.vconcat(_panel(t, p, width, "drones", bottom=False),
                       _panel(t, p, width, "missiles", bottom=True), spacing=14).resolve_scale(
        x="shared", color="independent", fill="independent", stroke="independent", shape="independent")


CHART = ChartDef(
    id="strikes-volume",
    short="Strike sizes",
    title="Russia's largest strikes grew from dozens of drones in 2022 to more than 800 in one night",
    subtitle="Drones and missiles launched in each mass strike on Ukraine since October 2022, as counted by "
             "Ukraine's air force (else Ukrainian officials); grey squares: strikes not aimed mainly at energy; "
             "crosses: another party's figure",
    alt="Two stacked charts of drones and of missiles launched per mass strike since October 2022. Drone numbers rise "
        "from a few dozen in 2022 to more than 600 in the largest strikes of 2025-26; the largest missile salvo "
        "came on {{ strikes.@max:missiles_launched.date }}.",
    description="Each stem is one strike, dated by the night it happened; the upper panel counts drones, the lower "
                "missiles. Where sources give different totals, a thick segment spans the lowest and highest reported "
                "figure. The largest strike in each panel is labelled. Grey squares are strikes not aimed mainly at "
                "energy; shaded periods are gaps in collection, not nights without strikes. When strikes are too many "
                "to draw one by one, each mark is the largest strike of a week, month or quarter, and every strike "
                "stays in the CSV and JSON downloads.",
    notes=("Launch counts are Ukraine's, not independently verified, and include decoy drones where the air force "
           "counts them.",),
    datasets=("strikes",),
    table=table,
    chart=chart,
    claim=claim,
    aggregates=("week", "month", "quarter"),
)
