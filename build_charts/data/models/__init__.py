"""Typed models of the data files (pydantic), one per dataset."""

from .datasets import DATASET_MODELS

__all__ = ["DATASET_MODELS"]
