"""A publication, not documentation: what a reader sees first, the article layout, navigation, print."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

STORIES = ["energy/", "force-caps/", "calendar/"]

_FIRST_SCREEN = """() => {
  const inView = el => { if (!el) return false; const b = el.getBoundingClientRect();
                         return b.height > 0 && b.top >= 0 && b.bottom <= innerHeight; };
  const h1 = document.querySelector('article h1');
  const byline = document.querySelector('article .byline');
  const standfirst = [...document.querySelectorAll('article p')].find(p => !p.classList.contains('byline'));
  const key = document.querySelector('article li strong, article figure.chart');
  return {h1: inView(h1), byline: inView(byline), asOf: byline ? byline.textContent : '',
          standfirst: inView(standfirst), standfirstWords: standfirst ? standfirst.textContent.split(/\\s+/).length : 0,
          key: key ? key.getBoundingClientRect().top < innerHeight : false};
}"""


def test_home_first_phone_screen_holds_headline_standfirst_publisher_line_and_a_key_number(open_page, data):
    rec = open_page("", viewport=PHONE)
    seen = rec.page.evaluate(_FIRST_SCREEN)
    assert seen["h1"] and seen["byline"] and seen["standfirst"], seen
    assert seen["key"], "the first key number (or chart) starts on the first screen"
    assert seen["standfirstWords"] <= 30, "a one-line standfirst, not an introduction"
    day = data.as_of
    assert f"Data as of {day.day} {day:%B %Y}" in seen["asOf"], "the publisher line carries the data's own date"


@pytest.mark.parametrize("path", STORIES)
def test_stories_read_as_articles_without_documentation_sidebars(open_page, path):
    rec = open_page(path, viewport=DESKTOP)
    layout = rec.page.evaluate("""() => {
      const visible = sel => [...document.querySelectorAll(sel)].some(el => {
        const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0 &&
          getComputedStyle(el).visibility !== 'hidden' && el.querySelector('a'); });
      const p = document.querySelector('article > p:not(.byline)') || document.querySelector('article p');
      const fig = document.querySelector('figure.chart');
      const chars = p ? p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize) * 2 : 0;
      const rails = visible('.md-sidebar--primary .md-nav__link') || visible('.md-sidebar--secondary .md-nav__link');
      return {sidebars: rails,
              tabs: visible('.md-tabs'), charsPerLine: chars,
              figure: fig ? fig.getBoundingClientRect().width : 0,
              column: document.querySelector('.md-content__inner').getBoundingClientRect().width};
    }""")
    assert not layout["sidebars"], "no navigation or table-of-contents rail beside the story"
    assert layout["tabs"], "site navigation stays reachable in the header"
    assert 45 <= layout["charsPerLine"] <= 95, f"readable line length ({layout['charsPerLine']:.0f} characters)"
    assert layout["figure"] >= layout["column"] - 1, "charts use the full content width"


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1024, "height": 768}, DESKTOP], ids=["375", "1024", "1280"])
def test_every_page_of_the_site_is_reachable_by_keyboard_at_any_width(open_page, viewport):
    rec = open_page("energy/", viewport=viewport)
    page = rec.page
    wanted = {"", "energy/", "force-caps/", "calendar/", "methodology/", "sources/", "changes/", "about/"}
    reached: set[str] = set()
    for _ in range(400):  # Tab through the page as a keyboard user would, noting every site page reached
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.tagName === 'INPUT'"):
            page.wait_for_timeout(350)  # Material opens the search panel on focus; let it finish
        focus = page.evaluate("""() => { let e = document.activeElement; if (!e || e === document.body) return null;
          const href = e.href && new URL(e.href).origin === location.origin ? new URL(e.href).pathname : null;
          // Material's toggles are inputs drawn by their label: the label is what the reader sees focused.
          if (e.tagName === 'INPUT') {
            e = (e.closest('form') || e.parentElement).querySelector('label:not([hidden])') || e;
          }
          const b = e.getBoundingClientRect(); const v = getComputedStyle(e).visibility;
          return {href, visible: b.width > 0 && b.height > 0 && v !== 'hidden' && b.right > 0 && b.left < innerWidth,
                  what: e.outerHTML.slice(0, 100)}; }""")
        if focus is None:
            break
        assert focus["visible"], f"keyboard focus went to an element the reader cannot see: {focus}"
        if focus["href"] is not None:
            reached.add(focus["href"].lstrip("/"))
    assert wanted <= reached, f"not reachable by keyboard: {sorted(wanted - reached)}"


def test_on_a_phone_the_menu_lists_the_sites_pages(open_page):
    rec = open_page("energy/", viewport=PHONE)
    page = rec.page
    page.locator("label.md-header__button[for='__drawer']").click()
    link = page.locator(".md-nav--primary a.md-nav__link[href*='force-caps']").first
    link.wait_for(state="visible")
    assert link.is_visible()


def test_print_shows_the_story_charts_tables_and_link_addresses_not_the_navigation(open_page):
    rec = open_page("energy/", viewport=DESKTOP)
    page = rec.page
    page.emulate_media(media="print")
    shown = page.evaluate("""() => {
      const vis = el => el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
      const link = document.querySelector('article a[href^="http"]');
      const table = document.querySelector('figure.chart details.chart-data table');
      return {header: vis(document.querySelector('.md-header')), tabs: vis(document.querySelector('.md-tabs')),
              chart: vis(document.querySelector('picture.chart-light img')),
              dark: vis(document.querySelector('picture.chart-dark img')),
              table: vis(table),
              address: link ? getComputedStyle(link, '::after').content : ''};
    }""")
    assert not shown["header"] and not shown["tabs"], "navigation is not printed"
    assert shown["chart"] and not shown["dark"], "charts print in their light version"
    assert shown["table"], "data tables print, even when closed on screen"
    assert "http" in shown["address"], "source links print their address"
