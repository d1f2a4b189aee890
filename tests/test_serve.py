"""The live preview against a real `mkdocs serve`: every linked file served, data edits shown, broken data survived.

One server for the editor's session (edits in order, as an editor makes them), and one per way of starting
with broken data. Each waits on what the server prints, never on a fixed time.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from projects import fixture_project

pytestmark = pytest.mark.serve
BROKEN = ("drones_downed:\n      - value: 585", "drones_downed:\n      - value: 700")
PROBLEM = "700 drones downed or lost is more than the 653 launched"
_DRONES = re.compile(r"(drones_launched:\n\s+- value: )(\d+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def _text(url: str) -> str:
    status, body = _get(url)
    assert status == 200, f"{url}: {status}"
    return body.decode()


class _Log:
    """What the server prints, read in a thread; `wait_for` finds a line printed after a given one."""

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


class Server:
    """`mkdocs serve` on a free loopback port, for one project copy."""

    def __init__(self, project: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/ukraine-resilience/"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(project / "mkdocs.yml"),
             "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.log = _Log(self.proc.stdout)

    def rebuilt(self, after: int) -> int:
        """The line that says the rebuild started after line `after` has been served."""
        return self.log.wait_for("Reloading browsers", self.log.wait_for("Detected file changes", after, 60), 180)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.join()
        self.proc.stdout.close()
        assert not any("Traceback" in line for line in self.log.lines), "".join(self.log.lines[-40:])


def _linked_files(base: str, page: str) -> list[str]:
    """Every chart file, download and embed page a served page links to."""
    html = _text(base + page)
    found = re.findall(r'(?:href|src|srcset)="([^"#]+)"', html)
    return sorted({urljoin(base + page, u.split()[0]) for u in found
                   if "charts/" in u or "embed/" in u or "downloads/" in u or u.endswith(".ics")})


def test_the_editors_session(tmp_path):
    """Start, open every download, edit a figure, break a file, fix it: the preview serves each state."""
    project = fixture_project(tmp_path / "proj")
    server = Server(project)
    try:
        start = server.log.wait_for("Serving on", 0, 240)
        links = _linked_files(server.base, "energy/")
        assert any(u.endswith(".png") for u in links) and any(u.endswith(".csv") for u in links)
        assert [u for u in links if _get(u)[0] != 200] == [], "every file a page links to is served"

        strikes = project / "data" / "strikes.yaml"
        good = strikes.read_text()
        chart = server.base + "charts/strikes-volume/strikes-volume-light-wide.svg"
        before = _get(chart)[1]
        largest = max(_DRONES.finditer(good), key=lambda m: int(m.group(2)))
        edited = good[:largest.start(2)] + str(int(largest.group(2)) + 100) + good[largest.end(2):]
        strikes.write_text(edited)
        at = server.rebuilt(start)
        assert _get(chart)[1] != before, "the data edit is drawn"
        assert [u for u in _linked_files(server.base, "energy/") if _get(u)[0] != 200] == [], (
            "after a data edit, the new downloads are served too")

        strikes.write_text(good.replace(*BROKEN, 1))  # a different edit: a downed count above the launches
        at = server.log.wait_for("drones_downed: 700 drones downed or lost", at, 60)
        assert "strikes.yaml:" in server.log.lines[at]
        server.log.wait_for("Reloading browsers", at, 60)
        assert server.proc.poll() is None, "the server keeps running"
        page = _text(server.base + "energy/")
        assert "data-error" in page and "the preview shows the last valid data" in page and PROBLEM in page

        strikes.write_text(good)
        server.rebuilt(at + 1)
        assert "data-error" not in _text(server.base + "energy/")
        assert _get(chart)[1] == before, "the fix is drawn again from the render cache"
    finally:
        server.stop()


@pytest.fixture
def broken_project(tmp_path):
    project = fixture_project(tmp_path / "proj")
    strikes = project / "data" / "strikes.yaml"
    assert BROKEN[0] in strikes.read_text()
    return project


def _git(root, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("with_git", [True, False], ids=["committed-data", "no-git"])
def test_the_preview_starts_with_broken_data_and_recovers(broken_project, with_git):
    """With git, pages show the data as last committed under a banner; without, a notice in place of each chart."""
    strikes = broken_project / "data" / "strikes.yaml"
    good = strikes.read_text()
    if with_git:
        _git(broken_project, "init", "-q")
        _git(broken_project, "add", "data")
        _git(broken_project, "commit", "-q", "-m", "data")
    strikes.write_text(good.replace(*BROKEN, 1))
    server = Server(broken_project)
    try:
        start = server.log.wait_for("Serving on", 0, 240)
        assert any("strikes.yaml:" in line and "700 drones downed or lost" in line for line in server.log.lines[:start])
        page = _text(server.base + "energy/")
        assert "data-error" in page and PROBLEM in page
        if with_git:
            assert "the preview shows the data as last committed" in page
            assert 'class="chart"' in page and "chart-missing" not in page, "charts from the committed data"
        else:
            assert "the preview hides the charts until it is fixed" in page and "chart-missing" in page
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request("GET", "/ukraine-resilience/", headers={"Host": "attacker.example"})
            assert connection.getresponse().status == 421, "the preview answers only on its loopback address"
            connection.close()
            assert _get(server.base + "%00")[0] == 400
        strikes.write_text(good)
        server.rebuilt(start)
        fixed = _text(server.base + "energy/")
        assert "data-error" not in fixed and 'class="chart"' in fixed
    finally:
        server.stop()
