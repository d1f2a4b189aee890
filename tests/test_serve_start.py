"""The preview starts even when a data file is broken: an editor restarting the server the next morning sees pages.

With git, the pages show the data as last committed, under a banner naming the problem (file:line); without
git, the pages still render with each chart replaced by a notice. Fixing the file recovers in both cases.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import test_serve
from test_serve import _free_port, _get, _Log, _text

project = test_serve.project  # the same throwaway project copy as the other preview test

BROKEN = ("drones_downed:\n      - value: 585", "drones_downed:\n      - value: 700")


def _git(root, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def _serve(project):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(project / "mkdocs.yml"),
         "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, _Log(proc.stdout), f"http://127.0.0.1:{port}/ukraine-resilience/energy/"


def _stop(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    log.join()
    proc.stdout.close()


@pytest.mark.parametrize("with_git", [True, False], ids=["committed-data", "no-git"])
def test_serve_starts_with_broken_data_and_recovers(project, with_git):
    strikes = project / "data" / "strikes.yaml"
    good = strikes.read_text()
    assert BROKEN[0] in good
    if with_git:
        _git(project, "init", "-q")
        _git(project, "add", "data")
        _git(project, "commit", "-q", "-m", "data")
    strikes.write_text(good.replace(*BROKEN, 1))
    proc, log, url = _serve(project)
    try:
        start = log.wait_for("Serving on", 0, 240)
        assert proc.poll() is None, "the server must start despite the broken file"
        assert any("strikes.yaml:" in line and "700 drones downed or lost" in line for line in log.lines[:start])
        page = _text(url)
        assert "data-error" in page and "700 drones downed or lost is more than the 653" in page
        if with_git:
            assert "the preview shows the data as last committed" in page
            assert 'class="chart"' in page and "chart-missing" not in page, "charts from the committed data"
        else:
            assert "the preview hides the charts until it is fixed" in page
            assert "chart-missing" in page
        assert not any("Traceback" in line for line in log.lines)
        strikes.write_text(good)
        log.wait_for("Reloading browsers", log.wait_for("Detected file changes", start, 60), 180)
        assert _get(url) == 200
        fixed = _text(url)
        assert "data-error" not in fixed and 'class="chart"' in fixed
    finally:
        _stop(proc, log)
