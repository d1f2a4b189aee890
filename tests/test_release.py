"""Releases: reproducible archives, checksums, workflows and deployment headers."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from publish.build import settings_for
from publish.release import release

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    first = release(settings_for(ROOT), tmp_path_factory.mktemp("dist1") / "dist")
    second = release(settings_for(ROOT), tmp_path_factory.mktemp("dist2") / "dist")
    return first, second


def test_two_releases_of_the_same_commit_are_byte_identical(two_releases):
    first, second = two_releases
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two releases"


def test_checksums_verify_with_sha256sum(two_releases):
    dist = two_releases[0][0].parent
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for line in (dist / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest


def test_site_archive_is_normalised(two_releases):
    archive = next(p for p in two_releases[0] if p.name.endswith("-site.tar.gz"))
    raw = archive.read_bytes()
    assert raw[4:8] == b"\x00\x00\x00\x00", "gzip header carries no timestamp"
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert {m.mtime for m in members} == {members[0].mtime}
        assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
        assert {m.mode for m in members if m.isfile()} == {0o644}
        assert any(n.endswith("/index.html") for n in names)
        assert any(n.endswith("/calendar.ics") for n in names)
        cite = tar.extractfile(next(m for m in members if m.name.endswith("/methodology/index.html"))).read().decode()
        assert "version " in cite and ", commit " in cite, "Methodology's 'cite this version' names the release"


def test_data_package_has_every_dataset_schema_and_readme(two_releases, data):
    package = next(p for p in two_releases[0] if p.name.endswith("-data.zip"))
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        for name in data.datasets:
            assert {f"data/{name}.csv", f"data/{name}.json", f"schemas/{name}.schema.json"} <= names
        readme = zf.read("README.md").decode()
        assert "How to cite" in readme and "CC BY 4.0" in readme and "dw-2025-12-06" in readme
        assert len({i.date_time for i in zf.infolist()}) == 1


def test_workflows_pass_actionlint():
    actionlint = shutil.which("actionlint") or str(Path(__file__).resolve().parents[1] / ".venv/bin/actionlint")
    result = subprocess.run([actionlint, *sorted(str(p) for p in (ROOT / ".github/workflows").glob("*.yml"))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_run_the_readme_commands():
    test = (ROOT / ".github/workflows/test.yml").read_text()
    assert "make test" in test and "pull_request" in test
    rel = (ROOT / ".github/workflows/release.yml").read_text()
    assert "make release" in rel and "sha256sum -c SHA256SUMS" in rel and "tags:" in rel
    pages = (ROOT / ".github/workflows/pages.yml").read_text()
    assert "deploy-pages" in pages and "make release" in pages


def test_headers_files_carry_a_strict_policy(built_site):
    headers = (built_site / "_headers").read_text()
    policy = next(line.split(": ", 1)[1] for line in headers.splitlines()
                  if line.strip().startswith("Content-Security-Policy"))
    assert "'unsafe-eval'" not in policy
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert script_src == "script-src 'self'", "every script is a file of the site: no inline script, no hash"
    assert "X-Content-Type-Options: nosniff" in headers and "Referrer-Policy:" in headers
    assert "immutable" in headers
    nginx = (built_site / "nginx-headers.conf").read_text()
    assert "Content-Security-Policy" in nginx and "nosniff" in nginx
    assert "include" in (ROOT / "deploy/nginx.conf").read_text()
