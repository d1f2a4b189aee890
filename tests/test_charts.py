"""Charts: golden specs, renders in both themes, data tables that match the chart, the cache, the renderer."""

from __future__ import annotations

import csv
import dataclasses
import difflib
import html
import io
import json
import re
from pathlib import Path

import altair as alt
import pytest
import vl_convert as vlc

from build_charts.charts import CHARTS
from build_charts.charts.base import WIDTHS, ChartDef, Column, Finding, Table, datasets_for, fast_composition
from build_charts.charts.cache import RenderCache
from build_charts.charts.outputs import chart_files, dark, table_csv, table_json, vega
from build_charts.charts.pool import Renderer, needed
from build_charts.charts.render import ChartError, render_data
from build_charts.charts.spec import dumps, page_spec, to_dict
from build_charts.charts.theme import DARK, PALETTES, STATUS_FILL_OPACITY, STATUS_ORDER, STATUS_STROKE_DASH
from build_charts.cli import golden_specs
from build_charts.site.figures import alt_text

GOLDEN = Path(__file__).parent / "golden"
CHART_IDS = sorted(CHARTS)
BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_golden_spec(chart_id, fixture_data):
    """The chart code produces the accepted spec for the frozen data; accept a deliberate change with `make golden`."""
    current = golden_specs(fixture_data)[f"{chart_id}.vl.json"].decode()
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
    assert defn.short and len(defn.short.split()) <= 6, "the Sources page names each source's charts briefly"
    assert len({d.short for d in CHARTS.values()}) == len(CHARTS)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_renders_in_both_themes_and_widths(chart_id, rendered):
    r = rendered[chart_id]
    for scheme in ("light", "dark"):
        for width in WIDTHS:
            svg = r.files[f"{chart_id}-{scheme}-{width}.svg"]
            assert svg.startswith(b"<svg") and b"</svg>" in svg
    assert b'fill="#ffffff"' in r.files[f"{chart_id}-light-wide.svg"]
    assert b'fill="#1e2129"' in r.files[f"{chart_id}-dark-wide.svg"], "backgrounds follow the theme"
    assert r.files[f"{chart_id}.png"].startswith(b"\x89PNG")
    svg = html.unescape(r.files[f"{chart_id}.svg"].decode())
    assert " ".join(CHARTS[chart_id].title.split()[:4]) in svg
    assert "Source:" in svg and "Data as of" in svg, "the download carries its title, source and date"


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
    rows = list(csv.DictReader(io.StringIO(r.files[f"{chart_id}.csv"].decode("utf-8-sig"))))
    assert len(rows) == len(r.table.rows)
    assert [row["id"] for row in rows] == [str(row["id"]) for row in r.table.rows]
    spec = json.loads(r.files[f"{chart_id}.vl.json"])
    drawn = {str(row["id"]) for row in _inline_rows(spec) if "id" in row}
    periods = {row["id"] for row in _inline_rows(spec) if "period" in row}
    assert drawn, "the chart draws records of its table"
    assert drawn - periods <= {row["id"] for row in rows}


def test_render_is_deterministic_and_cached_by_what_it_depends_on(tmp_path, fixture_data, fixture_rendered):
    """The same data gives the same bytes; a second render with a cache takes every chart from it."""
    cache = tmp_path / "cache"
    first = render_data(fixture_data, cache)
    assert not any(r.cached for r in first.values())
    assert all(first[c].files == fixture_rendered[c].files for c in first), "two renders give the same bytes"
    again = render_data(fixture_data, cache)
    assert all(r.cached for r in again.values())
    assert all(again[c].files == first[c].files for c in first)


def test_an_edit_to_one_dataset_rerenders_only_its_charts(tmp_path, fixture_data):
    """Editing strikes.yaml re-renders the charts drawn from it and nothing else (charts keyed by cache_key)."""
    from build_charts.charts.cache import cache_key

    edited = dataclasses.replace(fixture_data, datasets={
        **fixture_data.datasets, "strikes": dataclasses.replace(fixture_data["strikes"], digest="edited")})
    changed = {cid for cid, d in CHARTS.items()
               if cache_key(d, edited, d.table(edited)) != cache_key(d, fixture_data, d.table(fixture_data))}
    assert changed == {cid for cid, d in CHARTS.items() if "strikes" in d.datasets}


