"""Building blocks shared by every dataset model: text, ids, status, figures, meta.

Models shape the data (pydantic, `extra="forbid"`). Every field carries a docstring: it becomes the
field's description in the JSON Schema (editors' completion) and on the Methodology page. Checks
that span fields are methods marked `@rule(...)`, run by `issues()` with the exact field they
concern, so a problem points at the right line and the page lists every rule from the code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .dates import IsoDate
from .rules import Issue, Path, rule, rules_of

__all__ = ["IsoDate", "Issue", "Path", "rule"]

_MARKUP = (
    (re.compile(r"\{\{|\}\}|\{%|%\}"), "a reference or template tag ({{ ... }}, {% ... %}) cannot be part of a data "
     "text: write the words or the number itself (references belong in the pages, not in the data)"),
    (re.compile(r"\{:"), "'{:' starts a Markdown attribute list, which cannot be part of a data text: rephrase, or "
     "put a space between the two characters"),
    (re.compile(r"\]\("), "'](' makes a Markdown link, which cannot be part of a data text: write the link as a "
     "source (sources.yaml) and cite it, or put a space between the two characters"),
)
"""Text that Markdown or the reference expander would read as syntax. Why refuse it at validation: values
are inserted inertly anyway (refs.inert), but a data text holding them is always a mistake or an attack, and
`make check` should name the data file's line, not a page's."""

MAX_COUNT = 2**53
"""The largest whole number every reader of the downloads (JavaScript, JSON, spreadsheets) keeps exactly."""


def _plain(value: str) -> str:
    """A data text as plain words: refuse what the pages would read as markup or a reference."""
    for pattern, message in _MARKUP:
        if pattern.search(value):
            raise ValueError(message)
    return value


Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=600),
                 AfterValidator(_plain)]
ShortText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=160),
                      AfterValidator(_plain)]
RecordId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Status = Literal["reported", "claimed", "estimate", "proposed"]
STATUSES: tuple[str, ...] = ("reported", "claimed", "estimate", "proposed")


class Strict(BaseModel):
    """Base: unknown fields are errors, strings are not coerced from numbers, field docstrings are descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    def issues(self) -> Iterator[Issue]:
        """Problems of this model's rules, then of every model nested in its fields (paths relative to self)."""
        for _summary, check in rules_of(type(self)):
            yield from check(self)
        for name in type(self).model_fields:
            value = getattr(self, name)
            items = value if isinstance(value, (list, tuple)) else [value]
            for i, item in enumerate(items):
                if isinstance(item, Strict):
                    prefix: Path = (name, i) if isinstance(value, (list, tuple)) else (name,)
                    for path, message in item.issues():
                        yield (*prefix, *path), message


class Variant(Strict):
    """One source's version of a number; several variants show a disagreement."""

    value: Annotated[float, Field(ge=0, le=MAX_COUNT, strict=True, allow_inf_nan=False)] | None = None
    """The number as the source gives it, in digits (3.5); leave it out when the source gives no number."""
    qualifier: Literal["about", "at least", "more than", "up to"] | None = None
    """How the source hedges the number ("about 650"); leave it out for an exact figure."""
    sources: list[RecordId] | None = None
    """Ids (from sources.yaml) of the sources giving this version; each must also be in the record's sources."""
    by: ShortText | None = None
    """Who produced this figure (whose count it is) when not the dataset's `meta.producer`, e.g. President Zelensky,
    Russia's defence ministry. Chart credits name producers first; an interception share divides only figures of
    one producer."""
    note: Text | None = None
    """What the figure counts, shown to readers; or the account in words when there is no value."""
    withdrawn: Text | None = None
    """Why the source later withdrew or corrected this figure; kept in tables, never drawn or quoted."""

    @rule("Each version of a figure has a value, or a note that gives the account in words.")
    def _value_or_note(self) -> Iterator[Issue]:
        if self.value is None and self.note is None:
            yield ("value",), ("this entry has neither a value nor a note: add `value:` with the number, "
                               "or a `note:` saying in words what the source reported")

    @rule("A figure's `by` names one body (or two joined by 'and'), without commas: credit lines list producers.")
    def _one_producer(self) -> Iterator[Issue]:
        if self.by and ("," in self.by or ";" in self.by):
            yield ("by",), (f"'{self.by}' reads as a list in a chart's credit line: name the body without commas "
                            "(\"deputy head of the Presidential Office Oleksii Kuleba\"), and leave the outlet that "
                            "carried the figure to `sources`")

    def label(self) -> str:
        """The value as text, with its qualifier ("about 650")."""
        if self.value is None:
            return self.note or ""
        number = f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,g}"
        return f"{self.qualifier} {number}" if self.qualifier else number


