"""Open-data conventions: the Frictionless Data Package, schema.org Dataset JSON-LD, robots.txt, CITATION.cff.

Checked against the live data as invariants (every dataset described, every column typed, every URL
absolute, dates from `as_of`), plus a simulated editor's update; never against today's values.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import tomllib
from pathlib import Path

import frictionless
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from build_charts.site import opendata
from build_charts.site.export import CHILD_TABLES, columns, dataset_csv, field_docs, record_columns, record_model
from build_charts.site.generate import robots_txt
from build_charts.site.opendata import LINKS, temporal_coverage
from build_charts.site.settings import Settings
from publish.build import settings_for
from publish.release import data_package
from publish.version import version_info

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CFF_SCHEMA = ROOT / "tests" / "vendor" / "citation-cff-1.2.0.schema.json"


def write(files: dict[str, bytes], folder: Path) -> Path:
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder / "datapackage.json"


def validate(descriptor: Path) -> frictionless.Report:
    return frictionless.validate(str(descriptor))


def errors(report: frictionless.Report) -> list[list[str]]:
    return report.flatten(["type", "message"])


def site_url() -> str:
    return Settings.load(ROOT).site_url


def package_files(data, **kwargs) -> dict[str, bytes]:
    return opendata.package_files(data, title="Site", publisher="Publisher", **kwargs)


def jsonld_scripts(data, **kwargs) -> str:
    return opendata.jsonld_scripts(data, publisher="Publisher", **kwargs)


# --- Data Package -----------------------------------------------------------------------------------------


def test_site_data_package_is_valid_and_describes_every_download(built_site, data):
    downloads = built_site / "downloads"
    report = validate(downloads / "datapackage.json")
    assert report.valid, errors(report)
    descriptor = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in descriptor["resources"]}
    assert described == {p.name for p in downloads.glob("*.csv")}, "every CSV download is a resource, and no more"
    children = {f"{name}_{field}" for name, (field, _) in CHILD_TABLES.items() if name in data.datasets}
    assert {r["name"] for r in descriptor["resources"]} == set(data.datasets) | {LINKS} | children
    assert report.stats["tasks"] == len(descriptor["resources"]), "every resource was validated"
    assert descriptor["version"] == version_info(ROOT)["version"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["homepage"] == site_url()


def test_release_zip_carries_the_same_package_valid(tmp_path, data):
    files = data_package(settings_for(ROOT))
    assert "CITATION.cff" in files
    report = validate(write(files, tmp_path))
    assert report.valid, errors(report)
    descriptor = json.loads(files["datapackage.json"])
    assert all(r["path"].startswith("data/") and r["path"] in files for r in descriptor["resources"])
    for name, ds in data.datasets.items():
        assert files[f"data/{name}.csv"] == dataset_csv(ds), "the zip's CSVs are the site's downloads"


def test_schemas_follow_the_models(data):
    """Columns, types and descriptions come from the models: the CSV header is the schema's field list."""
    descriptor = json.loads(package_files(data)["datapackage.json"])
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name, ds in data.datasets.items():
        schema = resources[name]["schema"]
        header = next(csv.reader(io.StringIO(dataset_csv(ds).decode("utf-8-sig"))))
        assert [f["name"] for f in schema["fields"]] == header
        assert schema["primaryKey"] == ["id"]
        fields = {f["name"]: f for f in schema["fields"]}
        for field, doc in field_docs(record_model(ds)).items():
            if field == CHILD_TABLES.get(name, ("", ""))[0]:
                continue  # written to its own CSV (peace_drafts_terms.csv), described by its own resource
            assert doc in fields[field]["description"], f"{name}.{field}: the model's description is carried"
        for record in ds.records:
            for field in fields:
                if isinstance(getattr(record, field, None), dt.date):
                    assert fields[field]["type"] == "date", f"{name}.{field}"
    links = resources[LINKS]["schema"]
    assert links["foreignKeys"] == [{"fields": "source_id", "reference": {"resource": "sources", "fields": "id"}}]


def test_link_table_lists_every_citation(data):
    rows = list(csv.DictReader(io.StringIO(package_files(data)[f"{LINKS}.csv"].decode("utf-8-sig"))))
    got = {(r["dataset"], r["record_id"], r["source_id"]) for r in rows}
    want = {(name, rec.id, sid) for name, ds in data.datasets.items() if name != "sources"
            for rec in ds.records for sid in rec.cited()}
    assert got == want and len(rows) == len(got)


def test_foreign_keys_catch_a_citation_of_an_unknown_source(tmp_path, data):
    files = package_files(data)
    lines = files[f"{LINKS}.csv"].decode().splitlines()
    first = lines[1].split(",")
    lines[1] = ",".join([*first[:2], "no-such-source"])
    broken = ("\n".join(lines) + "\n").encode()
    files[f"{LINKS}.csv"] = broken
    descriptor = json.loads(files["datapackage.json"])
    for resource in descriptor["resources"]:
        if resource["name"] == LINKS:
            resource["bytes"], resource["hash"] = len(broken), f"sha256:{hashlib.sha256(broken).hexdigest()}"
    files["datapackage.json"] = json.dumps(descriptor).encode()
    report = validate(write(files, tmp_path))
    assert [e[0] for e in errors(report)] == ["foreign-key"]


def test_package_is_deterministic(data):
    first = package_files(data, version="1.2.3", site_url="https://example.org/x/")
    assert first == package_files(data, version="1.2.3", site_url="https://example.org/x/")
    descriptor = json.loads(first["datapackage.json"])
    assert "created" not in descriptor, "no clock in the package"
    assert first["datapackage.json"].decode() == json.dumps(descriptor, sort_keys=True, ensure_ascii=False,
                                                            indent=1) + "\n"


