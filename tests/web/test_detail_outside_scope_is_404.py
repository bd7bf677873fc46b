import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "edit/", "rename/", "figures/new/"])
def test_an_organisation_of_another_county_answers_404_like_a_missing_one(
    client, yanta_officer, weiyang_org, suffix
):
    client.force_login(yanta_officer)

    assert client.get(f"/organisations/{weiyang_org.pk}/{suffix}").status_code == 404
    assert client.get(f"/organisations/999999/{suffix}").status_code == 404
