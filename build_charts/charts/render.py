"""Render every chart to static files: specs, SVG (light/dark, wide/narrow), PNG, CSV, JSON.

`render_all(data_dir)` is a pure function of the data folder: same data, same
bytes. Renders are cached by a hash of their specs, so editing one dataset
re-renders only the charts that use it; the log says which were rendered.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import ctypes
import functools
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import signal
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc

from ..data import Data, load_data
from ..data.strict_yaml import Located
from ..gcpause import gc_paused
from . import (
    CHARTS,
    ChartDef,
    theme,  # noqa: F401  (registers the themes)
)
from .base import (
    CAPTION_PUBLISHERS,
    WIDTHS,
    Table,
    csv_cell,
    datasets_for,
    day_label,
    fast_composition,
    latest,
    title_numbers,
    window_note,
)
from .theme import LIGHT_TO_DARK, PALETTES, STATUS_LEGEND

log = logging.getLogger("build_charts")

_HEX = re.compile(r"#[0-9a-f]{6}\b")
_SVG_WIDTH = re.compile(r'<svg[^>]*?width="([0-9.]+)"')
_FONT_SIZE = re.compile(r'font-size="([0-9.]+)px"')
MIN_FONT_PX = 12
"""Smallest text in any chart image; images are shown 1:1 or larger, so this is what readers see."""
MAX_SVG_BYTES = 150_000
"""Largest SVG a chart may produce; past it the chart must aggregate its rows."""
VL_VERSION = "6.4"
"""Vega-Lite version used by vl-convert; pinned so output does not drift."""


NARROW_LEGENDS = {orient: {"direction": "vertical", "anchor": "start"} for orient in ("top", "bottom")}
"""On phones, legends stack one under another instead of side by side (Vega's legend layout; Vega-Lite
has no such setting, so narrow variants are rendered from the compiled Vega spec)."""


class ChartError(Exception):
    """A chart builder produced an invalid chart, or its title is false; names the chart and the reason."""


def check_title(defn: ChartDef, table: Table) -> None:
    """Fail when the title's claim does not hold for the table, or the title states a number the claim omits."""
    finding = defn.claim(table)
    missing = sorted(title_numbers(defn.title) - title_numbers(finding.claim), key=lambda n: (len(n), n))
    if missing:
        raise ChartError(f"chart '{defn.id}': the title states {', '.join(missing)} but its claim does not check "
                         f"it (claim: {finding.claim})")
    if not finding.holds:
        raise ChartError(f"chart '{defn.id}': the title \"{defn.title}\" is no longer true: it claims "
                         f"{finding.claim}, but {finding.numbers}. Edit the title and its claim, or the data.")


@dataclass(frozen=True)
class Rendered:
    """All files of one chart, by file name, plus whether they came from the cache."""

    chart: ChartDef
    table: Table
    files: dict[str, bytes]
    cached: bool


def _dumps(obj: Any) -> bytes:
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


_ROWS = "\x00rows\x00"


def _dumps_rows(doc: dict[str, Any]) -> bytes:
    """`_dumps` of a document with a `rows` list, each row on one line.

    Why: Python's JSON encoder is pure Python when it indents, and the rows of a large table were most of a
    chart's download time; one compact row per line is as readable and diffs as well.
    """
    head = json.dumps({**doc, "rows": _ROWS}, sort_keys=True, ensure_ascii=False, indent=1)
    rows = ",\n  ".join(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in doc["rows"])
    body = f"[\n  {rows}\n ]" if rows else "[]"
    return (head.replace(json.dumps(_ROWS), body, 1) + "\n").encode()


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def _to_dict(chart_id: str, chart: alt.TopLevelMixin, theme_name: str, validate: bool = True) -> dict[str, Any]:
    try:
        with alt.theme.enable(theme_name):
            return chart.to_dict(validate=validate)
    except Exception as exc:  # Altair raises several schema error types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ChartError(f"chart '{chart_id}': invalid chart specification: {first}") from None


