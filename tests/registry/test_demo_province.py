"""The demo province (demo_province / demo_logins) and the name search it is benchmarked with."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from smeplan.accounts.models import Role, User
from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.regions.models import Region
from smeplan.registry import classification
from smeplan.registry.credit_code import validate_credit_code
from smeplan.registry.demo import DemoParams, generate, load_demo_province, reference_data
from smeplan.registry.models import Organisation, OrganisationNameChange
from smeplan.registry.selectors import OrganisationFilters, organisation_page, organisation_search
from tests.factories import province_admin

PASSWORD = "pw-demo-123"
N = 1000
FIRST, LAST = 2021, 2023


def _load(**kw) -> str:
    out = io.StringIO()
    options = {"enterprises": N, "first_year": FIRST, "last_year": LAST, "password": PASSWORD} | kw
    call_command("demo_province", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(db):
    _load()


@pytest.mark.django_db
def test_registry_covers_every_county_with_valid_codes(demo):
    assert Organisation.objects.count() == N
    counties = set(Region.objects.filter(is_county=True).values_list("code", flat=True))
    assert len(counties) == 107
    assert set(Organisation.objects.values_list("county_id", flat=True)) == counties
    per_city = Counter(o.county.city_level_unit_code() for o in Organisation.objects.select_related("county"))
    assert per_city.most_common(1)[0][0] == "610100"  # 西安 leads
    for code, county, name in Organisation.objects.values_list("credit_code", "county_id", "name"):
        assert validate_credit_code(code) == code
        assert code[:2] == "91" and code[2:8] == county
        assert name.endswith("公司")
    assert Organisation.objects.values("name").distinct().count() == N
    sections = Counter(Organisation.objects.values_list("industry__section", flat=True))
    # wholesale and retail, then manufacturing lead (demo_industries.csv); most sections present
    assert [s for s, _ in sections.most_common(2)] == ["F", "C"] and len(sections) >= 12


@pytest.mark.django_db
def test_figures_follow_founding_missing_years_and_classification(demo):
    assert not FigureRevision.objects.exists()  # the initial load is not a revision
    figures = list(AnnualFigures.objects.select_related("organisation"))
    assert {f.year for f in figures} == set(range(FIRST, LAST + 1))
    founded = {o.pk: o.founded_on for o in Organisation.objects.all()}
    for f in figures:
        assert f.year >= founded[f.organisation_id].year
        assert f.employees >= 1 and f.operating_revenue > 0 and f.total_assets > 0
        assert f.operating_revenue * 9 / 10 - 1 <= f.main_business_revenue <= f.operating_revenue
        assert 0 < f.total_liabilities < f.total_assets
        assert f.rd_expense >= 0 and f.tax_paid >= 0
    assert any(f.total_profit < 0 for f in figures)  # some losses
    # some firms miss a year they existed in (no row, not zeros)
    years_of: dict[int, set[int]] = {}
    for f in figures:
        years_of.setdefault(f.organisation_id, set()).add(f.year)
    expected = {pk: set(range(max(FIRST, d.year), LAST + 1)) for pk, d in founded.items()}
    assert any(years_of.get(pk, set()) != years for pk, years in expected.items())
    # cached size class / 四上 = the classification functions on the latest year with figures
    latest = {}
    for f in sorted(figures, key=lambda f: f.year):
        latest[f.organisation_id] = f
    sizes = Counter()
    for org in Organisation.objects.all():
        f = latest.get(org.pk)
        if f is None:
            assert (org.size_class, org.above_scale, org.classified_year) == ("", None, None)
            continue
        assert org.classified_year == f.year
        size = classification.size_class(
            industry_code=org.industry_id, employees=f.employees, operating_revenue=f.operating_revenue,
            total_assets=f.total_assets, year=f.year,
        )  # fmt: skip
        scale = classification.above_scale(
            industry_code=org.industry_id, main_business_revenue=f.main_business_revenue,
            operating_revenue=f.operating_revenue, construction_qualification=org.construction_qualification or None,
            year=f.year,
        )  # fmt: skip
        assert org.size_class == (size.value or ""), (org.pk, size.reason)
        assert org.above_scale == scale.value, (org.pk, scale.reason)
        sizes[org.size_class] += 1
        if org.size_class == "large" and org.industry.section in "BCD":  # 工业: ≥1000 staff, ≥40000万元
            assert f.employees >= 1000 and f.operating_revenue >= 40000
        if org.size_class == "micro" and org.industry.section in "BCD":
            assert f.employees < 20 or f.operating_revenue < 300
        assert (org.construction_qualification != "") == (org.industry.section == "E")
    assert sizes["micro"] + sizes["small"] > N * 0.7 and sizes["medium"] > 0


@pytest.mark.django_db
def test_renames_users_and_audit(demo):
    changes = list(OrganisationNameChange.objects.select_related("organisation"))
    assert 5 <= len(changes) <= 60  # ≈ 2 %
    for change in changes:
        org = change.organisation
        assert change.old_name in org.former_names.split("|")
        assert change.old_name != org.name
        assert org.founded_on < change.changed_on <= dt.date(LAST, 12, 31)
    renamed = {c.organisation_id for c in changes}
    for org in Organisation.objects.filter(pk__in=renamed):
        last = max((c for c in changes if c.organisation_id == org.pk), key=lambda c: c.changed_on)
        assert last.new_name == org.name
    assert not Organisation.objects.exclude(pk__in=renamed).exclude(former_names="").exists()

    cities = Region.objects.filter(level="city")
    assert cities.count() == 12
    expected = {"prov_admin", "prov_officer", "viewer", "expert"}
    expected |= {f"city_{c}" for c in cities.values_list("code", flat=True)}
    expected |= {f"county_{c}" for c in Region.objects.filter(is_county=True).values_list("code", flat=True)}
    expected |= {f"ent_{n}" for n in range(1, 6)}
    assert set(User.objects.values_list("username", flat=True)) == expected
    assert User.objects.get(username="prov_admin").role == Role.PROVINCIAL_ADMIN
    assert User.objects.get(username="county_610581").region_id == "610581"  # 韩城: city and county
    assert User.objects.get(username="city_610581").region_id == "610581"
    assert User.objects.get(username="city_610100").role == Role.CITY_OFFICER
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1  # hashed once
    assert User.objects.get(username="county_610113").check_password(PASSWORD)
    for user in User.objects.filter(role=Role.ENTERPRISE_USER).select_related("organisation__county"):
        assert user.organisation.county.path.startswith("610000/610100/")

    event = AuditEvent.objects.get(event_type="demo.loaded")
    assert event.actor is None and event.subject_id == "610000"
    assert event.payload["enterprises"] == N and event.payload["organisations"] == N
    assert AuditEvent.objects.count() == 1

    out = io.StringIO()
    call_command("demo_logins", password=PASSWORD, stdout=out)
    text = out.getvalue()
    assert "county_610113" in text and "city_<区划代码>" in text and "演示密码仅供演示使用" in text
    assert PASSWORD in text and len(text.splitlines()) < 20


@pytest.mark.django_db
def test_if_empty_does_nothing_the_second_time(demo):
    before = (Organisation.objects.count(), AnnualFigures.objects.count(), User.objects.count())
    assert "--if-empty" in _load(if_empty=True)
    assert (Organisation.objects.count(), AnnualFigures.objects.count(), User.objects.count()) == before
    with pytest.raises(CommandError):
        _load()


@pytest.mark.django_db
def test_generator_is_deterministic():
    counties, industries = reference_data()
    params = DemoParams(enterprises=300, first_year=FIRST, last_year=LAST, seed=7)
    one = list(generate(params, counties, industries, chunk_size=100))
    two = list(generate(params, counties, industries, chunk_size=300))  # chunking does not matter
    flat = lambda chunks, attr: [row for c in chunks for row in getattr(c, attr)]  # noqa: E731
    for attr in ("organisations", "figures", "name_changes"):
        assert flat(one, attr) == flat(two, attr)
    other = list(
        generate(DemoParams(enterprises=300, first_year=FIRST, last_year=LAST, seed=8), counties, industries)
    )
    assert [r[1:3] for r in flat(one, "organisations")] != [r[1:3] for r in flat(other, "organisations")]


@pytest.mark.django_db
def test_load_with_indexes_dropped_and_rebuilt():
    """The 10^6-row path (on PostgreSQL: indexes and constraints rebuilt around COPY) leaves the
    schema as it was."""

    def schema():
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename IN "
                "('registry_organisation', 'indicators_annualfigures', 'registry_organisationnamechange', "
                "'registry_organisation_namegram') "
                "UNION ALL SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN "
                "('registry_organisation'::regclass, 'indicators_annualfigures'::regclass) ORDER BY 1"
            )
            return [r[0] for r in cur.fetchall()]

    before = schema()
    result = load_demo_province(
        DemoParams(enterprises=200, first_year=FIRST, last_year=LAST), drop_indexes=True
    )
    assert result.organisations == Organisation.objects.count() == 200
    assert schema() == before
    new = Organisation.objects.create(
        credit_code="91350100M000100Y43", name="新登记测试有限公司", county_id="610113", industry_id="3311"
    )
    assert new.pk > 200  # the id sequence moved past the loaded ids
    # the search table was written by the triggers during the COPY and its index rebuilt
    admin = province_admin()
    loaded = Organisation.objects.exclude(pk=new.pk).order_by("pk")[17]
    fragment = loaded.name[2:5]
    found = organisation_page(admin, OrganisationFilters(q=fragment), 1, size=100).items
    assert loaded.pk in {o.pk for o in found}


@pytest.mark.django_db
def test_name_search_matches_like_semantics(demo):
    """On PostgreSQL the search reads the search table; the rows must be exactly those whose name or
    a former name contains the fragment (1, 2 and more characters, former names)."""
    admin = User.objects.get(username="prov_admin")
    county = User.objects.get(username="county_610113")
    orgs = list(Organisation.objects.values_list("pk", "name", "former_names", "county_id"))
    renamed = next(o for o in orgs if o[2])
    old = renamed[2].split("|")[0]
    fragments = ["科技", "有限", "秦川", "机械有限", "西", old[2:5], old, "不存在的", "a%", "司|"]
    for q in fragments:
        expected = {pk for pk, name, former, _ in orgs if q in name or q in former}
        got = set(organisation_search(admin, OrganisationFilters(q=q)).values_list("pk", flat=True))
        assert got == expected, q
        in_county = {pk for pk, name, former, c in orgs if (q in name or q in former) and c == "610113"}
        got = set(organisation_search(county, OrganisationFilters(q=q)).values_list("pk", flat=True))
        assert got == in_county, q
    assert renamed[0] in set(
        organisation_search(admin, OrganisationFilters(q=old)).values_list("pk", flat=True)
    )
    # kept correct on insert and rename (the search table follows by triggers, not application code)
    org = Organisation.objects.create(
        credit_code="91350100M000100Y43", name="西安量子纠缠有限公司", county_id="610113", industry_id="3311"
    )
    assert list(organisation_search(admin, OrganisationFilters(q="纠缠")).values_list("pk", flat=True)) == [
        org.pk
    ]
    Organisation.objects.filter(pk=org.pk).update(
        name="西安光子有限公司", former_names="西安量子纠缠有限公司"
    )
    assert list(organisation_search(admin, OrganisationFilters(q="纠缠")).values_list("pk", flat=True)) == [
        org.pk
    ]
    assert list(organisation_search(admin, OrganisationFilters(q="光子")).values_list("pk", flat=True)) == [
        org.pk
    ]
