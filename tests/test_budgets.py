"""Size budgets of the built site: what each page loads before any interaction, gzip-compressed.

Bytes are deterministic, so budgets are tests; times never are (see bench/). The
set counted is what the HTML itself makes a desktop browser fetch at first load:
the page, its stylesheets, scripts with a src, its icon, and each eager image (the
<source> of its <picture> that applies at desktop width in the light scheme, else
the <img> src). Lazy images are left out. Requests made later by JavaScript
(Material's search index and worker, sitemap.xml) are measured by `make bench`.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup, Tag

PAGES = ["index.html", "energy/index.html", "force-caps/index.html", "peace-drafts/index.html", "calendar/index.html",
         "methodology/index.html", "data-dictionary/index.html", "sources/index.html", "changes/index.html",
         "about/index.html"]
STORIES = [p for p in PAGES if p != "sources/index.html"]
"""Pages held to the fixed budget. Sources is the registry itself: it grows by one entry per source, so it is
held to a cost per source instead (`test_the_sources_page_costs_at_most_120_bytes_gzip_per_source`)."""
PER_SOURCE_GZIP = 120
BUDGET_GZIP = 150_000
"""Bytes (gzip level 9, per file, summed) a page may load before any interaction; 1 KB = 1000 bytes."""
DESKTOP_WIDTH = 1280
VEGA_BUNDLE = "assets/vega/vega.min.js"


def _file(site: Path, page: str, url: str) -> Path | None:
    """The file a same-site URL on `page` points to (None for other sites and data: URLs)."""
    if url.startswith("data:"):
        return None
    target = urlparse(urljoin("http://site/" + page, url.strip().split()[0].split("#")[0]))
    if target.netloc != "site":
        return None
    path = target.path.lstrip("/")
    file = site / path
    return file / "index.html" if path.endswith("/") or path == "" or file.is_dir() else file


def _applies_at_desktop(media: str | None) -> bool:
    """Whether a <source media> matches a 1280 px wide window in the light scheme (unknown features match)."""
    if not media:
        return True
    for feature, value in re.findall(r"\(\s*([a-z-]+)\s*:\s*([^)]+?)\s*\)", media):
        number = re.match(r"(\d+(?:\.\d+)?)px$", value)
        if feature == "max-width" and number and float(number.group(1)) < DESKTOP_WIDTH:
            return False
        if feature == "min-width" and number and float(number.group(1)) > DESKTOP_WIDTH:
            return False
        if feature == "prefers-color-scheme" and value != "light":
            return False
    return True


def _image_url(img: Tag) -> str | None:
    """The URL a desktop browser picks for an <img>: the first matching <source> of its <picture>, else src."""
    picture = img.parent if img.parent is not None and img.parent.name == "picture" else None
    if picture is not None:
        for source in picture.find_all("source"):
            if _applies_at_desktop(source.get("media")) and source.get("srcset"):
                return str(source["srcset"]).split(",")[0].split()[0]
    return img.get("src")


def before_interaction(site: Path, page: str) -> list[Path]:
    """The page and every file its HTML loads at first paint, each once, in document order."""
    doc = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    urls: list[str] = []
    for link in doc.find_all("link", href=True):
        if {"stylesheet", "icon", "preload", "modulepreload"} & set(link.get("rel", [])):
            urls.append(link["href"])
    urls += [script["src"] for script in doc.find_all("script", src=True)]
    for img in doc.find_all("img"):
        # Lazy images load when near the viewport: count the lead chart (high priority, in view at first
        # paint) in the default light scheme; hidden dark pictures and charts further down are not fetched.
        lead = img.get("fetchpriority") == "high" and img.find_parent("picture", class_="chart-light") is not None
        if img.get("loading", "eager") != "lazy" or lead:
            url = _image_url(img)
            if url:
                urls.append(url)
    # Material's search loads its index and worker on every page before any interaction.
    urls += ["/search/search_index.json"]
    workers = sorted((site / "assets/javascripts/workers").glob("search.*.min.js"))
    urls += ["/" + p.relative_to(site).as_posix() for p in workers]
    files = [site / page]
    for url in urls:
        file = _file(site, page, url)
        if file is not None and file not in files:
            files.append(file)
    return files


def gzip_bytes(file: Path) -> int:
    return len(gzip.compress(file.read_bytes(), compresslevel=9, mtime=0))


@pytest.mark.parametrize("page", STORIES)
def test_page_loads_at_most_150_kb_gzip_before_interaction(built_site, page):
    files = before_interaction(built_site, page)
    missing = [str(f.relative_to(built_site)) for f in files if not f.exists()]
    assert not missing, f"{page} references missing files: {missing}"
    sizes = {str(f.relative_to(built_site)): gzip_bytes(f) for f in files}
    total = sum(sizes.values())
    heaviest = ", ".join(f"{name} {size:,}" for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:5])
    assert total <= BUDGET_GZIP, f"{page}: {total:,} bytes gzip before interaction > {BUDGET_GZIP:,} ({heaviest})"


def test_the_sources_page_costs_at_most_120_bytes_gzip_per_source(built_site, data):
    """Each source's entry (link, title, date, where it is used) stays small; the shared assets stay in budget."""
    own = gzip_bytes(built_site / "sources" / "index.html")
    assert own <= PER_SOURCE_GZIP * len(data.sources), f"{own:,} bytes gzip for {len(data.sources)} sources"
    shared = sum(gzip_bytes(f) for f in before_interaction(built_site, "sources/index.html")[1:] if f.exists())
    assert shared <= BUDGET_GZIP - 40_000, f"assets every page loads: {shared:,} bytes gzip"


@pytest.mark.parametrize("page", PAGES)
def test_only_the_lead_chart_image_is_counted(built_site, page):
    doc = BeautifulSoup((built_site / page).read_text(encoding="utf-8"), "html.parser")
    counted = set(before_interaction(built_site, page))
    for img in doc.select("figure.chart img"):
        file = _file(built_site, page, img["src"])
        lead = img.get("fetchpriority") == "high" and "chart-light" in img.find_parent("picture")["class"]
        assert (file in counted) == (img.get("loading") != "lazy" or lead), f"{page}: {img['src']}"


def test_desktop_picks_the_wide_chart_not_the_narrow_one(built_site):
    files = {str(f.relative_to(built_site)) for f in before_interaction(built_site, "energy/index.html")}
    assert any(name.endswith("-light-wide.svg") for name in files)
    assert not any(name.endswith("-narrow.svg") for name in files)


def test_vega_bundle_is_built_but_loaded_by_no_page(built_site):
    bundle = built_site / VEGA_BUNDLE
    assert bundle.exists() and gzip_bytes(bundle) > BUDGET_GZIP, "the bundle alone would break the page budget"
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= len(PAGES)
    for html in pages:
        page = str(html.relative_to(built_site))
        doc = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in doc.find_all(True):
            for attr in ("src", "href", "srcset", "data"):
                value = tag.get(attr)
                if value and _file(built_site, page, str(value)) == bundle:
                    raise AssertionError(f"{page}: <{tag.name} {attr}={value!r}> loads the Vega bundle at first paint")
