"""Helpers shared by the benchmarks: a throwaway project copy, medians, a quiet static server."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import shutil
import socketserver
import statistics
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
COPIED = ("build_charts", "docs", "data", "overrides", "publish", "mkdocs.yml", "pyproject.toml")
"""What a site build reads. build_charts is copied too so the whole run measures one snapshot, even when
the working tree changes meanwhile; children run in the copy, so its build_charts wins over the installed one."""


def copy_project(dest: Path, ref: str | None = None) -> Path:
    """Copy what a build needs into `dest` (a temporary folder), from the working tree or a git ref."""
    dest.mkdir(parents=True, exist_ok=True)
    if ref:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, *COPIED],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        return dest
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def child_env() -> dict[str, str]:
    """Environment for child processes run in the copy: bench/ stays importable from the real project."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


PAGES = ("", "energy/", "force-caps/", "calendar/", "methodology/", "sources/", "changes/", "about/")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def gzip_size(body: bytes, level: int = 6) -> int:
    return len(gzip.compress(body, compresslevel=level, mtime=0))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _GzipHandler(_QuietHandler):
    """Sends text files gzip-compressed (level 6) when asked, as a production server would."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the URL with a slash
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not wants_gzip or not path.is_file() or not ctype.startswith(COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(folder: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve `folder` on a free 127.0.0.1 port (gzip for text when `compress`); yields the base URL (ending in /)."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
