"""The same staged tree built by MkDocs + Material and by Zensical: the same site, links that resolve in both.

Material for MkDocs reaches end of life on 2027-05-05; Zensical must be able to take over. Where the
two builds differ by design, the difference is listed here with its reason.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

ENGINE_FILES = {
    "search/search_index.json": "MkDocs' search plugin index; Zensical writes search.json",
    "search.json": "Zensical's search index",
    "sitemap.xml.gz": "MkDocs also writes a gzipped sitemap",
}
"""Files only one engine writes, and why."""
THEME_DIRS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
"""The engines' own theme assets: each ships its build of Material's CSS and JavaScript."""


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    from publish.build import build_site, settings_for

    out = tmp_path_factory.mktemp("zensical") / "site"
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1772928000")
    build_site(settings_for(ROOT), out, engine="zensical")
    return out


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _is_theme(rel: str) -> bool:
    return rel.startswith(THEME_DIRS) or rel in ENGINE_FILES


def broken_links(site: Path) -> list[str]:
    """Every relative href/src/srcset in every page that does not resolve to a file of the site."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel == "404.html":  # served for any path, so its links are absolute by design
            continue
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in doc.find_all(True):
            for attr in ("href", "src", "srcset"):
                value = tag.get(attr)
                if not value:
                    continue
                urls = [u.strip().split()[0] for u in value.split(",")] if attr == "srcset" else [value]
                for url in urls:
                    if re.match(r"^([a-z][a-z0-9+.-]*:|//|#)", url):
                        continue
                    target = unquote(urlparse(urljoin("http://x/" + rel, url)).path.lstrip("/"))
                    file = site / target
                    if target.endswith("/") or target == "" or file.is_dir():
                        file = file / "index.html"
                    if not file.exists():
                        broken.append(f"{rel}: <{tag.name} {attr}={url!r}>")
    return broken


def test_every_internal_link_and_asset_resolves_with_mkdocs(built_site):
    assert broken_links(built_site) == []


def test_every_internal_link_and_asset_resolves_with_zensical(zensical_site):
    assert broken_links(zensical_site) == []


def test_the_same_files_apart_from_each_engines_theme(built_site, zensical_site):
    ours, theirs = _files(built_site), _files(zensical_site)
    only_mkdocs = sorted(k for k in set(ours) - set(theirs) if not _is_theme(k))
    only_zensical = sorted(k for k in set(theirs) - set(ours) if not _is_theme(k))
    assert only_mkdocs == [] and only_zensical == []


def test_generated_files_are_byte_identical(built_site, zensical_site):
    ours, theirs = _files(built_site), _files(zensical_site)
    generated = [k for k in ours if k.startswith(("charts/", "downloads/", "embed/", "schemas/")) or k.endswith(".ics")]
    assert len(generated) > 50
    differ = [k for k in generated if ours[k].read_bytes() != theirs[k].read_bytes()]
    assert differ == []


def _figures(site: Path, page: str) -> list[tuple[str, str, list[str]]]:
    doc = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    out = []
    for fig in doc.select("figure.chart"):
        targets = []
        for tag in fig.find_all(["img", "source", "a"]):
            url = tag.get("src") or tag.get("srcset") or tag.get("href") or ""
            if url and not url.startswith(("#", "http")):
                targets.append(urlparse(urljoin("http://x/" + page, url.split()[0])).path)
        out.append((fig["id"], " ".join(fig.get_text(" ").split()), targets))
    return out


def test_every_page_has_the_same_figures_text_and_link_targets(built_site, zensical_site):
    pages = sorted(k for k in _files(built_site) if k.endswith("index.html") and not k.startswith("embed/"))
    assert pages == sorted(k for k in _files(zensical_site) if k.endswith("index.html") and not k.startswith("embed/"))
    for page in pages:
        assert _figures(built_site, page) == _figures(zensical_site, page), page
        main = [BeautifulSoup((s / page).read_text(encoding="utf-8"), "html.parser").select_one("article")
                for s in (built_site, zensical_site)]
        texts = [" ".join(m.get_text(" ").split()) if m else "" for m in main]
        assert texts[0] and texts[0] == texts[1], f"{page}: article text differs between engines"