TOP_LEVEL = frozenset({"$schema", "config", "datasets", "background", "padding", "autosize", "usermeta"})
"""Keys that belong to a whole spec, not to one view of it (they move up when a view is wrapped)."""


def _windowed(defn: ChartDef, table: Table, width: str) -> tuple[Table, str | None]:
    """The rows a chart draws at `width`, and the note that says when they are only the latest ones."""
    win = defn.window
    dated = sum(1 for r in table.rows if r.get(win.key)) if win else 0
    if win is None or dated <= win.limits[width]:
        return table, None
    return latest(table, win.key, win.limits[width]), window_note(win, win.limits[width], dated)


def _with_note(chart: Any, note: str, width: str) -> Any:
    """The chart under a line that says what it leaves out, in the image itself (it travels with the chart).

    A title anchored at the left of the whole image, so its width never adds to the chart's.
    """
    return chart.properties(title=alt.Title(
        _wrap(note, 44 if width == "narrow" else 90), anchor="start", frame="bounds", fontSize=MIN_FONT_PX,
        fontWeight="normal", color=PALETTES["light"].muted, lineHeight=15, offset=10))


def _built(defn: ChartDef, data: Data, table: Table, width: str, validate: bool) -> dict[str, Any]:
    """One light variant: the builder's chart as a Vega-Lite spec, its rows in top-level named datasets."""
    shown, note = _windowed(defn, table, width)
    with datasets_for() as named, fast_composition():
        try:
            chart = defn.chart(shown, data, PALETTES["light"], width)  # type: ignore[arg-type]
        except Exception as exc:
            raise ChartError(f"chart '{defn.id}': builder failed: {type(exc).__name__}: {exc}") from None
        if note:
            chart = _with_note(chart, note, width)
        spec = _to_dict(defn.id, chart, "ukr-light", validate=validate)
    if named:
        spec["datasets"] = {**spec.get("datasets", {}), **named}
    return spec


def download_spec(defn: ChartDef, data: Data, table: Table, light_wide: dict[str, Any]) -> dict[str, Any]:
    """The light, wide chart with its title above and its source line below: the SVG and PNG readers download.

    Composed from the wide spec as data (the chart is not built again).
    """
    palette = PALETTES["light"]
    as_of = day_label(max(data[d].meta.as_of for d in defn.datasets))
    # "Data as of" on a line of its own, so the length of publishers' names can never split it.
    footer_text = [*_wrap(f"Source: {source_line(defn, data, table)}.", 90),
                   f"Data as of {as_of}. Ukraine resilience explainer · CC BY 4.0"]
    footer = _to_dict(defn.id, alt.Chart(alt.Data(values=[{}])).mark_text(
        align="left", baseline="top", color=palette.muted, fontSize=12, lineHeight=15,
    ).encode(x=alt.value(0), y=alt.value(0), text=alt.value(footer_text)).properties(
        width=WIDTHS["wide"], height=15 * len(footer_text)), "ukr-light", validate=False)
    view = {k: v for k, v in light_wide.items() if k not in TOP_LEVEL}
    return {**{k: v for k, v in light_wide.items() if k in TOP_LEVEL},
            "vconcat": [view, {k: v for k, v in footer.items() if k not in TOP_LEVEL}],
            "title": {"text": _wrap(defn.title, 64), "subtitle": _wrap(defn.subtitle, 90)}}


_CHECKED: set[str] = set()
"""Charts whose specs some worker of this process validated: the code is the same in every worker, so the
others need not validate them again (it made a session's first data edits slower)."""
_VALIDATED: set[tuple[str, Any]] = set()
"""Chart builders whose output this process has schema-validated once. Why once: the schema checks the
builder's code, which a data edit does not change, and validation was a fifth of a data edit's render."""


