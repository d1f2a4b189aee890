"""Peace drafts: the dataset's checks, the headline's claim, the comparison table, references and downloads.

Everything here uses the frozen fixture (`tests/fixtures/data`) or hand-built rows, never today's data, so a
routine update of `data/peace_drafts.yaml` cannot break these tests; the last test simulates one (a new draft
that follows the latest) and checks that the page is still built and the headline's check reacts.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_charts import DataError, load_data
from build_charts.charts.spec import ChartError
from build_charts.data.models.drafts import TOPICS
from build_charts.site.drafts import HEADLINE, check_headline, claim, rows, tables
from build_charts.site.export import child_csv, dataset_csv
from build_charts.site.opendata import package_files
from build_charts.site.refs import RefError, expand_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "data"
FILE = "peace_drafts.yaml"


@pytest.fixture(scope="module")
def fixture():
    return load_data(FIXTURES)


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


def problems_after(tmp_path: Path, old: str, new: str, *, count: int = 1, name: str = FILE) -> list:
    folder = copy_data(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in the fixture"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_data(folder)
    return [p for p in exc.value.problems if p.path == str(path)]


def line_of(tmp_path: Path, text: str, *, name: str = FILE) -> int:
    lines = (tmp_path / "data" / name).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line == text)


# --- validation: located, plain-words messages -------------------------------------------------------------

def test_army_ceiling_must_equal_force_caps(tmp_path):
    """One source of truth: a draft's ceiling that differs from force_caps.yaml fails at the figure's line."""
    found = problems_after(tmp_path, "  - value: 800000\n        unit: personnel\n        versus_previous: unchanged",
                           "  - value: 750000\n        unit: personnel\n        versus_previous: unchanged", count=1)
    ceiling = [p for p in found if p.message.startswith("the army ceiling")]
    assert len(ceiling) == 1, found
    problem = ceiling[0]
    # the sequence also notices the figure moved while both drafts around it say "unchanged"
    assert {p.field for p in found if p is not problem} <= {"versus_previous"}
    assert problem.line == line_of(tmp_path, "          - value: 750000")
    assert problem.field == "number"
    assert problem.message.startswith("the army ceiling here is 750,000 but force_caps.yaml gives 800,000 for "
                                      "post-geneva-revision")


def test_editing_force_caps_alone_is_caught_too(tmp_path):
    """The check runs both ways: changing only force_caps.yaml makes the drafts file disagree."""
    found = problems_after(tmp_path, "      - value: 600000", "      - value: 610000", name="force_caps.yaml")
    assert found == []  # force_caps.yaml itself is valid ...
    folder = tmp_path / "data"
    with pytest.raises(DataError) as exc:
        load_data(folder)
    drafts = [p for p in exc.value.problems if p.path == str(folder / FILE)]
    assert [p.message for p in drafts] == [
        "the army ceiling here is 600,000 but force_caps.yaml gives 610,000 for us-28-point-plan: make the two "
        "agree (force_caps.yaml is where the ceiling is recorded)"]


def test_unknown_topic_lists_the_topics(tmp_path):
    found = problems_after(tmp_path, "      - topic: znpp", "      - topic: nuclear_plant")
    assert [p.field for p in found] == ["topic"]
    assert "znpp" in found[0].message and found[0].line == line_of(tmp_path, "      - topic: nuclear_plant")


def test_not_public_cell_cannot_claim_a_change(tmp_path):
    """Whether a term changed is unknown when either text is not public; the data may not say otherwise."""
    before = "      - topic: znpp\n        status: not_public\n        versus_previous: "
    found = problems_after(tmp_path, before + "unknown", before + "unchanged")
    assert [(p.field, p.message) for p in found] == [
        ("versus_previous", "this draft's wording on znpp is not public, so whether it changed is not known: set "
                            "versus_previous: unknown")]


def test_changed_figure_marked_unchanged_is_refused(tmp_path):
    found = problems_after(tmp_path, "        versus_previous: changed\n        what_changed: Ceiling raised from "
                           "600,000 to 800,000.", "        versus_previous: unchanged")
    assert [p.message for p in found] == [
        "the figure changed from 600,000 to 800,000: set versus_previous: changed and say so in what_changed"]


def test_changed_needs_the_change_in_words(tmp_path):
    found = problems_after(tmp_path, "        what_changed: NATO is no longer mentioned.\n", "")
    assert [(p.field, p.message.split(":")[0]) for p in found] == [("versus_previous", "say what changed")]


def test_follows_must_name_an_earlier_draft(tmp_path):
    found = problems_after(tmp_path, "    follows: post-geneva-revision", "    follows: post-geneva-revison")
    assert [(p.field, p.message) for p in found] == [
        ("follows", "no draft in peace_drafts.yaml has the id 'post-geneva-revison'; did you mean "
                    "'post-geneva-revision'?")]


def test_draft_after_as_of_is_refused(tmp_path):
    found = problems_after(tmp_path, "    date: 2025-12-24", "    date: 2026-04-01")
    assert len(found) == 1 and found[0].field == "date" and "after this file's as_of date" in found[0].message


def test_stated_term_needs_sources(tmp_path):
    found = problems_after(tmp_path, "        position: None of the points covers amnesty.\n        versus_previous: "
                           "unchanged\n        sources: [novayagazeta-2025-12-24-p]",
                           "        position: None of the points covers amnesty.\n        versus_previous: unchanged")
    assert [p.message.split(":")[0] for p in found] == ["a silent term needs sources"]


def test_unregistered_source_in_a_term_is_located(tmp_path):
    found = problems_after(tmp_path, "        position: None of the points covers amnesty.\n        versus_previous: "
                           "unchanged\n        sources: [novayagazeta-2025-12-24-p]",
                           "        position: None of the points covers amnesty.\n        versus_previous: "
                           "unchanged\n        sources: [novayagazeta-2025-12-42-p]")
    assert len(found) == 1 and found[0].field == "sources"
    assert found[0].message.startswith("'novayagazeta-2025-12-42-p' is not in sources.yaml")
    assert found[0].line == line_of(tmp_path, "        sources: [novayagazeta-2025-12-42-p]")


# --- the headline's claim, on hand-built rows -------------------------------------------------------------

def draft_rows(draft: str, title: str, follows: str | None, changed: int, topics: int = 12) -> list[dict]:
    names = list(TOPICS)[:topics]
    return [{"draft": draft, "title": title, "follows": follows, "date": "", "topic": t, "status": "proposed",
             "versus_previous": ("changed" if i < changed else "unchanged") if follows else None}
            for i, t in enumerate(names)]


def sequence_rows(changed: int, *, latest: str = "20-point framework", topics: int = 12) -> list[dict]:
    return (draft_rows("us", "US 28-point plan", None, 0, topics)
            + draft_rows("pg", "Post-Geneva revision", "us", 2, topics)
            + draft_rows("tw", latest, "pg", changed, topics))


def test_headline_claim_true():
    assert claim(sequence_rows(4)).holds
    check_headline(sequence_rows(4))


@pytest.mark.parametrize("table", [
    sequence_rows(3),  # one topic fewer changed
    sequence_rows(5),  # one more
    sequence_rows(4, topics=11),  # a topic list of 11
    sequence_rows(4, latest="21-point framework"),  # a newer draft ends the sequence
    draft_rows("us", "US 28-point plan", None, 0),  # no sequence at all
])
def test_headline_claim_false(table):
    assert not claim(table).holds
    with pytest.raises(ChartError, match="no longer true"):
        check_headline(table)


def test_headline_numbers_must_be_in_the_claim():
    with pytest.raises(ChartError, match="states 5 but its claim does not check it"):
        check_headline(sequence_rows(4), headline=HEADLINE.replace("4 of", "5 of"))


def test_fixture_and_live_data_support_the_headline(fixture):
    """Invariant of the live data (what the build checks), and the fixture mirrors it."""
    check_headline(rows(fixture))
    check_headline(rows(load_data(FIXTURES.parents[2] / "data")))


# --- the comparison table -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def table_html(fixture):
    return BeautifulSoup(tables(fixture, lambda path: "../" + path, "8 March 2026"), "html.parser")


def test_table_is_a_real_table_topics_by_drafts(table_html, fixture):
    table = table_html.select_one("table.drafts-sequence")
    assert table.caption and "US 28-point plan, then E3 counter-proposal" in table.caption.get_text()
    heads = table.select("thead th[scope=col]")
    assert heads[0].get_text(strip=True) == "Topic"
    assert len(heads) == 1 + len(fixture["peace_drafts"].records)
    body = table.select("tbody tr")
    assert len(body) == len(TOPICS)
    for tr in body:
        assert len(tr.select("th[scope=row]")) == 1
        assert len(tr.select("td")) == len(fixture["peace_drafts"].records)


def test_changes_are_marked_in_words(table_html):
    nato = table_html.select_one("#topic-sequence-nato")
    cells = nato.select("td")
    assert "term-changed" in cells[1]["class"]
    assert cells[1].select_one(".term-change").get_text(" ", strip=True) == (
        "Changed from the US 28-point plan: No constitutional ban on NATO membership.")
    assert cells[0].select_one(".term-change") is None  # the first draft of the sequence has nothing to compare
    army = table_html.select_one("#topic-sequence-army_ceiling td:nth-of-type(4)")
    assert army.select_one(".term-same").get_text(strip=True) == "Unchanged from the Post-Geneva revision."
    hidden = table_html.select_one("#topic-sequence-znpp td:nth-of-type(2)")
    assert hidden.select_one(".term-status").get_text() == "Not public"
    assert "not known" in hidden.select_one(".term-same").get_text()


def test_drafts_link_to_their_meeting_and_sources(table_html):
    head = table_html.select_one("#draft-us-28-point-plan")
    assert head.select_one("a")["href"] == "../calendar/#event-kyiv-2025-11-20"
    cell = table_html.select_one("#topic-sequence-army_ceiling td")
    assert cell.select_one(".term-sources a")["href"].startswith("https://")
    assert cell.select_one(".src-flag").get_text() == "Only republications or aggregators"


def test_data_text_is_escaped(tmp_path):
    folder = copy_data(tmp_path)
    path = folder / FILE
    text = path.read_text(encoding="utf-8").replace(
        "position: Point 9 proposed recovery funds.", "position: 'Point 9 <script>alert(1)</script> & funds.'")
    path.write_text(text, encoding="utf-8")
    html = tables(load_data(folder), lambda p: p, "8 March 2026")
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- references and downloads -----------------------------------------------------------------------------------

def test_terms_references(fixture):
    assert expand_text("{{ terms.us-28-point-plan.army_ceiling.number }}", fixture, "page.md") == "600,000"
    assert expand_text("{{ terms.e3-counter-proposal.nato.status }}", fixture, "page.md") == "proposed"
    assert expand_text("{{ peace_drafts.@count }}", fixture, "page.md") == "4"
    with pytest.raises(RefError, match="'nuclear' is not a field or topic here"):
        expand_text("{{ terms.us-28-point-plan.nuclear.position }}", fixture, "page.md")


def test_terms_download_one_row_per_draft_and_topic(fixture):
    ds = fixture["peace_drafts"]
    terms = list(csv.DictReader(io.StringIO((child_csv(ds) or b"").decode("utf-8-sig"))))
    assert len(terms) == len(ds.records) * len(TOPICS)
    assert {r["draft"] for r in terms} == {d.id for d in ds.records}
    header = dataset_csv(ds).decode("utf-8-sig").split("\r\n")[0].split(",")
    assert "terms" not in header and "follows" in header
    files = package_files(fixture, title="T", publisher="P")
    descriptor = json.loads(files["datapackage.json"])
    resource = next(r for r in descriptor["resources"] if r["name"] == "peace_drafts_terms")
    assert resource["schema"]["primaryKey"] == ["draft", "topic"]
    assert resource["schema"]["foreignKeys"] == [{"fields": "draft", "reference": {"resource": "peace_drafts",
                                                                                    "fields": "id"}}]
    assert "peace_drafts_terms.csv" in files


def test_changes_feed_and_jsonld_pick_up_the_dataset(fixture):
    from build_charts.site.changes import entries
    from build_charts.site.opendata import jsonld_scripts

    assert any(e.subject == "What each peace draft says" for e in entries(fixture))
    assert '"name": "What each peace draft says"' in jsonld_scripts(fixture, site_url="https://x/", publisher="P")


# --- a routine update ----------------------------------------------------------------------------------------

NEW_DRAFT = """  - id: twenty-one-point-plan
    title: 21-point plan
    proposer: Ukraine and the United States
    date: 2026-03-01
    known_from: reported
    known_via: Officials described the revised points.
    draft_status: under discussion
    follows: twenty-point-framework
    sources: [novayagazeta-2025-12-24-p]
    terms:
""" + "".join(f"      - topic: {t}\n        status: not_public\n        versus_previous: unknown\n" for t in TOPICS)


def test_routine_update_a_new_draft(tmp_path):
    """An editor adds a draft that follows the latest: the data validates, the table grows a column, and the
    headline's check names the new latest draft (the headline must then be rewritten, as a chart title would)."""
    folder = copy_data(tmp_path)
    path = folder / FILE
    path.write_text(path.read_text(encoding="utf-8") + NEW_DRAFT, encoding="utf-8")
    data = load_data(folder)
    html = BeautifulSoup(tables(data, lambda p: p, "8 March 2026"), "html.parser")
    assert len(html.select("table.drafts-sequence thead th[scope=col]")) == 6
    with pytest.raises(ChartError, match="the latest draft is 21-point plan, after 20-point framework"):
        check_headline(rows(data))
