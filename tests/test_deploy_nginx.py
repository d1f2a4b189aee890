"""deploy/nginx.conf in a real nginx (Debian's, installed by `make nginx`) over a built site.

nginx runs as a plain process, never as a system service: a temporary prefix, config, pid file, error and
access logs, on a free loopback port, stopped at the end. Each response is checked for its Content-Type and
for every security header, with the same values the `_headers` rules give (publish/headers.py), because a
location with an add_header of its own drops the server's headers in nginx.
"""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.headers import COMMON, headers_for

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy" / "nginx.conf"
SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")

pytestmark = pytest.mark.serve


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        pytest.fail("nginx is missing: run `make nginx` (Debian's nginx-light) or `make test`")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(prefix: Path, site: Path, port: int) -> Path:
    """A main config like Debian's /etc/nginx/nginx.conf, with deploy/nginx.conf as its one server."""
    server = DEPLOY.read_text(encoding="utf-8")
    for old in ("listen 80;", "root /srv/ukraine-resilience;", "include /srv/ukraine-resilience/nginx-headers.conf;"):
        assert server.count(old) == 1, f"deploy/nginx.conf no longer has `{old}`: update this test"
    server = (server.replace("listen 80;", f"listen 127.0.0.1:{port};")
              .replace("/srv/ukraine-resilience", str(site)))
    (prefix / "server.conf").write_text(server, encoding="utf-8")
    # Workers must read the site in pytest's private temp folder: as root, they run as root.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"{kind}_temp_path {prefix / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = (f"{user}worker_processes 1;\nerror_log {prefix / 'error.log'} info;\n"
            "events { worker_connections 64; }\n"
            f"http {{\ninclude /etc/nginx/mime.types;\ndefault_type application/octet-stream;\n"
            f"access_log {prefix / 'access.log'};\n{temp}include {prefix / 'server.conf'};\n}}\n")
    conf = prefix / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


def _run(nginx: str, prefix: Path, conf: Path, *extra: str) -> list[str]:
    return [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"),
            "-g", f"daemon off; pid {prefix / 'nginx.pid'};", *extra]


@pytest.fixture(scope="module")
def nginx_site(built_site, tmp_path_factory) -> Iterator[tuple[int, Path, Path]]:
    """(port, site folder, nginx prefix) of nginx serving the built site with deploy/nginx.conf."""
    nginx = _nginx()
    prefix = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    conf = _config(prefix, built_site, port)
    checked = subprocess.run(_run(nginx, prefix, conf, "-t"), capture_output=True, text=True)
    assert checked.returncode == 0, f"nginx -t refused the config:\n{checked.stderr}"
    proc = subprocess.Popen(_run(nginx, prefix, conf), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(200):  # wait until it listens (or has exited); nothing here measures time
            if proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        assert proc.poll() is None, f"nginx exited:\n{proc.stdout.read() if proc.stdout else ''}"
        yield port, built_site, prefix
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def _get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _one(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, f"the built site has no {pattern}"
    return found[0].relative_to(site).as_posix()


def _samples(site: Path) -> dict[str, tuple[str, str]]:
    """Request path -> (file it serves, the Content-Type expected)."""
    return {
        "/": ("index.html", "text/html; charset=utf-8"),
        "/energy/": ("energy/index.html", "text/html; charset=utf-8"),
        "/" + (js := _one(site, "assets/javascripts/bundle.*.js")): (js, "application/javascript; charset=utf-8"),
        "/" + (css := _one(site, "assets/stylesheets/main.*.css")): (css, "text/css; charset=utf-8"),
        "/" + (svg := _one(site, "charts/*/*.svg")): (svg, "image/svg+xml; charset=utf-8"),
        "/" + (csv := _one(site, "charts/*/*.csv")): (csv, "text/csv; charset=utf-8"),
        "/" + (embed := _one(site, "embed/*.html")): (embed, "text/html; charset=utf-8"),
        "/feed.xml": ("feed.xml", "application/atom+xml; charset=utf-8"),
        "/sitemap.xml": ("sitemap.xml", "text/xml; charset=utf-8"),
        "/calendar.ics": ("calendar.ics", "text/calendar; charset=utf-8"),
    }


def test_nginx_accepts_the_generated_headers_snippet(nginx_site):
    _port, site, prefix = nginx_site
    assert (site / "nginx-headers.conf").is_file()
    log = (prefix / "error.log").read_text(encoding="utf-8", errors="replace")
    assert "[emerg]" not in log and "[warn]" not in log, log


def test_every_response_has_its_type_and_the_security_headers(nginx_site):
    port, site, _ = nginx_site
    policy = next(line.split(": ", 1)[1] for line in (site / "_headers").read_text().splitlines()
                  if line.startswith("  Content-Security-Policy:") and "frame-ancestors 'self'" in line)
    embed_policy = policy.replace("frame-ancestors 'self'", "frame-ancestors *")
    for path, (file, content_type) in _samples(site).items():
        status, headers, body = _get(port, path)
        assert status == 200, path
        assert body == (site / file).read_bytes(), f"{path} serves {file}"
        assert headers.get("content-type") == content_type, f"{path}: {headers.get('content-type')}"
        want = headers_for(file, (site / file).read_bytes()[:1024], policy, embed_policy)
        for name in (*SECURITY, "Cache-Control"):
            assert headers.get(name.lower()) == want.get(name), f"{path}: {name}"
        for name, value in COMMON.items():
            assert headers.get(name.lower()) == value, f"{path}: {name}"


def test_embed_pages_may_be_framed_by_any_site_and_pages_by_none(nginx_site):
    port, site, _ = nginx_site
    _, embed, _ = _get(port, "/" + _one(site, "embed/*.html"))
    _, page, _ = _get(port, "/energy/")
    assert embed["content-security-policy"].endswith("frame-ancestors *")
    assert "frame-ancestors 'self'" not in embed["content-security-policy"]
    assert page["content-security-policy"].endswith("frame-ancestors 'self'")
    assert "x-frame-options" not in embed


def test_missing_pages_and_host_files_get_the_404_page_with_the_headers(nginx_site):
    port, site, _ = nginx_site
    for path in ("/no-such-page/", "/energy/no-such-page/", "/charts/no-such.svg", "/_headers",
                 "/nginx-headers.conf"):
        status, headers, body = _get(port, path)
        assert status == 404, path
        assert body == (site / "404.html").read_bytes(), path
        assert headers["content-type"] == "text/html; charset=utf-8", path
        for name in SECURITY:
            assert name.lower() in headers, f"{path}: {name}"


def test_text_is_sent_compressed(nginx_site):
    port, site, _ = nginx_site
    for path, (file, _type) in _samples(site).items():
        status, headers, body = _get(port, path, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip", path
        assert gzip.decompress(body) == (site / file).read_bytes(), path
