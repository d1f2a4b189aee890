"""Machine-readable descriptions of the datasets: a Frictionless Data Package and schema.org JSON-LD.

Why: a reader's script should load the CSVs with their types, keys and sources without reading our
pages (Data Package), and dataset search engines should find each dataset with its licence, dates and
downloads (schema.org `Dataset`). Both are built here from the models (via `export.columns`, the same
columns the CSVs are written with) and the data, deterministically: sorted keys, dates from the data's
`as_of`, never the clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..data import Data, Dataset
from ..data.loader import REGISTRY
from .export import CHILD_TABLES, Column, child_csv, child_table, dataset_csv, record_columns, write_csv

NAME = "ukraine-resilience-explainer"
"""Who made the datasets, as an entity: the project credits no individual people."""
DESCRIPTION = ("Sourced data on Ukraine's resilience while peace terms are negotiated: mass strikes on the "
               "energy system, outages, the Zaporizhzhia plant's off-site power, proposed caps on Ukraine's "
               "forces, reference force sizes and the diplomatic calendar, each record citing its sources.")
KEYWORDS = ("Ukraine", "Russia", "war", "energy infrastructure", "peace negotiations", "open data")
CC_BY = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
         "title": "Creative Commons Attribution 4.0"}
LICENCES = {"CC BY 4.0": CC_BY}
"""`meta.licence` as editors write it -> the licence's SPDX id and address."""
LINKS = "record_sources"
"""The link table: one row per (dataset, record, source), so that each citation can be a foreign key."""
REFERENCES = {"strike": "strikes", "superseded_by": None}
"""Fields holding another record's id -> the dataset it points into (None: the same dataset).
The loader checks the same references (`_cross_problems`), so the foreign keys hold for valid data."""
DATA_PAGE = "methodology/"
"""The page that describes the datasets and links their downloads (where the JSON-LD block is placed)."""


def licence(label: str) -> dict[str, str]:
    """The Data Package licence of a `meta.licence` label; an unknown label is named as written."""
    return dict(LICENCES.get(label) or {"name": re.sub(r"[^-A-Za-z0-9._]+", "-", label).strip("-"), "title": label})


def field_schema(column: Column) -> dict[str, Any]:
    """A Table Schema field descriptor for one CSV column."""
    field: dict[str, Any] = {"name": column.name, "type": column.type}
    if column.description:
        field["description"] = column.description
    if column.format:
        field["format"] = column.format
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(ds: Dataset) -> dict[str, Any]:
    """The Table Schema of a dataset's CSV: typed fields, `id` as primary key, references as foreign keys."""
    cols = record_columns(ds)
    names = {c.name for c in cols}
    foreign = [{"fields": name, "reference": {"resource": target or "", "fields": "id"}}
               for name, target in REFERENCES.items() if name in names]
    fields = [field_schema(c) for c in cols]
    for field in fields:
        if field["name"] in REFERENCES:
            target = REFERENCES[field["name"]] or ds.id
            field.setdefault("description", f"The id of a record in {target}.csv.")
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": ["id"]}
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def _child_resource(ds: Dataset, child: Any, folder: str, files: dict[str, bytes]) -> dict[str, Any]:
    """The resource of a dataset's child table (peace_drafts_terms): keyed by parent id and topic."""
    resource_name, cols, _ = child
    content = files[f"{folder}{resource_name}.csv"] = child_csv(ds) or b""
    key = CHILD_TABLES[ds.id][1]
    schema: dict[str, Any] = {
        "fields": [field_schema(c) for c in cols], "missingValues": [""], "primaryKey": [key, cols[1].name],
        "foreignKeys": [{"fields": key, "reference": {"resource": ds.id, "fields": "id"}}]}
    resource = _resource(resource_name, f"{ds.meta.title}: one row per {key} and {cols[1].name}",
                         f"The {CHILD_TABLES[ds.id][0]} of {ds.id}.csv, one row each.", content, schema, folder)
    resource["licenses"] = [licence(ds.meta.licence)]
    return resource


def record_sources_csv(data: Data) -> bytes:
    """Every citation as its own row (dataset, record_id, source_id): a list cell cannot be a foreign key."""
    rows = [[name, record.id, sid]
            for name, ds in sorted(data.datasets.items()) if name != REGISTRY
            for record in ds.records for sid in sorted(record.cited())]
    return write_csv(["dataset", "record_id", "source_id"], rows)


def _links_schema(data: Data) -> dict[str, Any]:
    cited = sorted(n for n in data.datasets if n != REGISTRY)
    return {
        "fields": [
            {"name": "dataset", "type": "string", "description": "The dataset (resource name) of the record.",
             "constraints": {"required": True, "enum": cited}},
            {"name": "record_id", "type": "string", "description": "The record's id in that dataset.",
             "constraints": {"required": True}},
            {"name": "source_id", "type": "string",
             "description": "A source the record cites (its own list, or a revision's).",
             "constraints": {"required": True}},
        ],
        "foreignKeys": [{"fields": "source_id", "reference": {"resource": REGISTRY, "fields": "id"}}],
        "missingValues": [""],
        "primaryKey": ["dataset", "record_id", "source_id"],
    }


