"""The 'every night' case: about 1,000 nights of strikes (tests/fixtures/nightly.py), built end to end.

What the site would weigh and cost if editors logged every night the air force reports: the real records
(which the pages quote) with small synthetic nights filled in around them. Runs a clean
build of a project copy whose strikes.yaml is the nightly fixture, then measures what a reader receives:
the largest chart SVG, the energy page's HTML and its data-table rows. Never writes into data/.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from . import builds
from .common import ROOT, copy_project


def _write_nightly(src: Path, dest: Path) -> dict[str, int]:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from fixtures.nightly import write_data
    finally:
        sys.path.remove(str(ROOT / "tests"))
    return write_data(src, dest, keep_real=True)


def nightly(tmp: Path, project: Path) -> dict[str, Any]:
    """Clean build of `project`'s copy with nightly strikes; time, SVG and page sizes."""
    copy = copy_project(tmp / "project-nightly")
    counts = _write_nightly(project / "data", copy / "data")
    site = tmp / "site-nightly"
    build = builds.clean_builds(copy, site, runs=1)
    svgs = {p.relative_to(site).as_posix(): p.stat().st_size for p in (site / "charts").rglob("*.svg")}
    largest = max(svgs, key=svgs.__getitem__)
    energy = (site / "energy" / "index.html").read_bytes()
    return {"records": counts, "clean_build_s": build["wall_s"], "cpu_s": build["cpu_s"],
            "largest_svg": largest, "largest_svg_bytes": svgs[largest],
            "energy_html_bytes": len(energy), "energy_table_rows": energy.count(b"<tr")}
