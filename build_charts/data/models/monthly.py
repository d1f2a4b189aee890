"""`data/monthly.yaml`: the air war month by month, and its civilian cost.

One record per calendar month: drones and missiles launched as counted from Ukraine's air force reports
(each figure with its source and that source's own definition in `note`, another producer's count in `by`),
and civilians killed and injured as verified by the UN Human Rights Monitoring Mission (HRMMU). A month
with no figure found has no entry for it: missing, never zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from pydantic import Field

from .common import Count, IsoDate, Issue, Meta, Record, Strict, rule


class Month(Record):
    """One calendar month of the air war: launches, and the civilians the UN verified killed and injured."""

    month: IsoDate
    """The month, written as its first day (2025-07-01 for July 2025)."""
    drones_launched: Count | None = None
    """Long-range drones (decoys included where the count includes them) launched in the month, per source."""
    missiles_launched: Count | None = None
    """Missiles of all kinds launched in the month, per source."""
    civilians_killed: Count | None = None
    """Civilians killed in the month as verified by the UN monitoring mission (a lower bound)."""
    civilians_injured: Count | None = None
    """Civilians injured in the month as verified by the UN monitoring mission (a lower bound)."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        """The month's first day, checked against the data's as_of like every date."""
        yield "month", self.month

    @rule("A month is written as its first day (2025-07-01).")
    def _first_day(self) -> Iterator[Issue]:
        if self.month.day != 1:
            yield ("month",), (f"write the month as its first day ({self.month:%Y-%m}-01): a monthly figure "
                               "covers the whole month")

    @rule("A month gives at least one figure: launches or civilian casualties.")
    def _has_a_figure(self) -> Iterator[Issue]:
        if not any((self.drones_launched, self.missiles_launched, self.civilians_killed, self.civilians_injured)):
            yield ("month",), ("this month has no figure: add drones_launched, missiles_launched, civilians_killed "
                               "or civilians_injured, or delete the month (a month without figures is missing)")


class MonthlyFile(Strict):
    """`data/monthly.yaml`: monthly launches and civilian casualties."""

    meta: Meta
    """What the dataset is, its unit and the day it is current to."""
    records: Annotated[list[Month], Field(min_length=1)]
    """One entry per month, in any order; each month once."""
