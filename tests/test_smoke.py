from build_charts.data.models.datasets import DATASET_MODELS


def test_real_data_validates(data):
    """The live data loads, and holds every dataset the site knows (no file left behind)."""
    assert set(data.datasets) == set(DATASET_MODELS) and len(DATASET_MODELS) >= 9
