"""CSV bytes that are safe to open in a spreadsheet.

Every CSV download (chart tables and the data package) is written by `csv_bytes`.

Why: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a carriage
return) as a formula, so a data text such as `=HYPERLINK("https://evil.example","click")` would become a
live link, or worse, in a reader's Excel. OWASP's advice is followed: such a text cell is written with a
single quote in front, which spreadsheets hide and treat as "this is text". Only text is changed:
numbers (negative ones too) are written by us as numbers and stay numbers. The JSON downloads keep every
text exactly as written.

Why the byte-order mark: Excel on Windows reads a CSV without one in the local code page, so "Türkiye",
"Київ" and "Erdoğan" came out garbled. Other readers (Python's csv with `utf-8-sig`, pandas, R, LibreOffice,
frictionless) skip it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection")."""


def _cell(value: Any) -> str:
    """One value as CSV text: blank for None, whole floats without '.0', formula-like text neutralised."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A header and rows as CSV: UTF-8 with a byte-order mark, newline line ends, text cells neutralised."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")
