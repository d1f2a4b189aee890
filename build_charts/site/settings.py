"""The site's settings, read once from `mkdocs.yml` and the environment into one typed object.

Everything that generates the site takes a `Settings`, so no module reads the config file or an
environment variable on its own. `SITE_URL` in the environment wins over `site_url` in mkdocs.yml (CI sets
it from a repository variable); `extra` holds the data folder, the masthead and the corrections address.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

PLACEHOLDER_HOSTS = frozenset({"example.org", "example.com", "example.net"})
SHARED_HOSTS = ("github.io", "pages.dev", "netlify.app", "gitlab.io")
"""Hosting domains a site's address may sit on, where no corrections mailbox can exist."""
"""Hosts reserved for documentation (RFC 2606): a site or address on one is not ready to publish."""


def _day(value: object) -> dt.date | None:
    """A date from the config: YAML gives a date, an environment a string; empty is None."""
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class Masthead:
    """Who publishes the site and how to reach them (mkdocs.yml `extra.masthead`), shown on About and in the footer."""

    publisher: str = ""
    editors: tuple[str, ...] = ()
    contact: str = ""
    """An email address or an https:// address for readers."""


@dataclass(frozen=True)
class Settings:
    """What a build needs to know besides the data: where things are, the site's name and address, the masthead."""

    root: Path
    config: dict[str, Any]
    """mkdocs.yml as plain data (the staging step derives the engine's config from it)."""
    site_name: str
    site_url: str
    """The published address, ending in '/' ('' when none is set)."""
    docs_dir: Path
    data_dir: Path
    cache_dir: Path
    """Generated files kept between builds (`.cache/`, git-ignored; never inside docs/ or data/)."""
    masthead: Masthead
    corrections: str
    """Where readers send corrections: the configured address, else corrections@ at the site's domain."""
    version: dict[str, str] = field(default_factory=dict)
    """Version, commit and date of this build (publish.version), for citations and the data package."""
    first_published: dt.date | None = None
    """The day the site was first published (`extra.first_published`): the Changes log starts there."""
    fresh_bundle: bool = False
    """Build the Vega runtime from the installed vl-convert, reading no cached copy (releases: the copy in the
    user's cache folder lies outside the project, where anything may have changed it)."""

    @classmethod
    def load(cls, root: Path, *, config_file: str = "mkdocs.yml", environ: Mapping[str, str] | None = None,
             extra: Mapping[str, Any] | None = None, version: dict[str, str] | None = None) -> Settings:
        """Settings of the project at `root`; `extra` overrides mkdocs.yml's `extra` (tests point at fixture data)."""
        config = yaml.safe_load((root / config_file).read_text(encoding="utf-8")) or {}
        config["extra"] = {**(config.get("extra") or {}), **(extra or {})}
        return cls.from_config(root, config, environ=environ, version=version)

    @classmethod
    def from_config(cls, root: Path, config: Mapping[str, Any], *, environ: Mapping[str, str] | None = None,
                    version: dict[str, str] | None = None) -> Settings:
        """Settings from an already-read config (the preview passes MkDocs' own, as plain data)."""
        env = os.environ if environ is None else environ
        extra = dict(config.get("extra") or {})
        url = env.get("SITE_URL") or str(config.get("site_url") or "")
        url = url if not url or url.endswith("/") else url + "/"
        head = extra.get("masthead") or {}
        masthead = Masthead(publisher=str(head.get("publisher") or config.get("site_name") or ""),
                            editors=tuple(str(e) for e in head.get("editors") or ()),
                            contact=str(head.get("contact") or ""))
        host = (urlparse(url).hostname or "example.org").removeprefix("www.")
        return cls(
            root=root,
            config=dict(config),
            site_name=str(config.get("site_name") or ""),
            site_url=url,
            docs_dir=root / str(config.get("docs_dir") or "docs"),
            data_dir=root / str(extra.get("data_dir") or "data"),
            cache_dir=root / ".cache",
            masthead=masthead,
            corrections=str(extra.get("corrections") or "") or f"corrections@{host}",
            version=dict(version or {}),
            first_published=_day(extra.get("first_published")),
        )

    def placeholders(self) -> list[str]:
        """What still points at a placeholder and must be set before publishing (empty when ready)."""
        problems = []
        if not self.site_url or (urlparse(self.site_url).hostname or "") in PLACEHOLDER_HOSTS:
            problems.append(f"the site's address is a placeholder ({self.site_url or 'not set'}): set the SITE_URL "
                            "environment variable (a repository variable in CI) or site_url in mkdocs.yml")
        corrections_host = self.corrections.rpartition("@")[2] if "@" in self.corrections else (
            urlparse(self.corrections).hostname or "")
        configured = (self.config.get("extra") or {}).get("corrections")
        if not configured and corrections_host.endswith(SHARED_HOSTS):
            problems.append(f"the corrections address would be {self.corrections}, but {corrections_host} is a shared "
                            "host that receives no mail: set extra.corrections in mkdocs.yml")
        elif corrections_host.removeprefix("www.") in PLACEHOLDER_HOSTS:
            problems.append(f"the corrections address is a placeholder ({self.corrections}): set extra.corrections "
                            "in mkdocs.yml, or the site's real address")
        if not self.masthead.editors:
            problems.append("no editor is named: list the responsible editors in extra.masthead.editors in mkdocs.yml "
                            "(About and the footer show them)")
        return problems
