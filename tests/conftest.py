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


RENDERS = ROOT / ".cache" / "renders"
"""The project's render cache: the tests' renders of the live data are the ones `make build` would make."""
FIXTURE_RENDERS = ROOT / ".cache" / "test-renders"
"""Renders of the frozen fixture data, shared by every test (and fixture project) that builds from it."""


@pytest.fixture(scope="session")
def rendered(data):
    """Every chart of the live data, rendered once per run (or found in the render cache)."""
    from build_charts.charts.render import render_data

    return render_data(data, RENDERS)


@pytest.fixture(scope="session")
def fixture_rendered(fixture_data):
    """Every chart of the frozen fixture data, rendered once (or found in the shared cache)."""
    from build_charts.charts.render import render_data

    return render_data(fixture_data, FIXTURE_RENDERS)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site (live pages and data) built once (strict) into a temp folder, as `make build` would.

    Tests read it for invariants only, computed from the `data` fixture (the same live data).
    """
    from publish.build import build_site, settings_for

    out = tmp_path_factory.mktemp("site") / "site"
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1772928000")
    build_site(settings_for(ROOT), out)
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
