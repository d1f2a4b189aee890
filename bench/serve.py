"""The editor's loop, measured against the real `mkdocs serve`: save a file, wait until the server shows the change.

A page edit appends a marker to a page and waits until the served page carries it. A data edit raises the
drone count of the largest strike in data/strikes.yaml and waits until the served chart image changes (the
largest strike is drawn however the chart aggregates). Each is timed from the moment the file is written
to the moment the new content is served: detection, rebuild and serving, as an editor waits for it.
"""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from .common import PY, child_env, median

PAGE = "docs/energy.md"
DATA = "data/strikes.yaml"
CHART = "charts/strikes-volume/strikes-volume-light-wide.svg"
_DRONES = re.compile(r"(drones_launched:\n\s+- value: )(\d+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


def _wait(check: Any, timeout: float = 120.0, poll: float = 0.02) -> float:
    """Seconds until `check()` is true (raises after `timeout`)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(poll)
    raise RuntimeError("the preview never showed the change")


def _largest(text: str) -> re.Match[str]:
    matches = list(_DRONES.finditer(text))
    if not matches:
        raise RuntimeError(f"{DATA}: no drones_launched value to edit")
    return max(matches, key=lambda m: int(m.group(2)))


def edits(copy: Path, runs: int = 5) -> dict[str, Any]:
    """Median seconds from save to served, for a page edit and a data edit, on `mkdocs serve` in `copy`."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=copy, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    page, data = copy / PAGE, copy / DATA
    page_text, data_text = page.read_text(encoding="utf-8"), data.read_text(encoding="utf-8")
    try:
        _wait(lambda: any("Serving on" in line for line in lines), timeout=300)
        served = next(line for line in lines if "Serving on" in line).split("Serving on ")[1].strip()
        base = served if served.endswith("/") else served + "/"
        _wait(lambda: _get(base + "energy/") is not None)
        page_s, data_s = [], []
        for i in range(runs):
            marker = f"Benchmark marker {i} {time.time_ns()}"
            page.write_text(page_text + f"\n\n{marker}\n", encoding="utf-8")
            page_s.append(_wait(lambda m=marker: m.encode() in (_get(base + "energy/") or b"")))
            time.sleep(1.0)  # let the server settle before the next edit
        page.write_text(page_text, encoding="utf-8")
        time.sleep(2.0)
        for i in range(runs):
            before = hashlib.sha256(_get(base + CHART) or b"").hexdigest()
            match = _largest(data_text)
            edited = data_text[:match.start(2)] + str(int(match.group(2)) + 10 * (i + 1)) + data_text[match.end(2):]
            data.write_text(edited, encoding="utf-8")
            data_s.append(_wait(lambda b=before: hashlib.sha256(_get(base + CHART) or b"").hexdigest() != b))
            time.sleep(1.0)
        return {"runs": runs, "page_edit_s": median(page_s), "data_edit_s": median(data_s),
                "ratio": median(data_s) / median(page_s), "all_page_s": page_s, "all_data_s": data_s}
    finally:
        page.write_text(page_text, encoding="utf-8")
        data.write_text(data_text, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
