"""JSON Schema of every data file (editors' completion) and the field reference on the Methodology page.

Both come from the models: a field's docstring is its description, and the list of checks is read
from the `@rule` methods and the registered file checks that run, so neither can drift from the
code. The committed export in `schemas/` is checked to be current by a test; refresh it with
`make schema`.
"""

from __future__ import annotations

import functools
import json
import typing
from html import escape
from typing import Any

from pydantic import BaseModel

from .checks import CHECKS
from .models.datasets import DATASET_MODELS
from .models.rules import rules_of


def schema_of(name: str) -> dict[str, Any]:
    """The JSON Schema of one dataset file."""
    schema = DATASET_MODELS[name].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"data/{name}.yaml"
    return schema


def schema_files() -> dict[str, bytes]:
    """Every schema as `NAME.schema.json` bytes, deterministic."""
    return dict(_schema_files())


@functools.cache
def _schema_files() -> dict[str, bytes]:
    """Cached: schemas follow the models' code, never the data (pydantic took 0.07 s per data edit for them)."""
    return {f"{name}.schema.json": (json.dumps(schema_of(name), indent=2, sort_keys=True) + "\n").encode()
            for name in sorted(DATASET_MODELS)}


def models() -> dict[str, type[BaseModel]]:
    """Every model reachable from the dataset files, by the name the schemas use for it."""
    found: dict[str, type[BaseModel]] = {}

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in found:
                found[annotation.__name__] = annotation
                for info in annotation.model_fields.values():
                    visit(info.annotation)
            return
        for arg in typing.get_args(annotation):
            visit(arg)

    for model in DATASET_MODELS.values():
        for info in model.model_fields.values():
            visit(info.annotation)
    return found


def checks() -> list[tuple[str, str]]:
    """(scope, sentence) for every check the loader runs: each model's rules, then the file and cross-file checks."""
    listed = [(name, summary) for name, model in sorted(models().items()) for summary, _ in rules_of(model)]
    return listed + [("files", summary) for summaries, _ in CHECKS for summary in summaries]


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        ref: str = prop["$ref"]
        return ref.rsplit("/", 1)[-1]
    if "enum" in prop:
        return " | ".join(str(v) for v in prop["enum"])
    if "const" in prop:
        return str(prop["const"])
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"] if p.get("type") != "null") + " (optional)"
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if prop.get("format") == "uri":
        return "https URL"
    return str(prop.get("type", "any"))


def _table(title: str, rows: list[str]) -> str:
    return (f'<div class="table-scroll" tabindex="0" role="region" aria-label="Fields of {escape(title)}">'
            f'<table><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th>'
            f'<th scope="col">Description</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


@functools.cache
def schema_reference() -> str:
    """HTML for the Methodology page: every field of every type, the rules under each type, the cross-file checks.

    Why generated: the page then lists exactly the fields the loader accepts and the checks it runs. Cached:
    it follows the code only.
    """
    definitions: dict[str, dict[str, Any]] = {}
    for name in sorted(DATASET_MODELS):
        definitions.update(schema_of(name).get("$defs", {}))
    by_scope: dict[str, list[str]] = {}
    for scope, summary in checks():
        by_scope.setdefault(scope, []).append(summary)
    parts = []
    for title, block in sorted(definitions.items()):
        required = set(block.get("required", []))
        rows = [f'<tr><th scope="row"><code>{escape(field)}</code></th><td>{escape(_type(prop))}</td>'
                f"<td>{'yes' if field in required else 'no'}</td>"
                f"<td>{escape(' '.join(prop.get('description', '').split()))}</td></tr>"
                for field, prop in block.get("properties", {}).items()]
        doc = escape(" ".join(block.get("description", "").split("\n\n")[0].split()))
        rules = by_scope.get(title, [])
        checked = f"<p>Checks:</p>{_list(rules)}" if rules else ""
        parts.append(f'<h3 id="schema-{escape(title.lower())}">{escape(title)}</h3><p>{doc}</p>'
                     f"{_table(title, rows)}{checked}")
    parts.append('<h3 id="schema-checks">Checks across records and files</h3>'
                 "<p>Besides the rules of each type above, every check of the data runs these:</p>"
                 f"{_list(by_scope.get('files', []))}")
    return "\n".join(parts)
