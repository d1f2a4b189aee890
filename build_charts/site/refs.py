"""Prose bound to the data: `{{ strikes.2025-12-06.drones_launched }}` in a page becomes "653".

A figure or date in the narrative that comes from a dataset is written as a reference, so a
corrected record corrects every sentence that quotes it, and "latest" or "largest" statements
are computed rather than typed. The syntax, documented for editors on the Methodology page:

    {{ DATASET.RECORD.FIELD }}              a record's field: {{ strikes.2025-12-06.date }}
    {{ DATASET.RECORD.FIELD | FORMAT }}     with a format:    {{ strikes.2025-12-06.missiles_launched | low }}
    {{ DATASET[KEY=VALUE].@max:FIELD.F }}   the record with the largest FIELD among those matching the filter
    {{ DATASET.@latest.F }} / @first        the most recent / earliest record (by date or start)
    {{ DATASET[KEY=VALUE].@count }}         how many records match
    {{ DATASET.meta.as_of }}                a dataset's meta field; {{ as_of }} is the site's data date
    {{ DATASET.RECORD.FIELD[SOURCE_ID] }}   one source's version of a figure:
                                            {{ strikes.2025-12-06.missiles_launched[dw-2025-12-06] }}
    {{ terms.DRAFT.TOPIC.FIELD }}           a peace draft's term: {{ terms.us-28-point-plan.army_ceiling.position }}
                                            (`terms` is peace_drafts; a draft's topics read as its fields)
    {{ cite:SOURCE_ID }}                    a link to a registered source, its text naming the site it goes to
                                            ("AP, as republished by Dayton Daily News")

A reference that names a missing dataset, record or field fails the build with page:line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from ..charts.base import day_label
from ..data import Data
from ..data.models.common import Variant, figure_label, high, low, standing
from .templates import render

REF = re.compile(r"\{\{\s*(.*?)\s*\}\}")
"""A reference anywhere in a line of a page."""
_PATH = re.compile(r"^(?P<ds>[a-z_]+)(?P<filters>(\[[^\]]*\])*)\.(?P<rec>@?[A-Za-z0-9:_-]+)"
                   r"(\.(?P<field>[a-z0-9_.]+(\[[a-z0-9-]+\])?))?$")
_BY_SOURCE = re.compile(r"^(?P<name>[a-z0-9_]+)\[(?P<source>[a-z0-9-]+)\]$")
_FILTER = re.compile(r"\[([^\]]*)\]")
_INERT = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!|~"} | {ord("\n"): " ", ord("\r"): " "}
"""Characters Markdown (with attr_list and tables) can read as syntax, and line breaks."""


ALIASES = {"terms": "peace_drafts"}
"""Names a reference may use for a dataset: `{{ terms.DRAFT.TOPIC.position }}` reads peace_drafts.yaml."""


class RefError(ValueError):
    """A reference that cannot be resolved; the message says which part and what exists."""


@dataclass(frozen=True)
class Ref:
    """One parsed reference: where to look and how to show it."""

    dataset: str
    filters: tuple[tuple[str, str], ...]
    record: str
    field: str | None
    formats: tuple[str, ...]


def _nearest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=3, cutoff=0.5)
    if close:
        return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"; known: {shown}"


def parse(text: str) -> Ref:
    """Parse the inside of `{{ ... }}`."""
    path, *formats = [part.strip() for part in text.split("|")]
    if path == "as_of":
        return Ref("", (), "as_of", None, tuple(formats))
    match = _PATH.match(path)
    if not match:
        raise RefError(f"'{{{{ {text} }}}}' is not a reference; write {{{{ dataset.record.field }}}}, "
                       "for example {{ strikes.2025-12-06.drones_launched }}")
    filters = []
    for raw in _FILTER.findall(match.group("filters") or ""):
        for cond in raw.split(","):
            key, sep, value = cond.partition("=")
            if not sep or not key.strip():
                raise RefError(f"filter '[{raw}]' must be written [field=value]")
            filters.append((key.strip(), value.strip()))
    return Ref(match.group("ds"), tuple(filters), match.group("rec"), match.group("field"), tuple(formats))


def _when(record: Any) -> dt.date:
    """A record's date for @first and @latest: its date, its start, or its month."""
    return getattr(record, "date", None) or getattr(record, "start", None) or record.month


def _matches(record: Any, filters: tuple[tuple[str, str], ...]) -> bool:
    for key, value in filters:
        if not hasattr(record, key):
            raise RefError(f"filter field '{key}' is not a field of these records"
                           + _nearest(key, sorted(type(record).model_fields)))
        if str(getattr(record, key)) != value:
            return False
    return True


