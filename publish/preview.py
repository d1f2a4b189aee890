"""What the live preview shows: the staged tree, or the last valid data with the problems on every page.

An editor's broken edit must never leave them with nothing: during a session the preview keeps the
last valid data; at start-up (the server restarted the next morning) it falls back to the data as
last committed to git; with neither, pages still render, with each chart replaced by a notice.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from build_charts import DataError
from build_charts.charts.render import (
    ChartError,
    code_changed,
    complete_downloads,
    hold_background,
    warm_workers,
)
from build_charts.site.generate import GENERATED_PAGES, PLACEHOLDER, SiteBuild
from build_charts.site.refs import REF
from build_charts.site.staging import (
    Staged,
    StageError,
    read_docs,
    site_url_from,
    split_front_matter,
    stage,
    write_files,
)
from publish import state
from publish.build import site_build
from publish.version import version_info


class PreviewError(Exception):
    """A problem that must stop a non-preview build (the message names file and line)."""


def body(page: str) -> str:
    """A staged page without its front matter (MkDocs has read the source's already)."""
    return split_front_matter(page)[1]


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


def _committed_site(root: Path, config: dict[str, Any], site_url: str, version: dict[str, str]) -> SiteBuild | None:
    folder = committed_data(root, (config.get("extra") or {}).get("data_dir", "data"))
    if folder is None:
        return None
    try:
        return site_build(root, {**config, "extra": {**(config.get("extra") or {}), "data_dir": str(folder)}},
                          site_url=site_url, version=version)
    except (DataError, ChartError):
        return None


def _without_data(docs: dict[str, bytes]) -> Staged:
    """Pages with every chart and data reference replaced by a notice: the last resort, never a blank preview."""
    notice = '<p class="chart-missing"><strong>Chart not shown:</strong> the data has problems (listed above).</p>'
    out = Staged()
    for path, content in docs.items():
        if not path.endswith(".md"):
            out.files[path] = content
            continue
        text = content.decode("utf-8")
        text = PLACEHOLDER.sub(lambda m: notice if m.group(1) == "chart" else "", text)
        out.pages[path] = REF.sub("[…]", text)
    for path, title in GENERATED_PAGES.items():
        out.pages.setdefault(path, f"# {title}\n\nThis page is made from the data, which has problems (see above).\n")
    return out


def _inputs_key(data_dir: Path, site_url: str, extra: dict[str, Any]) -> str:
    """What everything generated from the data depends on, besides the code: the data files' bytes and settings."""
    h = hashlib.sha256(repr((site_url, sorted((k, str(v)) for k, v in extra.items()))).encode())
    for path in sorted(data_dir.glob("*.y*ml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _complete_in_background(site: SiteBuild, cache_dir: Path) -> None:
    """Queue, for after this build, the chart downloads the preview left out (titled SVG, PNG).

    A later rebuild serves them; `after_build` queues them once the pages are out, and the background worker
    is held while MkDocs builds (`hold_background`).
    """
    state.downloads = (site, cache_dir)


def _queue_downloads() -> None:
    if state.downloads is None:
        return
    site, cache_dir = state.downloads
    state.downloads = None
    try:
        complete_downloads(site.data, cache_dir, {cid: rendered.table for cid, (_d, rendered) in site.charts.items()})
    except Exception as exc:  # a failed background render must not take the preview down
        print(f"WARNING -  chart downloads not queued: {exc}", flush=True)


CODE_CHANGED = ("the chart code (build_charts/) changed since the preview started, and the preview still draws "
                "with the code it started with: stop it (Ctrl+C) and run `make serve` again to see the change")
"""Why a notice and not a reload: the preview and its render workers keep the modules they imported."""


def _plain(config: MkDocsConfig) -> dict[str, Any]:
    return {"docs_dir": config.docs_dir, "site_url": config.site_url, "extra": dict(config.extra)}


def refresh(root: Path, config: MkDocsConfig, *, serving: bool) -> None:
    """Validate, render and stage for this (re)build; in the preview, never fail on a data or page problem."""
    if not config.extra.get("version"):
        config.extra["version"] = state.version or version_info(root)
        state.version = config.extra["version"]
    plain = _plain(config)
    site_url = site_url_from(plain)
    docs = read_docs(Path(config.docs_dir))
    state.problems, state.banner_title = [], ""
    state.deferred, state.settled, state.settled_files, state.late_problems = None, None, {}, []
    state.downloads = None
    site: SiteBuild | None
    key = _inputs_key(root / (plain["extra"].get("data_dir") or "data"), site_url, plain["extra"])
    try:
        if key == state.site_key and state.last_good is not None:
            site = state.last_good  # a page edit: the data did not change, so neither did anything made from it
        else:
            # The preview shows a data edit first and makes the chart downloads (titled SVG, PNG) after it. Once
            # it has a valid site to fall back on, MkDocs builds the pages while the workers draw the changed
            # charts (`settle` waits for them when a page first needs them).
            defer = serving and state.last_good is not None
            site = site_build(root, plain, site_url=site_url, version=config.extra["version"], page_first=serving,
                              defer=defer)
            if site.renders is not None:
                state.deferred = (site, key)
            else:
                state.last_good, state.site_key = site, key
                if serving:
                    _complete_in_background(site, root / ".cache" / "renders")
        if serving and not state.workers_warmed:
            state.workers_warmed = True
            warm_workers()
    except (DataError, ChartError) as exc:
        if not serving:
            raise PreviewError(str(exc)) from None
        state.problems = list(exc.problems) if isinstance(exc, DataError) else [str(exc)]
        print(f"ERROR   -  {exc}", flush=True)
        site = state.last_good
        what = "the preview shows the last valid data until it is fixed"
        if site is None:
            site = _committed_site(root, plain, site_url, config.extra["version"])
            what = "the preview shows the data as last committed until it is fixed"
        if site is None:
            what = "the preview hides the charts until it is fixed"
        count = len(state.problems)
        state.banner_title = f"The data has {count} problem{'s' if count != 1 else ''}; {what}"
        print(f"ERROR   -  {what[0].upper()}{what[1:]}.", flush=True)
    if site is None:
        state.staged = _without_data(docs)
        # Links to generated downloads cannot resolve without data; the banner says why, so they must not
        # abort the preview (MkDocs' own setting for how loudly a missing link target is reported).
        config.validation.links.not_found = logging.INFO
        return
    errors: list[str] = []

    def keep_raw(path: str, exc: StageError) -> str:
        if not serving:
            raise PreviewError(str(exc))
        errors.append(str(exc))
        return docs[path].decode("utf-8") if path in docs else ""

    state.staged = stage(site, docs, "mkdocs", on_error=keep_raw)
    if errors:
        state.problems = [*state.problems, *errors]
        state.banner_title = state.banner_title or f"{len(errors)} page problem(s); the page shows its text unexpanded"
        for message in errors:
            print(f"ERROR   -  {message}", flush=True)
    if serving and code_changed():
        state.problems = [*state.problems, CODE_CHANGED]
        state.banner_title = state.banner_title or "The chart code changed since the preview started"
        print(f"WARNING -  {CODE_CHANGED}", flush=True)



DEFERRED_MARK = "<!-- preview: late chart problems -->"
"""Put at the top of each page's content while charts are being drawn; replaced by a banner if one fails."""


def settle(root: Path) -> None:
    """Once per build, when a page first needs them: wait for the charts the workers are drawing.

    A chart that fails keeps its last valid image (the site it falls back on always has one, since only
    rebuilds defer), and every page says so in a banner.
    """
    if state.deferred is None:
        return
    site, key = state.deferred
    state.deferred = None
    pending = [cid for cid, (_defn, rendered) in site.charts.items() if not rendered.files]
    try:
        state.settled_files = site.settle()
    except ChartError as exc:
        previous = state.last_good
        for cid in pending:
            site.charts[cid] = previous.charts[cid]
            old = {f"charts/{cid}/{name}": content for name, content in previous.charts[cid][1].files.items()}
            state.settled_files.update({**old, f"embed/{cid}.html": site.embed(cid)})
        site.files.update(state.settled_files)
        state.late_problems = [str(exc)]
        print(f"ERROR   -  {exc}", flush=True)
        print("ERROR   -  The chart keeps its last valid image until the data is fixed.", flush=True)
    else:
        state.last_good, state.site_key = site, key
        _complete_in_background(site, root / ".cache" / "renders")
    state.settled = site


def late_banner() -> str:
    """The banner for a chart that failed while the pages were built ('' when none did)."""
    if not state.late_problems:
        return ""
    items = "".join(f"<li><code>{escape(p)}</code></li>" for p in state.late_problems)
    return ('<div class="admonition failure data-error" role="alert"><p class="admonition-title">A chart could not '
            "be drawn from the data; it shows its last valid image until the data is fixed</p>"
            f"<ul>{items}</ul></div>")


def finish_page(output: str, root: Path) -> str:
    """A built page with the sizes of the charts drawn meanwhile, and the banner if one failed."""
    if state.deferred is None and state.settled is None:
        return output
    settle(root)
    return state.settled.fill(output).replace(DEFERRED_MARK, late_banner())


def before_build() -> None:
    """At the start of a build: hold the background downloads, so they never slow what the editor waits for."""
    hold_background(True)


def after_build(root: Path, site_dir: Path) -> None:
    """At the end of a build: the chart images that arrived after MkDocs copied the files, then the downloads.

    The background worker may run again once the pages are out.
    """
    settle(root)
    write_files(site_dir, state.settled_files)
    state.settled, state.settled_files = None, {}
    _queue_downloads()
    hold_background(False)