def specs(defn: ChartDef, data: Data, table: Table, *, page_only: bool = False) -> dict[str, dict[str, Any]]:
    """Every Vega-Lite spec of one chart, keyed by variant name.

    Two are built (light, wide and narrow; schema-validated once per process); the download is composed from the
    wide one. Dark files are colour swaps of the light outputs (`_swap_colours`), so no dark spec is built.
    """
    out: dict[str, dict[str, Any]] = {}
    checked = (defn.id, defn.chart) in _VALIDATED
    for width in WIDTHS:
        out[f"light-{width}"] = _built(defn, data, table, width, validate=not out and not checked)
    _VALIDATED.add((defn.id, defn.chart))
    if not page_only:  # what a page shows is rendered from the light specs alone
        out["download"] = download_spec(defn, data, table, out["light-wide"])
    return out


def golden_spec(spec: Any) -> Any:
    """A spec without what the data decides (rows, domains, sizes): golden files pin chart code, not data."""
    if isinstance(spec, dict):
        scale = isinstance(spec.get("domain"), list)  # a scale whose domain (and so range) the data chose
        return {k: ("<data>" if k in ("values", "domain") and isinstance(v, list)
                    else "<data>" if k == "datasets" and isinstance(v, dict)
                    else "<data>" if k == "range" and scale and isinstance(v, list)
                    else "<data>" if k == "height" and isinstance(v, (int, float)) else golden_spec(v))
                for k, v in spec.items()}
    if isinstance(spec, list):
        return [golden_spec(v) for v in spec]
    return spec


def source_line(defn: ChartDef, data: Data, table: Table) -> str:
    """'Publisher A, Publisher B and N more', most-cited first, from the sources the rows cite."""
    names = [pub for pub, _ in table.publishers(data)]
    if len(names) > CAPTION_PUBLISHERS:
        return ", ".join(names[:CAPTION_PUBLISHERS]) + f" and {len(names) - CAPTION_PUBLISHERS} more"
    return ", ".join(names)


def table_csv(table: Table) -> bytes:
    """The chart's rows as CSV, columns in table order, blank for missing values."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(row.get(c.key)) for c in table.columns])
    return buf.getvalue().encode()



def _convert(chart_id: str, what: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception as exc:  # vl-convert raises ValueError with a JavaScript trace
        lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip() and not ln.strip().startswith("at ")]
        reason = " ".join(lines[:2]) or type(exc).__name__
        raise ChartError(f"chart '{chart_id}': could not render {what}: {reason}") from None


STATUS_SYMBOL_FILL = ("datum.value === 'reported' ? 1 : datum.value === 'estimate' ? 0.4 : 0")
"""Status legend symbols drawn with the code itself (solid, hollow, lighter); Vega-Lite drops the
fill-opacity channel when it merges it with stroke dash into one legend."""


def _vega(chart_id: str, variant: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Compile to Vega and apply what Vega-Lite cannot express (legend layout, status symbols)."""
    vega = _convert(chart_id, f"{variant} Vega spec", lambda: vlc.vegalite_to_vega(spec, vl_version=VL_VERSION))
    if variant.endswith("narrow"):
        vega.setdefault("config", {}).setdefault("legend", {})["layout"] = NARROW_LEGENDS
    ink = PALETTES["dark" if variant.startswith("dark") else "light"].text

    def patch(node: Any) -> None:
        if isinstance(node, dict):
            for legend in node.get("legends", []):
                if legend.get("title") == STATUS_LEGEND:
                    # Every symbol in the text colour (visible in both themes), hollow or dashed by status.
                    update = legend.setdefault("encode", {}).setdefault("symbols", {}).setdefault("update", {})
                    update["fillOpacity"] = {"signal": STATUS_SYMBOL_FILL}
                    update["opacity"] = {"value": 1}
                    update["fill"] = {"value": ink}
                    update["stroke"] = {"value": ink}
                    update["strokeWidth"] = {"value": 1.5}
            for child in node.get("marks", []):
                patch(child)

    patch(vega)
    return vega


