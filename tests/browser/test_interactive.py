"""The interactive layer (docs/assets/charts.js): loads Vega only on interaction, shows tooltips with a mouse
and with touch, follows the palette toggle, survives Material's instant navigation, and does not depend on the
reader's time zone."""

from __future__ import annotations

import re

import pytest

from .conftest import PHONE, hover_until_live, scheme, toggle_palette, wait_live

pytestmark = pytest.mark.browser

STRIKES = "#chart-strikes-volume .chart-frame"

_MARK_CENTRE = """frame => {
  // A data mark of the live chart that has a tooltip and is on top at its own centre (so the pointer reaches it).
  // Vega's SVG renderer keeps each element's scenegraph item in __data__.
  const marks = frame.querySelectorAll('.chart-live svg .mark-symbol path, .chart-live svg .mark-rect path');
  for (const mark of marks) {
    if (!mark.__data__ || mark.__data__.tooltip == null) continue;
    const r = mark.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
    if (document.elementFromPoint(x, y) === mark) return [x, y, mark.getAttribute('aria-label')];
  }
  return null;
}"""


def mark_centre(frame) -> tuple[float, float]:
    frame.scroll_into_view_if_needed()
    found = frame.evaluate(_MARK_CENTRE)
    assert found, "no data mark reachable by the pointer in the live chart"
    return found[0], found[1]


def tooltip_text(frame) -> str:
    tip = frame.locator(".chart-tooltip[role=tooltip]")
    tip.wait_for(state="visible")
    return tip.inner_text().strip()


def test_hover_loads_vega_then_tooltip_shows(open_page):
    rec = open_page("energy/")
    page = rec.page
    page.wait_for_load_state("networkidle")
    frame = page.locator(STRIKES)
    frame.scroll_into_view_if_needed()
    assert rec.vega_requests() == [], "Vega bundle requested before any interaction"
    assert "is-live" not in (frame.get_attribute("class") or "")
    before = len(rec.requests)
    hover_until_live(rec, frame)
    assert [u for u in rec.requests[before:] if u.endswith("/vega.min.js")], "hovering did not load the Vega bundle"
    assert len(rec.vega_requests()) == 1
    assert frame.get_attribute("data-live-key") == "light-wide"
    assert frame.locator("picture").first.is_hidden(), "static chart still shown under the live one"
    x, y = mark_centre(frame)
    page.mouse.move(x, y)
    assert tooltip_text(frame) != ""
    page.mouse.move(5, 5)
    frame.locator(".chart-tooltip").wait_for(state="hidden")
    assert rec.console_errors == []
    assert rec.failures == []
    assert rec.foreign_requests() == []


def test_tap_loads_vega_then_tooltip_shows_on_touch(open_page):
    rec = open_page("energy/", viewport=PHONE, has_touch=True, is_mobile=True)
    page = rec.page
    page.wait_for_load_state("networkidle")
    frame = page.locator(STRIKES)
    frame.scroll_into_view_if_needed()
    assert rec.vega_requests() == []
    frame.tap()
    wait_live(rec, frame)
    assert frame.get_attribute("data-live-key") == "light-narrow"
    box = frame.bounding_box()
    assert box and box["width"] <= PHONE["width"]
    x, y = mark_centre(frame)
    page.touchscreen.tap(x, y)
    assert tooltip_text(frame) != ""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "tooltip widened the page"
    assert rec.console_errors == []
    assert rec.failures == []


def test_palette_toggle_rerenders_live_chart(open_page):
    rec = open_page("energy/")
    page = rec.page
    frame = page.locator(STRIKES)
    hover_until_live(rec, frame)
    assert frame.get_attribute("data-live-key") == "light-wide"
    light_bg = frame.locator(".chart-live svg").evaluate("s => getComputedStyle(s).backgroundColor")
    assert toggle_palette(page) == "dark"
    page.wait_for_function("f => f.dataset.liveKey === 'dark-wide' && f.classList.contains('is-live')",
                           arg=frame.element_handle())
    dark_bg = frame.locator(".chart-live svg").evaluate("s => getComputedStyle(s).backgroundColor")
    assert dark_bg != light_bg, "the live chart kept its light background in dark mode"
    assert frame.locator(".chart-live svg").count() == 1, "the old view was not replaced"
    assert frame.locator("picture.chart-dark").is_hidden()
    x, y = mark_centre(frame)
    page.mouse.move(x, y)
    assert tooltip_text(frame) != ""
    assert toggle_palette(page) == "light"
    page.wait_for_function("f => f.dataset.liveKey === 'light-wide'", arg=frame.element_handle())
    assert rec.console_errors == []


