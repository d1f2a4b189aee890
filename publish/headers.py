"""HTTP headers for hosts that allow them: the site's Content-Security-Policy and the other security headers.

The policy comes from build_charts/site/security.py (our templates' scripts are all files, so it holds no
hash and cannot be widened by what a page contains). Written as a Netlify/Cloudflare Pages `_headers` file
and an nginx snippet.

Why the rules never overlap: hosts disagree on what happens when several `_headers` rules match a
path. Some apply every matching rule (Netlify and Cloudflare Pages merge them, joining two values of
one header with a comma), others only the most specific one. With a `/*` rule and an `/embed/*` rule,
merging hosts sent embed pages both `frame-ancestors 'self'` and `frame-ancestors *`, so no other site
could frame them. Here every path of the built site matches exactly one rule, which carries every
header for it, so both readings give the same headers. nginx has the same trap in another form: a
location with its own `add_header` drops the server's, so each location repeats the full set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from build_charts.site.security import policy as site_policy

_ATOM = re.compile(rb"<feed\b[^>]*\bxmlns=[\"']http://www\.w3\.org/2005/Atom[\"']")


def csp(site_dir: Path, *, frame_ancestors: str = "'self'") -> str:
    """The policy string for the pages of `site_dir`: the templates' policy, whatever the pages hold."""
    return site_policy(frame_ancestors=frame_ancestors)


COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
IMMUTABLE = "public, max-age=31536000, immutable"
"""Material's assets carry a content hash in their names, so they can be cached for a year."""
HOURLY = "public, max-age=3600"
"""Charts and calendars change with the data: an hour keeps a correction from waiting long."""
NOT_CONTENT = frozenset({"_headers", "nginx-headers.conf"})
"""Host configuration written into the built folder, not pages: no rule is written for them."""

Headers = dict[str, str]
Rule = tuple[str, Headers]


def headers_for(rel: str, content: bytes, policy: str, embed_policy: str) -> Headers:
    """Every header one built file is sent with (`rel`: its path in the site, `content`: its first bytes).

    `policy` and `embed_policy` are the Content-Security-Policy of pages and of embed pages (the latter
    allows any site to frame them).
    """
    top, _, rest = rel.partition("/")
    headers: Headers = {"Content-Security-Policy": embed_policy if top == "embed" else policy, **COMMON}
    if top == "assets" and rest.split("/", 1)[0] in ("stylesheets", "javascripts"):
        headers["Cache-Control"] = IMMUTABLE
    elif top == "charts":
        headers["Cache-Control"] = HOURLY
    if rel.endswith(".ics"):
        headers["Content-Type"] = "text/calendar; charset=utf-8"
        headers["Cache-Control"] = HOURLY
    elif rel.endswith(".xml") and _ATOM.search(content):
        headers["Content-Type"] = "application/atom+xml; charset=utf-8"  # the Atom feed; the sitemap stays XML
    return dict(sorted(headers.items()))


def _first_bytes(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(1024)


def _rules(folder: Path, url: str, headers_of: Callable[[Path], Headers | None]) -> list[Rule]:
    """Non-overlapping rules for `folder` (served at `url`, ending in "/").

    One `url*` rule when every file below it is sent the same headers, else a rule per file and the same
    split for each subfolder.
    """
    below = [headers_of(p) for p in sorted(folder.rglob("*")) if p.is_file()]
    sets = {tuple(h.items()) if h is not None else None for h in below}
    only = next(iter(sets)) if len(sets) == 1 else None  # None too when some file is sent no headers
    if only is not None:
        return [(f"{url}*", dict(only))]
    rules: list[Rule] = []
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.is_dir():
            rules += _rules(child, f"{url}{child.name}/", headers_of)
            continue
        headers = headers_of(child)
        if headers is None:
            continue
        if child.name == "index.html":  # the folder's own address serves its index page
            rules.append((url, headers))
        rules.append((f"{url}{child.name}", headers))
    return rules


def header_rules(site_dir: Path, policy: str, embed_policy: str) -> list[Rule]:
    """(path pattern, headers) for every file of the built site; no path matches two patterns.

    A pattern is an exact path or a folder followed by `*` (everything below it). `policy` and
    `embed_policy` are the Content-Security-Policy strings (see `csp`).
    """

    def headers_of(path: Path) -> Headers | None:
        rel = path.relative_to(site_dir).as_posix()
        if rel in NOT_CONTENT:
            return None
        return headers_for(rel, _first_bytes(path), policy, embed_policy)

    return _rules(site_dir, "/", headers_of)


def netlify_headers(rules: list[Rule]) -> str:
    """`_headers` for Netlify and Cloudflare Pages."""
    blocks = []
    for pattern, headers in rules:
        blocks.append(pattern + "\n" + "".join(f"  {k}: {v}\n" for k, v in headers.items()))
    return "\n".join(blocks)


def _nginx_headers(headers: Headers) -> list[str]:
    """add_header lines (and the MIME type, where a rule sets it) for one nginx context."""
    lines = []
    for name, value in headers.items():
        if name == "Content-Type":
            # An empty map, so this location's one type; the server's `charset utf-8` and `charset_types`
            # (deploy/nginx.conf) add the charset, which a default_type holding it would keep from gzip_types.
            base, _, charset = value.partition(";")
            assert charset.strip() in ("", "charset=utf-8"), value
            lines += ["types { }", f"default_type {base.strip()};"]
        else:
            lines.append(f'add_header {name} "{value}" always;')
    return lines


def nginx_snippet(rules: list[Rule], default: Headers) -> str:
    """An nginx snippet (included in the server block of deploy/nginx.conf) with the same headers.

    Server-level headers (`default`) cover what no rule names (unknown addresses); every rule becomes a
    location that repeats every header, because a location with an add_header of its own inherits none.
    """
    lines = ["# Generated by the site build (publish/headers.py); include it in a server block.",
             "# Each location repeats every header: nginx drops the server's add_header in a location with its own."]
    lines += _nginx_headers(default)
    for pattern, headers in rules:
        where = f"^~ {pattern[:-1]}" if pattern.endswith("*") else f"= {pattern}"
        lines.append(f"location {where} {{ " + " ".join(_nginx_headers(headers)) + " }")
    return "\n".join(lines) + "\n"


def write_headers(site_dir: Path) -> None:
    """Write `_headers` and `nginx-headers.conf` into the built site."""
    policy = csp(site_dir)
    embed_policy = csp(site_dir, frame_ancestors="*")
    rules = header_rules(site_dir, policy, embed_policy)
    (site_dir / "_headers").write_text(netlify_headers(rules), encoding="utf-8")
    default = {"Content-Security-Policy": policy, **COMMON}
    (site_dir / "nginx-headers.conf").write_text(nginx_snippet(rules, default), encoding="utf-8")
