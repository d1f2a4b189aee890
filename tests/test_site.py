"""The built site, read as HTML: figure anatomy, no third-party URLs, generated pages, clean failures.

The real site (live pages and data) is checked for invariants, compared with the data it was built from;
failure cases build the frozen pages and data (tests/fixtures), so they need no live content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from projects import fixture_project

from build_charts.charts import CHARTS

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
PAGES = ["index.html", "energy/index.html", "force-caps/index.html", "peace-drafts/index.html", "calendar/index.html",
         "methodology/index.html", "sources/index.html", "changes/index.html", "about/index.html"]


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def resolve(site: Path, page: str, url: str) -> Path:
    """The file a relative URL on `page` points to."""
    target = urljoin("http://x/" + page, url.split("#")[0])
    path = urlparse(target).path.lstrip("/")
    file = site / path
    return file / "index.html" if path.endswith("/") or file.is_dir() else file


@pytest.mark.parametrize("page", PAGES)
def test_page_exists_and_says_data_as_of(built_site, page, data):
    from build_charts.charts.base import day_label

    text = soup(built_site, page).get_text(" ")
    assert f"Data as of {day_label(data.as_of)}" in text


@pytest.mark.parametrize("page", PAGES)
def test_nothing_is_loaded_from_a_third_party(built_site, page):
    doc = soup(built_site, page)
    loaded = [(t.name, t.get("src") or t.get("href") or t.get("srcset") or "")
              for t in doc.find_all(["script", "img", "iframe", "source", "link", "audio", "video", "embed"])
              if t.name != "link" or set(t.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload",
                                                                "prefetch", "manifest"}]
    for tag, url in loaded:
        if not url:
            continue
        assert not re.match(r"^(https?:)?//", url), f"{page}: <{tag}> loads {url} from outside the site"
        assert resolve(built_site, page, url.split()[0]).exists(), f"{page}: <{tag}> {url} is missing"
    styles = " ".join(s.get_text() for s in doc.find_all("style"))
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", styles)
    assert not re.search(r"@import\s+url\(\s*['\"]?https?:", styles)


def test_stylesheets_and_scripts_load_nothing_from_outside(built_site):
    for file in list((built_site / "assets").rglob("*.css")):
        css = file.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), f"{file} loads a remote resource"
        assert "fonts.googleapis" not in css


@pytest.mark.parametrize("page", ["index.html", "energy/index.html", "force-caps/index.html", "calendar/index.html"])
def test_every_figure_has_its_full_anatomy(built_site, page, data):
    from build_charts.site.figures import alt_text

    doc = soup(built_site, page)
    figures = doc.select("figure.chart")
    assert figures, f"{page} has no chart"
    for fig in figures:
        cid = fig["data-chart"]
        assert fig["id"] == f"chart-{cid}"
        assert fig.select_one(".chart-title a[href='#chart-" + cid + "']"), "permalink"
        assert fig.select_one(".chart-title").get_text(strip=True) == CHARTS[cid].title
        assert fig.select_one(".chart-subtitle").get_text(strip=True) == CHARTS[cid].subtitle
        for scheme in ("light", "dark"):
            img = fig.select_one(f"picture.chart-{scheme} img")
            assert img and img["alt"] == alt_text(CHARTS[cid], data) and "{{" not in img["alt"]
            assert int(img["width"]) > 0 and int(img["height"]) > 0
            assert resolve(built_site, page, img["src"]).exists()
            source = fig.select_one(f"picture.chart-{scheme} source")
            assert "narrow" in source["srcset"] and resolve(built_site, page, source["srcset"]).exists()
        caption = fig.select_one("figcaption").get_text(" ")
        assert "Source:" in caption and "Data as of" in caption
        table = fig.select_one("details.chart-data table")
        assert table and table.select("tbody tr") and table.select("thead th")
        links = {a.get_text(): a["href"] for a in fig.select(".chart-downloads a")}
        for label in ("CSV", "JSON", "SVG", "PNG", "Embed page"):
            assert label in links, f"{cid}: no {label} download"
            assert resolve(built_site, page, links[label]).exists(), f"{cid}: {label} link is broken"
        embed = fig.select_one("textarea.chart-embed-code").get_text()
        assert "<iframe" in embed and f"embed/{cid}.html" in embed


def test_images_are_lazy_and_the_lead_chart_is_high_priority(built_site):
    """Lazy everywhere, so the hidden scheme's picture is never fetched; the first chart comes first."""
    doc = soup(built_site, "energy/index.html")
    imgs = doc.select("figure.chart picture img")
    assert all(i["loading"] == "lazy" for i in imgs)
    first = doc.select_one("figure.chart")
    assert all(i.get("fetchpriority") == "high" for i in first.select("picture img"))
    assert not any(i.get("fetchpriority") for f in doc.select("figure.chart")[1:] for i in f.select("img"))


