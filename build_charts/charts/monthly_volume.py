"""The air war month by month: drones and missiles launched, two panels on one UTC month axis.

Each bar is one month from zero on a linear scale. The bars draw the count of the dataset's producer (tallies
of Ukraine's air force reports); other parties' counts (President Zelensky, the commander-in-chief, the Kyiv
Independent) are in the table, never mixed into a bar. A month without a figure has no bar and is marked
"no figure", so missing never reads as zero. The civilian cost has its own chart (`monthly_civilians`), over the
months the UN's figures cover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, producer_of, standing
from .base import ChartDef, Column, Finding, Table, Width, fmt_count, joined, rows_data
from .parts import FONT, Align, header_rows, layered, plot_width, text_layer, y_axis
from .theme import Palette

PANELS = (("drones_launched", "Drones launched per month", "drones"),
          ("missiles_launched", "Missiles launched per month", "missiles"))
"""(drawn field, panel line, label column) of each panel, top to bottom."""
EXTENT = 44
HEIGHT = {"wide": 140, "narrow": 120}
PEAK_MISSILES = (288, "2026-02")
PEAK_DRONES = (6297, "2025-07")
"""The title's peaks: (count, month)."""


def _own(figure: list[Any] | None, meta: Any, producer: str | None) -> float | None:
    """The highest count of `producer` (the dataset's when None) for one figure; None when it gave none."""
    wanted = producer or meta.producer
    values = [v.value for v in standing(figure) if v.value is not None and producer_of(v, meta) == wanted]
    return max(values, default=None)


def _accounts(r: Any, meta: Any) -> str:
    """Every launch count that is not the one drawn: other parties' counts, and other tallies that differ."""
    out = []
    for kind in ("drones_launched", "missiles_launched"):
        drawn = _own(getattr(r, kind), meta, None)
        out += [f"{producer_of(v, meta)}: {v.label()}" + (f" ({v.note})" if v.note else "")
                for v in standing(getattr(r, kind)) if producer_of(v, meta) != meta.producer or v.value != drawn]
    return "; ".join(out)


MONTH_COLUMNS = (Column("id", "Month id", show=False), Column("month", "Month (first day)", "date", show=False),
                 Column("end", "End (exclusive)", "date", show=False))


def monthly_table(data: Data, panels: tuple[tuple[str, str, str], ...], cells: Callable[[Any, Any], dict[str, Any]],
                  shown: tuple[Column, ...], drawn: tuple[Column, ...]) -> Table:
    """One row per month with a standing figure in one of the panels' fields; both monthly charts read it.

    `cells` gives a row's own columns; `shown` and `drawn` are the columns read on the page and the numbers drawn.
    """
    ds = data["monthly"]
    fields = [f for f, _, _ in panels]
    rows = []
    for r in sorted(ds.records, key=lambda x: x.month):
        if not any(standing(getattr(r, f)) for f in fields):
            continue  # a month of the other chart's figures only
        rows.append({"id": r.id, "month": r.month.isoformat(), "month_label": f"{r.month:%B %Y}",
                     "end": month_end(r.month), **cells(r, ds.meta), "status": r.status,
                     "sources": joined(_cited(r, fields))})
    columns = (Column("month_label", "Month"), *shown, Column("status", "Status"), Column("sources", "Sources"),
               *MONTH_COLUMNS, *drawn)
    return Table(columns, tuple(rows), ds.meta.as_of.isoformat())


def table(data: Data) -> Table:
    """One row per month with a launch figure: the producer's counts drawn, every account in words."""
    return monthly_table(data, PANELS, lambda r, meta: {
        "drones_launched": _own(r.drones_launched, meta, None),
        "missiles_launched": _own(r.missiles_launched, meta, None),
        "drones": figure_label(r.drones_launched), "missiles": figure_label(r.missiles_launched),
        "accounts": _accounts(r, meta),
    }, (Column("drones", "Drones launched"), Column("missiles", "Missiles launched"),
        Column("accounts", "Other counts")),
        (Column("drones_launched", "Drones (air force tally, drawn)", "number", show=False),
         Column("missiles_launched", "Missiles (air force tally, drawn)", "number", show=False)))


