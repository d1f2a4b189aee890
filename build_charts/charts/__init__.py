"""The chart registry: one module per chart, each exporting `CHART` (a ChartDef)."""

from __future__ import annotations

from . import (
    diplomatic_timeline,
    force_caps,
    monthly_civilians,
    monthly_volume,
    outages,
    strikes_interception,
    strikes_volume,
    znpp_power,
)
from .base import ChartDef

CHARTS: dict[str, ChartDef] = {module.CHART.id: module.CHART for module in (
    strikes_volume,
    monthly_volume,
    monthly_civilians,
    strikes_interception,
    znpp_power,
    outages,
    force_caps,
    diplomatic_timeline,
)}

__all__ = ["CHARTS", "ChartDef"]