def test_every_chart_is_placed_and_every_dataset_used(built_site, data):
    placed = set()
    for page in PAGES:
        placed |= {f["data-chart"] for f in soup(built_site, page).select("figure.chart")}
    assert placed == set(CHARTS)
    used = {d for c in CHARTS.values() for d in c.datasets} | {"sources"}
    if soup(built_site, "peace-drafts/index.html").select("table.drafts-table"):
        used.add("peace_drafts")  # shown as the comparison tables, not as a chart
    assert used == set(data.datasets), f"datasets no chart uses: {set(data.datasets) - used}"


def test_table_rows_match_downloads(built_site, data):
    doc = soup(built_site, "energy/index.html")
    fig = doc.select_one("figure#chart-strikes-volume")
    assert len(fig.select("details.chart-data tbody tr")) == len(CHARTS["strikes-volume"].table(data).rows)


@pytest.mark.parametrize("page", PAGES)
def test_social_meta_points_at_a_chart_png(built_site, page):
    doc = soup(built_site, page)
    image = doc.select_one('meta[property="og:image"]')["content"]
    assert image.endswith(".png")
    rel = urlparse(image).path.split("/ukraine-resilience/", 1)[-1]
    assert (built_site / rel).exists(), f"og:image {image} does not exist"
    assert doc.select_one('meta[name="twitter:card"]')["content"] == "summary_large_image"
    assert doc.select_one('meta[property="og:title"]')["content"]


def test_sources_page_lists_every_source_with_its_charts(built_site, data, rendered):
    doc = soup(built_site, "sources/index.html")
    rows = doc.select("li[id^=src-]")
    assert {r["id"][4:] for r in rows} == set(data.sources)
    for row in rows:
        source = data.sources[row["id"][4:]]
        link = row.select_one("a")
        assert link["href"] == str(source.url) and link.get_text(strip=True) == source.credit
    for cid, r in rendered.items():
        for sid in r.table.source_ids():
            assert doc.select_one(f"#src-{sid} a[href$='#chart-{cid}']"), f"{sid} does not link to chart {cid}"


def test_changes_page_starts_with_the_first_publication_and_lists_what_came_after(built_site, data):
    from build_charts.site.changes import entries
    from publish.build import settings_for

    first = settings_for(ROOT).first_published
    text = soup(built_site, "changes/index.html").get_text(" ")
    assert first is not None and text.count("First published") == 1
    for entry in entries(data, first):
        assert entry.text in text


def test_the_changes_log_hides_notes_made_before_first_publication(fixture_data):
    import datetime as dt

    from build_charts.site.changes import FIRST, entries

    every = entries(fixture_data)
    assert every, "the fixture has dated changes"
    cut = sorted({e.date for e in every})[len({e.date for e in every}) // 2] if len({e.date for e in every}) > 1 \
        else every[0].date - dt.timedelta(days=1)
    shown = entries(fixture_data, cut)
    assert [e.kind for e in shown].count(FIRST) == 1 and shown[-1].kind == FIRST and shown[-1].date == cut
    assert [e for e in shown if e.kind != FIRST] == [e for e in every if e.date > cut]
    revisions = {(ev.id, r.change) for ev in fixture_data["diplomatic_calendar"].records for r in ev.revisions}
    assert revisions and revisions <= {(e.event_id, e.text) for e in every}, "calendar revisions are changes too"


def test_generated_text_is_escaped(fixture_data):
    """A <script> typed into a data field appears as text, never as markup."""
    import dataclasses

    from build_charts.charts.base import Column, Table
    from build_charts.site.figures import data_details

    defn = dataclasses.replace(CHARTS["outages"], title="<b>x</b>")
    html = data_details(defn, Table((Column("a", "A"),), ({"a": "<script>alert(1)</script>"},)), str, fixture_data)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


def _copy_project(tmp_path: Path) -> Path:
    return fixture_project(tmp_path / "proj")


def _project_with_old_site(tmp_path: Path) -> tuple[Path, Path, str]:
    """A project whose site/ holds a previous build, and that build's digest (a failed build must keep it)."""
    root = _copy_project(tmp_path)
    old = root / "site"
    old.mkdir()
    (old / "index.html").write_text("previous site")
    return root, old, _tree_digest(old)


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(file.relative_to(folder)).encode())
        h.update(file.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize(("placeholder", "message"), [
    ("<!-- chart: no-such-chart -->", "docs/about.md:{line}: unknown chart id 'no-such-chart'"),
    ("<!-- chrat: strikes-volume -->", "docs/about.md:{line}: unknown placeholder 'chrat'"),
    ("{{ strikes.no-such-night.date }}", "docs/about.md:{line}: {{ strikes.no-such-night.date }}: no record"),
])
def test_bad_placeholder_fails_with_page_and_line(tmp_path, placeholder, message):
    from publish.build import BuildFailed, build_site, settings_for

    root = _copy_project(tmp_path)
    page = root / "docs" / "about.md"
    lines = page.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("# ")) + 2  # after the headline
    lines.insert(at, placeholder)
    page.write_text("\n".join(lines) + "\n")
    message = message.replace("{line}", str(at + 1))
    with pytest.raises(BuildFailed) as failed:
        build_site(settings_for(root), root / "site")
    assert message in str(failed.value)
    assert not (root / "site").exists()


