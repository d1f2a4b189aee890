"""What every chart declares, and the table that feeds both the chart and its downloads.

A chart is built from its Table, so the CSV/JSON a reader downloads holds
every row behind the chart (when a chart aggregates, it aggregates these rows).
Dates are ISO strings (parsed as UTC by Vega-Lite) plus a preformatted label,
so no reader's time zone can shift a day.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import altair as alt
from altair import TopLevelMixin
from altair.utils import schemapi

from ..data import Data
from .theme import Palette

Width = Literal["wide", "narrow"]
WIDTHS: dict[Width, int] = {"wide": 608, "narrow": 288}
"""Whole-image widths in px: the narrowest content column each variant is shown in, so no reader sees it
shrunk. Material's column is the window width less 32 px up to 959 px, then 686-945 px, then 688 px from
1220 px. The narrow image (windows up to 640 px) is drawn for a 320 px phone's 288 px column; the wide one
for the 609 px column of a 641 px window. charts.css shows each 1:1 or enlarged (narrow at most by 4/3)."""


_DATASETS: contextvars.ContextVar[dict[str, list[Any]] | None] = contextvars.ContextVar("chart_datasets",
                                                                                       default=None)


def rows_data(values: Iterable[Any]) -> alt.Data:
    """The chart's rows as named data, kept once in the spec's top-level `datasets`.

    Why: inline rows (`alt.Data(values=...)`) are deep-copied by Altair every time a chart is layered or
    concatenated, which took most of the time of building a chart's specs; a name is cheap to copy. Outside a
    build (`datasets_for`), the rows stay inline.
    """
    rows = list(values)
    registry = _DATASETS.get()
    if registry is None:
        return alt.Data(values=rows)
    text = json.dumps(rows, sort_keys=True, default=str)
    name = "data-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    registry.setdefault(name, rows)
    return alt.Data(name=name)


def _has_params(chart: Any) -> bool:
    """Whether a chart or any chart inside it declares parameters (selections, variables)."""
    if not alt.utils.is_undefined(getattr(chart, "params", alt.Undefined)) and chart.params:
        return True
    for key in ("layer", "concat", "hconcat", "vconcat"):
        inner = getattr(chart, key, alt.Undefined)
        if not alt.utils.is_undefined(inner) and any(_has_params(c) for c in inner):
            return True
    spec = getattr(chart, "spec", alt.Undefined)
    return not alt.utils.is_undefined(spec) and _has_params(spec)


class fast_composition:
    """Compose charts without Altair's defensive deep copies, while no chart declares parameters.

    Why: Altair copies every subchart, deeply, each time charts are layered or concatenated, to lift their
    parameters (selections) to the top. Our charts declare none, and those copies took most of the time of
    building a chart. While active, charts without parameters are composed without the copies (the spec is the
    same: tests/test_charts.py compares); a chart with parameters takes Altair's own path.
    """

    def __enter__(self) -> None:
        api = alt.vegalite.v6.api
        self._saved = (api._combine_subchart_params, api._remove_duplicate_params)
        combine, remove = self._saved

        def fast_combine(params: Any, subcharts: list[Any]) -> Any:
            if (alt.utils.is_undefined(params) or not params) and not any(_has_params(c) for c in subcharts):
                return params, list(subcharts)
            return combine(params, subcharts)

        def fast_remove(layer: list[Any]) -> list[Any]:
            return list(layer) if not any(_has_params(c) for c in layer) else remove(layer)

        api._combine_subchart_params, api._remove_duplicate_params = fast_combine, fast_remove
        self._saved_init = schemapi._FromDict.__init__
        # A deliberate patch of Altair's class for the block's length (mypy refuses any assignment to a method).
        schemapi._FromDict.__init__ = _shared_class_table  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        api = alt.vegalite.v6.api
        api._combine_subchart_params, api._remove_duplicate_params = self._saved
        schemapi._FromDict.__init__ = self._saved_init  # type: ignore[method-assign]  # undoing the patch


_CLASS_TABLES: dict[tuple[type, ...], Any] = {}
_ORIGINAL_FROM_DICT_INIT = schemapi._FromDict.__init__


def _shared_class_table(self: Any, wrapper_classes: Iterable[type], /) -> None:
    """Altair's table from schema hash to class, built once per set of classes instead of at every call.

    Why: each channel given as a string ("end:T") made Altair hash the schemas of all its ~500 classes to
    build this table anew: about half the time of building a chart. The table depends only on the classes.
    """
    classes = tuple(wrapper_classes)
    table = _CLASS_TABLES.get(classes)
    if table is None:
        _ORIGINAL_FROM_DICT_INIT(self, classes)
        _CLASS_TABLES[classes] = self.class_dict
    else:
        self.class_dict = table


class datasets_for:
    """Collects the rows `rows_data` names while a chart is built, for the spec's top-level `datasets`."""

    def __enter__(self) -> dict[str, list[Any]]:
        self.named: dict[str, list[Any]] = {}
        self._token = _DATASETS.set(self.named)
        return self.named

    def __exit__(self, *exc: object) -> None:
        _DATASETS.reset(self._token)


@dataclass(frozen=True)
class Column:
    """A column of a chart's data table: key in the rows, label for readers."""

    key: str
    label: str
    kind: Literal["text", "number", "date"] = "text"
    show: bool = True
    """Shown in the page's HTML table; helper columns (ranges, ids) live only in CSV/JSON."""