def _by_source(figure: Any, name: str, source: str) -> Variant:
    """The version of a figure that a given source reports (so a sentence crediting it stays right)."""
    if not (isinstance(figure, list) and figure and isinstance(figure[0], Variant)):
        raise RefError(f"'{name}' is not a figure with versions by source")
    # A sentence may quote a withdrawn figure by its source (to say it was withdrawn); standing ones come first.
    mine = [v for v in [*standing(figure), *figure] if source in (v.sources or ())]
    if not mine:
        cited = sorted({s for v in standing(figure) for s in (v.sources or ())})
        raise RefError(f"no version of '{name}' cites '{source}'" + _nearest(source, cited))
    if len({v.label() for v in mine}) > 1 and len({v.label() for v in standing(mine)}) != 1:
        raise RefError(f"'{source}' gives more than one figure for '{name}'")
    return mine[0]


def _field(obj: Any, path: str) -> Any:
    current = obj
    for part in path.split("."):
        keyed = _BY_SOURCE.match(part)
        if keyed:
            return _by_source(_field(current, keyed.group("name")), keyed.group("name"), keyed.group("source"))
        if isinstance(current, (list, tuple)) and part.isdigit():
            index = int(part)
            if index >= len(current):
                raise RefError(f"there is no item {index} in '{path}'")
            current = current[index]
            continue
        fields = sorted(getattr(type(current), "model_fields", {}))
        if part not in fields and hasattr(current, "ref_item"):
            try:
                current = current.ref_item(part)
            except KeyError:
                raise RefError(f"'{part}' is not a field or topic here" + _nearest(part, fields)) from None
            continue
        if part not in fields:
            raise RefError(f"'{part}' is not a field here" + _nearest(part, fields))
        current = getattr(current, part)
    return current


def _pick(data: Data, ref: Ref) -> Any:
    """The record (or the count) a reference points at."""
    name = ALIASES.get(ref.dataset, ref.dataset)
    if name not in data.datasets:
        raise RefError(f"unknown dataset '{ref.dataset}'" + _nearest(ref.dataset, sorted(data.datasets)))
    ds = data[name]
    if ref.record == "meta":
        return ds.meta
    records = [r for r in ds.records if _matches(r, ref.filters)] if ref.filters else list(ds.records)
    if ref.record == "@count":
        return len(records)
    if ref.record.startswith("@") and not records:
        raise RefError(f"no record of {ref.dataset} matches {list(ref.filters)}")
    if ref.record in ("@latest", "@first"):
        ordered = sorted(records, key=lambda r: (_when(r), r.id))
        return ordered[-1] if ref.record == "@latest" else ordered[0]
    if ref.record.startswith(("@max:", "@min:")):
        name = ref.record[5:]
        scored = [(high(_field(r, name)) if ref.record.startswith("@max") else low(_field(r, name)), r)
                  for r in records]
        numbered = [(v, r) for v, r in scored if v is not None]
        if not numbered:
            raise RefError(f"no record of {ref.dataset} has a number in '{name}'")
        best = (max if ref.record.startswith("@max") else min)(v for v, _ in numbered)
        return min((r for v, r in numbered if v == best), key=lambda r: (_when(r), r.id))
    if ref.record.startswith("@"):
        raise RefError(f"unknown selector '{ref.record}'; use @latest, @first, @max:FIELD, @min:FIELD or @count")
    by_id = {r.id: r for r in ds.records}
    if ref.record not in by_id:
        raise RefError(f"no record '{ref.record}' in {ref.dataset}" + _nearest(ref.record, sorted(by_id)))
    record = by_id[ref.record]
    if ref.filters and not _matches(record, ref.filters):
        raise RefError(f"record '{ref.record}' does not match {list(ref.filters)}")
    return record


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _millions(value: float) -> str:
    """House style for large counts: 1.2 million, 10 million (below a million, the plain number)."""
    if value < 1_000_000:
        return _number(value)
    return f"{value / 1_000_000:,.1f}".removesuffix(".0") + " million"


def _figure(value: list[Variant], fmt: str) -> str:
    lo, hi = low(value), high(value)
    if lo is None or hi is None:  # both or neither: they are the ends of the same standing numbers
        raise RefError("no source gives a number here")
    if fmt == "low":
        return _number(lo)
    if fmt == "high":
        return _number(hi)
    if fmt == "range":
        return _number(lo) if lo == hi else f"{_number(lo)} to {_number(hi)}"
    if fmt == "millions":
        parts = dict.fromkeys(f"{v.qualifier} {_millions(v.value)}" if v.qualifier else _millions(v.value)
                              for v in standing(value) if v.value is not None)
        return " or ".join(parts)
    if fmt == "number":
        values = {v.value for v in standing(value) if v.value is not None}
        if len(values) != 1:
            raise RefError(f"the sources give {len(values)} figures here; use | low, | high, | range or no format")
        return _number(values.pop())
    return figure_label(value, numeric_only=True)


FORMATS: dict[str, Callable[[Any], str]] = {
    "date": lambda v: day_label(v),
    "day": lambda v: f"{v.day} {v:%B}",
    "month": lambda v: f"{v:%B %Y}",
    "year": lambda v: str(v.year),
    "ordinal": lambda v: _ordinal(int(v)),
    "millions": lambda v: _millions(float(v)),
}
FIGURE_FORMATS = ("low", "high", "range", "number", "millions")


