"""The MkDocs plugin of the live preview (`make serve`): the staging step in memory, data watching, the error banner.

Builds (`make build`, releases) stage the tree on disk and build it without this plugin. In `mkdocs serve`,
MkDocs keeps one instance of a plugin that defines `on_startup` for the whole session, so the state lives
on it. Five moving parts, no more:

1. the watcher: MkDocs' own, told in `on_serve` to watch the data folder and the chart code too;
2. this plugin's state: the last site built from valid data, the staged pages, the problems to show;
3. one renderer: a pool of worker processes started with the session, drawing the charts an edit changed;
4. one cache: the render cache on disk (`.cache/renders`), which keeps the newest few versions of each chart;
5. the fallback chain for broken data: the last valid data of the session, else the data as last committed
   to git, else the pages with a notice in place of each chart. A broken edit never leaves an empty preview.

Every file a page links to (images, CSV, JSON, titled SVG, PNG, embed pages) is made before the pages are
built, so nothing the preview links to is missing.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import build_charts
from build_charts import DataError
from build_charts.charts.cache import code_changed
from build_charts.charts.pool import Renderer
from build_charts.charts.spec import ChartError
from build_charts.site.generate import GENERATED_PAGES, PLACEHOLDER, Site, make_site
from build_charts.site.refs import REF
from build_charts.site.security import policy
from build_charts.site.settings import Settings
from build_charts.site.staging import Staged, StageError, read_docs, split_front_matter, stage
from build_charts.site.templates import block
from publish.headers import write_headers
from publish.version import version_info


def say(message: str, level: str = "ERROR") -> None:
    """Print a problem in MkDocs' format.

    Why not MkDocs' logger: in strict mode its errors abort the build, and the preview must keep serving.
    """
    print(f"{level:<7} -  {message}", flush=True)

CODE_CHANGED = ("the chart code (build_charts/) changed since the preview started, and the preview still draws "
                "with the code it started with: stop it (Ctrl+C) and run `make serve` again to see the change")
"""Why a notice and not a reload: the preview and its render workers keep the modules they imported."""
NO_DATA_NOTICE = '<p class="chart-missing"><strong>Chart not shown:</strong> the data has problems (listed above).</p>'


def committed_data(root: Path, data_rel: str = "data") -> Path | None:
    """The data folder as last committed to git, exported into `.cache/committed-data/` (None without git)."""
    listing = subprocess.run(["git", "ls-tree", "--name-only", f"HEAD:{data_rel}"], cwd=root, capture_output=True,
                             text=True, check=False)
    if listing.returncode != 0:
        return None
    out = root / ".cache" / "committed-data"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*"):
        old.unlink()
    for name in listing.stdout.split():
        if name.endswith((".yaml", ".yml")):
            shown = subprocess.run(["git", "show", f"HEAD:{data_rel}/{name}"], cwd=root, capture_output=True,
                                   check=False)
            if shown.returncode == 0:
                (out / name).write_bytes(shown.stdout)
    return out


def without_data(docs: dict[str, bytes]) -> Staged:
    """Pages with every chart and data reference replaced by a notice: the last resort, never a blank preview."""
    out = Staged()
    for path, content in docs.items():
        if not path.endswith(".md"):
            out.files[path] = content
            continue
        text = content.decode("utf-8")
        text = PLACEHOLDER.sub(lambda m: NO_DATA_NOTICE if m.group(1) == "chart" else "", text)
        out.pages[path] = REF.sub("[…]", text)
    for path, title in GENERATED_PAGES.items():
        out.pages.setdefault(path, f"# {title}\n\nThis page is made from the data, which has problems (see above).\n")
    return out


def inputs_key(settings: Settings) -> str:
    """What everything generated from the data depends on, besides the code: the data files and the settings."""
    h = hashlib.sha256(repr((settings.site_url, sorted((k, str(v)) for k, v in settings.config["extra"].items())))
                       .encode())
    for path in sorted(settings.data_dir.glob("*.y*ml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def local_only(app: Callable[..., Iterable[bytes]], host: str, port: int) -> Callable[..., Iterable[bytes]]:
    """The preview's web app, answering only requests addressed to this machine, and refusing NUL in paths.

    Why: a web page elsewhere can point its own host name at 127.0.0.1 (DNS rebinding) and read unpublished
    edits through the reader's browser; a request must name the loopback address the preview listens on.
    """
    allowed = {f"{name}:{port}" for name in (host, "127.0.0.1", "localhost", "[::1]")}

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_HOST", "") not in allowed:
            start_response("421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"This preview answers only on its own loopback address.\n"]
        if "\0" in unquote(environ.get("PATH_INFO", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Bad request.\n"]
        return app(environ, start_response)

    return guarded


class ExplainerPlugin(BasePlugin):
    """The preview's state and its MkDocs events (see the module docstring for the five moving parts)."""

    def __init__(self) -> None:
        self.serving = False
        self.renderer: Renderer | None = None
        self.version: dict[str, str] = {}
        self.last_good: Site | None = None
        self.key = ""
        """The inputs `last_good` was made from: a rebuild with the same inputs (a page edit) reuses it."""
        self.staged = Staged()
        self.problems: list[str] = []
        self.banner_title = ""

    # Why: remember whether we are previewing (a broken edit then keeps a site on screen) and start the
    # renderer's workers now, so the editor's first data edit does not wait for them.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.renderer = Renderer()
        if self.serving:
            self.renderer.start()

    # Why: stop the workers with the server.
    def on_shutdown(self) -> None:
        if self.renderer is not None:
            self.renderer.close()

    # Why: validate, render and stage once per build, before any page is read.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        self.version = self.version or version_info(root)
        settings = Settings.from_config(root, {**dict(config), "extra": dict(config.extra)}, version=self.version)
        config.extra["csp"] = policy(frame_ancestors=None)
        self.problems, self.banner_title = [], ""
        try:
            docs = read_docs(settings.docs_dir)
        except StageError as exc:
            raise PluginError(str(exc)) from None
        site = self._site(settings)
        if site is None:
            self.staged = without_data(docs)
            # Links to generated downloads cannot resolve without data; the banner says why.
            config.validation.links.not_found = logging.INFO
            return config
        self.staged = stage(site, docs, "mkdocs", on_error=self._page_problem(docs))
        if self.serving and code_changed():
            self._problem([CODE_CHANGED], "The chart code changed since the preview started")
        return config

    def _site(self, settings: Settings) -> Site | None:
        """The site of this build, or the fallback chain's when the data is broken (outside the preview: an error)."""
        key = inputs_key(settings)
        if key == self.key and self.last_good is not None:
            return self.last_good  # a page edit: the data did not change, so nothing made from it did
        try:
            self.last_good, self.key = make_site(settings, renderer=self.renderer), key
            return self.last_good
        except (DataError, ChartError) as exc:
            if not self.serving:
                raise PluginError(str(exc)) from None
            problems = list(exc.problems) if isinstance(exc, DataError) else [str(exc)]
        site, what = self.last_good, "the preview shows the last valid data until it is fixed"
        if site is None:
            site, what = self._committed(settings), "the preview shows the data as last committed until it is fixed"
        if site is None:
            what = "the preview hides the charts until it is fixed"
        count = len(problems)
        self._problem([str(p) for p in problems], f"The data has {count} problem{'s' if count != 1 else ''}; {what}")
        say(what[0].upper() + what[1:] + ".")
        return site

    def _committed(self, settings: Settings) -> Site | None:
        folder = committed_data(settings.root, settings.data_dir.relative_to(settings.root).as_posix())
        if folder is None:
            return None
        try:
            return make_site(Settings.from_config(settings.root, {**settings.config, "extra": {
                **settings.config["extra"], "data_dir": str(folder)}}, version=self.version), renderer=self.renderer)
        except (DataError, ChartError):
            return None

    def _problem(self, problems: list[str], title: str) -> None:
        for message in problems:
            say(message)
        self.problems = [*self.problems, *problems]
        self.banner_title = self.banner_title or title

    def _page_problem(self, docs: dict[str, bytes]) -> Callable[[str, StageError], str]:
        def keep_raw(path: str, exc: StageError) -> str:
            if not self.serving:
                raise PluginError(str(exc))
            self._problem([str(exc)], "A page has a problem; it shows its text unexpanded")
            return docs[path].decode("utf-8") if path in docs else ""

        return keep_raw

    # Why: generated pages and files (charts, downloads, feeds) live in memory only, never in docs/.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path in sorted(set(self.staged.pages) | set(self.staged.files)):
            if files.get_file_from_path(path) is None:
                content = self.staged.pages.get(path)
                files.append(File.generated(config, path, content=content if content is not None
                                            else self.staged.files[path]))
        return files

    # Why: the page's Markdown is the staged one (references and placeholders already expanded).
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        if src not in self.staged.pages:
            return markdown
        page.meta.update(self.staged.meta.get(src, {}))
        return split_front_matter(self.staged.pages[src])[1]

    # Why: every page says when the data is broken, so an editor sees the message where they look.
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.problems:
            return html
        return block("banner", self.banner_title, self.problems) + html

    # Why: editors change data and chart code, not only docs/; and the preview answers only on loopback.
    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
                 ) -> LiveReloadServer:
        root = Path(config.config_file_path).resolve().parent
        for folder in (root / str(config.extra.get("data_dir") or "data"), Path(build_charts.__file__).parent):
            if folder.is_dir():
                server.watch(str(folder))
        host, port = server.server_address[:2]
        # Why the cast: LiveReloadServer sets its app (serve_request) when it is made; get_app allows None for none set.
        app = cast("Callable[..., Iterable[bytes]]", server.get_app())
        server.set_app(local_only(app, str(host), int(port)))
        return server

    # Why: the security headers files (_headers, the nginx snippet) belong to every built site.
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        write_headers(Path(config.site_dir))
