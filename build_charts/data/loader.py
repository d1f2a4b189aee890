"""Load and validate every data file; collect all problems of a run with their lines.

`load_data(dir)` returns typed datasets or raises DataError listing every
problem as `path:line:column: field: message`. No other exception escapes for a
data problem: the check command and the site build both rely on that.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import DataError, Problem
from .models.common import Meta, Record
from .models.datasets import DATASET_MODELS, Source
from .strict_yaml import Located, decode, parse

REGISTRY = "sources"


@dataclass(frozen=True)
class Dataset:
    """One validated data file: its meta, records and where each value came from."""

    id: str
    path: str
    meta: Meta
    records: tuple[Any, ...]
    located: Located
    digest: str
    """sha256 of the file's bytes: charts are re-rendered only when it changes."""


@dataclass(frozen=True)
class Data:
    """All datasets of a data folder, validated together."""

    datasets: dict[str, Dataset]
    sources: dict[str, Source]

    def __getitem__(self, dataset_id: str) -> Dataset:
        return self.datasets[dataset_id]

    @property
    def as_of(self) -> dt.date:
        """The latest `as_of` of all datasets: what the site says it is current to."""
        return max(ds.meta.as_of for ds in self.datasets.values())


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete classes inside Optional/Annotated/list annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return [c for arg in typing.get_args(annotation) for c in _unwrap(arg)]
    return [annotation]


