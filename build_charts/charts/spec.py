"""From a chart definition and its table to Vega-Lite specs: the page variants and the titled download.

A title is a claim: `check_title` fails the build when the data no longer supports it. Specs are built in
the light theme only; dark images are colour swaps of the light ones (see `outputs`).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import altair as alt

from ..data import Data
from . import theme  # noqa: F401  (registers the themes)
from .base import (
    WIDTHS,
    ChartDef,
    Table,
    Width,
    datasets_for,
    day_label,
    fast_composition,
    latest,
    title_numbers,
    window_note,
)
from .theme import PALETTES

Spec = dict[str, Any]
MIN_FONT_PX = 12
"""Smallest text in any chart image; images are shown 1:1 or larger, so this is what readers see."""
VL_VERSION = "6.4"
"""Vega-Lite version used by vl-convert; pinned so output does not drift."""
TOP_LEVEL = frozenset({"$schema", "config", "datasets", "background", "padding", "autosize", "usermeta"})
"""Keys that belong to a whole spec, not to one view of it (they move up when a view is wrapped)."""
PUBLICATION = "Ukraine resilience explainer"
"""The publication's name as chart images credit it (the site's name in mkdocs.yml)."""


class ChartError(Exception):
    """A chart builder produced an invalid chart, or its title is false; names the chart and the reason."""


def check_title(defn: ChartDef, table: Table) -> None:
    """Fail when the title's claim does not hold for the table, or the title states a number the claim omits."""
    finding = defn.claim(table)
    missing = sorted(title_numbers(defn.title) - title_numbers(finding.claim), key=lambda n: (len(n), n))
    if missing:
        raise ChartError(f"chart '{defn.id}': the title states {', '.join(missing)} but its claim does not check "
                         f"it (claim: {finding.claim})")
    if not finding.holds:
        raise ChartError(f"chart '{defn.id}': the title \"{defn.title}\" is no longer true: it claims "
                         f"{finding.claim}, but {finding.numbers}. Edit the title and its claim, or the data.")


def dumps(obj: Any) -> bytes:
    """JSON as the project writes it: sorted keys, UTF-8, one space of indent, a final newline."""
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters (a word longer than that keeps its own line)."""
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def to_dict(chart_id: str, chart: alt.TopLevelMixin, theme_name: str, validate: bool = True) -> Spec:
    """The Vega-Lite spec of an Altair chart in a theme; an invalid chart is a ChartError naming the chart."""
    try:
        with alt.theme.enable(theme_name):
            return chart.to_dict(validate=validate)
    except Exception as exc:  # Altair raises several schema error types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ChartError(f"chart '{chart_id}': invalid chart specification: {first}") from None


def windowed(defn: ChartDef, table: Table, width: Width) -> tuple[Table, str | None]:
    """The rows a chart draws at `width`, and the note that says when they are only the latest ones."""
    win = defn.window
    dated = sum(1 for r in table.rows if r.get(win.key)) if win else 0
    if win is None or dated <= win.limits[width]:
        return table, None
    return latest(table, win.key, win.limits[width]), window_note(win, win.limits[width], dated)


def _with_note(chart: Any, note: str, width: Width) -> Any:
    """The chart under a line that says what it leaves out, in the image itself (it travels with the chart)."""
    return chart.properties(title=alt.Title(
        wrap(note, 44 if width == "narrow" else 90), anchor="start", frame="bounds", fontSize=MIN_FONT_PX,
        fontWeight="normal", color=PALETTES["light"].muted, lineHeight=15, offset=10))


_VALIDATED: set[tuple[str, object]] = set()
"""Charts whose specs this process has schema-validated. Why once: the schema checks the builder's code,
which a data edit does not change, and validation was a fifth of a data edit's render."""


def page_spec(defn: ChartDef, data: Data, table: Table, width: Width) -> Spec:
    """One light page variant: the builder's chart as a Vega-Lite spec, its rows in top-level named datasets."""
    shown, note = windowed(defn, table, width)
    with datasets_for() as named, fast_composition():
        try:
            chart = defn.chart(shown, data, PALETTES["light"], width)
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise ChartError(f"chart '{defn.id}': builder failed: {type(exc).__name__}: {first}") from None
        if note:
            chart = _with_note(chart, note, width)
        spec = to_dict(defn.id, chart, "ukr-light", validate=(defn.id, defn.chart) not in _VALIDATED)
    _VALIDATED.add((defn.id, defn.chart))
    if named:
        spec["datasets"] = {**spec.get("datasets", {}), **named}
    return spec


def source_line(defn: ChartDef, data: Data, table: Table) -> str:
    """The chart's credit as text: producers first, then the reports that carried the figures (`credits`)."""
    from .credits import chart_credits

    return chart_credits(defn, data, table).text()


def download_spec(defn: ChartDef, data: Data, table: Table, light_wide: Spec) -> Spec:
    """The light, wide chart with its title above and its source line below: the SVG and PNG readers download.

    Composed from the wide spec as data (the chart is not built again).
    """
    palette = PALETTES["light"]
    as_of = day_label(max(data[d].meta.as_of for d in defn.datasets))
    # "Data as of" on a line of its own, so the length of publishers' names can never split it.
    footer_text = [*wrap(f"Source: {source_line(defn, data, table)}.", 90),
                   f"Data as of {as_of}. {PUBLICATION} · CC BY 4.0"]
    footer = to_dict(defn.id, alt.Chart(alt.Data(values=[{}])).mark_text(
        align="left", baseline="top", color=palette.muted, fontSize=12, lineHeight=15,
    ).encode(x=alt.value(0), y=alt.value(0), text=alt.value(footer_text)).properties(
        width=WIDTHS["wide"], height=15 * len(footer_text)), "ukr-light", validate=False)
    view = {k: v for k, v in light_wide.items() if k not in TOP_LEVEL}
    return {**{k: v for k, v in light_wide.items() if k in TOP_LEVEL},
            "vconcat": [view, {k: v for k, v in footer.items() if k not in TOP_LEVEL}],
            "title": {"text": wrap(defn.title, 64), "subtitle": wrap(defn.subtitle, 90)}}


def specs(defn: ChartDef, data: Data, table: Table) -> dict[str, Spec]:
    """Every Vega-Lite spec of one chart: `light-wide`, `light-narrow` and the titled `download`."""
    out: dict[str, Spec] = {f"light-{width}": page_spec(defn, data, table, width) for width in WIDTHS}
    out["download"] = download_spec(defn, data, table, out["light-wide"])
    return out


def golden_spec(spec: Any) -> Any:
    """A spec without what the data decides (rows, domains, sizes): golden files pin chart code, not data."""
    if isinstance(spec, dict):
        scale = isinstance(spec.get("domain"), list)  # a scale whose domain (and so range) the data chose
        return {k: ("<data>" if k in ("values", "domain") and isinstance(v, list)
                    else "<data>" if k == "datasets" and isinstance(v, dict)
                    else "<data>" if k == "range" and scale and isinstance(v, list)
                    else "<data>" if k == "height" and isinstance(v, (int, float))
                    else "<data>" if k == "name" and isinstance(v, str) and v.startswith("data-") else golden_spec(v))
                for k, v in spec.items()}
    if isinstance(spec, list):
        return [golden_spec(v) for v in spec]
    return spec