def _swap_colours(text: str) -> str:
    """Each light colour in a text (SVG, JSON) replaced by its dark role."""
    return _HEX.sub(lambda m: LIGHT_TO_DARK.get(m.group(0), m.group(0)), text)


def _check_svg(chart_id: str, name: str, svg: str, width: int) -> None:
    """An image wider than the column it is shown in would be shrunk, and its text with it: refuse it."""
    match = _SVG_WIDTH.search(svg[:2000])
    drawn = float(match.group(1)) if match else 0.0
    if drawn > width + 0.5:
        raise ChartError(f"chart '{chart_id}': {name} is {drawn:g} px wide, more than the {width} px column it is "
                         "shown in; narrow the plot or shorten its labels")
    small = sorted({float(s) for s in _FONT_SIZE.findall(svg) if float(s) < MIN_FONT_PX})
    if small:
        raise ChartError(f"chart '{chart_id}': {name} has text of {small[0]:g} px; charts use {MIN_FONT_PX} px or more")
    if len(svg.encode()) > MAX_SVG_BYTES:
        raise ChartError(f"chart '{chart_id}': {name} is {len(svg.encode()):,} bytes, over {MAX_SVG_BYTES:,}; "
                         "the chart should aggregate its rows")


def _render_files(defn: ChartDef, data: Data, table: Table, chart_specs: dict[str, dict[str, Any]],
                  outputs: frozenset[str] = frozenset({"page", "download"})) -> dict[str, bytes]:
    """The chart's files from its specs, in two groups a build may make at different times.

    `page` is what a page shows (SVGs, the Vega specs of the live layer); `download` is the titled SVG, the
    PNG, the Vega-Lite spec, CSV and JSON. Each Vega-Lite spec is compiled once (light; dark is its colour
    swap) and each image rendered once.
    """
    cid = defn.id
    files: dict[str, bytes] = {}
    if "page" in outputs:
        for width in WIDTHS:
            vega = _vega(cid, f"light-{width}", chart_specs[f"light-{width}"])
            svg = _convert(cid, f"light-{width} SVG", lambda v=vega: vlc.vega_to_svg(v, allowed_base_urls=[]))
            _check_svg(cid, f"{cid}-light-{width}.svg", svg, WIDTHS[width])
            light = _dumps(vega).decode()
            files[f"{cid}-light-{width}.vg.json"] = light.encode()
            files[f"{cid}-light-{width}.svg"] = svg.encode()
            # Dark is the light output with each colour swapped for its dark role: the themes differ only in
            # colour, so this equals a dark compile and render byte for byte (tested) at none of the cost.
            files[f"{cid}-dark-{width}.vg.json"] = _swap_colours(light).encode()
            files[f"{cid}-dark-{width}.svg"] = _swap_colours(svg).encode()
    if "download" in outputs:
        download = _vega(cid, "download", chart_specs["download"])
        files[f"{cid}.vl.json"] = _dumps(chart_specs["light-wide"])
        files[f"{cid}.svg"] = _convert(cid, "SVG", lambda: vlc.vega_to_svg(download, allowed_base_urls=[])).encode()
        # The PNG is the download SVG rasterised (resvg, same fonts): no second Vega run.
        files[f"{cid}.png"] = bytes(_convert(cid, "PNG", lambda: vlc.svg_to_png(files[f"{cid}.svg"].decode(),
                                                                                 scale=2)))
        files[f"{cid}.csv"] = table_csv(table)
        files[f"{cid}.json"] = _dumps_rows({
            "chart": cid,
            "title": defn.title,
            "subtitle": defn.subtitle,
            "as_of": max(data[d].meta.as_of for d in defn.datasets).isoformat(),
            "sources": [{"id": sid, "publisher": data.sources[sid].publisher, "url": str(data.sources[sid].url)}
                        for sid in table.source_ids()],
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
            "rows": list(table.rows),
        })
    return files


@dataclass(frozen=True)
class _Job:
    defn: ChartDef
    table: Table
    folder: Path | None


