"""Baseline: the same chart drawn in the browser by vega-embed, as mkdocs-charts-plugin and Altair's HTML do.

For fairness the bundle is self-hosted (`vl_convert.javascript_bundle()`, whose
default snippet puts vegaEmbed, vegaLite and vega on window) and served by the
same local server as our site; the Vega-Lite spec is inlined as Altair's HTML
export does. We compare against the first figure of our energy/ page:
- time to chart: performance.now() (from navigation start) when our first figure's
  <img> is complete with naturalWidth > 0, or when vegaEmbed's promise resolved
  with a canvas/SVG in #vis;
- bytes loaded before the chart: every resource (Resource Timing) whose responseEnd
  is at or before that moment, plus the HTML document; gzip from the bodies. This
  depends on timing: on a slow run, requests our JavaScript starts after load
  (Material's search index, sitemap.xml) finish before the image and count too;
- bytes needed to draw it (deterministic): the document, the render-blocking
  resources (Resource Timing renderBlockingStatus) and the chart's own image.
Runs alternate ours/baseline, each in a fresh browser context (cold cache). With
`throttle`, the server gzips text and Chromium emulates a phone on slow 4G
(150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower), as Lighthouse does.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from .common import median, serve
from .weight import VIEWPORT, bodies, collect, launch

OURS_PAGE = "energy/#chart-strikes-volume"
"""A link to the chart: the story's lead chart sits below the first screen and its image is lazy, so the
reader (and the probe) reach it by its anchor, as a shared link to the chart does."""
CHART = "strikes-volume"

OURS_PROBE = """
(() => {
  window.__ttc = null;
  const check = () => {
    if (window.__ttc !== null) return;
    // The shown scheme's image: the other scheme's <picture> is display: none and, lazy, never loads.
    const img = [...document.querySelectorAll('figure.chart img')].find((i) => i.offsetParent !== null);
    if (img && img.complete && img.naturalWidth > 0) {
      window.__ttc = performance.now();
      window.__chartSrc = img.currentSrc;
    }
  };
  document.addEventListener('load', check, true);
  document.addEventListener('DOMContentLoaded', check);
  const tick = () => { check(); if (window.__ttc === null) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();
"""

BASELINE_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Baseline: vega-embed</title>
<script src="vega-embed-bundle.js"></script>
</head>
<body>
<div id="vis"></div>
<script>
window.__ttc = null;
vegaEmbed('#vis', SPEC).then(function () {
  var drawn = document.querySelector('#vis canvas') || document.querySelector('#vis svg [class*="mark-"]');
  if (drawn) window.__ttc = performance.now();
}).catch(function (err) { window.__error = String(err); });
</script>
</body>
</html>
"""

TIMING = """(ttc) => {
  const nav = performance.getEntriesByType('navigation')[0];
  const entries = performance.getEntriesByType('resource').map(
    e => ({url: e.name, end: e.responseEnd, blocking: e.renderBlockingStatus === 'blocking'}));
  const chart = window.__chartSrc || null;
  return {
    before: [nav.name, ...entries.filter(e => e.end <= ttc).map(e => e.url)],
    needed: [nav.name, ...entries.filter(e => e.blocking || e.url === chart).map(e => e.url)],
  };
}"""
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4


def write_baseline(folder: Path, spec_file: Path) -> Path:
    """A page that loads the self-hosted vega-embed bundle and embeds the spec of `spec_file`."""
    import vl_convert as vlc

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vega-embed-bundle.js").write_text(vlc.javascript_bundle(), encoding="utf-8")
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    html = BASELINE_HTML.replace("SPEC", json.dumps(spec).replace("</", "<\\/"))
    (folder / "index.html").write_text(html, encoding="utf-8")
    return folder


def _sum(rows: dict[str, dict[str, Any]], urls: list[str]) -> dict[str, Any]:
    picked = [rows[u] for u in dict.fromkeys(urls) if u in rows]
    return {"bytes": sum(r["bytes"] for r in picked), "gzip": sum(r["gzip"] for r in picked),
            "files": sorted(r["url"].rsplit("/", 1)[-1] or "(page)" for r in picked)}


def _run(browser: Any, url: str, probe: str | None, throttle: bool) -> dict[str, Any]:
    context = browser.new_context(viewport=VIEWPORT)
    if probe:
        context.add_init_script(probe)
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    responses = collect(page)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_function("window.__ttc !== null || window.__error", timeout=120_000)
    error = page.evaluate("window.__error || null")
    if error:
        raise RuntimeError(f"{url}: {error}")
    page.wait_for_load_state("networkidle", timeout=120_000)
    ttc = page.evaluate("window.__ttc")
    timing = page.evaluate(TIMING, ttc)
    rows = {r["url"]: r for r in bodies(responses)}
    context.close()
    before, needed = _sum(rows, timing["before"]), _sum(rows, timing["needed"])
    return {"ttc_ms": ttc, "bytes": before["bytes"], "gzip": before["gzip"], "files": before["files"],
            "needed_bytes": needed["bytes"], "needed_gzip": needed["gzip"], "needed_files": needed["files"]}


def compare(site: Path, runs: int = 5, *, throttle: bool = False) -> dict[str, Any]:
    """Median time to chart and bytes before it, ours (energy/ first figure) against vega-embed."""
    from playwright.sync_api import sync_playwright

    spec_file = site / "charts" / CHART / f"{CHART}.vl.json"
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
        folder = write_baseline(Path(tmp), spec_file)
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        with (serve(site, compress=throttle) as site_url, serve(folder, compress=throttle) as base_url,
              sync_playwright() as p):
            browser = launch(p)
            try:
                _run(browser, base_url, None, throttle)  # warm-up of the browser process, not counted
                for _ in range(runs):
                    ours.append(_run(browser, site_url + OURS_PAGE, OURS_PROBE, throttle))
                    theirs.append(_run(browser, base_url, None, throttle))
            finally:
                browser.close()

    def summary(runs_: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {key: median([r[key] for r in runs_])
                               for key in ("ttc_ms", "bytes", "gzip", "needed_bytes", "needed_gzip")}
        out["all_ttc_ms"] = [round(r["ttc_ms"], 1) for r in runs_]
        out["all_gzip"] = [r["gzip"] for r in runs_]
        out["files"] = runs_[-1]["files"]
        out["needed_files"] = runs_[-1]["needed_files"]
        return out

    return {"chart": CHART, "ours": summary(ours), "baseline": summary(theirs), "runs": runs, "throttled": throttle}
