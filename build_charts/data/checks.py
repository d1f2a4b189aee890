"""Checks that need a whole file or several files: unique ids, as_of, source and record references.

Each check is registered with the sentences the Methodology page lists, so the page's list of
checks is generated from the code that runs. One mistake gives one problem: a mistyped source id
is reported once, with the ids it most likely meant, and the source it meant is not also reported
as unused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem
from .messages import near_ids, one_of
from .models.common import Record
from .models.datasets import DATASET_MODELS, Event
from .strict_yaml import Path as KeyPath

if TYPE_CHECKING:
    from .loader import Dataset

REGISTRY = "sources"
Datasets = Mapping[str, "Dataset"]
CheckFn = Callable[[Datasets], Iterator[Problem]]
CHECKS: list[tuple[tuple[str, ...], CheckFn]] = []
"""Every file-level and cross-file check with the sentences that describe it, in the order they run."""


def check(*summaries: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check; `summaries` are what the field reference lists for it."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append((summaries, fn))
        return fn

    return register


def run_checks(datasets: Datasets) -> list[Problem]:
    """Every registered check over the datasets that loaded."""
    return [problem for _, fn in CHECKS for problem in fn(datasets)]


def records_key(ds: Dataset) -> str:
    """The top-level key holding a file's entries ('sources' in the registry, 'records' elsewhere)."""
    return REGISTRY if ds.id == REGISTRY else "records"


def _at(ds: Dataset, path: KeyPath, field: str, message: str) -> Problem:
    line, column = ds.located.position(path)
    return Problem(ds.path, line, column, field, message)


def _lines(places: list[int] | list[str]) -> str:
    shown = ", ".join(str(n) for n in places[:5])
    return shown + (f" and {len(places) - 5} more" if len(places) > 5 else "")


@check("Ids are unique within a file.")
def _unique_ids(datasets: Datasets) -> Iterator[Problem]:
    for ds in datasets.values():
        key = records_key(ds)
        noun = "source" if key == REGISTRY else "record"
        first: dict[str, int] = {}
        for i, record in enumerate(ds.records):
            if record.id in first:
                line = ds.located.position((key, first[record.id], "id"))[0]
                yield _at(ds, (key, i, "id"), "id", f"id '{record.id}' is already used by the {noun} at line {line}: "
                                                    f"give each {noun} its own id")
            first.setdefault(record.id, i)


def _late_dates(ds: Dataset) -> list[tuple[KeyPath, str, dt.date, object]]:
    """(path, field, date, owner) of every date after the file's as_of."""
    as_of = ds.meta.as_of
    late: list[tuple[KeyPath, str, dt.date, object]] = [(("meta", "gaps", i, "start"), "start", gap.start, gap)
            for i, gap in enumerate(ds.meta.gaps) if gap.start > as_of]
    key = records_key(ds)
    for i, record in enumerate(ds.records):
        for name, day in record.dates():
            if day > as_of:
                parts = tuple(int(p) if p.isdigit() else p for p in name.split("."))
                late.append(((key, i, *parts), str(parts[-1]), day, record))
    return late


@check("Nothing is dated after its file's meta.as_of (records, sources' published and accessed dates, collection "
       "gaps); meetings not yet held (scheduled, postponed or cancelled) may lie ahead.")
def _nothing_after_as_of(datasets: Datasets) -> Iterator[Problem]:
    for ds in datasets.values():
        late = _late_dates(ds)
        if not late:
            continue
        as_of, as_of_line = ds.meta.as_of, ds.located.position(("meta", "as_of"))[0]
        latest = max(day for _, _, day, _ in late)
        owners = list(dict.fromkeys(id(owner) for *_, owner in late))
        if len(owners) == 1:
            path, field, day, owner = late[0]
            held = isinstance(owner, Event) and owner.event_status == "held"
            tail = "; a meeting still to come is scheduled, not held" if held else ""
            yield _at(ds, path, field, f"{day} is after this file's as_of date ({as_of}, line {as_of_line}): "
                                       f"raise as_of to {latest} if the data now runs that far, or correct this "
                                       f"date{tail}")
            continue
        lines = sorted({ds.located.position(path)[0] for path, *_ in late})
        yield _at(ds, ("meta", "as_of"), "as_of",
                  f"as_of {as_of} is earlier than dates in {len(owners)} entries (lines {_lines(lines)}): raise "
                  f"as_of to {latest}, the latest of them, or correct those dates")


def _unknown(sid: str, known: set[str], beside: list[str], elsewhere: list[str]) -> tuple[str, list[str]]:
    """The message for an unregistered id, and the registered ids it most likely meant."""
    guesses = [g for g in near_ids(sid, known) if g not in beside]
    also = f" (also cited at {_lines(elsewhere)})" if elsewhere else ""
    if guesses:
        return (f"'{sid}' is not in sources.yaml{also}; did you mean {one_of(guesses)}? If it is a new source, "
                "add it to sources.yaml"), guesses
    return (f"'{sid}' is not in sources.yaml{also}: add the source there (id, publisher, title, url, published, "
            "accessed, tier), or correct the id"), []


