"""Charts scale with the data: a strike every night for about 1,000 nights still gives small, legible charts.

The strike charts group nights into weeks, months or quarters when there are too many to draw; every night
stays in the CSV and JSON downloads, and the page shows a summary table instead of a thousand rows. Sizes are
bytes and counts of marks, never timings.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fixtures.nightly import GAP_REASON, write_data

from build_charts.charts.base import PAGE_ROWS
from build_charts.charts.render import MAX_SVG_BYTES
from build_charts.charts.strikes_volume import LIMIT

ROOT = Path(__file__).resolve().parents[1]
STRIKE_CHARTS = ("strikes-volume", "strikes-interception")


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    """The real data with strikes.yaml replaced by the nightly fixture, loaded and rendered once."""
    from build_charts import load_data
    from build_charts.charts.render import render_data

    folder = tmp_path_factory.mktemp("nightly") / "data"
    write_data(ROOT / "data", folder)
    data = load_data(folder)
    return data, render_data(data, cache_dir=None)


def _vega_rows(spec: dict) -> list[dict]:
    return [row for d in spec.get("data", []) for row in d.get("values", []) if isinstance(row, dict)]


def test_the_fixture_has_about_a_thousand_nights_and_a_gap(nightly):
    data, _ = nightly
    assert 900 <= len(data["strikes"].records) <= 1_100
    assert data["strikes"].meta.gaps


def test_every_chart_svg_stays_under_the_budget(nightly):
    _, rendered = nightly
    for r in rendered.values():
        for name, content in r.files.items():
            if name.endswith(".svg"):
                assert len(content) <= MAX_SVG_BYTES, f"{name}: {len(content):,} bytes"


@pytest.mark.parametrize("chart_id", STRIKE_CHARTS)
def test_strike_charts_group_nights_into_few_marks(nightly, chart_id):
    """Each panel draws at most LIMIT marks for its width, each the largest or pooled figure of a period."""
    _, rendered = nightly
    files = rendered[chart_id].files
    for width, limit in LIMIT.items():
        spec = json.loads(files[f"{chart_id}-light-{width}.vg.json"])
        marks = [row for row in _vega_rows(spec) if "strikes" in row]
        assert marks, f"{chart_id} {width}: nothing drawn"
        assert len(marks) <= 2 * limit, f"{chart_id} {width}: {len(marks)} marks in two panels"
        assert any(row["strikes"] > 1 for row in marks), "nights are grouped"


@pytest.mark.parametrize("chart_id", STRIKE_CHARTS)
def test_downloads_keep_every_night(nightly, chart_id):
    data, rendered = nightly
    r = rendered[chart_id]
    rows = list(csv.DictReader(io.StringIO(r.files[f"{chart_id}.csv"].decode())))
    assert len(rows) == len(r.table.rows) == len(json.loads(r.files[f"{chart_id}.json"])["rows"])
    assert {row["id"] for row in rows} == {s.id for s in data["strikes"].records}


@pytest.mark.parametrize("chart_id", STRIKE_CHARTS)
def test_the_page_table_is_a_short_summary_pointing_to_the_downloads(nightly, chart_id):
    from build_charts.site.figures import data_details

    _, rendered = nightly
    r = rendered[chart_id]
    html = data_details(r.chart, r.table, lambda path: "/" + path)
    assert html.count("<tr>") <= PAGE_ROWS + 1
    assert f"/charts/{chart_id}/{chart_id}.csv" in html and "summary" in html


def test_gaps_in_collection_are_drawn(nightly):
    """The fixture's gap (inside the drawn period) is shaded in both strike charts, at both widths."""
    _, rendered = nightly
    for chart_id in STRIKE_CHARTS:
        for width in LIMIT:
            spec = json.loads(rendered[chart_id].files[f"{chart_id}-light-{width}.vg.json"])
            reasons = {row["reason"] for row in _vega_rows(spec) if "reason" in row}
            assert GAP_REASON in reasons, f"{chart_id} {width}"


def test_small_tables_stay_whole_on_the_page(rendered):
    """With today's few dozen strikes the page shows every row (the summary is only for long tables)."""
    from build_charts.site.figures import data_details

    for r in rendered.values():
        if len(r.table.rows) <= PAGE_ROWS:
            assert r.table.page is None
            html = data_details(r.chart, r.table, lambda path: "/" + path)
            assert html.count("<tr>") == len(r.table.rows) + 1