def test_the_cache_keeps_the_newest_few_versions_of_each_chart(tmp_path):
    import os

    cache = RenderCache(tmp_path, keep=2)
    for n in range(4):
        cache.put("c", f"key{n}", {"a.svg": str(n).encode()})
        os.utime(tmp_path / "c" / f"key{n}", (n, n))  # file times one second apart, oldest first
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["key2", "key3"]
    assert cache.get("c", "key3") == {"a.svg": b"3"}
    assert cache.get("c", "key0") is None
    assert RenderCache(None).get("c", "key3") is None


def _bad(id_: str, chart) -> ChartDef:
    return ChartDef(id=id_, title="t" * 30, subtitle="s" * 30, alt="a" * 30, description="d" * 30, notes=("n",),
                    datasets=("strikes",), table=CHARTS["strikes-volume"].table, chart=chart,
                    claim=lambda t: Finding("anything", True, ""))


def test_a_broken_chart_builder_names_the_chart(fixture_data):
    def bad_chart(t, d, p, w):
        return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x=alt.X("a:Q", axis=alt.Axis(nonsense=1)))

    with pytest.raises(ChartError) as err:
        render_data(fixture_data, charts={"broken-example": _bad("broken-example", bad_chart)})
    message = str(err.value)
    assert "broken-example" in message and "nonsense" in message
    assert "Traceback" not in message and len(message.splitlines()) == 1


def test_a_chart_wider_than_its_column_fails_the_build(fixture_data):
    def too_wide(t, d, p, w):
        return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q").properties(width=900)

    with pytest.raises(ChartError, match=r"too-wide.*px wide, more than the \d+ px column"):
        render_data(fixture_data, charts={"too-wide": _bad("too-wide", too_wide)})


def test_csv_quotes_text_and_leaves_missing_values_blank():
    table = Table((Column("a", "A"), Column("b", "B")), ({"a": 'x, "y"', "b": None},))
    assert table_csv(table).decode("utf-8-sig") == 'a,b\n"x, ""y""",\n'


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_dark_files_equal_a_real_dark_build(chart_id, fixture_rendered, fixture_data):
    """Dark specs and SVGs are the light ones with palette colours swapped; they must equal what building the
    chart in the dark theme, compiling and rendering it gives."""
    r = fixture_rendered[chart_id]
    for width in WIDTHS:
        with datasets_for() as named:
            spec = to_dict(chart_id, CHARTS[chart_id].chart(r.table, fixture_data, DARK, width), "ukr-dark")
        if named:
            spec["datasets"] = {**spec.get("datasets", {}), **named}
        compiled = vega(chart_id, f"dark-{width}", spec)
        assert json.loads(r.files[f"{chart_id}-dark-{width}.vg.json"]) == json.loads(dumps(compiled))
        assert r.files[f"{chart_id}-dark-{width}.svg"].decode() == vlc.vega_to_svg(compiled, allowed_base_urls=[])
    assert dark("#ffffff") == "#1e2129"


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_legend_symbol_is_visible_in_both_themes(chart_id, rendered):
    """Where a legend stays, each symbol shows its stroke or fill at 3:1 or more against the background."""
    from test_theme_schema import contrast

    symbol = re.compile(r'<g class="mark-symbol role-legend-symbol"[^>]*>(<path[^>]*>)')
    for scheme, background in BACKGROUNDS.items():
        for width in WIDTHS:
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
    for scheme in ("light", "dark"):
        for width, column in WIDTHS.items():
            svg = rendered[chart_id].files[f"{chart_id}-{scheme}-{width}.svg"].decode()
            drawn = float(re.search(r'<svg[^>]*?width="([0-9.]+)"', svg).group(1))
            assert column - 24 <= drawn <= column, f"{chart_id} {scheme}-{width}: {drawn} px for a {column} px column"
            sizes = [float(v) for v in re.findall(r'font-size="([0-9.]+)px"', svg)]
            assert sizes and min(sizes) >= 12


