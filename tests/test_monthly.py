"""The monthly air-war dataset: its rules, the title's peaks, and months without a figure drawn as gaps."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from build_charts import DataError, load_data
from build_charts.charts import CHARTS
from build_charts.charts.base import Table
from build_charts.charts.monthly_civilians import _revisions
from build_charts.charts.monthly_volume import _accounts, _own, month_end
from build_charts.data.models.common import high
from build_charts.data.models.monthly import Month

CHART = CHARTS["monthly-volume"]


def month(mid: str, drones: float | None = None, missiles: float | None = None) -> dict:
    return {"id": mid, "month": f"{mid}-01", "drones_launched": drones, "missiles_launched": missiles,
            "civilians_killed": None}


def table(*rows: dict) -> Table:
    return Table((), rows)


def test_the_title_holds_for_its_peaks():
    assert CHART.claim(table(month("2025-06", 5438, 239), month("2025-07", 6297, 198),
                             month("2026-02", 5059, 288))).holds


@pytest.mark.parametrize("rows", [
    [month("2025-07", 6297, 198), month("2026-02", 5059, 280)],  # fewer missiles in February
    [month("2025-07", 6297, 198), month("2026-02", 6400, 288)],  # a new drone record
    [month("2025-07", 6297, 300), month("2026-02", 5059, 288)],  # missiles peaked elsewhere
    [month("2025-07", 6297, None)],  # no missile month at all
])
def test_the_title_fails_when_the_peaks_move(rows):
    assert not CHART.claim(table(*rows)).holds


def test_a_month_without_a_figure_is_a_gap_not_a_zero(fixture_data):
    t = CHART.table(fixture_data)
    assert any(r["missiles_launched"] is None for r in t.rows), "the fixture has a month without missiles"
    assert all(r["missiles_launched"] != 0 for r in t.rows)
    from build_charts.charts.spec import page_spec

    spec = page_spec(CHART, fixture_data, t, "wide")
    rows = [row for data in spec["datasets"].values() for row in data if "missiles_launched" in row]
    assert all(row["missiles_launched"] != 0 for row in rows), "no month is drawn as zero"
    gaps = {row["id"] for row in rows if row["missiles_launched"] is None}
    assert gaps == {r["id"] for r in t.rows if r["missiles_launched"] is None}, "each month without a figure is marked"


def test_another_producers_count_is_listed_not_drawn(fixture_data):
    t = CHART.table(fixture_data)
    july = next(r for r in t.rows if r["id"] == "2025-07")
    assert july["drones_launched"] == 6297 and "6,129" in july["accounts"] and "Kyiv Independent" in july["accounts"]


@pytest.mark.parametrize(("record", "message"), [
    ({"month": "2025-07-15", "drones_launched": [{"value": 1}]}, "first day"),
    ({"month": "2025-07-01"}, "no figure"),
])
def test_month_rules(record, message):
    m = Month.model_validate({"id": "2025-07", "status": "reported", "sources": ["s"], **record})
    assert any(message in text for _path, text in m.issues())


def test_a_month_smaller_than_its_nights_is_refused_with_both_numbers(tmp_path):
    """A month's tally counts every night, so the nights of strikes.yaml that month cannot add up to more."""
    import re
    import shutil

    from build_charts import DataError, load_data
    from tests.conftest import FIXTURE_DATA

    folder = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    path = folder / "monthly.yaml"
    text = path.read_text(encoding="utf-8")
    assert "value: 5131" in text  # December 2025, when the fixture's strikes hold the night of 6 December
    path.write_text(text.replace("value: 5131", "value: 100", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_data(folder)
    [problem] = [p for p in err.value.problems if p.path.endswith("monthly.yaml")]
    assert problem.field == "drones_launched" and "100 drones for December 2025" in problem.message
    summed = re.search(r"the ([\d,]+) that the \d+ strikes", problem.message)
    assert summed and int(summed.group(1).replace(",", "")) > 100


# --- the cross-check against strikes.yaml, on a copy of the fixture data --------------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "data"


def problems_after(tmp_path: Path, old: str, new: str, *, after: str) -> list:
    """Problems load_data reports once `old` (the first such line after `after`) in monthly.yaml reads `new`."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    target = folder / "monthly.yaml"
    text = target.read_text(encoding="utf-8")
    start = text.index(after)
    at = text.index(old, start)
    target.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    try:
        load_data(folder)
    except DataError as exc:
        return [p for p in exc.problems if p.path == str(target)]
    return []


def test_a_month_below_its_nights_is_located_with_both_numbers(tmp_path, fixture_data):
    strikes = fixture_data["strikes"]
    october = [r for r in strikes.records if (r.date.year, r.date.month) == (2025, 10)]
    nights = sum(high(r.missiles_launched) or 0 for r in october)
    assert nights > 200, "the fixture holds October 2025 strikes with more than 200 missiles"
    found = problems_after(tmp_path, "      - value: 270\n", "      - value: 200\n", after="  - id: 2025-10\n")
    assert len(found) == 1
    problem = found[0]
    assert problem.field == "missiles_launched"
    assert "200 missiles for October 2025" in problem.message and f"{nights:,.0f}" in problem.message
    lines = (FIXTURES / "monthly.yaml").read_text(encoding="utf-8").split("\n")
    assert lines[problem.line - 1].strip() == "- value: 270", "the message points at the figure to fix"


def test_a_month_at_least_its_nights_passes(tmp_path):
    assert problems_after(tmp_path, "      - value: 270\n", "      - value: 235\n", after="  - id: 2025-10\n") == []


def test_another_producers_tally_is_not_held_to_the_air_forces_nights(tmp_path):
    """A file counted by someone else (its meta.producer) is not compared with the air force's nights."""
    found = problems_after(tmp_path, "      - value: 270\n", "      - value: 200\n", after="  - id: 2025-10\n")
    assert found
    folder = tmp_path / "data"
    target = folder / "monthly.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "  producer: Ukraine's air force\n", "  producer: AFP\n", 1), encoding="utf-8")
    try:
        load_data(folder)
        left = []
    except DataError as exc:
        left = [p for p in exc.problems if p.path == str(target) and p.field == "missiles_launched"]
    assert left == []


# --- what the chart draws ----------------------------------------------------------------------------------------


def _spec_rows(fixture_data) -> list[dict]:
    from build_charts.charts.spec import page_spec

    t = CHART.table(fixture_data)
    spec = page_spec(CHART, fixture_data, t, "narrow")
    return [row for data in spec["datasets"].values() for row in data]


def test_each_panel_labels_its_peak_month_with_its_value(fixture_data):
    t = CHART.table(fixture_data)
    labels = {(row["month"], row["value_text"]) for row in _spec_rows(fixture_data) if "value_text" in row}
    expected = set()
    for key in ("drones_launched", "missiles_launched"):
        top = max((r for r in t.rows if r[key] is not None), key=lambda r: (r[key], r["month"]))
        expected.add((top["month"], f"{top[key]:,.0f}"))
    assert labels == expected


def test_a_month_without_a_figure_is_a_labelled_band(fixture_data):
    bands = [row for row in _spec_rows(fixture_data) if "reason" in row and row.get("id")]
    assert bands and all(row["reason"].startswith("No figure found for ") for row in bands)


def test_other_counts_name_a_differing_tally_of_the_same_producer(fixture_data):
    meta = fixture_data["monthly"].meta
    m = Month.model_validate({"id": "2025-10", "month": "2025-10-01", "status": "reported", "sources": ["a", "b"],
                              "drones_launched": [{"value": 5298, "sources": ["a"], "note": "AFP's tally"},
                                                  {"value": 5312, "sources": ["b"], "note": "ABC News's tally"}]})
    assert _accounts(m, meta) == f"{meta.producer}: 5,298 (AFP's tally)", "the drawn 5,312 is not repeated"


# --- the civilian-casualty chart -----------------------------------------------------------------------------------

CIVILIANS = CHARTS["monthly-civilians"]


def un_month(mid: str, killed: float | None, injured: float | None = None) -> dict:
    return {"id": mid, "month": f"{mid}-01", "month_label": mid, "end": month_end(dt.date.fromisoformat(f"{mid}-01")),
            "civilians_killed": killed, "civilians_injured": injured, "killed": "", "injured": ""}


def test_the_civilians_title_holds_for_its_peak():
    assert CIVILIANS.claim(table(un_month("2024-07", 219), un_month("2025-07", 286), un_month("2025-08", 208))).holds


@pytest.mark.parametrize("rows", [
    [un_month("2025-07", 286), un_month("2025-08", 300)],  # a deadlier month
    [un_month("2025-07", 250)],  # July restated lower
    [un_month("2025-07", None, 1388)],  # no count of the killed at all
])
def test_the_civilians_title_fails_when_the_peak_moves(rows):
    assert not CIVILIANS.claim(table(*rows)).holds


def test_a_month_with_no_record_inside_the_span_is_a_band_not_a_zero(fixture_data):
    """A month missing from monthly.yaml altogether (no record) is marked like a month without the figure."""
    from build_charts.charts.spec import page_spec

    t = Table(CIVILIANS.table(fixture_data).columns,
              (un_month("2024-01", 158, 483), un_month("2024-03", 129, 498)),
              fixture_data["monthly"].meta.as_of.isoformat())
    spec = page_spec(CIVILIANS, fixture_data, t, "narrow")
    rows = [row for data in spec["datasets"].values() for row in data]
    assert {row["month"] for row in rows if row.get("reason")} == {"2024-02-01"}
    assert not any("id" in row for row in rows if row.get("reason")), "no record, so no record id"
    assert all(row.get("civilians_killed") != 0 for row in rows)


def test_each_chart_credits_only_the_producers_of_what_it_draws(fixture_data):
    from build_charts.charts.spec import source_line

    civilians = source_line(CIVILIANS, fixture_data, CIVILIANS.table(fixture_data))
    launches = source_line(CHART, fixture_data, CHART.table(fixture_data))
    assert civilians.startswith("the UN monitoring mission, via") and "air force" not in civilians
    assert "UN monitoring mission" not in launches and launches.startswith("Ukraine's air force")


def test_a_restated_month_draws_the_restatement_and_keeps_the_first_count(fixture_data):
    meta = fixture_data["monthly"].meta
    m = Month.model_validate({
        "id": "2024-03", "month": "2024-03-01", "status": "reported", "sources": ["a", "b"],
        "civilians_killed": [{"value": 129, "sources": ["b"], "by": "the UN monitoring mission"},
                             {"value": 126, "sources": ["a"], "by": "the UN monitoring mission",
                              "withdrawn": "The mission's first count."}]})
    assert _own(m.civilians_killed, meta, "the UN monitoring mission") == 129
    assert _revisions(m, meta) == "first count 126 killed"
