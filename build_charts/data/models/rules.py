"""Cross-field rules of a model: methods marked with the sentence the Methodology page lists.

Why a decorator: the page's list of checks is read from the same methods that run, so the
documentation cannot drift from the code. A rule yields `(path, message)` issues; the path is
relative to the model, so the loader can point at the exact line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

Path = tuple[str | int, ...]
Issue = tuple[Path, str]
"""A cross-field problem: path of the offending value (relative to the model) and the message."""
RuleFn = Callable[[Any], Iterator[Issue]]

_MARK = "__rule_summary__"


def rule(summary: str) -> Callable[[RuleFn], RuleFn]:
    """Mark a method as a cross-field check; `summary` is the sentence the field reference lists."""

    def mark(fn: RuleFn) -> RuleFn:
        setattr(fn, _MARK, summary)
        return fn

    return mark


@functools.cache
def rules_of(model: type) -> tuple[tuple[str, RuleFn], ...]:
    """Every rule a model runs, base classes first; a subclass method of the same name replaces the base one.

    Cached per class: it is asked once per record and per nested value, and classes do not change.
    """
    found: dict[str, RuleFn] = {}
    for klass in reversed(model.__mro__):
        for name, fn in vars(klass).items():
            if callable(fn) and hasattr(fn, _MARK):
                found[name] = fn
    return tuple((getattr(fn, _MARK), fn) for fn in found.values())


def own_rules(model: type) -> list[str]:
    """The summaries of the rules a model defines itself (for the field reference, so none is listed twice)."""
    return [getattr(fn, _MARK) for fn in vars(model).values() if callable(fn) and hasattr(fn, _MARK)]