_SPEC_LOCK = threading.Lock()
"""Altair's theme switch is global state: specs are built one chart at a time."""


def code_on_disk() -> str:
    """Hash of this package's code as the files are now."""
    root = Path(__file__).parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@functools.cache
def code_digest() -> str:
    """Hash of the code this process runs: a change to any chart builder or the theme re-renders every chart.

    Taken once: a long-lived process (the preview, its workers) keeps running the code it imported.
    """
    return code_on_disk()


def code_changed() -> bool:
    """Whether the package's files changed since this process imported them (the preview must restart)."""
    return code_on_disk() != code_digest()


def cache_key(defn: ChartDef, data: Data, table: Table) -> str:
    """What a chart's files depend on: its datasets' bytes, the sources it cites, the code, the renderer.

    Computed without building the chart, so a cached chart costs only its table.
    """
    cited = [data.sources[sid].model_dump(mode="json") for sid in table.source_ids()]
    parts = [VL_VERSION, vlc.__version__, code_digest(), defn.id,
             {d: data[d].digest for d in defn.datasets}, cited]
    return hashlib.sha256(_dumps(parts)).hexdigest()[:20]


def _prepare(defn: ChartDef, data: Data, cache_dir: Path | None) -> _Job:
    table = defn.table(data)
    check_title(defn, table)
    folder = cache_dir / defn.id / cache_key(defn, data, table) if cache_dir else None
    return _Job(defn, table, folder)


ALL = frozenset({"page", "download"})
PAGE = frozenset({"page"})
_MARKERS = {ALL: "complete", PAGE: "page-complete"}
"""A cache folder is usable for a set of outputs once its marker is written (after the files)."""


def render_chart(defn: ChartDef, data: Data, cache_dir: Path | None = None) -> Rendered:
    """Render one chart, from the cache when nothing it depends on changed."""
    return _finish(_prepare(defn, data, cache_dir), data)


def _is_page_file(name: str) -> bool:
    return "-light-" in name or "-dark-" in name


def _cached(folder: Path | None, outputs: frozenset[str]) -> dict[str, bytes] | None:
    if folder is None:
        return None
    for have, marker in _MARKERS.items():
        if outputs <= have and (folder / marker).exists():
            names = sorted(p.name for p in folder.iterdir() if p.name not in _MARKERS.values()
                           and not p.name.startswith("."))
            # Only the files of the outputs asked for: downloads may be being written beside them.
            return {n: (folder / n).read_bytes() for n in names if outputs == ALL or _is_page_file(n)}
    return None


