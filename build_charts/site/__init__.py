"""What the site shows around the charts: figures, generated pages, feeds, downloads.

Builds on `build_charts.data` and `build_charts.charts`; imports nothing from a site engine.
"""
