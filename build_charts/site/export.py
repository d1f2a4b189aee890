"""Datasets as flat CSV and JSON for downloads and the release data package.

The CSV columns come from the dataset's model, not from the records, so a file keeps its shape
when an editor fills in a field no record had before, and the data package's Table Schema
(`opendata.py`) describes exactly the columns written here: both read `columns(model)`.
Figures (lists of variants) become three columns: the readable label ("51 or 53"), the lowest
and the highest standing number; lists of text become "a; b"; lists of objects become JSON.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import AnyUrl, BaseModel

from ..charts.csv_safe import csv_bytes
from ..data import Dataset
from ..data.loader import REGISTRY
from ..data.models.common import Variant, figure_label, high, low
from ..data.models.datasets import DATASET_MODELS

ColumnType = Literal["string", "integer", "number", "boolean", "date", "array"]
LIST_SEPARATOR = "; "
"""How a list of text (source ids, participants) is written in one CSV cell."""


@dataclass(frozen=True)
class Column:
    """One CSV column: its Table Schema type and how its cell is read from a record."""

    name: str
    type: ColumnType
    description: str
    read: Callable[[Any], Any]
    required: bool = False
    enum: tuple[str, ...] = ()
    format: str | None = None


def _parts(annotation: Any) -> tuple[Any, bool]:
    """The annotation without Annotated/Optional wrappers, and whether None is allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        else:
            return annotation, optional


def _scalar(annotation: Any) -> tuple[ColumnType, tuple[str, ...], str | None]:
    """(type, enum, format) of a single value."""
    if typing.get_origin(annotation) is Literal:
        return "string", tuple(str(v) for v in typing.get_args(annotation)), None
    if isinstance(annotation, type):
        if issubclass(annotation, bool):  # before int: bool is an int in Python
            return "boolean", (), None
        if issubclass(annotation, int):
            return "integer", (), None
        if issubclass(annotation, float):
            return "number", (), None
        if issubclass(annotation, dt.date):
            return "date", (), None
        if issubclass(annotation, AnyUrl):
            return "string", (), "uri"
    return "string", (), None


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """Each field's description (the models keep their attribute docstrings as descriptions)."""
    return {name: " ".join(info.description.split()) for name, info in model.model_fields.items() if info.description}


COMMON_DOCS = {
    "id": "Record id, unique in the dataset.",
    "status": "How firm the figure is: reported (official figure), claimed (one party's claim), "
              "estimate (analysts), proposed (a draft term).",
    "sources": "Ids of the sources the record cites, separated by '; ' (see sources.csv; one row per "
               "source in record_sources.csv).",
}
"""Descriptions of the fields every record has, which the base model leaves undocumented."""


def _text_list(value: Any) -> str:
    return LIST_SEPARATOR.join(str(v) for v in value or ())


def _json_list(value: Any) -> str:
    return json.dumps([v.model_dump(mode="json") for v in value], ensure_ascii=False) if value else ""


