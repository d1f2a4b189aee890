"""Building blocks shared by every dataset model: dates, status, figures, meta.

Models shape the data (pydantic, `extra="forbid"`); each record's `issues()`
adds the cross-field checks a schema cannot express (downed <= launched, ...)
with the exact field they concern, so errors point at the right line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Path = tuple[str | int, ...]
Issue = tuple[Path, str]
"""A cross-field problem: path of the offending value (relative to the record) and message."""


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=600)]
ShortText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=160)]
RecordId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Status = Literal["reported", "claimed", "estimate", "proposed"]
STATUSES: tuple[str, ...] = ("reported", "claimed", "estimate", "proposed")


class Strict(BaseModel):
    """Base: unknown fields are errors, strings are not coerced from numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Variant(Strict):
    """One source's version of a number; several variants show a disagreement."""

    value: Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)] | None = None
    qualifier: Literal["about", "at least", "more than", "up to"] | None = None
    sources: list[RecordId] | None = None
    note: Text | None = None
    withdrawn: Text | None = None
    """Why the source later withdrew or corrected this figure; kept in tables, never drawn or quoted."""

    def label(self) -> str:
        """The value as text, with its qualifier ("about 650")."""
        if self.value is None:
            return self.note or ""
        number = f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,g}"
        return f"{self.qualifier} {number}" if self.qualifier else number


class CountVariant(Variant):
    """A variant whose value is a whole count."""

    value: Annotated[int, Field(ge=0, strict=True)] | None = None  # type: ignore[assignment]


Figure = Annotated[list[Variant], Field(min_length=1)]
Count = Annotated[list[CountVariant], Field(min_length=1)]


def standing(figure: list[Any] | None) -> list[Any]:
    """The variants that stand: withdrawn or corrected figures are left out of charts and sums."""
    return [v for v in figure or [] if v.withdrawn is None]


def low(figure: list[Any] | None) -> float | None:
    """Smallest standing numeric value of a figure (None when no variant has a number)."""
    values = [v.value for v in standing(figure) if v.value is not None]
    return min(values) if values else None


def high(figure: list[Any] | None) -> float | None:
    """Largest standing numeric value of a figure."""
    values = [v.value for v in standing(figure) if v.value is not None]
    return max(values) if values else None


def figure_label(figure: list[Any] | None, *, numeric_only: bool = False) -> str:
    """All variants as readers see them ("51 or 53"); `numeric_only` drops note-only accounts (for chart labels)."""
    if not figure:
        return ""
    variants = [v for v in (standing(figure) if numeric_only else figure) if v.value is not None or not numeric_only]
    return " or ".join(dict.fromkeys(v.label() for v in variants))


class Change(Strict):
    """A dated note on what changed in a dataset (feeds Changes & corrections)."""

    date: IsoDate
    description: Text
    kind: Literal["addition", "update", "correction"] = "update"


class Gap(Strict):
    """A period in which the dataset is known to be incomplete; charts mark it, so no records never reads as none."""

    start: IsoDate
    end: IsoDate
    reason: Text


class Meta(Strict):
    """Dataset-level metadata: what it is, its unit, how current, how to cite."""

    title: ShortText
    description: Text
    units: ShortText
    as_of: IsoDate
    licence: ShortText
    cite: Text
    changes: list[Change] = []
    gaps: list[Gap] = []


class Record(Strict):
    """Fields every record has: an id, a reader-visible status and its sources."""

    id: RecordId
    status: Status
    sources: Annotated[list[RecordId], Field(min_length=1)]

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        """Each (field, date) of the record, for the 'no date after as_of' rule."""
        return iter(())

    def figures(self) -> Iterator[tuple[str, list[Variant]]]:
        """Each (field, figure) whose variants may cite sources."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, list) and value and isinstance(value[0], Variant):
                yield name, value

    def issues(self) -> Iterator[Issue]:
        """Cross-field problems of this record; overridden by datasets that have rules."""
        for name, figure in self.figures():
            for i, variant in enumerate(figure):
                if variant.value is None and variant.note is None:
                    yield (name, i, "value"), "a variant needs a value, or a note that gives a non-numeric account"
                for sid in variant.sources or []:
                    if sid not in self.sources:
                        yield (name, i, "sources"), f"source '{sid}' is not listed in the record's sources"

    def cited(self) -> set[str]:
        """Every source id this record cites."""
        return set(self.sources)


def exceeds(issue_path: Path, small: float | None, big_name: str, big: float | None) -> Iterator[Issue]:
    """An issue when `small` (e.g. downed) is larger than `big` (e.g. launched)."""
    if small is not None and big is not None and small > big:
        yield issue_path, f"{small:,g} exceeds {big_name} {big:,g}"
