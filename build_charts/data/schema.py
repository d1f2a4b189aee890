"""JSON Schema of every data file (for editors' completion) and a field reference for the docs.

The committed export in `schemas/` is checked to be current by a test; refresh
it with `make schema`.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from .models.datasets import DATASET_MODELS


def schema_of(name: str) -> dict[str, Any]:
    """The JSON Schema of one dataset file."""
    schema = DATASET_MODELS[name].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"data/{name}.yaml"
    return schema


def schema_files() -> dict[str, bytes]:
    """Every schema as `NAME.schema.json` bytes, deterministic."""
    return {f"{name}.schema.json": (json.dumps(schema_of(name), indent=2, sort_keys=True) + "\n").encode()
            for name in sorted(DATASET_MODELS)}


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
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


def schema_reference() -> str:
    """HTML tables listing every field of every dataset and shared type."""
    parts = []
    definitions: dict[str, dict[str, Any]] = {}
    for name in sorted(DATASET_MODELS):
        schema = schema_of(name)
        definitions.update(schema.get("$defs", {}))
    for title, block in sorted(definitions.items()):
        rows = []
        required = set(block.get("required", []))
        for field, prop in block.get("properties", {}).items():
            rows.append(f"<tr><th scope=\"row\"><code>{escape(field)}</code></th><td>{escape(_type(prop))}</td>"
                        f"<td>{'yes' if field in required else 'no'}</td></tr>")
        doc = escape(block.get("description", "").split("\n")[0])
        parts.append(f'<h3 id="schema-{escape(title.lower())}">{escape(title)}</h3><p>{doc}</p>'
                     f'<div class="table-scroll" tabindex="0" role="region" aria-label="Fields of {escape(title)}">'
                     f'<table><thead><tr><th scope="col">Field</th><th scope="col">Type</th>'
                     f'<th scope="col">Required</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return "\n".join(parts)
