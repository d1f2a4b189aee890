"""Every page in a real browser: no errors, no third-party requests, charts visible with and without JavaScript,
the palette toggle swaps charts, phone width, keyboard access, dates in two time zones.

The palette and phone tests also leave full-page screenshots (desktop light and dark, phone) in screenshots/."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from build_charts.charts.base import day_label

from .conftest import (
    PAGES,
    PHONE,
    SCREENSHOTS,
    figure_images,
    hover_until_live,
    image_problems,
    page_id,
    toggle_palette,
)

pytestmark = pytest.mark.browser

pages = pytest.mark.parametrize("path", PAGES, ids=page_id)


def built_html(built_site, path: str) -> BeautifulSoup:
    return BeautifulSoup((built_site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def expected_figures(built_site, path: str) -> int:
    return len(built_html(built_site, path).select("figure.chart"))


@pages
def test_no_console_error_failed_or_foreign_request(open_page, path):
    rec = open_page(path)
    page = rec.page
    figure_images(page)  # scrolls every (lazy) chart into view
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert rec.console_errors == [], "console errors"
    assert rec.failures == [], "failed requests"
    assert rec.foreign_requests() == [], "requests to something other than the loopback test server"
    assert rec.vega_requests() == [], "the Vega bundle loaded without any interaction with a chart"


@pages
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_charts_visible_before_interaction(open_page, built_site, path, js):
    rec = open_page(path, java_script_enabled=js)
    states = figure_images(rec.page)
    assert len(states) == expected_figures(built_site, path)
    assert image_problems(states, "light") == []
    assert [s["id"] for s in states if s["live"]] == [], "charts went live without interaction"
    if js:
        assert rec.console_errors == []


def screenshot(page, path: str, kind: str) -> None:
    """A full-page screenshot in screenshots/ (git-ignored) for a human to review."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # sticky header and sidebars are drawn where the page is scrolled
    page.wait_for_timeout(100)
    page.screenshot(path=SCREENSHOTS / f"{page_id(path)}-{kind}.jpeg", full_page=True, type="jpeg", quality=80)


@pages
def test_palette_toggle_swaps_charts(open_page, path):
    rec = open_page(path)
    page = rec.page
    light = figure_images(page)
    screenshot(page, path, "desktop-light")
    assert image_problems(light, "light") == []
    assert toggle_palette(page) == "dark"
    dark = figure_images(page)
    screenshot(page, path, "desktop-dark")
    assert image_problems(dark, "dark") == [], "after switching to dark"
    assert toggle_palette(page) == "light"
    assert image_problems(figure_images(page), "light") == [], "after switching back to light"
    assert rec.console_errors == []


@pages
def test_phone_width_has_no_sideways_scroll(open_page, path):
    rec = open_page(path, viewport=PHONE, has_touch=True, is_mobile=True)
    page = rec.page
    states = figure_images(page)
    screenshot(page, path, "phone-light")
    assert image_problems(states, "light") == []
    too_wide = [(s["id"], s["light"]["width"], s["figure"]) for s in states if s["light"]["width"] > s["figure"]]
    assert too_wide == [], "chart image wider than its figure"
    not_narrow = [(s["id"], s["light"]["src"]) for s in states if not s["light"]["src"].endswith("-narrow.svg")]
    assert not_narrow == [], "phones should get the narrow chart"
    overflow = page.evaluate("""() => {
      const w = document.documentElement.clientWidth;
      return {scrollWidth: document.documentElement.scrollWidth,
              culprits: [...document.querySelectorAll('body *')].filter(e => {
                const r = e.getBoundingClientRect();
                if (r.width === 0 || r.right <= w + 0.5) return false;
                for (let p = e.parentElement; p; p = p.parentElement) {
                  const ov = getComputedStyle(p).overflowX;
                  if (ov === 'auto' || ov === 'scroll' || ov === 'hidden') return false;
                }
                return true;
              }).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                                      (typeof e.className === 'string' && e.className ? '.' + e.className : ''))};
    }""")
    assert overflow["scrollWidth"] <= PHONE["width"], f"page scrolls sideways at 375px: {overflow}"


_FOCUS_JS = """targets => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material's palette toggle is a visually hidden radio; its focus ring is drawn on the label after it.
  const ring = el.matches('input.md-option') ? el.nextElementSibling : el;
  const cs = getComputedStyle(ring);
  const box = ring.getBoundingClientRect();
  const colour = cs.outlineColor.match(/[\\d.]+/g) || [];
  const transparent = cs.outlineColor === 'transparent' || (colour.length === 4 && parseFloat(colour[3]) === 0);
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent;
  const shadow = cs.boxShadow !== 'none';
  const hit = Object.entries(targets).filter(([name, sel]) => sel && el.matches(sel)).map(([name]) => name);
  return {hit, visible: (outline || shadow) && box.width > 0 && box.height > 0,
          what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' &&
                el.className ? '.' + el.className.trim().replace(/\\s+/g, '.') : '') +
                ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"',
          style: {outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor, shadow: cs.boxShadow,
                  width: box.width, height: box.height}};
}"""

MAX_TABS = 250


