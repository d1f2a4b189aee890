"""Load and validate every data file; collect all problems of a run with their lines.

`load_data(dir)` returns typed datasets or raises DataError listing every
problem as `path:line:column: field: message`. No other exception escapes for a
data problem: the check command and the site build both rely on that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..gcpause import gc_paused
from .checks import REGISTRY, run_checks
from .errors import DataError, Problem
from .models.common import Meta, Strict
from .models.datasets import DATASET_MODELS, Source, SourcesFile
from .strict_yaml import Located, decode, parse
from .validation import validation_problems

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


def _bytes(path: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    try:
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "file", f"the file cannot be read ({exc.strerror}): check that it "
                                                  "exists and that you may open it")]


def _parse(raw: bytes, shown: str) -> tuple[Located | None, list[Problem]]:
    text, problems = decode(raw, shown)
    if text is None:
        return None, problems
    return parse(text, shown)


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

    Why the garbage collector pauses: reading makes hundreds of thousands of small objects without cycles,
    and its repeated passes over them took about a third of the time of loading a large dataset.
    """
    with gc_paused():
        return _load(Path(data_dir))


def _load(folder: Path) -> Data:
    """load_data's work. Why duplicate stems are reported: with both x.yaml and x.yml, one was silently ignored."""
    problems: list[Problem] = []
    datasets: dict[str, Dataset] = {}
    if not folder.is_dir():
        raise DataError([Problem(str(folder), 1, 1, "folder", "data folder not found: check the path (run commands "
                                                              "from the project folder, which holds data/)")])
    files: dict[str, Path] = {}
    refused: set[str] = set()
    for p in sorted(folder.iterdir()):
        if p.suffix in (".yaml", ".yml") and p.is_symlink():
            # Why: a link is followed to any file the machine can read (a CI secret, .git/config) into the site.
            problems.append(Problem(str(p), 1, 1, "file", f"{p.name} is a link to another file, which data files "
                                                          "may not be: replace it with the file itself"))
            refused.add(p.stem)
            continue
        if p.suffix in (".yaml", ".yml") and p.is_file():
            if p.stem in files:  # Why: with both x.yaml and x.yml, one of them was silently ignored
                problems.append(Problem(str(p), 1, 1, "file", f"{files[p.stem].name} exists too: keep one of the two "
                                                              "files and delete the other"))
            files[p.stem] = p
    for stem, path in files.items():
        if stem not in DATASET_MODELS:
            known = ", ".join(f"{n}.yaml" for n in sorted(DATASET_MODELS))
            problems.append(Problem(str(path), 1, 1, "file", f"'{path.name}' is not a dataset the site knows: move it "
                                                             f"out of the data folder, or name it as one of {known}"))
    for name, model in DATASET_MODELS.items():
        file = files.get(name)
        if file is None and name in refused:
            continue
        if file is None:
            problems.append(Problem(str(folder / f"{name}.yaml"), 1, 1, "file",
                                    f"{name}.yaml is missing: restore it (git checkout -- data/{name}.yaml); "
                                    "the site needs every dataset"))
            continue
        shown = str(file)
        raw, found = _bytes(file, shown)
        problems.extend(found)
        if raw is None:
            continue
        digest = hashlib.sha256(raw).hexdigest()
        located, found = _parse(raw, shown)
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
            problems.extend(validation_problems(shown, model, located, exc))
            continue
        records = parsed.sources if isinstance(parsed, SourcesFile) else parsed.records  # the registry's are sources
        ds = Dataset(name, shown, parsed.meta, tuple(records), located, digest)
        datasets[name] = ds
        problems.extend(_rule_problems(ds, parsed))
    problems.extend(run_checks(datasets))
    if problems:
        raise DataError(problems)
    return Data(datasets=datasets, sources={s.id: s for s in datasets[REGISTRY].records})
