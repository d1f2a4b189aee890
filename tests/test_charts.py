"""Charts: golden specs, renders in both themes, data tables that match the chart, determinism."""

from __future__ import annotations

import csv
import difflib
import io
import json
from pathlib import Path

import pytest

from build_charts.charts import CHARTS
from build_charts.charts.render import ChartError, render_chart, table_csv
from build_charts.cli import golden_specs

GOLDEN = Path(__file__).parent / "golden"
CHART_IDS = sorted(CHARTS)


def test_registry_has_the_seven_charts():
    assert set(CHARTS) == {"strikes-volume", "strikes-interception", "znpp-offsite-power", "outages", "force-caps",
                           "force-caps-timeline", "diplomatic-timeline"}


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_golden_spec(chart_id, data):
    """The chart code produces the accepted spec; accept a deliberate change with `make golden`."""
    current = golden_specs(data)[f"{chart_id}.vl.json"].decode()
    expected_file = GOLDEN / f"{chart_id}.vl.json"
    assert expected_file.exists(), f"no golden spec for {chart_id}: run `make golden`"
    expected = expected_file.read_text()
    if current != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), current.splitlines(True),
                                            f"golden/{chart_id}.vl.json", "current", n=2))
        pytest.fail(f"spec of {chart_id} changed; if intended run `make golden`.\n{diff[:6000]}")


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_chart_metadata_is_complete(chart_id, data):
    defn = CHARTS[chart_id]
    for field in ("title", "subtitle", "alt", "description"):
        assert len(getattr(defn, field)) > 20, f"{chart_id}: {field} too short"
    assert defn.notes, f"{chart_id}: no notes"
    assert set(defn.datasets) <= set(data.datasets)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_renders_in_both_themes_and_widths(chart_id, rendered):
    r = rendered[chart_id]
    for scheme in ("light", "dark"):
        for width in ("wide", "narrow"):
            svg = r.files[f"{chart_id}-{scheme}-{width}.svg"]
            assert svg.startswith(b"<svg") and b"</svg>" in svg
    light = r.files[f"{chart_id}-light-wide.svg"]
    dark = r.files[f"{chart_id}-dark-wide.svg"]
    assert b'fill="#ffffff"' in light and b'fill="#1e2129"' in dark, "backgrounds follow the theme"
    assert r.files[f"{chart_id}.png"].startswith(b"\x89PNG")


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_download_svg_contains_title_and_source(chart_id, rendered):
    from html import escape

    svg = rendered[chart_id].files[f"{chart_id}.svg"].decode()
    first_words = " ".join(CHARTS[chart_id].title.split()[:4])
    assert escape(first_words, quote=True) in svg or escape(first_words, quote=False) in svg
    assert "Source:" in svg and "Data as of" in svg


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_csv_rows_match_the_chart_data(chart_id, rendered):
    """The CSV holds exactly the rows drawn: same count, same ids, in the same order as the spec's data."""
    r = rendered[chart_id]
    rows = list(csv.DictReader(io.StringIO(r.files[f"{chart_id}.csv"].decode())))
    spec = json.loads(r.files[f"{chart_id}.vl.json"])
    drawn = []

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("data"), dict) and isinstance(node["data"].get("values"), list):
                drawn.append(node["data"]["values"])
            for v in node.values():
                collect(v)
        elif isinstance(node, list):
            for v in node:
                collect(v)

    collect(spec)
    assert drawn, "spec has inline data"
    biggest = max(drawn, key=len)
    assert len(rows) == len(r.table.rows)
    key = "id" if "id" in rows[0] else next(iter(rows[0]))
    assert [row[key] for row in rows] == [str(row[key]) for row in r.table.rows]
    drawn_ids = {str(row.get(key)) for values in drawn for row in values if key in row}
    assert {row[key] for row in rows} <= drawn_ids | {str(row.get(key)) for row in biggest}


def test_strikes_csv_has_every_strike_with_both_missile_figures(rendered, data):
    rows = list(csv.DictReader(io.StringIO(rendered["strikes-volume"].files["strikes-volume.csv"].decode())))
    assert len(rows) == len(data["strikes"].records)
    dec6 = next(r for r in rows if r["id"] == "2025-12-06")
    assert dec6["drones_high"] == "653"
    assert (dec6["missiles_low"], dec6["missiles_high"]) == ("51", "53"), "both reported figures are kept"


def test_render_is_deterministic(data):
    defn = CHARTS["strikes-volume"]
    first = render_chart(defn, data, cache_dir=None).files
    second = render_chart(defn, data, cache_dir=None).files
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two renders"


def test_cache_rerenders_only_charts_whose_data_changed(tmp_path, data):
    from build_charts.charts.render import render_data

    cache = tmp_path / "cache"
    first = render_data(data, cache)
    assert not any(r.cached for r in first.values())
    again = render_data(data, cache)
    assert all(r.cached for r in again.values())
    assert all(again[c].files == first[c].files for c in first)


def test_cache_key_changes_with_one_dataset(tmp_path):
    """Editing a figure in strikes.yaml re-renders the two strike charts and nothing else."""
    import shutil

    from build_charts import load_data
    from build_charts.charts.render import render_data

    root = Path(__file__).resolve().parents[1]
    folder = tmp_path / "data"
    shutil.copytree(root / "data", folder)
    cache = tmp_path / "cache"
    render_data(load_data(folder), cache)
    path = folder / "strikes.yaml"
    text = path.read_text()
    assert "      - value: 653\n" in text
    path.write_text(text.replace("      - value: 653\n", "      - value: 652\n", 1))
    again = render_data(load_data(folder), cache)
    rerendered = {c for c, r in again.items() if not r.cached}
    assert rerendered == {"strikes-volume", "strikes-interception"}


def test_a_broken_chart_builder_names_the_chart(data):
    import altair as alt

    from build_charts.charts.base import ChartDef

    def bad_chart(t, d, p, w):
        return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x=alt.X("a:Q", axis=alt.Axis(nonsense=1)))

    defn = ChartDef(id="broken-example", title="t" * 30, subtitle="s" * 30, alt="a" * 30, description="d" * 30,
                    notes=("n",), datasets=("strikes",), table=CHARTS["strikes-volume"].table, chart=bad_chart)
    with pytest.raises(ChartError) as err:
        render_chart(defn, data)
    message = str(err.value)
    assert "broken-example" in message and "nonsense" in message
    assert "at " not in message.splitlines()[0][:3]


def test_csv_escapes_nothing_away(data):
    """CSV writes text verbatim (quoted by the csv module), blank for missing values."""
    from build_charts.charts.base import Column, Table

    table = Table((Column("a", "A"), Column("b", "B")), ({"a": 'x, "y"', "b": None},))
    assert table_csv(table) == b'a,b\n"x, ""y""",\n'


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_dark_svg_equals_a_real_dark_render(chart_id, rendered):
    """Dark SVGs are made by swapping palette colours; they must equal what Vega renders in the dark theme."""
    import vl_convert as vlc

    r = rendered[chart_id]
    for width in ("wide", "narrow"):
        spec = json.loads(r.files[f"{chart_id}-dark-{width}.vg.json"])
        assert r.files[f"{chart_id}-dark-{width}.svg"].decode() == vlc.vega_to_svg(spec, allowed_base_urls=[])
