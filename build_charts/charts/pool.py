"""Where charts are drawn: in this process, or in worker processes when several charts need drawing.

Why processes: vl-convert runs one JavaScript runtime per process and Altair holds the GIL, so threads
would leave the second core idle. Workers are sent each chart's table, its datasets' meta and the sources
it cites, never whole datasets (pickling records would cost more than drawing).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import vl_convert as vlc

from ..data import Data
from ..data.strict_yaml import Located
from . import CHARTS
from .base import ChartDef, Table
from .outputs import chart_files
from .spec import VL_VERSION

Job = tuple[ChartDef, Table, Data]
"""(chart, its table, what the chart needs of the data: see `needed`)."""


def needed(defn: ChartDef, data: Data, table: Table) -> Data:
    """What a worker is sent besides the table: the chart's datasets without source positions, and cited sources.

    Records stay: the credits name the producers of their figures.
    """
    slim = {d: replace(data.datasets[d], located=Located(data=None)) for d in defn.datasets}
    return Data(slim, {sid: data.sources[sid] for sid in table.source_ids()})


def _draw_by_id(chart_id: str, table: Table, data: Data) -> dict[str, bytes]:
    """`chart_files` in a worker, which finds the chart by id (a ChartDef holds functions, which do not pickle)."""
    return chart_files(CHARTS[chart_id], data, table)


def _watch_parent(parent: int) -> None:
    """In a worker: end when the process that started it has gone (a killed preview leaves no workers)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _start_worker(parent: int) -> None:
    """In a new worker: watch the parent, go quiet, and start vl-convert's runtime before the first chart."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # errors come back as exceptions; inherited pipes must not be held open
        os.dup2(devnull, fd)
    os.close(devnull)
    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}}, vl_version=VL_VERSION)


class Renderer:
    """Draws charts; with `processes` > 1 on a machine with several cores, in a pool kept until `close()`."""

    def __init__(self, processes: int = 2) -> None:
        self.processes = min(processes, os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers now (the preview does, so an editor's first data edit does not wait for them)."""
        if self.processes > 1 and self._pool is None:
            # `spawn`, not fork: a fork of a process whose JavaScript runtime already started can deadlock.
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(os.getpid(),))

    def draw(self, jobs: list[Job]) -> dict[str, dict[str, bytes]]:
        """Every job's files by chart id; a failing chart raises its ChartError."""
        if len(jobs) < 2 or self.processes < 2:
            return {defn.id: chart_files(defn, data, table) for defn, table, data in jobs}
        self.start()
        assert self._pool is not None
        futures = {defn.id: self._pool.submit(_draw_by_id, defn.id, table, data) for defn, table, data in jobs}
        return {cid: future.result() for cid, future in futures.items()}

    def close(self) -> None:
        """Stop the workers (they also stop by themselves when this process ends)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
