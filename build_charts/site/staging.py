"""The staging step: one complete source tree that any site engine can build.

Pages come out with their references and placeholders already expanded and their front matter
filled in (description, social image, data date); generated files (charts, downloads, feeds,
generated pages) sit beside them; a derived config points at the tree. MkDocs + Material builds
it today and Zensical builds the same tree, so nothing the reader sees depends on an engine's
hooks or plugins. Engines differ in one thing that matters here: Zensical rewrites relative URLs
in raw HTML as if they were relative to the source `.md` file, MkDocs leaves them alone (so they
must be relative to the page's URL). `url_for(engine, src)` writes each URL the way its engine
will read it.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from .generate import BLOCKS, PLACEHOLDER, SiteBuild, UrlFor
from .refs import RefError, expand

Engine = Literal["mkdocs", "zensical"]
ENGINES: tuple[Engine, ...] = ("mkdocs", "zensical")
KINDS = BLOCKS | {"chart"}
ARTICLE_HIDE = ("navigation", "toc")
"""Pages are articles: no documentation sidebars beside the story (site navigation stays in the header tabs
and, on phones, the menu). A page's own `hide` front matter overrides this."""
_CITE = re.compile(r"\{\{\s*cite:([^}|]+?)\s*\}\}")
_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)


class StageError(ValueError):
    """A page that cannot be staged: an unknown placeholder, chart or reference, with page:line."""


@dataclass
class Staged:
    """The complete source tree: pages (Markdown with front matter) and files, by docs-relative path."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Front matter of each page after staging (what the engine will read)."""


