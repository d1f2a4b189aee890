"""The live preview: `mkdocs serve` keeps serving after a broken data edit, prints the error, recovers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except Exception:
        return 0


def _text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


class _Log:
    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    def join(self) -> None:
        self._thread.join(timeout=10)

    def wait_for(self, text: str, start: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i in range(start, len(self.lines)):
                if text in self.lines[i]:
                    return i
            time.sleep(0.1)
        raise AssertionError(f"'{text}' not printed within {timeout} s; log:\n" + "".join(self.lines[-40:]))


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    for name in ("docs", "overrides", "publish"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(FIXTURE_DATA, root / "data")  # the edit below needs fixed content
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    if (ROOT / ".cache" / "renders").exists():
        shutil.copytree(ROOT / ".cache" / "renders", root / ".cache" / "renders")
    return root


def test_serve_survives_a_broken_data_edit_and_recovers(project):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/ukraine-resilience/energy/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(project / "mkdocs.yml"),
         "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = _Log(proc.stdout)
    try:
        start = log.wait_for("Serving on", 0, 240)
        assert _get(url) == 200
        strikes = project / "data" / "strikes.yaml"
        good = strikes.read_text()
        strikes.write_text(good.replace("drones_downed:\n      - value: 585", "drones_downed:\n      - value: 700", 1))
        at = log.wait_for("drones_downed: 700 drones downed or lost is more than the 653 launched", start, 60)
        assert "strikes.yaml:" in log.lines[at]
        time.sleep(0.5)
        assert proc.poll() is None, "the server must keep running"
        log.wait_for("Reloading browsers", at, 60)
        assert _get(url) == 200, "the last good site is still served"
        assert "700 drones downed or lost is more than the 653 launched" in _text(url), "the page shows the problem"
        assert not any("Traceback" in line for line in log.lines), "no traceback for a data problem"
        strikes.write_text(good)
        fixed = log.wait_for("Reloading browsers", log.wait_for("Detected file changes", at + 1, 60), 120)
        assert fixed > at
        assert _get(url) == 200 and "data-error" not in _text(url)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.join()
        proc.stdout.close()
