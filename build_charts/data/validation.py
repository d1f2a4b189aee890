"""Pydantic's validation errors, turned into located problems: one per mistake, in plain words.

Why grouped: a renamed field gave "unknown field" and "required field is missing" for one typo, and a
record with three missing fields gave three problems on one line. The positions come from the strict
reader's node tree, so each problem points at the line an editor must change.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .messages import explain, nearest
from .models.common import Meta, Record
from .models.datasets import DATASET_MODELS, Source
from .strict_yaml import Located


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete classes inside Optional/Annotated/list annotations."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, tuple):
        return [c for arg in typing.get_args(annotation) if arg is not Ellipsis for c in _unwrap(arg)]
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


_NOUNS = {"Revision": "this revision", "Gap": "this gap", "Change": "this change", "Variant": "this figure entry",
          "CountVariant": "this figure entry"}


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
    return _NOUNS.get(model.__name__, "this entry")


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


def validation_problems(path: str, model: type[BaseModel], located: Located, exc: ValidationError) -> list[Problem]:
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
