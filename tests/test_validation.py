"""Every way a data file can be wrong is rejected with the exact line, column, field and a useful message.

Tests copy the real `data/` folder into tmp_path, edit one line of one file, and check the problems that
`load_data` reports. Line numbers are looked up in the real file (not hard-coded), so editors can add records
without breaking these tests; the edited line itself is spelled out in each test, so columns are literal.
"""

from __future__ import annotations

import re
import shutil
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_charts import DataError, Problem, load_data
from build_charts.data import loader as loader_module
from build_charts.data import strict_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
BROKEN = Path(__file__).resolve().parent / "broken"


# --- helpers -------------------------------------------------------------------------------------------


def copy_data(tmp_path: Path) -> Path:
    """A private copy of the real data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def problems_in(folder: Path) -> list[Problem]:
    """Every problem load_data reports for `folder` ([] when it validates)."""
    try:
        load_data(folder)
    except DataError as exc:
        assert exc.problems, "DataError raised without any problem"
        return list(exc.problems)
    return []


def line_of(text: str, line: str, *, after: str | None = None) -> int:
    """1-based number of the first line equal to `line` (after the first line equal to `after`)."""
    lines = text.split("\n")
    start = 0
    if after is not None:
        assert after in lines, f"anchor line {after!r} not found; has the real data changed?"
        start = lines.index(after) + 1
    for number in range(start, len(lines)):
        if lines[number] == line:
            return number + 1
    raise AssertionError(f"line {line!r} not found{f' after {after!r}' if after else ''}; has the real data changed?")


@dataclass
class Result:
    """The outcome of validating an edited copy of the data."""

    folder: Path
    file: Path
    line: int
    """Line number of the (first) edited line."""
    problems: list[Problem]

    def line_of(self, line: str, *, after: str | None = None) -> int:
        return line_of(self.file.read_text(encoding="utf-8-sig"), line, after=after)

    def _describe(self) -> str:
        return "\n".join(str(p) for p in self.problems) or "(no problems)"

    def has(self, line: int, column: int, field: str, contains: str, *, file: Path | None = None) -> Problem:
        """Assert some problem sits exactly at line:column in `file` (default: the edited file)."""
        path = str(file or self.file)
        for problem in self.problems:
            if (problem.path, problem.line, problem.column, problem.field) == (path, line, column, field) and (
                contains in problem.message
            ):
                return problem
        raise AssertionError(f"expected {path}:{line}:{column}: {field}: ...{contains}...; got:\n{self._describe()}")

    def only(self, line: int, column: int, field: str, contains: str, *, file: Path | None = None) -> Problem:
        """Assert exactly one problem in the whole run, at line:column."""
        problem = self.has(line, column, field, contains, file=file)
        assert len(self.problems) == 1, f"expected only one problem, got:\n{self._describe()}"
        return problem


def edit(tmp_path: Path, dataset: str, old: str, new: str, *, after: str | None = None) -> Result:
    """Copy the data, replace the first line equal to `old` (after the line `after`) by `new`, validate.

    `new` may hold several lines, to insert some after (or before) the edited one.
    """
    folder = copy_data(tmp_path)
    file = folder / f"{dataset}.yaml"
    text = file.read_text(encoding="utf-8")
    number = line_of(text, old, after=after)
    lines = text.split("\n")
    lines[number - 1 : number] = new.split("\n")
    file.write_text("\n".join(lines), encoding="utf-8")
    return Result(folder, file, number, problems_in(folder))


def delete_line(tmp_path: Path, dataset: str, old: str, *, after: str | None = None) -> Result:
    """Copy the data and remove one line."""
    folder = copy_data(tmp_path)
    file = folder / f"{dataset}.yaml"
    text = file.read_text(encoding="utf-8")
    number = line_of(text, old, after=after)
    lines = text.split("\n")
    del lines[number - 1]
    file.write_text("\n".join(lines), encoding="utf-8")
    return Result(folder, file, number, problems_in(folder))


def write_bytes(tmp_path: Path, dataset: str, raw: bytes | Callable[[bytes], bytes]) -> Result:
    """Copy the data and overwrite one file with `raw` (or with `raw(original bytes)`)."""
    folder = copy_data(tmp_path)
    file = folder / f"{dataset}.yaml"
    file.write_bytes(raw(file.read_bytes()) if callable(raw) else raw)
    return Result(folder, file, 1, problems_in(folder))


STRIKE_1 = "  - id: 2022-10-10"
NIGHT = "    night: morning of 10 October"


# --- the real data ---------------------------------------------------------------------------------------


def test_real_data_validates_with_no_problems(tmp_path):
    assert problems_in(DATA) == []
    assert problems_in(copy_data(tmp_path)) == []


def test_problem_prints_as_path_line_column_field_message(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: no", after=STRIKE_1)
    problem = result.only(result.line, 12, "night", "ambiguous")
    assert str(problem) == f"{result.file}:{result.line}:12: night: {problem.message}"


# --- YAML syntax -----------------------------------------------------------------------------------------


def test_bad_indentation(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "   night: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 4, "yaml", "syntax error: expected <block end>")


def test_over_indented_key(tmp_path):
    result = edit(tmp_path, "strikes", "    date: 2022-10-10", "      date: 2022-10-10", after=STRIKE_1)
    result.only(result.line, 11, "yaml", "syntax error: mapping values are not allowed here")


def test_unclosed_quote_points_at_the_opening_quote(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "morning of 10 October', after=STRIKE_1)
    result.only(result.line, 12, "yaml", "found unexpected end of stream (while scanning a quoted scalar)")


def test_tab_used_for_indentation(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "\tnight: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 1, "yaml", "use spaces, not tabs, to indent")


def test_tab_inside_indentation(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "  \t  night: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 3, "yaml", "use spaces, not tabs, to indent")


def test_second_document_in_a_file(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "force_caps.yaml"
    text = file.read_text(encoding="utf-8").rstrip("\n") + "\n---\nmeta: {}\n"
    file.write_text(text, encoding="utf-8")
    Result(folder, file, 0, problems_in(folder)).only(text.count("\n") - 1, 1, "yaml", "expected a single document")


# --- keys, anchors, aliases, tags ------------------------------------------------------------------------


def test_duplicate_key(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, f"{NIGHT}\n    night: evening of 10 October", after=STRIKE_1)
    result.only(result.line + 1, 5, "night", f"duplicate key (first defined at line {result.line})")


def test_duplicate_top_level_key(tmp_path):
    result = edit(tmp_path, "force_levels", "records:", "meta: {}\nrecords:")
    result.only(result.line, 1, "meta", "duplicate key (first defined at line 1)")


def test_anchor_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: &n morning of 10 October", after=STRIKE_1)
    result.only(result.line, 12, "yaml", "anchor '&n' is not allowed in data files")


def test_alias_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: *n", after=STRIKE_1)
    result.only(result.line, 12, "yaml", "alias '*n' is not allowed in data files")


def test_merge_key_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    <<: {night: morning of 10 October}", after=STRIKE_1)
    result.only(result.line, 5, "<<", "merge keys ('<<') are not allowed")


def test_explicit_tag_is_rejected(tmp_path):
    # Regression: `!!str 12` used to become the number 12 (explicit tags were ignored on plain scalars).
    result = edit(tmp_path, "strikes", NIGHT, "    night: !!str 12", after=STRIKE_1)
    result.only(result.line, 12, "night", "tag 'tag:yaml.org,2002:str' is not allowed")


def test_python_tag_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: !!python/object/apply:os.system [ls]", after=STRIKE_1)
    result.only(result.line, 12, "night", "is not allowed in data files")


def test_billion_laughs_is_rejected_quickly_and_in_little_memory(tmp_path):
    levels = ['lol0: &lol0 "lol"'] + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)]
    original = (DATA / "strikes.yaml").read_text(encoding="utf-8")
    assert original.endswith("\n")
    first = original.count("\n") + 1
    bomb = original + "\n".join(levels) + "\n"  # 10**9 'lol's if it were expanded

    full = copy_data(tmp_path / "full")
    (full / "strikes.yaml").write_text(bomb, encoding="utf-8")
    Result(full, full / "strikes.yaml", first, problems_in(full)).only(
        first, 7, "yaml", "anchor '&lol0' is not allowed in data files")

    # Timed and traced on a folder holding only the bomb, so other files' parsing does not count.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "strikes.yaml").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(DataError) as caught:
        load_data(alone)
    elapsed = time.perf_counter() - started
    Result(alone, alone / "strikes.yaml", first, list(caught.value.problems)).has(first, 7, "yaml", "anchor '&lol0'")
    assert elapsed < 2, f"alias bomb took {elapsed:.1f}s (a safety bound, not a benchmark)"

    tracemalloc.start()
    try:
        with pytest.raises(DataError):
            load_data(alone)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"peak memory {peak / 1e6:.1f} MB"


def test_deep_nesting_is_a_located_problem(tmp_path):
    # Regression: a few hundred nested brackets raised RecursionError out of load_data.
    result = edit(tmp_path, "strikes", NIGHT, "    night: " + "[" * 5000 + "]" * 5000, after=STRIKE_1)
    # Depth 1 is the document, 2 the records list, 3 the record, 4 the first bracket at column 12.
    result.only(result.line, 12 + strict_yaml.MAX_DEPTH - 3, "yaml", "nested more than 50 levels deep")


@pytest.mark.parametrize(
    ("escape", "char"),
    [("\\0", "0000"), ("\\a", "0007"), ("\\x85", "0085"), ("\\u2028", "2028"), ("\\ud83d\\ude00", "D83D")],
    ids=["nul", "bell", "next-line", "line-separator", "surrogates"],
)
def test_control_characters_written_as_escapes(tmp_path, escape, char):
    # Regression: decode() rejects these as raw characters, but double-quoted escapes slipped them through.
    result = edit(tmp_path, "strikes", NIGHT, f'    night: "morning{escape} of 10 October"', after=STRIKE_1)
    result.only(result.line, 12, "night", f"character U+{char} (written as an escape) is not allowed")


def test_escaped_emoji_is_accepted(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "morning of 10 October \\U0001F680"', after=STRIKE_1)
    assert result.problems == []


@pytest.mark.parametrize(
    ("line", "column", "key"),
    [("    ?", 6, "''"), ('    "": morning', 5, "''"), ('    "night\\nx": morning', 5, "'night\\nx'")],
    ids=["bare-question-mark", "empty-quoted", "line-break"],
)
def test_keys_must_be_plain_words(tmp_path, line, column, key):
    # Regression: an empty key printed as 'path:line:column: : message', with an empty field.
    result = edit(tmp_path, "strikes", NIGHT, line, after=STRIKE_1)
    result.only(result.line, column, "0", f"key {key} must be a plain word")  # field: the record's index


# --- wrong types ----------------------------------------------------------------------------------------


def test_string_where_a_count_is_required(tmp_path):
    result = edit(tmp_path, "strikes", "      - value: 24", "      - value: twenty-four", after=STRIKE_1)
    result.only(result.line, 16, "value", "Input should be a valid integer (got 'twenty-four')")


def test_quoted_number_is_not_a_count(tmp_path):
    result = edit(tmp_path, "strikes", "      - value: 24", '      - value: "24"', after=STRIKE_1)
    result.only(result.line, 16, "value", "valid integer (got '24')")


def test_fraction_is_not_a_count(tmp_path):
    result = edit(tmp_path, "strikes", "      - value: 24", "      - value: 24.5", after=STRIKE_1)
    result.only(result.line, 16, "value", "valid integer (got 24.5)")


def test_number_in_a_text_field(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: 12", after=STRIKE_1)
    result.only(result.line, 12, "night", "Input should be a valid string (got 12)")


def test_list_in_a_text_field(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: [morning, evening]", after=STRIKE_1)
    result.only(result.line, 12, "night", "Input should be a valid string")


def test_value_outside_an_allowed_set(tmp_path):
    result = edit(tmp_path, "strikes", "    energy_focus: primary", "    energy_focus: main", after=STRIKE_1)
    result.only(result.line, 19, "energy_focus", "Input should be 'primary', 'partial' or 'none' (got 'main')")


def test_huge_number_is_a_located_problem(tmp_path):
    # Regression: more than 4,300 digits made int() raise ValueError out of load_data.
    result = edit(tmp_path, "strikes", "      - value: 24", "      - value: " + "9" * 5000, after=STRIKE_1)
    result.only(result.line, 16, "value", "a number of 5,000 characters is too long")


def test_top_level_list_is_rejected(tmp_path):
    result = write_bytes(tmp_path, "force_caps", b"- a\n- b\n")
    result.only(1, 1, "document", "expected a mapping with 'meta' and records")


# --- unknown and missing fields -------------------------------------------------------------------------


def test_unknown_field_with_did_you_mean_hint(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    nigth: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 5, "nigth", "unknown field; did you mean 'night'?")


def test_unknown_field_without_close_match_lists_the_allowed_fields(tmp_path):
    result = edit(tmp_path, "outages", "    unit: settlements", "    unit: settlements\n    colour: red")
    problem = result.only(result.line + 1, 5, "colour", "unknown field; allowed: ")
    assert "affected" in problem.message and "region" in problem.message


def test_unknown_field_in_meta(tmp_path):
    result = edit(tmp_path, "znpp_power", "  units: episodes; durations in hours where reported",
                  "  units: episodes; durations in hours where reported\n  unit: episodes")
    result.only(result.line + 1, 3, "unit", "did you mean 'units'?")


def test_renamed_field_reports_the_unknown_and_the_missing_one(tmp_path):
    result = edit(tmp_path, "sources", "  publisher: DW", "  publsher: DW")
    record = result.line_of("- id: dw-2025-12-06")
    result.has(result.line, 3, "publsher", "did you mean 'publisher'?")
    result.has(record, 3, "publisher", "required field is missing")
    assert len(result.problems) == 2


def test_missing_required_field(tmp_path):
    result = delete_line(tmp_path, "strikes", "    energy_focus: primary", after=STRIKE_1)
    record = result.line_of(STRIKE_1)
    result.only(record, 5, "energy_focus", "required field is missing")


def test_missing_meta(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "force_caps.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text[text.index("records:"):], encoding="utf-8")
    Result(folder, file, 1, problems_in(folder)).only(1, 1, "meta", "required field is missing")


def test_strike_without_launch_figures(tmp_path):
    # The strike of 31 October 2022 has only missiles_launched; without it, it has no launch figure at all.
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    anchor = "  - id: 2022-10-31\n"
    block = "    missiles_launched:\n      - value: 50\n        qualifier: more than\n        note: cruise missiles\n"
    start = text.index(anchor)
    assert text.index(block, start) < text.index("  - id: ", start + 1), "has the real data changed?"
    file.write_text(text[:start] + text[start:].replace(block, "", 1), encoding="utf-8")
    record = line_of(text, anchor.rstrip("\n"))
    Result(folder, file, record, problems_in(folder)).only(
        record, 5, "drones_launched", "a strike needs drones_launched or missiles_launched")


# --- YAML 1.1 surprises ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "anchor", "old", "new", "column", "field", "message"),
    [
        ("strikes", STRIKE_1, NIGHT, "    night: no", 12, "night",
         "'no' is ambiguous (YAML 1.1 reads it as a boolean)"),
        ("strikes", STRIKE_1, NIGHT, "    night: Off", 12, "night", "'Off' is ambiguous"),
        ("strikes", STRIKE_1, "    energy_focus: primary", "    energy_focus: yes", 19, "energy_focus",
         "'yes' is ambiguous"),
        ("strikes", STRIKE_1, "      - value: 24", "      - value: 012", 16, "value",
         "'012' has a leading zero (YAML 1.1 reads it as octal)"),
        ("znpp_power", "  - id: loop-2025-07-04", "      - value: 3.5", "      - value: 1.10", 16, "value",
         "'1.10' would be read as 1.1 and lose its trailing zero"),
        ("strikes", STRIKE_1, "      - value: 24", "      - value: 0x18", 16, "value",
         "'0x18' is a number in a form YAML versions read differently"),
        ("strikes", STRIKE_1, "      - value: 24", "      - value: 2_4", 16, "value", "'2_4' is a number in a form"),
        ("strikes", STRIKE_1, "      - value: 24", "      - value: 2.4e1", 16, "value",
         "'2.4e1' is a number in a form"),
    ],
    ids=["no", "Off", "yes", "012", "1.10", "hex", "underscore", "exponent"],
)
def test_yaml_1_1_surprises(tmp_path, dataset, anchor, old, new, column, field, message):
    result = edit(tmp_path, dataset, old, new, after=anchor)
    result.only(result.line, column, field, message)


def test_quoted_yaml_1_1_words_are_text(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "no"', after=STRIKE_1)
    assert result.problems == []


# --- dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("2025-02-30", "'2025-02-30' is not a real date (day is out of range for month)"),
        ("25-12-06", "expected a date written YYYY-MM-DD, got '25-12-06'"),
        ("2022-10-10T03:00:00", "expected a date written YYYY-MM-DD"),
        ("10/10/2022", "expected a date written YYYY-MM-DD, got '10/10/2022'"),
        ("2022-13-01", "'2022-13-01' is not a real date"),
    ],
    ids=["feb-30", "two-digit-year", "with-time", "slashes", "month-13"],
)
def test_invalid_dates(tmp_path, new, message):
    result = edit(tmp_path, "strikes", "    date: 2022-10-10", f"    date: {new}", after=STRIKE_1)
    result.only(result.line, 11, "date", message)


def test_date_as_a_number_is_rejected(tmp_path):
    result = edit(tmp_path, "sources", "  published: 2025-12-06", "  published: 20251206", after="- id: dw-2025-12-06")
    result.only(result.line, 14, "published", "expected a date written YYYY-MM-DD, got 20251206")


# --- impossible values ----------------------------------------------------------------------------------


def test_negative_count(tmp_path):
    result = edit(tmp_path, "strikes", "      - value: 24", "      - value: -5", after=STRIKE_1)
    result.only(result.line, 16, "value", "Input should be greater than or equal to 0 (got -5)")


@pytest.mark.parametrize("value", ["inf", "Infinity", '"12"'])
def test_figure_value_must_be_a_finite_number(tmp_path, value):
    result = edit(tmp_path, "znpp_power", "      - value: 3.5", f"      - value: {value}",
                  after="  - id: loop-2025-07-04")
    result.only(result.line, 16, "value", "")


def test_negative_outage_count(tmp_path):
    result = edit(tmp_path, "outages", "      - value: 585", "      - value: -585",
                  after="  - id: 2022-10-17-settlements")
    result.only(result.line, 16, "value", "greater than or equal to 0 (got -585)")


def test_drones_downed_exceeding_drones_launched(tmp_path):
    result = edit(tmp_path, "strikes", "      - value: 13", "      - value: 30", after=STRIKE_1)
    problem = result.only(result.line, 7, "drones_downed", "")
    assert problem.message.startswith("30 drones downed or lost is more than the 24 launched by the same account")


def test_cruise_plus_ballistic_exceeding_missiles_launched(tmp_path):
    # The first strike has 87 cruise missiles of 87 launched (highest variant); 5 ballistic ones tip it over.
    result = edit(tmp_path, "strikes", "    drones_downed:",
                  "    ballistic_missiles:\n      - value: 5\n    drones_downed:", after=STRIKE_1)
    cruise = result.line_of("    cruise_missiles:", after=STRIKE_1)
    problem = result.only(cruise + 1, 7, "cruise_missiles", "")
    assert problem.message == "92 exceeds missiles_launched 87"


def test_calendar_end_before_start(tmp_path):
    result = edit(tmp_path, "diplomatic_calendar", "    end: 2025-11-25", "    end: 2025-11-23",
                  after="  - id: abu-dhabi-2025-11-24")
    result.only(result.line, 10, "end", "end 2025-11-23 is before start 2025-11-24")


def test_znpp_power_end_before_start(tmp_path):
    result = edit(tmp_path, "znpp_power", "    end: 2022-08-26", "    end: 2022-08-24",
                  after="  - id: disconnection-2022-08-25")
    result.only(result.line, 10, "end", "end 2022-08-24 is before start 2022-08-25")


def test_held_event_dated_after_as_of(tmp_path):
    # The postponed round of 5-9 March may end after as_of (8 March); once marked held it may not.
    anchor = "  - id: abu-dhabi-2026-03-05"
    result = edit(tmp_path, "diplomatic_calendar", "    event_status: postponed", "    event_status: held",
                  after=anchor)
    end = result.line_of("    end: 2026-03-09", after=anchor)
    result.only(end, 10, "end", "2026-03-09 is after the dataset's as_of date 2026-03-08")


def test_planned_event_may_lie_after_as_of(tmp_path):
    result = edit(tmp_path, "diplomatic_calendar", "    end: 2026-03-09", "    end: 2026-04-30",
                  after="  - id: abu-dhabi-2026-03-05")
    assert result.problems == []


@pytest.mark.parametrize(
    ("dataset", "anchor", "old", "new", "column", "field"),
    [
        ("strikes", STRIKE_1, "    date: 2022-10-10", "    date: 2026-03-09", 11, "date"),
        ("outages", "  - id: 2022-10-17-settlements", "    date: 2022-10-17", "    date: 2026-03-09", 11, "date"),
        ("znpp_power", "  - id: loop-2025-07-04", "    end: 2025-07-04", "    end: 2026-03-09", 10, "end"),
        ("force_caps", "  - id: russia-draft-2022-03", "    date: 2022-03-07", "    date: 2026-03-09", 11, "date"),
        ("force_levels", "  - id: ua-legal-ceiling-2015", "    date: 2021-05-25", "    date: 2026-03-09", 11, "date"),
        ("sources", "- id: dw-2025-12-06", "  accessed: 2026-03-08", "  accessed: 2026-03-09", 13, "accessed"),
        ("diplomatic_calendar", "  - id: abu-dhabi-2026-03-05", "      - date: 2026-03-04", "      - date: 2026-03-09",
         15, "date"),
    ],
    ids=["strike", "outage", "znpp", "force-cap", "force-level", "source", "calendar-revision"],
)
def test_record_date_after_as_of(tmp_path, dataset, anchor, old, new, column, field):
    result = edit(tmp_path, dataset, old, new, after=anchor)
    result.only(result.line, column, field, "2026-03-09 is after the dataset's as_of date 2026-03-08")


# --- sources and ids ------------------------------------------------------------------------------------

RECORD_SOURCES = ("    sources: [warukraine-2022-10-10, kyivindependent-2022-11-15, theinsider-2022-10-11, "
                  "osw-2022-10-10]")


def test_unknown_source_id(tmp_path):
    new = RECORD_SOURCES[:-1] + ", no-such-source-2022]"
    result = edit(tmp_path, "strikes", RECORD_SOURCES, new, after=STRIKE_1)
    result.only(result.line, new.index("no-such-source-2022") + 1, "sources", "unknown source id 'no-such-source-2022'")


def test_unknown_source_id_in_a_revision(tmp_path):
    old = "        sources: [trtworld-2026-03-04-p, novayagazeta-2026-03-05-p, dawn-2026-03-04-p]"
    new = "        sources: [trtworld-2026-03-04-p, typo-2026-03-05-p, dawn-2026-03-04-p]"
    result = edit(tmp_path, "diplomatic_calendar", old, new, after="  - id: abu-dhabi-2026-03-05")
    result.only(result.line, new.index("typo") + 1, "sources", "unknown source id 'typo-2026-03-05-p'")


def test_variant_source_not_listed_in_record_sources(tmp_path):
    result = edit(tmp_path, "strikes", "        sources: [osw-2022-10-10]", "        sources: [dw-2025-12-06]",
                  after=STRIKE_1)
    result.only(result.line, 18, "sources", "source 'dw-2025-12-06' is not listed in the record's sources")


def test_source_that_no_record_uses(tmp_path):
    unused = "\n".join([
        "- id: unused-2026-01-01",
        "  publisher: Nobody",
        "  title: A page that no record cites",
        "  url: https://example.org/unused",
        "  published: 2026-01-01",
        "  accessed: 2026-03-08",
        "  tier: original",
        "- id: dw-2025-12-06",
    ])
    result = edit(tmp_path, "sources", "- id: dw-2025-12-06", unused)
    result.only(result.line, 7, "id", "source 'unused-2026-01-01' is not cited by any record; remove it or cite it")


def test_duplicate_record_id(tmp_path):
    result = edit(tmp_path, "znpp_power", "  - id: disconnection-2022-09-05", "  - id: disconnection-2022-08-25")
    result.only(result.line, 9, "id", "duplicate id 'disconnection-2022-08-25' (also record 1)")


def test_duplicate_source_id(tmp_path):
    result = edit(tmp_path, "sources", "- id: kyivindependent-2025-12-06", "- id: dw-2025-12-06")
    result.has(result.line, 7, "id", "duplicate id 'dw-2025-12-06' (also record 1)")


def test_badly_formed_record_id(tmp_path):
    result = edit(tmp_path, "strikes", STRIKE_1, "  - id: Strike of 10 October")
    result.only(result.line, 9, "id", "String should match pattern")


def test_reference_to_a_missing_strike(tmp_path):
    result = edit(tmp_path, "outages", "    strike: 2022-10-31", "    strike: 2022-10-30")
    result.only(result.line, 13, "strike", "'2022-10-30' is not a record id in strikes.yaml")


# --- URLs -----------------------------------------------------------------------------------------------

DW_URL = "  url: https://amp.dw.com/en/ukraine-hit-by-new-russian-strikes-on-infrastructure/a-75046996"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("http://amp.dw.com/en/ukraine-hit-by-new-russian-strikes-on-infrastructure/a-75046996", "http"),
        ("javascript:alert(document.cookie)", "javascript"),
        ("JavaScript:alert(1)", "JavaScript"),
        ("data:text/html,<script>alert(1)</script>", "data"),
        ("ftp://example.org/file", "ftp"),
        ("//example.org/page", "no scheme"),
    ],
    ids=["http", "javascript", "javascript-mixed-case", "data", "ftp", "protocol-relative"],
)
def test_non_https_url(tmp_path, url, scheme):
    result = edit(tmp_path, "sources", DW_URL, f"  url: {url}")
    result.only(result.line, 8, "url", f"only https:// URLs are allowed (got '{scheme}')")


def test_malformed_https_url(tmp_path):
    result = edit(tmp_path, "sources", DW_URL, "  url: https://")
    result.only(result.line, 8, "url", "URL")


# --- bytes and encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"\n\n   \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "only-bom"])
def test_empty_file(tmp_path, raw):
    write_bytes(tmp_path, "strikes", raw).only(1, 1, "file", "file is empty")


def test_file_with_only_comments(tmp_path):
    write_bytes(tmp_path, "strikes", b"# nothing here yet\n").only(1, 1, "file", "file holds no YAML document")


def test_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    write_bytes(tmp_path, "strikes", png).only(3, 1, "file", "file contains NUL bytes: it looks binary")


def test_nul_byte_inside_a_text_field(tmp_path):
    def corrupt(raw: bytes) -> bytes:
        return raw.replace(b"    night: morning of 10 October", b"    night: morning\x00 of 10 October", 1)

    result = write_bytes(tmp_path, "strikes", corrupt)
    night = line_of(DATA.joinpath("strikes.yaml").read_text(encoding="utf-8"), NIGHT, after=STRIKE_1)
    result.only(night, 19, "file", "NUL bytes")


def test_latin_1_byte_is_not_utf_8(tmp_path):
    def corrupt(raw: bytes) -> bytes:
        return raw.replace(b"    night: morning of 10 October", "    night: matinée".encode("latin-1"), 1)

    result = write_bytes(tmp_path, "strikes", corrupt)
    night = line_of(DATA.joinpath("strikes.yaml").read_text(encoding="utf-8"), NIGHT, after=STRIKE_1)
    result.only(night, 17, "file", "byte 0xe9 is not valid UTF-8; save the file as UTF-8")


def test_non_utf_8_column_counts_characters_not_bytes(tmp_path):
    # Regression: the column counted bytes, so it was one too far after the two-byte 'ü'.
    def corrupt(raw: bytes) -> bytes:
        return raw.replace(b"    night: morning of 10 October", "    night: Türkiye, ".encode() + b"matin\xe9e", 1)

    result = write_bytes(tmp_path, "strikes", corrupt)
    night = line_of(DATA.joinpath("strikes.yaml").read_text(encoding="utf-8"), NIGHT, after=STRIKE_1)
    result.only(night, len("    night: Türkiye, matin") + 1, "file", "byte 0xe9 is not valid UTF-8")


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\x07", "control character U+0007 is not allowed"),
        ("\x86", "control character U+0086 is not allowed"),
        ("\x85", "line separator U+0085 is not allowed"),
        ("\u2028", "line separator U+2028 is not allowed"),
        ("\ufffe", "non-character U+FFFE is not allowed"),
    ],
    ids=["bell", "c1-control", "next-line", "line-separator", "non-character"],
)
def test_invisible_characters_are_located_problems(tmp_path, char, message):
    # Regression: C1 controls and U+FFFE made PyYAML raise ReaderError out of load_data; U+0085 and U+2028
    # were read as line breaks, shifting every later line number.
    result = edit(tmp_path, "strikes", NIGHT, f"    night: morning of{char}10 October", after=STRIKE_1)
    result.only(result.line, len("    night: morning of") + 1, "file", message)


def test_utf_8_bom_is_accepted(tmp_path):
    result = write_bytes(tmp_path, "strikes", lambda raw: b"\xef\xbb\xbf" + raw)
    assert result.problems == []


def test_utf_8_bom_does_not_shift_columns(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    number = line_of(text, NIGHT, after=STRIKE_1)
    file.write_bytes(b"\xef\xbb\xbf" + text.replace(NIGHT, "    night: no", 1).encode())
    Result(folder, file, number, problems_in(folder)).only(number, 12, "night", "'no' is ambiguous")


def test_windows_line_endings_are_accepted(tmp_path):
    result = write_bytes(tmp_path, "strikes", lambda raw: raw.replace(b"\n", b"\r\n"))
    assert result.problems == []


def test_windows_line_endings_keep_line_numbers(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    number = line_of(text, NIGHT, after=STRIKE_1)
    file.write_bytes(text.replace(NIGHT, "    night: yes", 1).replace("\n", "\r\n").encode())
    Result(folder, file, number, problems_in(folder)).only(number, 12, "night", "'yes' is ambiguous")


def test_oversized_file_is_rejected_before_parsing(tmp_path, monkeypatch):
    real_parse = strict_yaml.parse

    def parse_small_files_only(text: str, path: str) -> object:
        assert not path.endswith("strikes.yaml"), "an oversized file reached the YAML parser"
        return real_parse(text, path)

    monkeypatch.setattr(loader_module, "parse", parse_small_files_only)
    raw = b"a: [" + b"1, " * (strict_yaml.MAX_BYTES // 3) + b"]\n"
    assert len(raw) > strict_yaml.MAX_BYTES
    result = write_bytes(tmp_path, "strikes", raw)
    limit = f"{strict_yaml.MAX_BYTES:,}"
    result.only(1, 1, "file", f"file is {len(raw):,} bytes; the limit is {limit} bytes")


def test_file_at_the_size_limit_is_read(tmp_path, monkeypatch):
    # A small limit (the largest real file) stands in for MAX_BYTES, so the boundary is cheap to test.
    limit = max(len(p.read_bytes()) for p in DATA.glob("*.yaml"))
    monkeypatch.setattr(strict_yaml, "MAX_BYTES", limit)

    def pad(extra: int) -> Callable[[bytes], bytes]:
        return lambda raw: raw + b"#" * (limit - len(raw) - 1 + extra) + b"\n"

    assert write_bytes(tmp_path / "at", "strikes", pad(0)).problems == []
    result = write_bytes(tmp_path / "over", "strikes", pad(1))
    result.only(1, 1, "file", f"file is {limit + 1:,} bytes; the limit is {limit:,} bytes")


# --- files in the folder --------------------------------------------------------------------------------


def test_missing_dataset_file(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "outages.yaml").unlink()
    # Only one problem: the sources that only outages.yaml cites are not reported as unused (regression).
    Result(folder, folder / "outages.yaml", 1, problems_in(folder)).only(1, 1, "file", "dataset file is missing")


def test_unknown_extra_yaml_file(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "notes.yaml").write_text("meta: {}\n", encoding="utf-8")
    Result(folder, folder / "notes.yaml", 1, problems_in(folder)).only(
        1, 1, "file", "unknown dataset 'notes'; expected one of: diplomatic_calendar, force_caps")


def test_yml_and_yaml_for_the_same_dataset(tmp_path):
    # Regression: strikes.yml silently replaced strikes.yaml.
    folder = copy_data(tmp_path)
    shutil.copy(folder / "strikes.yaml", folder / "strikes.yml")
    Result(folder, folder / "strikes.yml", 1, problems_in(folder)).only(1, 1, "file", "strikes.yaml exists too")


def test_other_files_in_the_folder_are_ignored(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "README.md").write_text("# notes\n", encoding="utf-8")
    assert problems_in(folder) == []


def test_missing_data_folder(tmp_path):
    with pytest.raises(DataError) as caught:
        load_data(tmp_path / "nowhere")
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.field) == (1, 1, "folder")
    assert "data folder not found" in problem.message


# --- several problems at once ---------------------------------------------------------------------------


def test_all_problems_of_a_run_are_reported(tmp_path):
    folder = copy_data(tmp_path)

    def replace(dataset: str, old: str, new: str, *, after: str | None = None) -> tuple[Path, int]:
        file = folder / f"{dataset}.yaml"
        text = file.read_text(encoding="utf-8")
        number = line_of(text, old, after=after)
        lines = text.split("\n")
        lines[number - 1] = new
        file.write_text("\n".join(lines), encoding="utf-8")
        return file, number

    strikes, nigth = replace("strikes", NIGHT, "    nigth: morning of 10 October", after=STRIKE_1)
    _, negative = replace("strikes", "      - value: 24", "      - value: -24", after=STRIKE_1)
    znpp, tab = replace("znpp_power", "    kind: disconnection", "\tkind: disconnection",
                        after="  - id: disconnection-2022-08-25")
    sources, url = replace("sources", DW_URL, "  url: http://amp.dw.com/")
    calendar, end = replace("diplomatic_calendar", "    end: 2025-11-25", "    end: 2025-11-23",
                            after="  - id: abu-dhabi-2025-11-24")
    result = Result(folder, strikes, 0, problems_in(folder))
    result.has(nigth, 5, "nigth", "did you mean 'night'?")
    result.has(negative, 16, "value", "greater than or equal to 0")
    result.has(tab, 1, "yaml", "use spaces, not tabs", file=znpp)
    result.has(url, 8, "url", "only https:// URLs are allowed", file=sources)
    result.has(end, 10, "end", "is before start", file=calendar)
    assert len(result.problems) == 5, result._describe()


# --- the broken-file corpus -----------------------------------------------------------------------------

EXPECT = re.compile(r"# expect: (?:(?P<valid>valid)|(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<text>.+))")


def _corpus() -> list[Path]:
    return sorted(p for p in BROKEN.iterdir() if p.suffix in (".yaml", ".bin"))


def _expectation(case: Path) -> re.Match[str]:
    source = case.with_suffix(".expect") if case.suffix == ".bin" else case
    first = source.read_bytes().decode("utf-8-sig").split("\n", 1)[0].rstrip("\r")
    match = EXPECT.fullmatch(first)
    assert match, f"{source.name}: first line must be '# expect: <line>:<column>: <field>: <text>' or 'valid'"
    return match


def test_corpus_is_complete():
    names = {p.name for p in _corpus()}
    assert len(names) >= 20
    for case in _corpus():
        dataset = case.stem.split("--")[0]
        assert "--" in case.stem and dataset in {p.stem for p in DATA.glob("*.yaml")}, case.name
        _expectation(case)
    for sidecar in BROKEN.glob("*.expect"):
        assert sidecar.with_suffix(".bin").exists(), f"{sidecar.name} has no .bin file"


@pytest.mark.parametrize("case", _corpus(), ids=lambda p: p.name)
def test_broken_corpus(tmp_path, case):
    dataset = case.stem.split("--")[0]
    expected = _expectation(case)
    folder = copy_data(tmp_path)
    target = folder / f"{dataset}.yaml"
    target.write_bytes(case.read_bytes())
    found = problems_in(folder)
    mine = [p for p in found if p.path == str(target)]
    shown = "\n".join(str(p) for p in mine) or "(no problems in this file)"
    if expected["valid"]:
        assert mine == [], f"{case.name} should validate, got:\n{shown}"
        return
    want = (int(expected["line"]), int(expected["column"]), expected["field"])
    assert any((p.line, p.column, p.field) == want and expected["text"] in p.message for p in mine), (
        f"{case.name}: expected {want[0]}:{want[1]}: {want[2]}: ...{expected['text']}...; got:\n{shown}")
