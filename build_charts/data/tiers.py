"""Source tiers: which values rest only on republications, and how the registry divides by tier.

A reader quoting a figure needs to know whether it rests on the body that produced it, a
newsroom's own report, a wire copy, or only on a republication or aggregator. The site flags
values of the last kind; the check command reports them so editors can re-source them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .loader import REGISTRY, Data
from .models.common import Record, standing
from .models.datasets import STRONG_TIERS, TIER_RANK


@dataclass(frozen=True)
class Value:
    """One standing figure (or a record without figures, such as a meeting) and the sources behind it."""

    dataset: str
    record: str
    field: str
    label: str
    sources: tuple[str, ...]


def value_sources(record: Record, variant: Any | None) -> tuple[str, ...]:
    """A variant's own sources, or the record's when the variant names none."""
    own = getattr(variant, "sources", None) if variant is not None else None
    return tuple(own or record.sources)


def values(data: Data) -> Iterator[Value]:
    """Every value readers can see: each standing variant of each figure, and each record without figures."""
    for name, ds in data.datasets.items():
        if name == REGISTRY:
            continue
        for record in ds.records:
            figures = list(record.figures())
            for field_name, figure in figures:
                for variant in standing(figure):
                    if variant.value is not None:
                        yield Value(name, record.id, field_name, variant.label(), value_sources(record, variant))
            if not figures:
                yield Value(name, record.id, "record", record.id, tuple(record.sources))
            for field_name, label, sources in getattr(record, "term_values", tuple)():
                yield Value(name, record.id, field_name, label, sources)


def is_weak(data: Data, sources: tuple[str, ...]) -> bool:
    """True when no source is in the first three tiers (primary, original, wire copy)."""
    return not any(data.sources[s].tier in STRONG_TIERS for s in sources if s in data.sources)


def weak_values(data: Data) -> list[Value]:
    """Values resting only on republications or aggregators: flagged to readers, listed for editors."""
    return [v for v in values(data) if is_weak(data, v.sources)]


def tier_counts(data: Data) -> dict[str, int]:
    """Registry entries per tier, strongest first."""
    counts: Counter[str] = Counter(s.tier for s in data.sources.values())
    return {tier: counts.get(tier, 0) for tier in sorted(TIER_RANK, key=TIER_RANK.__getitem__)}


def best_tier(data: Data, sources: tuple[str, ...]) -> str:
    """The strongest tier among `sources` (for tables: 'primary', 'original', ...)."""
    tiers = [data.sources[s].tier for s in sources if s in data.sources]
    return min(tiers, key=TIER_RANK.__getitem__) if tiers else "republication"
