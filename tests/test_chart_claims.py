"""Titles are findings the build checks: each chart's claim holds on a table made true and fails on one made false.

Tables here are built by hand (never today's data), so an editor adding a record cannot break these tests;
the last tests show that a data edit making a title false stops the render with a message naming the chart,
the claim and the numbers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from build_charts.charts import CHARTS
from build_charts.charts.base import ChartDef, Finding, Table, title_numbers
from build_charts.charts.render import ChartError, check_title

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-04-30"
"""The hand-built tables' data date: any date after their records (not the live data's as_of)."""


def table(*rows: dict) -> Table:
    return Table((), tuple(rows), as_of=AS_OF)


def holds(chart_id: str, t: Table) -> bool:
    return CHARTS[chart_id].claim(t).holds


# --- strikes-volume: dozens of drones in 2022, more than 800 in the largest strike ---------------------------

def strike(date: str, drones: int | None, high: int | None = None) -> dict:
    return {"id": date, "date": date, "date_label": date, "drones_low": drones,
            "drones_high": high if high is not None else drones}


def test_strikes_volume_claim_true():
    assert holds("strikes-volume", table(strike("2022-10-10", 24), strike("2022-11-15", None),
                                         strike("2025-09-07", 805, 810)))


@pytest.mark.parametrize("rows", [
    [strike("2022-10-10", 120), strike("2025-09-07", 805)],  # 2022 had more than dozens
    [strike("2022-10-10", 24), strike("2025-12-06", 653)],  # nothing above 800
    [strike("2022-10-10", 24), strike("2025-12-23", 790, 850)],  # only the highest account passes 800
    [strike("2023-01-26", 24), strike("2025-09-07", 805)],  # no 2022 strike to compare
])
def test_strikes_volume_claim_false(rows):
    assert not holds("strikes-volume", table(*rows))


# --- strikes-interception: most drones stopped; missiles lower and more variable --------------------------------

def share(weapon: str, value: float, conflict: bool = False) -> dict:
    return {"weapon": weapon, "share": value, "conflict": conflict}


def test_strikes_interception_claim_true():
    rows = [share("drones", v) for v in (0.9, 0.92, 0.88, 0.95, 0.91)]
    rows += [share("missiles", v) for v in (0.3, 0.9, 0.5, 0.7, 0.45)]
    rows.append(share("missiles", 1.2, conflict=True))  # a conflicting account is not counted
    assert holds("strikes-interception", table(*rows))


@pytest.mark.parametrize("missiles", [
    (0.6, 0.61, 0.62, 0.6, 0.61),  # lower, but no more variable
    (0.95, 0.5, 0.99, 0.97, 0.4),  # more variable, but not lower
])
def test_strikes_interception_claim_false(missiles):
    rows = [share("drones", v) for v in (0.9, 0.92, 0.88, 0.95, 0.91)] + [share("missiles", v) for v in missiles]
    assert not holds("strikes-interception", table(*rows))


def test_strikes_interception_claim_false_when_most_drones_get_through():
    rows = [share("drones", v) for v in (0.3, 0.4, 0.35)] + [share("missiles", v) for v in (0.1, 0.3, 0.05)]
    assert not holds("strikes-interception", table(*rows))


# --- znpp-offsite-power: N complete losses, exactly one of a month ----------------------------------------------

def loss(days: float | None, kind: str = "full", ordinal: int | None = None) -> dict:
    return {"kind": kind, "days": days, "iaea_ordinal": ordinal}


def losses(n: int, month_long: int = 1) -> list[dict]:
    return [loss(30.0) for _ in range(month_long)] + [loss(0.5) for _ in range(n - month_long)]


def test_znpp_claim_true():
    from build_charts.charts.znpp_power import MORE_THAN

    assert holds("znpp-offsite-power", table(*losses(MORE_THAN), loss(None), loss(17, "single-line")))
    assert holds("znpp-offsite-power", table(*losses(MORE_THAN + 5)))  # losses added later keep it true


@pytest.mark.parametrize("rows", ["ten or fewer", "two month-long losses", "none month-long",
                                  "single lines do not count"])
def test_znpp_claim_false(rows):
    from build_charts.charts.znpp_power import MORE_THAN

    made = {"ten or fewer": losses(MORE_THAN), "two month-long losses": losses(MORE_THAN + 1, 2),
            "none month-long": losses(MORE_THAN + 1, 0),
            "single lines do not count": [*losses(MORE_THAN), loss(2, "single-line")]}[rows]
    assert not holds("znpp-offsite-power", table(*made))


# --- outages: hundreds of thousands, at times millions ----------------------------------------------------------

def outage(date: str, low: int, high: int | None = None, part_of: str | None = None) -> dict:
    return {"date": date, "affected_low": low, "affected_high": high or low, "part_of": part_of}


def test_outages_claim_true():
    assert holds("outages", table(outage("2022-11-15", 10_000_000), outage("2026-01-24", 1_200_000),
                                  outage("2025-10-05", 110_000), outage("2026-01-24", 800_000, part_of="x")))


@pytest.mark.parametrize("rows", [
    [outage("2022-11-15", 10_000_000), outage("2025-10-05", 110_000)],  # millions only once
    [outage("2022-11-15", 10_000_000), outage("2026-01-24", 800_000, 1_000_000)],  # a million only as a high
    [outage("2022-11-15", 1_000_000), outage("2026-01-24", 1_000_000), outage("a", 8_000), outage("b", 9_000),
     outage("c", 30_000)],  # typical reports are thousands, not hundreds of thousands
    [outage("2022-11-15", 10_000_000), outage("2022-11-15", 1_000_000, part_of="x")],  # a part is not a strike
])
def test_outages_claim_false(rows):
    assert not holds("outages", table(*rows))


# --- force-caps: the drafts on the table cap the forces at 800,000, the official figure of December 2025 ---------

def proposal(ceiling: int, draft_status: str = "proposed") -> dict:
    return {"kind": "proposal", "ceiling_high": ceiling, "draft_status": draft_status}


def now(value: int, stated: str = "2025-12-11", status: str = "reported") -> dict:
    from build_charts.charts.force_caps import NOW

    return {"kind": "reference", "group": NOW, "label": NOW, "status": status, "stated": stated,
            "ceiling": f"{value:,}",
            "ceiling_low": value, "ceiling_high": value}


def test_force_caps_claim_true():
    assert holds("force-caps", table(proposal(50_000, "superseded"), proposal(800_000), now(800_000),
                                     now(1_000_000, "2026-03-01", "estimate")))


@pytest.mark.parametrize("rows", [
    [proposal(900_000), now(800_000)],  # a current draft proposes another ceiling
    [proposal(800_000)],  # no official figure
    [proposal(800_000), now(880_000)],  # the official figure changed
    [proposal(800_000), now(800_000, "2026-02-01")],  # a newer official figure: the title's month is out of date
    [proposal(800_000), now(800_000, status="estimate")],  # only an estimate
    [proposal(800_000, "superseded"), now(800_000)],  # nothing left on the table
])
def test_force_caps_claim_false(rows):
    assert not holds("force-caps", table(*rows))


# --- diplomatic-timeline: separate US meetings, then three-way rounds, then a pause -------------------------------

def event(track: str, start: str, status: str = "held") -> dict:
    return {"id": f"{track}-{start}", "track": track, "start": start, "event_status": status}


def test_diplomatic_claim_true():
    assert holds("diplomatic-timeline", table(
        event("us-ukraine", "2025-11-20"), event("us-russia", "2025-12-02"), event("trilateral", "2026-01-23"),
        event("trilateral", "2026-03-05", "postponed")))


@pytest.mark.parametrize("rows", [
    [event("us-ukraine", "2025-11-20"), event("trilateral", "2025-11-01"), event("us-russia", "2025-12-02"),
     event("trilateral", "2026-03-05", "postponed")],  # three-way talks came first
    [event("us-ukraine", "2025-11-20"), event("us-russia", "2025-12-02"), event("trilateral", "2026-01-23"),
     event("trilateral", "2026-03-05", "scheduled")],  # no pause: the next round is on
    [event("us-ukraine", "2025-11-20"), event("us-russia", "2025-12-02")],  # no three-way round at all
])
def test_diplomatic_claim_false(rows):
    assert not holds("diplomatic-timeline", table(*rows))


# --- the build refuses false titles -------------------------------------------------------------------------------

def test_every_chart_declares_a_claim_that_checks_its_titles_numbers(data, fixture_data):
    """Each number written in a title appears in the claim the build checks; the live data and the frozen
    fixture data (which the site tests build) both support every title."""
    for dataset in (data, fixture_data):
        for defn in CHARTS.values():
            t = defn.table(dataset)
            finding = defn.claim(t)
            assert title_numbers(defn.title) <= title_numbers(finding.claim), defn.id
            check_title(defn, t)


def test_a_false_title_names_the_chart_the_claim_and_the_numbers():
    defn = CHARTS["strikes-volume"]
    with pytest.raises(ChartError) as err:
        check_title(defn, table(strike("2022-10-10", 24), strike("2025-12-06", 653)))
    message = str(err.value)
    assert "strikes-volume" in message and defn.title in message
    assert "more than 800 drones" in message and "653" in message


def test_a_title_number_the_claim_does_not_check_fails():
    from dataclasses import replace

    defn = replace(CHARTS["force-caps"], title="The drafts on the table cap Ukraine's forces at 700,000")
    with pytest.raises(ChartError, match="title states 700000 but its claim does not check it"):
        check_title(defn, table(proposal(800_000), now(800_000)))


def test_title_numbers_reads_separators_and_ranges():
    assert title_numbers("from 50,000 in 2022 to 800,000 in 2025-26") == {"50000", "2022", "800000", "2025", "26"}


def test_a_data_edit_that_makes_a_title_false_stops_the_render(tmp_path):
    """An editor adds a 2022 strike with 150 drones: 'dozens of drones in 2022' is no longer true."""
    from build_charts import load_data
    from build_charts.charts.render import render_data
    from build_charts.data.strict_yaml import parse

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    path = folder / "strikes.yaml"
    doc = parse(path.read_text(encoding="utf-8"), str(path))[0].data
    source = doc["records"][0]["sources"][0]
    doc["records"].append({"id": "2022-12-31-edit", "date": "2022-12-31", "energy_focus": "primary",
                           "drones_launched": [{"value": 150}], "consequences": "An editor's test record.",
                           "status": "reported", "sources": [source]})
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ChartError) as err:
        render_data(load_data(folder))
    assert "strikes-volume" in str(err.value) and "150" in str(err.value)


def test_claims_are_findings_not_assertions_of_today():
    """A claim is a function of the table only: the same rows give the same finding (no clock, no globals)."""
    defn: ChartDef = CHARTS["outages"]
    rows = table(outage("2022-11-15", 10_000_000), outage("2026-01-24", 1_200_000))
    assert defn.claim(rows) == defn.claim(rows)
    assert isinstance(defn.claim(rows), Finding)
