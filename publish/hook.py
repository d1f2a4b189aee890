"""The one MkDocs hook: validate data, add generated files in memory, expand placeholders.

Everything it adds comes from `build_charts` (framework-free); generated files
are never written into docs/ or data/, so `mkdocs serve` does not loop.
"""

from __future__ import annotations

import re
import sys
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import build_charts
from build_charts import DataError
from build_charts.charts.render import ChartError
from build_charts.site.generate import BLOCKS, PLACEHOLDER, SiteBuild, build_site_files, chart_pages
from publish import state
from publish.headers import write_headers
from publish.version import version_info

KINDS = BLOCKS | {"chart"}


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


# Why: remember that we are previewing, so a broken data edit keeps the last good site on screen.
def on_startup(command: str, dirty: bool) -> None:
    state.serving = command == "serve"


# Why: validate and render once per build, before any page is read; data errors stop the build cleanly.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _root(config)
    data_dir = root / config.extra.get("data_dir", "data")
    if not config.extra.get("version"):
        config.extra["version"] = version_info(root)
    try:
        state.current = build_site_files(data_dir, site_url=config.site_url or "",
                                         cache_dir=root / ".cache" / "renders",
                                         pages=chart_pages(Path(config.docs_dir)),
                                         version=config.extra["version"])
    except DataError as exc:
        if not (state.serving and state.last_good is not None):
            raise PluginError(str(exc)) from None
        # Preview only: print the problems, keep serving the last good data with a banner on every page.
        print(f"ERROR   -  {exc}\nERROR   -  Showing the last valid data until the file is fixed.", file=sys.stderr)
        state.problems = list(exc.problems)
        state.current = state.last_good
        return config
    except ChartError as exc:  # names the chart and the reason in one line
        raise PluginError(str(exc)) from None
    state.last_good, state.problems = state.current, []
    return config


# Why: generated files (charts, downloads, embed pages, feeds, generated pages) live in memory only.
def on_files(files: Files, config: MkDocsConfig) -> Files:
    site: SiteBuild = state.current
    for path, content in sorted(site.files.items()):
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content=content))
    return files


# Why: check placeholders against the chart registry with a page:line error, and pick the social image.
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site: SiteBuild = state.current
    first_chart = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            kind, arg = match.group(1), match.group(2)
            where = f"docs/{page.file.src_uri}:{number}"
            if kind not in KINDS:
                if arg is not None:  # `<!-- chrat: x -->` would otherwise vanish silently
                    raise PluginError(f"{where}: unknown placeholder '{kind}' (known: {', '.join(sorted(KINDS))})")
                continue
            if kind == "chart" and arg not in site.charts:
                known = ", ".join(sorted(site.charts))
                raise PluginError(f"{where}: unknown chart id '{arg}' (known: {known})")
            if kind == "chart" and first_chart is None:
                first_chart = arg
    lead = first_chart or site.default_chart
    page.meta.setdefault("og_image", f"charts/{lead}/{lead}.png")
    page.meta.setdefault("as_of", site.as_of_label)
    return markdown


# Why: expand placeholders in the HTML, where Markdown can no longer touch the generated markup.
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site: SiteBuild = state.current
    seen = {"chart": 0}

    def url(path: str) -> str:
        rel = get_relative_url(path, page.url)
        return rel + "/" if path.endswith("/") and not rel.endswith("/") else rel

    def expand(match: re.Match[str]) -> str:
        kind, arg = match.group(1), match.group(2)
        if kind not in KINDS:
            return match.group(0)
        if kind == "chart":
            seen["chart"] += 1
            return site.figure(arg, url, eager=seen["chart"] == 1)
        return site.block(kind, url)

    html = PLACEHOLDER.sub(expand, html)
    if state.problems:
        items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in state.problems)
        html = (f'<div class="admonition failure data-error" role="alert"><p class="admonition-title">'
                f"The data has {len(state.problems)} problem(s); showing the last valid data</p><ul>{items}</ul></div>"
                + html)
    return html


# Why: editors change data and chart code, not only docs/; reload the preview for those too.
def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = _root(config)
    for folder in (root / config.extra.get("data_dir", "data"), Path(build_charts.__file__).parent):
        if folder.is_dir():
            server.watch(str(folder))
    return server


# Why: the security headers must match the built pages (hashes of Material's inline scripts).
def on_post_build(config: MkDocsConfig) -> None:
    write_headers(Path(config.site_dir))
