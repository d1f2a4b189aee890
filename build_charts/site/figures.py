"""Chart figures and standalone embed pages, from the templates `figure.html` and `embed.html`.

URLs are given by the caller (the site knows its layout); every value is escaped by the templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..charts.base import PAGE_ROWS, ChartDef, Table, latest
from ..charts.credits import chart_credits
from ..charts.render import Rendered
from ..charts.spec import ChartError
from ..data import Data
from ..data.tiers import is_weak
from .refs import RefError, expand_text
from .templates import render

UrlFor = Callable[[str], str]
"""Maps a site path such as 'charts/x/x.csv' or 'sources/' to a URL usable from the page."""

_SVG_SIZE = re.compile(rb'<svg[^>]*?width="([0-9.]+)"[^>]*?height="([0-9.]+)"')
DOWNLOADS = (("csv", "CSV"), ("json", "JSON"), ("svg", "SVG"), ("png", "PNG"))


def svg_size(svg: bytes) -> tuple[int, int]:
    """Intrinsic width and height of a rendered SVG (for layout-stable <img> tags)."""
    match = _SVG_SIZE.search(svg[:2000])
    if not match:
        return (0, 0)
    return (round(float(match.group(1))), round(float(match.group(2))))


def _sizes(rendered: Rendered) -> dict[str, tuple[int, int]]:
    cid = rendered.chart.id
    return {f"{scheme}-{width}": svg_size(rendered.files.get(f"{cid}-{scheme}-{width}.svg", b""))
            for scheme in ("light", "dark") for width in ("wide", "narrow")}


def alt_text(defn: ChartDef, data: Data) -> str:
    """The chart's alt text with its references to the data filled in, so it cannot drift from the chart.

    Alt texts use the pages' reference syntax (`{{ force_caps.@count }}`); a broken one names the chart.
    """
    try:
        return expand_text(defn.alt, data, f"chart '{defn.id}' alt text")
    except RefError as exc:
        raise ChartError(str(exc)) from None


def _table(defn: ChartDef, table: Table) -> dict[str, Any]:
    """What the data table shows: every row, the latest rows of a long table, or its summary."""
    shown = table.page or table
    dated = next((c.key for c in table.columns if c.kind == "date"), None)
    if table.page is None and len(table.rows) > PAGE_ROWS and dated:
        shown = latest(table, dated, PAGE_ROWS)
        summary, note = f"Data table: the latest {len(shown.rows)} of {len(table.rows):,} rows", "latest"
    elif table.page is None:
        summary, note = f"Data table ({len(table.rows)} rows)", ""
    else:
        summary, note = f"Data table: summary ({len(shown.rows)} rows)", "summary"
    return {"table_summary": summary, "table_note": note, "total_rows": len(table.rows),
            "shown_columns": [c for c in shown.columns if c.show], "shown_rows": shown.rows}


def _context(defn: ChartDef, rendered: Rendered, data: Data, url: UrlFor, as_of: str) -> dict[str, Any]:
    cid = defn.id
    return {
        "defn": defn, "cid": cid, "anchor": f"chart-{cid}", "files": f"charts/{cid}/{cid}", "url": url,
        "as_of": as_of, "alt": alt_text(defn, data), "sizes": _sizes(rendered),
        "credits": chart_credits(defn, data, rendered.table), "sources_url": url("sources/"), "sources": data.sources,
        "source_ids": lambda ids: [s for s in str(ids).split("; ") if s in data.sources],
        "weak": lambda sids: is_weak(data, tuple(sids)), **_table(defn, rendered.table),
    }


def figure_html(defn: ChartDef, rendered: Rendered, data: Data, url: UrlFor, *, eager: bool, as_of: str,
                embed_url: str) -> str:
    """The full figure: title, subtitle, static chart (light/dark), caption, table, downloads, embed code."""
    iframe = render("iframe.html", src=embed_url, title=defn.title)  # escaped again inside the <textarea>
    return render("figure.html", **_context(defn, rendered, data, url, as_of), eager=eager, iframe=iframe,
                  downloads=DOWNLOADS)


def data_details(defn: ChartDef, table: Table, url: UrlFor, data: Data) -> str:
    """The data table in its <details>, on its own (tests and the preview's error pages use it)."""
    rendered = Rendered(defn, table, {}, cached=False)
    return render("data_table.html", **_context(defn, rendered, data, url, ""))


def embed_page(defn: ChartDef, rendered: Rendered, data: Data, url: UrlFor, *, as_of: str, canonical: str,
               csp: str) -> str:
    """A standalone page with just the chart (for iframes), dark when the reader's system is dark."""
    return render("embed.html", **_context(defn, rendered, data, url, as_of), canonical=canonical, csp=csp) + "\n"
