"""评分细则 in the page: the provincial admin edits a new version from the newest one (bands as text,
sources from the metrics and the form's fields, rules as rows); a design that cannot work is refused
with the reasons and saves nothing; the version page states the bands with the convention."""

import re

import pytest

from smeplan.programmes.models import RubricVersion
from tests.factories import city_officer, province_admin
from tests.web.helpers import text

pytestmark = pytest.mark.django_db
B = "陕中企规发〔2017〕69号 “千企示范万企转型”行动计划 四（二）"


def form(**changes):
    data = {
        "title": "转型升级示范企业评分细则（2025 修订）",
        "effective_year": "2025",
        "note": "增加研发强度指标",
        "max_total": "100",
        "pass_total": "60",
        "aggregation": "trimmed_mean",
        "outlier_points": "15",
        "i-0-label": "转型升级成效", "i-0-max": "60", "i-0-kind": "expert", "i-0-basis": B,
        "i-0-unit": "", "i-0-method": "bands", "i-0-rule": "",
        "i-1-label": "研发强度（上一年度）", "i-1-max": "40", "i-1-kind": "metric", "i-1-metric": "ratio.rd_ratio",
        "i-1-year": "-1", "i-1-unit": "percent", "i-1-method": "bands", "i-1-rule": "≥5%:40；3%-5%:20；<3%:0",
        "i-1-basis": B,
        "r-0-list": "basic_conditions", "r-0-label": "上年度营业收入增长超过30%", "r-0-kind": "metric",
        "r-0-metric": "growth.operating_revenue", "r-0-year": "-1", "r-0-op": "gt", "r-0-value": "30%",
        "r-0-basis": B,
    }  # fmt: skip
    data.update(changes)
    return data


def test_the_admin_saves_a_new_version_and_sees_it(client):
    client.force_login(province_admin())
    page = text(client.get("/programmes/transformation-demo/rubrics/new/"))
    assert 'name="i-0-label" value="转型升级成效（技术改造、产品升级、模式创新）"' in page
    assert "研发强度" in page and "专家评分" in page
    before = RubricVersion.objects.filter(programme__code="transformation-demo").count()
    response = client.post("/programmes/transformation-demo/rubrics/new/", form())
    assert response.status_code == 302
    version = RubricVersion.objects.filter(programme__code="transformation-demo").order_by("-number").first()
    assert version.number == before + 1 and version.effective_year == 2025
    assert version.design["indicators"][1]["bands"] == [
        {"points": 40, "low": "0.05"},
        {"points": 20, "low": "0.03", "high": "0.05"},
        {"points": 0, "high": "0.03"},
    ]
    assert version.design["basic_conditions"][0]["test"]["value"] == "0.3"
    shown = text(client.get(response["Location"]))
    assert "5% ≤ 数值" not in shown and "数值 ≥ 5% → 40 分；3% ≤ 数值 < 5% → 20 分；数值 < 3% → 0 分" in shown
    assert "营业收入增速（上一年度） > 30%" in shown
    listing = text(client.get("/programmes/transformation-demo/rubrics/"))
    assert "转型升级示范企业评分细则（2025 修订）" in listing and "2025 年起" in listing


def test_a_design_that_cannot_work_is_refused_with_reasons(client):
    client.force_login(province_admin())
    before = RubricVersion.objects.count()
    response = client.post(
        "/programmes/transformation-demo/rubrics/new/",
        form(**{"i-1-rule": "≥5%:40；2%-6%:20；<2%:0", "pass_total": "120", "r-0-basis": ""}),
    )
    assert response.status_code == 400
    errors = re.findall(r"<li>(.*?)</li>", text(response).split('id="rubric-errors"')[1].split("</ul>")[0])
    assert "指标「研发强度（上一年度）」：分档「2% ≤ 数值 < 6%」与「数值 ≥ 5%」重叠" in errors
    assert "评分细则：通过分数线 120 分高于满分 100 分" in errors
    assert "基本条件「上年度营业收入增长超过30%」：请注明依据（文号和条款）" in errors
    assert RubricVersion.objects.count() == before


def test_only_provincial_admins_edit(client):
    client.force_login(city_officer())
    assert client.get("/programmes/transformation-demo/rubrics/new/").status_code == 403
    assert client.get("/programmes/transformation-demo/rubrics/").status_code == 200