def _scalar_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, (int, float)):
        return value  # csv_bytes writes whole floats without ".0" and None as a blank
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _getter(name: str, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda record: convert(getattr(record, name))


@functools.cache
def columns(model: type[BaseModel]) -> tuple[Column, ...]:
    """The CSV columns of a record model, in field order; figures give label, `_low` and `_high` columns."""
    docs = {**COMMON_DOCS, **field_docs(model)}
    out: list[Column] = []
    for name, info in model.model_fields.items():
        inner, optional = _parts(info.annotation)
        required = info.is_required() and not optional
        doc = docs.get(name, "")
        origin = typing.get_origin(inner)
        if origin in (list, tuple):
            item, _ = _parts((typing.get_args(inner) or (str,))[0])
            if isinstance(item, type) and issubclass(item, Variant):
                kind = _scalar(_parts(item.model_fields["value"].annotation)[0])[0]
                lead = f"{doc} " if doc else ""
                out += [
                    Column(name, "string", f"{lead}As reported, every source's figure (e.g. '51 or 53').",
                           _getter(name, figure_label), required),
                    Column(f"{name}_low", kind, f"The lowest number among the sources' figures for {name} "
                           "(withdrawn figures left out).", _getter(name, low)),
                    Column(f"{name}_high", kind, f"The highest number among the sources' figures for {name} "
                           "(withdrawn figures left out).", _getter(name, high)),
                ]
            elif isinstance(item, type) and issubclass(item, BaseModel):
                out.append(Column(name, "array", f"{doc} A JSON list of objects.".strip(),
                                  _getter(name, _json_list)))
            else:
                out.append(Column(name, "string", doc, _getter(name, _text_list), required))
            continue
        kind, enum, fmt = _scalar(inner)
        out.append(Column(name, kind, doc, _getter(name, _scalar_cell), required, enum, fmt))
    return tuple(out)


def record_model(ds: Dataset) -> type[BaseModel]:
    """The model of one record of `ds` (from its file model, so an empty dataset still has columns)."""
    field = "sources" if ds.id == REGISTRY else "records"
    item, _ = _parts(DATASET_MODELS[ds.id].model_fields[field].annotation)
    return typing.get_args(item)[0]


CHILD_TABLES: dict[str, tuple[str, str]] = {"peace_drafts": ("terms", "draft")}
"""Datasets whose records hold a list of sub-records, written as a table of their own: dataset -> (the field, the
name of the column holding the parent record's id). The parent's CSV leaves the field out; the JSON keeps it."""


def record_columns(ds: Dataset) -> tuple[Column, ...]:
    """The columns of a dataset's own CSV (a child table's field is written to its own CSV instead)."""
    child = CHILD_TABLES.get(ds.id, ("", ""))[0]
    return tuple(c for c in columns(record_model(ds)) if c.name != child)


def child_table(ds: Dataset) -> tuple[str, tuple[Column, ...], list[tuple[Any, Any]]] | None:
    """(resource name, columns, (parent, item) rows) of a dataset's child table, or None when it has none."""
    if ds.id not in CHILD_TABLES:
        return None
    field, key = CHILD_TABLES[ds.id]
    item, _ = _parts(record_model(ds).model_fields[field].annotation)
    model = typing.get_args(item)[0]
    parent = Column(key, "string", f"The id of the record in {ds.id}.csv this row belongs to.",
                    lambda pair: pair[0].id, required=True)
    cols = (parent, *(Column(c.name, c.type, c.description, functools.partial(_child_read, c.read), c.required,
                             c.enum, c.format) for c in columns(model)))
    rows = [(record, sub) for record in ds.records for sub in getattr(record, field)]
    return f"{ds.id}_{field}", cols, rows


def _child_read(read: Callable[[Any], Any], pair: tuple[Any, Any]) -> Any:
    return read(pair[1])


def child_csv(ds: Dataset) -> bytes | None:
    """The child table of a dataset as CSV (one row per draft and topic for peace_drafts), or None."""
    table = child_table(ds)
    if table is None:
        return None
    _, cols, rows = table
    return write_csv([c.name for c in cols], [[c.read(r) for c in cols] for r in rows])


def write_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """CSV bytes as every download is written (`csv_safe.csv_bytes`: safe to open in a spreadsheet)."""
    return csv_bytes(header, rows)


def dataset_csv(ds: Dataset) -> bytes:
    """One row per record, columns in model order (figures split into label, low, high)."""
    cols = record_columns(ds)
    return write_csv([c.name for c in cols], [[c.read(r) for c in cols] for r in ds.records])


def dataset_json(ds: Dataset) -> bytes:
    """The validated dataset: meta and records, as typed by the models (sorted keys, stable)."""
    return (json.dumps({"dataset": ds.id, "meta": ds.meta.model_dump(mode="json"),
                        "records": [r.model_dump(mode="json") for r in ds.records]},
                       sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()
