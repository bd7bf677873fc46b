import pytest

from smeplan.accounts.models import Role
from tests.factories import UserFactory, region
from tests.web.helpers import text


@pytest.mark.django_db
def test_a_county_officer_sees_its_county_and_its_organisation_count(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    body = text(client.get("/"))

    assert "县级工作人员" in body and "所属辖区：雁塔区" in body
    assert "您的辖区包含 1 个县（市、区）" in body and "本县已登记 1 家单位" in body
    assert 'href="/organisations/new/"' in body


@pytest.mark.django_db
def test_a_provincial_user_home_page_counts_no_organisations(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)

    with django_assert_max_num_queries(8) as captured:
        body = text(client.get("/"))

    assert "您的辖区包含 107 个县（市、区）" in body
    assert not any(
        "registry_organisation" in q["sql"] and "COUNT(" in q["sql"].upper()
        for q in captured.captured_queries
    )
    assert 'href="/audit/"' in body and 'href="/admin/"' in body


@pytest.mark.django_db
def test_a_city_officer_covers_its_counties(client, xian_officer):
    client.force_login(xian_officer)

    body = text(client.get("/"))

    assert "您的辖区包含 13 个县（市、区）" in body
    assert "家单位" not in body  # no count over a whole city


@pytest.mark.django_db
def test_an_enterprise_user_gets_links_to_its_organisation(client, yanta_enterprise_user, yanta_org):
    client.force_login(yanta_enterprise_user)

    body = text(client.get("/"))

    assert yanta_org.name in body and yanta_org.credit_code in body
    assert f'href="/organisations/{yanta_org.pk}/#figures"' in body
    assert f'href="/organisations/{yanta_org.pk}/figures/new/"' in body


@pytest.mark.django_db
def test_an_expert_is_told_honestly_that_nothing_is_assigned(client):
    client.force_login(UserFactory(role=Role.EXPERT, region=None))

    body = text(client.get("/"))

    assert "目前没有待评分的任务" in body and 'href="/recognition/expert/"' in body
    assert 'href="/organisations/"' not in body


@pytest.mark.django_db
def test_a_county_officer_sees_what_waits_in_its_queue(client):
    from tests.recognition.make import applicant, submitted

    officer = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    submitted(applicant()[1])
    client.force_login(officer)

    body = text(client.get("/"))

    assert "审核待办" in body and "县级审核：1" in body
    assert 'href="/recognition/queue/?state=county_review"' in body


@pytest.mark.django_db
def test_an_enterprise_sees_its_applications_on_the_home_page(client):
    from tests.recognition.make import applicant, submitted

    _, user = applicant()
    application = submitted(user)
    client.force_login(user)

    body = text(client.get("/"))

    assert f'href="/recognition/applications/{application.pk}/"' in body and "县级审核" in body


@pytest.mark.django_db
def test_a_viewer_is_told_the_account_is_read_only(client):
    client.force_login(UserFactory(role=Role.VIEWER, region=region("610100")))

    body = text(client.get("/"))

    assert "只读用户" in body and "不能新增或修改数据" in body
    assert 'href="/organisations/new/"' not in body
