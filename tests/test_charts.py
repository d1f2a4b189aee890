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


def _objects(node):
    """Every JSON object in a spec, depth first."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v)


def _inline_rows(spec) -> list[dict]:
    """Every data row of a Vega-Lite spec: inline, or in the top-level named datasets."""
    rows: list[dict] = [v for values in spec.get("datasets", {}).values() for v in values if isinstance(v, dict)]
    for node in _objects(spec):
        if isinstance(node.get("data"), dict) and isinstance(node["data"].get("values"), list):
            rows.extend(v for v in node["data"]["values"] if isinstance(v, dict))
    return rows


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_csv_holds_every_table_row_and_the_chart_draws_only_table_records(chart_id, rendered):
    """The CSV holds exactly the table's rows, in order; every record the chart draws comes from the table.

    A chart may draw fewer marks than rows (parts of a total, or nights grouped into months), never others.
    """
    r = rendered[chart_id]
    rows = list(csv.DictReader(io.StringIO(r.files[f"{chart_id}.csv"].decode())))
    assert len(rows) == len(r.table.rows)
    assert [row["id"] for row in rows] == [str(row["id"]) for row in r.table.rows]
    drawn = {str(row["id"]) for row in _inline_rows(json.loads(r.files[f"{chart_id}.vl.json"])) if "id" in row}
    periods = {row["id"] for row in _inline_rows(json.loads(r.files[f"{chart_id}.vl.json"])) if "period" in row}
    assert drawn, "the chart draws records of its table"
    assert drawn - periods <= {row["id"] for row in rows}


def test_strikes_csv_keeps_every_strike_and_both_figures_where_sources_differ(rendered, data):
    from build_charts.data.models.common import high, low

    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
        rendered["strikes-volume"].files["strikes-volume.csv"].decode()))}
    assert set(rows) == {s.id for s in data["strikes"].records}
    for strike in data["strikes"].records:
        lo, hi = low(strike.missiles_launched), high(strike.missiles_launched)
        if lo is not None:
            assert (rows[strike.id]["missiles_low"], rows[strike.id]["missiles_high"]) == (f"{lo:g}", f"{hi:g}")


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
    """Editing strikes.yaml re-renders the two strike charts and nothing else."""
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
    assert "\n  description: >-\n" in text
    path.write_text(text.replace("\n  description: >-\n", "\n  description: >-\n    Edited.\n", 1))
    again = render_data(load_data(folder), cache)
    rerendered = {c for c, r in again.items() if not r.cached}
    assert rerendered == {"strikes-volume", "strikes-interception"}


def test_a_broken_chart_builder_names_the_chart(data):
    import altair as alt

    from build_charts.charts.base import ChartDef

    def bad_chart(t, d, p, w):
        return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x=alt.X("a:Q", axis=alt.Axis(nonsense=1)))

    from build_charts.charts.base import Finding

    defn = ChartDef(id="broken-example", title="t" * 30, subtitle="s" * 30, alt="a" * 30, description="d" * 30,
                    notes=("n",), datasets=("strikes",), table=CHARTS["strikes-volume"].table, chart=bad_chart,
                    claim=lambda t: Finding("anything", True, ""))
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
def test_dark_files_equal_a_real_dark_build(chart_id, rendered, data):
    """Dark specs and SVGs are the light ones with palette colours swapped; they must equal what building the
    chart in the dark theme, compiling and rendering it gives."""
    import vl_convert as vlc

    from build_charts.charts import render
    from build_charts.charts.base import datasets_for
    from build_charts.charts.theme import DARK

    r = rendered[chart_id]
    for width in ("wide", "narrow"):
        with datasets_for() as named:
            spec = render._to_dict(chart_id, CHARTS[chart_id].chart(r.table, data, DARK, width), "ukr-dark")
        if named:
            spec["datasets"] = {**spec.get("datasets", {}), **named}
        vega = render._vega(chart_id, f"dark-{width}", spec)
        assert json.loads(r.files[f"{chart_id}-dark-{width}.vg.json"]) == json.loads(render._dumps(vega))
        assert r.files[f"{chart_id}-dark-{width}.svg"].decode() == vlc.vega_to_svg(vega, allowed_base_urls=[])


BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_legend_symbol_is_visible_in_both_themes(chart_id, rendered):
    """Where a legend stays, each symbol shows its stroke or fill at 3:1 or more against the background."""
    import re

    from test_theme_schema import contrast

    symbol = re.compile(r'<g class="mark-symbol role-legend-symbol"[^>]*>(<path[^>]*>)')
    for scheme, background in BACKGROUNDS.items():
        for width in ("wide", "narrow"):
            svg = rendered[chart_id].files[f"{chart_id}-{scheme}-{width}.svg"].decode()
            for path in symbol.findall(svg):
                attrs = dict(re.findall(r'([a-z-]+)="([^"]*)"', path))
                assert float(attrs.get("opacity", "1")) > 0, f"{chart_id} {scheme}: hidden legend symbol {path}"
                shown = []
                if attrs.get("stroke", "none") != "none" and float(attrs.get("stroke-width", "1")) > 0:
                    shown.append(attrs["stroke"])
                if attrs.get("fill", "none") != "none" and float(attrs.get("fill-opacity", "1")) > 0:
                    shown.append(attrs["fill"])
                assert shown and max(contrast(c, background) for c in shown) >= 3, (
                    f"{chart_id} {scheme}-{width}: legend symbol not visible: {path}")


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_images_are_drawn_at_the_column_width_with_12px_text(chart_id, rendered):
    """No image is wider than the column it is shown in (so never shrunk), and no text is under 12 px."""
    import re

    from build_charts.charts.base import WIDTHS

    for scheme in ("light", "dark"):
        for width, column in WIDTHS.items():
            svg = rendered[chart_id].files[f"{chart_id}-{scheme}-{width}.svg"].decode()
            drawn = float(re.search(r'<svg[^>]*?width="([0-9.]+)"', svg).group(1))
            assert column - 24 <= drawn <= column, f"{chart_id} {scheme}-{width}: {drawn} px for a {column} px column"
            sizes = [float(v) for v in re.findall(r'font-size="([0-9.]+)px"', svg)]
            assert sizes and min(sizes) >= 12


def test_a_chart_wider_than_its_column_fails_the_build(data):
    import altair as alt

    from build_charts.charts.base import ChartDef, Finding

    def too_wide(t, d, p, w):
        return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q").properties(width=900)

    defn = ChartDef(id="too-wide", title="t" * 30, subtitle="s" * 30, alt="a" * 30, description="d" * 30,
                    notes=("n",), datasets=("strikes",), table=CHARTS["strikes-volume"].table, chart=too_wide,
                    claim=lambda t: Finding("anything", True, ""))
    with pytest.raises(ChartError, match=r"too-wide.*px wide, more than the \d+ px column"):
        render_chart(defn, data)


def test_one_status_code_on_every_chart(rendered):
    """Every chart that shows status encodes it with the same fill opacities and dashes (theme.STATUS_*)."""
    from build_charts.charts.theme import STATUS_FILL_OPACITY, STATUS_ORDER, STATUS_STROKE_DASH

    fill = dict(zip(STATUS_ORDER, STATUS_FILL_OPACITY, strict=True))
    dash = dict(zip(STATUS_ORDER, STATUS_STROKE_DASH, strict=True))
    seen = 0

    def walk(node, chart_id):
        nonlocal seen
        if isinstance(node, dict):
            enc = node.get("encoding", {})
            for channel, table in (("fillOpacity", fill), ("strokeDash", dash)):
                if enc.get(channel, {}).get("field") == "status":
                    scale = enc[channel]["scale"]
                    assert scale["range"] == [table[s] for s in scale["domain"]], chart_id
                    seen += 1
            for v in node.values():
                walk(v, chart_id)
        elif isinstance(node, list):
            for v in node:
                walk(v, chart_id)

    for chart_id, r in rendered.items():
        walk(json.loads(r.files[f"{chart_id}.vl.json"]), chart_id)
    assert seen >= 2 * len(rendered)


def test_meetings_are_not_labelled_as_official_figures(rendered):
    svg = rendered["diplomatic-timeline"].files["diplomatic-timeline-light-wide.svg"].decode()
    assert "official figure" not in svg


def test_force_cap_drafts_are_never_joined_by_a_line(rendered):
    """Different parties' proposals are points; no line, area or trail mark joins them."""
    spec = json.loads(rendered["force-caps-timeline"].files["force-caps-timeline.vl.json"])
    marks = {m if isinstance(m, str) else m.get("type", "") for m in (n.get("mark") for n in _objects(spec))
             if m is not None}
    assert "point" in marks and not {"line", "area", "trail"} & marks


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_fast_composition_builds_the_same_spec_as_altair(chart_id, rendered, data):
    """Building without Altair's defensive copies (render uses it for speed) must change nothing in the spec."""
    from build_charts.charts import render
    from build_charts.charts.base import datasets_for
    from build_charts.charts.theme import PALETTES

    table = rendered[chart_id].table
    for width in ("wide", "narrow"):
        fast = render._built(CHARTS[chart_id], data, table, width, validate=False)
        with datasets_for() as named:
            slow = render._to_dict(chart_id, CHARTS[chart_id].chart(table, data, PALETTES["light"], width),
                                   "ukr-light", validate=False)
        if named:
            slow["datasets"] = {**slow.get("datasets", {}), **named}
        assert json.dumps(fast, sort_keys=True) == json.dumps(slow, sort_keys=True)