def _cited(r: Any, fields: list[str]) -> list[str]:
    """The record's sources that the given figures cite, in the record's order (the chart's sources column)."""
    used = {sid for f in fields for v in getattr(r, f) or [] for sid in v.sources or []}
    return [sid for sid in r.sources if sid in used]


def month_end(month: dt.date) -> str:
    """The first day of the next month: a month bar's exclusive end."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat()


def months_between(first: str, last: str) -> list[str]:
    """Every month's first day from `first` up to (not including) `last`, as ISO dates."""
    out, day = [], dt.date.fromisoformat(first)
    while day.isoformat() < last:
        out.append(day.isoformat())
        day = dt.date.fromisoformat(month_end(day))
    return out


def _peak(t: Table, key: str) -> tuple[float | None, str | None]:
    counted = [r for r in t.rows if r[key] is not None]
    top = max(counted, key=lambda r: (r[key], r["month"]), default=None)
    return (top[key], top["month"][:7]) if top else (None, None)


def claim(t: Table) -> Finding:
    """The most missiles in a month were 288, in February 2026; the most drones 6,297, in July 2025."""
    missiles, drones = _peak(t, "missiles_launched"), _peak(t, "drones_launched")
    holds = missiles == PEAK_MISSILES and drones == PEAK_DRONES
    return Finding(f"the month with the most missiles launched is {PEAK_MISSILES[1]} with {PEAK_MISSILES[0]:,}, and "
                   f"the month with the most drones is {PEAK_DRONES[1]} with {PEAK_DRONES[0]:,}", holds,
                   f"most missiles: {fmt_count(missiles[0])} in {missiles[1]}; most drones: {fmt_count(drones[0])} "
                   f"in {drones[1]}")


def _between(start: str, end: str) -> str:
    """The day halfway between two ISO dates: where a label centred on a span sits."""
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return (a + (b - a) / 2).isoformat()


def _mid(month: str) -> str:
    """The middle of a month (its 15th day): where a label centred on the month's bar sits."""
    return f"{month[:7]}-15"


