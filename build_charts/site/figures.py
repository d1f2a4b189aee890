"""HTML for chart figures and standalone embed pages.

Pure string building with every data value escaped: text in data files is
data, never markup. URLs are given by the caller (the site knows its layout).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ..charts.base import CAPTION_PUBLISHERS, PAGE_ROWS, ChartDef, Table, day_label, latest
from ..data import Data
from ..data.tiers import is_weak
from ..charts.render import ChartError, Rendered
from .refs import RefError, expand

UrlFor = Callable[[str], str]
"""Maps a site path such as 'charts/x/x.csv' or 'sources/' to a URL usable from the page."""

_SVG_SIZE = re.compile(rb'<svg[^>]*?width="([0-9.]+)"[^>]*?height="([0-9.]+)"')
SIZE_TOKEN = re.compile(r"SVGSIZE:([wh]):([a-z0-9.-]+\.svg):")
"""Stands for an image's width or height in a page built while its chart is still being rendered."""


def svg_size(svg: bytes) -> tuple[int, int]:
    """Intrinsic width and height of a rendered SVG (for layout-stable <img> tags)."""
    match = _SVG_SIZE.search(svg[:2000])
    if not match:
        return (0, 0)
    return (round(float(match.group(1))), round(float(match.group(2))))


def image_size(rendered: Rendered, name: str) -> tuple[int | str, int | str]:
    """Width and height of one of the chart's images, or tokens for them while it is being rendered.

    Why tokens: the preview builds pages while the workers draw a changed chart; `fill_sizes` puts the
    numbers in once the images exist.
    """
    if name in rendered.files:
        return svg_size(rendered.files[name])
    return (f"SVGSIZE:w:{name}:", f"SVGSIZE:h:{name}:")


def fill_sizes(text: str, files: Callable[[str], bytes | None]) -> str:
    """`text` with every size token replaced by the number; `files(name)` gives a chart image by file name."""

    def size(match: re.Match[str]) -> str:
        svg = files(match.group(2))
        if svg is None:
            return "0"
        w, h = svg_size(svg)
        return str(w if match.group(1) == "w" else h)

    return SIZE_TOKEN.sub(size, text) if "SVGSIZE:" in text else text


