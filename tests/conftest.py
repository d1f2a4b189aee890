"""Shared fixtures: the real data, one rendered set of charts and one built site per test run."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def data():
    from build_charts import load_data

    return load_data(DATA)


@pytest.fixture(scope="session")
def rendered(data):
    """Every chart rendered once, without the on-disk cache."""
    from build_charts.charts.render import render_data

    return render_data(data, cache_dir=None)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once (strict) into a temp folder, as `make build` would."""
    from publish.build import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1772928000")
    build_site(ROOT, out)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    """The built site served on a free loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
