"""Everything an editor needs is discoverable without reading Python.

`make` lists every target; every schema field has a description; every data file names its schema
(VS Code's YAML extension then completes fields and shows the descriptions); the Methodology field
reference lists every field and every check, read from the code that runs them.
"""

from __future__ import annotations

import json
import re
import subprocess
from html import escape
from pathlib import Path

import pytest

from build_charts.data.checks import CHECKS
from build_charts.data.models import DATASET_MODELS
from build_charts.data.models.common import Strict
from build_charts.data.schema import checks, models, schema_files, schema_reference

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
DATA_FOLDERS = [ROOT / "data", ROOT / "tests" / "fixtures" / "data"]
MODELINE = re.compile(r"# yaml-language-server: \$schema=(?P<path>\S+)")


def _schemas() -> dict[str, dict]:
    return {name: json.loads(content) for name, content in schema_files().items()}


def _blocks(schema: dict) -> dict[str, dict]:
    """The file's own object and every shared type it defines."""
    return {"(file)": schema, **schema.get("$defs", {})}


@pytest.mark.parametrize("name", sorted(f"{n}.schema.json" for n in DATASET_MODELS))
def test_every_property_of_every_schema_has_a_description(name):
    missing = [f"{title}.{field}" for title, block in _blocks(_schemas()[name]).items()
               for field, prop in block.get("properties", {}).items() if not prop.get("description", "").strip()]
    assert missing == [], f"{name}: add a docstring under each of these fields in build_charts/data/models/"
    undescribed = [title for title, block in _blocks(_schemas()[name]).items() if not block.get("description")]
    assert undescribed == [], f"{name}: give these models a docstring"


def test_committed_schemas_carry_the_descriptions():
    for name, content in schema_files().items():
        assert (SCHEMAS / name).read_bytes() == content, f"schemas/{name} is out of date: run `make schema`"


@pytest.mark.parametrize("folder", DATA_FOLDERS, ids=["data", "fixtures"])
def test_every_data_file_names_its_schema_on_the_first_line(folder):
    files = sorted(folder.glob("*.yaml"))
    assert {f.stem for f in files} == set(DATASET_MODELS)
    for file in files:
        first = file.read_text(encoding="utf-8").split("\n", 1)[0]
        match = MODELINE.fullmatch(first)
        assert match, f"{file}: first line must be '# yaml-language-server: $schema=<relative path>'"
        target = (file.parent / match["path"]).resolve()
        assert target == SCHEMAS / f"{file.stem}.schema.json", f"{file}: modeline points at {target}"


def test_vscode_maps_every_schema_to_its_data_files():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for name in DATASET_MODELS:
        assert (ROOT / f"schemas/{name}.schema.json").exists()
        assert mapping[f"./schemas/{name}.schema.json"] == [f"data/{name}.yaml", f"tests/fixtures/data/{name}.yaml"]
    assert settings["[yaml]"]["editor.insertSpaces"] is True, "a tab in a data file is a syntax error"


def test_field_reference_lists_every_field_with_its_description():
    html = schema_reference()
    for name, model in models().items():
        assert f'id="schema-{name.lower()}"' in html, f"{name} has no section"
        for field, info in model.model_fields.items():
            assert f"<code>{field}</code>" in html
            description = " ".join((info.description or "").split())
            assert description and escape(description) in html, (
                f"{name}.{field}: description missing from the field reference")


def test_field_reference_lists_every_check_that_runs():
    html = schema_reference()
    listed = checks()
    sentences = [summary for summaries, _ in CHECKS for summary in summaries]
    assert [s for scope, s in listed if scope == "files"] == sentences
    for scope, summary in listed:
        assert f"<li>{escape(summary)}</li>" in html, f"{scope}: '{summary}' is not on the Methodology page"
    for expected in ("end", "source", "as_of", "unique", "launched", "original_publisher"):
        assert any(expected in s for _, s in listed), f"no listed check mentions {expected}"


def test_cross_field_checks_are_rules_so_they_are_listed():
    """A model that overrode issues() would run checks the field reference cannot list."""
    overriding = [name for name, model in models().items()
                  if issubclass(model, Strict) and "issues" in vars(model)]
    assert overriding == [], f"write these checks as @rule methods instead: {overriding}"


def _make(*args: str) -> str:
    result = subprocess.run(["make", "--no-print-directory", "-s", *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_without_a_target_lists_every_target_with_a_description():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE)
    assert phony
    targets = phony.group(1).split()
    shown = _make()
    assert shown == _make("help")
    for target in targets:
        assert re.search(rf"^  {re.escape(target)}\s+\S.{{10,}}$", shown, re.MULTILINE), f"make help: no {target}"
    assert re.search(r"^  check\s+validate every data file", shown, re.MULTILINE)
