"""Every way a data file can be wrong gives one problem: exact line, column, field and a message saying what to do.

Tests copy the frozen fixture data (`tests/fixtures/data`, never the live `data/`) into tmp_path, edit one line
of one file, and compare the problems `load_data` reports with the exact expected text. Line numbers are looked
up in the file; dates tied to the data's as_of are computed from the fixture, so nothing here names today's data.
"""

from __future__ import annotations

import datetime as dt
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

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "data"
BROKEN = TESTS / "broken"
AS_OF = load_data(FIXTURES).as_of
"""The fixture's as_of (every fixture file has the same one)."""
DAY_AFTER = AS_OF + dt.timedelta(days=1)


# --- helpers -------------------------------------------------------------------------------------------


def copy_data(tmp_path: Path) -> Path:
    """A private copy of the fixture data folder."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
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
        assert after in lines, f"anchor line {after!r} not found in the fixture"
        start = lines.index(after) + 1
    for number in range(start, len(lines)):
        if lines[number] == line:
            return number + 1
    raise AssertionError(f"line {line!r} not found{f' after {after!r}' if after else ''} in the fixture")


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

    def has(self, line: int, column: int, field: str, message: str, *, file: Path | None = None) -> Problem:
        """Assert some problem is exactly `file:line:column: field: message` (default file: the edited one)."""
        want = Problem(str(file or self.file), line, column, field, message)
        assert want in self.problems, f"expected:\n{want}\ngot:\n{self._describe()}"
        return want

    def only(self, line: int, column: int, field: str, message: str, *, file: Path | None = None) -> Problem:
        """Assert the whole run reports exactly this one problem."""
        problem = self.has(line, column, field, message, file=file)
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
VALUE_24 = "      - value: 24"
ALIGN = "lines at the same level must line up, so indent this line by"


# --- the fixture ------------------------------------------------------------------------------------------


def test_fixture_data_validates_with_no_problems(tmp_path):
    assert problems_in(FIXTURES) == []
    assert problems_in(copy_data(tmp_path)) == []


def test_problem_prints_as_path_line_column_field_message(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "morning" of 10 October', after=STRIKE_1)
    [problem] = result.problems
    assert str(problem) == f"{result.file}:{result.line}:12: yaml: {problem.message}"


# --- YAML syntax: the lines around the error tell what is wrong -----------------------------------------


def test_line_indented_one_space_too_few(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "   night: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 4, "yaml", f"this line is indented 3 spaces, 1 fewer than 'date' on line "
                                        f"{result.line - 1} above it: {ALIGN} 4 spaces")


def test_line_indented_one_space_too_far(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "     night: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 6, "yaml", f"this line is indented 5 spaces, 1 more than 'date' on line "
                                        f"{result.line - 1} above it: {ALIGN} 4 spaces")


def test_field_indented_under_the_record_id(tmp_path):
    result = edit(tmp_path, "strikes", "    date: 2022-10-10", "      date: 2022-10-10", after=STRIKE_1)
    result.only(result.line, 7, "yaml", f"this line is indented 6 spaces, 2 more than 'id' on line "
                                        f"{result.line - 1} above it: {ALIGN} 4 spaces")


def test_figure_entry_indented_too_far(tmp_path):
    result = edit(tmp_path, "strikes", "        sources: [osw-2022-10-10]", "         sources: [osw-2022-10-10]",
                  after=STRIKE_1)
    result.only(result.line, 10, "yaml", f"this line is indented 9 spaces, 1 more than 'value' on line "
                                         f"{result.line - 1} above it: {ALIGN} 8 spaces")


def test_list_item_dash_out_of_line(tmp_path):
    result = edit(tmp_path, "strikes", "      - value: 83", "     - value: 83", after=STRIKE_1)
    first = result.line_of("      - value: 84", after=STRIKE_1)
    result.only(result.line, 6, "yaml", f"this line is indented 5 spaces, 1 fewer than the '-' on line {first} "
                                        f"above it: {ALIGN} 6 spaces")


def test_first_line_of_a_block_out_of_line(tmp_path):
    # YAML accepts any indentation for a block's first line and fails on the next; the first one is to blame.
    result = edit(tmp_path, "strikes", "      - value: 84", "     - value: 84", after=STRIKE_1)
    result.only(result.line, 6, "yaml", f"this line is indented 5 spaces, 1 fewer than the other lines under "
                                        f"'missiles_launched' on line {result.line - 1}: indent it by 6 spaces")


def test_line_that_belongs_at_the_left_edge(tmp_path):
    # 0 and 2 spaces are both one space away; the line above (6 spaces) is no guide, so the outer level wins.
    result = edit(tmp_path, "outages", "records:", " records:")
    result.only(result.line, 2, "yaml", "this line is indented 1 space, 1 more than 'meta' on line 2 above it: lines "
                                        "at the same level must line up, so start this line at the left edge, with "
                                        "no spaces")


def test_field_after_a_folded_text_lines_up_with_the_field_names(tmp_path):
    result = edit(tmp_path, "strikes", "    status: reported", "   status: reported", after=STRIKE_1)
    result.only(result.line, 4, "yaml", f"this line is indented 3 spaces, 1 fewer than 'consequences' on line "
                                        f"{result.line - 3} above it: {ALIGN} 4 spaces")


def test_colon_inside_a_text(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: Kyiv time: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 12, "yaml", "the text of 'night' contains ': ', which YAML reads as a new field: put "
                                         'the whole text in quotes, night: "Kyiv time: morning of 10 October"')


def test_colon_inside_a_text_with_double_quotes(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: the "night": 9-10 October', after=STRIKE_1)
    result.only(result.line, 12, "yaml", "the text of 'night' contains ': ', which YAML reads as a new field: put "
                                         "the whole text in quotes, night: 'the \"night\": 9-10 October'")


def test_unclosed_quote_points_at_the_opening_quote(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "morning of 10 October', after=STRIKE_1)
    result.only(result.line, 12, "yaml", "this quoted text has no closing '\"': add '\"' at the end of the text")


def test_double_quotes_inside_a_quoted_text(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "the "first" night"', after=STRIKE_1)
    result.only(result.line, 12, "yaml", "the quoted text ends at the second '\"' and more text follows: to use "
                                         "'\"' inside a text, put the text in single quotes, "
                                         "night: 'the \"first\" night'")


def test_apostrophe_inside_single_quotes(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: 'Kyiv's night'", after=STRIKE_1)
    result.only(result.line, 12, "yaml", "the quoted text ends at the apostrophe and more text follows: put the text "
                                         "in double quotes instead, night: \"Kyiv's night\"")


@pytest.mark.parametrize(("start", "what"), [("@", "'@'"), ("`", "'`'"), ("- ", "'- '"), ("? ", "'? '")],
                         ids=["at", "backtick", "dash", "question-mark"])
def test_text_starting_with_a_yaml_character(tmp_path, start, what):
    result = edit(tmp_path, "strikes", NIGHT, f"    night: {start}morning", after=STRIKE_1)
    result.only(result.line, 12, "yaml", f"a text cannot start with {what}: put the whole text in quotes, "
                                         f'night: "{start}morning"')


def test_text_starting_with_a_star(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: *morning* of 10 October", after=STRIKE_1)
    result.only(result.line, 12, "yaml", "a text cannot start with '*' (YAML reads it as an alias): put the whole text "
                                         'in quotes, night: "*morning* of 10 October"')


def test_no_space_after_the_colon(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night:morning", after=STRIKE_1)
    result.only(result.line, 5, "yaml", "put a space after the colon: night: morning")


def test_text_continued_on_a_line_that_is_not_indented(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, f"{NIGHT}\n    (Kyiv time)", after=STRIKE_1)
    result.only(result.line + 1, 5, "yaml", "this line is not a `field: value` line: if it continues the text of "
                                            "the line above, indent it further than that field's name; otherwise "
                                            "write the field name, a colon and a space before the value")


def test_unclosed_list(tmp_path):
    result = edit(tmp_path, "strikes", "        sources: [osw-2022-10-10]", "        sources: [osw-2022-10-10",
                  after=STRIKE_1)
    result.only(result.line, 18, "yaml", "the list opened here is not closed: add ']' at its end, and separate items "
                                         "with commas")


def test_unknown_escape_in_double_quotes(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "C:\\data"', after=STRIKE_1)
    result.only(result.line, 16, "yaml", "'d' after a backslash is not a valid escape in double quotes: write \\\\ "
                                         "for a backslash, or put the text in single quotes")


def test_tab_used_for_indentation(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "\tnight: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 1, "yaml", "this line is indented with a tab: indent with spaces only (set the editor to "
                                        "insert spaces for Tab)")


def test_tab_inside_indentation(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "  \t  night: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 3, "yaml", "this line is indented with a tab: indent with spaces only (set the editor to "
                                        "insert spaces for Tab)")


def test_second_document_in_a_file(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "force_caps.yaml"
    text = file.read_text(encoding="utf-8").rstrip("\n") + "\n---\nmeta: {}\n"
    file.write_text(text, encoding="utf-8")
    Result(folder, file, 0, problems_in(folder)).only(
        text.count("\n") - 1, 1, "yaml", "a line '---' here starts a second document, but a data file holds one: "
                                         "delete this line")


def test_a_syntax_error_gives_no_follow_on_problems(tmp_path):
    # strikes.yaml cannot be read, so every source only it cites is uncited: none of them may be reported.
    result = edit(tmp_path, "strikes", NIGHT, "   night: morning of 10 October", after=STRIKE_1)
    assert len(result.problems) == 1 and result.problems[0].path == str(result.file), result._describe()


# --- keys, anchors, aliases, tags ------------------------------------------------------------------------


def test_duplicate_key(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, f"{NIGHT}\n    night: evening of 10 October", after=STRIKE_1)
    result.only(result.line + 1, 5, "night", f"night is already given at line {result.line}: keep one of the two "
                                             "lines and delete the other")


def test_duplicate_top_level_key(tmp_path):
    result = edit(tmp_path, "force_levels", "records:", "meta: {}\nrecords:")
    first = result.line_of("meta:")
    result.only(result.line, 1, "meta", f"meta is already given at line {first}: keep one of the two lines and "
                                        "delete the other")


def test_anchor_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: &n morning of 10 October", after=STRIKE_1)
    result.only(result.line, 12, "yaml", "'&n' is read as a YAML anchor, which data files do not allow: remove it, "
                                         "or put a text starting with '&' in quotes")


def test_alias_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: *n", after=STRIKE_1)
    result.only(result.line, 12, "yaml", "'*n' is read as a YAML alias (a reference to another value), which data "
                                         "files do not allow: write the value out in full, or put a text starting "
                                         "with '*' in quotes")


def test_merge_key_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    <<: {night: morning of 10 October}", after=STRIKE_1)
    result.only(result.line, 5, "<<", "'<<' (a YAML merge key) is not allowed in data files: write each field "
                                      "out in full")


def test_explicit_tag_is_rejected(tmp_path):
    # Regression: `!!str 12` used to become the number 12 (explicit tags were ignored on plain scalars).
    result = edit(tmp_path, "strikes", NIGHT, "    night: !!str 12", after=STRIKE_1)
    result.only(result.line, 12, "night", "'!!str' is read as a YAML tag, which data files do not allow: remove it "
                                          "(to keep a number as text, put it in quotes instead)")


def test_python_tag_is_rejected(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: !!python/object/apply:os.system [ls]", after=STRIKE_1)
    result.only(result.line, 12, "night", "'!!python/object/apply:os.system' is read as a YAML tag, which data "
                                          "files do not allow: remove it")


def test_billion_laughs_is_rejected_quickly_and_in_little_memory(tmp_path):
    levels = ['lol0: &lol0 "lol"'] + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)]
    original = (FIXTURES / "strikes.yaml").read_text(encoding="utf-8")
    assert original.endswith("\n")
    first = original.count("\n") + 1
    bomb = original + "\n".join(levels) + "\n"  # 10**9 'lol's if it were expanded
    message = ("'&lol0' is read as a YAML anchor, which data files do not allow: remove it, or put a text starting "
               "with '&' in quotes")

    full = copy_data(tmp_path / "full")
    (full / "strikes.yaml").write_text(bomb, encoding="utf-8")
    Result(full, full / "strikes.yaml", first, problems_in(full)).only(first, 7, "yaml", message)

    # Timed and traced on a folder holding only the bomb, so other files' parsing does not count.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "strikes.yaml").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(DataError) as caught:
        load_data(alone)
    elapsed = time.perf_counter() - started
    Result(alone, alone / "strikes.yaml", first, list(caught.value.problems)).has(first, 7, "yaml", message)
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
    result.only(result.line, 12 + strict_yaml.MAX_DEPTH - 3, "yaml",
                "values are nested more than 50 levels deep: look for a '[' or '{' that is never closed")


@pytest.mark.parametrize(
    ("escape", "char"),
    [("\\0", "0000"), ("\\a", "0007"), ("\\x85", "0085"), ("\\u2028", "2028"), ("\\ud83d\\ude00", "D83D")],
    ids=["nul", "bell", "next-line", "line-separator", "surrogates"],
)
def test_control_characters_written_as_escapes(tmp_path, escape, char):
    # Regression: decode() rejects these as raw characters, but double-quoted escapes slipped them through.
    result = edit(tmp_path, "strikes", NIGHT, f'    night: "morning{escape} of 10 October"', after=STRIKE_1)
    result.only(result.line, 12, "night", f"an escape in this text writes U+{char}, an invisible character data "
                                          "files do not allow: remove the escape (a backslash and what follows it)")


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
    result.only(result.line, column, "key", f"the field name {key} is empty or holds a line break: write a plain "
                                            "word before the colon, like `night:`")


# --- wrong types ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("twenty-four", "write a whole number in digits, like 24 (got 'twenty-four')"),
        ('"24"', "remove the quotes: write 24 as a number, not as text"),
        ("24.5", "a count is a whole number (got 24.5); put a more exact figure in a note"),
        ("1,200", "write 1200 without thousands separators (got '1,200')"),
        ("1.234", "a count is a whole number (got 1.234); if you mean 1234, write it without the thousands "
                  "separator; put a more exact figure in a note"),
        ("about 600", "write the number alone, value: 600, and the hedge on its own line, qualifier: about "
                      "(got 'about 600')"),
        ("600+", "write the number alone, value: 600, and the hedge on its own line, qualifier: more than "
                 "(got '600+')"),
        ("600-700", "write one number per entry: give each source's figure its own entry, or put the range in a "
                    "note (got '600-700')"),
        ("true", "write a whole number in digits here, like 24 (got true)"),
    ],
    ids=["words", "quoted", "fraction", "thousands-comma", "thousands-dot", "hedge", "plus", "range", "boolean"],
)
def test_count_written_otherwise_than_in_digits(tmp_path, value, message):
    result = edit(tmp_path, "strikes", VALUE_24, f"      - value: {value}", after=STRIKE_1)
    result.only(result.line, 16, "value", message)


def test_number_in_a_text_field(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: 12", after=STRIKE_1)
    result.only(result.line, 12, "night", 'this field is text: put the value in quotes to keep it as written, "12"')


def test_list_in_a_text_field(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    night: [morning, evening]", after=STRIKE_1)
    result.only(result.line, 12, "night", "this is read as a list (it starts with '[' or '- '): write the text on "
                                          "the same line, and put it in quotes if it starts with '['")


def test_field_name_inside_a_list_of_texts(tmp_path):
    result = edit(tmp_path, "strikes", "    regions: [Poltava, Kyiv, Dnipro]",
                  "    regions:\n      - Poltava: gas sites\n      - Kyiv")
    result.only(result.line + 1, 9, "regions", "the text contains ': ', so it is read as a field name: put the whole "
                                               "text in quotes")


def test_required_text_left_empty(tmp_path):
    result = edit(tmp_path, "force_caps", "    proposer: Russia", "    proposer:", after="  - id: russia-draft-2022-03")
    result.only(result.line, 14, "proposer", "the text is missing: write it after the colon")


def test_optional_text_in_empty_quotes(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: ""', after=STRIKE_1)
    result.only(result.line, 12, "night", "the text is empty: write it, or delete the line (the field is optional)")


@pytest.mark.parametrize(
    ("value", "message"),
    [("main", "write one of 'primary', 'partial' or 'none' (got 'main')"),
     ("Primary", "write 'primary', spelled exactly so (got 'Primary')"),
     ("primry", "did you mean 'primary'? Write one of 'primary', 'partial' or 'none' (got 'primry')")],
    ids=["unknown", "capitalised", "typo"],
)
def test_value_outside_an_allowed_set(tmp_path, value, message):
    result = edit(tmp_path, "strikes", "    energy_focus: primary", f"    energy_focus: {value}", after=STRIKE_1)
    result.only(result.line, 19, "energy_focus", message)


def test_huge_number_is_a_located_problem(tmp_path):
    # Regression: more than 4,300 digits made int() raise ValueError out of load_data.
    result = edit(tmp_path, "strikes", VALUE_24, "      - value: " + "9" * 5000, after=STRIKE_1)
    result.only(result.line, 16, "value", "this number has 5,000 characters, more than the 30 allowed: if it is text, "
                                          "put it in quotes")


def test_top_level_list_is_rejected(tmp_path):
    result = write_bytes(tmp_path, "force_caps", b"- a\n- b\n")
    result.only(1, 1, "document", "the file must hold fields, starting with `meta:` and then `records:`, not a list "
                                  "or a single value")


def test_source_ids_not_written_as_a_list(tmp_path):
    result = edit(tmp_path, "strikes", "        sources: [osw-2022-10-10]", "        sources: osw-2022-10-10",
                  after=STRIKE_1)
    result.only(result.line, 18, "sources", "write a list, in brackets: [osw-2022-10-10]")


def test_record_without_any_source(tmp_path):
    old = ("    sources: [warukraine-2022-10-10, kyivindependent-2022-11-15, theinsider-2022-10-11, "
           "osw-2022-10-10]")
    result = edit(tmp_path, "strikes", old, "    sources: []", after=STRIKE_1)
    result.only(result.line, 14, "sources", "cite at least one source: write its id from sources.yaml in the brackets")


def test_figure_written_as_a_bare_number(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    block = "    drones_launched:\n      - value: 24\n        sources: [osw-2022-10-10]\n"
    assert block in text
    file.write_text(text.replace(block, "    drones_launched: 24\n", 1), encoding="utf-8")
    number = line_of(file.read_text(encoding="utf-8"), "    drones_launched: 24")
    Result(folder, file, number, problems_in(folder)).only(
        number, 22, "drones_launched", "write this as a list of entries, one per source: on the next line, indented, "
                                       "start with '- value: 24' (got 24)")


def test_figure_with_no_entries(tmp_path):
    result = delete_line(tmp_path, "force_caps", "      - value: 50000", after="  - id: russia-draft-2022-03")
    ceiling = result.line_of("    ceiling:", after="  - id: russia-draft-2022-03")
    result.only(ceiling, 13, "ceiling", "this has no entries: add them below it, indented, each starting with '- ' "
                                        "(e.g. - value: 24)")


def test_figure_entry_with_neither_value_nor_note(tmp_path):
    result = edit(tmp_path, "strikes", VALUE_24, "      - qualifier: about", after=STRIKE_1)
    result.only(result.line, 9, "value", "this entry has neither a value nor a note: add `value:` with the number, "
                                         "or a `note:` saying in words what the source reported")


def test_meta_written_as_a_single_value(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "outages.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text("meta: outages\n" + text[text.index("records:"):], encoding="utf-8")
    Result(folder, file, 1, problems_in(folder)).only(
        1, 7, "meta", "expected fields here (`name: value` lines, indented below), not a single value (got 'outages')")


# --- unknown and missing fields -------------------------------------------------------------------------


def test_unknown_field_with_did_you_mean_hint(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, "    nigth: morning of 10 October", after=STRIKE_1)
    result.only(result.line, 5, "nigth", "'nigth' is not a field of this record; did you mean 'night'?")


def test_unknown_field_without_close_match_lists_the_allowed_fields(tmp_path):
    result = edit(tmp_path, "outages", "    unit: settlements", "    unit: settlements\n    colour: red")
    result.only(result.line + 1, 5, "colour", "'colour' is not a field of this record: remove it, or use one of: "
                                              "affected, date, id, note, part_of, region, sources, status, strike, "
                                              "unit")


def test_unknown_field_in_meta(tmp_path):
    result = edit(tmp_path, "znpp_power", "  units: episodes; durations in hours where reported",
                  "  units: episodes; durations in hours where reported\n  unit: episodes")
    result.only(result.line + 1, 3, "unit", "'unit' is not a field of meta; did you mean 'units'?")


def test_renamed_required_field_is_one_problem(tmp_path):
    # Regression: a typo in a required field's name gave two problems (unknown field, required field missing).
    result = edit(tmp_path, "sources", "  publisher: DW", "  publsher: DW")
    result.only(result.line, 3, "publsher", "'publsher' is not a field of this source: rename it to 'publisher' "
                                            "(required, and missing here)")


def test_missing_required_field(tmp_path):
    result = delete_line(tmp_path, "strikes", "    energy_focus: primary", after=STRIKE_1)
    record = result.line_of(STRIKE_1)
    result.only(record, 5, "energy_focus", "this record has no energy_focus: add a line `energy_focus: ...` (Whether "
                                           "energy was the main target: primary, partial (one target among several) "
                                           "or none)")


def test_several_missing_fields_of_one_record_are_one_problem(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    for line in ("    energy_focus: primary\n", "    status: reported\n"):
        start = text.index(STRIKE_1)
        text = text[:start] + text[start:].replace(line, "", 1)
    file.write_text(text, encoding="utf-8")
    record = line_of(text, STRIKE_1)
    Result(folder, file, record, problems_in(folder)).only(
        record, 5, "status", "this record lacks the required fields status and energy_focus: add them (the "
                             "Methodology page describes each field)")


def test_missing_meta(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "force_caps.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text[text.index("records:"):], encoding="utf-8")
    Result(folder, file, 1, problems_in(folder)).only(
        1, 1, "meta", "this file has no meta: add `meta:` with its fields indented below it (title, description, "
                      "units, as_of, licence, cite)")


def test_strike_without_launch_figures(tmp_path):
    # The strike of 31 October 2022 has only missiles_launched; without it, it has no launch figure at all.
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    anchor = "  - id: 2022-10-31\n"
    block = "    missiles_launched:\n      - value: 50\n        qualifier: more than\n        note: cruise missiles\n"
    start = text.index(anchor)
    assert text.index(block, start) < text.index("  - id: ", start + 1), "the fixture is not as expected"
    file.write_text(text[:start] + text[start:].replace(block, "", 1), encoding="utf-8")
    record = line_of(text, anchor.rstrip("\n"))
    Result(folder, file, record, problems_in(folder)).only(
        record, 5, "drones_launched", "a strike needs a launch figure: add drones_launched or missiles_launched "
                                      "(or both)")


# --- YAML 1.1 surprises ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "anchor", "old", "new", "column", "field", "message"),
    [
        ("strikes", STRIKE_1, NIGHT, "    night: no", 12, "night",
         "'no' is read as true or false by some YAML readers: write true or false for a yes/no value, or put a text "
         'in quotes, "no"'),
        ("strikes", STRIKE_1, NIGHT, "    night: Off", 12, "night",
         "'Off' is read as true or false by some YAML readers: write true or false for a yes/no value, or put a text "
         'in quotes, "Off"'),
        ("strikes", STRIKE_1, VALUE_24, "      - value: 012", 16, "value",
         "'012' has a leading zero, which some YAML readers take for an octal number: write 12, or put a text in "
         'quotes, "012"'),
        ("znpp_power", "  - id: loop-2025-07-04", "      - value: 3.5", "      - value: 1.10", 16, "value",
         "'1.10' would be read as 1.1 and lose its trailing zero: write 1.1, or put it in quotes if the zero "
         'matters, "1.10"'),
        ("strikes", STRIKE_1, VALUE_24, "      - value: 1.200", 16, "value",
         "'1.200' would be read as 1.2: if you mean 1200, write 1200 (no thousands separator); if you mean 1.2, "
         "write 1.2"),
        ("strikes", STRIKE_1, VALUE_24, "      - value: 0x18", 16, "value",
         "'0x18' is a number in a form YAML readers disagree on: write it as plain digits, 24, or put a text in "
         "quotes"),
        ("strikes", STRIKE_1, VALUE_24, "      - value: 2_4", 16, "value",
         "'2_4' is a number in a form YAML readers disagree on: write it as plain digits, 24, or put a text in quotes"),
        ("strikes", STRIKE_1, VALUE_24, "      - value: 2.4e1", 16, "value",
         "'2.4e1' is a number in a form YAML readers disagree on: write it as plain digits, 24, or put a text in "
         "quotes"),
        ("strikes", STRIKE_1, VALUE_24, "      - value: .inf", 16, "value",
         "write a whole number in digits, like 24 (got '.inf')"),
    ],
    ids=["no", "Off", "012", "1.10", "1.200", "hex", "underscore", "exponent", "infinity"],
)
def test_yaml_1_1_surprises(tmp_path, dataset, anchor, old, new, column, field, message):
    result = edit(tmp_path, dataset, old, new, after=anchor)
    result.only(result.line, column, field, message)


def test_quoted_yaml_1_1_words_are_text(tmp_path):
    result = edit(tmp_path, "strikes", NIGHT, '    night: "no"', after=STRIKE_1)
    assert result.problems == []


# --- dates ----------------------------------------------------------------------------------------------

FORMAT = "write dates as YYYY-MM-DD (year-month-day)"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("2025-02-30", "2025-02-30 is not a real date: February 2025 has 28 days; check the day"),
        ("2022-13-01", f"2022-13-01 is not a real date: there is no month 13 (months run from 01 to 12); {FORMAT}"),
        ("25-12-06", f"{FORMAT}, with the year in four digits (got '25-12-06')"),
        ("2022-10-10T03:00:00", "write the date only, without the time: 2022-10-10 (got '2022-10-10T03:00:00')"),
        ("13/10/2022", f"{FORMAT}: 2022-10-13 (got '13/10/2022')"),
        ("4/10/2022", f"{FORMAT}: 2022-10-04 or 2022-04-10, depending on which number is the day (got '4/10/2022')"),
        ("10 October 2022", f"{FORMAT}: 2022-10-10 (got '10 October 2022')"),
        ("yesterday", f"{FORMAT}, e.g. 2025-12-06 (got 'yesterday')"),
    ],
    ids=["feb-30", "month-13", "two-digit-year", "with-time", "slashes", "ambiguous", "words", "not-a-date"],
)
def test_invalid_dates(tmp_path, new, message):
    result = edit(tmp_path, "strikes", "    date: 2022-10-10", f"    date: {new}", after=STRIKE_1)
    result.only(result.line, 11, "date", message)


def test_date_as_a_number_is_rejected(tmp_path):
    result = edit(tmp_path, "sources", "  published: 2025-12-06", "  published: 20251206", after="- id: dw-2025-12-06")
    result.only(result.line, 14, "published", "write the date with hyphens: 2025-12-06 (got 20251206)")


def test_broken_date_after_as_of_is_one_problem(tmp_path):
    # A date that is both malformed and later than as_of is reported once, as malformed.
    late = f"{AS_OF.year + 1}-13-01"
    result = edit(tmp_path, "strikes", "    date: 2022-10-10", f"    date: {late}", after=STRIKE_1)
    result.only(result.line, 11, "date", f"{late} is not a real date: there is no month 13 (months run from 01 to "
                                         f"12); {FORMAT}")


# --- impossible values ----------------------------------------------------------------------------------


def test_negative_count(tmp_path):
    result = edit(tmp_path, "strikes", VALUE_24, "      - value: -5", after=STRIKE_1)
    result.only(result.line, 16, "value", "a count cannot be negative (got -5): remove the minus sign, or check the "
                                          "figure")


@pytest.mark.parametrize(("value", "message"), [
    ("inf", "write a number in digits, like 24 (got 'inf')"),
    ("Infinity", "write a number in digits, like 24 (got 'Infinity')"),
    ('"12"', "remove the quotes: write 12 as a number, not as text"),
])
def test_figure_value_must_be_a_finite_number(tmp_path, value, message):
    result = edit(tmp_path, "znpp_power", "      - value: 3.5", f"      - value: {value}",
                  after="  - id: loop-2025-07-04")
    result.only(result.line, 16, "value", message)


def test_iaea_ordinal_out_of_range(tmp_path):
    result = edit(tmp_path, "znpp_power", "    iaea_ordinal: 9", "    iaea_ordinal: 0", after="  - id: loop-2025-07-04")
    result.only(result.line, 19, "iaea_ordinal", "write a number of 1 or more (got 0)")


def test_drones_downed_exceeding_drones_launched(tmp_path):
    result = edit(tmp_path, "strikes", "      - value: 13", "      - value: 30", after=STRIKE_1)
    downed = result.line_of("    drones_downed:", after=STRIKE_1)
    result.only(downed + 1, 7, "drones_downed", "30 drones downed or lost is more than the 24 launched by the same "
                                                "account; check the figures, or explain in sources_conflict why the "
                                                "sources cannot be read together")


def test_cruise_plus_ballistic_exceeding_missiles_launched(tmp_path):
    # The first strike has 87 cruise missiles of 87 launched (highest variant); 5 ballistic ones tip it over.
    result = edit(tmp_path, "strikes", "    drones_downed:",
                  "    ballistic_missiles:\n      - value: 5\n    drones_downed:", after=STRIKE_1)
    cruise = result.line_of("    cruise_missiles:", after=STRIKE_1)
    result.only(cruise + 1, 7, "cruise_missiles", "87 cruise plus 5 ballistic missiles make 92, more than the 87 in "
                                                  "missiles_launched: check the three figures")


def test_calendar_end_before_start(tmp_path):
    result = edit(tmp_path, "diplomatic_calendar", "    end: 2025-11-25", "    end: 2025-11-23",
                  after="  - id: abu-dhabi-2025-11-24")
    result.only(result.line, 10, "end", "end 2025-11-23 is before start 2025-11-24: correct one of the two dates (end "
                                        "is the last day)")


def test_znpp_power_end_before_start(tmp_path):
    result = edit(tmp_path, "znpp_power", "    end: 2022-08-26", "    end: 2022-08-24",
                  after="  - id: disconnection-2022-08-25")
    result.only(result.line, 10, "end", "end 2022-08-24 is before start 2022-08-25: correct one of the two dates (end "
                                        "is the last day)")


def test_iaea_ordinal_on_a_partial_loss(tmp_path):
    result = edit(tmp_path, "znpp_power", "    kind: full", "    kind: single-line", after="  - id: loop-2025-07-04")
    ordinal = result.line_of("    iaea_ordinal: 9", after="  - id: loop-2025-07-04")
    result.only(ordinal, 19, "iaea_ordinal", "only full losses of off-site power carry an IAEA ordinal: remove "
                                             "iaea_ordinal, or set kind: full")


def test_revisions_out_of_order(tmp_path):
    anchor = "  - id: abu-dhabi-2026-03-05"
    result = edit(tmp_path, "diplomatic_calendar", "      - date: 2026-03-04",
                  "      - date: 2026-03-04\n        change: First.\n        sources: [dawn-2026-03-04-p]\n"
                  "      - date: 2026-03-03", after=anchor)
    result.only(result.line + 3, 15, "date", "this revision (2026-03-03) is dated before the one above it "
                                             "(2026-03-04): list revisions oldest first")


# --- as_of: nothing is dated after the data's own date ---------------------------------------------------


def test_held_event_dated_after_as_of(tmp_path):
    # The postponed round ends after as_of; once marked held it may not.
    anchor = "  - id: abu-dhabi-2026-03-05"
    result = edit(tmp_path, "diplomatic_calendar", "    event_status: postponed", "    event_status: held",
                  after=anchor)
    end = result.line_of("    end: 2026-03-09", after=anchor)
    as_of_line = result.line_of(f"  as_of: {AS_OF}")
    result.only(end, 10, "end", f"2026-03-09 is after this file's as_of date ({AS_OF}, line {as_of_line}): raise "
                                "as_of to 2026-03-09 if the data now runs that far, or correct this date; a meeting "
                                "still to come is scheduled, not held")


def test_planned_event_may_lie_after_as_of(tmp_path):
    result = edit(tmp_path, "diplomatic_calendar", "    end: 2026-03-09", "    end: 2026-04-30",
                  after="  - id: abu-dhabi-2026-03-05")
    assert result.problems == []


@pytest.mark.parametrize(
    ("dataset", "anchor", "old", "column", "field"),
    [
        ("strikes", STRIKE_1, "    date: 2022-10-10", 11, "date"),
        ("outages", "  - id: 2022-10-17-settlements", "    date: 2022-10-17", 11, "date"),
        ("znpp_power", "  - id: loop-2025-07-04", "    end: 2025-07-04", 10, "end"),
        ("force_caps", "  - id: russia-draft-2022-03", "    date: 2022-03-07", 11, "date"),
        ("force_levels", "  - id: ua-legal-ceiling-2015", "    date: 2021-05-25", 11, "date"),
        ("sources", "- id: dw-2025-12-06", "  published: 2025-12-06", 14, "published"),
        ("diplomatic_calendar", "  - id: abu-dhabi-2026-03-05", "      - date: 2026-03-04", 15, "date"),
    ],
    ids=["strike", "outage", "znpp", "force-cap", "force-level", "source", "calendar-revision"],
)
def test_record_date_after_as_of(tmp_path, dataset, anchor, old, column, field):
    new = old.rsplit(": ", 1)[0] + f": {DAY_AFTER}"
    result = edit(tmp_path, dataset, old, new, after=anchor)
    as_of_line = result.line_of(f"  as_of: {AS_OF}")
    result.only(result.line, column, field, f"{DAY_AFTER} is after this file's as_of date ({AS_OF}, line "
                                            f"{as_of_line}): raise as_of to {DAY_AFTER} if the data now runs that "
                                            "far, or correct this date")


def test_several_records_after_as_of_are_one_problem_at_as_of(tmp_path):
    # Forgetting to raise as_of is one mistake, however many new records it makes "too new".
    later = DAY_AFTER + dt.timedelta(days=2)
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace("    date: 2022-10-10\n", f"    date: {DAY_AFTER}\n", 1)
    text = text.replace("    date: 2022-10-31\n", f"    date: {later}\n", 1)
    file.write_text(text, encoding="utf-8")
    first, second = line_of(text, f"    date: {DAY_AFTER}"), line_of(text, f"    date: {later}")
    as_of_line = line_of(text, f"  as_of: {AS_OF}")
    Result(folder, file, as_of_line, problems_in(folder)).only(
        as_of_line, 10, "as_of", f"as_of {AS_OF} is earlier than dates in 2 entries (lines {first}, {second}): raise "
                                 f"as_of to {later}, the latest of them, or correct those dates")


# --- sources and ids ------------------------------------------------------------------------------------

RECORD_SOURCES = ("    sources: [warukraine-2022-10-10, kyivindependent-2022-11-15, theinsider-2022-10-11, "
                  "osw-2022-10-10]")


def test_unknown_source_id(tmp_path):
    new = RECORD_SOURCES[:-1] + ", no-such-source-2022]"
    result = edit(tmp_path, "strikes", RECORD_SOURCES, new, after=STRIKE_1)
    result.only(result.line, new.index("no-such-source-2022") + 1, "sources",
                "'no-such-source-2022' is not in sources.yaml: add the source there (id, publisher, title, url, "
                "published, accessed, tier), or correct the id")


def test_mistyped_source_id_is_one_problem_with_the_nearest_ids(tmp_path):
    # Regression: a typo in the record's list gave six problems: the unknown id, four figures citing the correct
    # id "not listed in the record's sources", and the correct source "not cited by any record; remove it".
    new = RECORD_SOURCES.replace("osw-2022-10-10", "osw-2022-10-01")
    result = edit(tmp_path, "strikes", RECORD_SOURCES, new, after=STRIKE_1)
    result.only(result.line, new.index("osw-2022-10-01") + 1, "sources",
                "'osw-2022-10-01' is not in sources.yaml; did you mean 'osw-2022-10-10'? If it is a new source, add "
                "it to sources.yaml")


def test_mistyped_source_id_in_a_figure(tmp_path):
    result = edit(tmp_path, "strikes", "        sources: [osw-2022-10-10]", "        sources: [osw-2022-1010]",
                  after=STRIKE_1)
    result.only(result.line, 19, "sources", "'osw-2022-1010' is not in sources.yaml; did you mean 'osw-2022-10-10'? "
                                            "If it is a new source, add it to sources.yaml")


def test_new_source_cited_twice_but_not_yet_registered_is_one_problem(tmp_path):
    # A new source is not a typo: no unrelated ids are suggested, and each place it is cited is not a new problem.
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace("        sources: [osw-2022-10-10]\n", "        sources: [newsroom-2022-10-10]\n", 1)
    text = text.replace(RECORD_SOURCES, RECORD_SOURCES[:-1] + ", newsroom-2022-10-10]", 1)
    file.write_text(text, encoding="utf-8")
    first = line_of(text, "        sources: [newsroom-2022-10-10]", after=STRIKE_1)
    record = line_of(text, RECORD_SOURCES[:-1] + ", newsroom-2022-10-10]", after=STRIKE_1)
    Result(folder, file, first, problems_in(folder)).only(
        first, 19, "sources", f"'newsroom-2022-10-10' is not in sources.yaml (also cited at line {record}): add the "
                              "source there (id, publisher, title, url, published, accessed, tier), or correct the id")


def test_unknown_source_id_in_a_revision(tmp_path):
    old = "        sources: [trtworld-2026-03-04-p, novayagazeta-2026-03-05-p, dawn-2026-03-04-p]"
    new = "        sources: [trtworld-2026-03-04-p, typo-2026-03-05-p, dawn-2026-03-04-p]"
    result = edit(tmp_path, "diplomatic_calendar", old, new, after="  - id: abu-dhabi-2026-03-05")
    result.only(result.line, new.index("typo") + 1, "sources",
                "'typo-2026-03-05-p' is not in sources.yaml: add the source there (id, publisher, title, url, "
                "published, accessed, tier), or correct the id")


def test_variant_source_not_listed_in_record_sources(tmp_path):
    result = edit(tmp_path, "strikes", "        sources: [osw-2022-10-10]", "        sources: [dw-2025-12-06]",
                  after=STRIKE_1)
    record = result.line_of(RECORD_SOURCES, after=STRIKE_1)
    result.only(result.line, 19, "sources", f"'dw-2025-12-06' is cited here but missing from this record's sources "
                                            f"(line {record}): add it there too, or correct the id")


def test_source_that_no_record_uses(tmp_path):
    unused = "\n".join([
        "- id: unused-2026-01-01",
        "  publisher: Nobody",
        "  title: A page that no record cites",
        "  url: https://example.org/unused",
        "  published: 2026-01-01",
        f"  accessed: {AS_OF}",
        "  tier: original",
        "- id: dw-2025-12-06",
    ])
    result = edit(tmp_path, "sources", "- id: dw-2025-12-06", unused)
    result.only(result.line, 7, "id", "source 'unused-2026-01-01' is not cited by any record: cite it in a record's "
                                      "sources, or delete it from sources.yaml")


def test_duplicate_record_id(tmp_path):
    result = edit(tmp_path, "znpp_power", "  - id: disconnection-2022-09-05", "  - id: disconnection-2022-08-25")
    first = result.line_of("  - id: disconnection-2022-08-25")
    result.only(result.line, 9, "id", f"id 'disconnection-2022-08-25' is already used by the record at line {first}: "
                                      "give each record its own id")


def test_duplicate_source_id(tmp_path):
    result = edit(tmp_path, "sources", "- id: kyivindependent-2025-12-06", "- id: dw-2025-12-06")
    first = result.line_of("- id: dw-2025-12-06")
    result.has(result.line, 7, "id", f"id 'dw-2025-12-06' is already used by the source at line {first}: give each "
                                     "source its own id")


def test_badly_formed_record_id(tmp_path):
    result = edit(tmp_path, "strikes", STRIKE_1, "  - id: Strike of 10 October")
    result.only(result.line, 9, "id", "an id uses only lower-case letters, digits and hyphens, at most 80 characters "
                                      "(like ap-2025-12-06): write 'strike-of-10-october' (got 'Strike of 10 October')")


def test_reference_to_a_missing_strike(tmp_path):
    result = edit(tmp_path, "outages", "    strike: 2022-10-31", "    strike: 2022-10-30")
    result.only(result.line, 13, "strike", "no record in strikes.yaml has the id '2022-10-30'; did you mean "
                                           "'2022-10-10', '2022-10-31' or '2025-10-30'?")


def test_superseded_by_on_a_draft_still_proposed(tmp_path):
    anchor = "  - id: russia-draft-2022-03"
    result = edit(tmp_path, "force_caps", "    draft_status: superseded", "    draft_status: proposed", after=anchor)
    line = result.line_of("    superseded_by: istanbul-2022-russia", after=anchor)
    result.only(line, 20, "superseded_by", "superseded_by is set, so draft_status must be superseded: set "
                                           "draft_status: superseded, or remove superseded_by")


def test_draft_superseded_by_itself(tmp_path):
    anchor = "  - id: russia-draft-2022-03"
    result = edit(tmp_path, "force_caps", "    superseded_by: istanbul-2022-russia",
                  "    superseded_by: russia-draft-2022-03", after=anchor)
    result.only(result.line, 20, "superseded_by", "superseded_by names this draft itself: give the id of the later "
                                                  "draft that replaced it")


def test_wire_copy_without_original_publisher(tmp_path):
    result = edit(tmp_path, "sources", "  tier: original", "  tier: wire", after="- id: dw-2025-12-06")
    result.only(result.line, 9, "tier", "a wire copy needs original_publisher: add the agency whose text it is (e.g. "
                                        "original_publisher: AP)")


def test_original_page_naming_an_original_publisher(tmp_path):
    result = edit(tmp_path, "sources", "  publisher: DW", "  publisher: DW\n  original_publisher: AP")
    result.only(result.line + 1, 23, "original_publisher", "an original page is its publisher's own text: remove "
                                                           "original_publisher, or set tier to wire or republication")


# --- URLs -----------------------------------------------------------------------------------------------

DW_URL = "  url: https://amp.dw.com/en/ukraine-hit-by-new-russian-strikes-on-infrastructure/a-75046996"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://amp.dw.com/en/ukraine-hit-by-new-russian-strikes-on-infrastructure/a-75046996",
         "write https:// instead of http:// (only secure links are allowed)"),
        ("javascript:alert(document.cookie)",
         "a source link must be a web page address starting with https://; 'javascript:' links are not allowed"),
        ("JavaScript:alert(1)",
         "a source link must be a web page address starting with https://; 'JavaScript:' links are not allowed"),
        ("data:text/html,<script>alert(1)</script>",
         "a source link must be a web page address starting with https://; 'data:' links are not allowed"),
        ("ftp://example.org/file",
         "a source link must be a web page address starting with https://; 'ftp:' links are not allowed"),
        ("//example.org/page", "add https:// at the start of the address"),
        ("www.dw.com/en/page", "add https:// at the start of the address"),
        ("https://", "there is no site name after https://: copy the page's full address from the browser's address "
                     "bar, starting with https://"),
        ("see the DW site", "write the page's full address, starting with https:// (got 'see the DW site')"),
        ("", "the page's address is missing: write it in full, starting with https://"),
    ],
    ids=["http", "javascript", "javascript-mixed-case", "data", "ftp", "protocol-relative", "no-scheme", "no-host",
         "words", "empty"],
)
def test_url_problems(tmp_path, url, message):
    result = edit(tmp_path, "sources", DW_URL, f"  url: {url}".rstrip())
    result.only(result.line, 8 if url else 7, "url", message)  # an empty value sits right after the colon


# --- bytes and encodings --------------------------------------------------------------------------------

EMPTY = "the file is empty: it needs `meta:` and its records; restore it from git if it was emptied by mistake"
NOT_UTF_8 = ("the file is not saved as UTF-8 (byte 0xe9 here is not UTF-8): save it as UTF-8 (in the editor's "
             "encoding menu), then check the letters here")


@pytest.mark.parametrize("raw", [b"", b"\n\n   \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "only-bom"])
def test_empty_file(tmp_path, raw):
    write_bytes(tmp_path, "strikes", raw).only(1, 1, "file", EMPTY)


def test_file_with_only_comments(tmp_path):
    write_bytes(tmp_path, "strikes", b"# nothing here yet\n").only(
        1, 1, "file", "the file holds only comments: it needs `meta:` and its records; restore them from git if "
                      "they were deleted")


def test_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    write_bytes(tmp_path, "strikes", png).only(3, 1, "file", "the file holds binary data, not text: check that it is "
                                                             "the right file, or restore it from git")


def test_utf_16_file(tmp_path):
    write_bytes(tmp_path, "strikes", lambda raw: raw.decode("utf-8").encode("utf-16")).only(
        1, 1, "file", "the file is saved as UTF-16: save it as UTF-8 (in the editor's encoding menu)")


def _night_line() -> int:
    return line_of(FIXTURES.joinpath("strikes.yaml").read_text(encoding="utf-8"), NIGHT, after=STRIKE_1)


def test_nul_byte_inside_a_text_field(tmp_path):
    def corrupt(raw: bytes) -> bytes:
        return raw.replace(b"    night: morning of 10 October", b"    night: morning\x00 of 10 October", 1)

    result = write_bytes(tmp_path, "strikes", corrupt)
    result.only(_night_line(), 19, "file", "an invisible control character (U+0000) is here: delete it (retype the "
                                           "words around it if you cannot)")


def test_latin_1_byte_is_not_utf_8(tmp_path):
    def corrupt(raw: bytes) -> bytes:
        return raw.replace(b"    night: morning of 10 October", "    night: matinée".encode("latin-1"), 1)

    write_bytes(tmp_path, "strikes", corrupt).only(_night_line(), 17, "file", NOT_UTF_8)


def test_non_utf_8_column_counts_characters_not_bytes(tmp_path):
    # Regression: the column counted bytes, so it was one too far after the two-byte 'ü'.
    def corrupt(raw: bytes) -> bytes:
        return raw.replace(b"    night: morning of 10 October", "    night: Türkiye, ".encode() + b"matin\xe9e", 1)

    write_bytes(tmp_path, "strikes", corrupt).only(_night_line(), len("    night: Türkiye, matin") + 1, "file",
                                                   NOT_UTF_8)


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\x07", "an invisible control character (U+0007) is here: delete it (retype the words around it if you "
                 "cannot)"),
        ("\x86", "an invisible control character (U+0086) is here: delete it (retype the words around it if you "
                 "cannot)"),
        ("\x85", "an invisible line separator (U+0085) is here, often pasted from a web page or a word processor: "
                 "delete it, or replace it with a space"),
        ("\u2028", "an invisible line separator (U+2028) is here, often pasted from a web page or a word processor: "
                   "delete it, or replace it with a space"),
        ("\ufffe", "an invalid character (U+FFFE) is here: delete it"),
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


NO_IS_BOOLEAN = ("'no' is read as true or false by some YAML readers: write true or false for a yes/no value, or put "
                 'a text in quotes, "no"')


def test_utf_8_bom_does_not_shift_columns(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    number = line_of(text, NIGHT, after=STRIKE_1)
    file.write_bytes(b"\xef\xbb\xbf" + text.replace(NIGHT, "    night: no", 1).encode())
    Result(folder, file, number, problems_in(folder)).only(number, 12, "night", NO_IS_BOOLEAN)


def test_windows_line_endings_are_accepted(tmp_path):
    result = write_bytes(tmp_path, "strikes", lambda raw: raw.replace(b"\n", b"\r\n"))
    assert result.problems == []


def test_windows_line_endings_keep_line_numbers(tmp_path):
    folder = copy_data(tmp_path)
    file = folder / "strikes.yaml"
    text = file.read_text(encoding="utf-8")
    number = line_of(text, NIGHT, after=STRIKE_1)
    file.write_bytes(text.replace(NIGHT, "    night: no", 1).replace("\n", "\r\n").encode())
    Result(folder, file, number, problems_in(folder)).only(number, 12, "night", NO_IS_BOOLEAN)


def _too_big(size: int, limit: int) -> str:
    return (f"the file is {size:,} bytes, more than the {limit:,} allowed: check that it is the right file (data "
            "files are far smaller)")


def test_oversized_file_is_rejected_before_parsing(tmp_path, monkeypatch):
    real_parse = strict_yaml.parse

    def parse_small_files_only(text: str, path: str) -> object:
        assert not path.endswith("strikes.yaml"), "an oversized file reached the YAML parser"
        return real_parse(text, path)

    monkeypatch.setattr(loader_module, "parse", parse_small_files_only)
    raw = b"a: [" + b"1, " * (strict_yaml.MAX_BYTES // 3) + b"]\n"
    assert len(raw) > strict_yaml.MAX_BYTES
    write_bytes(tmp_path, "strikes", raw).only(1, 1, "file", _too_big(len(raw), strict_yaml.MAX_BYTES))


def test_file_at_the_size_limit_is_read(tmp_path, monkeypatch):
    # A small limit (the largest fixture file) stands in for MAX_BYTES, so the boundary is cheap to test.
    limit = max(len(p.read_bytes()) for p in FIXTURES.glob("*.yaml"))
    monkeypatch.setattr(strict_yaml, "MAX_BYTES", limit)

    def pad(extra: int) -> Callable[[bytes], bytes]:
        return lambda raw: raw + b"#" * (limit - len(raw) - 1 + extra) + b"\n"

    assert write_bytes(tmp_path / "at", "strikes", pad(0)).problems == []
    write_bytes(tmp_path / "over", "strikes", pad(1)).only(1, 1, "file", _too_big(limit + 1, limit))


# --- files in the folder --------------------------------------------------------------------------------


def test_missing_dataset_file(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "outages.yaml").unlink()
    # Only one problem: the sources that only outages.yaml cites are not reported as unused (regression).
    Result(folder, folder / "outages.yaml", 1, problems_in(folder)).only(
        1, 1, "file", "outages.yaml is missing: restore it (git checkout -- data/outages.yaml); the site needs every "
                      "dataset")


def test_unknown_extra_yaml_file(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "notes.yaml").write_text("meta: {}\n", encoding="utf-8")
    Result(folder, folder / "notes.yaml", 1, problems_in(folder)).only(
        1, 1, "file", "'notes.yaml' is not a dataset the site knows: move it out of the data folder, or name it as one "
                      "of diplomatic_calendar.yaml, force_caps.yaml, force_levels.yaml, monthly.yaml, "
                      "outages.yaml, peace_drafts.yaml, sources.yaml, strikes.yaml, znpp_power.yaml")


def test_yml_and_yaml_for_the_same_dataset(tmp_path):
    # Regression: strikes.yml silently replaced strikes.yaml.
    folder = copy_data(tmp_path)
    shutil.copy(folder / "strikes.yaml", folder / "strikes.yml")
    Result(folder, folder / "strikes.yml", 1, problems_in(folder)).only(
        1, 1, "file", "strikes.yaml exists too: keep one of the two files and delete the other")


def test_other_files_in_the_folder_are_ignored(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "README.md").write_text("# notes\n", encoding="utf-8")
    assert problems_in(folder) == []


def test_missing_data_folder(tmp_path):
    with pytest.raises(DataError) as caught:
        load_data(tmp_path / "nowhere")
    assert caught.value.problems == [Problem(str(tmp_path / "nowhere"), 1, 1, "folder", "data folder not found: check "
                                             "the path (run commands from the project folder, which holds data/)")]


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
    _, negative = replace("strikes", VALUE_24, "      - value: -24", after=STRIKE_1)
    znpp, tab = replace("znpp_power", "    kind: disconnection", "\tkind: disconnection",
                        after="  - id: disconnection-2022-08-25")
    sources, url = replace("sources", DW_URL, "  url: http://amp.dw.com/")
    calendar, end = replace("diplomatic_calendar", "    end: 2025-11-25", "    end: 2025-11-23",
                            after="  - id: abu-dhabi-2025-11-24")
    result = Result(folder, strikes, 0, problems_in(folder))
    result.has(nigth, 5, "nigth", "'nigth' is not a field of this record; did you mean 'night'?")
    result.has(negative, 16, "value", "a count cannot be negative (got -24): remove the minus sign, or check the "
                                      "figure")
    result.has(tab, 1, "yaml", "this line is indented with a tab: indent with spaces only (set the editor to insert "
                               "spaces for Tab)", file=znpp)
    result.has(url, 8, "url", "write https:// instead of http:// (only secure links are allowed)", file=sources)
    result.has(end, 10, "end", "end 2025-11-23 is before start 2025-11-24: correct one of the two dates (end is the "
                               "last day)", file=calendar)
    assert len(result.problems) == 5, result._describe()


# --- the broken-file corpus -----------------------------------------------------------------------------

EXPECT = re.compile(r"# expect: (?:(?P<valid>valid)|(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<text>.+))")


def _corpus() -> list[Path]:
    return sorted(p for p in BROKEN.iterdir() if p.suffix in (".yaml", ".bin"))


def _expectation(case: Path) -> re.Match[str]:
    source = case.with_suffix(".expect") if case.suffix == ".bin" else case
    first = source.read_bytes().decode("utf-8-sig").split("\n", 1)[0].rstrip("\r")
    match = EXPECT.fullmatch(first)
    assert match, f"{source.name}: first line must be '# expect: <line>:<column>: <field>: <message>' or 'valid'"
    return match


def test_corpus_is_complete():
    names = {p.name for p in _corpus()}
    assert len(names) >= 20
    for case in _corpus():
        dataset = case.stem.split("--")[0]
        assert "--" in case.stem and dataset in {p.stem for p in FIXTURES.glob("*.yaml")}, case.name
        _expectation(case)
    for sidecar in BROKEN.glob("*.expect"):
        assert sidecar.with_suffix(".bin").exists(), f"{sidecar.name} has no .bin file"


@pytest.mark.parametrize("case", _corpus(), ids=lambda p: p.name)
def test_broken_corpus(tmp_path, case):
    """The file's own problems are exactly the expected one, message and all.

    Problems in other files are left out: a corpus file is a one-record copy of its dataset, so sources only
    the full file cites are uncited, and (for sources--*) ids other files cite are unknown.
    """
    dataset = case.stem.split("--")[0]
    expected = _expectation(case)
    folder = copy_data(tmp_path)
    target = folder / f"{dataset}.yaml"
    target.write_bytes(case.read_bytes())
    mine = [p for p in problems_in(folder) if p.path == str(target)]
    shown = "\n".join(f"{p.line}:{p.column}: {p.field}: {p.message}" for p in mine) or "(no problems in this file)"
    if expected["valid"]:
        assert mine == [], f"{case.name} should validate, got:\n{shown}"
        return
    want = (int(expected["line"]), int(expected["column"]), expected["field"], expected["text"])
    assert [(p.line, p.column, p.field, p.message) for p in mine] == [want], (
        f"{case.name}: expected only\n{want[0]}:{want[1]}: {want[2]}: {want[3]}\ngot:\n{shown}")


def test_sources_written_as_a_block_of_lines_gives_one_line_message(tmp_path):
    """Found by the property test: a source list written as a '|' block printed its line breaks in the message."""
    result = edit(tmp_path, "outages", "    sources: [babel-2022-10-17]",
                  "    sources: |\n      babel-2022-10-17\n      osw-2022-10-10")
    problem = result.only(result.line, 14, "sources", "write a list, in brackets: [babel-2022-10-17, osw-2022-10-10]")
    assert "\n" not in problem.message


def test_a_reload_after_a_mistake_reports_it(tmp_path):
    folder = copy_data(tmp_path)
    load_data(folder)
    strikes = folder / "strikes.yaml"
    text = strikes.read_text(encoding="utf-8")
    strikes.write_text(text.replace("    status: reported", "    status: reportd", 1), encoding="utf-8")
    problems = problems_in(folder)
    assert [p.field for p in problems] == ["status"]
    strikes.write_text(text, encoding="utf-8")
    assert problems_in(folder) == []


# --- links in the data folder ---------------------------------------------------------------------------


def test_a_data_file_that_is_a_link_is_refused_and_not_read(tmp_path):
    """A symlinked data file could carry any readable file of the build machine into the site."""
    folder = copy_data(tmp_path)
    secret = tmp_path / "secret.yaml"
    shutil.move(folder / "outages.yaml", secret)
    (folder / "outages.yaml").symlink_to(secret)
    problems = problems_in(folder)
    assert [(p.path, p.line, p.field) for p in problems if "outages" in p.path] == [(str(folder / "outages.yaml"), 1,
                                                                                    "file")]
    assert "is a link to another file" in problems[0].message
