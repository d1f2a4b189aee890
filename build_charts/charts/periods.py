"""Calendar periods for charts that outgrow one mark per record: nights become weeks, months, quarters.

Weeks start on Monday (ISO). A chart picks the finest period that keeps its marks few enough to read at
its width, so a dataset that gains a strike every night still draws a legible, small chart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Literal

Period = Literal["night", "week", "month", "quarter", "year"]
ORDER: tuple[Period, ...] = ("night", "week", "month", "quarter", "year")
NOUN: dict[str, str] = {"night": "night", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}


def start(day: dt.date, period: Period) -> dt.date:
    """First day of the period that holds `day`."""
    if period == "night":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def end(first: dt.date, period: Period) -> dt.date:
    """Day after the period that starts on `first` (an exclusive end, for drawing spans)."""
    if period == "night":
        return first + dt.timedelta(days=1)
    if period == "week":
        return first + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = first.month - 1 + months
    return first.replace(year=first.year + month // 12, month=month % 12 + 1)


def label(first: dt.date, period: Period) -> str:
    """Readers' name of a period: 'week of 6 Jan 2025', 'January 2025', 'Q1 2025', '2025'."""
    if period == "night":
        return f"{first.day} {first:%B %Y}"
    if period == "week":
        return f"week of {first.day} {first:%b %Y}"
    if period == "month":
        return f"{first:%B %Y}"
    if period == "quarter":
        return f"Q{(first.month - 1) // 3 + 1} {first.year}"
    return str(first.year)


def choose(days: Iterable[dt.date], limit: int) -> Period:
    """The finest period in which the days fall into at most `limit` periods."""
    unique = sorted(set(days))
    for period in ORDER:
        if len({start(d, period) for d in unique}) <= limit:
            return period
    return "year"


Row = dict[str, Any]


def grouped(rows: Iterable[Row], period: Period, key: str = "date") -> list[tuple[dt.date, list[Row]]]:
    """Rows grouped by the period that holds their ISO date in `key`, oldest period first."""
    groups: dict[dt.date, list[Row]] = defaultdict(list)
    for row in rows:
        groups[start(dt.date.fromisoformat(row[key]), period)].append(row)
    return sorted(groups.items())
