"""Drones and missiles launched in each mass strike on the energy system."""

from __future__ import annotations

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from .base import WIDTHS, ChartDef, Column, Table, Width, day_label, joined, utc_x
from .theme import Palette, status_channels

ANNOTATED = "2025-12-06"


def table(data: Data) -> Table:
    """One row per strike: launch figures as low/high (sources disagree) and labels."""
    rows = []
    for s in sorted(data["strikes"].records, key=lambda r: (r.date, r.id)):
        rows.append({
            "id": s.id,
            "date": s.date.isoformat(),
            "date_label": day_label(s.date),
            "energy_focus": s.energy_focus,
            "drones_low": low(s.drones_launched),
            "drones_high": high(s.drones_launched),
            "drones": figure_label(s.drones_launched),
            "missiles_low": low(s.missiles_launched),
            "missiles_high": high(s.missiles_launched),
            "missiles": figure_label(s.missiles_launched),
            "status": s.status,
            "sources": joined(s.sources),
        })
    columns = (
        Column("date", "Date (night of)", "date"),
        Column("drones", "Drones launched"),
        Column("missiles", "Missiles launched"),
        Column("energy_focus", "Energy the main target?"),
        Column("status", "Status"),
        Column("sources", "Sources"),
        Column("id", "Strike id", show=False),
        Column("date_label", "Date (text)", show=False),
        Column("drones_low", "Drones (lowest reported)", "number", show=False),
        Column("drones_high", "Drones (highest reported)", "number", show=False),
        Column("missiles_low", "Missiles (lowest reported)", "number", show=False),
        Column("missiles_high", "Missiles (highest reported)", "number", show=False),
    )
    return Table(columns, tuple(rows))


def _panel(t: Table, p: Palette, width: Width, kind: str, colour: str, show_x: bool) -> alt.LayerChart:
    base = alt.Chart(alt.Data(values=list(t.rows))).encode(
        x=utc_x("date", "Date of strike (night of)" if show_x else None, width),
    )
    noun = "Drones" if kind == "drones" else "Missiles"
    tooltip = [alt.Tooltip("date_label:N", title="Night of"), alt.Tooltip(f"{kind}:N", title=f"{noun} launched"),
               alt.Tooltip("status:N", title="Status")]
    y = alt.Y(f"{kind}_high:Q", title=f"{noun} launched", axis=alt.Axis(tickCount=4, format=",d"),
              scale=alt.Scale(zero=True))
    stem = base.mark_rule(color=colour, strokeWidth=1.5, opacity=0.6).encode(y=alt.Y(f"{kind}_high:Q"), y2=alt.datum(0))
    spread = base.transform_filter(f"datum.{kind}_low < datum.{kind}_high").mark_rule(
        color=colour, strokeWidth=5, strokeCap="round").encode(y=alt.Y(f"{kind}_low:Q"), y2=f"{kind}_high:Q")
    dots = base.mark_point(filled=False, color=colour, shape="circle" if kind == "drones" else "triangle-up").encode(
        y=y, fill=alt.value(colour), **status_channels(p, [r["status"] for r in t.rows]), tooltip=tooltip)
    layers = [stem, spread, dots]
    row = next((r for r in t.rows if r["id"] == ANNOTATED), None)
    if row is not None and row[kind]:
        figures = row[kind].replace(" or ", "–") if row[f"{kind}_low"] != row[f"{kind}_high"] else row[kind]
        label = f"{row['date_label']}: {figures} {noun.lower()}"
        layers.append(base.transform_filter(f"datum.id === '{ANNOTATED}'").mark_text(
            align="right", dx=-10, dy=-2, fontWeight="bold", color=p.text).encode(
            y=alt.Y(f"{kind}_high:Q"), text=alt.value(label)))
    return alt.layer(*layers).properties(width=WIDTHS[width], height=170 if width == "wide" else 150)


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Two panels sharing the time axis: drones (circles) above, missiles (triangles) below."""
    return alt.vconcat(
        _panel(t, p, width, "drones", p.drones, show_x=False),
        _panel(t, p, width, "missiles", p.missiles, show_x=True),
    ).resolve_scale(x="shared")


CHART = ChartDef(
    id="strikes-volume",
    title="Russia's biggest strikes on the grid now top 600 drones a night",
    subtitle="Drones and missiles launched in each mass strike on Ukraine's energy system, Oct 2022 to Mar 2026, "
             "as reported by Ukraine's air force and officials",
    alt="Two stacked charts of drones and of missiles launched per mass strike since October 2022. Drone numbers rise "
        "from a few dozen in 2022 to more than 600 in the winter of 2025-26; missile salvos peaked in 2024.",
    description="Each mark is one strike, dated by the night it happened. The upper panel counts drones, the lower "
                "missiles; where sources give different totals the thick bar spans the lowest and highest reported "
                "figure. The 6 December 2025 strike is labelled: the air force reported 653 drones and 51 missiles, "
                "while the Kyiv Independent counted 53 missiles (36 cruise, 17 ballistic).",
    notes=("Figures are launches as reported by Ukraine's air force or officials, not independently verified.",
           "Drone counts include decoy drones where the air force includes them.",
           "Strikes that were not aimed mainly at energy but hit it are included and flagged in the table."),
    datasets=("strikes",),
    table=table,
    chart=chart,
    annotate=(ANNOTATED,),
)
