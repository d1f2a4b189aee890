def test_real_data_validates(data):
    assert set(data.datasets) == {"sources", "strikes", "outages", "znpp_power", "force_caps", "force_levels",
                                  "diplomatic_calendar"}
