"""The preview builds pages while the workers draw a changed chart: sizes, images and failures come out right.

In-process MkDocs builds with the preview's hook (as `mkdocs serve` runs them), on the frozen fixture project.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from projects import fixture_project

from build_charts.charts.render import ChartError, Renders
from build_charts.site.figures import svg_size
from publish import state

_IMG = re.compile(r'<img src="([^"]+\.svg)"[^>]*?width="([^"]+)" height="([^"]+)"')
_SOURCE = re.compile(r'<source media="[^"]*" srcset="([^"]+\.svg)" width="([^"]+)" height="([^"]+)"')


@pytest.fixture
def serving(monkeypatch):
    """The preview's state as `mkdocs serve` leaves it, restored after the test."""
    for name in ("staged", "last_good", "deferred", "settled"):
        monkeypatch.setattr(state, name, None)
    monkeypatch.setattr(state, "serving", True)
    monkeypatch.setattr(state, "site_key", "")
    monkeypatch.setattr(state, "settled_files", {})
    monkeypatch.setattr(state, "late_problems", [])
    monkeypatch.setattr(state, "problems", [])
    monkeypatch.setattr(state, "workers_warmed", True)  # the test does not need workers started ahead
    return state


def _build(project: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site)))


def _raise_strike_count(project: Path, by: int) -> None:
    path = project / "data" / "strikes.yaml"
    text = path.read_text(encoding="utf-8")
    match = max(re.finditer(r"(drones_launched:\n\s+- value: )(\d+)", text), key=lambda m: int(m.group(2)))
    path.write_text(text[:match.start(2)] + str(int(match.group(2)) + by) + text[match.end(2):], encoding="utf-8")


def _images(html: str) -> list[tuple[str, str, str]]:
    return _IMG.findall(html) + _SOURCE.findall(html)


def _assert_sizes_match_files(site: Path, page: str) -> int:
    html = (site / page).read_text(encoding="utf-8")
    assert "SVGSIZE" not in html and "preview: late chart problems" not in html
    images = _images(html)
    for src, width, height in images:
        svg = (site / page).parent.joinpath(src).resolve().read_bytes()
        assert (int(width), int(height)) == svg_size(svg), f"{page}: {src} is {width}x{height} in the page"
    return len(images)


def test_a_data_edit_is_built_while_the_chart_is_drawn_and_pages_get_its_sizes(tmp_path, serving, monkeypatch):
    project = fixture_project(tmp_path / "proj", render_cache=False)
    site = tmp_path / "site"
    _build(project, site)  # start-up: nothing to fall back on, so nothing is deferred
    before = (site / "charts/strikes-volume/strikes-volume-light-wide.svg").read_bytes()
    before_narrow = (site / "charts/strikes-volume/strikes-volume-dark-narrow.svg").read_bytes()
    waited: list[list[str]] = []
    finish = Renders.finish

    def spy(self: Renders):
        waited.append(self.pending)
        return finish(self)

    monkeypatch.setattr(Renders, "finish", spy)
    _raise_strike_count(project, 123)
    _build(project, site)
    assert waited == [["strikes-volume", "strikes-interception"]], "the changed charts were drawn while pages built"
    after = (site / "charts/strikes-volume/strikes-volume-light-wide.svg").read_bytes()
    assert after != before and after.startswith(b"<svg")
    assert (site / "charts/strikes-volume/strikes-volume-dark-narrow.svg").read_bytes() != before_narrow
    assert _assert_sizes_match_files(site, "energy/index.html") >= 8
    assert _assert_sizes_match_files(site, "index.html") >= 2
    embed = (site / "embed/strikes-volume.html").read_text(encoding="utf-8")
    assert "SVGSIZE" not in embed
    assert state.last_good is not None and state.last_good.renders is None


