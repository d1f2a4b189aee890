"""Strict, atomic site build: build into a temporary folder, then swap it into `site/`.

A failed build leaves the previous `site/` exactly as it was, and prints the
error without a traceback for data problems.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError


def build_site(root: Path, site_dir: Path, *, config_file: str = "mkdocs.yml", extra: dict | None = None) -> None:
    """Build the site into `site_dir` atomically (raises Abort on failure, leaving it untouched)."""
    root = root.resolve()
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    try:
        config = load_config(config_file=str(root / config_file), site_dir=str(tmp), strict=True)
        if extra:
            config.extra.update(extra)
        build(config)
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


def main() -> int:
    """`python -m publish.build [SITE_DIR]`: strict atomic build (default `site/`)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("site")
    try:
        build_site(Path(os.getcwd()), target)
    except (Abort, ConfigurationError) as exc:
        print(f"Build failed; {target}/ was left as it was. {exc}", file=sys.stderr)
        return 1
    print(f"Site built into {target}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
