"""Browser fixtures: one Debian Chromium for the session, a fresh context per test, and helpers.

Every page is opened through `open_page`, which records what the page did (console errors, uncaught
exceptions, every request, failed requests and HTTP errors) so tests can assert on it afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"

PAGES = ["", "energy/", "force-caps/", "peace-drafts/", "calendar/", "methodology/", "sources/", "changes/", "about/"]
"""Every page of the site, relative to `site_url`."""

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
WAIT_MS = 10_000

PALETTE_TOGGLE = "form[data-md-component=palette] label:not([hidden]), label[for^='__palette']:not([hidden])"


def page_id(path: str) -> str:
    return path.strip("/") or "home"


@dataclass
class Recorder:
    """What one page did while a test drove it."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the loopback test server."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("http", "https") or urlsplit(url).hostname != "127.0.0.1"]

    def vega_requests(self) -> list[str]:
        return [u for u in self.requests if u.endswith("/vega.min.js")]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, launched once for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package); "
                    "never `playwright install`")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (or `make test`, which does it)")
    return AXE


@pytest.fixture
def open_page(chromium, site_url) -> Iterator[Callable[..., Recorder]]:
    """Open a site page in a new browser context; keyword arguments go to `new_context`.

    The context is closed when the test ends. `goto=False` gives a blank page with recording on.
    """
    contexts = []

    def _open(path: str = "", goto: bool = True, **context_args) -> Recorder:
        context_args.setdefault("viewport", DESKTOP)
        context = chromium.new_context(**context_args)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        rec = Recorder(page)
        def on_console(msg) -> None:
            line = f"console.{msg.type}: {msg.text} at {msg.location.get('url')}:{msg.location.get('lineNumber')}"
            rec.console.append(line)
            if msg.type == "error":
                rec.console_errors.append(line)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: rec.console_errors.append(f"uncaught: {exc}"))
        context.on("request", lambda req: rec.requests.append(req.url))
        context.on("requestfailed", lambda req: rec.failures.append(f"{req.url}: {req.failure}"))
        context.on("response", lambda resp: rec.failures.append(f"{resp.url}: HTTP {resp.status}")
                   if resp.status >= 400 else None)
        if goto:
            page.goto(site_url + path, wait_until="load")
        return rec

    yield _open
    for context in contexts:
        context.close()


# --- helpers shared by the test modules -------------------------------------------------------------------

def scheme(page) -> str:
    return "dark" if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate" else "light"


def toggle_palette(page) -> str:
    """Click Material's palette toggle (as a reader would) and wait for the scheme to change; returns it."""
    before = scheme(page)
    toggle = page.locator(PALETTE_TOGGLE).first
    assert toggle.is_visible(), "no visible palette toggle in the header"
    toggle.click()
    want = "slate" if before == "light" else "default"
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{want}'")
    return scheme(page)


_IMG_STATE = """fig => {
  const out = {};
  for (const kind of ['light', 'dark']) {
    const img = fig.querySelector('picture.chart-' + kind + ' img');
    if (!img) { out[kind] = null; continue; }
    const box = img.getBoundingClientRect();
    const cs = getComputedStyle(img.closest('picture'));
    out[kind] = {src: img.currentSrc || img.src, complete: img.complete, natural: img.naturalWidth,
                 width: box.width, height: box.height, display: cs.display};
  }
  out.figure = fig.getBoundingClientRect().width;
  out.live = fig.querySelector('.chart-frame').classList.contains('is-live');
  return out;
}"""


def figure_images(page) -> list[dict]:
    """Scroll each figure into view (images are lazy) and wait for the current scheme's image to load.

    Returns, per figure, the state of its light and dark images.
    """
    want = scheme(page)
    states = []
    figures = page.locator("figure.chart")
    for i in range(figures.count()):
        fig = figures.nth(i)
        fig.locator(".chart-frame").scroll_into_view_if_needed()
        img = fig.locator(f"picture.chart-{want} img")
        try:
            img.evaluate("img => img.complete && img.naturalWidth > 0 ? true : "
                         "new Promise(ok => { img.addEventListener('load', () => ok(true), {once: true});"
                         " img.addEventListener('error', () => ok(false), {once: true}); })")
        except Exception as exc:  # reported below with the image's state
            print(f"waiting for image {i}: {exc}")
        state = fig.evaluate(_IMG_STATE)
        state["id"] = fig.get_attribute("id")
        states.append(state)
    return states


def image_problems(states: list[dict], want: str) -> list[str]:
    """What is wrong with the figures' images when `want` ('light' or 'dark') should show."""
    other = "dark" if want == "light" else "light"
    problems = []
    for s in states:
        shown, hidden = s[want], s[other]
        if shown is None:
            problems.append(f"{s['id']}: no picture.chart-{want} img")
            continue
        if shown["display"] == "none" or shown["width"] <= 0 or shown["height"] <= 0:
            problems.append(f"{s['id']}: {want} image not visible ({shown})")
        if not (shown["complete"] and shown["natural"] > 0):
            problems.append(f"{s['id']}: {want} image not loaded ({shown})")
        if hidden is not None and (hidden["display"] != "none" or hidden["width"] > 0):
            problems.append(f"{s['id']}: {other} image should be hidden ({hidden})")
    return problems


def wait_live(rec: Recorder, frame) -> None:
    """Wait until a chart frame shows its live SVG; fail at once if charts.js gives up (it logs a warning)."""
    handle = frame.element_handle()
    for _ in range(WAIT_MS // 100):
        if rec.page.evaluate("f => f.classList.contains('is-live') && !!f.querySelector('.chart-live svg')", handle):
            return
        if any("chart stays static" in line for line in rec.console) or rec.console_errors:
            break
        rec.page.wait_for_timeout(100)
    pytest.fail(f"chart frame never became live; console: {rec.console}; vega requests: {rec.vega_requests()}; "
                f"failures: {rec.failures}", pytrace=False)


def hover_until_live(rec: Recorder, frame) -> None:
    """Hover a chart frame (this loads the interactive layer) and wait for its live SVG."""
    frame.scroll_into_view_if_needed()
    frame.hover()
    wait_live(rec, frame)

