"""The MkDocs hook of the live preview (`make serve`): the staging step in memory, data watching, the error banner.

Builds (`make build`, releases) stage the tree on disk and need no hook; this wrapper lets
`mkdocs serve` show the same pages, reload when a data file changes, and keep serving the last
valid data with a banner (file:line and the fix) when an edit breaks it, even at start-up.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import build_charts
from publish import preview, state
from publish.headers import write_headers


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


# Why: remember that we are previewing, so a broken data edit keeps the last good site on screen.
def on_startup(command: str, dirty: bool) -> None:
    state.serving = command == "serve"


# Why: validate, render and stage once per build, before any page is read.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    preview.before_build()
    try:
        preview.refresh(_root(config), config, serving=state.serving)
    except preview.PreviewError as exc:  # only outside `serve`: a build must fail loudly
        raise PluginError(str(exc)) from None
    return config


# Why: generated pages and files (charts, downloads, feeds) live in memory only, never in docs/.
def on_files(files: Files, config: MkDocsConfig) -> Files:
    staged = state.staged
    for path in sorted(set(staged.pages) | set(staged.files)):
        if files.get_file_from_path(path) is None:
            content = staged.pages[path] if path in staged.pages else staged.files[path]
            files.append(File.generated(config, path, content=content))
    return files


# Why: the page's Markdown is the staged one (references and placeholders already expanded).
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src = page.file.src_uri
    if src not in state.staged.pages:
        return markdown
    page.meta.update(state.staged.meta.get(src, {}))
    return preview.body(state.staged.pages[src])


# Why: every page says when the data is broken, so an editor sees the message where they look.
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if state.deferred is not None:
        html = preview.DEFERRED_MARK + html
    if not state.problems:
        return html
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in state.problems)
    head = state.banner_title or f"The data has {len(state.problems)} problem(s)"
    return (f'<div class="admonition failure data-error" role="alert"><p class="admonition-title">{escape(head)}</p>'
            f"<ul>{items}</ul></div>" + html)


# Why: editors change data and chart code, not only docs/; rebuild for those too (a code change gets a banner
# asking for a restart, since the preview keeps the code it imported).
def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = _root(config)
    for folder in (root / config.extra.get("data_dir", "data"), Path(build_charts.__file__).parent):
        if folder.is_dir():
            server.watch(str(folder))
    return server


# Why: a page built while its charts were being drawn gets their sizes (and a banner if one failed).
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return preview.finish_page(output, _root(config))


# Why: chart images drawn while the pages were built arrive after MkDocs copied the generated files; the
# security headers must match the built pages (hashes of Material's inline scripts).
def on_post_build(config: MkDocsConfig) -> None:
    preview.after_build(_root(config), Path(config.site_dir))
    write_headers(Path(config.site_dir))


# Why: a build that stopped must not leave the background downloads held.
def on_build_error(error: Exception) -> None:
    preview.hold_background(False)
