"""`python -m bench` (`make bench`): run every benchmark, print a table, write bench/results.json.

Works on a temporary copy of the project (docs, data, overrides, publish,
mkdocs.yml, pyproject.toml); never writes into docs/ or data/. Times are wall
clock on whatever else the machine is doing: compare runs on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from . import baseline, builds, nightly, scale, serve, weight
from .common import PAGES, ROOT, copy_project
from .profile import profile_module

KB = 1000
TARGETS = {
    "clean_warm_ratio": 3.0,
    "preview_ratio": 1.5,
    "svg_bytes": 150 * KB,
    "scale_ratio": 2.0,
    "page_gzip_bytes": 150 * KB,
    "baseline_bytes_ratio": 3.0,
    "baseline_time_ratio": 3.0,
}


def _log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def _status(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "MISS")


def _s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def _cpu(result: dict[str, Any]) -> str:
    return f"{_s(result['median_s'])} (CPU {result['cpu_s']:.1f} s)"


def _kb(value: float) -> str:
    return f"{value / KB:,.1f} KB"


def evaluate(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the table: what, value, target, PASS/MISS (targets only where the issue sets one)."""
    rows: list[dict[str, Any]] = []

    def row(name: str, value: str, target: str = "", ok: bool | None = None, key: str | None = None) -> None:
        rows.append({"name": name, "value": value, "target": target, "status": _status(ok), "key": key})

    c = r["clean"]
    rb = r["rebuilds"]
    ratio = c["wall_s"] / rb["warm"]["median_s"]
    row("clean build / warm rebuild", f"{ratio:.1f}x", "<= 3x", ratio <= TARGETS["clean_warm_ratio"], "clean")
    row(f"clean build, new process (median of {c['runs']})", f"{_s(c['wall_s'])} (CPU {c['cpu_s']:.1f} s)")
    row("  of which imports / build_site()", f"{c['imports_s']:.2f} s / {c['build_site_s']:.2f} s")
    row(f"warm rebuild, no change (median of {rb['warm']['runs']})", _cpu(rb["warm"]))
    row("  charts re-rendered", ", ".join(rb["warm"]["rendered"]) or "none")
    if r.get("preview"):
        pv = r["preview"]
        row("preview data edit / page edit (save to served)", f"{pv['ratio']:.2f}x", "<= 1.5x",
            pv["ratio"] <= TARGETS["preview_ratio"], "preview")
        row(f"  page edit, save to served by mkdocs serve (median of {pv['runs']})", _s(pv["page_edit_s"]))
        row(f"  data edit, save to served chart (median of {pv['runs']})", _s(pv["data_edit_s"]))
    row(f"rebuild after one page edit (median of {rb['page_edit']['runs']})", _cpu(rb["page_edit"]))
    row("  charts re-rendered", ", ".join(rb["page_edit"]["rendered"]) or "none")
    de = rb["data_edit"]
    row(f"rebuild after one data edit, every download included (median of {de['runs']})", _cpu(de))
    row(f"  charts re-rendered ({builds.DATA_EDITED})", ", ".join(de["rendered"]) or "none")
    sc = r["scale"]
    for label, size in sc.items():
        if size["timed_out"]:
            load = f"loaded in {size['load_s']:.2f} s, render unfinished" if size["load_s"] is not None \
                else "still loading"
            value = f">= {size['at_least_s']:.1f} s (stopped at {size['cap_s']:.0f} s cap: {load})"
        else:
            value = (f"{size['total_s']:.2f} s (load {size['load_s']:.2f} + render {size['render_s']:.2f}; "
                     f"CPU {size['cpu_s']:.1f} s)")
        row(f"scale {label}: load + render, {size['records']:,} records", f"{value}, peak {size['peak_rss_mb']:.0f} MB")
        if size["over_size_limit"]:
            row("  files over the loader's 1 MB limit (lifted)", ", ".join(size["over_size_limit"]))
    one, big = sc["1x"], sc["100x"]
    if big["timed_out"]:
        ratio = big["at_least_s"] / one["total_s"]
        row("scale 100x time / 1x time", f">= {ratio:.1f}x", "<= 2x", False if ratio > TARGETS["scale_ratio"] else None,
            "scale")
    else:
        ratio = big["total_s"] / one["total_s"]
        row("scale 100x time / 1x time", f"{ratio:.1f}x", "<= 2x", ratio <= TARGETS["scale_ratio"], "scale")
    if r.get("nightly"):
        n = r["nightly"]
        row(f"every-night strikes ({n['records']['strikes']:,} nights): clean build", _s(n["clean_build_s"]))
        row("  largest chart SVG", f"{_kb(n['largest_svg_bytes'])} ({n['largest_svg']})", "<= 150 KB",
            n["largest_svg_bytes"] <= TARGETS["svg_bytes"], "nightly")
        row("  energy page HTML, table rows", f"{_kb(n['energy_html_bytes'])}, {n['energy_table_rows']} rows")
    for page in r["weight"]:
        ok = page["total_gzip"] <= TARGETS["page_gzip_bytes"]
        row(f"page {page['page']}: before interaction, gzip",
            f"{_kb(page['total_gzip'])} ({_kb(page['total_bytes'])} raw, {page['requests']} requests; "
            f"HTML {_kb(page['html_gzip'])} gz / {_kb(page['html_bytes'])}; "
            f"XHR {_kb(page['fetched_by_scripts_gzip'])} gz)",
            "<= 150 KB gz", ok, "weight")
    for b, where in ((r["baseline"], "loopback"), (r.get("baseline_slow"), "slow 4G, CPU/4")):
        if not b:
            continue
        ours, theirs = b["ours"], b["baseline"]
        for key, label in (("gzip", "gzip"), ("bytes", "raw")):
            ratio = theirs[key] / ours[key]
            row(f"bytes loaded before chart drawn, {label} ({where}): ours / vega-embed",
                f"{_kb(ours[key])} / {_kb(theirs[key])} = {ratio:.1f}x fewer", ">= 3x fewer",
                ratio >= TARGETS["baseline_bytes_ratio"], "baseline_bytes")
        if where == "loopback":
            for key, label in (("needed_gzip", "gzip"), ("needed_bytes", "raw")):
                row(f"  bytes needed to draw it (render-blocking + chart image), {label}",
                    f"{_kb(ours[key])} / {_kb(theirs[key])} = {theirs[key] / ours[key]:.1f}x fewer")
        ratio = theirs["ttc_ms"] / ours["ttc_ms"]
        row(f"time to chart ({where}, median of {b['runs']}): ours / vega-embed",
            f"{ours['ttc_ms']:.0f} ms / {theirs['ttc_ms']:.0f} ms = {ratio:.1f}x faster", ">= 3x faster",
            ratio >= TARGETS["baseline_time_ratio"], "baseline_time")
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    widths = [max(len(r[k]) for r in rows) for k in ("name", "value", "target")]
    head = f"{'benchmark':<{widths[0]}}  {'value':<{widths[1]}}  {'target':<{widths[2]}}  status"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['name']:<{widths[0]}}  {r['value']:<{widths[1]}}  {r['target']:<{widths[2]}}  {r['status']}")
    return "\n".join(lines)


