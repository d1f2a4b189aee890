"""Everything the site generates from the data, as in-memory files and page blocks.

`build_site_files()` is what the MkDocs hook calls; it is framework-free so
tests and releases can use it directly. Paths are site paths ('charts/x/x.svg').
"""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import urlparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert as vlc

from ..data.models.datasets import TRACK_NAMES
from .atom import FEED_PATH, atom_feed
from .calendar_feed import feed
from ..charts import CHARTS
from ..charts.base import ChartDef, day_label
from .export import dataset_json
from .figures import alt_text, embed_page, figure_html, fill_sizes
from ..data import Data, load_data
from .opendata import jsonld_scripts, package_files
from .pages import (
    byline,
    calendar_listing,
    changes_page,
    cite_version,
    collection_gaps,
    corrections_contact,
    next_event,
    sources_page,
    subscribe_box,
)
from ..charts.render import ALL, PAGE, Rendered, Renders, start_render
from ..data.schema import schema_files, schema_reference

UrlFor = Callable[[str], str]
_IMAGE = re.compile(r"-(light|dark)-(wide|narrow)\.svg$")
PLACEHOLDER = re.compile(r"<!--\s*([a-z-]+)(?::\s*([^\s>]*))?\s*-->")
"""A one-line placeholder in a page: `<!-- chart: ID -->` or `<!-- calendar-listing -->`."""
BLOCKS = frozenset({"calendar-listing", "next-event", "schema-reference", "as-of", "cite-version",
                    "corrections-contact", "collection-gaps", "dataset-jsonld"})
"""Placeholder kinds other than `chart` that `SiteBuild.block` expands."""
GENERATED_PAGES = {"sources.md": "Sources", "changes.md": "Changes & corrections"}
"""Pages made from the data alone, with their titles (the preview shows a stub when the data is broken)."""
VENDOR = Path(__file__).parents[1] / "vendor"
EMBED_CSS = (
    "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f1f1f;"
    "background:#fff}figure{margin:0;padding:12px}img{max-width:100%;height:auto}.chart-title{font-weight:700;"
    "font-size:1.1rem;margin:0 0 4px}.chart-title a{color:inherit;text-decoration:none}.chart-subtitle{margin:0 0 8px;"
    "color:#595959;font-size:.9rem}figcaption{font-size:.8rem;color:#595959;margin-top:6px}a{color:#0b57a0}"
    "@media (prefers-color-scheme: dark){body{background:#1e2129;color:#e8e8e8}"
    ".chart-subtitle,figcaption{color:#b0b3ba}"
    "a{color:#8ab4f8}}"
)


