"""Screening runs are seen by the bureau that made them and the bureaus above: the province sees all,
a city its counties' runs (never the province's or another city's), a county its own."""

import pytest

from tests.factories import city_officer, county_officer, province_admin, screening_run_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs():
    return {
        "province": screening_run_make(actor=province_admin(), year=2021),
        "yanta": screening_run_make(actor=county_officer("610113"), year=2022),
        "weibin": screening_run_make(actor=county_officer("610302"), year=2023),
        "xian": screening_run_make(actor=city_officer("610100"), year=2020),
    }


def _listed(client, user) -> set[int]:
    client.force_login(user)
    body = client.get("/programmes/runs/").content.decode()
    return {
        int(part.split("/", 1)[0]) for part in body.split('href="/programmes/runs/')[1:] if part[0].isdigit()
    }


def test_each_bureau_lists_its_own_and_those_below(client, runs):
    ids = {key: run.pk for key, run in runs.items()}

    assert _listed(client, province_admin()) == set(ids.values())
    assert _listed(client, city_officer("610100")) == {ids["yanta"], ids["xian"]}
    assert _listed(client, county_officer("610113")) == {ids["yanta"]}
    assert _listed(client, county_officer("610302")) == {ids["weibin"]}


def test_another_regions_run_is_404(client, runs):
    client.force_login(city_officer("610100"))

    assert client.get(f"/programmes/runs/{runs['weibin'].pk}/").status_code == 404
    assert client.get(f"/programmes/runs/{runs['province'].pk}/").status_code == 404
    assert client.get(f"/programmes/runs/{runs['province'].pk}/results.xlsx").status_code == 404
    assert client.get(f"/programmes/runs/{runs['yanta'].pk}/").status_code == 200