@pages
def test_keyboard_reaches_controls_with_visible_focus(open_page, path):
    """Tab through the page (until focus leaves it or MAX_TABS): the controls are reached, every stop shows focus."""
    rec = open_page(path)
    page = rec.page
    targets = {"palette toggle": "input.md-option[name='__palette']", "search input": "input.md-search__input"}
    if page.locator("figure.chart").count():
        fid = page.locator("figure.chart").first.get_attribute("id")
        targets["data-table summary"] = f"#{fid} details.chart-data > summary"
        targets["CSV download"] = f"#{fid} .chart-downloads a[href$='.csv']"
    reached: set[str] = set()
    seen: list[str] = []
    no_ring: list[tuple[str, dict]] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUS_JS, targets)
        if state is None:  # focus left the page: every stop has been visited
            break
        if seen and state["what"] == seen[0]:
            break
        seen.append(state["what"])
        reached.update(state["hit"])
        if not state["visible"]:
            no_ring.append((state["what"], state["style"]))
    assert sorted(set(targets) - reached) == [], f"not reached with {MAX_TABS} Tab presses"
    assert no_ring == [], "focused by keyboard without a visible focus indicator"


# --- dates in two time zones --------------------------------------------------------------------------------

MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"], start=1)}
LONG_DATE = re.compile(r"^(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def long_label(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def start_of(text: str) -> dt.date:
    """The first day of a shown date or range: '5 to 9 March 2026', '31 January to 2 February 2026', ..."""
    day = re.match(r"\d{1,2}", text)
    month = re.search("|".join(MONTHS), text)
    year = re.search(r"\d{4}", text)
    assert day and month and year, f"not a date: {text!r}"
    return dt.date(int(year.group()), MONTHS[month.group()], int(day.group()))


def first_csv_row(built_site, chart_id: str) -> dict[str, str]:
    with (built_site / "charts" / chart_id / f"{chart_id}.csv").open(encoding="utf-8", newline="") as fh:
        return next(csv.DictReader(fh))


TIME_ZONES = ["UTC", "America/New_York"]


@pages
@pytest.mark.parametrize("tz", TIME_ZONES)
def test_dates_agree_with_data_in_time_zone(open_page, built_site, path, tz):
    rec = open_page(path, timezone_id=tz)
    page = rec.page
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == tz
    shown = page.eval_on_selector_all("time", "ts => ts.map(t => [t.getAttribute('datetime'), t.textContent.trim()])")
    built = [(t.get("datetime"), t.get_text().strip()) for t in built_html(built_site, path).select("time")]
    assert [list(t) for t in built] == shown, "time elements differ from the built HTML"
    wrong = [(attr, text) for attr, text in shown if not (attr and ISO_DATE.match(attr))
             or start_of(text) != dt.date.fromisoformat(attr)]
    assert wrong == [], "time text does not match its datetime attribute"

    # Each chart's data table: the first row's dates are the data's (the CSV download of the same rows).
    for fid in page.eval_on_selector_all("figure.chart", "fs => fs.map(f => f.dataset.chart)"):
        cells = page.eval_on_selector_all(f"figure[data-chart='{fid}'] table.chart-table tbody tr:first-child > *",
                                          "cs => cs.map(c => c.textContent.trim())")
        dates = [c for c in cells if ISO_DATE.match(c) or LONG_DATE.match(c)]
        values = set(first_csv_row(built_site, fid).values())
        values |= {day_label(dt.date.fromisoformat(v)) for v in values if ISO_DATE.fullmatch(v)}
        assert [d for d in dates if d not in values] == [], f"{fid}: table dates not in the data's first row"

    if path == "energy/":
        check_strike_tooltips(rec, page)
    assert rec.console_errors == []


def check_strike_tooltips(rec, page) -> None:
    """After the live chart loads, the tooltip's 'Night of' equals the table's date, as a long label."""
    fig = page.locator("#chart-strikes-volume")
    first = fig.locator("table.chart-table tbody tr:first-child th time").get_attribute("datetime") or ""
    hover_until_live(rec, fig.locator(".chart-frame"))
    for iso in (first, "2025-12-06"):
        days = fig.locator("table.chart-table tbody th time").evaluate_all("ts => ts.map(t => t.dateTime)")
        assert iso in days, f"no {iso} row in the table"
        centre = page.evaluate("""([id]) => {
          const frame = document.querySelector('#chart-strikes-volume .chart-frame');
          const found = [];
          (function walk(node) {
            if (!node) return;
            if (node.items) node.items.forEach(walk);
            if (node.mark && node.mark.marktype === 'symbol' && node.datum && node.datum.id === id && node._svg) {
              const r = node._svg.getBoundingClientRect();
              found.push([r.x + r.width / 2, r.y + r.height / 2]);
            }
          })(frame._view.scenegraph().root);
          return found[0] || null;
        }""", [iso])
        assert centre, f"no mark for the strike of {iso} in the live chart"
        page.mouse.move(*centre)
        tip = fig.locator(".chart-tooltip")
        tip.wait_for(state="visible")
        pairs = tip.locator("dt").evaluate_all("ds => ds.map(d => [d.textContent, d.nextElementSibling.textContent])")
        assert dict(pairs).get("Night of") == long_label(dt.date.fromisoformat(iso)), pairs
