import pytest


@pytest.fixture(autouse=True)
def _clear_caches():
    """Scoping and region look-ups cache static reference data; tests start clean."""
    from smeplan.accounts import scoping
    from smeplan.regions import selectors

    scoping._region_path.cache_clear()
    scoping._codes_under.cache_clear()
    selectors.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at production strength costs ~1 s per user; tests use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Uploaded import files go to a directory of the test's own, removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.clear()
