"""Scale: build_charts load + render (render_data, no cache) on synthetic data at 1x, 10x, 100x the records.

Title checks are off in the child (copies shifted in time make titles such as "the largest strike of 2026"
untrue; they have their own tests). Each size runs in its own process, which reports its peak memory (ru_maxrss)
and a line per step (start, loaded, done), so a size that exceeds its time cap
still tells how far it got. Synthetic data lives in a temporary folder (see bench/synth.py).
The loader refuses data files above build_charts.data.strict_yaml.MAX_BYTES; the
child lifts that limit for the benchmark and reports which files exceeded it.
"""

from __future__ import annotations

import json
import queue
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .common import PY, child_env
from .synth import MULTIPLIED, generate

FACTORS = (1, 10, 100)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child(data_dir: Path) -> None:
    """Load and render `data_dir`, printing one JSON line per step (runs in its own process).

    cpu_s is the process's CPU time (all threads, imports included): less sensitive to a busy machine than wall time.
    """
    import build_charts.charts.render as render
    import build_charts.data.strict_yaml as strict_yaml
    from build_charts import load_data
    from build_charts.gcpause import one_shot

    one_shot()  # a process that ends after one build, as the CLI and `make build` declare

    def emit(**fields: Any) -> None:
        print(json.dumps({**fields, "rss_mb": round(_rss_mb(), 1)}), flush=True)

    over = sorted(p.name for p in data_dir.glob("*.yaml") if p.stat().st_size > strict_yaml.MAX_BYTES)
    strict_yaml.MAX_BYTES = 10**10
    # Why: copies of the records shifted in time make titles such as "the largest strike of 2026" untrue; the
    # benchmark measures what rendering costs, and the title checks have their own tests.
    render.check_title = lambda defn, table: None
    emit(event="start", over_limit=over)
    start = time.perf_counter()
    data = load_data(data_dir)
    loaded = time.perf_counter()
    emit(event="load", s=loaded - start, records=sum(len(data[d].records) for d in MULTIPLIED))
    render.render_data(data, cache_dir=None)
    emit(event="done", load_s=loaded - start, render_s=time.perf_counter() - loaded, cpu_s=time.process_time())


def run_size(data_dir: Path, cap_s: float, project: Path) -> dict[str, Any]:
    """Run `child` on `data_dir` in a new process in `project` (the copy), stopping it after `cap_s` seconds."""
    proc = subprocess.Popen([PY, "-m", "bench.scale", "child", str(data_dir)], cwd=project, env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    start = time.perf_counter()
    events: list[dict[str, Any]] = []
    timed_out = False
    started_at: float | None = None  # when the child had its imports done and began loading
    while True:
        left = cap_s - (time.perf_counter() - start)
        try:
            line = lines.get(timeout=max(left, 0.01))
        except queue.Empty:
            timed_out = True
            proc.kill()
            break
        if line is None:
            break
        events.append(json.loads(line))
        if events[-1]["event"] == "start":
            started_at = time.perf_counter()
    proc.wait()
    now = time.perf_counter()
    wall = now - start
    if not timed_out and proc.returncode:
        raise RuntimeError(f"scale child failed on {data_dir}:\n{proc.stderr.read()[-3000:] if proc.stderr else ''}")
    by = {e["event"]: e for e in events}
    load_s = by.get("load", {}).get("s")
    done = by.get("done")
    return {
        "load_s": load_s,
        "render_s": done["render_s"] if done else None,
        "total_s": done["load_s"] + done["render_s"] if done else None,
        # Why from the child's start line: interpreter start and imports are not load + render.
        "at_least_s": now - (started_at or start) if not done else None,
        "wall_s": wall,
        "timed_out": timed_out,
        "cap_s": cap_s,
        "cpu_s": done["cpu_s"] if done else None,
        "peak_rss_mb": max((e["rss_mb"] for e in events), default=None),
        "over_size_limit": by.get("start", {}).get("over_limit", []),
    }


def scale(tmp: Path, caps: dict[int, float], project: Path) -> dict[str, Any]:
    """Every factor of FACTORS, generated from the copy's data into `tmp` and measured with the copy's code."""
    out: dict[str, Any] = {}
    for factor in FACTORS:
        folder = tmp / f"data-x{factor}"
        counts = generate(project / "data", folder, factor)
        out[f"{factor}x"] = {"factor": factor, "data_dir": str(folder), **run_size(folder, caps[factor], project),
                             "records": sum(counts.values()), "records_by_dataset": counts}
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        child(Path(sys.argv[2]))
    else:
        raise SystemExit("usage: python -m bench.scale child DATA_DIR")
