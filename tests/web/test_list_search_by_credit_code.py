import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names


@pytest.mark.django_db
def test_the_full_credit_code_finds_one_organisation_even_typed_in_lower_case_with_spaces(
    client, yanta_officer
):
    wanted = OrganisationFactory(name="甲公司", county=region("610113"))
    OrganisationFactory(name="乙公司", county=region("610113"))
    client.force_login(yanta_officer)
    typed = " " + wanted.credit_code[:9].lower() + " " + wanted.credit_code[9:].lower()

    assert row_names(client.get("/organisations/", {"q": wanted.credit_code})) == ["甲公司"]
    assert row_names(client.get("/organisations/", {"q": typed})) == ["甲公司"]


@pytest.mark.django_db
def test_a_credit_code_of_another_county_finds_nothing(client, yanta_officer, weiyang_org):
    client.force_login(yanta_officer)

    response = client.get("/organisations/", {"q": weiyang_org.credit_code})

    assert row_names(response) == []
    assert "没有符合条件的单位" in response.content.decode()
