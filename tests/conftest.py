"""Shared fixtures: the live data, the frozen fixture data, one rendered set of charts and one built site per run.

Tests that need fixed content (a record, a date, a count) use the frozen copy in `tests/fixtures/data`, so a
routine data update never breaks them; tests of the live `data/` check invariants only.
"""

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
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
"""A frozen copy of the data (taken once; never updated with the live data)."""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def data():
    from build_charts import load_data

    return load_data(DATA)


@pytest.fixture(scope="session")
def fixture_data():
    from build_charts import load_data

    return load_data(FIXTURE_DATA)


@pytest.fixture(scope="session")
def rendered(data):
    """Every chart rendered once, without the on-disk cache."""
    from build_charts.charts.render import render_data

    return render_data(data, cache_dir=None)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built once (strict) from the frozen fixture data into a temp folder, as `make build` would."""
    from publish.build import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1772928000")
    build_site(ROOT, out, extra={"data_dir": str(FIXTURE_DATA.relative_to(ROOT))})
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
