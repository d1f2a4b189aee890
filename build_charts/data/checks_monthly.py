"""Cross-file check of `monthly.yaml` against `strikes.yaml`.

Why: a month's tally of the air force's reports counts every night of that month, so it can be no smaller
than the nights the strike data hold for it from the same producer; a smaller month means a wrong month, a
wrong figure or a count of something else, and the message gives both numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .checks import Datasets, _at, check
from .errors import Problem
from .models.common import Meta, Variant, producer_of, standing

KINDS = ("drones_launched", "missiles_launched")


def _own(figure: Sequence[Variant] | None, meta: Meta) -> float | None:
    values = [v.value for v in standing(figure) if v.value is not None and meta.producer
              and producer_of(v, meta) == meta.producer]
    return max(values, default=None)


@check("A month's launches (by the air force's tally) are at least the sum of that month's strikes in strikes.yaml "
       "counted by the same producer.")
def _months_hold_their_nights(datasets: Datasets) -> Iterator[Problem]:
    months, strikes = datasets.get("monthly"), datasets.get("strikes")
    if months is None or strikes is None or months.meta.producer != strikes.meta.producer:
        return
    for i, month in enumerate(months.records):
        nights = [r for r in strikes.records if (r.date.year, r.date.month) == (month.month.year, month.month.month)]
        for kind in KINDS:
            total = _own(getattr(month, kind), months.meta)
            counted = [n for n in (_own(getattr(r, kind), strikes.meta) for r in nights) if n is not None]
            if total is not None and sum(counted) > total:
                yield _at(months, ("records", i, kind), kind,
                          f"{total:,.0f} {kind.split('_')[0]} for {month.month:%B %Y} is less than the "
                          f"{sum(counted):,.0f} that the {len(counted)} strikes of that month in strikes.yaml add up "
                          "to: check the month, the figure, or whether it counts something else")
