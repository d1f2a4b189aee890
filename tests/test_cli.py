"""`python -m build_charts check`: 'ok:' and exit 0 on good data; located problem lines and exit 1 on bad data.

Broken data is made from the frozen fixture (`tests/fixtures/data`); the live `data/` is only checked to be valid.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "data"
PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: \S+: .+")
SUMMARY = re.compile(r"^(One problem|\d+ problems) found: fix (it|them) and run the check again\.$")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build_charts", *args],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return run("check", *args)


def broken_copy(tmp_path: Path) -> Path:
    """A copy of the data with three problems in three files."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    strikes = folder / "strikes.yaml"
    strikes.write_text(strikes.read_text(encoding="utf-8").replace(
        "    night: morning of 10 October\n", "    night: no\n", 1), encoding="utf-8")
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("  url: https://amp.dw.com/", "  url: http://amp.dw.com/", 1), encoding="utf-8")
    (folder / "outages.yaml").write_bytes(b"\x00\x01\x00\x02binary\x00")
    return folder


def test_check_on_the_fixture_exits_0_and_prints_ok():
    from build_charts import load_data
    from build_charts.data.models import DATASET_MODELS

    data = load_data(FIXTURES)
    records = sum(len(ds.records) for ds in data.datasets.values())
    result = check("--data", str(FIXTURES))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ok: {len(DATASET_MODELS)} datasets, {records} records, data as of {data.as_of}\n"
    assert result.stderr == ""


def test_check_defaults_to_the_live_data_folder_which_is_valid():
    from build_charts import load_data

    result = check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:") and f"data as of {load_data(DATA).as_of}" in result.stdout


def test_check_on_broken_data_exits_1_with_located_problem_lines(tmp_path):
    folder = broken_copy(tmp_path)
    result = check("--data", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "ok:" not in result.stdout
    lines = result.stderr.splitlines()
    assert lines and SUMMARY.match(lines[-1]), result.stderr
    problems = lines[:-1]
    assert len(problems) == 3, result.stderr
    for line in problems:
        assert PROBLEM_LINE.match(line), line
    night = next(i for i, text in enumerate((FIXTURES / "strikes.yaml").read_text(encoding="utf-8").split("\n"), 1)
                 if text == "    night: morning of 10 October")
    url = next(i for i, text in enumerate((FIXTURES / "sources.yaml").read_text(encoding="utf-8").split("\n"), 1)
               if text.startswith("  url: https://amp.dw.com/"))
    assert problems == [
        f"{folder / 'outages.yaml'}:1:1: file: the file holds binary data, not text: check that it is the right file, "
        "or restore it from git",
        f"{folder / 'sources.yaml'}:{url}:8: url: write https:// instead of http:// (only secure links are allowed)",
        f"{folder / 'strikes.yaml'}:{night}:12: night: 'no' is read as true or false by some YAML readers: write "
        'true or false for a yes/no value, or put a text in quotes, "no"',
    ]
    assert lines[-1] == "3 problems found: fix them and run the check again."


def test_check_on_a_missing_folder_exits_1_without_traceback(tmp_path):
    result = check("--data", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert PROBLEM_LINE.match(result.stderr.splitlines()[0]), result.stderr
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'nowhere'}:1:1: folder: data folder not found: check the path (run commands from the project "
        "folder, which holds data/)",
        "One problem found: fix it and run the check again.",
    ]


def test_check_on_pathological_files_exits_1_without_traceback(tmp_path):
    # Files that used to crash load_data: deep nesting, a huge number, a C1 control character.
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    (folder / "strikes.yaml").write_text("a: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    (folder / "outages.yaml").write_text("a: " + "9" * 5000 + "\n", encoding="utf-8")
    (folder / "force_caps.yaml").write_text("a: b\u0086c\n", encoding="utf-8")
    result = check("--data", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    problems = result.stderr.splitlines()[:-1]
    assert len(problems) == 3, result.stderr
    assert all(PROBLEM_LINE.match(line) for line in problems), result.stderr


def test_help_works_and_lists_every_command():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("check", "sources", "render", "schema", "golden"):
        assert re.search(rf"^    {command}\s+\S", result.stdout, re.MULTILINE), f"{command} is not described"
    for command in ("check", "render", "schema"):
        sub = run(command, "--help")
        assert sub.returncode == 0 and sub.stdout.startswith("usage: python -m build_charts"), sub.stderr
