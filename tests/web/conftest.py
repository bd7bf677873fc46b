"""Fixtures of the page tests: users of several roles and organisations in and out of their scope."""

import importlib.util
from pathlib import Path

import pytest

from tests.factories import (
    AnnualFiguresFactory,
    OrganisationFactory,
    city_officer,
    county_officer,
    enterprise_user,
    province_admin,
    region,
)

ROOT = Path(__file__).resolve().parents[2]


def compile_messages() -> None:
    """Build locale/*/django.mo with the project's pure-Python compiler, then drop Django's cached
    catalogs so the next request loads the fresh one."""
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "scripts" / "compile_messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_all(ROOT / "locale")
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = trans_real.Local()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are created by the dozen here; the production hasher would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def english_catalog():
    compile_messages()


@pytest.fixture
def yanta_officer(db):
    return county_officer("610113", username="yanta")


@pytest.fixture
def xian_officer(db):
    return city_officer("610100", username="xian")


@pytest.fixture
def admin_user(db):
    return province_admin(username="sheng")


@pytest.fixture
def yanta_org(db):
    """An enterprise in 雁塔区 (610113) with two years of figures."""
    org = OrganisationFactory(name="雁塔精密机械有限公司", county=region("610113"))
    AnnualFiguresFactory(organisation=org, year=2023, operating_revenue=4000, total_profit=-50)
    AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=5000, total_profit=300)
    return org


@pytest.fixture
def weiyang_org(db):
    """An enterprise of another county of 西安 (未央区 610112)."""
    return OrganisationFactory(name="未央食品有限公司", county=region("610112"), industry_id="1391")


@pytest.fixture
def baoji_org(db):
    """An enterprise of another city (宝鸡 渭滨区 610302)."""
    return OrganisationFactory(name="宝鸡机床有限公司", county=region("610302"))


@pytest.fixture
def yanta_enterprise_user(yanta_org):
    return enterprise_user(yanta_org, username="qiye")


@pytest.fixture
def viewer(db):
    """A read-only viewer of 西安."""
    from smeplan.accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.VIEWER, region=region("610100"), username="chakan")