def test_fast_composition_leaves_charts_with_parameters_to_altair():
    import altair as alt

    from build_charts.charts.base import fast_composition

    def build():
        pick = alt.selection_point(fields=["a"])
        base = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q")
        return alt.layer(base.add_params(pick), base).to_dict()

    with fast_composition():
        fast = build()
    assert fast == build()
    assert fast.get("params"), "Altair lifted the selection to the top, as without fast composition"


def test_every_chart_has_a_short_name_for_lists():
    """The Sources page names each source's charts; full titles there made the page too heavy to load."""
    from build_charts.charts import CHARTS

    for defn in CHARTS.values():
        assert defn.short and len(defn.short.split()) <= 6, defn.id
    assert len({d.short for d in CHARTS.values()}) == len(CHARTS)


def test_downloads_left_by_a_page_first_render_are_made_in_the_background(tmp_path, fixture_data):
    """The preview renders page images first and queues the downloads; a later full build finds them cached."""
    import time

    from build_charts.charts.render import ALL, PAGE, complete_downloads, render_data

    cache = tmp_path / "renders"
    first = render_data(fixture_data, cache, outputs=PAGE)
    assert all(not any(n.endswith(".png") for n in r.files) for r in first.values())
    queued = complete_downloads(fixture_data, cache)
    assert sorted(queued) == sorted(first)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(cache.rglob("complete"))) < len(queued):
        time.sleep(0.2)
    later = render_data(fixture_data, cache, outputs=ALL)
    assert all(r.cached for r in later.values()), "the full build re-rendered what the background made"
    assert all(f"{cid}.png" in r.files and f"{cid}.csv" in r.files for cid, r in later.items())
    assert complete_downloads(fixture_data, cache) == [], "nothing is queued twice"