@dataclass(frozen=True)
class Table:
    """Rows behind one chart; also its CSV, JSON and HTML table."""

    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    as_of: str = ""
    """ISO date the data runs to: claims about 'the latest' data are measured from it."""
    gaps: tuple[dict[str, str], ...] = ()
    """Periods ({start, end, reason}) in which collection is known to be incomplete: drawn as gaps."""
    page: Table | None = None
    """A shorter table for the page when the full one is too long to read there; downloads keep every row."""

    def source_ids(self) -> list[str]:
        """Every source id cited by the rows, in first-seen order."""
        seen: dict[str, None] = {}
        for row in self.rows:
            for sid in str(row.get("sources", "")).split("; "):
                if sid:
                    seen.setdefault(sid, None)
        return list(seen)


@dataclass(frozen=True)
class Finding:
    """A title's claim evaluated on a table: the claim in words, whether it holds, and the numbers behind it."""

    claim: str
    holds: bool
    numbers: str


_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def title_numbers(text: str) -> set[str]:
    """The numbers written in a text ('600', '50,000', '2025-26' gives 2025 and 26), without separators."""
    return {n.replace(",", "") for part in _NUMBER.findall(text) for n in re.split(r"[.]", part) if n}


@dataclass(frozen=True)
class Window:
    """How a chart that cannot group its rows stays legible as they grow: it draws the latest rows and says so."""

    key: str
    """The date column that orders rows ('start', 'date')."""
    limits: dict[str, int]
    """Most rows drawn at each width ('wide', 'narrow')."""
    noun: str
    """What a row is, in the plural, for the note in the image ('meetings')."""


def latest(table: Table, key: str, limit: int) -> Table:
    """The `limit` dated rows with the latest `key` (ties by position), in the table's own order.

    Rows without a date (reference bands, for example) are not events and always stay.
    """
    dated = [i for i, r in enumerate(table.rows) if r.get(key)]
    order = sorted(dated, key=lambda i: (str(table.rows[i][key]), i))
    keep = set(order[-limit:]) | {i for i, r in enumerate(table.rows) if not r.get(key)}
    return Table(table.columns, tuple(r for i, r in enumerate(table.rows) if i in keep), table.as_of, table.gaps)


def window_note(window: Window, shown: int, total: int) -> str:
    """The line above a windowed chart: what it draws and where the rest is."""
    return f"The latest {shown} of {total:,} {window.noun}; every one is in the data table download."


@dataclass(frozen=True)
class ChartDef:
    """One chart: metadata readers see, its table and chart builders, and the claim its title makes."""

    id: str
    title: str
    subtitle: str
    alt: str
    description: str
    notes: tuple[str, ...]
    datasets: tuple[str, ...]
    table: Callable[[Data], Table]
    chart: Callable[[Table, Data, Palette, Width], TopLevelMixin]  # not alt.…: the field `alt` shadows the module
    claim: Callable[[Table], Finding]
    """What the title asserts, checked against the table on every build: a data edit that makes the
    title false fails the build (render.check_title). Every number in the title must appear in the claim."""
    aggregates: tuple[str, ...] = field(default=())
    """How the chart condenses rows when they outgrow it (documented for editors), e.g. ('week', 'month')."""
    window: Window | None = None
    """For charts that draw one mark per row and cannot group them: the latest rows drawn past a limit."""
    short: str = ""
    """A name of a few words for lists that name many charts (the Sources page's "used in")."""
    figures: tuple[str, ...] = ()
    """The record fields the chart draws, when it draws only some of a dataset's figures (the monthly charts):
    its credit line names only the producers of these. Empty: every figure of the rows' records."""


PAGE_ROWS = 60
"""Most rows a page's data table shows; a longer table is summarised there and kept whole in the downloads."""

CAPTION_PUBLISHERS = 6
"""Publishers named in a source line; the rest are counted ("and 12 more") and listed on Sources."""


def day_label(day: dt.date) -> str:
    """House style date: 6 December 2025."""
    return f"{day.day} {day:%B %Y}"


def day_range(start: dt.date, end: dt.date) -> str:
    """House style date range: 6 December 2025, 4-6 December 2025, 30 November-2 December 2025."""
    if start == end:
        return day_label(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{day_label(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B}-{day_label(end)}"
    return f"{day_label(start)}-{day_label(end)}"


def short_day(day: dt.date) -> str:
    """Compact house-style date for chart labels: 6 Dec 2025."""
    return f"{day.day} {day:%b %Y}"


def joined(ids: Iterable[str]) -> str:
    """Source ids as one cell: 'a; b'."""
    return "; ".join(dict.fromkeys(ids))


def fmt_count(value: float | None) -> str:
    """A count as readers write it: 653, 1,200,000."""
    return "" if value is None else f"{value:,.0f}"


def utc_x(field: str, title: str | None, width: Width, domain: list[str] | None = None,
          axis: dict[str, Any] | None = None) -> alt.X:
    """A UTC time axis (a reader in New York still sees 6 December as 6 December), labelled by year."""
    scale = alt.Scale(type="utc", domain=domain) if domain else alt.Scale(type="utc")
    settings: dict[str, Any] = {"format": "%Y", "labelOverlap": True, "tickCount": "year", "labelFlush": True,
                                "grid": False}
    settings.update(axis or {})
    return alt.X(f"{field}:T", title=title, scale=scale, axis=alt.Axis(**settings))
