"""Prose that cannot drift from the data, and links that say where they go.

Every number in a narrative page is either bound to the data (a `{{ ... }}` reference the build fills in)
or attributed with a source link in its own sentence. The few kinds of number allowed bare are listed in
`ALLOWED` with the reason. Links to sources are written `{{ cite:ID }}`, so their text names the site they
go to; in the built pages, a link whose text names a publisher must go to that publisher's site.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
NARRATIVE = sorted(p.name for p in (ROOT / "docs").glob("*.md"))

ALLOWED: dict[str, str] = {
    r"(?<![\d,.])(19|20)\d\d(-\d\d)?(?!\d|,\d)": "a year or a season (2025-26) alone is a time reference, not a figure",
    r"\b\d+-point\b": "names of documents: the 28-point plan, the 20-point framework",
    r"\bArticle \d+\b": "NATO's Article 5 is a name",
    r"\b(ISO \d+|UTF-\d+|CC BY \d\.\d|Attribution \d\.\d|WCAG \d\.\d|RFC \d+|U\+[0-9A-F]{4}|SHA-256)\b":
        "names of standards and licences",
    r"\bE3\b": "the E3 is the name of a group of three countries",
    r"\b\d+ kV\b": "a line's voltage is part of its name (the 750 kV Dniprovska line)",
    r"\b[A-Z][a-z]+-\d\b": "names of power lines (Ferosplavna-1)",
}
"""Kinds of number a page may carry without a reference or a source link, and why."""

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“*{\[])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _prose(text: str) -> list[tuple[int, str]]:
    """(line, text) of each paragraph or list item, with code, comments, references and link targets removed."""
    text = re.sub(r"\A---\n.*?\n---\n", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith(("- ", "* ", "|", "#")) or re.match(r"\s*\d+\. ", line):
            if current:
                blocks.append((start, " ".join(current)))
            current = []
            if line.strip() and not line.lstrip().startswith(("#", "|")):  # headings and tables are labels
                start, current = number, [line.strip()[2:]]
            continue
        if not current:
            start = number
        current.append(line.strip())
    if current:
        blocks.append((start, " ".join(current)))
    return blocks


def _cited(sentence: str) -> bool:
    return "{{ cite:" in sentence or "{{cite:" in sentence or bool(re.search(r"\]\(https?://", sentence))


def unbound_numbers(text: str) -> list[str]:
    """Each number in the prose that is neither in a reference, nor allowed, nor in a sentence with a source link."""
    found = []
    for line, block in _prose(text):
        for sentence in _SENTENCE.split(block):
            if _cited(sentence):
                continue
            bare = re.sub(r"\{\{.*?\}\}", " ", sentence)
            bare = re.sub(r"`[^`]*`", " ", bare)
            bare = re.sub(r"\]\([^)]*\)", "]", bare)
            bare = re.sub(r"<[^>]+>", " ", bare)
            for pattern in ALLOWED:
                bare = re.sub(pattern, " ", bare)
            found += [f"line {line}: {n!r} in: {sentence[:140]}" for n in _NUMBER.findall(bare)]
    return found


@pytest.mark.parametrize("page", NARRATIVE)
def test_every_number_is_bound_to_the_data_or_cited(page):
    problems = unbound_numbers((ROOT / "docs" / page).read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)


def test_the_checker_finds_a_bare_figure_and_accepts_bound_and_cited_ones():
    assert unbound_numbers("Russia launched 653 drones on 6 December 2025.\n") != []
    assert unbound_numbers("Russia launched {{ strikes.2025-12-06.drones_launched }} drones.\n") == []
    assert unbound_numbers("The air force said 653 drones ({{ cite:dw-2025-12-06 }}).\n") == []
    assert unbound_numbers("## The strikes of 2024\n\nIn 2022 the 28-point plan and the 750 kV line.\n") == []
    assert unbound_numbers("Since 2022 the count rose to 12.\n") != []
    assert unbound_numbers("Since October 2022, strikes grew.\n") == []
    assert unbound_numbers("It fell to 2,022 troops.\n") != []


@pytest.mark.parametrize("page", NARRATIVE)
def test_source_links_are_written_as_citations(page):
    """A hand-typed link can name a publisher its URL does not go to; `{{ cite:ID }}` cannot."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    typed = re.findall(r"\[([^\]]+)\]\((https?://[^)]+)\)", text)
    assert typed == [], f"write these as {{{{ cite:SOURCE_ID }}}}: {typed}"


def _names(data) -> dict[str, set[str]]:
    """Every publisher or original publisher in the registry, and the sites (domains) a link naming it may go to."""
    names: dict[str, set[str]] = {}
    for source in data.sources.values():
        names.setdefault(source.publisher, set()).add(urlparse(str(source.url)).netloc.removeprefix("www."))
        if source.original_publisher:
            names.setdefault(source.original_publisher, set())
    return names


def dishonest_links(html: str, names: dict[str, set[str]]) -> list[str]:
    """Links whose text names a publisher when the URL goes to none of the sites named in the text."""
    bad = []
    doc = BeautifulSoup(html, "html.parser")
    for a in doc.find_all("a", href=re.compile(r"^https?://")):
        text = " ".join(a.get_text(" ").split())
        named = [n for n in names if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text)]
        if not named:
            continue
        domain = urlparse(a["href"]).netloc.removeprefix("www.")
        if not any(domain in names[n] for n in named):
            bad.append(f"{text!r} -> {domain}")
    return bad


def test_the_link_checker_catches_a_link_naming_the_wrong_site():
    names = {"Reuters": {"reuters.com"}, "The Straits Times": {"straitstimes.com"}}
    assert dishonest_links('<a href="https://www.straitstimes.com/x">Reuters</a>', names) != []
    assert dishonest_links('<a href="https://www.straitstimes.com/x">Reuters, as republished by The Straits Times</a>',
                           names) == []


@pytest.mark.parametrize("page", ["index.html", "energy/index.html", "force-caps/index.html",
                                  "peace-drafts/index.html", "calendar/index.html", "methodology/index.html",
                                  "sources/index.html", "about/index.html"])
def test_built_links_name_the_site_they_go_to(built_site, data, page):
    html = (built_site / page).read_text(encoding="utf-8")
    assert dishonest_links(html, _names(data)) == []
