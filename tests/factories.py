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


# --- programmes (认定条件与筛选) -------------------------------------------------------------------


def tier_of(programme_code: str = "transformation", tier_code: str = "upgrade_library"):
    """A seeded tier (data migration ``programmes.0002``): 转型升级企业库 by default."""
    from smeplan.programmes.models import Tier

    return Tier.objects.select_related("programme").get(programme__code=programme_code, code=tier_code)


def screening_run_make(*, tier=None, actor=None, year: int = 2024, results=(), **fields):
    """A stored run made without the engine (for pages and API that only read runs): the criteria of
    the tier's first version, ``results`` as (organisation, outcome, statuses[, priority]) tuples."""
    from smeplan.programmes.models import ScreeningResult, ScreeningRun
    from smeplan.programmes.selectors import specs_of

    tier = tier or tier_of()
    version = tier.versions.order_by("number").first()
    run = ScreeningRun.objects.create(
        tier=tier,
        version=version,
        year=year,
        # like the engine: no region for a province-wide run
        region=fields.pop("region", None if actor is None or actor.region_id == "610000" else actor.region),
        actor=actor,
        criteria=[s.to_dict() for s in specs_of(version)],
        **fields,
    )
    for item in results:
        organisation, outcome, statuses, *rest = item
        ScreeningResult.objects.create(
            run=run,
            organisation=organisation,
            outcome=outcome,
            statuses=statuses,
            priority=bool(rest and rest[0]),
        )
    return run


def industry_average_make(**fields):
    from smeplan.programmes.models import IndustryAverage

    values = {
        "year": 2024,
        "metric": "growth.operating_revenue",
        "area": region("610000"),
        "group_kind": "division",
        "group_code": "33",
        "value": "0.112",
        "numerator": "11120",
        "denominator": "10000",
        "count": 12,
    }
    values.update(fields)
    return IndustryAverage.objects.create(**values)


# --- 数据填报 (issue 16 part 4: tasks made directly, before part 3's services) ----------------------


class CampaignFactory(factory.django.DjangoModelFactory):
    """An open campaign of the standard yearly figures of last year, opened yesterday, due in 30 days."""

    class Meta:
        model = "campaigns.Campaign"

    title = factory.Sequence(lambda n: f"年度数据填报{n}")
    year = factory.LazyFunction(lambda: _today().year - 1)
    region = factory.LazyFunction(lambda: region("610113"))
    targeting = "region"
    content = "figures"
    opens_on = factory.LazyFunction(lambda: _today_plus(-1))
    deadline = factory.LazyFunction(lambda: _today_plus(30))


class CampaignTaskFactory(factory.django.DjangoModelFactory):
    """One firm's task; its county is the organisation's."""

    class Meta:
        model = "campaigns.CampaignTask"

    campaign = factory.SubFactory(CampaignFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    county = factory.LazyAttribute(lambda t: t.organisation.county)


def _today():
    from smeplan.recognition import clock

    return clock.today()


def _today_plus(days: int):
    import datetime

    return _today() + datetime.timedelta(days=days)


def figure_answers(**changes) -> dict:
    """A full set of the standard yearly figures as a firm types them (万元 text), with ``changes``."""
    values = {
        "operating_revenue": "5200",
        "main_business_revenue": "5000",
        "total_profit": "320",
        "tax_paid": "160",
        "rd_expense": "130",
        "employees": "125",
        "total_assets": "6100",
        "total_liabilities": "2600",
    }
    return values | changes


# --- 数据填报（发起方，issue 16 part 3） ---------------------------------------------------------------


def campaign_data(**overrides) -> dict:
    """The fields of 发起数据填报 as a form posts them: a 按地区 campaign of 雁塔区 on last year's
    standard figures, open from today for 30 days."""
    import datetime as dt

    from smeplan.recognition import clock

    today = clock.today()
    data = {
        "title": "年度数据填报",
        "year": str(today.year - 1),
        "targeting": "region",
        "regions": ["610113"],
        "content": "figures",
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
        "note": "",
    }
    data.update(overrides)
    return data


def campaign_make(*, actor, organisations, deadline=None, **fields):
    """A campaign issued by ``actor`` with one task per organisation, written directly (for pages
    that only read campaigns); task states by ``fields.pop('states', {})`` {organisation: state}."""
    import datetime as dt

    from smeplan.campaigns.models import Campaign, CampaignTask
    from smeplan.recognition import clock

    states = fields.pop("states", {})
    today = clock.today()
    campaign = Campaign.objects.create(
        title=fields.pop("title", "测试数据填报"),
        year=fields.pop("year", today.year - 1),
        region_id=actor.region_id,
        targeting=fields.pop("targeting", "region"),
        opens_on=fields.pop("opens_on", today - dt.timedelta(days=10)),
        deadline=deadline or today + dt.timedelta(days=20),
        created_by=actor,
        task_count=len(organisations),
        **fields,
    )
    CampaignTask.objects.bulk_create(
        CampaignTask(campaign=campaign, organisation=o, county_id=o.county_id, state=states.get(o, "pending"))
        for o in organisations
    )
    return campaign


# --- 企业注册与本单位账号 (issue 16 part 1: portal/registration.py, portal/members.py) ------------

#: a password the policy accepts (10+ characters, upper, lower, digit and symbol)
GOOD_PASSWORD = "Qinling-Peak-2026"
_registration_serial = itertools.count(1)


def registration_data(**over) -> dict:
    """What a firm types on the registration page (a new code of 雁塔区 unless given)."""
    n = next(_registration_serial)
    data = {
        "credit_code": make_credit_code("610113", 70_000_000 + n),
        "name": f"注册测试{n}科技有限公司",
        "county": "610113",
        "contact_name": "王经理",
        "mobile": "13912345678",
        "email": f"apply{n}@example.com",
        "username": f"applicant{n}",
        "password": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    return {**data, **over}


def registration_make(**over):
    """A pending registration filed through the service."""
    from smeplan.portal.registration import registration_submit

    return registration_submit(data=registration_data(**over))


def firm_admin(organisation: Organisation, **kw) -> User:
    """An enterprise user who is the firm's administrator (企业管理员)."""
    kw.setdefault("email", f"admin{next(_serial)}@example.com")
    return enterprise_user(organisation, is_organisation_admin=True, **kw)


# --- 企业信息变更申请 and the enterprise's home (issue 16 part 2) -----------------------------------


def certification_make(organisation, *, level: str = "province", **fields):
    """A certification in force since today, stored directly (the workflow is tested elsewhere):
    成长之星 of the provincial growth tiers (certified by the province) or of the county's."""
    from smeplan.recognition import clock
    from smeplan.recognition.models import Certification

    tier = tier_of("growth-province" if level == "province" else "growth-county", "growth_star")
    values = {
        "organisation": organisation,
        "programme": tier.programme,
        "tier": tier,
        "level": level,
        "region_id": "610000" if level == "province" else organisation.county_id,
        "document_number": f"陕工信发〔2026〕{next(_serial)}号",
        "certified_on": clock.today(),
        "title": "陕西省成长之星企业" if level == "province" else "成长之星企业",
        "organisation_name": organisation.name,
    }
    return Certification.objects.create(**(values | fields))


def change_request_make(organisation, *, actor=None, **data):
    """A 企业信息变更申请 filed through the service (by the firm's own user unless ``actor``)."""
    from smeplan.portal.changes import change_request_file

    actor = actor or enterprise_user(organisation)
    return change_request_file(actor=actor, organisation=organisation, data=data)
