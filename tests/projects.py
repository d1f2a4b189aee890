"""Throwaway copies of the project for tests that build or serve it."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def fixture_project(dest: Path, *, render_cache: bool = True) -> Path:
    """The site's code, config and assets with the frozen pages and data (tests/fixtures): fixed content."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("overrides", "publish"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    for page in (FIXTURES / "docs").glob("*.md"):
        shutil.copy(page, dest / "docs" / page.name)
    shutil.copytree(FIXTURES / "data", dest / "data")
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, dest / name)
    if render_cache and (ROOT / ".cache" / "renders").exists():
        shutil.copytree(ROOT / ".cache" / "renders", dest / ".cache" / "renders")
    return dest
