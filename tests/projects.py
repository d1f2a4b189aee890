"""Throwaway copies of the project for tests that build or serve it."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_RENDERS = ROOT / ".cache" / "test-renders"
"""Renders of the frozen data, made once and shared by every fixture project (conftest's `fixture_rendered`)."""


@functools.cache
def _fixture_renders() -> Path:
    from build_charts import load_data
    from build_charts.charts.render import render_data

    render_data(load_data(FIXTURES / "data"), FIXTURE_RENDERS)
    return FIXTURE_RENDERS


def fixture_project(dest: Path, *, render_cache: bool = True) -> Path:
    """The site's code, config and assets with the frozen pages and data (tests/fixtures): fixed content.

    With `render_cache`, the project starts with the frozen data's charts in its render cache, so a build of it
    draws only the charts its test changed.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("overrides", "publish"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    for page in (FIXTURES / "docs").glob("*.md"):
        shutil.copy(page, dest / "docs" / page.name)
    shutil.copytree(FIXTURES / "data", dest / "data")
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, dest / name)
    if render_cache:
        shutil.copytree(_fixture_renders(), dest / ".cache" / "renders")
    return dest