def profiles(r: dict[str, Any], missed: set[str], copy: Path, tmp: Path, runs_dir: Path) -> dict[str, Any]:
    """Profile what missed: clean build (CLI), data-edit rebuild (API, in the worker), scale at 10x (CLI)."""
    out: dict[str, Any] = {}
    if "clean" in missed:
        _log("profiling a clean build")
        shutil.rmtree(copy / ".cache", ignore_errors=True)
        out["clean"] = profile_module(["publish.build", str(tmp / "site-profile")], copy,
                                      runs_dir / "profile-clean.txt")
    if "preview" in missed:
        _log("profiling a data-edit rebuild")
        res = builds.rebuilds(copy, tmp / "site-profile", runs=1, profile=runs_dir / "profile-data-edit.txt")
        out["data_edit"] = {k: res[k] for k in ("file", "command", "summary", "rendered")}
    if "scale" in missed:
        _log("profiling load + render at 10x")
        out["scale"] = profile_module(["bench.scale", "child", r["scale"]["10x"]["data_dir"]], copy,
                                      runs_dir / "profile-scale-10x.txt")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per rebuild and per browser measurement")
    parser.add_argument("--clean-runs", type=int, default=3)
    parser.add_argument("--serve-runs", type=int, default=11,
                        help="edits of each kind against mkdocs serve (0: skip; its watcher adds 0.1-0.6 s to each)")
    parser.add_argument("--cap-100x", type=float, default=75.0,
                        help="seconds allowed for load + render at 100x (the run is stopped after that)")
    parser.add_argument("--slow-runs", type=int, default=3,
                        help="runs per side of the baseline on emulated slow 4G + 4x slower CPU (0: skip)")
    parser.add_argument("--no-profile", action="store_true", help="do not profile missed targets")
    parser.add_argument("--ref", help="measure this git commit (git archive) instead of the working tree")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    for old in args.out.parent.glob("profile-*.txt"):  # Why: a profile of a target that now passes would mislead
        old.unlink()
    r: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                      "loadavg_start": os.getloadavg()}, "pages": list(PAGES)}
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        copy = copy_project(tmp / "project", args.ref)
        r["snapshot"] = args.ref or "working tree"
        _log(f"clean builds ({args.clean_runs}) in {copy}")
        r["clean"] = builds.clean_builds(copy, tmp / "site", args.clean_runs)
        _log(f"rebuilds ({args.runs} each: no change, page edit, data edit)")
        r["rebuilds"] = builds.rebuilds(copy, tmp / "site-rebuild", args.runs)
        if args.serve_runs:
            _log(f"preview: page and data edits against mkdocs serve ({args.serve_runs} each)")
            r["preview"] = serve.edits(copy, args.serve_runs)
        _log("scale 1x, 10x, 100x")
        r["scale"] = scale.scale(tmp / "scale", {1: 120.0, 10: 120.0, 100: args.cap_100x}, copy)
        _log("every-night strikes: clean build")
        r["nightly"] = nightly.nightly(tmp, copy)
        _log("page weight in Chromium")
        r["weight"] = weight.measure_site(tmp / "site")
        _log(f"baseline: vega-embed vs our energy/ page ({args.runs} runs each)")
        r["baseline"] = baseline.compare(tmp / "site", args.runs)
        if args.slow_runs:
            _log(f"baseline again on emulated slow 4G with a 4x slower CPU ({args.slow_runs} runs each)")
            r["baseline_slow"] = baseline.compare(tmp / "site", args.slow_runs, throttle=True)
        rows = evaluate(r)
        missed = {row["key"] for row in rows if row["status"] == "MISS"}
        r["profiles"] = {} if args.no_profile else profiles(r, missed, copy, tmp, args.out.parent)
    except BaseException:
        # Why: a failure late in the run (a browser step) must not lose the figures measured before it.
        args.out.write_text(json.dumps({**r, "failed": traceback.format_exc()}, indent=1, default=str) + "\n",
                            encoding="utf-8")
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r["rows"] = rows
    r["machine"]["loadavg_end"] = os.getloadavg()
    r["elapsed_s"] = time.perf_counter() - started
    args.out.write_text(json.dumps(r, indent=1, default=str) + "\n", encoding="utf-8")

    print(table(rows))
    print()
    print(f"measured: {r['snapshot']}; machine: {r['machine']['cpus']} CPUs, "
          f"load average {r['machine']['loadavg_start'][0]:.1f} at start, "
          f"{r['machine']['loadavg_end'][0]:.1f} at end; whole bench {r['elapsed_s']:.0f} s")
    shared = {item["url"]: item["gzip"] for page in r["weight"] for item in page["heaviest"]
              if item["url"].startswith(("assets/", "search/"))}
    top = sorted(shared.items(), key=lambda kv: -kv[1])[:5]
    print("heaviest shared files before interaction (gzip): " + ", ".join(f"{u} {_kb(g)}" for u, g in top))
    print(f"vega bundle loaded before interaction on: "
          f"{', '.join(p['page'] for p in r['weight'] if p['vega_bundle_loaded']) or 'no page'}; "
          f"non-loopback requests: {sum(len(p['non_loopback']) for p in r['weight'])}")
    for name, prof in r["profiles"].items():
        print(f"\n== profile: {name} ({prof['file']})\n{prof['command']}\n{prof['summary']}")
    print(f"\nresults: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
