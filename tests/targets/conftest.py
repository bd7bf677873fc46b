import pytest


@pytest.fixture(autouse=True)
def _fresh_frame_cache():
    """The statistics charts read the screening engine's process-wide frame: no test sees another's."""
    from smeplan.programmes.frame import frame_cache_clear

    frame_cache_clear()
    yield
    frame_cache_clear()