def panel(t: Table, p: Palette, width: Width, spec: tuple[str, str, str], colour: str, first: str, last: str,
          *, bottom: bool, height: int) -> alt.LayerChart:
    """One panel of month bars from zero: a band marked "no figure" for each month without one, the peak labelled.

    `spec` is (drawn field, panel line, label column); months run from `first` to `last` (exclusive).
    """
    key, unit, label = spec
    w, h = plot_width(width, EXTENT, 4), height
    head, head_h = header_rows([unit], w, 0)
    for row in head:
        row["y"] = -head_h - 8
    rows = [r for r in t.rows if r[key] is not None]
    drawn = {r["month"] for r in rows}
    ids = {r["month"]: r["id"] for r in t.rows}
    # A band row carries its record's id when the month has a record (without this figure); none when it has none.
    missing = [{**({"id": ids[m]} if m in ids else {}), "month": m, "end": month_end(dt.date.fromisoformat(m)),
                key: None, "mid": _mid(m), "reason": f"No figure found for {dt.date.fromisoformat(m):%B %Y}"}
               for m in months_between(first, last) if m not in drawn]
    scale = alt.Scale(type="utc", domain=[first, last], nice=False)
    x = alt.X("month:T", title=None, scale=scale,
              axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 6 if width == "narrow" else 3},
                            labelFlush=24, grid=False, labels=bottom, ticks=bottom, labelFontSize=FONT))
    top = max((r[key] for r in rows), default=1)
    # Headroom above the highest bar for its value label (one 12 px line and a gap).
    y = alt.Y(f"{key}:Q", scale=alt.Scale(domain=[0, top * h / (h - FONT - 8)], nice=False),
              axis=y_axis(EXTENT, ticks=3))
    tooltip = [alt.Tooltip("month_label:N", title="Month"), alt.Tooltip(f"{label}:N", title=unit.split(",")[0])]
    # A month without a figure: a quiet band over the panel, labelled "no figure", never a bar at zero.
    band = alt.Chart(rows_data(missing)).mark_rect(color=p.grid).encode(
        x=alt.X("month:T", scale=scale), x2="end:T", tooltip=[alt.Tooltip("reason:N", title="Gap")])
    # One "no figure" per run of missing months, where the run is wide enough for a 12 px line of text.
    month_px = w / max(len(months_between(first, last)), 1)
    runs: list[list[dict]] = []
    for row in missing:
        if runs and runs[-1][-1]["end"] == row["month"]:
            runs[-1].append(row)
        else:
            runs.append([row])
    labels = [{"mid": _between(run[0]["month"], run[-1]["end"])} for run in runs if len(run) * month_px >= FONT + 4]
    band_text = alt.Chart(rows_data(labels)).mark_text(
        text="no figure", angle=270, align="center", baseline="middle", fontSize=FONT, color=p.muted).encode(
        x=alt.X("mid:T", scale=scale), y=alt.value(h / 2))
    bars = alt.Chart(rows_data(rows)).mark_bar(color=colour, x2Offset=-1).encode(x=x, x2="end:T", y=y,
                                                                              y2=alt.datum(0), tooltip=tooltip)
    layers: list[Any] = [band, band_text, bars]
    if rows:
        # The highest month is labelled with its value (the title's finding); at an edge the label leans inward.
        row = max(rows, key=lambda r: (r[key], r["month"]))
        align: Align = "right" if row["end"] == last else "left" if row["month"] == first else "center"
        anchor = {"right": "end", "left": "month", "center": "mid"}[align]
        layers.append(alt.Chart(rows_data([{**row, "mid": _mid(row["month"]), "value_text": fmt_count(row[key])}]))
                      .mark_text(align=align, baseline="bottom", dy=-3, fontSize=FONT, color=p.text,
                                 dx={"right": -2, "left": 2, "center": 0}[align])
                      .encode(x=alt.X(f"{anchor}:T", scale=scale), y=y, text="value_text:N"))
    layers.append(text_layer(head, p, p.muted))
    return layered(*layers).properties(width=w, height=h)


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Drones over missiles on one month axis; a shaded band marks a month with no figure."""
    first = min(r["month"] for r in t.rows)
    last = max(r["end"] for r in t.rows)
    panels = [panel(t, p, width, spec, colour, first, last, bottom=i == len(PANELS) - 1, height=HEIGHT[width])
              for i, (spec, colour) in enumerate(zip(PANELS, (p.drones, p.missiles), strict=True))]
    return alt.vconcat(*panels, spacing=30).resolve_scale(x="shared", y="independent")


CHART = ChartDef(
    id="monthly-volume",
    short="The air war by month",
    title="Missile launches peaked at 288 in February 2026, drone launches at 6,297 in July 2025",
    subtitle="Drones and missiles Russia launched at Ukraine each month, tallied by AFP and others from Ukraine's "
             "air force reports (count per month); shaded: no figure found",
    alt="Two bar charts, one bar per month up to {{ monthly.@latest.month | month }}: drones launched, peaking in "
        "{{ monthly.2025-07.month | month }} by AFP's tally, and missiles launched, peaking in "
        "{{ monthly.2026-02.month | month }}.",
    description="Each bar is one month, from zero. Bars are tallies of Ukraine's air force reports (AFP, ABC News or "
                "Ukraine's Center for Countering Disinformation); where two tallies differ the higher is drawn and "
                "both are in the table, with counts by other parties, which use other definitions. A shaded month "
                "marked \"no figure\" has no figure found, which is not a zero.",
    notes=("Tallies of the air force's reports leave out what it does not report, such as some daytime launches, so "
           "officials' monthly totals run higher.",),
    datasets=("monthly",),
    figures=("drones_launched", "missiles_launched"),
    table=table,
    chart=chart,
    claim=claim,
)