def test_a_chart_that_fails_while_pages_build_keeps_its_last_image_and_says_so(tmp_path, serving, monkeypatch):
    project = fixture_project(tmp_path / "proj", render_cache=False)
    site = tmp_path / "site"
    _build(project, site)
    before = (site / "charts/strikes-volume/strikes-volume-light-wide.svg").read_bytes()

    def fail(self: Renders):
        for future in self.futures.values():
            future.result()  # let the workers finish, as a real failure would surface after them
        raise ChartError("chart 'strikes-volume': light-wide SVG is 700 px wide, more than the 608 px column")

    monkeypatch.setattr(Renders, "finish", fail)
    _raise_strike_count(project, 321)
    _build(project, site)
    assert (site / "charts/strikes-volume/strikes-volume-light-wide.svg").read_bytes() == before
    energy = (site / "energy/index.html").read_text(encoding="utf-8")
    assert "A chart could not be drawn from the data" in energy and "700 px wide" in energy
    assert "A chart could not be drawn" in (site / "index.html").read_text(encoding="utf-8")
    _assert_sizes_match_files(site, "energy/index.html")


def _state_of(pid: int, stopped: bool, timeout: float = 2.0) -> str:
    """The process's state letter once it is stopped (T) or not, as asked (signals arrive asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        state = next(line.split()[1] for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                     if line.startswith("State:"))
        if (state == "T") == stopped or time.monotonic() > deadline:
            return state
        time.sleep(0.01)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads process states from /proc (Linux)")
def test_background_downloads_are_held_while_a_rebuild_runs_and_finish_after(tmp_path, serving, monkeypatch):
    from build_charts.charts import render

    project = fixture_project(tmp_path / "proj", render_cache=False)
    site = tmp_path / "site"
    _build(project, site)
    _raise_strike_count(project, 77)
    states: list[str] = []
    before_build = render.hold_background

    def spy(held: bool) -> None:
        before_build(held)
        processes = getattr(render._BACKGROUND, "_processes", None) or {}
        states.extend(f"{'held' if held else 'free'}:{_state_of(p.pid, held)}" for p in processes.values())

    monkeypatch.setattr(render, "hold_background", spy)
    monkeypatch.setattr("publish.preview.hold_background", spy)
    _build(project, site)  # queues the strikes charts' downloads at its end
    _raise_strike_count(project, 1)
    _build(project, site)  # holds the worker while it builds, frees it after
    assert "held:T" in states, f"the background worker was not stopped during the rebuild: {states}"
    assert states[-1] in ("free:S", "free:R"), states
    cache = project / ".cache" / "renders" / "strikes-volume"
    deadline = time.monotonic() + 120
    while not any((folder / "complete").exists() for folder in cache.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert any((folder / "complete").exists() for folder in cache.iterdir()), "downloads never finished"


def test_a_batch_of_charts_fails_each_of_its_charts():
    from concurrent.futures import Future

    from build_charts.charts.render import _split

    ok: Future = Future()
    parts = _split(ok, ["a", "b"])
    ok.set_result({"a": {"a.svg": b"1"}, "b": {"b.svg": b"2"}})
    assert parts["b"].result() == {"b.svg": b"2"}
    failed: Future = Future()
    parts = _split(failed, ["a", "b"])
    failed.set_exception(ChartError("chart 'b': could not render"))
    for part in parts.values():
        with pytest.raises(ChartError, match="chart 'b'"):
            part.result()


def test_a_chart_code_change_tells_the_editor_to_restart_the_preview(tmp_path, serving, monkeypatch):
    """The preview keeps the code it imported; when build_charts/ changes on disk every page says to restart."""
    from build_charts.charts import render

    project = fixture_project(tmp_path / "proj")
    site = tmp_path / "site"
    _build(project, site)
    assert "chart code" not in (site / "energy/index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(render, "code_on_disk", lambda: "edited since the start")
    _build(project, site)
    energy = (site / "energy/index.html").read_text(encoding="utf-8")
    assert "The chart code changed since the preview started" in energy and "make serve" in energy
