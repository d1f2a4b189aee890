"""Share of launched drones and missiles that Ukraine reports stopping (downed or lost to jamming), per strike.

The share is (downed + lost) / launched, both read from the same account (`stopped_and_launched`), so it
follows the air force's own definition of "downed". It is never capped: where sources cannot be read
together (`sources_conflict`), the strike is drawn as a range with a diamond and the table says why.
Each panel marks its median, the number the title is about.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from ..data.models.datasets import stopped_and_launched
from . import periods
from .base import PAGE_ROWS, ChartDef, Column, Finding, Table, Width, day_label, joined, rows_data, utc_x
from .layout import Box, Label, Linear, days, place, point_box
from .parts import gap_layer, gap_rows, header_box, header_rows, label_layers, layered, plot_width, text_layer, y_axis
from .theme import Palette, status_channels

LIMIT: dict[str, int] = {"wide": 150, "narrow": 60}
EXTENT = 44
RIGHT = 8
HEIGHT = {"wide": 150, "narrow": 130}
WEAPONS = {"drones": "Drones", "missiles": "Missiles"}


def _pct(share: float) -> str:
    return f"{share:.0%}"


def table(data: Data) -> Table:
    """One row per strike and weapon with a stopped and a launched figure from the same account."""
    ds = data["strikes"]
    rows = []
    for s in sorted(ds.records, key=lambda r: (r.date, r.id)):
        for kind in WEAPONS:
            stopped, launched = stopped_and_launched(s, kind)
            if stopped is None or not launched:
                continue
            every = [v for v in (low(getattr(s, f"{kind}_launched")), high(getattr(s, f"{kind}_launched"))) if v]
            share = stopped / launched
            conflict = s.sources_conflict is not None
            lo, hi = (stopped / max(every), stopped / min(every)) if conflict else (share, share)
            label = _pct(share) if lo == hi else f"{_pct(lo)} to {_pct(hi)}"
            rows.append({
                "id": s.id, "date": s.date.isoformat(), "date_label": day_label(s.date), "weapon": kind,
                "launched": figure_label(getattr(s, f"{kind}_launched")),
                "downed": figure_label(getattr(s, f"{kind}_downed")),
                "lost": figure_label(getattr(s, f"{kind}_lost")),
                "stopped_count": stopped, "launched_count": launched,
                "share": round(share, 4), "share_low": round(lo, 4), "share_high": round(hi, 4),
                "share_label": label + (" (sources conflict)" if conflict else ""),
                "conflict": conflict, "conflict_note": s.sources_conflict or "",
                "status": s.status, "sources": joined(s.sources),
            })
    columns = (
        Column("date", "Date (night of)", "date"), Column("weapon", "Weapon"), Column("launched", "Launched"),
        Column("downed", "Reported downed"), Column("lost", "Lost to jamming"),
        Column("share_label", "Share stopped"), Column("status", "Status"), Column("sources", "Sources"),
        Column("conflict_note", "Why sources conflict"),
        Column("id", "Strike id", show=False), Column("date_label", "Date (text)", show=False),
        Column("stopped_count", "Downed or lost (same account)", "number", show=False),
        Column("launched_count", "Launched (same account)", "number", show=False),
        Column("share", "Share (same account)", "number", show=False),
        Column("share_low", "Share (lowest)", "number", show=False),
        Column("share_high", "Share (highest)", "number", show=False),
        Column("conflict", "Sources conflict", show=False),
    )
    gaps = tuple({"start": g.start.isoformat(), "end": g.end.isoformat(), "reason": g.reason} for g in ds.meta.gaps)
    full = Table(columns, tuple(rows), ds.meta.as_of.isoformat(), gaps)
    return Table(columns, full.rows, full.as_of, gaps, page=monthly(full) if len(rows) > PAGE_ROWS else None)


def _pooled(items: list[dict[str, Any]]) -> float | None:
    """Share of a group of strikes: all stopped over all launched (conflicting accounts left out)."""
    usable = [r for r in items if not r["conflict"]]
    launched = sum(r["launched_count"] for r in usable)
    return sum(r["stopped_count"] for r in usable) / launched if launched else None


def monthly(t: Table) -> Table:
    """The page's summary of a long table: per month (or coarser, to stay short), the pooled share stopped."""
    period = periods.choose((dt.date.fromisoformat(r["date"]) for r in t.rows), PAGE_ROWS)
    rows = []
    for first, items in periods.grouped(t.rows, period):
        out: dict[str, Any] = {"period": periods.label(first, period), "strikes": len({r["id"] for r in items}),
                               "conflicts": len({r["id"] for r in items if r["conflict"]})}
        for kind in WEAPONS:
            share = _pooled([r for r in items if r["weapon"] == kind])
            out[kind] = _pct(share) if share is not None else ""
        rows.append(out)
    columns = [Column("period", periods.NOUN[period].capitalize()), Column("strikes", "Strikes", "number"),
               Column("drones", "Drones stopped (pooled)"), Column("missiles", "Missiles stopped (pooled)"),
               Column("conflicts", "Strikes with conflicting sources", "number")]
    # Why: a column that is 1 (one strike a period) or 0 (no conflict) in every row tells the reader nothing.
    columns = [c for c in columns if c.key not in ("strikes", "conflicts")
               or any(r[c.key] != (1 if c.key == "strikes" else 0) for r in rows)]
    return Table(tuple(columns), tuple(rows), t.as_of)


