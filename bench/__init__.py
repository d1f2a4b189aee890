"""Benchmarks: build speed, rebuilds, scale, page weight and a vega-embed baseline (`make bench`).

Every benchmark works on a temporary copy of the project; nothing is written
into docs/ or data/. Results go to bench/results.json (git-ignored).
"""
