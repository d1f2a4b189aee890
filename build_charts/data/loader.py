"""Load and validate every data file; collect all problems of a run with their lines.

`load_data(dir)` returns typed datasets or raises DataError listing every
problem as `path:line:column: field: message`. No other exception escapes for a
data problem: the check command and the site build both rely on that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .checks import REGISTRY, run_checks
from .errors import DataError, Problem
from .messages import explain, nearest
from .models.common import Meta, Record, Strict
from .models.datasets import DATASET_MODELS, Source
from .strict_yaml import Located, decode, parse

__all__ = ["REGISTRY", "Data", "Dataset", "load_data"]


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


def _is_list(model: type[BaseModel] | None, name: str) -> bool:
    """True when the field holds a list (so a missing one is added as `name:` and '- ' entries)."""
    info = model.model_fields.get(name) if model is not None else None
    if info is None:
        return False

    def holds_list(annotation: Any) -> bool:
        origin = typing.get_origin(annotation)
        if origin in (list, tuple):
            return True
        if origin is typing.Annotated:
            return holds_list(typing.get_args(annotation)[0])
        return origin in (typing.Union, types.UnionType) and any(holds_list(a) for a in typing.get_args(annotation))

    return holds_list(info.annotation)


def _noun(model: type[BaseModel] | None) -> str:
    """How a message names the mapping a field belongs to."""
    if model is None:
        return "this entry"
    if model is Meta:
        return "meta"
    if model is Source:
        return "this source"
    if issubclass(model, Record):
        return "this record"
    if model in DATASET_MODELS.values():
        return "this file"
    return "this entry"


def _about(model: type[BaseModel] | None, name: str) -> str:
    """A field's description, for a hint in parentheses."""
    info = model.model_fields.get(name) if model is not None else None
    text = (info.description or "").split("\n")[0].strip().rstrip(".") if info is not None else ""
    return f" ({text})" if text else ""


def _missing(names: list[str], owner: type[BaseModel] | None) -> str:
    """One message for every required field missing from one mapping."""
    noun = _noun(owner)
    if len(names) == 1:
        name = names[0]
        nested = _model_at(owner, (name,)) if owner is not None else None
        if nested is not None and _is_list(owner, name):
            return f"{noun} has no {name}: add `{name}:` with at least one entry below it, each starting with '- '"
        if nested is not None:
            fields = [f for f, info in nested.model_fields.items() if info.is_required()]
            return (f"{noun} has no {name}: add `{name}:` with its fields indented below it "
                    f"({', '.join(fields)})")
        return f"{noun} has no {name}: add a line `{name}: ...`{_about(owner, name)}"
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    return f"{noun} lacks the required fields {listed}: add them (the Methodology page describes each field)"


def _unknown_field(name: str, owner: type[BaseModel] | None, missing: list[str]) -> tuple[str, str | None]:
    """The message for a field the model does not have, and the missing field it most likely meant."""
    allowed = sorted(owner.model_fields) if owner else []
    close = nearest(name, allowed, cutoff=0.6, n=1)
    noun = _noun(owner)
    if close and close[0] in missing:
        return f"'{name}' is not a field of {noun}: rename it to '{close[0]}' (required, and missing here)", close[0]
    if close:
        return f"'{name}' is not a field of {noun}; did you mean '{close[0]}'?", None
    return f"'{name}' is not a field of {noun}: remove it, or use one of: {', '.join(allowed)}", None


def _validation_problems(path: str, model: type[BaseModel], located: Located, exc: ValidationError) -> list[Problem]:
    """Turn pydantic errors into located problems, one per mistake.

    Why grouped: a renamed field gave "unknown field" and "required field is missing" for one typo, and a
    record with three missing fields gave three problems at the same line.
    """
    problems = []
    missing: dict[tuple[Any, ...], list[str]] = {}
    extras: list[tuple[tuple[Any, ...], str]] = []
    for err in exc.errors(include_url=False):
        present, rest = _walk(located.data, tuple(err["loc"]))
        if err["type"] == "missing" and rest:
            missing.setdefault(present, []).append(str(rest[0]))
        elif err["type"] == "extra_forbidden":
            extras.append((present, str(present[-1])))
        else:
            strs = [p for p in present if isinstance(p, str)]
            line, col = located.position(present)
            owner = _model_at(model, present[:-1]) if present else None
            message = explain(err, owner)
            problems.append(Problem(path, line, col, strs[-1] if strs else "document", message))
    for present, name in extras:
        owner = _model_at(model, present[:-1])
        names = missing.get(present[:-1], [])
        message, meant = _unknown_field(name, owner, names)
        if meant is not None:
            names.remove(meant)
        line, col = located.position(present, key=True)
        problems.append(Problem(path, line, col, name, message))
    for present, names in missing.items():
        if names:
            line, col = located.position(present)
            problems.append(Problem(path, line, col, names[0], _missing(names, _model_at(model, present))))
    return problems


