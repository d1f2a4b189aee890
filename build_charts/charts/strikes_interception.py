"""Share of launched drones and missiles reported downed, per strike."""

from __future__ import annotations

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from .base import WIDTHS, ChartDef, Column, Table, Width, day_label, joined, utc_x
from .theme import Palette, status_channels


def _share(downed: list | None, launched: list | None) -> tuple[float, float, float] | None:
    """(lowest, central, highest) share: the central uses the largest figures of each."""
    d_lo, d_hi, l_lo, l_hi = low(downed), high(downed), low(launched), high(launched)
    if d_hi is None or l_hi is None or l_hi == 0 or d_lo is None or l_lo is None:
        return None
    central = d_hi / l_hi
    return (round(d_lo / l_hi, 4), round(central, 4), round(min(1.0, d_hi / l_lo) if l_lo else 1.0, 4))


def table(data: Data) -> Table:
    """One row per strike and weapon type with both launched and downed figures."""
    rows = []
    for s in sorted(data["strikes"].records, key=lambda r: (r.date, r.id)):
        for weapon, launched, downed in (("drones", s.drones_launched, s.drones_downed),
                                         ("missiles", s.missiles_launched, s.missiles_downed)):
            share = _share(downed, launched)
            if share is None:
                continue
            rows.append({
                "id": s.id, "date": s.date.isoformat(), "date_label": day_label(s.date), "weapon": weapon,
                "launched": figure_label(launched), "downed": figure_label(downed),
                "share": share[1], "share_low": share[0], "share_high": share[2],
                "share_label": f"{share[1]:.0%}" if share[0] == share[2] else f"{share[0]:.0%}–{share[2]:.0%}",
                "status": s.status, "sources": joined(s.sources),
            })
    columns = (
        Column("date", "Date (night of)", "date"), Column("weapon", "Weapon"), Column("launched", "Launched"),
        Column("downed", "Reported downed"), Column("share_label", "Share downed"), Column("status", "Status"),
        Column("sources", "Sources"), Column("id", "Strike id", show=False),
        Column("date_label", "Date (text)", show=False), Column("share", "Share (central)", "number", show=False),
        Column("share_low", "Share (lowest)", "number", show=False),
        Column("share_high", "Share (highest)", "number", show=False),
    )
    return Table(columns, tuple(rows))


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Dots per strike on a 0-100% scale: drones as circles, missiles as triangles."""
    base = alt.Chart(alt.Data(values=list(t.rows))).encode(x=utc_x("date", "Date of strike (night of)", width))
    colour = alt.Color("weapon:N", scale=alt.Scale(domain=["drones", "missiles"], range=[p.drones, p.missiles]),
                       legend=alt.Legend(title="Weapon", orient="top"))
    shape = alt.Shape("weapon:N", scale=alt.Scale(domain=["drones", "missiles"], range=["circle", "triangle-up"]),
                      legend=alt.Legend(title="Weapon", orient="top"))
    spread = base.transform_filter("datum.share_low < datum.share_high").mark_rule(strokeWidth=3, opacity=0.7).encode(
        y=alt.Y("share_low:Q"), y2="share_high:Q", color=colour)
    dots = base.mark_point(filled=False, strokeWidth=1.5).encode(
        y=alt.Y("share:Q", title="Share reported downed", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", tickCount=5)),
        color=colour, shape=shape, fill=colour, **status_channels(p, [r["status"] for r in t.rows]),
        tooltip=[alt.Tooltip("date_label:N", title="Night of"), alt.Tooltip("weapon:N", title="Weapon"),
                 alt.Tooltip("launched:N", title="Launched"), alt.Tooltip("downed:N", title="Reported downed"),
                 alt.Tooltip("share_label:N", title="Share downed")])
    return alt.layer(spread, dots).properties(width=WIDTHS[width], height=260 if width == "wide" else 220)


CHART = ChartDef(
    id="strikes-interception",
    title="Ukraine reports downing most drones, and a smaller, more variable share of missiles",
    subtitle="Share of drones and of missiles reported shot down or jammed, per mass strike, from Ukrainian "
             "official figures",
    alt="Dot chart of the share of launched drones and missiles that Ukraine reported downed in each mass strike. "
        "Drone shares mostly sit between about 80 and 95 per cent; missile shares are lower and vary more.",
    description="Each dot is one strike: circles for drones, triangles for missiles. The share divides the number "
                "reported downed by the number reported launched. Where sources give different figures, a bar "
                "spans the lowest and highest share they allow.",
    notes=("'Downed' as reported by Ukraine includes drones shot down and, in most reports since 2025, drones "
           "'lost' to electronic jamming; decoys count as drones.",
           "Strikes without both a launched and a downed figure are left out."),
    datasets=("strikes",),
    table=table,
    chart=chart,
)
