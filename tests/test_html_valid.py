"""Every HTML page of the built site is valid HTML, checked by the W3C Nu Html Checker (vnu.jar from npm).

One run of the checker over all pages (pages, 404 and embed pages), so the test costs one JVM start.
Errors in markup Material for MkDocs writes and we cannot change are listed below by their exact
message, with the element they must come from and why they are harmless; anything else fails.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

THEME_ERRORS: dict[str, tuple[str, str]] = {
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, “email”, "
    "“hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, or “week”.": (
        'class="md-toggle"',
        "Material's hidden drawer and search toggles are checkboxes with autocomplete=\"off\" so that Firefox does "
        "not restore them checked (drawer or search left open) on back/forward navigation; the attribute is "
        "ignored elsewhere and nothing reads it.",
    ),
}
"""Exact vnu message -> (text the offending element's extract must contain, why it is allowed)."""


def _theme_error(message: dict) -> bool:
    known = THEME_ERRORS.get(message.get("message", ""))
    return known is not None and known[0] in message.get("extract", "")


@pytest.fixture(scope="module")
def vnu_messages(built_site: Path) -> tuple[list[Path], list[dict]]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `make java` (Debian's default-jre-headless) or `make test`")
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: run `npm ci` (or `make test`, which does it)")
    pages = sorted(built_site.rglob("*.html"))
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always",
                           *map(str, pages)], capture_output=True, text=True, check=True, timeout=300)
    return pages, json.loads(done.stdout)["messages"]


def _where(message: dict, site: Path) -> str:
    page = message.get("url", "").removeprefix("file:")
    with contextlib.suppress(ValueError):
        page = Path(page).resolve().relative_to(site.resolve()).as_posix()
    return f"{page}:{message.get('lastLine', '?')}: {message.get('message')}\n    {message.get('extract', '').strip()}"


def test_every_page_is_checked(built_site, vnu_messages):
    pages, _ = vnu_messages
    names = {p.relative_to(built_site).as_posix() for p in pages}
    assert {"index.html", "404.html", "methodology/index.html"} <= names
    assert any(n.startswith("embed/") for n in names), "embed pages are checked too"


def test_no_html_errors_of_ours(built_site, vnu_messages):
    _, messages = vnu_messages
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error") and not _theme_error(m)]
    assert errors == [], "invalid HTML:\n" + "\n".join(_where(m, built_site) for m in errors)


def test_allowed_theme_errors_still_occur(vnu_messages):
    """An allowance the theme no longer needs is removed, so the list never hides a new error of ours."""
    _, messages = vnu_messages
    seen = {m["message"] for m in messages if _theme_error(m)}
    assert set(THEME_ERRORS) <= seen, f"no longer reported, remove from THEME_ERRORS: {set(THEME_ERRORS) - seen}"


def test_lock_files_pin_versions_and_name_no_download_address():
    """Installs resolve through the registries the machine is set up for; the locks carry versions only."""
    npm_lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    vnu = npm_lock["packages"]["node_modules/vnu-jar"]
    assert vnu["version"] == json.loads((ROOT / "package.json").read_text())["devDependencies"]["vnu-jar"]
    assert not [name for name, entry in npm_lock["packages"].items() if "resolved" in entry]
    pip_lock = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "requirements").glob("*.lock")))
    assert "://" not in pip_lock and "--index-url" not in pip_lock and "--extra-index-url" not in pip_lock
    assert pip_lock.count("==") >= 40  # versions and hashes: tests/test_supply_chain.py
