"""Page weight in headless Chromium: every response until load + network idle, per page of the built site.

Bytes are body lengths as served (the bench server does not compress); gzip is
gzip.compress(level 6) of each body, what a compressing server would send.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .common import CHROMIUM, CHROMIUM_ARGS, PAGES, gzip_size, serve

VIEWPORT = {"width": 1280, "height": 800}


def launch(p: Any) -> Any:
    """Debian's Chromium, never a downloaded browser."""
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def collect(page: Any) -> list[Any]:
    """Start recording responses of `page`; returns the list that fills up."""
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    return responses


def bodies(responses: list[Any]) -> list[dict[str, Any]]:
    """URL, type, bytes and gzip bytes of every recorded response."""
    rows = []
    for r in responses:
        try:
            body = r.body()
        except Exception:  # redirects and aborted requests have no body
            body = b""
        rows.append({"url": r.url, "status": r.status, "type": r.request.resource_type, "bytes": len(body),
                     "gzip": gzip_size(body) if body else 0})
    return rows


def _short(url: str, base: str) -> str:
    return url[len(base):] if url.startswith(base) else url


def measure_site(site: Path) -> list[dict[str, Any]]:
    """Per page: HTML bytes, everything loaded before interaction, requests, and the heaviest files."""
    from playwright.sync_api import sync_playwright

    out = []
    with serve(site) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            for path in PAGES:
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                responses = collect(page)
                page.goto(base + path, wait_until="load")
                page.wait_for_load_state("networkidle")
                rows = bodies(responses)
                context.close()
                html = next((r for r in rows if r["url"] == base + path), {"bytes": 0, "gzip": 0})
                foreign = [r["url"] for r in rows if urlparse(r["url"]).hostname not in ("127.0.0.1", None)
                           and not r["url"].startswith("data:")]
                top = sorted(rows, key=lambda r: -r["gzip"])[:5]
                out.append({
                    "page": path or "/", "html_bytes": html["bytes"], "html_gzip": html["gzip"],
                    "total_bytes": sum(r["bytes"] for r in rows), "total_gzip": sum(r["gzip"] for r in rows),
                    "requests": len(rows), "non_loopback": foreign,
                    "fetched_by_scripts_gzip": sum(r["gzip"] for r in rows if r["type"] in ("xhr", "fetch")),
                    "vega_bundle_loaded": any("vega/vega.min.js" in r["url"] for r in rows),
                    "heaviest": [{"url": _short(r["url"], base), "bytes": r["bytes"], "gzip": r["gzip"]} for r in top],
                })
        finally:
            browser.close()
    return out
