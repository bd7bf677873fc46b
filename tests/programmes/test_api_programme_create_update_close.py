"""/api/v1/programmes: the list and detail carry plan, 依据条款, level, owning city, subject kind and
state; create, update, close and reopen through the page's services, with the same Chinese refusals
(422) and permissions (403)."""

import pytest

from smeplan.programmes.models import Programme
from tests.api.conftest import api_as  # noqa: F401 - fixture
from tests.factories import city_officer, county_officer, province_admin

pytestmark = pytest.mark.django_db

BODY = {
    "code": "quality-sme",
    "name": "陕西省质量标杆中小企业",
    "plan": "brand",
    "source": "某文件〔2024〕1号《质量标杆企业认定办法》",
    "basis_clause": "第五条",
    "owner_level": "province",
    "tiers": [["benchmark", "质量标杆企业"]],
}


def test_the_list_carries_the_new_fields(api_as):  # noqa: F811
    data = {p["code"]: p for p in api_as(county_officer()).get("/programmes").json()}
    demo = data["transformation-demo"]
    assert (demo["plan"], demo["plan_label"], demo["state"]) == ("transformation", "千企示范万企转型", "open")
    assert demo["basis_clause"] == "“千企示范万企转型”行动计划 四（二）（四）"
    assert (demo["subject_kind"], demo["owner_region"], demo["closed_at"]) == ("enterprise", None, None)


def test_create_update_close_and_reopen(api_as):  # noqa: F811
    api = api_as(province_admin())
    created = api.post("/programmes", BODY)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["tiers"][0]["name"] == "质量标杆企业"
    updated = api.put(f"/programmes/{pk}", {**BODY, "name": "陕西省质量标杆企业", "tiers": []})
    assert updated.status_code == 200 and updated.json()["name"] == "陕西省质量标杆企业"
    closed = api.post(f"/programmes/{pk}/close", {"note": "停止受理"})
    assert closed.json()["state"] == "closed"
    assert api.get(f"/programmes/{pk}").json()["state"] == "closed"
    assert api.post(f"/programmes/{pk}/reopen").json()["state"] == "open"


def test_refusals_are_chinese_and_write_nothing(api_as):  # noqa: F811
    api = api_as(province_admin())
    response = api.post("/programmes", {**BODY, "code": "growth-city", "plan": "moon"})
    assert response.status_code == 422
    text = str(response.json())
    assert (
        "项目代码「growth-city」已被「市级中小企业成长梯队」使用" in text and "所属行动计划“moon”无效" in text
    )
    assert api_as(county_officer()).post("/programmes", BODY).status_code == 403
    city = api_as(city_officer("610100")).post("/programmes", BODY)
    assert city.status_code == 422
    assert "市级工作人员只能建立和管理本市（区）的市级、县级认定项目" in str(city.json())
    assert not Programme.objects.filter(code="quality-sme").exists()
