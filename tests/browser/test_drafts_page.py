"""The peace-drafts comparison in a real browser: a table on a wide screen, one card per topic on a 320-414 px
phone with no sideways page scroll, with and without JavaScript, light and dark, and in print.

Screenshots (phone light and dark, desktop) are left in screenshots/ for a reviewer to look at.
"""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, SCREENSHOTS, toggle_palette

pytestmark = pytest.mark.browser

PATH = "peace-drafts/"
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const page = document.documentElement.scrollWidth - width;
  const outside = [...document.querySelectorAll('.drafts-compare *')]
    .filter(e => !e.closest('thead') && e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName.toLowerCase() + '.' + e.className).slice(0, 5);
  return {page, outside};
}"""
LAYOUT = """() => {
  const t = document.querySelector('table.drafts-sequence');
  const row = t.querySelector('tbody tr');
  const head = t.querySelector('thead');
  const label = row.querySelector('td .term-draft');
  return {table: getComputedStyle(t).display, row: getComputedStyle(row).display,
          headHeight: head.getBoundingClientRect().height, label: getComputedStyle(label).display,
          rowWidth: row.getBoundingClientRect().width, rows: t.querySelectorAll('tbody tr').length,
          scheme: document.body.getAttribute('data-md-color-scheme')};
}"""


@pytest.mark.parametrize("width", [320, 414])
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_phone_shows_one_card_per_topic_without_sideways_scroll(open_page, width, js):
    rec = open_page(PATH, viewport={"width": width, "height": 800}, java_script_enabled=js)
    page = rec.page
    schemes = ["light", "dark"] if js else ["light"]  # the palette toggle needs JavaScript
    for scheme in schemes:
        if scheme == "dark":
            assert toggle_palette(page) == "dark"
        overflow = page.evaluate(OVERFLOW)
        assert overflow == {"page": 0, "outside": []}, f"{width} px, {scheme}: content wider than the screen"
        layout = page.evaluate(LAYOUT)
        assert layout["table"] == "block" and layout["row"] == "block", "topics are not cards on a phone"
        assert layout["headHeight"] <= 1, "the column headers should be hidden (each card names its drafts)"
        assert layout["label"] == "block", "each term in a card names its draft"
        assert layout["rowWidth"] <= width
        page.locator("table.drafts-sequence").scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"peace-drafts-{width}-{scheme}-{'js' if js else 'nojs'}.png"))
    assert rec.console_errors == []


def test_wide_screen_shows_a_table_with_headers(open_page):
    rec = open_page(PATH, viewport=DESKTOP)
    page = rec.page
    layout = page.evaluate(LAYOUT)
    assert layout["table"] == "table" and layout["row"] == "table-row"
    assert layout["headHeight"] > 20 and layout["label"] == "none"
    assert page.evaluate(OVERFLOW)["page"] == 0
    headers = page.locator("table.drafts-sequence thead th[scope=col]")
    assert headers.count() >= 3
    # the screen-reader view: a column header and a row header for a cell
    assert page.locator("table.drafts-sequence tbody th[scope=row]").count() == layout["rows"]
    page.locator("table.drafts-sequence").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "peace-drafts-1280-light.png"))


def test_print_keeps_the_page_within_its_width(open_page):
    rec = open_page(PATH, viewport={"width": 800, "height": 1000})
    rec.page.emulate_media(media="print")
    assert rec.page.evaluate(OVERFLOW)["page"] == 0
