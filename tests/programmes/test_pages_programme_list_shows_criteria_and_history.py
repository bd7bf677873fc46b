"""认定条件与筛选: every programme and tier with the criteria in force this year in words, and each
tier's version history (who, when, effective year, note)."""

import pytest

from smeplan.programmes.services import criteria_version_create
from tests.factories import county_officer, province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_tiers_show_their_criteria_in_words(client):
    client.force_login(county_officer())

    body = client.get("/programmes/").content.decode()

    for name in ("省级中小企业成长梯队", "行业之星", "成长之星", "创业之星", "转型升级企业库"):
        assert name in body
    assert "营业收入增速 &gt; 同行业平均（连续 2 年）" in body
    assert "营业收入增速 &gt; 30%" in body
    assert "细分市场占有率" in body or "在全国、全省和本区域同行业的市场份额较高（由审核人员核实）" in body


def test_a_new_version_appears_in_the_history_with_who_and_why(client):
    admin = province_admin(username="sheng_admin")
    tier = tier_of("transformation", "upgrade_library")
    criteria_version_create(
        actor=admin,
        tier=tier,
        effective_year=2020,
        criteria=[{"metric": "growth.operating_revenue", "operator": "gt", "threshold": "0.25"}],
        note="门槛提高到 25%",
    )
    client.force_login(county_officer())

    body = client.get("/programmes/").content.decode()

    section = body.split(f'id="tier-{tier.pk}"', 1)[1].split('class="tier"', 1)[0]
    assert "第 2 版（2020 年起）" in section
    assert "营业收入增速 &gt; 25%" in section
    assert "门槛提高到 25%" in section and "sheng_admin" in section
    assert "按文件初始设置" in section  # version 1 is still listed


def test_only_admins_see_the_edit_button(client):
    client.force_login(county_officer())
    assert "修改条件" not in client.get("/programmes/").content.decode()
    client.force_login(province_admin())
    assert "修改条件" in client.get("/programmes/").content.decode()
