"""Reading the data folder: strict YAML, typed models, located errors, JSON Schema.

The bottom layer: imports nothing from charts or site.
"""

from .errors import DataError, Problem
from .loader import Data, Dataset, load_data

__all__ = ["Data", "DataError", "Dataset", "Problem", "load_data"]
