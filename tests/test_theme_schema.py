"""Palette contrast (WCAG AA against both backgrounds) and the committed JSON Schema export."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_charts.charts.theme import DARK, LIGHT
from build_charts.data.schema import schema_files

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_palette_passes_aa_on_its_background(palette):
    for colour in (*palette.series, palette.drones, palette.missiles, palette.muted, palette.text):
        assert contrast(colour, palette.background) >= 4.5, f"{colour} on {palette.background}"
    assert contrast(palette.grid, palette.background) < 3, "gridlines stay quiet"


def test_contrast_helper_knows_black_on_white():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_light_background_matches_material_default():
    assert LIGHT.background == "#ffffff"


def test_committed_schema_is_current():
    current = schema_files()
    committed = {p.name: p.read_bytes() for p in SCHEMAS.glob("*.schema.json")}
    assert committed.keys() == current.keys(), "run `make schema`"
    for name, content in current.items():
        assert committed[name] == content, f"schemas/{name} is out of date: run `make schema`"


def test_schema_rejects_unknown_fields_like_the_loader():
    import json

    strikes = json.loads(schema_files()["strikes.schema.json"])
    assert strikes["additionalProperties"] is False
    assert strikes["$defs"]["Strike"]["additionalProperties"] is False