def _store(folder: Path | None, files: dict[str, bytes], outputs: frozenset[str]) -> None:
    """Write files, each atomically (a reader never sees half a file), then the marker of what is complete."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            tmp = folder / f".{name}.{os.getpid()}"
            tmp.write_bytes(content)
            tmp.replace(folder / name)
        (folder / _MARKERS[outputs]).write_bytes(b"")
    except OSError as exc:  # a cache that cannot be written only costs time
        log.warning("render cache not written (%s)", exc)


def _files(defn: ChartDef, table: Table, data: Data, outputs: frozenset[str] = ALL) -> dict[str, bytes]:
    """Build the specs and render the files of one chart (in this process or in a worker)."""
    with _SPEC_LOCK:
        chart_specs = specs(defn, data, table, page_only="download" not in outputs)
    return _render_files(defn, data, table, chart_specs, outputs)


_NOT_SENT = "chart builders must draw from their table: a dataset's records are not sent to the render workers"


class _RecordsNotSent(tuple):  # type: ignore[type-arg]
    """A worker's stand-in for a dataset's records: chart builders draw from their table, never from records.

    Why it raises instead of being empty: a builder that read records in a worker would otherwise draw nothing,
    silently. It is a tuple so the dataset keeps its type.
    """

    def __iter__(self) -> Any:
        raise RuntimeError(_NOT_SENT)

    def __len__(self) -> int:
        raise RuntimeError(_NOT_SENT)

    def __reduce__(self) -> Any:
        return (_RecordsNotSent, ())


def _needed(defn: ChartDef, data: Data, table: Table) -> Data:
    """What a worker is sent besides the table: the chart's datasets' meta, and the sources its rows cite.

    Why so little: everything sent is pickled for the worker. At 100 times today's records, sending whole
    datasets (records and the positions of every value) cost 5 s of pickling, more than the renders.
    """
    slim = {d: replace(data.datasets[d], records=_RecordsNotSent(), located=Located(data=None))
            for d in defn.datasets}
    return Data(slim, {sid: data.sources[sid] for sid in table.source_ids()})


def _files_by_id(chart_id: str, table: Table, data: Data, outputs: frozenset[str],
                 validated: bool = False) -> dict[str, bytes]:
    """`_files` for a worker process, which finds the chart by id (ChartDef holds functions).

    `validated`: another worker of this process's pool already schema-validated this chart's specs.
    """
    if validated:
        _VALIDATED.add((chart_id, CHARTS[chart_id].chart))
    with gc_paused():
        return _files(CHARTS[chart_id], table, data, outputs)


def _finish(job: _Job, data: Data, outputs: frozenset[str] = ALL) -> Rendered:
    files = _cached(job.folder, outputs)
    if files is not None:
        return Rendered(job.defn, job.table, files, cached=True)
    files = _files(job.defn, job.table, data, outputs)
    _store(job.folder, files, outputs)
    return Rendered(job.defn, job.table, files, cached=False)


_POOL: ProcessPoolExecutor | None = None


def _quiet_worker(parent: int, death_signal: int = signal.SIGTERM) -> None:
    """Workers end with the process that started them, and let go of the terminal or pipe they inherited.

    Why: workers outlived a killed preview server and held its output pipe open, so whoever read the server's
    output (a test, a terminal) waited for an end that never came. Errors come back as exceptions. Why the
    check of the parent after asking for the signal: a parent that died while the worker was still starting
    (about half a second of imports) sent no signal, and the worker lived on.
    """
    with contextlib.suppress(OSError, AttributeError):  # Linux: a signal when the parent dies (PR_SET_PDEATHSIG)
        ctypes.CDLL(None, use_errno=True).prctl(1, death_signal)
    if os.getppid() != parent:
        os._exit(0)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _pool() -> ProcessPoolExecutor:
    """Worker processes kept for the life of this one (the preview server renders every data edit with them).

    Why processes: vl-convert runs one JavaScript runtime per process and Altair holds the GIL, so threads left
    the second core idle. `spawn`, not fork: a fork of a process whose JavaScript runtime already started
    can deadlock.
    """
    global _POOL
    if _POOL is None:
        _POOL = ProcessPoolExecutor(max_workers=min(WORKERS, os.cpu_count() or 1),
                                    mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker,
                                    initargs=(os.getpid(),))
        atexit.register(_POOL.shutdown, cancel_futures=True)
    return _POOL


WORKERS = 2
"""Charts rendered at once (the project's machines have 2 cores)."""


def _warm() -> None:
    """In a worker: start the JavaScript runtime with a tiny render, so the first real one is not the slow one."""
    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}}, vl_version=VL_VERSION)
    time.sleep(0.2)  # hold this worker, so the next warm-up task starts the other one


def warm_workers() -> None:
    """Start the worker processes ahead of the first data edit (the preview calls this once it is serving).

    Why: a worker's first render pays for starting Python, importing Altair and starting vl-convert's runtime
    (about a second); without this the editor's first data edit paid it.
    """
    if (os.cpu_count() or 1) > 1:
        for _ in range(min(WORKERS, os.cpu_count() or 1)):
            _pool().submit(_warm)


