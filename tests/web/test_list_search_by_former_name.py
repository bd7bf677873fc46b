import pytest

from smeplan.registry.services import organisation_rename
from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names, text


@pytest.mark.django_db
def test_a_former_name_finds_the_renamed_organisation_and_shows_the_former_name(client, yanta_officer):
    org = OrganisationFactory(name="长安红星机械厂", county=region("610113"))
    organisation_rename(actor=yanta_officer, organisation=org, new_name="陕西星辰智能装备有限公司")
    client.force_login(yanta_officer)

    response = client.get("/organisations/", {"q": "红星机械"})

    assert row_names(response) == ["陕西星辰智能装备有限公司"]
    assert "曾用名：长安红星机械厂" in text(response)
