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
from build_charts.charts.outputs import MAX_SVG_BYTES, chart_files
from build_charts.charts.spec import page_spec, windowed
from build_charts.charts.strikes_volume import LIMIT

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
STRIKE_CHARTS = ("strikes-volume", "strikes-interception")


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    """The real data with strikes.yaml replaced by the nightly fixture, loaded and rendered once."""
    from build_charts import load_data
    from build_charts.charts.render import render_data

    folder = tmp_path_factory.mktemp("nightly") / "data"
    write_data(ROOT / "tests" / "fixtures" / "data", folder)
    data = load_data(folder)
    return data, render_data(data, ROOT / ".cache" / "test-renders")


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
    rows = list(csv.DictReader(io.StringIO(r.files[f"{chart_id}.csv"].decode("utf-8-sig"))))
    assert len(rows) == len(r.table.rows) == len(json.loads(r.files[f"{chart_id}.json"])["rows"])
    assert {row["id"] for row in rows} == {s.id for s in data["strikes"].records}


@pytest.mark.parametrize("chart_id", STRIKE_CHARTS)
def test_the_page_table_is_a_short_summary_pointing_to_the_downloads(nightly, chart_id):
    from build_charts.site.figures import data_details

    data, rendered = nightly
    r = rendered[chart_id]
    html = data_details(r.chart, r.table, lambda path: "/" + path, data)
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


def test_small_tables_stay_whole_on_the_page(rendered, data):
    """With today's few dozen strikes the page shows every row (the summary is only for long tables)."""
    from build_charts.site.figures import data_details

    for r in rendered.values():
        if len(r.table.rows) <= PAGE_ROWS:
            assert r.table.page is None
            html = data_details(r.chart, r.table, lambda path: "/" + path, data)
            assert html.count("<tr>") == len(r.table.rows) + 1


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """The real strikes with every other night filled in: the whole site's data, as editors would grow it.

    Its last grouped period (a month or a quarter) ends after `as_of`, unlike the pure fixture's, whose
    weeks happen to end on it.
    """
    from build_charts import load_data
    from build_charts.charts.render import render_data

    folder = tmp_path_factory.mktemp("filled") / "data"
    write_data(ROOT / "tests" / "fixtures" / "data", folder, keep_real=True)
    data = load_data(folder)
    return data, render_data(data, ROOT / ".cache" / "test-renders")


def test_grouped_bars_end_at_the_data_date_inside_the_plot(filled):
    """A period still running at `as_of` is drawn up to it, not past the plot (render refuses wider images)."""
    import datetime as dt

    data, rendered = filled
    stop = (data["strikes"].meta.as_of + dt.timedelta(days=1)).isoformat()
    for width in LIMIT:
        spec = json.loads(rendered["strikes-volume"].files[f"strikes-volume-light-{width}.vg.json"])
        ends = [row["end"] for row in _vega_rows(spec) if "strikes" in row and "end" in row]
        assert ends and max(ends) <= stop, f"{width}: a bar ends at {max(ends)}, after {stop}"


def test_real_records_survive_the_filling(filled):
    """Every real strike (the pages quote them) is still there, with its own figures."""
    from build_charts import load_data

    data, _ = filled
    real = {s.id: s for s in load_data(ROOT / "tests" / "fixtures" / "data")["strikes"].records}
    held = {s.id: s for s in data["strikes"].records}
    assert real.keys() <= held.keys()
    assert all(held[i].drones_launched == s.drones_launched for i, s in real.items())


WINDOWED = ("znpp-offsite-power", "force-caps", "diplomatic-timeline")
"""Charts that draw one mark per record and cannot group them: past a limit they draw the latest records."""