def _cited_sources(ds: Dataset, data: Data) -> list[dict[str, str]]:
    ids = sorted(set().union(*(r.cited() for r in ds.records)))
    return [{"title": f"{data.sources[i].credit}: {data.sources[i].title}", "path": str(data.sources[i].url)}
            for i in ids]


def _resource(name: str, title: str, description: str, content: bytes, schema: dict[str, Any],
              folder: str) -> dict[str, Any]:
    return {"name": name, "path": f"{folder}{name}.csv", "title": title, "description": description,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(content), "hash": f"sha256:{hashlib.sha256(content).hexdigest()}", "schema": schema}


def package_files(data: Data, *, title: str, publisher: str, version: str = "", site_url: str = "",
                  folder: str = "") -> dict[str, bytes]:
    """Every dataset's CSV, the link table and `datapackage.json` describing them, by path.

    `folder` is where the CSVs sit relative to the descriptor ("" on the site, where they are siblings;
    "data/" in the release zip, whose descriptor is at the root).
    """
    files: dict[str, bytes] = {}
    resources = []
    for name, ds in sorted(data.datasets.items()):
        content = files[f"{folder}{name}.csv"] = dataset_csv(ds)
        resource = _resource(name, ds.meta.title, ds.meta.description, content, table_schema(ds), folder)
        resource["licenses"] = [licence(ds.meta.licence)]
        if name != REGISTRY:
            resource["sources"] = _cited_sources(ds, data)
        resources.append(resource)
        child = child_table(ds)
        if child is not None:
            resources.append(_child_resource(ds, child, folder, files))
    links = files[f"{folder}{LINKS}.csv"] = record_sources_csv(data)
    resources.append(_resource(LINKS, "Which sources each record cites",
                               "One row per citation: a record of a dataset and one source it cites, for joining "
                               "any dataset to the source registry.", links, _links_schema(data), folder))
    descriptor: dict[str, Any] = {
        "name": NAME,
        "title": f"{title}: data",
        "description": DESCRIPTION,
        "profile": "tabular-data-package",
        "licenses": [dict(CC_BY)],
        "contributors": [{"title": publisher, "role": "author"}],
        "keywords": list(KEYWORDS),
        "sources": [{"title": "Source registry: every public page the datasets cite",
                     "path": f"{folder}{REGISTRY}.csv"}],
        "resources": resources,
    }
    if version:
        descriptor["version"] = version
    if site_url:
        descriptor["homepage"] = site_url
    files["datapackage.json"] = (json.dumps(descriptor, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()
    return files


def temporal_coverage(ds: Dataset) -> str:
    """The span of the dataset's record dates as an ISO 8601 interval ('2022-10-10/2026-03-07')."""
    days = sorted(day for record in ds.records for _, day in record.dates())
    return f"{days[0].isoformat()}/{days[-1].isoformat()}" if days else ""


def dataset_jsonld(ds: Dataset, *, site_url: str, publisher: str, version: str = "") -> dict[str, Any]:
    """A schema.org `Dataset` for one dataset, with absolute URLs (crawlers read it out of context)."""
    organisation = {"@type": "Organization", "name": publisher, **({"url": site_url} if site_url else {})}
    downloads = f"{site_url}downloads/{ds.id}"
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": f"{site_url}{DATA_PAGE}#dataset-{ds.id}",
        "name": ds.meta.title,
        "description": ds.meta.description,
        "url": f"{site_url}{DATA_PAGE}",
        "license": licence(ds.meta.licence).get("path") or ds.meta.licence,
        "isAccessibleForFree": True,
        "creator": organisation,
        "publisher": organisation,
        "dateModified": ds.meta.as_of.isoformat(),
        "citation": ds.meta.cite,
        "keywords": list(KEYWORDS),
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": f"{downloads}.csv"},
            {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": f"{downloads}.json"},
        ],
        "variableMeasured": [{"@type": "PropertyValue", "name": c.name, **({"description": c.description}
                                                                            if c.description else {})}
                             for c in record_columns(ds)],
    }
    if coverage := temporal_coverage(ds):
        doc["temporalCoverage"] = coverage
    if version:
        doc["version"] = version
    return doc


def jsonld_scripts(data: Data, *, site_url: str, publisher: str, version: str = "") -> str:
    """One `<script type="application/ld+json">` per dataset, one line each (Markdown keeps them as raw HTML).

    `<`, `>` and `&` are escaped inside the JSON, so no text in the data can close the script element.
    """
    blocks = []
    for _, ds in sorted(data.datasets.items()):
        text = json.dumps(dataset_jsonld(ds, site_url=site_url, publisher=publisher, version=version), sort_keys=True,
                          ensure_ascii=False)
        text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        blocks.append(f'<script type="application/ld+json">{text}</script>')
    return "\n".join(blocks)
