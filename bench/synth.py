"""Synthetic data at N times the real number of records, for the scale benchmark.

Copies the real data folder into a temporary folder and repeats the records of
every chart dataset N times: copy k gets ids suffixed `-x{k}`, references
(`strike`, `superseded_by`) pointing at copy k, and every date moved k*SHIFT_DAYS
days earlier, so no date passes `meta.as_of` (held events included) and every
cross-field rule (end >= start, revisions oldest first) still holds. Copies cite
the same sources, so every source of the registry stays cited. Never writes into data/.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import yaml

from build_charts.data.strict_yaml import parse

MULTIPLIED = ("strikes", "outages", "znpp_power", "diplomatic_calendar", "force_caps", "force_levels")
DATE_KEYS = {"date", "start", "end"}
REF_KEYS = {"strike", "superseded_by"}
SHIFT_DAYS = 3
"""Days between copies: copy k of a record is dated k*3 days earlier."""



class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """No anchors or aliases: the project's strict loader rejects them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


def _copy_record(record: dict[str, Any], k: int) -> dict[str, Any]:
    out = copy.deepcopy(record)
    days = k * SHIFT_DAYS
    out["id"] = f"{record['id']}-x{k}"
    for key in DATE_KEYS & out.keys():
        if out[key] is not None:
            out[key] = _shift(out[key], days)
    for key in REF_KEYS & out.keys():
        if out[key] is not None:
            out[key] = f"{out[key]}-x{k}"
    if out.get("revisions"):
        out["revisions"] = [{**rev, "date": _shift(rev["date"], days)} for rev in out["revisions"]]
    return out


def _load(path: Path) -> dict[str, Any]:
    located, problems = parse(path.read_text(encoding="utf-8"), str(path))
    if located is None:
        raise RuntimeError(f"cannot parse {path}: {problems}")
    return located.data


def generate(src: Path, dest: Path, factor: int) -> dict[str, int]:
    """Write the data of `src` with every chart dataset repeated `factor` times into `dest`; counts by dataset."""
    if dest.resolve() == src.resolve():
        raise ValueError("synthetic data must not be written into the real data folder")
    dest.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for path in sorted(src.glob("*.yaml")):
        if path.stem not in MULTIPLIED:
            shutil.copyfile(path, dest / path.name)
            continue
        doc = _load(path)
        records = doc["records"]
        doc["records"] = [rec if k == 0 else _copy_record(rec, k) for k in range(factor) for rec in records]
        counts[path.stem] = len(doc["records"])
        text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
        (dest / path.name).write_text(text, encoding="utf-8")
    return counts
