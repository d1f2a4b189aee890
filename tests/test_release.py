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

from build_charts.site.settings import Settings
from publish.build import settings_for
from publish.release import release

pytestmark = pytest.mark.slow

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


def _git_project(tmp_path: Path) -> Path:
    from tests.projects import fixture_project

    project = fixture_project(tmp_path / "project")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm",
                                                  "fixture"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
    return project


def test_release_refuses_placeholders_and_uncommitted_edits_without_a_traceback(tmp_path):
    """`make release` names each reason and writes nothing while the site would publish a placeholder."""
    import os
    import sys

    project = _git_project(tmp_path)
    (project / "data" / "strikes.yaml").write_text((project / "data" / "strikes.yaml").read_text() + "\n")
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    done = subprocess.run([sys.executable, "-m", "publish.release", str(tmp_path / "dist")], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "the site's address is a placeholder" in done.stderr
    assert "differ from commit" in done.stderr and "data/strikes.yaml" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_a_configured_clean_checkout_may_be_released(tmp_path):
    from publish.release import refusals

    project = _git_project(tmp_path)
    settings = settings_for(project, extra={"corrections": "corrections@news.example.co.uk"})
    assert any("placeholder" in p for p in refusals(settings))
    real = Settings.load(project, environ={"SITE_URL": "https://kyiv-explainer.net/"},
                         extra={"corrections": "desk@kyiv-explainer.net",
                                "masthead": {"publisher": "Kyiv Explainer", "editors": ["A. Editor"]}})
    assert refusals(real) == []
