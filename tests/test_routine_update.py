"""A routine update of the live data passes the check and builds, and the live data keeps its invariants.

Editors change `data/` every week. This test does what the README tells them to do, on a temporary copy of the
project with the live data: a new strike dated after the current as_of, its source added to sources.yaml, as_of
raised in both files, a line in meta.changes. Then `python -m build_charts check` and a full strict site build
must pass, and every page must say the new as-of date. Nothing here names today's data: the dates are computed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_charts import load_data
from build_charts.charts.base import day_label

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PAGES = ["index.html", "energy/index.html", "force-caps/index.html", "peace-drafts/index.html", "calendar/index.html",
         "methodology/index.html", "sources/index.html", "changes/index.html", "about/index.html"]
CHANGE = "Added the strike of the routine-update test."


@dataclass(frozen=True)
class Update:
    """What the routine update added."""

    day: dt.date
    strike_id: str
    source_id: str


def _latest_strike_block(text: str, starts: list[int], index: int) -> str:
    """The lines of record `index` of strikes.yaml (records are the file's last block)."""
    lines = text.split("\n")
    end = starts[index + 1] - 1 if index + 1 < len(starts) else len(lines)
    return "\n".join(lines[starts[index] - 1: end]).rstrip("\n") + "\n"


def _raise_as_of(text: str, day: dt.date) -> str:
    raised, count = re.subn(r"(?m)^  as_of: \d{4}-\d{2}-\d{2}$", f"  as_of: {day}", text, count=1)
    assert count == 1, "no `  as_of:` line in meta"
    return raised


def routine_update(data_dir: Path) -> Update:
    """Edit `data_dir` as an editor would: a new strike after as_of, its source, as_of raised, a changes line."""
    data = load_data(data_dir)
    day = data.as_of + dt.timedelta(days=1)
    strikes = data["strikes"]
    ids = {r.id for r in strikes.records}
    strike_id = str(day) if str(day) not in ids else f"{day}-routine"
    source_id = f"routine-update-{day}"
    assert source_id not in data.sources

    # The new strike repeats the figures of the latest one, so no chart's finding changes with the test's numbers.
    latest = max(range(len(strikes.records)), key=lambda i: strikes.records[i].date)
    starts = [strikes.located.position(("records", i))[0] for i in range(len(strikes.records))]
    path = data_dir / "strikes.yaml"
    text = path.read_text(encoding="utf-8")
    block = _latest_strike_block(text, starts, latest)
    block = re.sub(r"(?m)^(\s*- id: ).*$", rf"\g<1>{strike_id}", block, count=1)
    block = re.sub(r"(?m)^(    date: ).*$", rf"\g<1>{day}", block, count=1)
    block = re.sub(r"(?m)^    night: .*\n", "", block)
    block = re.sub(r"sources: \[[^\]]*\]", f"sources: [{source_id}]", block)
    text = _raise_as_of(text, day)
    change = f"    - date: {day}\n      description: {CHANGE}\n      kind: addition\n"
    if re.search(r"(?m)^  changes:$", text):
        text = re.sub(r"(?m)^  changes:\n", "  changes:\n" + change, text, count=1)
    else:
        text = re.sub(r"(?m)^records:$", "  changes:\n" + change + "records:", text, count=1)
    path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")

    path = data_dir / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    indent = re.search(r"(?m)^( *)- id: ", text)
    assert indent, "no `- id:` entry in sources.yaml"
    pad = indent.group(1)
    entry = "\n".join([
        f"{pad}- id: {source_id}",
        f"{pad}  publisher: Routine Update News",
        f"{pad}  title: Overnight strike on the power grid",
        f"{pad}  url: https://example.org/{source_id}",
        f"{pad}  published: {day}",
        f"{pad}  accessed: {day}",
        f"{pad}  tier: original",
    ])
    path.write_text(_raise_as_of(text, day).rstrip("\n") + "\n" + entry + "\n", encoding="utf-8")
    return Update(day, strike_id, source_id)


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Update]:
    """A copy of the project with the live data after a routine update (not yet checked or built)."""
    root = tmp_path_factory.mktemp("routine") / "proj"
    root.mkdir()
    for name in ("docs", "data", "overrides", "publish"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    if (ROOT / ".cache" / "renders").exists():  # renders are keyed by content: reuse them, re-render what changed
        shutil.copytree(ROOT / ".cache" / "renders", root / ".cache" / "renders")
    return root, routine_update(root / "data")


def test_the_live_data_validates_and_every_record_is_sourced():
    data = load_data(DATA)
    for name, ds in data.datasets.items():
        if name == "sources":
            continue
        for record in ds.records:
            assert record.sources and set(record.cited()) <= set(data.sources), f"{name}: {record.id}"


def test_routine_update_passes_the_check(updated):
    root, update = updated
    data = load_data(root / "data")
    assert data.as_of == update.day
    assert update.strike_id in {r.id for r in data["strikes"].records}
    result = subprocess.run([sys.executable, "-m", "build_charts", "check", "--data", str(root / "data")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(f"data as of {update.day}"), result.stdout


def test_routine_update_builds_and_every_page_says_the_new_date(updated):
    from publish.build import build_site, settings_for

    root, update = updated
    site = root / "site"
    build_site(settings_for(root), site)
    label = f"Data as of {day_label(update.day)}"
    for page in PAGES:
        text = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert label in text, f"{page} does not say '{label}'"
    assert str(update.day) in (site / "downloads" / "strikes.csv").read_text(encoding="utf-8")
    assert CHANGE in (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert f'id="src-{update.source_id}"' in (site / "sources" / "index.html").read_text(encoding="utf-8")
