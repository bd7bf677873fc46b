"""A county bureau nominates the 符合 organisations of its screening run in bulk: the applications
appear in its own queue; an organisation that already has an open application is refused by name
and nothing is created."""

import pytest

from smeplan.recognition.models import Application, Channel, State
from tests.factories import OrganisationFactory, county_officer, region, screening_run_make
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_bulk_nomination_from_a_run(client):
    officer = county_officer("610113")
    a = OrganisationFactory(name="雁塔推荐甲有限公司", county=region("610113"))
    b = OrganisationFactory(name="雁塔推荐乙有限公司", county=region("610113"))
    c = OrganisationFactory(name="雁塔推荐丙有限公司", county=region("610113"))
    run = screening_run_make(actor=officer, results=[(a, "pass", "P"), (b, "pass", "P"), (c, "pass", "P")])
    client.force_login(officer)

    page = text(client.get(f"/recognition/nominate/?run={run.pk}"))
    assert a.name in page and b.name in page and "推荐所选单位" in page

    response = client.post(
        f"/recognition/nominate/?run={run.pk}", {"organisation_ids": [a.pk, b.pk]}, follow=True
    )
    body = text(response)
    assert response.redirect_chain[-1][0] == "/recognition/queue/"
    assert "已推荐 2 家单位" in body and a.name in body and b.name in body
    made = Application.objects.filter(screening_run=run)
    assert {x.organisation_id for x in made} == {a.pk, b.pk}
    assert all(x.channel == Channel.NOMINATE and x.state == State.COUNTY_REVIEW for x in made)

    # a second nomination including ``a`` again: refused by name, nothing created
    response = client.post(f"/recognition/nominate/?run={run.pk}", {"organisation_ids": [a.pk, c.pk]})
    body = text(response)
    assert "推荐没有执行" in body and f"{a.name}：{a.name}已有2024年度" in body
    assert not Application.objects.filter(organisation=c).exists()

    # the single 推荐 button of one row
    client.post(f"/recognition/nominate/?run={run.pk}", {"one": c.pk, "organisation_ids": [a.pk]})
    assert Application.objects.filter(organisation=c, screening_run=run).exists()


def test_another_citys_run_is_not_found(client):
    run = screening_run_make(actor=county_officer("610302"), results=[])
    client.force_login(county_officer("610113"))
    assert client.get(f"/recognition/nominate/?run={run.pk}").status_code == 404
