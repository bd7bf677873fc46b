import pytest


@pytest.fixture(autouse=True)
def _fresh_frame_cache():
    from smeplan.programmes.frame import frame_cache_clear

    frame_cache_clear()
    yield
    frame_cache_clear()
