"""The command line, for editors and CI: validate data, render charts, export schemas.

Data problems print as `path:line:column: field: message` lines and exit 1; never a traceback.
Editors run it as `make check` (or `.venv/bin/python -m build_charts check`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .data.errors import DataError
from .data.loader import Data, load_data
from .data.schema import schema_files
from .gcpause import one_shot


def _check(args: argparse.Namespace) -> int:
    data = load_data(args.data)
    records = sum(len(ds.records) for ds in data.datasets.values())
    print(f"ok: {len(data.datasets)} datasets, {records} records, data as of {data.as_of}")
    return 0


def _sources(args: argparse.Namespace) -> int:
    from .data.tiers import tier_counts, values, weak_values

    data = load_data(args.data)
    counts = tier_counts(data)
    print("sources per tier: " + ", ".join(f"{tier} {n}" for tier, n in counts.items()))
    weak = weak_values(data)
    total = sum(1 for _ in values(data))
    print(f"values resting only on republications or aggregators: {len(weak)} of {total}")
    for v in weak:
        print(f"  {v.dataset} {v.record} {v.field} = {v.label}  [{', '.join(v.sources)}]")
    return 0


def _write(files: dict[str, bytes], out: Path) -> None:
    """Write files under `out`, refusing the data folder (no command writes into data/ or docs/)."""
    for rel, content in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _guard(out: Path, data: Path) -> None:
    resolved = out.resolve()
    for forbidden in (data.resolve(), Path("docs").resolve()):
        if resolved == forbidden or forbidden in resolved.parents:
            raise SystemExit(f"refusing to write into {forbidden}: generated files never go into data/ or docs/")


def _render(args: argparse.Namespace) -> int:
    from .charts.render import render_all

    _guard(args.out, args.data)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    files = render_all(args.data, cache_dir=None if args.no_cache else Path(".cache/renders"))
    _write(files, args.out)
    print(f"wrote {len(files)} files for {len({k.split('/')[1] for k in files})} charts into {args.out}/")
    return 0


def _schema(args: argparse.Namespace) -> int:
    _write(schema_files(), args.out)
    print(f"wrote JSON Schema files into {args.out}/")
    return 0


def _golden(args: argparse.Namespace) -> int:
    data = load_data(args.data)
    _write(golden_specs(data), args.out)
    print(f"accepted current Vega-Lite specs as golden files in {args.out}/")
    return 0


def golden_specs(data: Data) -> dict[str, bytes]:
    """The light, wide Vega-Lite spec of every chart without its data rows, as the golden tests compare."""
    from .charts import CHARTS
    from .charts.spec import dumps, golden_spec, page_spec

    return {f"{cid}.vl.json": dumps(golden_spec(page_spec(defn, data, defn.table(data), "wide")))
            for cid, defn in CHARTS.items()}


def _summary(count: int) -> str:
    """The last line after the problems: how many, and what to do next."""
    if count == 1:
        return "One problem found: fix it and run the check again."
    return f"{count} problems found: fix them and run the check again."


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Why charts are imported only by the commands that draw: `check` stays fast (no Altair, no renderer).
    """
    one_shot()
    parser = argparse.ArgumentParser(prog="python -m build_charts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="data", type=Path, help="data folder (default: data)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every data file; problems print as file:line:column: field: "
                                         "what to do")
    check.add_argument("--data", default=argparse.SUPPRESS, type=Path, help="data folder (default: data)")
    check.set_defaults(run=_check)
    sources = sub.add_parser("sources", help="count sources per tier and list values resting only on weak sources")
    sources.add_argument("--data", default=argparse.SUPPRESS, type=Path, help="data folder (default: data)")
    sources.set_defaults(run=_sources)
    render = sub.add_parser("render", help="render every chart (specs, SVG, PNG, CSV, JSON) into a folder")
    render.add_argument("--data", default=argparse.SUPPRESS, type=Path, help="data folder (default: data)")
    render.add_argument("--out", required=True, type=Path, help="output folder")
    render.add_argument("--no-cache", action="store_true", help="ignore the render cache in .cache/renders")
    render.set_defaults(run=_render)
    schema = sub.add_parser("schema", help="export the JSON Schema of every data file (editors' completion)")
    schema.add_argument("--out", default=Path("schemas"), type=Path, help="output folder (default: schemas)")
    schema.set_defaults(run=_schema)
    golden = sub.add_parser("golden", help="accept the current Vega-Lite specs as the golden files")
    golden.add_argument("--data", default=argparse.SUPPRESS, type=Path, help="data folder (default: data)")
    golden.add_argument("--out", default=Path("tests/golden"), type=Path, help="output folder (default: tests/golden)")
    golden.set_defaults(run=_golden)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(_summary(len(exc.problems)), file=sys.stderr)
        return 1
    except Exception as exc:
        from .charts.spec import ChartError  # imported here so `check` never loads the chart code

        if not isinstance(exc, ChartError):
            raise
        print(exc, file=sys.stderr)
        return 1
