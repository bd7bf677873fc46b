"""Every export goes through the scoping function: a county officer's exports hold no row of another
county, whatever the filters ask for; an enterprise user's only its own enterprise."""

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import AnnualFiguresFactory

FOREIGN = ("未央食品有限公司", "宝鸡机床有限公司")


def _text(response) -> str:
    data = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return data.decode("utf-8-sig")
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return "\n".join(str(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


@pytest.fixture
def world(yanta_org, weiyang_org, baoji_org):
    for org in (weiyang_org, baoji_org):
        AnnualFiguresFactory(organisation=org, year=2024)
    return yanta_org


URLS = [
    "/organisations/export.xlsx",
    "/organisations/export.csv",
    "/organisations/figures-long.xlsx",
    "/organisations/figures-long.csv",
    "/organisations/figures-wide.xlsx",
    "/organisations/figures-wide.csv",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("params", [{}, {"county": "610302"}, {"city": "610300"}, {"q": "宝鸡"}])
def test_county_officer_exports_only_their_county(client, yanta_officer, world, url, params):
    client.force_login(yanta_officer)

    text = _text(client.get(url, params))

    assert not any(name in text for name in FOREIGN)
    if not params:
        assert world.name in text


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_enterprise_user_exports_only_their_own(client, yanta_enterprise_user, world, url):
    from tests.factories import OrganisationFactory, region

    OrganisationFactory(name="雁塔邻居公司", county=region("610113"))
    client.force_login(yanta_enterprise_user)

    text = _text(client.get(url))

    assert world.name in text
    assert "雁塔邻居公司" not in text and not any(name in text for name in FOREIGN)


@pytest.mark.django_db
def test_one_enterprises_figures_outside_scope_is_404(client, yanta_officer, world, baoji_org):
    client.force_login(yanta_officer)

    assert client.get(f"/organisations/{baoji_org.pk}/figures.xlsx").status_code == 404
    assert client.get(f"/organisations/{world.pk}/figures.xlsx").status_code == 200
