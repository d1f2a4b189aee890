"""Everything the site generates from the data, as in-memory files and page blocks: the `Site`.

`make_site(settings)` validates the data, renders the charts and makes every generated file; it is
framework-free, so tests, releases and both site engines use it. Paths are site paths ('charts/x/x.svg').
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert as vlc

from ..charts.base import day_label
from ..charts.pool import Renderer
from ..charts.render import Rendered, render_data
from ..data import Data, load_data
from ..data.models.datasets import TRACK_NAMES
from ..data.schema import schema_files, schema_reference
from .atom import FEED_PATH, atom_feed
from .calendar_feed import feed
from .drafts import DATASET as DRAFTS
from .drafts import check_headline, rows, tables
from .export import dataset_json
from .figures import alt_text, embed_page, figure_html
from .opendata import jsonld_scripts, package_files
from .pages import (
    byline,
    calendar_listing,
    changes_page,
    cite_version,
    collection_gaps,
    corrections_contact,
    masthead,
    next_event,
    sources_page,
)
from .security import policy
from .settings import Settings

UrlFor = Callable[[str], str]
PLACEHOLDER = re.compile(r"<!--\s*([a-z-]+)(?::\s*([^\s>]*))?\s*-->")
"""A one-line placeholder in a page: `<!-- chart: ID -->` or `<!-- calendar-listing -->`."""
BLOCKS = frozenset({"calendar-listing", "next-event", "schema-reference", "as-of", "cite-version",
                    "corrections-contact", "collection-gaps", "dataset-jsonld", "masthead", "peace-drafts"})
"""Placeholder kinds other than `chart` that `Site.block` expands."""
GENERATED_PAGES = {"sources.md": "Sources", "changes.md": "Changes & corrections"}
"""Pages made from the data alone, with their titles (the preview shows a stub when the data is broken)."""
VENDOR = Path(__file__).parents[1] / "vendor"


@dataclass
class Site:
    """The generated site in memory: the data, every chart's files, and the other generated files."""

    settings: Settings
    data: Data
    charts: dict[str, Rendered]
    chart_pages: dict[str, str]
    """Chart id -> the page it is placed on (Sources links to it; embed pages name it as canonical)."""
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def as_of_label(self) -> str:
        """The date the site's data runs to, as readers see it."""
        return day_label(self.data.as_of)

    def _as_of(self, chart_id: str) -> str:
        return day_label(max(self.data[d].meta.as_of for d in self.charts[chart_id].chart.datasets))

    def embed(self, chart_id: str) -> bytes:
        """The standalone embed page of one chart."""
        rendered = self.charts[chart_id]
        canonical = f"{self.settings.site_url.rstrip('/')}/{self.chart_pages.get(chart_id, '')}#chart-{chart_id}"
        return embed_page(rendered.chart, rendered, self.data, lambda p: "../" + p, as_of=self._as_of(chart_id),
                          canonical=canonical, csp=policy(frame_ancestors=None)).encode()

    def figure(self, chart_id: str, url: UrlFor, *, eager: bool) -> str:
        """The figure HTML of one chart, with URLs relative to the page."""
        rendered = self.charts[chart_id]
        return figure_html(rendered.chart, rendered, self.data, url, eager=eager, as_of=self._as_of(chart_id),
                           embed_url=f"{self.settings.site_url.rstrip('/')}/embed/{chart_id}.html")

    def usage(self) -> dict[str, list[tuple[str, str]]]:
        """Source id -> (chart name, site path of the chart) for every chart that cites it."""
        out: dict[str, list[tuple[str, str]]] = {}
        for cid, r in self.charts.items():
            for sid in r.table.source_ids():
                out.setdefault(sid, []).append((r.chart.short or r.chart.title,
                                                f"{self.chart_pages.get(cid, '')}#chart-{cid}"))
        return out

    def generated_pages(self, url_for: Callable[[str], UrlFor]) -> dict[str, str]:
        """Pages made from the data alone (Sources, Changes); `url_for(src)` gives each page's URLs."""
        pages = {"sources.md": sources_page(self.data, self.usage(), self.as_of_label, url_for("sources.md")),
                 "changes.md": changes_page(self.data, self.as_of_label, url_for("changes.md"),
                                           self.settings.first_published)}
        assert set(pages) == set(GENERATED_PAGES)
        return pages

    def block(self, kind: str, url: UrlFor) -> str:
        """A generated block for a placeholder such as <!-- calendar-listing -->."""
        s = self.settings
        if kind == "calendar-listing":
            return calendar_listing(self.data, s.site_url, url)
        if kind == "next-event":
            return next_event(self.data, url("calendar/"))
        if kind == "schema-reference":
            return schema_reference()
        if kind == "cite-version":
            return cite_version(s.site_name, s.version, s.site_url, self.data.as_of)
        if kind == "dataset-jsonld":
            return jsonld_scripts(self.data, site_url=s.site_url, version=s.version.get("version", ""),
                                  publisher=s.masthead.publisher)
        if kind == "as-of":
            return byline(s.masthead.publisher, self.as_of_label, url("about/"))
        if kind == "collection-gaps":
            return collection_gaps(self.data)
        if kind == "corrections-contact":
            return corrections_contact(s.corrections)
        if kind == "masthead":
            m = s.masthead
            return masthead(m.publisher, m.editors, m.contact or s.corrections)
        if kind == "peace-drafts":
            return tables(self.data, url, day_label(self.data[DRAFTS].meta.as_of))
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


