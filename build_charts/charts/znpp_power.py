"""The Zaporizhzhia plant's losses of off-site power over time, with durations where known."""

from __future__ import annotations

import altair as alt

from ..data import Data
from ..data.models.common import figure_label, high, low
from .base import WIDTHS, ChartDef, Column, Table, Width, day_label, joined, utc_x
from .theme import Palette, status_channels

KIND_LABELS = {"full": "All off-site power lost", "single-line": "Left on a single line",
               "disconnection": "Cut off from the grid (other)"}


def _ordinal(n: int | None) -> str:
    if n is None:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def table(data: Data) -> Table:
    """One row per episode: start, end, kind, IAEA ordinal and duration range."""
    rows = []
    for r in sorted(data["znpp_power"].records, key=lambda x: (x.start, x.id)):
        rows.append({
            "id": r.id, "start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
            "start_label": day_label(r.start), "kind": r.kind, "kind_label": KIND_LABELS[r.kind],
            "iaea_ordinal": r.iaea_ordinal, "ordinal_label": _ordinal(r.iaea_ordinal),
            "hours_low": low(r.duration_hours), "hours_high": high(r.duration_hours),
            "duration": figure_label(r.duration_hours) + (" hours" if high(r.duration_hours) is not None else ""),
            "status": r.status, "sources": joined(r.sources),
        })
    columns = (
        Column("start", "Start", "date"), Column("end", "End", "date"), Column("kind_label", "What happened"),
        Column("ordinal_label", "IAEA count"), Column("duration", "Duration"), Column("status", "Status"),
        Column("sources", "Sources"), Column("id", "Episode id", show=False), Column("kind", "Kind", show=False),
        Column("start_label", "Start (text)", show=False),
        Column("iaea_ordinal", "IAEA ordinal", "number", show=False),
        Column("hours_low", "Hours (lowest reported)", "number", show=False),
        Column("hours_high", "Hours (highest reported)", "number", show=False),
    )
    return Table(columns, tuple(rows))


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Top: hours without power (log scale) per full loss. Bottom: every episode on the time line."""
    rows = list(t.rows)
    domain = [min(r["start"] for r in rows), data["znpp_power"].meta.as_of.isoformat()]
    x_top = utc_x("start", None, width, domain)
    x_bottom = utc_x("start", "Date", width, domain)
    timed = alt.Chart(alt.Data(values=rows)).transform_filter("datum.hours_high != null && datum.kind === 'full'")
    tooltip = [alt.Tooltip("start_label:N", title="Start"), alt.Tooltip("kind_label:N", title="What happened"),
               alt.Tooltip("ordinal_label:N", title="IAEA count"), alt.Tooltip("duration:N", title="Duration")]
    y = alt.Y("hours_high:Q", title="Hours without off-site power (log scale)",
              scale=alt.Scale(type="log", domain=[0.25, 1000]), axis=alt.Axis(values=[0.5, 1, 10, 100, 720],
                                                                               format="~g"))
    spread = timed.transform_filter("datum.hours_low < datum.hours_high").mark_rule(
        color=p.series[1], strokeWidth=4).encode(x=x_top, y=alt.Y("hours_low:Q"), y2="hours_high:Q")
    dots = timed.mark_point(color=p.series[1], filled=False, size=80).encode(
        x=x_top, y=y, fill=alt.value(p.series[1]), **status_channels(p, [r["status"] for r in t.rows]),
        tooltip=tooltip)
    labels = timed.mark_text(dy=-12, color=p.text, fontSize=11).encode(x=x_top, y=alt.Y("hours_high:Q"),
                                                                     text="ordinal_label:N")
    top = alt.layer(spread, dots, labels).properties(width=WIDTHS[width], height=200 if width == "wide" else 170)
    kind_scale = alt.Scale(domain=list(KIND_LABELS), range=[p.series[1], p.series[0], p.muted])
    strip_base = alt.Chart(alt.Data(values=rows))
    spans = strip_base.transform_filter("datum.end != null && datum.end > datum.start").mark_bar(
        height=10, opacity=0.8).encode(x=x_bottom, x2="end:T", y=alt.Y("kind_label:N", title=None,
                                                                      sort=list(KIND_LABELS.values())),
                                       color=alt.Color("kind:N", scale=kind_scale, legend=None), tooltip=tooltip)
    ticks = strip_base.mark_tick(thickness=2, size=14).encode(
        x=x_bottom, y=alt.Y("kind_label:N", title=None, sort=list(KIND_LABELS.values()),
                            axis=alt.Axis(labelLimit=200 if width == "wide" else 110)),
        color=alt.Color("kind:N", scale=kind_scale, legend=None), tooltip=tooltip)
    strip = alt.layer(spans, ticks).properties(width=WIDTHS[width], height=75)
    return alt.vconcat(top, strip).resolve_scale(x="shared")


CHART = ChartDef(
    id="znpp-offsite-power",
    title="The Zaporizhzhia plant has lost all off-site power 12 times, once for a month",
    subtitle="Losses of off-site power at the Zaporizhzhia nuclear power plant, with duration in hours where "
             "reported, as counted by the IAEA",
    alt="Timeline of the Zaporizhzhia plant's losses of off-site power since 2022, with durations on a log scale: "
        "most lasted hours, the 10th (September to October 2025) about a month.",
    description="The upper panel shows each complete loss of off-site power with a reported duration, labelled "
                "with the IAEA's count where a source gives it; the lower strip shows every episode, including "
                "periods when the plant hung on a single line.",
    notes=("The IAEA's numbering of the first five losses (August to November 2022) was not found; those episodes "
           "are shown without a count.",
           "Where the IAEA and the Russian-installed management differ (6 December 2025), both accounts are in "
           "the table."),
    datasets=("znpp_power",),
    table=table,
    chart=chart,
)
