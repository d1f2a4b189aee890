"""The Content-Security-Policy the build writes (`_headers`) is one the site really satisfies."""

from __future__ import annotations

import fnmatch
import functools
import http.server
import socketserver
import threading
from pathlib import Path

import pytest

from .conftest import CHROMIUM_ARGS, PAGES, page_id, wait_live

pytestmark = pytest.mark.browser


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if line and not line.startswith(" "):
            rules.append((line.strip(), {}))
        elif line.strip():
            key, value = line.strip().split(": ", 1)
            rules[-1][1][key] = value
    return rules


def _handler(site: Path, rules):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            path = self.path.split("?")[0]
            merged: dict[str, str] = {}
            for pattern, headers in rules:
                if fnmatch.fnmatch(path, pattern):
                    merged.update(headers)
            for key, value in merged.items():
                self.send_header(key, value)
            super().end_headers()

        def log_message(self, format, *args):
            pass

    return functools.partial(Handler, directory=str(site))


@pytest.fixture(scope="module")
def csp_url(built_site):
    rules = parse_headers((built_site / "_headers").read_text())
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(built_site, rules))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


RECORD = """window.__csp = []; document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));"""


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_no_csp_violation_with_the_interactive_layer(chromium, csp_url, path):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.add_init_script(RECORD)
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
        response = page.goto(csp_url + path, wait_until="load")
        assert "default-src 'self'" in response.headers["content-security-policy"]
        frames = page.locator(".chart-frame")
        if frames.count():
            frame = frames.first
            frame.scroll_into_view_if_needed()
            frame.hover()

            class _Rec:  # the shape wait_live expects
                def __init__(self, p):
                    self.page, self.console, self.console_errors, self.failures = p, [], [], []

                def vega_requests(self):
                    return []

            wait_live(_Rec(page), frame)
        page.wait_for_timeout(300)
        violations = page.evaluate("window.__csp")
        assert violations == [], f"CSP violations on /{path}: {violations}"
        assert not [m for m in messages if "Content Security Policy" in m], messages
    finally:
        context.close()


def test_chromium_args_are_the_sandbox_safe_ones():
    assert "--disable-background-networking" in CHROMIUM_ARGS