def serve_sitemap_as_deployed(context, built_site, site_url) -> None:
    """Material navigates instantly only to URLs in sitemap.xml, matched on path and port: rewrite the sitemap's
    canonical root (mkdocs.yml site_url) to the test server's, as if the site were served at its real address."""
    text = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    root = min(re.findall(r"<loc>([^<]+)</loc>", text), key=len)
    body = text.replace(root, site_url)
    context.route(site_url + "sitemap.xml", lambda route: route.fulfill(status=200, body=body,
                                                                       content_type="application/xml"))


def test_instant_navigation_keeps_charts_interactive(open_page, built_site, site_url):
    rec = open_page(goto=False)
    page = rec.page
    serve_sitemap_as_deployed(page.context, built_site, site_url)
    page.goto(site_url + "energy/")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-tabs a.md-tabs__link[href$='force-caps/']").first.click()
    page.wait_for_url(site_url + "force-caps/")
    page.locator("#chart-force-caps").wait_for(state="attached")
    assert page.evaluate("window.__sameDocument === true"), "a full page load, not Material's instant navigation"
    frames = page.locator("figure.chart .chart-frame")
    assert frames.count() >= 1
    for i in range(frames.count()):
        hover_until_live(rec, frames.nth(i))
    x, y = mark_centre(frames.first)
    page.mouse.move(x, y)
    assert tooltip_text(frames.first) != ""
    # And back again (history): the energy charts upgrade too.
    page.go_back()
    page.wait_for_url(site_url + "energy/")
    hover_until_live(rec, page.locator(STRIKES))
    assert scheme(page) == "light"
    assert rec.console_errors == []
    assert rec.failures == []


# --- time zones --------------------------------------------------------------------------------------------

_LIVE_TEXT = """async () => {
  const out = {};
  for (const frame of document.querySelectorAll('.chart-frame.is-live')) {
    const id = frame.closest('figure').dataset.chart;
    const svg = frame.querySelector('.chart-live svg');
    const url = frame.querySelector('picture img').src.replace(/-(light|dark)-(wide|narrow)\\.svg$/,
                                                             '-' + frame.dataset.liveKey + '.svg');
    const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), 'image/svg+xml');
    out[id] = {text: [...svg.querySelectorAll('text')].map(t => t.textContent),
               static: [...doc.querySelectorAll('text')].map(t => t.textContent),
               labels: [...svg.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))};
  }
  return out;
}"""


def _same_label(live: str, static: str) -> bool:
    """Equal, or both the same label cut at a slightly different point by font metrics ('…')."""
    if live == static:
        return True
    if live.endswith("…") or static.endswith("…"):
        a, b = live.rstrip("…").rstrip(" ,"), static.rstrip("…").rstrip(" ,")
        return a.startswith(b) or b.startswith(a)
    return False


def live_charts(open_page, path: str, tz: str) -> dict:
    rec = open_page(path, timezone_id=tz)
    frames = rec.page.locator("figure.chart .chart-frame")
    for i in range(frames.count()):
        hover_until_live(rec, frames.nth(i))
    out = rec.page.evaluate(_LIVE_TEXT)
    assert rec.console_errors == []
    return out


@pytest.mark.parametrize("path", ["energy/", "calendar/"], ids=["energy", "calendar"])
def test_live_charts_do_not_depend_on_time_zone(open_page, path):
    views = {tz: live_charts(open_page, path, tz) for tz in ("UTC", "America/New_York")}
    utc, ny = views["UTC"], views["America/New_York"]
    assert utc, "no live chart on the page"
    for chart, view in utc.items():
        for tz, v in views.items():
            # Axis labels and annotations as drawn by the static (build-time) chart.
            text = v[chart]["text"]
            assert len(text) == len(v[chart]["static"]) and all(map(_same_label, text, v[chart]["static"])), (
                f"{chart} in {tz}: live text differs from the static chart: "
                f"{[(a, b) for a, b in zip(text, v[chart]['static'], strict=False) if not _same_label(a, b)]}")
        differ = [(a, b) for a, b in zip(view["labels"], ny[chart]["labels"], strict=True) if a != b]
        assert not differ, (f"{chart}: {len(differ)} mark descriptions (aria-label) differ between UTC and New York, "
                            f"e.g. {differ[:2]}")
