"""`_headers` (Netlify, Cloudflare Pages) gives the same headers whichever way a host reads it.

Hosts differ when several rules match a path: some merge every matching rule (a header set twice gets both
values, joined with a comma), others apply only the most specific rule. A small simulator of each reading
runs over paths of a built site; both must give the same headers, and embed pages must be framable by any
site (`frame-ancestors *`, nothing stricter beside it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish.headers import header_rules, netlify_headers

Rules = list[tuple[str, dict[str, str]]]
SECURITY = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
CLOUDFLARE_MAX_RULES = 100
"""Cloudflare Pages reads at most 100 header rules, of at most 2,000 characters a line."""


def parse(text: str) -> Rules:
    """The rules of a `_headers` file: a path line, then indented `Name: value` lines."""
    rules: Rules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), {}))
        else:
            name, value = line.strip().split(":", 1)
            rules[-1][1][name.strip()] = value.strip()
    return rules


def matches(pattern: str, path: str) -> bool:
    """Netlify/Cloudflare matching: `*` stands for anything (slashes included, or nothing)."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), path) is not None


def merged(rules: Rules, path: str) -> dict[str, str]:
    """Every matching rule applied, in order; a header two rules set gets both values."""
    out: dict[str, str] = {}
    for pattern, headers in rules:
        if matches(pattern, path):
            for name, value in headers.items():
                out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def most_specific(rules: Rules, path: str) -> dict[str, str]:
    """Only the matching rule with the most literal characters (the last of equals)."""
    found = [(len(p.replace("*", "")), i, h) for i, (p, h) in enumerate(rules) if matches(p, path)]
    return dict(max(found)[2]) if found else {}


def paths(site: Path) -> list[str]:
    """Every file's address, and every folder's (which serves its index page)."""
    out = ["/"]
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if p.is_file() and rel not in ("_headers", "nginx-headers.conf"):
            out.append(f"/{rel}")
        elif p.is_dir() and (p / "index.html").is_file():
            out.append(f"/{rel}/")
    return out


def _check(rules: Rules, site: Path) -> dict[str, dict[str, str]]:
    got = {}
    for path in paths(site):
        both = merged(rules, path), most_specific(rules, path)
        assert both[0] == both[1], f"{path}: merging hosts send {both[0]}, most-specific hosts {both[1]}"
        assert all(name in both[0] for name in SECURITY), f"{path}: {both[0]}"
        got[path] = both[0]
    return got


@pytest.fixture(scope="module")
def site_rules(built_site) -> Rules:
    return parse((built_site / "_headers").read_text(encoding="utf-8"))


def test_both_readings_of_the_built_headers_agree(built_site, site_rules):
    got = _check(site_rules, built_site)
    one = lambda pattern: next(p for p in got if re.fullmatch(pattern, p))  # noqa: E731
    for path in ("/", "/energy/", one(r"/embed/.*\.html"), one(r"/assets/javascripts/.*\.js"),
                 one(r"/charts/.*\.svg"), "/calendar.ics", "/feed.xml"):
        assert path in got, path
    embed = got[one(r"/embed/.*\.html")]["Content-Security-Policy"]
    assert embed.count("frame-ancestors") == 1 and embed.endswith("frame-ancestors *"), embed
    for path, headers in got.items():
        if not path.startswith("/embed/"):
            assert headers["Content-Security-Policy"].endswith("frame-ancestors 'self'"), path
    assert got["/calendar.ics"]["Content-Type"] == "text/calendar; charset=utf-8"
    assert got["/feed.xml"]["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "Content-Type" not in got["/sitemap.xml"], "the sitemap is not a feed"
    assert "immutable" in got[one(r"/assets/javascripts/.*\.js")]["Cache-Control"]
    assert "immutable" not in got[one(r"/charts/.*\.svg")].get("Cache-Control", "")


def test_the_built_headers_fit_cloudflare_pages_limits(built_site, site_rules):
    assert len(site_rules) <= CLOUDFLARE_MAX_RULES
    assert max(len(line) for line in (built_site / "_headers").read_text().splitlines()) <= 2000


def test_a_folder_is_split_where_its_files_need_different_headers(tmp_path):
    """A folder whose files all get the same headers is one `folder/*` rule; otherwise each part gets its own."""
    files = {"index.html": "<p>", "energy/index.html": "<p>", "energy/feeds/calendar.ics": "BEGIN:VCALENDAR",
             "energy/feeds/notes.txt": "x", "embed/a.html": "<p>", "assets/javascripts/b.js": "",
             "assets/site.css": "", "feed.xml": '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
             "sitemap.xml": "<urlset>", "_headers": "", "nginx-headers.conf": ""}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    rules = header_rules(tmp_path, "POLICY frame-ancestors 'self'", "POLICY frame-ancestors *")
    patterns = [p for p, _ in rules]
    assert "/embed/*" in patterns and "/assets/javascripts/*" in patterns and "/energy/*" not in patterns
    assert {"/energy/", "/energy/index.html", "/energy/feeds/calendar.ics", "/energy/feeds/notes.txt"} <= set(patterns)
    got = _check(parse(netlify_headers(rules)), tmp_path)
    assert got["/energy/feeds/calendar.ics"]["Content-Type"].startswith("text/calendar")
    assert "Content-Type" not in got["/energy/feeds/notes.txt"]
    assert got["/embed/a.html"]["Content-Security-Policy"] == "POLICY frame-ancestors *"
    assert got["/feed.xml"]["Content-Type"].startswith("application/atom+xml")
    assert "/_headers" not in patterns and "/nginx-headers.conf" not in patterns


def test_the_simulator_tells_the_two_readings_apart():
    """The old rules (`/*` and `/embed/*`) gave merging hosts two frame-ancestors for embed pages."""
    rules = [("/*", {"Content-Security-Policy": "frame-ancestors 'self'"}),
             ("/embed/*", {"Content-Security-Policy": "frame-ancestors *"})]
    assert most_specific(rules, "/embed/x.html") == {"Content-Security-Policy": "frame-ancestors *"}
    assert merged(rules, "/embed/x.html") == {"Content-Security-Policy": "frame-ancestors 'self', frame-ancestors *"}
