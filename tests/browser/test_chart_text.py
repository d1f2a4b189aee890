"""Chart text as readers see it: at least 12 px on 320-414 px phones (and on a desktop), inside the image, never
overlapping other text, in the light and the dark scheme.

Each chart image is measured where the page shows it: the displayed size of a text is its font size times the
image's displayed width over its drawn width (chart_text.py lays the chosen SVG out at that width).
"""

from __future__ import annotations

import pytest

from .chart_text import MIN_PX, measure
from .conftest import figure_images, scheme

pytestmark = pytest.mark.browser

WIDTHS = [320, 360, 375, 414, 1280]
"""Phone widths from the smallest in use to large phones, and a desktop."""


def chart_pages(built_site) -> list[str]:
    """Pages that hold at least one chart figure."""
    pages = []
    for index in sorted(built_site.rglob("index.html")):
        if 'class="chart"' in index.read_text(encoding="utf-8"):
            rel = index.parent.relative_to(built_site).as_posix()
            pages.append("" if rel == "." else rel + "/")
    return pages


@pytest.mark.parametrize("colour", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_legible_where_it_is_shown(open_page, built_site, width, colour):
    problems: list[str] = []
    measured: set[str] = set()
    for path in chart_pages(built_site):
        rec = open_page(path, viewport={"width": width, "height": 800}, color_scheme=colour)
        page = rec.page
        assert scheme(page) == colour
        states = figure_images(page)  # scrolls each lazy chart into view and waits for its image
        for i, state in enumerate(states):
            chart = page.locator("figure.chart").nth(i).get_attribute("data-chart") or state["id"]
            m = measure(page.locator("figure.chart").nth(i), chart)
            measured.add(chart)
            where = f"{path or 'home'} {chart} ({m.src}, {m.intrinsic:g} px shown at {m.shown:g} px)"
            if m.shown < m.intrinsic - 0.5:
                problems.append(f"{where}: image shrunk")
            problems += [f"{where}: text under {MIN_PX:g} px: {s}" for s in m.small]
            problems += [f"{where}: text outside the image or cut off: {s}" for s in m.clipped]
            problems += [f"{where}: texts overlap: {s}" for s in m.overlaps]
    assert measured, "no chart measured"
    assert problems == []