def show(value: Any, formats: tuple[str, ...]) -> str:
    """A value as readers see it: dates in house style, figures as reported ("51 or 53"), numbers with commas."""
    fmt = formats[0] if formats else ""
    if len(formats) > 1:
        raise RefError("use one format per reference")
    if isinstance(value, Variant):
        if value.value is None:
            raise RefError("this source gives no number here")
        if fmt not in ("", "number", "millions", "low", "high", "range"):
            raise RefError(f"format '{fmt}' does not apply to a figure")
        if fmt == "millions":
            return f"{value.qualifier} {_millions(value.value)}" if value.qualifier else _millions(value.value)
        return _number(value.value) if fmt else value.label()
    if isinstance(value, list) and value and isinstance(value[0], Variant):
        if fmt and fmt not in FIGURE_FORMATS:
            raise RefError(f"format '{fmt}' does not apply to a figure; use one of {', '.join(FIGURE_FORMATS)}")
        return _figure(value, fmt)  # refuses a figure without a number
    if fmt:
        if fmt not in FORMATS:
            raise RefError(f"unknown format '{fmt}'" + _nearest(fmt, sorted([*FORMATS, *FIGURE_FORMATS])))
        try:
            return FORMATS[fmt](value)
        except (AttributeError, TypeError, ValueError):
            raise RefError(f"format '{fmt}' does not apply to {value!r}") from None
    if isinstance(value, dt.date):
        return day_label(value)
    if isinstance(value, bool) or value is None:
        raise RefError("this field has no value to show")
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return _join([str(v) for v in value])
    return str(value)


def resolve(text: str, data: Data, as_of_label: str) -> str:
    """The plain text a reference stands for."""
    ref = parse(text)
    if ref.record == "as_of" and not ref.dataset:
        return as_of_label
    target = _pick(data, ref)
    if ref.record == "@count":
        if ref.field:
            raise RefError("@count stands for a number; it has no fields")
        return show(target, ref.formats)
    if ref.field is None:
        raise RefError(f"say which field of '{ref.record}' to show, e.g. {{{{ {ref.dataset}.{ref.record}.date }}}}")
    return show(_field(target, ref.field), ref.formats)


def cite(source_id: str, data: Data) -> str:
    """An inert HTML link to a registered source whose text says where it goes (the source's credit line)."""
    sid = source_id.strip()
    if sid not in data.sources:
        raise RefError(f"unknown source id '{sid}'" + _nearest(sid, sorted(data.sources)))
    source = data.sources[sid]
    return inert(render("cite.html", url=str(source.url), credit=source.credit))


def inert(html: str) -> str:
    """HTML that Markdown passes through unchanged: its Markdown-active characters as character references.

    Why: a value is placed inside a page's Markdown; `*`, `[`, `{:` or a line break in it would otherwise
    become emphasis, a link, an attribute list or a new block. Browsers read `&#42;` as `*`, also in attributes.
    """
    return html.translate(_INERT)


def _where(where: str, number: int | None) -> str:
    return f"{where}:{number}" if number is not None else where


def _expand(text: str, data: Data, where: str, offset: int | None,
            one: Callable[[str], str]) -> str:
    out = []
    for index, line in enumerate(text.split("\n")):
        number = None if offset is None else index + 1 + offset

        def sub(match: re.Match[str], number: int | None = number) -> str:
            try:
                return one(match.group(1))
            except RefError as exc:
                raise RefError(f"{_where(where, number)}: {{{{ {match.group(1)} }}}}: {exc}") from None

        out.append(REF.sub(sub, line))
    return "\n".join(out)


def expand(text: str, data: Data, where: str, *, offset: int = 0) -> str:
    """A page's Markdown with every reference replaced by inert HTML; errors name the page and line.

    `offset` is the number of lines before `text` in the page (its front matter).
    """
    as_of = day_label(data.as_of)

    def one(ref: str) -> str:
        if ref.startswith("cite:"):
            return cite(ref[5:], data)
        return inert(str(escape(resolve(ref, data, as_of))))

    return _expand(text, data, where, offset, one)


MARKUP = frozenset('<>&"')


def expand_text(text: str, data: Data, where: str, *, attribute: bool = False) -> str:
    """Plain text with every reference replaced by its value (alt texts, front matter); `cite:` gives the credit.

    With `attribute` (front matter, which themes put into `<meta content>` unescaped), a value holding `<`, `>`,
    `&` or `"` is refused: data text never becomes markup, whatever the engine does with it.
    """
    as_of = day_label(data.as_of)

    def one(ref: str) -> str:
        if ref.startswith("cite:"):
            sid = ref[5:].strip()
            if sid not in data.sources:
                raise RefError(f"unknown source id '{sid}'" + _nearest(sid, sorted(data.sources)))
            value = data.sources[sid].credit
        else:
            value = resolve(ref, data, as_of)
        if attribute and MARKUP & set(value):
            raise RefError(f"the value ({value!r}) holds one of < > & \", which a page's front matter cannot "
                           "show safely: quote it in the page's text instead")
        return value

    return _expand(text, data, where, None, one)
