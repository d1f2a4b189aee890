"""From a chart's specs to its files: page SVGs, the live layer's Vega specs, downloads (SVG, PNG, CSV, JSON).

Dark files are the light outputs with each colour swapped for its dark role: the themes differ only in colour,
so this equals a dark compile and render byte for byte (tested) at none of the cost.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import vl_convert as vlc

from ..data import Data
from .base import WIDTHS, ChartDef, Table
from .csv_safe import csv_bytes
from .spec import MIN_FONT_PX, VL_VERSION, ChartError, Spec, dumps, specs
from .theme import LIGHT_TO_DARK, PALETTES, STATUS_LEGEND

_HEX = re.compile(r"#[0-9a-f]{6}\b")
_SVG_WIDTH = re.compile(r'<svg[^>]*?width="([0-9.]+)"')
_FONT_SIZE = re.compile(r'font-size="([0-9.]+)px"')
MAX_SVG_BYTES = 150_000
"""Largest SVG a chart may produce; past it the chart must aggregate its rows."""
NARROW_LEGENDS = {orient: {"direction": "vertical", "anchor": "start"} for orient in ("top", "bottom")}
"""On phones, legends stack one under another instead of side by side (Vega's legend layout; Vega-Lite
has no such setting, so narrow variants are rendered from the compiled Vega spec)."""
STATUS_SYMBOL_FILL = "datum.value === 'reported' ? 1 : datum.value === 'estimate' ? 0.4 : 0"
"""Status legend symbols drawn with the code itself (solid, hollow, lighter); Vega-Lite drops the
fill-opacity channel when it merges it with stroke dash into one legend."""


T = TypeVar("T")


def _convert(chart_id: str, what: str, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except Exception as exc:  # vl-convert raises ValueError with a JavaScript trace
        lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip() and not ln.strip().startswith("at ")]
        reason = " ".join(lines[:2]) or type(exc).__name__
        raise ChartError(f"chart '{chart_id}': could not render {what}: {reason}") from None


def vega(chart_id: str, variant: str, spec: Spec) -> Spec:
    """Compile to Vega and apply what Vega-Lite cannot express (legend layout, status symbols)."""
    out: Spec = _convert(chart_id, f"{variant} Vega spec", lambda: vlc.vegalite_to_vega(spec, vl_version=VL_VERSION))
    if variant.endswith("narrow"):
        out.setdefault("config", {}).setdefault("legend", {})["layout"] = NARROW_LEGENDS
    ink = PALETTES["dark" if variant.startswith("dark") else "light"].text

    def patch(node: Any) -> None:
        if isinstance(node, dict):
            for legend in node.get("legends", []):
                if legend.get("title") == STATUS_LEGEND:
                    # Every symbol in the text colour (visible in both themes), hollow or dashed by status.
                    update = legend.setdefault("encode", {}).setdefault("symbols", {}).setdefault("update", {})
                    update["fillOpacity"] = {"signal": STATUS_SYMBOL_FILL}
                    update["opacity"] = {"value": 1}
                    update["fill"] = {"value": ink}
                    update["stroke"] = {"value": ink}
                    update["strokeWidth"] = {"value": 1.5}
            for child in node.get("marks", []):
                patch(child)

    patch(out)
    return out


def dark(text: str) -> str:
    """Each light colour in a text (SVG, JSON) replaced by its dark role."""
    return _HEX.sub(lambda m: LIGHT_TO_DARK.get(m.group(0), m.group(0)), text)


def _check_svg(chart_id: str, name: str, svg: str, width: int) -> None:
    """An image wider than the column it is shown in would be shrunk, and its text with it: refuse it."""
    match = _SVG_WIDTH.search(svg[:2000])
    drawn = float(match.group(1)) if match else 0.0
    if drawn > width + 0.5:
        raise ChartError(f"chart '{chart_id}': {name} is {drawn:g} px wide, more than the {width} px column it is "
                         "shown in; narrow the plot or shorten its labels")
    small = sorted({float(s) for s in _FONT_SIZE.findall(svg) if float(s) < MIN_FONT_PX})
    if small:
        raise ChartError(f"chart '{chart_id}': {name} has text of {small[0]:g} px; charts use {MIN_FONT_PX} px or more")
    if len(svg.encode()) > MAX_SVG_BYTES:
        raise ChartError(f"chart '{chart_id}': {name} is {len(svg.encode()):,} bytes, over {MAX_SVG_BYTES:,}; "
                         "the chart should aggregate its rows")


def table_csv(table: Table) -> bytes:
    """The chart's rows as a spreadsheet-safe CSV (`csv_safe`), columns in table order, blank for missing values."""
    return csv_bytes([c.key for c in table.columns], ([row.get(c.key) for c in table.columns] for row in table.rows))


def table_json(doc: dict[str, Any]) -> bytes:
    """`dumps` of a document with a `rows` list, each row on one line (as readable, and it diffs as well)."""
    marker = "\x00rows\x00"
    head = json.dumps({**doc, "rows": marker}, sort_keys=True, ensure_ascii=False, indent=1)
    rows = ",\n  ".join(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in doc["rows"])
    body = f"[\n  {rows}\n ]" if rows else "[]"
    return (head.replace(json.dumps(marker), body, 1) + "\n").encode()


def chart_files(defn: ChartDef, data: Data, table: Table) -> dict[str, bytes]:
    """Every file of one chart, by file name. Each spec is compiled once and each image rendered once."""
    cid = defn.id
    chart_specs = specs(defn, data, table)
    files: dict[str, bytes] = {}
    for width, column in WIDTHS.items():
        compiled = vega(cid, f"light-{width}", chart_specs[f"light-{width}"])
        svg = _convert(cid, f"light-{width} SVG", functools.partial(vlc.vega_to_svg, compiled, allowed_base_urls=[]))
        _check_svg(cid, f"{cid}-light-{width}.svg", svg, column)
        light = dumps(compiled).decode()
        files[f"{cid}-light-{width}.vg.json"] = light.encode()
        files[f"{cid}-light-{width}.svg"] = svg.encode()
        files[f"{cid}-dark-{width}.vg.json"] = dark(light).encode()
        files[f"{cid}-dark-{width}.svg"] = dark(svg).encode()
    download = vega(cid, "download", chart_specs["download"])
    files[f"{cid}.vl.json"] = dumps(chart_specs["light-wide"])
    files[f"{cid}.svg"] = _convert(cid, "SVG", lambda: vlc.vega_to_svg(download, allowed_base_urls=[])).encode()
    # The PNG is the download SVG rasterised (resvg, same fonts): no second Vega run.
    files[f"{cid}.png"] = bytes(_convert(cid, "PNG", lambda: vlc.svg_to_png(files[f"{cid}.svg"].decode(), scale=2)))
    files[f"{cid}.csv"] = table_csv(table)
    files[f"{cid}.json"] = table_json({
        "chart": cid,
        "title": defn.title,
        "subtitle": defn.subtitle,
        "as_of": max(data[d].meta.as_of for d in defn.datasets).isoformat(),
        "sources": [{"id": sid, "publisher": data.sources[sid].publisher, "url": str(data.sources[sid].url)}
                    for sid in table.source_ids()],
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": list(table.rows),
    })
    return files