def render_data(data: Data, cache_dir: Path | None = None, *, outputs: frozenset[str] = ALL,
                parallel: bool = True) -> dict[str, Rendered]:
    """Render every chart of the registry for already-loaded data, charts that changed in worker processes.

    `outputs=PAGE` makes only what pages show (the preview does the downloads later, see `complete_downloads`).
    """
    return start_render(data, cache_dir, outputs=outputs, parallel=parallel).finish()


@dataclass
class Renders:
    """The charts of one build: those found in the cache, and those still being rendered by the workers.

    Why not wait at once: the preview goes on building pages (half a second of MkDocs' work) while the
    workers draw the changed charts, and takes their files only when a page needs them (`finish`).
    """

    jobs: dict[str, _Job]
    done: dict[str, Rendered]
    futures: dict[str, Future[dict[str, bytes]]]
    outputs: frozenset[str]

    @property
    def pending(self) -> list[str]:
        """Charts whose files are still being made."""
        return [cid for cid in CHARTS if cid not in self.done]

    def now(self) -> dict[str, Rendered]:
        """Every chart as known now: a pending one has its table and no files yet."""
        return {cid: self.done.get(cid) or Rendered(self.jobs[cid].defn, self.jobs[cid].table, {}, cached=False)
                for cid in CHARTS}

    def finish(self) -> dict[str, Rendered]:
        """Wait for the workers, store their files in the cache and return every chart (raises ChartError)."""
        with gc_paused():
            for cid in self.pending:
                files = self.futures[cid].result()
                _CHECKED.add(cid)
                _store(self.jobs[cid].folder, files, self.outputs)
                self.done[cid] = Rendered(self.jobs[cid].defn, self.jobs[cid].table, files, cached=False)
        rendered = [c for c in CHARTS if c in self.futures]
        cached = [c for c in CHARTS if c not in self.futures]
        log.info("charts rendered: %s; from cache: %s", ", ".join(rendered) or "none", ", ".join(cached) or "none")
        return {cid: self.done[cid] for cid in CHARTS}


def start_render(data: Data, cache_dir: Path | None = None, *, outputs: frozenset[str] = ALL,
                 parallel: bool = True, one_worker: bool = False) -> Renders:
    """Check every chart's title, take cached charts, and start rendering the others; returns at once.

    Each chart to render goes to the workers as soon as its table is made. Why: at 100 times today's
    records the tables take half a second, and the workers' start (Python, Altair, the JavaScript runtime,
    nearly a second) now runs meanwhile. Without `parallel` (or on one core) charts render here, now.
    `one_worker` sends them all to one worker, in one task: the preview builds its pages meanwhile, and a
    second busy worker only took the CPU from it (data edit rebuild 0.85-1.0 s with two, 0.72-0.82 s with one).
    """
    pooled = parallel and (os.cpu_count() or 1) > 1
    with gc_paused():
        jobs: dict[str, _Job] = {}
        done: dict[str, Rendered] = {}
        futures: dict[str, Future[dict[str, bytes]]] = {}
        batch: list[tuple[str, Table, Data, bool]] = []
        for cid, defn in CHARTS.items():
            job = jobs[cid] = _prepare(defn, data, cache_dir)
            files = _cached(job.folder, outputs)
            if files is not None:
                done[cid] = Rendered(job.defn, job.table, files, cached=True)
            elif pooled and one_worker:
                batch.append((cid, job.table, _needed(defn, data, job.table), cid in _CHECKED))
            elif pooled:
                futures[cid] = _pool().submit(_files_by_id, cid, job.table, _needed(defn, data, job.table), outputs,
                                              cid in _CHECKED)
        if batch:
            futures.update(_split(_pool().submit(_files_of_batch, batch, outputs), [job[0] for job in batch]))
        if not pooled:
            for cid in CHARTS:
                if cid not in done:
                    futures[cid] = Future()
                    futures[cid].set_result(_files(jobs[cid].defn, jobs[cid].table, data, outputs))
        return Renders(jobs, done, futures, outputs)


