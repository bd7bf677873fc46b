"""An organisation whose certification was terminated may not apply to the same programme before
the ban ends: the list and start page say until which date, and a start is refused with the message."""

import datetime as dt

import pytest

from smeplan.programmes.models import Programme
from smeplan.recognition import clock
from smeplan.recognition.models import Application, Ban
from tests.factories import tier_of
from tests.recognition.make import YEAR, applicant
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_a_banned_enterprise_sees_the_date_and_cannot_start(client):
    org, user = applicant()
    programme = Programme.objects.get(code="growth-province")
    today = clock.today()
    Ban.objects.create(
        organisation=org,
        programme=programme,
        starts_on=today - dt.timedelta(days=30),
        until=dt.date(today.year + 2, 3, 1),
        reason="提供虚假信息",
    )
    client.force_login(user)
    until = f"{today.year + 2}年03月01日 前不再受理申报"

    body = text(client.get("/recognition/applications/"))
    assert until in body and "提供虚假信息" in body

    tier = tier_of("growth-province", "growth_star")
    response = client.post("/recognition/applications/new/", {"tier": tier.pk, "year": str(YEAR)})
    body = text(response)
    assert response.status_code == 200 and until in body
    assert not Application.objects.filter(organisation=org).exists()

    # another programme is still open to it
    other = tier_of("growth-city", "growth_star")
    response = client.post("/recognition/applications/new/", {"tier": other.pk, "year": str(YEAR)})
    assert response.status_code == 302