def _model_at(model: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the value at `path` (to list its allowed fields)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        classes = [c for c in _unwrap(field.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        current = classes[0] if classes else None
    return current


def _walk(data: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Split a pydantic location into the part present in the data and the rest."""
    consumed: list[Any] = []
    current = data
    for i, part in enumerate(loc):
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        else:
            return tuple(consumed), loc[i:]
        consumed.append(part)
    return tuple(consumed), ()


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _validation_problems(path: str, model: type[BaseModel], located: Located, exc: ValidationError) -> list[Problem]:
    """Turn pydantic errors into located problems. Why no input for value_error: the message already names it."""
    problems = []
    for err in exc.errors(include_url=False):
        present, rest = _walk(located.data, tuple(err["loc"]))
        kind = err["type"]
        message = err["msg"].removeprefix("Value error, ")
        if kind == "missing" and rest:
            field_name = str(rest[0])
            line, col = located.position(present)
            message = "required field is missing"
        elif kind == "extra_forbidden":
            field_name = str(present[-1])
            line, col = located.position(present, key=True)
            owner = _model_at(model, present[:-1])
            allowed = sorted(owner.model_fields) if owner else []
            close = difflib.get_close_matches(field_name, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
            message = f"unknown field; {hint}"
        else:
            strs = [p for p in present if isinstance(p, str)]
            field_name = strs[-1] if strs else "document"
            line, col = located.position(present)
            # Why not for value_error: our validators already name the value, which read "(got 'x') (got 'x')".
            if kind != "value_error" and "input" in err and not isinstance(err["input"], (dict, list)):
                message = f"{message} (got {_shown(err['input'])})"
        problems.append(Problem(path, line, col, field_name, message))
    return problems


def _read(path: Path, shown: str) -> tuple[Located | None, str, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, "", [Problem(shown, 1, 1, "file", f"cannot read file: {exc.strerror}")]
    digest = hashlib.sha256(raw).hexdigest()
    text, problems = decode(raw, shown)
    if text is None:
        return None, digest, problems
    located, problems = parse(text, shown)
    return located, digest, problems


def _record_problems(ds: Dataset) -> list[Problem]:
    problems: list[Problem] = []
    for i, gap in enumerate(ds.meta.gaps):
        where = ("meta", "gaps", i)
        if gap.end < gap.start:
            line, col = ds.located.position((*where, "end"))
            problems.append(Problem(ds.path, line, col, "end", f"end {gap.end} is before start {gap.start}"))
        if gap.start > ds.meta.as_of:
            line, col = ds.located.position((*where, "start"))
            problems.append(Problem(ds.path, line, col, "start",
                                    f"{gap.start} is after the dataset's as_of date {ds.meta.as_of}"))
    key = REGISTRY if ds.id == REGISTRY else "records"
    seen: dict[str, int] = {}
    for i, record in enumerate(ds.records):
        base = (key, i)
        if record.id in seen:
            line, col = ds.located.position((*base, "id"))
            problems.append(Problem(ds.path, line, col, "id",
                                    f"duplicate id '{record.id}' (also record {seen[record.id] + 1})"))
        seen.setdefault(record.id, i)
        for name, day in record.dates():
            if day > ds.meta.as_of:
                parts = tuple(int(p) if p.isdigit() else p for p in name.split("."))
                line, col = ds.located.position((*base, *parts))
                problems.append(Problem(ds.path, line, col, parts[-1] if isinstance(parts[-1], str) else name,
                                        f"{day} is after the dataset's as_of date {ds.meta.as_of}"))
        if isinstance(record, (Record, Source)):
            for rel, message in record.issues():
                line, col = ds.located.position((*base, *rel))
                field_name = next((p for p in reversed(rel) if isinstance(p, str)), "record")
                problems.append(Problem(ds.path, line, col, field_name, message))
    return problems


def _cross_problems(datasets: dict[str, Dataset]) -> list[Problem]:
    """Check references across files. Why 'unused' needs every dataset: a failed file cites nothing we can see."""
    problems: list[Problem] = []
    registry = datasets.get(REGISTRY)
    known = {s.id for s in registry.records} if registry else set()
    used: set[str] = set()
    ids = {name: {r.id for r in ds.records} for name, ds in datasets.items()}
    for name, ds in datasets.items():
        if name == REGISTRY:
            continue
        for i, record in enumerate(ds.records):
            used |= record.cited()
            if registry is None:
                continue
            for j, sid in enumerate(record.sources):
                if sid not in known:
                    line, col = ds.located.position(("records", i, "sources", j))
                    problems.append(Problem(ds.path, line, col, "sources", f"unknown source id '{sid}'"))
            for k, rev in enumerate(getattr(record, "revisions", [])):
                for j, sid in enumerate(rev.sources):
                    if sid not in known:
                        line, col = ds.located.position(("records", i, "revisions", k, "sources", j))
                        problems.append(Problem(ds.path, line, col, "sources", f"unknown source id '{sid}'"))
            refs = {"strike": "strikes", "superseded_by": name, "part_of": name}
            for field_name, target in refs.items():
                ref = getattr(record, field_name, None)
                if ref is not None and target in ids and ref not in ids[target]:
                    line, col = ds.located.position(("records", i, field_name))
                    problems.append(Problem(ds.path, line, col, field_name,
                                            f"'{ref}' is not a record id in {target}.yaml"))
    # Why the check for all datasets: when one failed to load, every source only it cites was reported unused.
    if registry is not None and all(name in datasets for name in DATASET_MODELS):
        for i, source in enumerate(registry.records):
            if source.id not in used:
                line, col = registry.located.position((REGISTRY, i, "id"))
                problems.append(Problem(registry.path, line, col, "id",
                                        f"source '{source.id}' is not cited by any record; remove it or cite it"))
    return problems


def load_data(data_dir: str | Path) -> Data:
    """Read, validate and cross-check every dataset in `data_dir`.

    Why duplicate stems are reported: with both x.yaml and x.yml, one was silently ignored.
    """
    folder = Path(data_dir)
    problems: list[Problem] = []
    datasets: dict[str, Dataset] = {}
    if not folder.is_dir():
        raise DataError([Problem(str(folder), 1, 1, "folder", "data folder not found")])
    files: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix in (".yaml", ".yml") and p.is_file():
            if p.stem in files:  # Why: with both x.yaml and x.yml, one of them was silently ignored
                problems.append(Problem(str(p), 1, 1, "file", f"{files[p.stem].name} exists too; keep only one"))
            files[p.stem] = p
    for stem, file in files.items():
        if stem not in DATASET_MODELS:
            problems.append(Problem(str(file), 1, 1, "file",
                                    f"unknown dataset '{stem}'; expected one of: {', '.join(sorted(DATASET_MODELS))}"))
    for name, model in DATASET_MODELS.items():
        file = files.get(name)
        if file is None:
            problems.append(Problem(str(folder / f"{name}.yaml"), 1, 1, "file", "dataset file is missing"))
            continue
        shown = str(file)
        located, digest, found = _read(file, shown)
        problems.extend(found)
        if located is None:
            continue
        if not isinstance(located.data, dict):
            problems.append(Problem(shown, 1, 1, "document", "expected a mapping with 'meta' and records"))
            continue
        try:
            parsed = model.model_validate(located.data)
        except ValidationError as exc:
            problems.extend(_validation_problems(shown, model, located, exc))
            continue
        records = parsed.sources if name == REGISTRY else parsed.records  # type: ignore[attr-defined]
        ds = Dataset(name, shown, parsed.meta, tuple(records), located, digest)  # type: ignore[attr-defined]
        datasets[name] = ds
        problems.extend(_record_problems(ds))
    problems.extend(_cross_problems(datasets))
    if problems:
        raise DataError(problems)
    return Data(datasets=datasets, sources={s.id: s for s in datasets[REGISTRY].records})
