"""Render every chart to its files: specs, SVG (light/dark, wide/narrow), PNG, CSV, JSON.

`render_data(data)` is a pure function of the data: same data, same bytes. Each chart's table is made and
its title checked here; its files come from the render cache when nothing they depend on changed, and are
drawn by the renderer otherwise. The log says which charts were drawn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..data import Data, load_data
from . import CHARTS
from .base import ChartDef, Table
from .cache import RenderCache, cache_key
from .pool import Renderer, needed
from .spec import ChartError, check_title

__all__ = ["ChartError", "Rendered", "render_all", "render_data"]
log = logging.getLogger("build_charts")


@dataclass(frozen=True)
class Rendered:
    """All files of one chart, by file name, plus whether they came from the cache."""

    chart: ChartDef
    table: Table
    files: dict[str, bytes]
    cached: bool


def render_data(data: Data, cache_dir: Path | None = None, *, renderer: Renderer | None = None,
                charts: dict[str, ChartDef] | None = None) -> dict[str, Rendered]:
    """Every chart of the registry (or of `charts`) for already-loaded data, in registry order.

    Without a `renderer`, one is made for this call and closed after it (the preview keeps its own).
    """
    charts = CHARTS if charts is None else charts
    cache = RenderCache(cache_dir)
    tables = {cid: defn.table(data) for cid, defn in charts.items()}
    for cid, defn in charts.items():
        check_title(defn, tables[cid])
    keys = {cid: cache_key(defn, data, tables[cid]) for cid, defn in charts.items()}
    found = {cid: cache.get(cid, keys[cid]) for cid in charts}
    jobs = [(defn, tables[cid], needed(defn, data, tables[cid])) for cid, defn in charts.items()
            if found[cid] is None]
    own = renderer is None
    renderer = Renderer() if renderer is None else renderer
    try:
        drawn = renderer.draw(jobs)
    finally:
        if own:
            renderer.close()
    for cid, files in drawn.items():
        cache.put(cid, keys[cid], files)
    log.info("charts rendered: %s; from cache: %s", ", ".join(drawn) or "none",
             ", ".join(c for c in charts if c not in drawn) or "none")
    return {cid: Rendered(defn, tables[cid], drawn.get(cid) or found[cid] or {}, cached=cid not in drawn)
            for cid, defn in charts.items()}


def render_all(data_dir: str | Path, cache_dir: Path | None = None) -> dict[str, bytes]:
    """All chart files as {relative path: bytes}: the same outputs the site and the CLI use."""
    return {f"charts/{cid}/{name}": content
            for cid, r in render_data(load_data(data_dir), cache_dir).items()
            for name, content in sorted(r.files.items())}
