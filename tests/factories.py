"""factory_boy factories for tests. Regions and industries come from the data migrations."""

import itertools

import factory

from smeplan.accounts.models import Role, User
from smeplan.indicators.models import AnnualFigures
from smeplan.regions.models import Region
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation

_serial = itertools.count(1)


def region(code: str) -> Region:
    return Region.objects.get(pk=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    county = factory.LazyFunction(lambda: region("610113"))  # 雁塔区
    credit_code = factory.LazyAttribute(lambda o: make_credit_code(o.county.code, 90_000_000 + next(_serial)))
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    industry_id = "3311"


class AnnualFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualFigures

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2024
    operating_revenue = 5000
    main_business_revenue = 4800
    total_profit = 300
    tax_paid = 150
    rd_expense = 120
    employees = 120
    total_assets = 6000
    total_liabilities = 2500


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COUNTY_OFFICER
    region = factory.LazyFunction(lambda: region("610113"))
    password = factory.PostGenerationMethodCall("set_password", "pw-test-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def province_admin(**kw) -> User:
    return UserFactory(role=Role.PROVINCIAL_ADMIN, region=region("610000"), **kw)


def city_officer(code: str = "610100", **kw) -> User:
    return UserFactory(role=Role.CITY_OFFICER, region=region(code), **kw)


def county_officer(code: str = "610113", **kw) -> User:
    return UserFactory(role=Role.COUNTY_OFFICER, region=region(code), **kw)


def enterprise_user(organisation: Organisation, **kw) -> User:
    return UserFactory(role=Role.ENTERPRISE_USER, region=None, organisation=organisation, **kw)