def test_one_status_code_on_every_chart(rendered):
    """Every chart that shows status encodes it with the same fill opacities and dashes (theme.STATUS_*)."""
    fill = dict(zip(STATUS_ORDER, STATUS_FILL_OPACITY, strict=True))
    dash = dict(zip(STATUS_ORDER, STATUS_STROKE_DASH, strict=True))
    seen = set()
    for chart_id, r in rendered.items():
        for node in _objects(json.loads(r.files[f"{chart_id}.vl.json"])):
            enc = node.get("encoding", {})
            if not isinstance(enc, dict):
                continue
            for channel, table in (("fillOpacity", fill), ("strokeDash", dash)):
                if isinstance(enc.get(channel), dict) and enc[channel].get("field") == "status":
                    scale = enc[channel]["scale"]
                    assert scale["range"] == [table[s] for s in scale["domain"]], chart_id
                    seen.add(chart_id)
    assert seen, "some chart encodes status"


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_fast_composition_builds_the_same_spec_as_altair(chart_id, fixture_rendered, fixture_data):
    """Building without Altair's defensive copies (specs use it for speed) must change nothing in the spec."""
    table = fixture_rendered[chart_id].table
    for width in WIDTHS:
        fast = page_spec(CHARTS[chart_id], fixture_data, table, width)
        with datasets_for() as named:
            slow = to_dict(chart_id, CHARTS[chart_id].chart(table, fixture_data, PALETTES["light"], width),
                           "ukr-light", validate=False)
        if named:
            slow["datasets"] = {**slow.get("datasets", {}), **named}
        assert json.dumps(fast, sort_keys=True) == json.dumps(slow, sort_keys=True)


def test_meetings_are_not_labelled_as_official_figures(rendered):
    svg = rendered["diplomatic-timeline"].files["diplomatic-timeline-light-wide.svg"].decode()
    assert "official figure" not in svg


def test_proposals_of_different_parties_are_never_joined_by_a_line(rendered):
    """Different parties' proposals are points or bars; no line, area or trail mark joins them."""
    for chart_id, r in rendered.items():
        if "force_caps" not in r.chart.datasets:
            continue
        spec = json.loads(r.files[f"{chart_id}.vl.json"])
        marks = {m if isinstance(m, str) else m.get("type", "") for m in (n.get("mark") for n in _objects(spec))
                 if m is not None}
        assert not {"line", "area", "trail"} & marks, chart_id


def test_fast_composition_leaves_charts_with_parameters_to_altair():
    def build():
        pick = alt.selection_point(fields=["a"])
        base = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q")
        return alt.layer(base.add_params(pick), base).to_dict()

    with fast_composition():
        fast = build()
    assert fast == build()
    assert fast.get("params"), "Altair lifted the selection to the top, as without fast composition"


def test_alt_texts_follow_the_data(fixture_data):
    """Alt texts quote the data through references, so a corrected record corrects them too."""
    for defn in CHARTS.values():
        text = alt_text(defn, fixture_data)
        assert text and "{{" not in text and "}}" not in text, defn.id
    caps = CHARTS["force-caps"]
    broken = dataclasses.replace(caps, alt="From {{ force_caps.no-such-draft.ceiling }}.")
    with pytest.raises(ChartError, match=r"force-caps.*no-such-draft"):
        alt_text(broken, fixture_data)


@pytest.mark.parametrize("chart_id", ["strikes-volume", "force-caps"])
def test_workers_are_sent_only_what_a_chart_draws_and_draw_the_same_files(chart_id, fixture_data,
                                                                          fixture_rendered):
    """A worker gets the table, the datasets without source positions and the cited sources; same files as here."""
    defn = CHARTS[chart_id]
    table = defn.table(fixture_data)
    slim = needed(defn, fixture_data, table)
    assert set(slim.datasets) == set(defn.datasets)
    assert set(slim.sources) == set(table.source_ids()) < set(fixture_data.sources)
    assert slim[defn.datasets[0]].located.data is None and not slim[defn.datasets[0]].located.values
    assert chart_files(defn, slim, table) == fixture_rendered[chart_id].files


def test_the_renderer_draws_in_worker_processes_what_it_draws_here(fixture_data, fixture_rendered):
    """Two charts drawn by a pool of two workers give the same files as drawn in this process."""
    ids = ["force-caps", "diplomatic-timeline"]
    jobs = [(CHARTS[c], CHARTS[c].table(fixture_data), needed(CHARTS[c], fixture_data, CHARTS[c].table(fixture_data)))
            for c in ids]
    renderer = Renderer(2)
    try:
        drawn = renderer.draw(jobs)
    finally:
        renderer.close()
    assert {c: drawn[c] for c in ids} == {c: fixture_rendered[c].files for c in ids}


def test_download_json_has_one_row_per_line_and_reads_back_as_the_document():
    doc = {"chart": "x", "title": "Ünïcode “quotes”", "rows": [{"b": 1, "a": "x\ny"}, {"a": None, "b": 2.5}],
           "columns": [{"key": "a"}]}
    text = table_json(doc).decode()
    assert json.loads(text) == doc
    lines = text.splitlines()
    assert '  {"a": "x\\ny", "b": 1},' in lines and '  {"a": null, "b": 2.5}' in lines
    assert json.loads(table_json({**doc, "rows": []})) == {**doc, "rows": []}