def _files_of_batch(batch: list[tuple[str, Table, Data, bool]],
                    outputs: frozenset[str]) -> dict[str, dict[str, bytes]]:
    """`_files_by_id` for several charts in one worker, one after the other."""
    return {cid: _files_by_id(cid, table, data, outputs, validated) for cid, table, data, validated in batch}


def _split(batch: Future[dict[str, dict[str, bytes]]], ids: list[str]) -> dict[str, Future[dict[str, bytes]]]:
    """One future per chart from the future of a batch (each fails with the batch's error)."""
    out: dict[str, Future[dict[str, bytes]]] = {cid: Future() for cid in ids}

    def done(finished: Future[dict[str, dict[str, bytes]]]) -> None:
        error = finished.exception()
        for cid, future in out.items():
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(finished.result()[cid])

    batch.add_done_callback(done)
    return out


def _download_job(chart_id: str, table: Table, data: Data, folder: Path) -> str:
    """In a background worker: the download files of one chart, stored beside its page files."""
    defn = CHARTS[chart_id]
    with _SPEC_LOCK:
        chart_specs = specs(defn, data, table)
    _store(folder, _render_files(defn, data, table, chart_specs, frozenset({"download"})), ALL)
    return chart_id


def _background_worker(parent: int) -> None:
    """A quiet worker that yields the CPU to the renders an editor is waiting for.

    Why the idle class (Linux): at nice 10 it still took about a tenth of a core from the preview's renders;
    SCHED_IDLE runs it only on CPU time nothing else wants. Elsewhere it falls back to nice 19.
    """
    _quiet_worker(parent, signal.SIGKILL)  # SIGKILL: a stopped worker (see `hold_background`) still ends
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(19)


_BACKGROUND: ProcessPoolExecutor | None = None


def hold_background(held: bool) -> None:
    """Stop the background download worker (SIGSTOP) while the preview rebuilds, and let it go on after.

    Why: even in the idle scheduling class it slowed a data edit's rebuild by a third (1.0-1.4 s instead of
    0.85-0.95 s): the two cores are shared with what it leaves in caches and memory. Downloads are made between
    rebuilds, while the editor reads the page. A stopped worker still dies with the preview (PDEATHSIG SIGKILL).
    """
    if _BACKGROUND is None or not hasattr(signal, "SIGSTOP"):
        return
    processes = getattr(_BACKGROUND, "_processes", None) or {}  # the pool's own table of its processes
    for process in list(processes.values()):
        with contextlib.suppress(OSError, AttributeError):
            os.kill(process.pid, signal.SIGSTOP if held else signal.SIGCONT)


def complete_downloads(data: Data, cache_dir: Path, tables: dict[str, Table] | None = None) -> list[str]:
    """Queue, in a low-priority worker, the download files a page-first render left out; the charts queued.

    The preview calls this after showing a data edit, with the tables it already made; a later rebuild finds
    the downloads in the cache. The worker is sent what a render worker is (`_needed`), not the whole data.
    """
    global _BACKGROUND
    queued = []
    for cid, defn in CHARTS.items():
        table = tables[cid] if tables and cid in tables else defn.table(data)
        folder = cache_dir / cid / cache_key(defn, data, table)
        if (folder / _MARKERS[ALL]).exists() or not (folder / _MARKERS[PAGE]).exists():
            continue
        if _BACKGROUND is None:
            _BACKGROUND = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                              initializer=_background_worker, initargs=(os.getpid(),))
            atexit.register(_BACKGROUND.shutdown, cancel_futures=True)
        _BACKGROUND.submit(_download_job, cid, table, _needed(defn, data, table), folder)
        queued.append(cid)
    return queued


def render_all(data_dir: str | Path, cache_dir: Path | None = None) -> dict[str, bytes]:
    """All chart files as {relative path: bytes}: the same outputs the site and the CLI use."""
    data = load_data(data_dir)
    return {f"charts/{cid}/{name}": content
            for cid, r in render_data(data, cache_dir).items() for name, content in sorted(r.files.items())}
