"""Problems found in data files, reported as `path:line:column: field: message`.

Editors fix data from these lines, so every problem carries a location; no
traceback is ever shown for a data problem.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one data file, at one place."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


class DataError(Exception):
    """Raised when data files are invalid; carries every problem of the run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data files:"
        return "\n".join([head, *(str(p) for p in self.problems)])
