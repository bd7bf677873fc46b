"""GET /regions (the bureau tree), /regions/{code} and /industries."""

import pytest

from tests.factories import county_officer, province_admin

pytestmark = pytest.mark.django_db


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def test_region_tree_follows_the_bureau_hierarchy(api_as):
    tree = api_as(county_officer("610113")).get("/regions").json()
    assert [n["code"] for n in tree] == ["610000"]
    province = tree[0]
    cities = {n["name"]: n for n in province["children"]}
    assert len(cities) == 12 and {"杨凌示范区", "韩城市"} <= set(cities)
    assert [c["code"] for c in cities["杨凌示范区"]["children"]] == ["610403"]
    assert cities["韩城市"]["is_county"] is True
    nodes = list(walk(tree))
    assert len(nodes) == 1 + 12 + 107 - 1  # 韩城市 is a city-level unit and its own county: one node
    assert sum(n["is_county"] for n in nodes) == 107
    in_scope = {n["code"] for n in nodes if n["in_scope"]}
    assert in_scope == {"610113"}


def test_region_detail(api_as):
    client = api_as(province_admin())
    xian = client.get("/regions/610100").json()
    assert xian["name"] == "西安市" and xian["level"] == "city" and xian["parent"] == "610000"
    assert "610113" in {c["code"] for c in xian["children"]} and xian["in_scope"] is True
    missing = client.get("/regions/999999")
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]


def test_industries_filters(api_as):
    client = api_as(county_officer())
    sections = client.get("/industries", {"level": "section"}).json()
    assert len(sections) == 20 and sections[0]["code"] == "A"
    c_divisions = client.get("/industries", {"level": "division", "section": "c"}).json()
    assert all(d["section"] == "C" for d in c_divisions) and "33" in {d["code"] for d in c_divisions}
    found = client.get("/industries", {"q": "软件开发"}).json()
    assert {"651", "6511"} <= {i["code"] for i in found}
    assert client.get("/industries", {"q": "3311"}).json()[0]["name"] == "金属结构制造"
    assert client.get("/industries", {"level": "bogus"}).status_code == 422
