"""Strict, atomic site build: stage the source tree, build it with an engine, swap it into `site/`.

`build_charts` stages one complete tree (pages expanded, generated files, a derived config) into
`.cache/stage/ENGINE/`; MkDocs + Material (default) or Zensical builds it into a temporary folder,
which then replaces `site/`. A failed build leaves the previous `site/` exactly as it was, and
prints the error without a traceback for data or page problems.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from build_charts import DataError
from build_charts.charts.render import ChartError
from build_charts.gcpause import one_shot
from build_charts.site.generate import SiteBuild, build_site_files, chart_pages
from build_charts.site.staging import (
    ENGINES,
    Engine,
    StageError,
    derived_config,
    overrides,
    read_docs,
    site_url_from,
    stage,
    write_files,
    write_tree,
)
from publish.headers import write_headers
from publish.version import version_info


class BuildFailed(Exception):
    """A build that stopped for a reason an editor can fix; the message says which file and line."""


def read_config(root: Path, config_file: str = "mkdocs.yml") -> dict[str, Any]:
    """The site config as plain data (mkdocs.yml holds no Python tags)."""
    return yaml.safe_load((root / config_file).read_text(encoding="utf-8")) or {}


def site_build(root: Path, config: dict[str, Any], *, site_url: str, version: dict[str, str],
               page_first: bool = False, defer: bool = False) -> SiteBuild:
    """Validate the data and render every generated file (charts from the render cache when unchanged)."""
    docs = root / config.get("docs_dir", "docs")
    data_dir = root / (config.get("extra") or {}).get("data_dir", "data")
    return build_site_files(data_dir, site_url=site_url, cache_dir=root / ".cache" / "renders",
                            pages=chart_pages(docs), version=version,
                            corrections=str((config.get("extra") or {}).get("corrections") or ""),
                            page_first=page_first, defer=defer)


def stage_tree(root: Path, engine: Engine = "mkdocs", *, config_file: str = "mkdocs.yml",
               version: dict[str, str] | None = None, site_dir: Path | None = None,
               extra: dict[str, Any] | None = None, defer: bool = False) -> tuple[Path, SiteBuild]:
    """Write the staged tree for `engine` into `.cache/stage/ENGINE/`; return that folder and the site.

    `extra` overrides mkdocs.yml's `extra` (tests build from fixture data with `{"data_dir": ...}`). With
    `defer`, charts still being rendered are missing from the tree (see `finish_deferred`).
    """
    config = read_config(root, config_file)
    config["extra"] = {**(config.get("extra") or {}), **(extra or {})}
    version = version or version_info(root)
    url = site_url_from(config)
    try:
        site = site_build(root, config, site_url=url, version=version, defer=defer)
        staged = stage(site, read_docs(root / config.get("docs_dir", "docs")), engine)
    except (DataError, ChartError, StageError) as exc:
        raise BuildFailed(str(exc)) from None
    derived = derived_config(config, engine, site_url=url, version=version)
    # Zensical writes only inside its project folder: it builds into the stage and the result is moved.
    derived["site_dir"] = "site" if engine == "zensical" or site_dir is None else str(site_dir)
    out = root / ".cache" / "stage" / engine
    write_tree(staged, derived, out, overrides(root, config, engine))
    return out, site


def finish_deferred(site: SiteBuild, built: Path) -> None:
    """Put the charts that were rendered while the engine built the pages into the built site.

    Why: the engine's half of a clean build (about a second) ran while the render workers drew the
    charts, instead of after them. Their files are written into the built folder and every page gets the
    images' sizes; a chart that failed fails the build (the built folder is then thrown away).
    """
    try:
        changed = site.settle()
    except ChartError as exc:
        raise BuildFailed(str(exc)) from None
    write_files(built, changed)
    if changed:
        for page in built.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            filled = site.fill(text)
            if filled != text:
                page.write_text(filled, encoding="utf-8")


def _engine_build(engine: Engine, stage_dir: Path, site_dir: Path) -> None:
    if engine == "mkdocs":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort, ConfigurationError

        try:
            build(load_config(config_file=str(stage_dir / "mkdocs.yml"), site_dir=str(site_dir), strict=True))
        except (Abort, ConfigurationError) as exc:
            raise BuildFailed(str(exc)) from None
        return
    zensical = Path(sys.executable).with_name("zensical")
    command = [str(zensical) if zensical.exists() else "zensical", "build", "--strict", "-f",
               str(stage_dir / "mkdocs.yml")]
    done = subprocess.run(command, cwd=stage_dir, capture_output=True, text=True, check=False)
    if done.returncode != 0 or "No issues found" not in done.stdout + done.stderr:
        raise BuildFailed(f"zensical build failed:\n{done.stdout}{done.stderr}")
    shutil.rmtree(site_dir)
    (stage_dir / "site").rename(site_dir)


def build_site(root: Path, site_dir: Path, *, config_file: str = "mkdocs.yml", extra: dict | None = None,
               engine: Engine = "mkdocs") -> None:
    """Build the site into `site_dir` atomically (raises BuildFailed, leaving it untouched)."""
    root = root.resolve()
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    try:
        version = (extra or {}).get("version") or version_info(root)
        stage_dir, site = stage_tree(root, engine, config_file=config_file, version=version, site_dir=tmp,
                                     extra={k: v for k, v in (extra or {}).items() if k != "version"}, defer=True)
        try:
            _engine_build(engine, stage_dir, tmp)
        finally:
            finish_deferred(site, tmp)  # also when the engine failed: the workers' errors name the chart
        write_headers(tmp)
        old = site_dir.with_name(site_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if site_dir.exists():
            site_dir.rename(old)
        tmp.rename(site_dir)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def main(argv: list[str] | None = None) -> int:
    """`python -m publish.build [SITE_DIR] [--engine mkdocs|zensical]`: strict atomic build (default `site/`)."""
    parser = argparse.ArgumentParser(prog="python -m publish.build", description=__doc__.split("\n")[0])
    parser.add_argument("site_dir", nargs="?", default="site", type=Path)
    parser.add_argument("--engine", choices=ENGINES, default=os.environ.get("ENGINE") or "mkdocs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    one_shot()
    try:
        build_site(Path(os.getcwd()), args.site_dir, engine=args.engine)
    except BuildFailed as exc:
        print(f"Build failed; {args.site_dir}/ was left as it was.\n{exc}", file=sys.stderr)
        return 1
    print(f"Site built with {args.engine} into {args.site_dir}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
