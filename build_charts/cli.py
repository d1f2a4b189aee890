"""The command line, for editors and CI: validate data, render charts, export schemas.

Data problems print as `path:line:column: field: message` lines and exit 1;
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError
from .loader import load_data


def _check(args: argparse.Namespace) -> int:
    data = load_data(args.data)
    records = sum(len(ds.records) for ds in data.datasets.values())
    print(f"ok: {len(data.datasets)} datasets, {records} records, data as of {data.as_of}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m build_charts", description=__doc__)
    parser.add_argument("--data", default="data", type=Path, help="data folder (default: data)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every data file")
    check.add_argument("--data", default=argparse.SUPPRESS, type=Path, help="data folder (default: data)")
    check.set_defaults(run=_check)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
