"""An approved 迁址 request moves the firm to a county of another city, decided by the bureau of the
county it leaves; from then on the firm is in the new county's scope and no longer in the old one's."""

import pytest
from django.core.exceptions import PermissionDenied

from smeplan.audit.models import AuditEvent
from smeplan.portal.changes import change_request_approve
from smeplan.registry.selectors import OrganisationFilters, organisation_search
from tests.factories import OrganisationFactory, change_request_make, county_officer, region

pytestmark = pytest.mark.django_db


def test_the_county_it_leaves_approves_and_scoping_follows_the_firm(client):
    org = OrganisationFactory(name="迁址测试有限公司", county=region("610113"), address="雁塔路1号")
    request = change_request_make(
        org, kind="relocation", new_county="渭滨区", new_address="宝鸡市渭滨区经二路8号"
    )
    yanta, weibin = county_officer("610113"), county_officer("610302")

    with pytest.raises(PermissionDenied):  # the county it joins does not decide
        change_request_approve(actor=weibin, request=request)
    change_request_approve(actor=yanta, request=request)

    org.refresh_from_db()
    assert (org.county_id, org.address) == ("610302", "宝鸡市渭滨区经二路8号")
    assert list(organisation_search(weibin, OrganisationFilters(q="迁址测试"))) == [org]
    assert list(organisation_search(yanta, OrganisationFilters(q="迁址测试"))) == []
    event = AuditEvent.objects.get(event_type="organisation.relocated")
    assert event.payload["before"] == {"county": "610113", "address": "雁塔路1号"}
    assert event.payload["after"]["county"] == "610302"
    request.refresh_from_db()
    assert request.before["county_name"] == "雁塔区" and request.state == "approved"
    # the county it left keeps the record of the move it decided, not the firm
    client.force_login(yanta)
    assert client.get(f"/portal/changes/{request.pk}/").status_code == 200
    assert client.get(f"/organisations/{org.pk}/").status_code == 404
    client.force_login(weibin)
    assert "所属区县：雁塔区 → 渭滨区" in client.get(f"/organisations/{org.pk}/").content.decode()
