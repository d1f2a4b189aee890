"""Datasets as flat CSV and JSON for downloads and the release data package.

Figures (lists of variants) become three columns: the readable label ("51 or
53"), the lowest and the highest number; lists become "a; b".
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..charts.base import csv_cell
from ..data import Dataset
from ..data.models.common import Variant, figure_label, high, low


def _is_figure(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], Variant)


def _flat(record: Any, figures: set[str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name in figures:
            row[name] = figure_label(value)
            row[f"{name}_low"] = low(value)
            row[f"{name}_high"] = high(value)
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
            row[name] = "; ".join(value)
        elif isinstance(value, (list, tuple)):
            row[name] = json.dumps([v.model_dump(mode="json") for v in value], ensure_ascii=False) if value else ""
        elif value is None:
            row[name] = None
        else:
            row[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return row


def dataset_csv(ds: Dataset) -> bytes:
    """One row per record, columns in model order (figures split into label, low, high)."""
    figures = {name for r in ds.records for name in type(r).model_fields if _is_figure(getattr(r, name))}
    rows = [_flat(r, figures) for r in ds.records]
    columns = list(rows[0]) if rows else []
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buf.getvalue().encode()



def dataset_json(ds: Dataset) -> bytes:
    """The validated dataset: meta and records, as typed by the models (sorted keys, stable)."""
    return (json.dumps({"dataset": ds.id, "meta": ds.meta.model_dump(mode="json"),
                        "records": [r.model_dump(mode="json") for r in ds.records]},
                       sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()