@dataclass
class SiteBuild:
    """Generated files plus what the hook needs to expand page placeholders."""

    data: Data
    charts: dict[str, tuple[ChartDef, Rendered]]
    files: dict[str, bytes] = field(default_factory=dict)
    site_url: str = ""
    as_of_label: str = ""
    default_chart: str = "strikes-volume"
    version: dict[str, str] = field(default_factory=dict)
    corrections: str = ""
    """Where readers send corrections (an email address or a URL), from mkdocs.yml `extra.corrections`."""
    usage: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Source id -> (chart title, site path of the chart) for every chart that cites it."""
    chart_pages: dict[str, str] = field(default_factory=dict)
    """Chart id -> the page it is placed on (for the embed pages' canonical links)."""
    renders: Renders | None = None
    """Charts still being drawn by the workers (a deferred build); `settle` waits for them."""

    def embed(self, chart_id: str) -> bytes:
        """The standalone embed page of one chart."""
        defn, rendered = self.charts[chart_id]
        return embed_page(defn, rendered, self.data, lambda p: "../" + p,
                          as_of=day_label(max(self.data[d].meta.as_of for d in defn.datasets)),
                          canonical=f"{self.site_url.rstrip('/')}/{self.chart_pages.get(chart_id, '')}#chart-{chart_id}",
                          css=EMBED_CSS).encode()

    def settle(self) -> dict[str, bytes]:
        """Wait for the charts still being rendered; return the files that changed (their images, embed pages).

        Raises ChartError when a chart could not be rendered; the build then has only the charts it had.
        """
        renders, self.renders = self.renders, None
        if renders is None:
            return {}
        pending = renders.pending
        done = renders.finish()
        changed: dict[str, bytes] = {}
        for cid in pending:
            self.charts[cid] = (CHARTS[cid], done[cid])
            changed.update({f"charts/{cid}/{name}": content for name, content in done[cid].files.items()})
            changed[f"embed/{cid}.html"] = self.embed(cid)
        self.files.update(changed)
        return changed

    def fill(self, text: str) -> str:
        """A page built while charts were being rendered, with their images' sizes put in."""
        return fill_sizes(text, lambda name: self.files.get(f"charts/{_IMAGE.sub('', name)}/{name}"))

    def figure(self, chart_id: str, url: UrlFor, *, eager: bool) -> str:
        """The figure HTML of one chart, with URLs relative to the page."""
        defn, rendered = self.charts[chart_id]
        as_of = day_label(max(self.data[d].meta.as_of for d in defn.datasets))
        return figure_html(defn, rendered, self.data, url, eager=eager, as_of=as_of,
                           embed_url=f"{self.site_url.rstrip('/')}/embed/{chart_id}.html")

    def corrections_address(self) -> str:
        """The configured corrections contact, or corrections@ at the site's own domain."""
        if self.corrections:
            return self.corrections
        host = urlparse(self.site_url).hostname or "example.org"
        return f"corrections@{host.removeprefix('www.')}"

    def generated_pages(self, url_for: Callable[[str], UrlFor]) -> dict[str, str]:
        """Pages made from the data alone (Sources, Changes), as Markdown; `url_for(src)` gives each page's URLs."""
        pages = {"sources.md": sources_page(self.data, self.usage, self.as_of_label, url_for("sources.md")),
                 "changes.md": changes_page(self.data, self.as_of_label, url_for("changes.md"))}
        assert set(pages) == set(GENERATED_PAGES)
        return pages

    def block(self, kind: str, url: UrlFor) -> str:
        """A generated block for a placeholder such as <!-- calendar-listing -->."""
        if kind == "calendar-listing":
            feeds = {t: url(f"calendar-{t}.ics") for t in TRACK_NAMES}
            return subscribe_box(self.site_url, url("calendar.ics")) + "\n" + calendar_listing(self.data, feeds)
        if kind == "next-event":
            return next_event(self.data, url("calendar/"))
        if kind == "schema-reference":
            return schema_reference()
        if kind == "cite-version":
            return cite_version(self.version, self.site_url, self.data.as_of)
        if kind == "dataset-jsonld":
            return jsonld_scripts(self.data, site_url=self.site_url, version=self.version.get("version", ""))
        if kind == "as-of":
            return byline(self.as_of_label, url("about/"))
        if kind == "collection-gaps":
            return collection_gaps(self.data)
        if kind == "corrections-contact":
            return corrections_contact(self.corrections_address())
        raise KeyError(kind)


def chart_pages(docs_dir: Path) -> dict[str, str]:
    """The page each chart is placed on (a subject page wins over Home), for links from Sources."""
    home: dict[str, str] = {}
    subject: dict[str, str] = {}
    for md in sorted(docs_dir.glob("*.md")):
        target, page = (home, "") if md.stem == "index" else (subject, f"{md.stem}/")
        for match in PLACEHOLDER.finditer(md.read_text(encoding="utf-8")):
            if match.group(1) == "chart":
                target.setdefault(match.group(2), page)
    return {**home, **subject}


_REMEMBERED: dict[tuple[str, ...], bytes] = {}


def _remembered(key: tuple[str, ...], make: Callable[[], bytes]) -> bytes:
    """A generated file made from one or two data files, kept by their content hashes for the next rebuild.

    Why: the preview rebuilds everything at each data edit; the calendar feeds and per-dataset JSON of the
    files that did not change were a fifth of the rebuild's time outside the charts.
    """
    if key not in _REMEMBERED:
        if len(_REMEMBERED) > 64:
            _REMEMBERED.clear()
        _REMEMBERED[key] = make()
    return _REMEMBERED[key]


def build_site_files(data_dir: str | Path, *, site_url: str = "", cache_dir: Path | None = None,
                     pages: dict[str, str] | None = None, version: dict[str, str] | None = None,
                     corrections: str = "", page_first: bool = False, defer: bool = False) -> SiteBuild:
    """Validate the data and produce every generated file of the site.

    `page_first` (the preview) renders only what pages show; chart downloads follow in the background.
    `defer` returns while changed charts are still being rendered: their images are missing and pages carry
    size tokens until `SiteBuild.settle()` and `SiteBuild.fill()`.
    """
    data = load_data(data_dir)
    renders = start_render(data, cache_dir, outputs=PAGE if page_first else ALL, one_worker=page_first and defer)
    rendered = renders.now() if defer else renders.finish()
    for defn in CHARTS.values():
        alt_text(defn, data)  # Why here: a broken reference is a ChartError now, which the preview shows in its banner
    site = SiteBuild(data=data, charts={cid: (CHARTS[cid], r) for cid, r in rendered.items()}, site_url=site_url,
                     as_of_label=day_label(data.as_of), version=dict(version or {}),
                     corrections=corrections, chart_pages=dict(pages or {}),
                     renders=renders if renders.pending else None)
    pages = pages or {}
    files = site.files
    usage: dict[str, list[tuple[str, str]]] = {}
    for cid, (defn, r) in site.charts.items():
        for name, content in r.files.items():
            files[f"charts/{cid}/{name}"] = content
        files[f"embed/{cid}.html"] = site.embed(cid)
        for sid in r.table.source_ids():
            usage.setdefault(sid, []).append((defn.short or defn.title, f"{pages.get(cid, '')}#chart-{cid}"))
    site.usage = usage
    files[FEED_PATH] = atom_feed(data, site_url)
    if "diplomatic_calendar" in data.datasets:
        inputs = (data["diplomatic_calendar"].digest, data["sources"].digest, site_url)
        files["calendar.ics"] = _remembered(("ics", *inputs), lambda: feed(data, site_url))
        for track in TRACK_NAMES:
            if any(e.track == track for e in data["diplomatic_calendar"].records):
                files[f"calendar-{track}.ics"] = _remembered(("ics", *inputs, track),
                                                             lambda t=track: feed(data, site_url, track=t))
    for name, content in schema_files().items():
        files[f"schemas/{name}"] = content
    for name, ds in data.datasets.items():
        files[f"downloads/{name}.json"] = _remembered(("json", name, ds.digest), lambda d=ds: dataset_json(d))
    for name, content in package_files(data, version=site.version.get("version", ""), site_url=site_url).items():
        files[f"downloads/{name}"] = content  # every CSV, the link table and datapackage.json
    files["robots.txt"] = robots_txt(site_url)
    files["assets/vega/vega.min.js"] = vega_bundle(cache_dir)
    files["assets/vega/vega-interpreter.js"] = (VENDOR / "vega-interpreter.js").read_bytes()
    return site


def robots_txt(site_url: str) -> bytes:
    """Crawlers may read everything; the sitemap (written by the engine) is named by its absolute address."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml"]
    return ("\n".join(lines) + "\n").encode()


VEGA_SNIPPET = 'import * as vg from "https://cdn.jsdelivr.net/npm/vega@{version}/+esm"; window.vega = vg;'
"""vl-convert resolves this module specifier from the copy of Vega bundled inside it: nothing is fetched,
at build time or by readers (the address is only the name vl-convert knows the module by)."""


def bundle_cache_dir() -> Path:
    """Where the Vega bundle is kept between builds: the user's cache folder, outside the project.

    Why outside `.cache/`: the bundle depends only on the vl-convert version, so a clean build (an empty
    `.cache/`, a fresh clone, `make clean`) need not spend about 2 s rebuilding it.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ukraine-resilience-explainer"


def vega_bundle(cache_dir: Path | None = None) -> bytes:
    """The self-hosted Vega runtime for the interactive layer, cached by vl-convert and Vega version."""
    snippet = VEGA_SNIPPET.format(version=vlc.get_vega_version())
    tag = hashlib.sha256(snippet.encode()).hexdigest()[:8]
    name = f"vega-{vlc.get_vega_version()}-{vlc.__version__}-{tag}.js"
    for folder in (bundle_cache_dir(), cache_dir):
        if folder is not None and (folder / name).exists():
            return (folder / name).read_bytes()
    content = vlc.javascript_bundle(snippet).encode()
    for folder in (bundle_cache_dir(), cache_dir):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{name}.{os.getpid()}"
            tmp.write_bytes(content)
            tmp.replace(folder / name)  # atomic: a concurrent build never reads half a file
            break
        except OSError:
            continue
    return content
