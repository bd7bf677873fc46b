"""A county officer neither sees nor manages another county's campaign (pages, API, services)."""

import pytest
from django.core.exceptions import PermissionDenied

from smeplan.campaigns.services import campaign_close, campaign_update
from tests.factories import OrganisationFactory, campaign_make, county_officer, region

pytestmark = pytest.mark.django_db


def test_another_countys_campaign_is_invisible_and_unmanageable(client):
    baoji = county_officer("610302")
    campaign = campaign_make(
        actor=baoji,
        organisations=[OrganisationFactory(name="渭滨企业", county=region("610302"))],
        title="渭滨区填报",
    )
    yanta = county_officer("610113")
    client.force_login(yanta)
    listing = client.get("/campaigns/")
    assert listing.status_code == 200 and "渭滨区填报" not in listing.content.decode()
    for url in (
        f"/campaigns/{campaign.pk}/",
        f"/campaigns/{campaign.pk}/tasks/",
        f"/campaigns/{campaign.pk}/progress.xlsx",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/campaigns/{campaign.pk}/close/").status_code == 404
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/progress").status_code == 404
    with pytest.raises(PermissionDenied):
        campaign_close(actor=yanta, campaign=campaign)
    with pytest.raises(PermissionDenied):
        campaign_update(actor=yanta, campaign=campaign, data={"note": "越权"})
    campaign.refresh_from_db()
    assert campaign.state == "open" and campaign.note == ""


def test_a_county_sees_a_provincial_campaign_only_for_its_own_firms_and_cannot_manage_it(client):
    from tests.factories import province_admin

    campaign = campaign_make(
        actor=province_admin(),
        organisations=[
            OrganisationFactory(name="雁塔企业", county=region("610113")),
            OrganisationFactory(name="渭滨企业", county=region("610302")),
        ],
        title="全省填报",
    )
    client.force_login(county_officer("610113"))
    page = client.get(f"/campaigns/{campaign.pk}/tasks/").content.decode()
    assert "雁塔企业" in page and "渭滨企业" not in page
    detail = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "结束填报" not in detail
    assert client.post(f"/campaigns/{campaign.pk}/close/").status_code == 403