def html_table(table: Table, caption: str, source_cell: Callable[[str], str] | None = None) -> str:
    """The chart's data as an accessible HTML table (shown columns only).

    `source_cell(ids)` turns a row's source ids ('a; b') into the cell's HTML: readers see publishers and dates,
    never ids (the downloads keep the ids).
    """
    cols = [c for c in table.columns if c.show]
    head = "".join(f'<th scope="col">{escape(c.label)}</th>' for c in cols)
    body = []
    for row in table.rows:
        cells = []
        for i, c in enumerate(cols):
            value = row.get(c.key)
            text = "" if value is None else escape(str(value))
            if c.key == "sources" and source_cell is not None and value:
                text = source_cell(str(value))
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cls = ' class="num"' if c.kind == "number" else ""
            cells.append(f"<{tag}{scope}{cls}>{text}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="chart-table"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def source_cell(data: Data, url: UrlFor) -> Callable[[str], str]:
    """A row's sources as readers see them: each publisher and date, linked to its entry on the Sources page,
    and a flag when the row rests only on republications or aggregators (source tier 4)."""

    def cell(ids: str) -> str:
        sids = [s for s in ids.split("; ") if s in data.sources]
        links = [f'<a href="{escape(url("sources/"))}#src-{escape(s)}">{escape(data.sources[s].credit)}, '
                 f"{escape(day_label(data.sources[s].published))}</a>" for s in sids]
        flag = ('<br><span class="src-weak">Rests only on a republication or aggregator</span>'
                if sids and is_weak(data, tuple(sids)) else "")
        return "; ".join(links) + flag

    return cell


def data_details(defn: ChartDef, table: Table, url: UrlFor, data: Data | None = None) -> str:
    """The data table in a <details>: every row, or, for a long table, its summary and a pointer to the downloads."""
    shown = table.page or table
    dated = next((c.key for c in table.columns if c.kind == "date"), None)
    downloads = (f'<a href="{escape(url(f"charts/{defn.id}/{defn.id}.csv"))}" download>CSV</a> and '
                 f'<a href="{escape(url(f"charts/{defn.id}/{defn.id}.json"))}" download>JSON</a> downloads')
    if table.page is None and len(table.rows) > PAGE_ROWS and dated:
        shown = latest(table, dated, PAGE_ROWS)
        summary = f"Data table: the latest {len(shown.rows)} of {len(table.rows):,} rows"
        note = f'<p class="chart-table-note">Every row is in the {downloads}.</p>'
    elif table.page is None:
        summary = f"Data table ({len(table.rows)} rows)"
        note = ""
    else:
        summary = f"Data table: summary ({len(shown.rows)} rows)"
        note = (f'<p class="chart-table-note">A summary of the {len(table.rows):,} rows behind the chart; every row '
                f'is in the <a href="{escape(url(f"charts/{defn.id}/{defn.id}.csv"))}" download>CSV</a> and '
                f'<a href="{escape(url(f"charts/{defn.id}/{defn.id}.json"))}" download>JSON</a> downloads.</p>')
    table_html = html_table(shown, defn.title, source_cell(data, url) if data is not None else None)
    return (f'<details class="chart-data" data-search-exclude><summary>{escape(summary)}</summary>\n{note}'
            f'<div class="chart-table-wrap" tabindex="0" role="region" aria-label="Data table: {escape(defn.title)}">'
            f'{table_html}</div>\n</details>')


def _picture(chart_id: str, scheme: str, rendered: Rendered, url: UrlFor, alt: str, eager: bool) -> str:
    wide = f"charts/{chart_id}/{chart_id}-{scheme}-wide.svg"
    narrow = f"charts/{chart_id}/{chart_id}-{scheme}-narrow.svg"
    w, h = image_size(rendered, f"{chart_id}-{scheme}-wide.svg")
    nw, nh = image_size(rendered, f"{chart_id}-{scheme}-narrow.svg")
    # Always lazy, so the scheme's hidden picture (display: none) is never fetched; the lead chart
    # asks for high priority, and in-viewport lazy images load at first layout anyway.
    loading = 'lazy" fetchpriority="high' if eager else "lazy"
    return (f'<picture class="chart-{scheme}">'
            f'<source media="(max-width: 640px)" srcset="{escape(url(narrow))}" width="{nw}" height="{nh}">'
            f'<img src="{escape(url(wide))}" alt="{escape(alt)}" width="{w}" height="{h}" loading="{loading}" '
            f'decoding="async"></picture>')


def source_links(table: Table, data: Data, url: UrlFor) -> str:
    """The most-cited publishers, linked to the Sources page, then "and N more"."""
    ranked = table.publishers(data)
    links = [f'<a href="{escape(url("sources/"))}#src-{escape(sid)}">{escape(pub)}</a>'
             for pub, sid in ranked[:CAPTION_PUBLISHERS]]
    rest = len(ranked) - CAPTION_PUBLISHERS
    if rest > 0:
        links.append(f'<a href="{escape(url("sources/"))}">{rest} more</a>')
        return ", ".join(links[:-1]) + " and " + links[-1]
    return ", ".join(links)


def alt_text(defn: ChartDef, data: Data) -> str:
    """The chart's alt text with its references to the data filled in, so it cannot drift from the chart.

    Alt texts use the pages' reference syntax (`{{ force_caps.@count }}`); a broken one names the chart.
    """
    try:
        return expand(defn.alt, data, day_label(data.as_of), f"chart '{defn.id}' alt text", markdown=False)
    except RefError as exc:
        raise ChartError(str(exc)) from None


def figure_html(defn: ChartDef, rendered: Rendered, data: Data, url: UrlFor, *, eager: bool, as_of: str,
                embed_url: str) -> str:
    """The full figure: title, subtitle, static chart (light/dark), caption, table, downloads, embed code.

    Everything after the chart sits in one `<figcaption>`, the figure's last child: HTML allows a
    figcaption only as the first or last child, and the source line, table and downloads all caption
    the chart. The source line keeps its own `.chart-caption` paragraph, so styles stay as they were.
    """
    cid = defn.id
    anchor = f"chart-{cid}"
    files = f"charts/{cid}/{cid}"
    notes = " ".join(escape(n) for n in defn.notes)
    downloads = " · ".join(
        f'<a href="{escape(url(f"{files}.{ext}"))}" download>{label}</a>'
        for ext, label in (("csv", "CSV"), ("json", "JSON"), ("svg", "SVG"), ("png", "PNG")))
    iframe = (f'<iframe src="{escape(embed_url)}" title="{escape(defn.title)}" width="100%" height="640" '
              f'style="border:0" loading="lazy"></iframe>')
    return f"""<figure class="chart" id="{anchor}" aria-labelledby="{anchor}-title" data-chart="{cid}">
<p class="chart-title" id="{anchor}-title"><a class="chart-permalink" href="#{anchor}" title="Link to this chart">{escape(defn.title)}</a></p>
<p class="chart-subtitle">{escape(defn.subtitle)}</p>
<div class="chart-frame" data-live>
{_picture(cid, "light", rendered, url, alt_text(defn, data), eager)}
{_picture(cid, "dark", rendered, url, alt_text(defn, data), eager)}
</div>
<figcaption class="chart-notes">
<p class="chart-caption"><span class="chart-source">Source: {source_links(rendered.table, data, url)}.</span> {notes} <span class="chart-asof">Data as of {escape(as_of)}.</span></p>
<p class="chart-description">{escape(defn.description)}</p>
{data_details(defn, rendered.table, url, data)}
<p class="chart-downloads">Download: {downloads} · <a href="{escape(url(f"embed/{cid}.html"))}">Embed page</a></p>
<details class="chart-embed"><summary>Embed this chart</summary>
<label for="{anchor}-embed">Copy this code into your page:</label>
<textarea id="{anchor}-embed" class="chart-embed-code" readonly rows="3">{escape(iframe)}</textarea>
</details>
</figcaption>
</figure>"""


def embed_page(defn: ChartDef, rendered: Rendered, data: Data, url: UrlFor, *, as_of: str, canonical: str,
               css: str) -> str:
    """A standalone page with just the chart (for iframes), dark when the reader's system is dark."""
    cid = defn.id
    files = f"charts/{cid}/{cid}"
    w, h = image_size(rendered, f"{cid}-light-wide.svg")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(defn.title)}</title>
<link rel="canonical" href="{escape(canonical)}">
<style>{css}</style>
</head>
<body>
<figure class="embed">
<p class="chart-title"><a href="{escape(canonical)}" target="_top">{escape(defn.title)}</a></p>
<p class="chart-subtitle">{escape(defn.subtitle)}</p>
<picture>
<source media="(prefers-color-scheme: dark) and (max-width: 640px)" srcset="{escape(url(f"{files}-dark-narrow.svg"))}">
<source media="(prefers-color-scheme: dark)" srcset="{escape(url(f"{files}-dark-wide.svg"))}">
<source media="(max-width: 640px)" srcset="{escape(url(f"{files}-light-narrow.svg"))}">
<img src="{escape(url(f"{files}-light-wide.svg"))}" alt="{escape(alt_text(defn, data))}" width="{w}" height="{h}">
</picture>
<figcaption>Source: {source_links(rendered.table, data, url)}. Data as of {escape(as_of)}.
<a href="{escape(canonical)}" target="_top">Data, notes and downloads</a></figcaption>
</figure>
</body>
</html>
"""
