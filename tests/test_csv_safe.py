"""CSV downloads open safely in a spreadsheet: formula-like text is neutralised, numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from build_charts.charts.csv_safe import FORMULA_STARTS, csv_bytes


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads the file as UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_like_text_gets_a_leading_quote(start):
    text = f'{start}HYPERLINK("https://evil.invalid","click")'
    assert _rows(csv_bytes(["a"], [[text]]))[1] == ["'" + text]


def test_numbers_and_plain_text_are_written_as_they_are():
    rows = _rows(csv_bytes(["n", "f", "t", "blank"], [[-5, 2.0, "Київ, Türkiye", None], [1.5, -0.25, "a=b", ""]]))
    assert rows[1:] == [["-5", "2", "Київ, Türkiye", ""], ["1.5", "-0.25", "a=b", ""]]


def test_header_cells_are_neutralised_too():
    assert _rows(csv_bytes(["=cmd"], []))[0] == ["'=cmd"]