class CountVariant(Variant):
    """A variant whose value is a whole count."""

    value: Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)] | None = None
    """The count as the source gives it, a whole number in digits without separators (1200)."""


Figure = Annotated[list[Variant], Field(min_length=1)]
Count = Annotated[list[CountVariant], Field(min_length=1)]


def producer_of(variant: Variant, meta: Meta) -> str | None:
    """Whose count a figure is: its own `by`, else the dataset's producer (None when neither is recorded)."""
    return variant.by or meta.producer


V = TypeVar("V", bound=Variant)
"""A kind of variant (a count or any number): `standing` keeps it."""


def standing(figure: Sequence[V] | None) -> list[V]:
    """The variants that stand: withdrawn or corrected figures are left out of charts and sums."""
    return [v for v in figure or [] if v.withdrawn is None]


def low(figure: Sequence[Variant] | None) -> float | None:
    """Smallest standing numeric value of a figure (None when no variant has a number)."""
    values = [v.value for v in standing(figure) if v.value is not None]
    return min(values) if values else None


def high(figure: Sequence[Variant] | None) -> float | None:
    """Largest standing numeric value of a figure."""
    values = [v.value for v in standing(figure) if v.value is not None]
    return max(values) if values else None


def figure_label(figure: Sequence[Variant] | None, *, numeric_only: bool = False) -> str:
    """All variants as readers see them ("51 or 53"); `numeric_only` drops note-only accounts (for chart labels)."""
    if not figure:
        return ""
    variants = [v for v in (standing(figure) if numeric_only else figure) if v.value is not None or not numeric_only]
    return " or ".join(dict.fromkeys(v.label() for v in variants))


class Change(Strict):
    """A dated note on what changed in a dataset (feeds Changes & corrections)."""

    date: IsoDate
    """The day of the change."""
    description: Text
    """What changed, in one or two sentences readers can follow."""
    kind: Literal["addition", "update", "correction"] = "update"
    """addition (new records), update (newer figures) or correction (a mistake put right)."""


class Gap(Strict):
    """A period in which the dataset is known to be incomplete; charts mark it, so no records never reads as none."""

    start: IsoDate
    """First day of the incomplete period."""
    end: IsoDate
    """Last day of the incomplete period (on or after start)."""
    reason: Text
    """Why records are missing for the period, shown to readers."""

    @rule("A collection gap ends on or after the day it starts.")
    def _end_after_start(self) -> Iterator[Issue]:
        if self.end < self.start:
            yield ("end",), end_before_start(self.start, self.end)


class Meta(Strict):
    """Dataset-level metadata: what it is, its unit, how current, how to cite."""

    title: ShortText
    """The dataset's name as readers see it."""
    description: Text
    """What the dataset covers and leaves out, in plain words."""
    units: ShortText
    """What the numbers count (e.g. "drones and missiles per strike (count)")."""
    as_of: IsoDate
    """The day the data is current to; no record may be dated after it. Raise it when you add newer data."""
    producer: ShortText | None = None
    """The body whose figures most records give (e.g. Ukraine's air force, the IAEA), named first in chart credits;
    a figure's `by` names another producer."""
    licence: ShortText
    """The licence readers may reuse the data under (e.g. CC BY 4.0)."""
    cite: Text
    """How readers should cite the dataset."""
    changes: list[Change] = []
    """Dated notes of additions, updates and corrections, listed on the Changes & corrections page."""
    gaps: list[Gap] = []
    """Periods in which the dataset is known to be incomplete; charts mark them."""


class Record(Strict):
    """Fields every record has: an id, a reader-visible status and its sources."""

    id: RecordId
    """Unique id in this file: lower-case letters, digits and hyphens (e.g. 2025-12-06)."""
    status: Status
    """What kind of figure it is, shown to readers: reported (official), claimed (one party), estimate, proposed."""
    sources: Annotated[list[RecordId], Field(min_length=1)]
    """Ids of the sources (from sources.yaml) the record rests on, e.g. [ap-2025-12-06]."""

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        """Each (field, date) of the record, for the 'no date after as_of' rule."""
        return iter(())

    def figures(self) -> Iterator[tuple[str, list[Variant]]]:
        """Each (field, figure) whose variants may cite sources."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, list) and value and isinstance(value[0], Variant):
                yield name, value

    def cited(self) -> set[str]:
        """Every source id this record cites."""
        return set(self.sources)


def end_before_start(start: Any, end: Any) -> str:
    """The one message for an end date before its start, wherever the pair is."""
    return f"end {end} is before start {start}: correct one of the two dates (end is the last day)"