def page_url(src: str) -> str:
    """The directory URL a page is served at: 'energy.md' -> 'energy/', 'index.md' -> ''."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def url_for(engine: Engine, src: str) -> UrlFor:
    """A function from site paths ('charts/x/x.svg', 'sources/#src-a') to URLs as `engine` reads them on `src`."""
    base = page_url(src) if engine == "mkdocs" else posixpath.dirname(src)

    def url(path: str) -> str:
        target, hash_, anchor = path.partition("#")
        if not target:
            return path
        rel = posixpath.relpath(target.rstrip("/") or ".", base.rstrip("/") or ".")
        if target.endswith("/") and not rel.endswith("/"):
            rel = "./" if rel == "." else rel + "/"
        return rel + hash_ + anchor

    return url


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a Markdown page."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict):
        raise StageError("front matter must be a mapping")
    return meta, text[match.end():]


def join_front_matter(meta: dict[str, Any], body: str) -> str:
    """A page with its front matter (keys in a stable order)."""
    if not meta:
        return body
    head = yaml.safe_dump(meta, sort_keys=True, allow_unicode=True, width=1000)
    return f"---\n{head}---\n{body}"


def check_placeholders(body: str, site: SiteBuild, where: str, offset: int = 0) -> list[str]:
    """Chart ids placed on the page, in order; unknown kinds or charts fail with page:line."""
    charts = []
    for number, line in enumerate(body.split("\n"), start=1 + offset):
        for match in PLACEHOLDER.finditer(line):
            kind, arg = match.group(1), match.group(2)
            if kind not in KINDS:
                if arg is not None:  # `<!-- chrat: x -->` would otherwise vanish silently
                    raise StageError(f"{where}:{number}: unknown placeholder '{kind}' (known: {', '.join(sorted(KINDS))})")
                continue
            if kind == "chart":
                if arg not in site.charts:
                    raise StageError(f"{where}:{number}: unknown chart id '{arg}' (known: {', '.join(sorted(site.charts))})")
                charts.append(arg)
    return charts


def stage_page(src: str, text: str, site: SiteBuild, engine: Engine, *, where: str | None = None) -> tuple[str, dict]:
    """One page with references and placeholders expanded, and its front matter completed."""
    where = where or src
    meta, body = split_front_matter(text)
    offset = text[: len(text) - len(body)].count("\n")
    charts = check_placeholders(body, site, where, offset)
    try:
        body = expand(body, site.data, site.as_of_label, where, offset=offset)
        meta = {k: expand(v, site.data, site.as_of_label, where, markdown=False) if isinstance(v, str) else v
                for k, v in meta.items()}
    except RefError as exc:
        raise StageError(str(exc)) from None
    url = url_for(engine, src)
    seen = {"chart": 0}

    def fill(match: re.Match[str]) -> str:
        kind, arg = match.group(1), match.group(2)
        if kind not in KINDS:
            return match.group(0)
        if kind == "chart":
            seen["chart"] += 1
            return site.figure(arg, url, eager=seen["chart"] == 1)
        return site.block(kind, url)

    body = PLACEHOLDER.sub(fill, body)
    lead = charts[0] if charts else site.default_chart
    meta.setdefault("og_image", f"charts/{lead}/{lead}.png")
    meta.setdefault("as_of", site.as_of_label)
    meta.setdefault("hide", list(ARTICLE_HIDE))
    return join_front_matter(meta, body), meta


def stage(site: SiteBuild, docs: dict[str, bytes], engine: Engine,
          on_error: Callable[[str, StageError], str] | None = None) -> Staged:
    """The whole tree for `engine`: source docs (pages expanded, other files as they are) plus generated files.

    `docs` maps docs-relative paths to their bytes; a generated file never replaces a source file.
    `on_error(path, error)` may return a page's text instead of raising (the preview shows the problem).
    """
    out = Staged()
    pages = {**site.generated_pages(lambda src: url_for(engine, src))}
    for path, content in docs.items():
        if path.endswith(".md"):
            pages[path] = content.decode("utf-8")
        else:
            out.files[path] = content
    for path, text in sorted(pages.items()):
        where = f"docs/{path}" if path in docs else f"(generated) {path}"
        try:
            out.pages[path], out.meta[path] = stage_page(path, text, site, engine, where=where)
        except StageError as exc:
            if on_error is None:
                raise
            out.pages[path], out.meta[path] = on_error(path, exc), {}
    for path, content in site.files.items():
        out.files.setdefault(path, content)
    cited = {m.group(1).strip() for text in pages.values() for m in _CITE.finditer(text)}
    unused = sorted(s.id for s in site.data.sources.values() if s.text_only and s.id not in cited)
    if unused and on_error is None:
        raise StageError(f"data/sources.yaml: text_only sources that no page cites: {', '.join(unused)}; "
                         "cite them with {{ cite:ID }} or remove them")
    return out


def read_docs(docs_dir: Path) -> dict[str, bytes]:
    """Every file of the docs folder by relative path (hidden files skipped)."""
    files = {}
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            files[rel] = path.read_bytes()
    return files


MKDOCS_ONLY_OVERRIDES = frozenset({"partials/search.html"})
"""Template overrides written against Material for MkDocs' partials; Zensical's partial of the same name
is a different component (its header search), so the staged tree for Zensical leaves them out."""


def overrides(root: Path, config: dict[str, Any], engine: Engine) -> dict[str, bytes]:
    """The theme's template overrides that apply to `engine`, by path relative to the overrides folder."""
    custom = (config.get("theme") or {}).get("custom_dir")
    if not custom:
        return {}
    files = read_docs(root / custom)
    return {k: v for k, v in files.items() if engine == "mkdocs" or k not in MKDOCS_ONLY_OVERRIDES}


def derived_config(config: dict[str, Any], engine: Engine, *, site_url: str,
                   version: dict[str, str]) -> dict[str, Any]:
    """The site config for the staged tree: docs in `docs/`, overrides in `overrides/`, no hooks."""
    derived = dict(config)
    derived["docs_dir"] = "docs"
    derived.pop("hooks", None)
    derived["site_url"] = site_url
    theme = dict(derived.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = "overrides"
    if engine == "zensical":
        theme["variant"] = "classic"  # Material's look; Zensical's own look is the default otherwise
    derived["theme"] = theme
    derived["extra"] = {**dict(derived.get("extra") or {}), "version": dict(version)}
    return derived


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write files given by path relative to `folder`, making their folders."""
    for rel, content in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def write_tree(staged: Staged, config: dict[str, Any], out: Path, theme_files: dict[str, bytes]) -> None:
    """Write the staged tree, the theme overrides and the config into `out` (replacing what was there)."""
    if out.exists():
        shutil.rmtree(out)
    write_files(out / "overrides", theme_files)
    write_files(out / "docs", {rel: text.encode("utf-8") for rel, text in staged.pages.items()})
    write_files(out / "docs", staged.files)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def site_url_from(config: dict[str, Any], environ: dict[str, str] | None = None) -> str:
    """The address the site is published at: `SITE_URL` from the environment wins over mkdocs.yml."""
    env = os.environ if environ is None else environ
    url = env.get("SITE_URL") or config.get("site_url") or ""
    return url if not url or url.endswith("/") else url + "/"

