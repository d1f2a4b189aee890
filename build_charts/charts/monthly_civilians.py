"""The civilian cost month by month: civilians killed and injured as the UN verified them, two panels.

Each bar is one month from zero on a linear scale, over the months the UN Human Rights Monitoring Mission's
figures cover (not the launch months: the two charts have their own spans). The mission counts only cases it has
verified, so every bar is a lower bound; a figure the mission later restated is in the table as its first
count, and the restated figure is drawn. A month without a figure is a shaded band marked "no figure".
"""

from __future__ import annotations

import altair as alt

from ..data import Data
from ..data.models.common import figure_label
from .base import ChartDef, Column, Finding, Table, Width, fmt_count
from .monthly_volume import HEIGHT, _own, monthly_table, panel
from .theme import Palette

UN = "the UN monitoring mission"
"""Whose count the bars draw (the figures' `by`)."""
PANELS = (("civilians_killed", "Civilians killed per month", "killed"),
          ("civilians_injured", "Civilians injured per month", "injured"))
PEAK_KILLED = (286, "2025-07")
"""The title's peak: (civilians killed, month)."""


def _revisions(r: object, meta: object) -> str:
    """The mission's earlier counts of the month, in words ("first count: 126 killed")."""
    out = []
    for kind, word in (("civilians_killed", "killed"), ("civilians_injured", "injured")):
        out += [f"first count {v.label()} {word}" for v in getattr(r, kind) or [] if v.withdrawn is not None]
    return "; ".join(out)


def table(data: Data) -> Table:
    """One row per month with a UN figure: the mission's standing counts drawn, earlier counts in words."""
    return monthly_table(data, PANELS, lambda r, meta: {
        "civilians_killed": _own(r.civilians_killed, meta, UN),
        "civilians_injured": _own(r.civilians_injured, meta, UN),
        "killed": figure_label(r.civilians_killed, numeric_only=True),
        "injured": figure_label(r.civilians_injured, numeric_only=True),
        "revisions": _revisions(r, meta),
    }, (Column("killed", "Civilians killed"), Column("injured", "Civilians injured"),
        Column("revisions", "Earlier counts")),
        (Column("civilians_killed", "Killed (UN, drawn)", "number", show=False),
         Column("civilians_injured", "Injured (UN, drawn)", "number", show=False)))


def claim(t: Table) -> Finding:
    """The month with the most civilians killed (as the UN verified them) is July 2025, with 286."""
    counted = [r for r in t.rows if r["civilians_killed"] is not None]
    top = max(counted, key=lambda r: (r["civilians_killed"], r["month"]), default=None)
    found = (top["civilians_killed"], top["month"][:7]) if top else (None, None)
    return Finding(f"the month with the most civilians killed is {PEAK_KILLED[1]} with {PEAK_KILLED[0]:,}",
                   found == PEAK_KILLED, f"most civilians killed: {fmt_count(found[0])} in {found[1]}")


def chart(t: Table, data: Data, p: Palette, width: Width) -> alt.TopLevelMixin:
    """Killed over injured on one month axis; a shaded band marks a month with no figure."""
    first = min(r["month"] for r in t.rows)
    last = max(r["end"] for r in t.rows)
    panels = [panel(t, p, width, spec, p.muted, first, last, bottom=i == len(PANELS) - 1, height=HEIGHT[width])
              for i, spec in enumerate(PANELS)]
    return alt.vconcat(*panels, spacing=30).resolve_scale(x="shared", y="independent")


CHART = ChartDef(
    id="monthly-civilians",
    short="Civilians killed and injured by month",
    title="The UN verified the most civilian deaths in July 2025: 286",
    subtitle="Civilians killed and injured in Ukraine each month, as verified by the UN Human Rights Monitoring "
             "Mission (count per month; a lower bound); shaded: no figure found",
    alt="Two bar charts, one bar per month from {{ monthly.@first.month | month }}: civilians killed, most in "
        "{{ monthly.@max:civilians_killed.month | month }}, and civilians injured, as verified by the UN.",
    description="Each bar is one month, from zero: the civilians the UN Human Rights Monitoring Mission in Ukraine "
                "verified as killed or injured, a lower bound that the mission revises upward as it verifies more "
                "cases. Where it restated a month, the restated figure is drawn and its first count is in the table. "
                "A shaded month marked \"no figure\" has no figure found, which is not a zero.",
    notes=("The mission counts only the cases it has verified and says the real numbers are likely considerably "
           "higher.",),
    datasets=("monthly",),
    figures=("civilians_killed", "civilians_injured"),
    table=table,
    chart=chart,
    claim=claim,
)