def test_alt_texts_follow_the_data(fixture_data):
    """Alt texts quote the data through references, so a corrected record corrects them too."""
    import dataclasses

    from build_charts.charts.render import ChartError
    from build_charts.site.figures import alt_text

    for defn in CHARTS.values():
        text = alt_text(defn, fixture_data)
        assert text and "{{" not in text and "}}" not in text, defn.id
    caps = CHARTS["force-caps"]
    count = len(fixture_data["force_caps"].records)
    assert f"Bar chart of {count} proposed ceilings" in alt_text(caps, fixture_data)
    broken = dataclasses.replace(caps, alt="From {{ force_caps.no-such-draft.ceiling }}.")
    with pytest.raises(ChartError, match=r"force-caps.*no-such-draft"):
        alt_text(broken, fixture_data)


@pytest.mark.parametrize("chart_id", ["strikes-volume", "force-caps"])
def test_workers_are_sent_only_what_a_chart_draws_and_render_the_same_files(chart_id, data):
    """A worker gets the table, the datasets' meta and the cited sources: its files equal a full-data render."""
    from build_charts.charts import render

    defn = CHARTS[chart_id]
    table = defn.table(data)
    slim = render._needed(defn, data, table)
    assert set(slim.datasets) == set(defn.datasets)
    assert set(slim.sources) == set(table.source_ids()) < set(data.sources)
    with pytest.raises(RuntimeError, match="draw from their table"):
        list(slim[defn.datasets[0]].records)
    assert render._files(defn, table, slim) == render._files(defn, table, data)


def test_download_json_has_one_row_per_line_and_reads_back_as_the_document():
    from build_charts.charts import render

    doc = {"chart": "x", "title": "Ünïcode “quotes”", "rows": [{"b": 1, "a": "x\ny"}, {"a": None, "b": 2.5}],
           "columns": [{"key": "a"}]}
    text = render._dumps_rows(doc).decode()
    assert json.loads(text) == doc
    lines = text.splitlines()
    assert '  {"a": "x\\ny", "b": 1},' in lines and '  {"a": null, "b": 2.5}' in lines
    assert json.loads(render._dumps_rows({**doc, "rows": []})) == {**doc, "rows": []}
