"""The monthly air-war dataset: its rules, the title's peaks, and months without a figure drawn as gaps."""

from __future__ import annotations

import pytest

from build_charts.charts import CHARTS
from build_charts.charts.base import Table
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
