"""Data, charts and generated files for the Ukraine resilience explainer.

Pure functions of the `data/` folder; nothing here imports MkDocs, so tests,
releases and any other site engine can use it.
"""

from .data import Data, DataError, Dataset, Problem, load_data

__all__ = ["Data", "DataError", "Dataset", "Problem", "load_data"]
