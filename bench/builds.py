"""Build benchmarks on a copy of the project: clean build, warm rebuild, page edit, data edit.

Every build runs in the copy, with the copy's build_charts and publish (one
snapshot for the whole run). A clean build runs in a new Python process (as
`make build` does) after the copy's render cache (<copy>/.cache) is deleted; its time includes interpreter
start and imports, reported separately. Rebuilds run in one long-lived worker
process, as `mkdocs serve` rebuilds do, each through `publish.build.build_site`.
The `build_charts` logger tells which charts each build re-rendered. CPU time
(all threads of the build process) is reported beside wall time: it moves less
when the machine is busy with other work.
"""

from __future__ import annotations

import json
import logging
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .common import PY, child_env, median

PAGE_EDITED = "docs/energy.md"
DATA_EDITED = "data/strikes.yaml"
_LAUNCHED = re.compile(r"(drones_launched:\n\s+- value: )(\d+)")

CLEAN_CHILD = r"""
import json, logging, sys, time
t0 = time.perf_counter()
from pathlib import Path
from publish.build import build_site, settings_for
import build_charts.site.generate  # what the preview plugin imports; counted as import time
from build_charts.gcpause import one_shot
t1 = time.perf_counter()
one_shot()  # as `make build` (publish.build.main) declares
from bench.builds import Capture
cap = Capture()
build_site(settings_for(Path(sys.argv[1])), Path(sys.argv[2]))
t2 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "build_site_s": t2 - t1, "log": cap.messages,
                  "build_charts": build_charts.site.generate.__file__}))
"""


class Capture(logging.Handler):
    """Collects the messages of the `build_charts` logger ("charts rendered: ...; from cache: ...")."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []
        logger = logging.getLogger("build_charts")
        logger.setLevel(logging.INFO)
        logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def take(self) -> list[str]:
        out, self.messages = self.messages, []
        return out


def rendered_charts(messages: list[str]) -> list[str]:
    """Chart ids named after 'charts rendered:' in the build_charts log."""
    for msg in messages:
        match = re.match(r"charts rendered: (.*?); from cache:", msg)
        if match:
            return [] if match.group(1) == "none" else match.group(1).split(", ")
    return []


def _last_json(stdout: str) -> dict[str, Any]:
    return json.loads(stdout.strip().splitlines()[-1])


def clean_builds(copy: Path, site: Path, runs: int = 3) -> dict[str, Any]:
    """`runs` clean builds, each in a new process after deleting the copy's cache and site."""
    walls, builds, imports, cpus, charts = [], [], [], [], []
    for _ in range(runs):
        shutil.rmtree(copy / ".cache", ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([PY, "-c", CLEAN_CHILD, str(copy), str(site)], cwd=copy, env=child_env(),
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if proc.returncode:
            raise RuntimeError(f"clean build failed:\n{proc.stderr[-3000:]}")
        out = _last_json(proc.stdout)
        if not Path(out["build_charts"]).resolve().is_relative_to(copy.resolve()):
            raise RuntimeError(f"the build used {out['build_charts']}, not the snapshot in {copy}")
        walls.append(wall)
        builds.append(out["build_site_s"])
        imports.append(out["imports_s"])
        charts.append(rendered_charts(out["log"]))
    return {"runs": runs, "wall_s": median(walls), "build_site_s": median(builds), "imports_s": median(imports),
            "cpu_s": median(cpus), "all_wall_s": walls, "rendered": charts[-1]}


def _edit_page(copy: Path, original: str, i: int) -> None:
    (copy / PAGE_EDITED).write_text(original + f"\n\nBenchmark edit number {i}.\n", encoding="utf-8")


def _edit_data(copy: Path, original: str, i: int) -> None:
    match = _LAUNCHED.search(original)
    if match is None:
        raise RuntimeError(f"{DATA_EDITED}: no drones_launched value to edit")
    # Why a new value each run: the same edit twice would come from the render cache the second time.
    edited = original[:match.start(2)] + str(int(match.group(2)) + i + 1) + original[match.end(2):]
    (copy / DATA_EDITED).write_text(edited, encoding="utf-8")


def worker(copy: Path, site: Path, runs: int, profile: Path | None = None) -> dict[str, Any]:
    """Inside one process: a warm-up build, then warm, page-edit and data-edit rebuilds (or one profiled data edit)."""
    from publish.build import build_site, settings_for

    cap = Capture()
    page_text = (copy / PAGE_EDITED).read_text(encoding="utf-8")
    data_text = (copy / DATA_EDITED).read_text(encoding="utf-8")
    build_site(settings_for(copy), site)  # warm-up: imports, caches and the OS file cache, as in `mkdocs serve`
    cap.take()
    results: dict[str, Any] = {}

    def timed(label: str, edit: Any) -> None:
        times, cpus, rendered = [], [], []
        for i in range(runs):
            if edit:
                edit(i)
            start, cpu = time.perf_counter(), time.process_time()
            build_site(settings_for(copy), site)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            rendered.append(rendered_charts(cap.take()))
        results[label] = {"runs": runs, "median_s": median(times), "cpu_s": median(cpus), "all_s": times,
                          "rendered": rendered[-1]}

    try:
        if profile is not None:
            from pyinstrument import Profiler

            _edit_data(copy, data_text, 1000)
            from .profile import render

            profiler = Profiler(interval=0.001)
            profiler.start()
            build_site(settings_for(copy), site)
            session = profiler.stop()
            command = f"python -m bench.builds worker {copy} {site} 1 --profile {profile}"
            summary = render(session, profile, f"{command}  (pyinstrument Profiler around one data-edit build_site)")
            return {"file": str(profile), "command": command, "summary": summary,
                    "rendered": rendered_charts(cap.take())}
        timed("warm", None)
        timed("page_edit", lambda i: _edit_page(copy, page_text, i))
        (copy / PAGE_EDITED).write_text(page_text, encoding="utf-8")
        timed("data_edit", lambda i: _edit_data(copy, data_text, i))
    finally:
        (copy / PAGE_EDITED).write_text(page_text, encoding="utf-8")
        (copy / DATA_EDITED).write_text(data_text, encoding="utf-8")
    return results


def rebuilds(copy: Path, site: Path, runs: int = 5, profile: Path | None = None) -> dict[str, Any]:
    """Run `worker` in a new process (keeps the bench process free of MkDocs state)."""
    cmd = [PY, "-m", "bench.builds", "worker", str(copy), str(site), str(runs)]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    proc = subprocess.run(cmd, cwd=copy, env=child_env(), capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"rebuild worker failed:\n{proc.stderr[-3000:]}")
    return _last_json(proc.stdout)


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "worker":
        prof = Path(sys.argv[6]) if len(sys.argv) >= 7 and sys.argv[5] == "--profile" else None
        print(json.dumps(worker(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), prof)))
    else:
        raise SystemExit("usage: python -m bench.builds worker COPY SITE RUNS [--profile FILE]")
