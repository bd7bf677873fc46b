import re

import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import text


@pytest.fixture
def orgs(db):
    def make(county, size, n, industry="3311", above=None):
        for _ in range(n):
            OrganisationFactory(
                county=region(county), size_class=size, industry_id=industry or None, above_scale=above
            )

    make("610113", "small", 3, above=True)  # 西安 雁塔
    make("610113", "micro", 2, industry="5211")
    make("610112", "medium", 1, industry="1391", above=True)  # 西安 未央
    make("610302", "large", 4)  # 宝鸡 渭滨
    make("610403", "micro", 1, industry="")  # 杨凌示范区 杨陵区, no industry
    make("610581", "", 2)  # 韩城市 (a city-level unit and its own county), not classified


def size_row(body: str, name: str) -> list[int]:
    """Counts 大 中 小 微 未划型 合计 四上 of the region row ``name`` in the size-class table."""
    table = body.split("按企业规模")[1].split("</table>")[0]
    row = re.search(rf"<th scope=\"row\">(?:<a [^>]+>)?{name}(?:</a>)?</th>(.*?)</tr>", table, re.S).group(1)
    return [int(n.replace(",", "")) for n in re.findall(r">([\d,]+)<", row)]


def section_row(body: str, code: str) -> list[int]:
    table = body.split("按行业门类")[1].split("</table>")[0]
    row = re.search(rf'<span class="mono">{code}</span>[^<]*</th>(.*?)</tr>', table, re.S).group(1)
    return [int(n.replace(",", "")) for n in re.findall(r">([\d,]+)<", row)]


@pytest.mark.django_db
def test_the_province_page_rolls_counties_up_to_the_city_level_units(
    client, admin_user, orgs, django_assert_max_num_queries
):
    client.force_login(admin_user)

    with django_assert_max_num_queries(12):
        body = text(client.get("/regions/610000/"))

    assert size_row(body, "西安市") == [0, 1, 3, 2, 0, 6, 4]
    assert size_row(body, "宝鸡市") == [4, 0, 0, 0, 0, 4, 0]
    assert size_row(body, "杨凌示范区") == [0, 0, 0, 1, 0, 1, 0]
    assert size_row(body, "韩城市") == [0, 0, 0, 0, 2, 2, 0]
    assert "辖区内单位 13 家" in body and "四上企业 4 家" in body
    # sections: columns are the 12 city-level units (by code) then the total
    manufacturing = section_row(body, "C")
    assert manufacturing[-1] == 10 and sum(manufacturing[:-1]) == 10
    assert section_row(body, "F")[-1] == 2


@pytest.mark.django_db
def test_a_city_officer_sees_its_counties_and_not_the_province_or_another_city(client, xian_officer, orgs):
    client.force_login(xian_officer)

    assert client.get("/regions/").url == "/regions/610100/"
    body = text(client.get("/regions/610100/"))
    assert size_row(body, "雁塔区") == [0, 0, 3, 2, 0, 5, 3]
    assert size_row(body, "未央区") == [0, 1, 0, 0, 0, 1, 1]
    assert client.get("/regions/610000/").status_code == 404
    assert client.get("/regions/610300/").status_code == 404
    assert client.get("/regions/610302/").status_code == 404


@pytest.mark.django_db
def test_a_county_page_shows_the_county_itself(client, yanta_officer, orgs):
    client.force_login(yanta_officer)

    body = text(client.get("/regions/610113/"))

    assert size_row(body, "雁塔区") == [0, 0, 3, 2, 0, 5, 3]
    assert client.get("/regions/610112/").status_code == 404