def _read(path: Path, shown: str) -> tuple[Located | None, str, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, "", [Problem(shown, 1, 1, "file", f"the file cannot be read ({exc.strerror}): check that it "
                                                        "exists and that you may open it")]
    digest = hashlib.sha256(raw).hexdigest()
    text, problems = decode(raw, shown)
    if text is None:
        return None, digest, problems
    located, problems = parse(text, shown)
    return located, digest, problems


def _rule_problems(ds: Dataset, parsed: Strict) -> list[Problem]:
    """The models' cross-field rules, located. Why the whole file model: rules nest (a figure's entries, gaps)."""
    problems = []
    for rel, message in parsed.issues():
        line, col = ds.located.position(rel)
        field_name = next((p for p in reversed(rel) if isinstance(p, str)), "record")
        problems.append(Problem(ds.path, line, col, field_name, message))
    return problems


def load_data(data_dir: str | Path) -> Data:
    """Read, validate and cross-check every dataset in `data_dir`.

    Why duplicate stems are reported: with both x.yaml and x.yml, one was silently ignored.
    """
    folder = Path(data_dir)
    problems: list[Problem] = []
    datasets: dict[str, Dataset] = {}
    if not folder.is_dir():
        raise DataError([Problem(str(folder), 1, 1, "folder", "data folder not found: check the path (run commands "
                                                              "from the project folder, which holds data/)")])
    files: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix in (".yaml", ".yml") and p.is_file():
            if p.stem in files:  # Why: with both x.yaml and x.yml, one of them was silently ignored
                problems.append(Problem(str(p), 1, 1, "file", f"{files[p.stem].name} exists too: keep one of the two "
                                                              "files and delete the other"))
            files[p.stem] = p
    for stem, file in files.items():
        if stem not in DATASET_MODELS:
            known = ", ".join(f"{n}.yaml" for n in sorted(DATASET_MODELS))
            problems.append(Problem(str(file), 1, 1, "file", f"'{file.name}' is not a dataset the site knows: move it "
                                                             f"out of the data folder, or name it as one of {known}"))
    for name, model in DATASET_MODELS.items():
        file = files.get(name)
        if file is None:
            problems.append(Problem(str(folder / f"{name}.yaml"), 1, 1, "file",
                                    f"{name}.yaml is missing: restore it (git checkout -- data/{name}.yaml); "
                                    "the site needs every dataset"))
            continue
        shown = str(file)
        located, digest, found = _read(file, shown)
        problems.extend(found)
        if located is None:
            continue
        if not isinstance(located.data, dict):
            key = REGISTRY if name == REGISTRY else "records"
            problems.append(Problem(shown, 1, 1, "document", f"the file must hold fields, starting with `meta:` and "
                                                             f"then `{key}:`, not a list or a single value"))
            continue
        try:
            parsed = model.model_validate(located.data)
        except ValidationError as exc:
            problems.extend(_validation_problems(shown, model, located, exc))
            continue
        records = parsed.sources if name == REGISTRY else parsed.records  # type: ignore[attr-defined]
        ds = Dataset(name, shown, parsed.meta, tuple(records), located, digest)  # type: ignore[attr-defined]
        datasets[name] = ds
        problems.extend(_rule_problems(ds, parsed))
    problems.extend(run_checks(datasets))
    if problems:
        raise DataError(problems)
    return Data(datasets=datasets, sources={s.id: s for s in datasets[REGISTRY].records})
