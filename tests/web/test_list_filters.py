import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names, text


@pytest.fixture
def orgs(db):
    OrganisationFactory(
        name="甲 雁塔 工业 小型 四上",
        county=region("610113"),
        industry_id="3311",
        size_class="small",
        above_scale=True,
    )
    OrganisationFactory(
        name="乙 未央 食品 微型 非四上",
        county=region("610112"),
        industry_id="1391",
        size_class="micro",
        above_scale=False,
    )
    OrganisationFactory(
        name="丙 渭滨 零售 未划型",
        county=region("610302"),
        industry_id="5211",
        size_class="",
        above_scale=None,
    )
    OrganisationFactory(
        name="丁 雁塔 服务机构",
        county=region("610113"),
        industry_id="7212",
        kind="service_agency",
        size_class="medium",
        above_scale=True,
    )


def names(client, **params):
    return sorted(row_names(client.get("/organisations/", params)))


@pytest.mark.django_db
def test_each_filter_narrows_the_list(client, admin_user, orgs):
    client.force_login(admin_user)

    assert names(client, city="610100") == [
        "丁 雁塔 服务机构",
        "乙 未央 食品 微型 非四上",
        "甲 雁塔 工业 小型 四上",
    ]
    assert names(client, city="610100", county="610112") == ["乙 未央 食品 微型 非四上"]
    assert names(client, section="C") == ["乙 未央 食品 微型 非四上", "甲 雁塔 工业 小型 四上"]
    assert names(client, section="C", division="33") == ["甲 雁塔 工业 小型 四上"]
    assert names(client, size_class="micro") == ["乙 未央 食品 微型 非四上"]
    assert names(client, size_class="unknown") == ["丙 渭滨 零售 未划型"]
    assert names(client, above_scale="1") == ["丁 雁塔 服务机构", "甲 雁塔 工业 小型 四上"]
    assert names(client, above_scale="0") == ["乙 未央 食品 微型 非四上"]
    assert names(client, above_scale="unknown") == ["丙 渭滨 零售 未划型"]
    assert names(client, kind="service_agency") == ["丁 雁塔 服务机构"]


@pytest.mark.django_db
def test_a_filter_cannot_widen_the_users_scope(client, yanta_officer, orgs):
    client.force_login(yanta_officer)

    assert names(client, county="610302") == []
    assert names(client, city="610300") == []
    assert names(client) == ["丁 雁塔 服务机构", "甲 雁塔 工业 小型 四上"]


@pytest.mark.django_db
def test_county_choices_are_the_chosen_citys_counties_within_scope(client, admin_user, xian_officer, orgs):
    client.force_login(admin_user)
    body = text(client.get("/organisations/"))
    assert "请先选择市级单位" in body  # the province picks a city first
    body = text(client.get("/organisations/", {"city": "610300"}))
    assert '<option value="610302">渭滨区</option>' in body
    assert '<option value="610113">' not in body

    client.force_login(xian_officer)
    body = text(client.get("/organisations/"))
    assert '<option value="610113">雁塔区</option>' in body
    assert '<option value="610302">' not in body  # 宝鸡's counties are outside 西安's scope
    assert 'name="city"' not in body  # one city-level unit: no city filter to choose from
