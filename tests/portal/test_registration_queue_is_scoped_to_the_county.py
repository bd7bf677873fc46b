"""The county's queue lists only its counties' requests; another county cannot open or decide them."""

import pytest

from tests.factories import county_officer, registration_make
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_queue_lists_own_county_only(client):
    mine = registration_make(name="雁塔申请有限公司")
    other = registration_make(name="渭滨申请有限公司", county="610302")
    client.force_login(county_officer("610113"))

    page = text(client.get("/portal/registrations/"))

    assert "雁塔申请有限公司" in page and "渭滨申请有限公司" not in page
    assert client.get(f"/portal/registrations/{mine.pk}/").status_code == 200
    assert client.get(f"/portal/registrations/{other.pk}/").status_code == 404
    assert client.post(f"/portal/registrations/{other.pk}/approve/").status_code == 404
    other.refresh_from_db()
    assert other.state == "pending"
