"""Dates as editors write them: YYYY-MM-DD only, with a plain-words fix for every other way of writing one.

The strict reader keeps dates as text (YAML 1.1 would turn `2022-10-10` into a date and `20221010`
into a number); this validator parses them and, when the text is not an ISO date, says how to
write it, with the fixed date where the intended one is clear.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WITH_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}.*")
_NUMERIC = re.compile(r"(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_WORDS = re.compile(r"(?:(\d{1,2})\s+([A-Za-z]+)|([A-Za-z]+)\s+(\d{1,2}),?)\s+(\d{4})")

FORMAT = "write dates as YYYY-MM-DD (year-month-day)"


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _guess(text: str) -> list[str]:
    """The ISO dates an editor may have meant by `text` (one when it is clear, two when day and month are not)."""
    match = _NUMERIC.fullmatch(text)
    if match:
        a, b, c = (int(g) for g in match.groups())
        if len(match.group(1)) == 4:
            return [d for d in [_iso(a, b, c)] if d]
        if len(match.group(3)) != 4:
            return []
        options = [_iso(c, b, a), _iso(c, a, b)]  # day/month/year first: the usual order outside the US
        return list(dict.fromkeys(d for d in options if d))
    match = _WORDS.fullmatch(text.strip())
    if match:
        day, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        number = _MONTHS.get(month.lower())
        found = _iso(int(match.group(5)), number, int(day)) if number else None
        return [found] if found else []
    return []


def _not_real(text: str, year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"{text} is not a real date: there is no month {month:02d} (months run from 01 to 12); {FORMAT}"
    if day == 0:
        return f"{text} is not a real date: there is no day 00 (days run from 01); check the day"
    last = calendar.monthrange(year, month)[1]
    return (f"{text} is not a real date: {calendar.month_name[month]} {year} has {last} days; "
            "check the day")


def _how_to_write(value: Any) -> str:
    """Why `value` is not an ISO date, and how to write the date it seems to be."""
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        fixed = _iso(int(digits[:4]), int(digits[4:6]), int(digits[6:])) if len(digits) == 8 else None
        if fixed:
            return f"write the date with hyphens: {fixed} (got {value})"
        return f"{FORMAT}, e.g. 2025-12-06 (got the number {value})"
    if value is None or value == "":
        return f"the date is missing; {FORMAT}, e.g. 2025-12-06"
    if not isinstance(value, str):
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        return f"{FORMAT}, e.g. 2025-12-06 (got {shown})"
    match = _ISO_DATE.fullmatch(value)
    if match:
        return _not_real(value, *(int(g) for g in match.groups()))
    timed = _WITH_TIME.fullmatch(value)
    if timed:
        return f"write the date only, without the time: {timed.group(1)} (got {value!r})"
    options = _guess(value)
    if len(options) == 1:
        return f"{FORMAT}: {options[0]} (got {value!r})"
    if len(options) == 2:
        return f"{FORMAT}: {options[0]} or {options[1]}, depending on which number is the day (got {value!r})"
    if re.fullmatch(r"\d{2}-\d{2}-\d{2}", value):
        return f"{FORMAT}, with the year in four digits (got {value!r})"
    return f"{FORMAT}, e.g. 2025-12-06 (got {value!r})"


def iso_date(value: Any) -> Any:
    """Parse an ISO date, or raise ValueError saying, in plain words, how to write it."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_how_to_write(value))


IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]
"""A calendar date written YYYY-MM-DD."""