def _spread(values: list[float]) -> float:
    """Interquartile range: how much the middle half of the shares varies."""
    if len(values) < 2:
        return 0.0
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[2] - q[0]


def claim(t: Table) -> Finding:
    """Most drones are stopped (median over half); missiles less often (lower median) and less evenly (wider IQR)."""
    shares = {k: [r["share"] for r in t.rows if r["weapon"] == k and not r["conflict"]] for k in WEAPONS}
    if not shares["drones"] or not shares["missiles"]:
        return Finding("the median strike saw most drones stopped, and a lower, more variable share of missiles",
                       False, "the table lacks drone or missile shares")
    med = {k: statistics.median(v) for k, v in shares.items()}
    iqr = {k: _spread(v) for k, v in shares.items()}
    holds = med["drones"] > 0.5 and med["missiles"] < med["drones"] and iqr["missiles"] > iqr["drones"]
    return Finding("the median strike saw more than half of drones stopped, missiles a lower median share, and "
                   "missile shares a wider interquartile range than drone shares", holds,
                   f"median drones {_pct(med['drones'])} (IQR {_pct(iqr['drones'])}), median missiles "
                   f"{_pct(med['missiles'])} (IQR {_pct(iqr['missiles'])})")


def _marks(t: Table, kind: str, width: Width) -> tuple[periods.Period, list[dict[str, Any]]]:
    rows = [r for r in t.rows if r["weapon"] == kind]
    period = periods.choose((dt.date.fromisoformat(r["date"]) for r in t.rows if r["weapon"] == "drones"),
                            LIMIT[width])
    if period == "night":
        return period, [dict(r, end=r["date"], label=r["share_label"], strikes=1) for r in rows]
    marks = []
    for first, items in periods.grouped(rows, period):
        share = _pooled(items)
        if share is None:
            continue
        marks.append({"id": first.isoformat(), "date": first.isoformat(), "date_label": periods.label(first, period),
                      "share": round(share, 4), "share_low": round(share, 4), "share_high": round(share, 4),
                      "label": _pct(share), "conflict": False, "strikes": len(items),
                      "status": "claimed" if any(r["status"] == "claimed" for r in items) else "reported"})
    return period, marks