def _with_new_strike(data, days_later: int = 3):
    """The data after an editor's routine update: a new strike after as_of, and as_of raised to it."""
    strikes = data["strikes"]
    last = max(strikes.records, key=lambda r: r.date)
    day = strikes.meta.as_of + dt.timedelta(days=days_later)
    new = last.model_copy(update={"id": f"{day.isoformat()}-test", "date": day, "drones_lost": None})
    updated = dataclasses.replace(strikes, records=(*strikes.records, new),
                                  meta=strikes.meta.model_copy(update={"as_of": day}))
    return dataclasses.replace(data, datasets={**data.datasets, "strikes": updated}), day


def test_an_editors_update_keeps_the_package_valid(tmp_path, data):
    updated, day = _with_new_strike(data)
    report = validate(write(package_files(updated, version="9.9.9"), tmp_path))
    assert report.valid, errors(report)
    header = dataset_csv(updated["strikes"]).split(b"\n", 1)[0]
    assert header == dataset_csv(data["strikes"]).split(b"\n", 1)[0], "columns follow the model, not the records"
    assert temporal_coverage(updated["strikes"]).endswith(f"/{day.isoformat()}")


def test_csv_columns_do_not_depend_on_which_fields_are_filled(data):
    strikes = data["strikes"]
    blank = [r.model_copy(update={"drones_lost": None, "missiles_lost": None}) for r in strikes.records]
    assert (dataset_csv(dataclasses.replace(strikes, records=tuple(blank))).split(b"\n", 1)[0]
            == dataset_csv(strikes).split(b"\n", 1)[0])
    names = [c.name for c in columns(record_model(strikes))]
    assert {"drones_lost", "drones_lost_low", "drones_lost_high"} <= set(names)


# --- schema.org JSON-LD -----------------------------------------------------------------------------------


def jsonld(built_site: Path) -> list[dict]:
    page = BeautifulSoup((built_site / "methodology" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


def test_methodology_page_describes_every_dataset_for_search_engines(built_site, data):
    url = site_url()
    assert url.startswith("https://")
    docs = jsonld(built_site)
    by_name = {d["name"]: d for d in docs}
    assert len(docs) == len(by_name) == len(data.datasets)
    for ds in data.datasets.values():
        doc = by_name[ds.meta.title]
        assert doc["@context"] == "https://schema.org" and doc["@type"] == "Dataset"
        assert doc["description"] == ds.meta.description and len(doc["description"]) >= 50  # Google: 50-5000
        assert doc["license"].startswith("https://creativecommons.org/")
        assert doc["creator"]["name"] and doc["creator"]["@type"] == "Organization"
        assert doc["dateModified"] == ds.meta.as_of.isoformat(), "the data's date, never the build day"
        assert doc["url"] == f"{url}methodology/", "absolute: crawlers read it out of context"
        start, end = doc["temporalCoverage"].split("/")
        assert dt.date.fromisoformat(start) <= dt.date.fromisoformat(end) <= ds.meta.as_of
        assert doc["isAccessibleForFree"] is True and doc["citation"] == ds.meta.cite
        formats = {d["encodingFormat"]: d["contentUrl"] for d in doc["distribution"]}
        assert set(formats) == {"text/csv", "application/json"}
        for link in formats.values():
            assert link.startswith(url), link
            assert (built_site / link.removeprefix(url)).is_file(), f"{link} is not in the site"
        assert {v["name"] for v in doc["variableMeasured"]} == {c.name for c in record_columns(ds)}


def test_jsonld_text_cannot_close_its_script(data):
    strikes = data["strikes"]
    hostile = dataclasses.replace(strikes, meta=strikes.meta.model_copy(
        update={"description": "</script><script>alert(1)</script> & <!-- more"}))
    html = jsonld_scripts(dataclasses.replace(data, datasets={"strikes": hostile}), site_url="https://x.org/")
    assert html.count("<script") == html.count("</script>") == 1
    doc = json.loads(html.removeprefix('<script type="application/ld+json">').removesuffix("</script>"))
    assert doc["description"] == hostile.meta.description


def test_jsonld_follows_an_editors_update(data):
    updated, day = _with_new_strike(data)
    html = jsonld_scripts(updated, site_url="https://x.org/")
    docs = [json.loads(s) for s in re.findall(r">(\{.*?\})</script>", html)]
    strikes = next(d for d in docs if d["name"] == updated["strikes"].meta.title)
    assert strikes["dateModified"] == day.isoformat() and strikes["temporalCoverage"].endswith(day.isoformat())


# --- robots.txt -------------------------------------------------------------------------------------------


def test_robots_txt_names_the_sitemap(built_site):
    lines = (built_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {site_url()}sitemap.xml" in lines
    assert (built_site / "sitemap.xml").is_file()
    assert "Disallow: /" not in lines


def test_robots_txt_follows_site_url():
    assert "Sitemap: https://news.example/uk/sitemap.xml" in robots_txt("https://news.example/uk/").decode()
    assert "Sitemap" not in robots_txt("").decode(), "no relative sitemap address"


# --- CITATION.cff -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_cff_1_2_0(citation):
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/1.2.0/schema.json")
    problems = sorted(jsonschema.Draft7Validator(schema).iter_errors(citation), key=str)
    assert problems == [], [p.message for p in problems]
    assert citation["cff-version"] == "1.2.0" and citation["type"] in ("dataset", "software")


def test_citation_cff_is_in_step_with_pyproject(citation):
    assert str(citation["version"]) == PYPROJECT["version"], "set the same version in CITATION.cff"
    assert citation["license"] == PYPROJECT["license"]


def test_citation_cff_credits_the_team_not_invented_people(citation):
    assert citation["authors"] and all(set(a) == {"name"} for a in citation["authors"]), "authors are entities"