def make_site(settings: Settings, *, data: Data | None = None, renderer: Renderer | None = None) -> Site:
    """Validate the data (unless given) and produce every generated file of the site (raises DataError, ChartError)."""
    data = load_data(settings.data_dir) if data is None else data
    charts = render_data(data, settings.cache_dir / "renders", renderer=renderer)
    for rendered in charts.values():
        alt_text(rendered.chart, data)  # Why here: a broken reference is a ChartError now, named in the banner
    if DRAFTS in data.datasets:
        check_headline(rows(data))  # Why here: like a chart title, a headline made false fails the build, in the banner
    site = Site(settings, data, charts, chart_pages(settings.docs_dir))
    files, url = site.files, settings.site_url
    for cid, r in charts.items():
        for name, content in r.files.items():
            files[f"charts/{cid}/{name}"] = content
        files[f"embed/{cid}.html"] = site.embed(cid)
    files[FEED_PATH] = atom_feed(data, url, title=settings.site_name, author=settings.masthead.publisher,
                                 first_published=settings.first_published)
    if "diplomatic_calendar" in data.datasets:
        files["calendar.ics"] = feed(data, url, product=settings.site_name)
        for track in TRACK_NAMES:
            if any(e.track == track for e in data["diplomatic_calendar"].records):
                files[f"calendar-{track}.ics"] = feed(data, url, track=track, product=settings.site_name)
    for name, content in schema_files().items():
        files[f"schemas/{name}"] = content
    for name, ds in data.datasets.items():
        files[f"downloads/{name}.json"] = dataset_json(ds)
    files.update({f"downloads/{name}": content for name, content in package_files(
        data, version=settings.version.get("version", ""), site_url=url, title=settings.site_name,
        publisher=settings.masthead.publisher).items()})
    files["robots.txt"] = robots_txt(url)
    files["assets/vega/vega.min.js"] = vega_bundle(settings.cache_dir, fresh=settings.fresh_bundle)
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


def vega_bundle(cache_dir: Path | None = None, *, fresh: bool = False) -> bytes:
    """The self-hosted Vega runtime for the interactive layer, cached by vl-convert and Vega version.

    `fresh` skips the cached copies (a release); the new bundle still replaces them.
    """
    snippet = VEGA_SNIPPET.format(version=vlc.get_vega_version())
    tag = hashlib.sha256(snippet.encode()).hexdigest()[:8]
    version = vlc.__version__  # type: ignore[attr-defined]  # in the compiled module; its stubs leave it out
    name = f"vega-{vlc.get_vega_version()}-{version}-{tag}.js"
    for folder in (bundle_cache_dir(), cache_dir):
        if not fresh and folder is not None and (folder / name).exists():
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