def _panel(t: Table, p: Palette, width: Width, kind: str, top_share: float, bottom: bool) -> alt.LayerChart:
    colour = p.drones if kind == "drones" else p.missiles
    period, marks = _marks(t, kind, width)
    earliest = min(dt.date.fromisoformat(r["date"]) for r in t.rows)
    # Why the period's start too: a week or quarter can begin before the month of the first strike, and its
    # point must fall inside the plot.
    first = min(earliest.replace(day=1), periods.start(earliest, period))
    last = dt.date.fromisoformat(t.as_of) + dt.timedelta(days=1)
    w, h = plot_width(width, EXTENT, RIGHT), HEIGHT[width]
    px, py = Linear(days(first), days(last), 0, w), Linear(0, top_share, h, 0)
    what = "per strike" if period == "night" else f"all strikes of each {periods.NOUN[period]} pooled"
    gaps = gap_rows(t.gaps, first.isoformat(), last.isoformat())
    shaded = "; shaded: not fully collected" if gaps and kind == "drones" else ""
    head, head_h = header_rows([f"{WEAPONS[kind]}: share downed or lost to jamming, {what}{shaded}"], w, 0)
    for row in head:
        row["y"] = -head_h - 10
    x = utc_x("date", "Date of strike (night of)" if bottom else None, width, [first.isoformat(), last.isoformat()],
              axis=None if bottom else {"labels": False, "ticks": False})
    y_scale = alt.Scale(domain=[0, top_share], nice=False)
    data = alt.Chart(rows_data(marks))
    status = status_channels(p, [m["status"] for m in marks])
    shape = alt.Shape("conflict:N", legend=None, scale=alt.Scale(
        domain=[False, True], range=["circle" if kind == "drones" else "triangle-up", "diamond"]))
    shares = [m["share"] for m in marks if not m["conflict"]]
    median = statistics.median(shares) if shares else None
    med_rows = [] if median is None else [{"share": median}]
    ticks = [i / 4 for i in range(int(top_share * 4) + 1)]
    layers: list[Any] = [
        gap_layer(gaps, alt.X("start:T", scale=alt.Scale(type="utc")), p),
        alt.Chart(rows_data(med_rows)).mark_rule(color=p.reference, strokeDash=[4, 3], strokeWidth=1.5).encode(
            y=alt.Y("share:Q", scale=y_scale, axis=y_axis(EXTENT, fmt="%", values=ticks, grid=True))),
        data.transform_filter("datum.share_low < datum.share_high").mark_rule(strokeWidth=3, color=colour).encode(
            x=x, y=alt.Y("share_low:Q", scale=y_scale), y2="share_high:Q"),
        data.mark_point(size=50, strokeWidth=1.5, filled=False, opacity=1, color=colour, fill=colour).encode(
            x=x, y=alt.Y("share:Q", scale=y_scale), shape=shape, **status,
            tooltip=[alt.Tooltip("date_label:N", title="Night of"), alt.Tooltip("label:N", title="Share stopped"),
                     alt.Tooltip("strikes:Q", title="Strikes")]),
        text_layer(head, p, p.muted),
    ]
    obstacles = [*header_box(head)]
    for m in marks:
        obstacles.append(point_box(px(days(m["date"])), py(m["share"]), 5))
        if m["share_low"] < m["share_high"]:
            obstacles.append(Box(px(days(m["date"])) - 2, py(m["share_high"]), px(days(m["date"])) + 2,
                                 py(m["share_low"])))
    wanted = []
    if median is not None:
        wanted.append(Label(f"Median {_pct(median)}", w, py(median), bold=True, slide=w * 0.7))
    conflicted = [m for m in marks if m["conflict"]]
    if conflicted:
        c = conflicted[-1]
        wanted.append(Label("Sources conflict", px(days(c["date"])), py(c["share_high"])))
    layers.extend(label_layers(place(wanted, Box(0, 0, w, h), obstacles), p))
    return layered(*layers).properties(width=w, height=h)


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Drones above, missiles below, on one 0-100% scale (above 100% only where sources conflict)."""
    top = max([1.0, *(r["share_high"] for r in t.rows)])
    return alt.vconcat(_panel(t, p, width, "drones", top, bottom=False),
                       _panel(t, p, width, "missiles", top, bottom=True), spacing=14).resolve_scale(
        x="shared", shape="independent")


CHART = ChartDef(
    id="strikes-interception",
    short="Share of drones and missiles stopped",
    title="Ukraine reports stopping most drones, and a smaller, more variable share of missiles",
    subtitle="Share of drones and of missiles launched that Ukraine reported shot down or lost to electronic "
             "jamming, per mass strike, from Ukrainian official figures (per cent)",
    alt="Two dot charts of the share of launched drones and of missiles that Ukraine reported stopping in each mass "
        "strike: drone shares are mostly high; missile shares are lower and vary more. A dashed line marks the "
        "median strike.",
    description="Each mark is one strike: circles for drones, triangles for missiles. The share adds the drones "
                "or missiles reported downed and those reported lost to jamming, and divides by the number launched "
                "in the same account. The dashed line is the median strike. Where sources cannot be read together "
                "the strike is a diamond with a bar from the lowest to the highest share they allow, even above "
                "100%; the table says why.",
    notes=("'Downed' as reported by Ukraine includes drones shot down and drones 'lost' to electronic jamming; the "
           "two are added where the air force gives them separately. Decoys count as drones.",
           "Strikes without both a launched and a downed figure are left out."),
    datasets=("strikes",),
    table=table,
    chart=chart,
    claim=claim,
    aggregates=("week", "month", "quarter"),
)
