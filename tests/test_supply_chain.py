"""What gets installed and run on a build machine: hashed locks, a build/test split, actions pinned by commit."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str) -> dict[str, tuple[str, list[str]]]:
    """Name -> (version, hashes) from a pip requirements file written with `--generate-hashes`."""
    entries: dict[str, tuple[str, list[str]]] = {}
    name = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = REQUIREMENT.match(stripped)
        if match:
            name = _normal(match[1])
            entries[name] = (match[2].rstrip(" \\"), [])
        for digest in re.findall(r"--hash=sha256:([0-9a-f]+)", stripped):
            entries[name][1].append(digest)
    return entries


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        if version:
            pins[_normal(name)] = version
    return pins


@pytest.fixture(scope="module")
def locks() -> dict[str, dict[str, tuple[str, list[str]]]]:
    return {name: parse_lock((LOCKS / f"{name}.lock").read_text(encoding="utf-8")) for name in ("build", "test")}


def test_the_parser_reads_hashes_and_notices_a_requirement_without_one():
    parsed = parse_lock("a==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\nb==2.0\n    # via a\n")
    assert parsed == {"a": ("1.0", ["0" * 64]), "b": ("2.0", [])}


def test_every_locked_package_has_a_version_and_a_sha256_and_no_address(locks):
    for name, lock in locks.items():
        assert lock, f"{name}.lock names no package"
        unhashed = [package for package, (_, hashes) in lock.items() if not hashes]
        assert not unhashed, f"{name}.lock: no hash for {unhashed}"
        assert all(len(digest) == 64 for _, hashes in lock.values() for digest in hashes)
        text = (LOCKS / f"{name}.lock").read_text(encoding="utf-8")
        assert "://" not in text and "index-url" not in text and "find-links" not in text


def test_the_test_lock_is_the_build_lock_plus_tools_at_the_same_versions(locks):
    build, test = locks["build"], locks["test"]
    assert {name: version for name, (version, _) in build.items()} == {
        name: test[name][0] for name in build if name in test
    }
    assert set(build) < set(test)


def test_the_locks_hold_what_pyproject_asks_for():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build = parse_lock((LOCKS / "build.lock").read_text(encoding="utf-8"))
    test = parse_lock((LOCKS / "test.lock").read_text(encoding="utf-8"))
    for name, version in _pins(project["project"]["dependencies"]).items():
        assert build[name][0] == version, name
    for name, version in _pins(project["project"]["optional-dependencies"]["dev"]).items():
        assert test[name][0] == version and name not in build, name
    # The editable install runs the locked backend (--no-build-isolation): it must be the one pyproject names.
    backend = _pins(project["build-system"]["requires"])
    assert {name: build[name][0] for name in backend} == backend


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    ("target", "installs", "never"),
    [("release", "build.lock", "test.lock"), ("build", "build.lock", "test.lock"), ("test", "test.lock", None)],
)
def test_each_target_installs_its_own_lock_with_hashes_required(tmp_path, target, installs, never):
    for name in ("Makefile", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(LOCKS, tmp_path / "requirements")
    printed = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    installs_lines = [line for line in printed.splitlines() if "pip install" in line]
    assert any(f"requirements/{installs}" in line for line in installs_lines), printed
    assert all("--require-hashes" in line or "--no-deps --no-build-isolation -e ." in line for line in installs_lines)
    if never:
        assert f"requirements/{never}" not in printed


def test_every_action_is_pinned_to_a_full_commit_with_its_release_named():
    uses = [
        (path.name, line.strip())
        for path in sorted((ROOT / ".github/workflows").glob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(- )?uses:", line)
    ]
    assert uses
    pinned = re.compile(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
    assert [entry for entry in uses if not pinned.fullmatch(entry[1])] == []


def test_a_release_builds_the_vega_runtime_afresh_instead_of_trusting_a_cached_copy(tmp_path, monkeypatch):
    from build_charts.site.generate import bundle_cache_dir, vega_bundle

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    real = vega_bundle()
    cached = next(bundle_cache_dir().glob("vega-*.js"))
    cached.write_bytes(b"alert('changed in the cache')")
    assert vega_bundle() == b"alert('changed in the cache')", "a preview or build reuses the cached copy"
    assert vega_bundle(fresh=True) == real
    assert cached.read_bytes() == real, "the fresh bundle replaces the changed copy"


def test_release_asks_the_build_for_a_fresh_bundle(tmp_path, monkeypatch):
    import publish.release
    from publish.build import settings_for

    seen = []

    def stop(settings, site):
        seen.append(settings.fresh_bundle)
        raise RuntimeError("stop after the settings are seen")

    monkeypatch.setattr(publish.release, "build_site", stop)
    with pytest.raises(RuntimeError):
        publish.release.release(settings_for(ROOT), tmp_path / "dist")
    assert seen == [True]
    assert settings_for(ROOT).fresh_bundle is False
