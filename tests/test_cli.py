"""`python -m build_charts check`: 'ok:' and exit 0 on good data; located problem lines and exit 1 on bad data."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: \S+: .+")
SUMMARY = re.compile(r"^\d+ problem\(s\) found; nothing was written\.$")


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build_charts", "check", *args],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )


def broken_copy(tmp_path: Path) -> Path:
    """A copy of the data with three problems in three files."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    strikes = folder / "strikes.yaml"
    strikes.write_text(strikes.read_text(encoding="utf-8").replace(
        "    night: morning of 10 October\n", "    night: no\n", 1), encoding="utf-8")
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("  url: https://amp.dw.com/", "  url: http://amp.dw.com/", 1), encoding="utf-8")
    (folder / "outages.yaml").write_bytes(b"\x00\x01binary")
    return folder


def test_check_on_the_real_data_exits_0_and_prints_ok():
    result = check("--data", str(DATA))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:"), result.stdout
    assert "7 datasets" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_defaults_to_the_data_folder():
    result = check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


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
    night = next(i for i, text in enumerate((DATA / "strikes.yaml").read_text(encoding="utf-8").split("\n"), 1)
                 if text == "    night: morning of 10 October")
    assert f"{folder / 'strikes.yaml'}:{night}:12: night: 'no' is ambiguous" in result.stderr
    assert f"{folder / 'outages.yaml'}:1:1: file: file contains NUL bytes" in result.stderr
    assert re.search(rf"^{re.escape(str(folder / 'sources.yaml'))}:\d+:8: url: only https:// URLs are allowed",
                     result.stderr, re.MULTILINE)


def test_check_on_a_missing_folder_exits_1_without_traceback(tmp_path):
    result = check("--data", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert PROBLEM_LINE.match(result.stderr.splitlines()[0]), result.stderr
    assert "data folder not found" in result.stderr


def test_check_on_pathological_files_exits_1_without_traceback(tmp_path):
    # Files that used to crash load_data: deep nesting, a huge number, a C1 control character.
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / "strikes.yaml").write_text("a: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    (folder / "outages.yaml").write_text("a: " + "9" * 5000 + "\n", encoding="utf-8")
    (folder / "force_caps.yaml").write_text("a: b\u0086c\n", encoding="utf-8")
    result = check("--data", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    problems = result.stderr.splitlines()[:-1]
    assert len(problems) == 3, result.stderr
    assert all(PROBLEM_LINE.match(line) for line in problems), result.stderr
