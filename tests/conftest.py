import pytest


@pytest.fixture(autouse=True)
def _clear_caches():
    """Scoping and region look-ups cache static reference data, the screening frame its arrays;
    tests start clean."""
    from smeplan.accounts import scoping
    from smeplan.regions import selectors

    scoping._region_path.cache_clear()
    scoping._codes_under.cache_clear()
    selectors.clear_cache()
    # the screening frame's copies in this process (a flush between tests empties its change log)
    from smeplan.programmes.frame import frame_cache_clear

    frame_cache_clear()
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


@pytest.fixture
def reference_data(transactional_db):
    """Regions, industries and the seeded programmes come from data migrations; a transactional test
    before this one may have flushed them, and serialized rollback cannot always restore them
    (Playwright's greenlet gives the ORM a fresh connection object without the serialized copy), so
    load them again when they are missing."""
    from smeplan.industries.loading import load_industries
    from smeplan.industries.models import Industry
    from smeplan.programmes.loading import load_programmes
    from smeplan.programmes.models import CriteriaVersion, Criterion, Programme, Tier
    from smeplan.regions.loading import load_regions
    from smeplan.regions.models import Region, RegionAlias

    if not Region.objects.exists():
        load_regions(Region, RegionAlias)
    if not Industry.objects.exists():
        load_industries(Industry)
    if not Programme.objects.exists():
        load_programmes(Programme, Tier, CriteriaVersion, Criterion)
    from smeplan.targets.loading import load_period
    from smeplan.targets.models import PlanPeriod

    if not PlanPeriod.objects.exists():
        load_period(None)


@pytest.fixture
def configured_programmes(db):
    """The configured programmes of the data files (创新型、专精特新、互联网+ and 智能制造 demonstration
    enterprises besides the seeded ones), loaded as ``manage.py programmes_load`` loads them."""
    from smeplan.programmes.configured import programme_files_load
    from smeplan.programmes.models import Programme

    programme_files_load()
    return {p.code: p for p in Programme.objects.prefetch_related("tiers")}
