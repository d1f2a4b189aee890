"""Reproducible release archives: the site as .tar.gz, a data package .zip, and SHA256SUMS.

Everything is pinned to SOURCE_DATE_EPOCH (the last commit's time unless set):
sorted names, fixed mtimes, owners and modes, gzip without a timestamp, so two
releases of the same commit are byte-identical.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import os
import shutil
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

from build_charts import DataError, load_data
from build_charts.data.schema import schema_files
from build_charts.gcpause import one_shot
from build_charts.site.export import dataset_json
from build_charts.site.opendata import package_files
from build_charts.site.settings import Settings
from publish.build import BuildFailed, build_site, settings_for
from publish.version import uncommitted

NAME = "ukraine-resilience-explainer"


def _tar_gz(folder: Path, prefix: str, epoch: int) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        paths = sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
        for path in paths:
            info = tarfile.TarInfo(f"{prefix}/{path.relative_to(folder).as_posix()}")
            info.mtime, info.uid, info.gid, info.uname, info.gname = epoch, 0, 0, "", ""
            if path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                content = path.read_bytes()
                info.size, info.mode = len(content), 0o644
                tar.addfile(info, io.BytesIO(content))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def _zip(files: dict[str, bytes], epoch: int) -> bytes:
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot store dates before 1980
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o100644 << 16
            zf.writestr(info, files[name], compresslevel=9)
    return out.getvalue()


def data_package(settings: Settings) -> dict[str, bytes]:
    """Every dataset as CSV and JSON with `datapackage.json`, the JSON Schemas, CITATION.cff and a README.

    The CSVs and the descriptor come from the same code as the site's downloads (`package_files`); here
    the descriptor sits at the root and the CSVs in `data/`.
    """
    root, version = settings.root, settings.version
    data = load_data(settings.data_dir)
    files = package_files(data, version=version["version"], site_url=settings.site_url, title=settings.site_name,
                          publisher=settings.masthead.publisher, folder="data/")
    for name, ds in sorted(data.datasets.items()):
        files[f"data/{name}.json"] = dataset_json(ds)
    if (root / "CITATION.cff").is_file():
        files["CITATION.cff"] = (root / "CITATION.cff").read_bytes()
    for name, content in schema_files().items():
        files[f"schemas/{name}"] = content
    lines = [
        f"# {NAME} data package, version {version['version']}",
        "",
        f"Commit {version.get('commit') or 'unknown'}; data as of {data.as_of.isoformat()}.",
        "",
        "## How to cite",
        "",
        f"{settings.site_name}, version {version['version']}, data as of {data.as_of.isoformat()}.",
        "",
        "## Licence",
        "",
        "CC BY 4.0. Credit this project and the original sources named in each record (`sources` column).",
        "",
        "## Datasets",
        "",
    ]
    for name, ds in sorted(data.datasets.items()):
        lines.append(f"- `data/{name}.csv` / `.json`: {ds.meta.title} ({len(ds.records)} records). "
                     f"{ds.meta.description}")
    lines += ["", "Figures that sources disagree on have three CSV columns: the label ('51 or 53'), `_low`, `_high`.",
              "`datapackage.json` (a Frictionless Data Package) gives every column's type and meaning, the keys and",
              "the sources; `data/record_sources.csv` lists each source every record cites, one row each.",
              "", "## Sources", ""]
    for source in sorted(data.sources.values(), key=lambda s: s.id):
        flag = f" ({source.reliability})" if source.reliability else ""
        published = source.published.isoformat() if source.published else "undated"
        lines.append(f"- `{source.id}`: {source.publisher}, \"{source.title}\", {published}, {source.url}{flag}")
    files["README.md"] = ("\n".join(lines) + "\n").encode()
    return files


def release(settings: Settings, dist: Path) -> list[Path]:
    """Build the site and the data package for this commit into `dist/`, with checksums."""
    settings = dataclasses.replace(settings, fresh_bundle=True)
    version = settings.version
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or version.get("epoch") or 0)
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    number = version["version"]
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        site = Path(tmp) / "site"
        build_site(settings, site)
        site_archive = _tar_gz(site, f"{NAME}-{number}", epoch)
    package = _zip(data_package(settings), epoch)
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    outputs = {f"{NAME}-{number}-site.tar.gz": site_archive, f"{NAME}-{number}-data.zip": package}
    for name, content in outputs.items():
        (dist / name).write_bytes(content)
    sums = "".join(f"{hashlib.sha256(c).hexdigest()}  {n}\n" for n, c in sorted(outputs.items()))
    (dist / "SHA256SUMS").write_text(sums)
    return [dist / n for n in sorted(outputs)] + [dist / "SHA256SUMS"]


def refusals(settings: Settings) -> list[str]:
    """Why this checkout may not be released (empty when it may): placeholders in public, edits not committed."""
    problems = settings.placeholders()
    changed = uncommitted(settings.root)
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        problems.append(f"{len(changed)} file(s) differ from commit {settings.version.get('commit') or 'HEAD'} "
                        f"({shown}): commit or stash them, so the release is the commit it names")
    return problems


def main() -> int:
    """`python -m publish.release [DIST]`: write the release into dist/, or say why not (no traceback)."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s")
    one_shot()
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("dist")
    settings = settings_for(Path.cwd())
    problems = refusals(settings)
    if problems:
        print("Release refused:\n" + "\n".join(f"- {p}" for p in problems), file=sys.stderr)
        return 2
    try:
        paths = release(settings, dist)
    except (BuildFailed, DataError) as exc:
        print(f"Release failed; {dist}/ was left as it was.\n{exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
