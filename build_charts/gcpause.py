"""A pause of Python's cyclic garbage collector around bulk work that makes many objects and no cycles.

Why: reading a large dataset or building a chart's tables makes hundreds of thousands of small objects
(dicts, YAML events, models); the collector's repeated passes over them took a third of the time of
loading 100 times today's data. Reference counting still frees everything; cycles wait for the resume.
In a process that ends after one build (`one_shot()`), the objects a pause made are then frozen: they live
to the end anyway, and full collections walking them cost 0.7 s after loading 100x the data.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_ONE_SHOT = False


def one_shot() -> None:
    """Declare that this process ends after one build (`make build`, the CLI): see `gc_paused`.

    Why not always: the preview lives for hours; frozen objects are never collected if they form cycles, so
    each rebuild would keep the last one's garbage.
    """
    global _ONE_SHOT
    _ONE_SHOT = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Collector off inside the block, back to how it was after (nested pauses are fine)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if _ONE_SHOT:
                gc.freeze()  # out of the collector's sight; reference counting still frees them
            gc.enable()
