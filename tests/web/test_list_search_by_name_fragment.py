import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names


@pytest.mark.django_db
def test_a_chinese_name_fragment_finds_the_organisations_of_the_users_county(client, yanta_officer):
    OrganisationFactory(name="雁塔精密机械有限公司", county=region("610113"))
    OrganisationFactory(name="雁塔食品有限公司", county=region("610113"))
    OrganisationFactory(name="未央精密仪器有限公司", county=region("610112"))  # another county
    client.force_login(yanta_officer)

    response = client.get("/organisations/", {"q": "精密"})

    assert response.status_code == 200
    assert row_names(response) == ["雁塔精密机械有限公司"]
