"""The site's version and commit, for the footer and the "cite this version" text.

Read from pyproject.toml and git; an exact version tag (v1.2.3) wins over the
project version. Outside a git checkout the commit is empty.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path


def _git(root: Path, *args: str, strip: bool = True) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if strip else out.stdout


def version_info(root: Path) -> dict[str, str]:
    """{'version': '0.1.0', 'commit': 'abc123def456', 'epoch': '1772928000'} for this checkout."""
    pyproject = root / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"] if pyproject.exists() else {}
    tag = _git(root, "describe", "--tags", "--exact-match", "--match", "v[0-9]*")
    return {
        "version": tag.removeprefix("v") if tag else str(project.get("version", "0+unknown")),
        "commit": _git(root, "rev-parse", "--short=12", "HEAD"),
        "epoch": _git(root, "log", "-1", "--format=%ct"),
    }


def uncommitted(root: Path) -> list[str]:
    """Files that differ from the commit a release would be labelled with (empty outside git, or when clean).

    Why: a release names its commit; built from edits on top of it, it would not be the commit it names.
    """
    listing = _git(root, "status", "--porcelain", "--untracked-files=all", strip=False)
    return [line[3:] for line in listing.splitlines() if line.strip()]