Citation = tuple["Dataset", KeyPath, list[str]]
"""Where a source id is cited: the file, the path of the id, and the ids listed beside it."""


def _citations(ds: Dataset, i: int, record: Record) -> Iterator[tuple[str, Citation, bool]]:
    """Every source id record `i` cites, in file order: (id, where, whether it is in a figure)."""
    lists: list[tuple[KeyPath, list[str], bool]] = [(("records", i, "sources"), list(record.sources), False)]
    lists += [(("records", i, "revisions", k, "sources"), list(rev.sources), False)
              for k, rev in enumerate(getattr(record, "revisions", ()))]
    lists += [(("records", i, name, k, "sources"), list(variant.sources or []), True)
              for name, figure in record.figures() for k, variant in enumerate(figure)]
    lists += [(("records", i, *where), sids, False) for where, sids in getattr(record, "nested_sources", tuple)()]
    for where, sids, in_figure in sorted(lists, key=lambda item: ds.located.position(item[0])):
        for j, sid in enumerate(sids):
            yield sid, (ds, (*where, j), sids), in_figure


@check("Every source id a record, figure or revision cites is registered in sources.yaml.",
       "A figure's sources are also listed in its record's sources.",
       "Every source in sources.yaml is cited by at least one record (text_only sources: by a page).")
def _source_references(datasets: Datasets) -> Iterator[Problem]:
    registry = datasets.get(REGISTRY)
    known = {s.id for s in registry.records} if registry else set()
    unknown: dict[str, list[Citation]] = {}
    used: set[str] = set()
    for name, ds in datasets.items():
        if name == REGISTRY:
            continue
        for i, record in enumerate(ds.records):
            used |= record.cited()
            unlisted = []
            for sid, citation, in_figure in _citations(ds, i, record):
                if registry is not None and sid not in known:
                    unknown.setdefault(sid, []).append(citation)
                elif in_figure and sid not in record.sources:
                    unlisted.append((sid, citation))
            # A figure citing the right id that the record's list mistypes is the same mistake: reported once.
            typos = {g for sid in record.sources if sid in unknown for g in near_ids(sid, known)}
            record_line = ds.located.position(("records", i, "sources"))[0]
            for sid, (where_ds, where, _) in unlisted:
                if sid not in typos:
                    yield _at(where_ds, where, "sources",
                              f"'{sid}' is cited here but missing from this record's sources (line {record_line}): "
                              "add it there too, or correct the id")
    meant: set[str] = set()
    for sid, citations in unknown.items():
        (ds, where, beside), rest = citations[0], citations[1:]
        elsewhere = [f"{'line ' if c[0] is ds else Path(c[0].path).name + ' line '}{c[0].located.position(c[1])[0]}"
                     for c in rest]
        message, guesses = _unknown(sid, known, beside, list(dict.fromkeys(elsewhere)))
        meant.update(guesses)
        yield _at(ds, where, "sources", message)
    # Why only with every dataset loaded: when one failed, every source only it cites would look unused.
    if registry is None or not all(name in datasets for name in DATASET_MODELS):
        return
    for i, source in enumerate(registry.records):
        if source.id not in used and source.id not in meant and not source.text_only:
            yield _at(registry, (REGISTRY, i, "id"), "id",
                      f"source '{source.id}' is not cited by any record: cite it in a record's sources, or delete "
                      "it from sources.yaml")


@check("An outage's strike names a record in strikes.yaml; superseded_by and part_of name a record in the same file.")
def _record_references(datasets: Datasets) -> Iterator[Problem]:
    ids = {name: {r.id for r in ds.records} for name, ds in datasets.items()}
    for name, ds in datasets.items():
        for i, record in enumerate(ds.records):
            for field_name, target in (("strike", "strikes"), ("superseded_by", name), ("part_of", name)):
                ref = getattr(record, field_name, None)
                if ref is None or target not in ids or ref in ids[target]:
                    continue
                guesses = near_ids(ref, ids[target] - {record.id})
                hint = f"; did you mean {one_of(guesses)}?" if guesses else ": correct the id, or remove the line"
                yield _at(ds, ("records", i, field_name), field_name,
                          f"no record in {target}.yaml has the id '{ref}'{hint}")


from . import (  # noqa: E402  (registered after the checks above, in this order)
    checks_drafts,  # noqa: F401  (registers the peace drafts' cross-file checks, after these)
    checks_monthly,  # noqa: F401  (the monthly tallies against the strikes, after these)
)
