"""Rendered chart files kept on disk by what they depend on, so an edit re-renders only the charts it touches.

One folder per chart and key (`.cache/renders/CHART/KEY/`), written whole or not at all; the newest few
keys of each chart are kept and older ones deleted, so a long preview session does not fill the disk.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

import vl_convert as vlc

from ..data import Data
from .base import ChartDef, Table
from .spec import VL_VERSION, dumps

log = logging.getLogger("build_charts")
PACKAGE = Path(__file__).parents[1]


def code_on_disk() -> str:
    """Hash of this package's code as the files are now."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@functools.cache
def code_digest() -> str:
    """Hash of the code this process runs, taken once: a long-lived process keeps the code it imported."""
    return code_on_disk()


def code_changed() -> bool:
    """Whether the package's files changed since this process imported them (the preview must restart)."""
    return code_on_disk() != code_digest()


def cache_key(defn: ChartDef, data: Data, table: Table) -> str:
    """What a chart's files depend on: its datasets' bytes, the sources it cites, the code and the renderer."""
    cited = [data.sources[sid].model_dump(mode="json") for sid in table.source_ids()]
    # vl_convert's stubs leave out __version__, which the compiled module has.
    version = vlc.__version__  # type: ignore[attr-defined]
    parts = [VL_VERSION, version, code_digest(), defn.id, {d: data[d].digest for d in defn.datasets}, cited]
    return hashlib.sha256(dumps(parts)).hexdigest()[:20]


class RenderCache:
    """Chart files by chart id and key; `folder=None` keeps nothing (every chart is rendered)."""

    def __init__(self, folder: Path | None, keep: int = 3) -> None:
        self.folder = folder
        self.keep = keep
        """Keys kept per chart: the current one and the few an editor may undo back to."""

    def get(self, chart_id: str, key: str) -> dict[str, bytes] | None:
        """The files stored for this chart and key, or None."""
        if self.folder is None:
            return None
        entry = self.folder / chart_id / key
        if not entry.is_dir():
            return None
        os.utime(entry)  # used now: eviction keeps it
        return {p.name: p.read_bytes() for p in sorted(entry.iterdir())}

    def put(self, chart_id: str, key: str, files: dict[str, bytes]) -> None:
        """Store files (the folder appears whole, by rename), then drop this chart's oldest keys."""
        if self.folder is None:
            return
        chart_dir = self.folder / chart_id
        try:
            chart_dir.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=chart_dir))
            for name, content in files.items():
                (tmp / name).write_bytes(content)
            try:
                tmp.rename(chart_dir / key)
            except OSError:  # another build stored the same key first: same bytes
                shutil.rmtree(tmp, ignore_errors=True)
            self._evict(chart_dir)
        except OSError as exc:  # a cache that cannot be written only costs time
            log.warning("render cache not written (%s)", exc)

    def _evict(self, chart_dir: Path) -> None:
        entries = sorted((p for p in chart_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[self.keep:]:
            shutil.rmtree(old, ignore_errors=True)
