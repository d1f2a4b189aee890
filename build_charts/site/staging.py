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

import posixpath
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from .generate import BLOCKS, PLACEHOLDER, Site, UrlFor
from .refs import RefError, expand, expand_text
from .security import policy

Engine = Literal["mkdocs", "zensical"]
ENGINES: tuple[Engine, ...] = ("mkdocs", "zensical")
KINDS = BLOCKS | {"chart"}
PREVIEW_PLUGIN = "explainer"
"""The name of the preview's MkDocs plugin in mkdocs.yml (publish/plugin.py)."""
DEFAULT_CHART = "strikes-volume"
"""The chart whose image stands for a page without charts in link previews."""
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


def check_placeholders(body: str, site: Site, where: str, offset: int = 0) -> list[str]:
    """Chart ids placed on the page, in order; unknown kinds or charts fail with page:line."""
    charts = []
    for number, line in enumerate(body.split("\n"), start=1 + offset):
        for match in PLACEHOLDER.finditer(line):
            kind, arg = match.group(1), match.group(2)
            if kind not in KINDS:
                if arg is not None:  # `<!-- chrat: x -->` would otherwise vanish silently
                    raise StageError(f"{where}:{number}: unknown placeholder '{kind}' "
                                     f"(known: {', '.join(sorted(KINDS))})")
                continue
            if kind == "chart":
                if arg not in site.charts:
                    raise StageError(f"{where}:{number}: unknown chart id '{arg}' "
                                     f"(known: {', '.join(sorted(site.charts))})")
                charts.append(arg)
    return charts


def stage_page(src: str, text: str, site: Site, engine: Engine, *, where: str | None = None,
               generated: bool = False) -> tuple[str, dict[str, Any]]:
    """One page with references and placeholders expanded, and its front matter completed.

    A generated page (Sources, Changes) is made from the data and is never expanded: data text is not a template.
    """
    where = where or src
    meta, body = split_front_matter(text)
    offset = text[: len(text) - len(body)].count("\n")
    charts = [] if generated else check_placeholders(body, site, where, offset)
    if not generated:
        try:
            body = expand(body, site.data, where, offset=offset)
            meta = {k: expand_text(v, site.data, f"{where} front matter '{k}'", attribute=True)
                    if isinstance(v, str) else v for k, v in meta.items()}
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
    lead = charts[0] if charts else DEFAULT_CHART
    meta.setdefault("og_image", f"charts/{lead}/{lead}.png")
    meta.setdefault("as_of", site.as_of_label)
    meta.setdefault("hide", list(ARTICLE_HIDE))
    return join_front_matter(meta, body), meta


def stage(site: Site, docs: dict[str, bytes], engine: Engine,
          on_error: Callable[[str, StageError], str] | None = None) -> Staged:
    """The whole tree for `engine`: source docs (pages expanded, other files as they are) plus generated files.

    `docs` maps docs-relative paths to their bytes; a generated file never replaces a source file.
    `on_error(path, error)` may return a page's text instead of raising (the preview shows the problem).
    """
    out = Staged()
    generated = site.generated_pages(lambda src: url_for(engine, src))
    pages = dict(generated)
    for path, content in docs.items():
        if path.endswith(".md"):
            pages[path] = content.decode("utf-8")
        else:
            out.files[path] = content
    for path, text in sorted(pages.items()):
        where = f"docs/{path}" if path in docs else f"(generated) {path}"
        try:
            out.pages[path], out.meta[path] = stage_page(path, text, site, engine, where=where,
                                                         generated=path in generated and path not in docs)
        except StageError as exc:
            if on_error is None:
                raise
            out.pages[path], out.meta[path] = on_error(path, exc), {}
    for path, content in site.files.items():
        out.files.setdefault(path, content)
    cited = {m.group(1).strip() for path, text in pages.items() if path not in generated
             for m in _CITE.finditer(text)}
    unused = sorted(s.id for s in site.data.sources.values() if s.text_only and s.id not in cited)
    if unused and on_error is None:
        raise StageError(f"data/sources.yaml: text_only sources that no page cites: {', '.join(unused)}; "
                         "cite them with {{ cite:ID }} or remove them")
    return out


def read_docs(docs_dir: Path) -> dict[str, bytes]:
    """Every file of a folder by relative path (hidden files skipped); a symbolic link is refused.

    Why refused: a link to a file outside the project (`.git/config`, a key) would be published with the site.
    """
    files = {}
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        if path.is_symlink():
            raise StageError(f"{docs_dir.name}/{rel}: is a symbolic link, which the site does not publish: "
                             "replace it with the file itself")
        if path.is_file():
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
    # The preview's plugin has nothing to do in a staged tree (pages are already expanded).
    derived["plugins"] = [p for p in derived.get("plugins") or [] if PREVIEW_PLUGIN not in (p if isinstance(p, dict)
                                                                                            else {p: None})]
    derived["site_url"] = site_url
    theme = dict(derived.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = "overrides"
    if engine == "zensical":
        theme["variant"] = "classic"  # Material's look; Zensical's own look is the default otherwise
    derived["theme"] = theme
    derived["extra"] = {**dict(derived.get("extra") or {}), "version": dict(version),
                        "csp": policy(frame_ancestors=None)}
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
