"""The interception share divides only figures of one account: the same producer's downed and launched counts."""

from __future__ import annotations

from build_charts.data.models.datasets import Strike, stopped_and_launched


def strike(launched: list[dict], downed: list[dict], lost: list[dict] | None = None) -> Strike:
    record = {"id": "2024-11-17", "date": "2024-11-17", "energy_focus": "primary", "status": "reported",
              "sources": ["s1", "s2"], "consequences": "Power cuts.", "drones_launched": launched,
              "drones_downed": downed}
    if lost:
        record["drones_lost"] = lost
    return Strike.model_validate(record)


def test_a_downed_count_is_not_divided_by_another_producers_launch_count():
    s = strike([{"value": 90, "by": "President Zelensky"}], [{"value": 42}])
    assert stopped_and_launched(s, "drones") == (None, None)


def test_the_same_producers_counts_make_a_share_even_beside_another_account():
    s = strike([{"value": 90, "by": "President Zelensky"}, {"value": 60}], [{"value": 42}])
    assert stopped_and_launched(s, "drones") == (42, 60)


def test_shot_down_and_lost_to_jamming_are_added_within_one_account():
    s = strike([{"value": 97}], [{"value": 35}], [{"value": 62}])
    assert stopped_and_launched(s, "drones") == (97, 97)


def test_downed_and_lost_from_different_producers_are_not_one_account():
    s = strike([{"value": 97}], [{"value": 35}], [{"value": 62, "by": "Ukraine's General Staff"}])
    assert stopped_and_launched(s, "drones") == (None, None)
