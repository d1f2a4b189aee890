"""HTML from Jinja2 templates with autoescape: every value from the data is escaped by the template engine.

Why templates and not f-strings: one forgotten `escape()` in an f-string is an injection; with autoescape a
value can only become markup through an explicit `Markup`, which this package never builds from data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..charts.base import day_label, day_range

ENV = Environment(loader=PackageLoader("build_charts.site", "templates"), autoescape=True,
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def reader_day(value: object) -> str:
    """An ISO date of a table cell as readers write it (6 December 2025); anything else as it is.

    Why here: tables keep ISO dates for the CSV and JSON downloads and for sorting; the page shows the house style.
    """
    try:
        return day_label(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


ENV.globals.update(day_label=day_label, day_range=day_range, reader_day=reader_day)


def render(name: str, **context: Any) -> str:
    """A template of `build_charts/site/templates/` filled with `context`."""
    return ENV.get_template(name).render(**context)


def block(macro: str, *args: Any) -> str:
    """One macro of `blocks.html` (the byline, the corrections contact, ...)."""
    return str(getattr(ENV.get_template("blocks.html").module, macro)(*args))
