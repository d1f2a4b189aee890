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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from build_charts import DataError
from build_charts.charts.spec import ChartError
from build_charts.gcpause import one_shot
from build_charts.site.generate import Site, make_site
from build_charts.site.settings import Settings
from build_charts.site.staging import (
    ENGINES,
    Engine,
    StageError,
    derived_config,
    overrides,
    read_docs,
    stage,
    write_tree,
)
from publish.headers import write_headers
from publish.version import version_info


class BuildFailed(Exception):
    """A build that stopped for a reason an editor can fix; the message says which file and line."""


def settings_for(root: Path, *, config_file: str = "mkdocs.yml", extra: Mapping[str, Any] | None = None,
                 version: dict[str, str] | None = None) -> Settings:
    """The project's settings with this checkout's version (`extra` overrides mkdocs.yml's `extra`)."""
    return Settings.load(root, config_file=config_file, extra=extra, version=version or version_info(root))


def stage_tree(settings: Settings, engine: Engine = "mkdocs", *, site_dir: Path | None = None) -> tuple[Path, Site]:
    """Write the staged tree for `engine` into `.cache/stage/ENGINE/`; return that folder and the site."""
    try:
        site = make_site(settings)
        staged = stage(site, read_docs(settings.docs_dir), engine)
    except (DataError, ChartError, StageError) as exc:
        raise BuildFailed(str(exc)) from None
    derived = derived_config(settings.config, engine, site_url=settings.site_url, version=settings.version)
    # Zensical writes only inside its project folder: it builds into the stage and the result is moved.
    derived["site_dir"] = "site" if engine == "zensical" or site_dir is None else str(site_dir)
    out = settings.cache_dir / "stage" / engine
    write_tree(staged, derived, out, overrides(settings.root, settings.config, engine))
    return out, site


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


def build_site(settings: Settings, site_dir: Path, *, engine: Engine = "mkdocs") -> Site:
    """Build the site into `site_dir` atomically (raises BuildFailed, leaving it untouched)."""
    site_dir = site_dir if site_dir.is_absolute() else settings.root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    try:
        stage_dir, site = stage_tree(settings, engine, site_dir=tmp)
        _engine_build(engine, stage_dir, tmp)
        write_headers(tmp)
        old = site_dir.with_name(site_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if site_dir.exists():
            site_dir.rename(old)
        tmp.rename(site_dir)
        if old.exists():
            shutil.rmtree(old)
        return site
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def main(argv: list[str] | None = None) -> int:
    """`python -m publish.build [SITE_DIR] [--engine mkdocs|zensical]`: strict atomic build (default `site/`)."""
    parser = argparse.ArgumentParser(prog="python -m publish.build", description=__doc__.split("\n")[0])
    parser.add_argument("site_dir", nargs="?", default="site", type=Path)
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    one_shot()
    try:
        build_site(settings_for(Path(os.getcwd())), args.site_dir, engine=args.engine)
    except BuildFailed as exc:
        print(f"Build failed; {args.site_dir}/ was left as it was.\n{exc}", file=sys.stderr)
        return 1
    print(f"Site built with {args.engine} into {args.site_dir}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
