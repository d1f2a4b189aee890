from pathlib import Path

from build_charts import load_data

DATA = Path(__file__).resolve().parents[1] / "data"


def test_real_data_validates():
    data = load_data(DATA)
    assert set(data.datasets) >= {"sources", "strikes"}
