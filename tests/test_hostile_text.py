"""Text is data, never markup: hostile and non-Latin text in data files, through every output."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar
from projects import fixture_project

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
HOSTILE = "<script>alert(1)</script> **bold** Київ 🚀"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The project, on the frozen fixture data, with hostile text in an outage region, an event title and a
    publisher, built."""
    from publish.build import build_site, settings_for

    root = fixture_project(tmp_path_factory.mktemp("hostile") / "proj")
    quoted = json.dumps(HOSTILE, ensure_ascii=False)
    edits = {
        "outages.yaml": ("    region: Nationwide\n    unit: people", f"    region: {quoted}\n    unit: people"),
        "diplomatic_calendar.yaml": ("    title: Zelensky and Erdogan meet in Ankara", f"    title: {quoted}"),
        "sources.yaml": ("  publisher: DW\n", f"  publisher: {quoted}\n"),
    }
    for file, (old, new) in edits.items():
        path = root / "data" / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture edit for {file} no longer applies"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    build_site(settings_for(root), root / "site")
    return root / "site"


def test_no_page_contains_the_script_as_markup(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert pages
    for page in pages:
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8"), f"{page} injects markup"


@pytest.mark.parametrize("page", ["calendar/index.html", "energy/index.html", "sources/index.html"])
def test_pages_show_the_text_escaped_and_literal(hostile_site, page):
    html = (hostile_site / page).read_text(encoding="utf-8")
    assert ESCAPED in html
    assert "**bold**" in html and "<strong>bold</strong>" not in html, "Markdown in data stays literal"
    assert "Київ 🚀" in html


def test_svg_escapes_and_keeps_cyrillic_and_emoji(hostile_site):
    svg = (hostile_site / "charts" / "outages" / "outages-light-wide.svg").read_text(encoding="utf-8")
    assert "<script" not in svg
    assert ESCAPED in svg and "Київ 🚀" in svg


def test_png_renders(hostile_site):
    png = (hostile_site / "charts" / "outages" / "outages.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_csv_and_json_keep_the_text_verbatim(hostile_site):
    rows = list(csv.DictReader(io.StringIO((hostile_site / "charts/outages/outages.csv").read_text("utf-8-sig"))))
    assert any(r["region"] == HOSTILE for r in rows)
    data = json.loads((hostile_site / "charts/outages/outages.json").read_text("utf-8"))
    assert any(r["region"] == HOSTILE for r in data["rows"])


def test_ics_carries_the_text_as_text(hostile_site):
    cal = Calendar.from_ical((hostile_site / "calendar.ics").read_bytes())
    assert any(str(ev["SUMMARY"]) == HOSTILE for ev in cal.walk("VEVENT"))


def test_vega_spec_for_tooltips_holds_data_not_markup(hostile_site):
    spec = json.loads((hostile_site / "charts/outages/outages-light-wide.vg.json").read_text("utf-8"))
    assert HOSTILE in json.dumps(spec, ensure_ascii=False), "tooltips get the raw string; charts.js sets textContent"
    js = (ROOT / "docs/assets/charts.js").read_text()
    assert "innerHTML" not in js, "the tooltip never parses data as HTML"


def test_embed_pages_escape(hostile_site):
    for page in (hostile_site / "embed").glob("*.html"):
        assert "<script>alert(1)" not in page.read_text("utf-8")


def test_overlong_text_is_rejected_with_the_limit(tmp_path):
    from build_charts import DataError, load_data

    folder = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    path = folder / "outages.yaml"
    path.write_text(path.read_text("utf-8").replace("    region: Nationwide", "    region: " + "x" * 200, 1), "utf-8")
    with pytest.raises(DataError) as err:
        load_data(folder)
    assert any(p.field == "region" and re.search(r"the text has 200 characters; the limit here is 160", p.message)
               for p in err.value.problems)