@pytest.mark.parametrize("chart_id", WINDOWED)
def test_a_chart_past_its_limit_draws_the_latest_rows_and_says_so(fixture_data, chart_id):
    """With a limit below the record count, the image holds the latest rows, a note with both counts, and
    still fits its column (the render refuses images wider than their column or with small text)."""
    import dataclasses
    import re

    from build_charts.charts import CHARTS
    from build_charts.charts.base import Window
    defn = CHARTS[chart_id]
    assert defn.window is not None
    table = defn.table(fixture_data)
    dated = [r for r in table.rows if r.get(defn.window.key)]
    limit = max(2, len(dated) // 2)
    small = dataclasses.replace(defn, window=Window(defn.window.key, {"narrow": limit, "wide": limit},
                                                    defn.window.noun))
    files = chart_files(small, fixture_data, table)
    newest = sorted(r[defn.window.key] for r in dated)[-limit:]
    for width in LIMIT:
        svg = files[f"{chart_id}-light-{width}.svg"].decode()
        text = " ".join(re.sub(r"<[^>]+>", " ", svg).split())  # a wrapped note is one <tspan> per line
        assert f"The latest {limit} of {len(dated)}" in text, width
        spec = page_spec(small, fixture_data, table, width)
        named = [row for rows in spec.get("datasets", {}).values() for row in rows if isinstance(row, dict)]
        ids = {row.get("id") for row in named}
        drawn = {r["id"] for r in dated if r["id"] in ids}
        assert drawn, f"{width}: no record drawn"
        assert len(drawn) <= limit, f"{width}: {len(drawn)} records drawn"
        assert all(r[defn.window.key] >= newest[0] for r in dated if r["id"] in drawn), width
        undated = [r["id"] for r in table.rows if not r.get(defn.window.key)]
        assert all(i in ids for i in undated), f"{width}: reference rows dropped"


def test_charts_within_their_limits_carry_no_note(rendered):
    for chart_id in WINDOWED:
        svg = rendered[chart_id].files[f"{chart_id}-light-wide.svg"].decode()
        assert "The latest " not in svg


def test_a_long_table_without_a_summary_shows_its_latest_rows_on_the_page(fixture_data):
    from build_charts.charts import CHARTS
    from build_charts.charts.base import Table
    from build_charts.site.figures import data_details

    defn = CHARTS["diplomatic-timeline"]
    table = defn.table(fixture_data)
    rows = tuple(dict(r, id=f"{r['id']}-{k}") for k in range(PAGE_ROWS // len(table.rows) + 2) for r in table.rows)
    long = Table(table.columns, rows, table.as_of)
    html = data_details(defn, long, lambda path: "/" + path, fixture_data)
    assert html.count("<tr>") == PAGE_ROWS + 1
    assert f"the latest {PAGE_ROWS} of {len(rows):,} rows" in html
    assert f"/charts/{defn.id}/{defn.id}.csv" in html


def _crowded_table(table, key: str, copies: int):
    """The table with each dated row repeated `copies` times, a few days apart: many records close together."""
    import dataclasses
    import datetime as dt

    rows = []
    for r in table.rows:
        rows.append(r)
        if not r.get(key):
            continue
        for k in range(1, copies):
            shifted = {f: (dt.date.fromisoformat(v) - dt.timedelta(days=2 * k)).isoformat()
                       if f in ("date", "start", "end", "end_exclusive") and isinstance(v, str) else v
                       for f, v in r.items()}
            rows.append({**shifted, "id": f"{r['id']}-x{k}"})
    return dataclasses.replace(table, rows=tuple(rows))


def _text_boxes(spec: dict) -> list[tuple[str, object]]:
    """Every text row the chart draws at a pixel position (labels, names), with the box it covers, once each
    (a label with a leader line is also in the leaders' dataset)."""
    from build_charts.charts.layout import text_box

    out, seen = [], set()
    for rows in spec.get("datasets", {}).values():
        for row in rows:
            if isinstance(row, dict) and isinstance(row.get("text"), (list, str)) and "align" in row and "x" in row:
                lines = [row["text"]] if isinstance(row["text"], str) else row["text"]
                if (tuple(lines), row["x"], row["y"]) in seen:
                    continue
                seen.add((tuple(lines), row["x"], row["y"]))
                out.append((" ".join(lines), text_box(row["x"], row["y"], lines, row["align"],
                                                      bold=row.get("weight") == "bold")))
    return out


@pytest.mark.parametrize(("chart_id", "key"), [("diplomatic-timeline", "start")])
def test_labels_never_cross_when_records_crowd_together(fixture_data, chart_id, key):
    """Many records a few days apart (as in the 100x bench): labels are dropped or wrapped, never drawn over text."""
    from build_charts.charts import CHARTS
    defn = CHARTS[chart_id]
    dense = _crowded_table(defn.table(fixture_data), key, 20)
    for width in ("wide", "narrow"):
        spec = page_spec(defn, fixture_data, dense, width)
        _shown, note = windowed(defn, dense, width)
        assert note, f"{width}: the crowded table should be past the chart's limit"
        boxes = _text_boxes(spec)
        assert len(boxes) >= 3, f"{width}: no labels found"
        crossing = [(a, b) for i, (a, boxa) in enumerate(boxes) for b, boxb in boxes[i + 1:]
                    if boxa.overlaps(boxb, pad=-2)]
        assert not crossing, f"{chart_id} {width}: texts cross: {crossing[:3]}"