def test_data_error_stops_the_build_and_keeps_the_old_site(tmp_path):
    from publish.build import BuildFailed, build_site, settings_for

    root, old, before = _project_with_old_site(tmp_path)
    strikes = root / "data" / "strikes.yaml"
    text = strikes.read_text()
    strikes.write_text(text.replace("drones_downed:\n      - value: 585", "drones_downed:\n      - value: 700", 1))
    with pytest.raises(BuildFailed) as failed:
        build_site(settings_for(root), old)
    assert _tree_digest(old) == before, "a failed build must leave site/ exactly as it was"
    assert re.search(r"strikes\.yaml:\d+:\d+: drones_downed: 700 drones downed or lost is more than the 653 launched",
                     str(failed.value))
    assert not list(root.glob(".site-build-*")), "temporary build folder cleaned up"


def test_build_never_writes_into_docs_or_data(tmp_path):
    from publish.build import build_site, settings_for

    root = _copy_project(tmp_path)
    docs, data = _tree_digest(root / "docs"), _tree_digest(root / "data")
    build_site(settings_for(root), root / "site")
    assert _tree_digest(root / "docs") == docs and _tree_digest(root / "data") == data
    assert (root / "site" / "charts" / "strikes-volume" / "strikes-volume.png").exists()


@pytest.mark.parametrize("page", ["index.html", "energy/index.html", "force-caps/index.html", "calendar/index.html"])
def test_tables_name_publishers_and_flag_rows_resting_on_republications_only(built_site, data, page):
    """Readers see who published a source and when, never its id; a row backed only by tier-4 pages says so."""
    from build_charts.data.tiers import is_weak

    doc = soup(built_site, page)
    ids = set(data.sources)
    for table in doc.select("figure.chart table.chart-table"):
        for row in table.select("tbody tr"):
            links = [a for a in row.select("a[href*='#src-']")]
            assert not ({cell.get_text(strip=True) for cell in row.find_all(["td", "th"])} & ids), "a source id shown"
            sids = tuple(a["href"].rsplit("#src-", 1)[1] for a in links)
            for a, sid in zip(links, sids, strict=True):
                assert a.get_text(strip=True).startswith(data.sources[sid].credit)
            flagged = row.select_one(".src-weak") is not None
            assert flagged == (bool(sids) and is_weak(data, sids)), row.get_text(" ", strip=True)[:120]


def test_a_chart_that_fails_stops_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    import build_charts.site.generate as generate
    from build_charts.charts.render import ChartError
    from publish.build import BuildFailed, build_site, settings_for

    root, old, before = _project_with_old_site(tmp_path)

    def fail(*args, **kwargs):
        raise ChartError("chart 'strikes-volume': light-wide SVG is 700 px wide, more than the 608 px column")

    monkeypatch.setattr(generate, "render_data", fail)
    with pytest.raises(BuildFailed, match=r"strikes-volume.*700 px wide"):
        build_site(settings_for(root), old)
    assert _tree_digest(old) == before
    assert not list(root.glob(".site-build-*"))


@pytest.mark.parametrize("page", PAGES)
def test_data_tables_show_dates_as_readers_write_them_and_keep_iso_for_machines(built_site, page):
    from build_charts.charts.base import day_label

    doc = soup(built_site, page)
    for table in doc.select("table.chart-table"):
        for cell in table.select("tbody td, tbody th"):
            for time in cell.select("time"):
                assert time.get_text() == day_label(dt.date.fromisoformat(time["datetime"]))
            text = " ".join(t for t in cell.find_all(string=True) if not t.find_parent("a"))
            assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), f"{page}: ISO date shown to readers in {text!r}"
