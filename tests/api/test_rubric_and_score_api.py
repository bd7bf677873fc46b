"""评分细则 and 评分结果 through the API, with the pages' services: a refused rubric answers 422 with
every reason and saves nothing; a saved one is listed as in force and shown; scores computed by a
bureau read back line by line; another county's bureau gets 404; an expert who declares a conflict
of interest through the API is not counted."""

from decimal import Decimal

import pytest

from smeplan.accounts.models import Role
from smeplan.indicators.models import AnnualFigures
from smeplan.programmes.models import RubricVersion
from smeplan.recognition import services
from smeplan.recognition.models import Application
from tests.factories import UserFactory, county_officer
from tests.recognition.make import YEAR, act, applicant, bureaus, submitted

pytestmark = pytest.mark.django_db

BASIS = "陕中企规发〔2017〕69号 中小企业成长梯队培育行动计划 四（一）"
DESIGN = {
    "max_total": 30,
    "pass_total": 20,
    "indicators": [
        {
            "code": "rd",
            "label": "研发强度（上一年度）",
            "max": 20,
            "unit": "percent",
            "basis": BASIS,
            "source": {"metric": "ratio.rd_ratio", "year": -1},
            "bands": [
                {"low": "0.05", "points": 20},
                {"low": "0.02", "high": "0.05", "points": 10},
                {"high": "0.02", "points": 0},
            ],
        },
        {
            "code": "growth",
            "label": "营业收入增速（上一年度）",
            "max": 10,
            "unit": "percent",
            "basis": BASIS,
            "source": {"metric": "growth.operating_revenue", "year": -1},
            "bands": [{"low": "0.1", "points": 10}, {"high": "0.1", "points": 0}],
        },
    ],
}


def _rubric(api, **changes):
    body = {"effective_year": 2020, "title": "成长梯队评分细则（测试）", "note": "接口新建", "design": DESIGN}
    return api.post("/programmes/growth-province/rubrics", {**body, **changes})


def test_a_refused_rubric_answers_every_reason_and_saves_nothing(api_as):
    officers = bureaus()
    before = RubricVersion.objects.count()
    bad = {**DESIGN, "pass_total": 40}
    response = _rubric(api_as(officers["province"]), title=" ", design=bad)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["title"] == ["请填写细则名称"]
    assert "评分细则：通过分数线 40 分高于满分 30 分" in errors["design"]
    assert _rubric(api_as(officers["county"])).status_code == 403
    assert RubricVersion.objects.count() == before


def test_a_saved_rubric_is_listed_in_force_and_shown(api_as):
    api = api_as(bureaus()["province"])
    response = _rubric(api)
    assert response.status_code == 201
    made = response.json()
    assert (made["title"], made["effective_year"], made["note"]) == (
        "成长梯队评分细则（测试）",
        2020,
        "接口新建",
    )
    assert RubricVersion.objects.get(pk=made["id"]).created_by.role == "provincial_admin"
    county = api_as(county_officer("610113"))
    listing = county.get("/programmes/growth-province/rubrics", {"year": YEAR}).json()
    assert listing["in_force_id"] == made["id"]
    assert [v["in_force"] for v in listing["items"] if v["id"] == made["id"]] == [True]
    assert (
        county.get("/programmes/growth-province/rubrics", {"year": 2019}).json()["in_force_id"] != made["id"]
    )
    shown = county.get(f"/programmes/rubrics/{made['id']}").json()
    assert shown["design"]["indicators"][0]["label"] == "研发强度（上一年度）"
    assert shown["aggregation"] == "各位专家评分的算术平均"


def _scored_world(api_as):
    officers = bureaus()
    assert _rubric(api_as(officers["province"])).status_code == 201
    org, user = applicant()
    AnnualFigures.objects.filter(organisation=org, year=YEAR - 1).update(
        rd_expense=250, operating_revenue=5000
    )
    AnnualFigures.objects.filter(organisation=org, year=YEAR - 2).update(operating_revenue=4545)
    return officers, submitted(user)


def test_computed_scores_read_back_line_by_line(api_as):
    officers, application = _scored_world(api_as)
    api = api_as(officers["county"])
    response = api.post("/recognition/scores/compute", {"programme": "growth-province", "year": YEAR})
    assert response.json() == {"count": 1, "message": "已计算 1 件申报的评分"}
    score = api.get(f"/recognition/applications/{application.pk}/score").json()
    assert (score["total"], score["outcome"]) == ("30", "达到分数要求")
    rd = score["lines"][0]
    assert (rd["indicator"], rd["value"], rd["band"], rd["points"]) == (
        "研发强度（上一年度）",
        "5%",
        "数值 ≥ 5%",
        "20",
    )
    assert rd["source"] == "研发强度（2023年度数据）" and rd["basis"] == BASIS
    listed = api.get("/recognition/scores", {"programme": "growth-province", "year": YEAR}).json()["items"]
    assert [(s["application_id"], s["outcome"]) for s in listed] == [(application.pk, "达到分数要求")]
    again = api.post("/recognition/scores/compute", {"application_ids": [application.pk]})
    assert again.json()["count"] == 1
    assert api.post("/recognition/scores/compute", {}).status_code == 422


def test_another_countys_bureau_gets_404_and_an_enterprise_403(api_as):
    officers, application = _scored_world(api_as)
    computed = api_as(officers["county"]).post(
        "/recognition/scores/compute", {"application_ids": [application.pk]}
    )
    assert computed.status_code == 200
    other = api_as(county_officer("610112"))
    assert other.get(f"/recognition/applications/{application.pk}/score").status_code == 404
    assert other.post("/recognition/scores/compute", {"application_ids": [application.pk]}).status_code == 404
    assert other.get("/recognition/scores", {"programme": "growth-province"}).json()["items"] == []
    owner = api_as(application.organisation.users.first())
    assert owner.get(f"/recognition/applications/{application.pk}/score").status_code == 403
    assert (
        owner.post("/recognition/scores/compute", {"programme": "growth-province", "year": YEAR}).status_code
        == 403
    )


def test_an_expert_who_declares_a_conflict_is_not_counted(api_as):
    officers = bureaus()
    application = submitted(applicant()[1], programme="transformation-demo", tier="demonstration")
    for level in ("county", "city"):
        application = act(officers[level], application, "recommend")
    application = act(officers["province"], application, "send_to_experts")
    experts = [UserFactory(role=Role.EXPERT, region=None) for _ in range(2)]
    first, second = services.experts_assign(
        actor=officers["province"], application=application, expert_ids=[e.pk for e in experts]
    )
    scorer, recused = api_as(experts[0]), api_as(experts[1])
    assert scorer.post(f"/recognition/expert/assignments/{first.pk}/declaration").status_code == 200
    sheet = {"transformation": 24, "innovation": 20, "performance": 20, "demonstration": 16}
    assert (
        scorer.post(f"/recognition/expert/assignments/{first.pk}/scores", {"scores": sheet}).status_code
        == 200
    )
    empty = recused.post(f"/recognition/expert/assignments/{second.pk}/conflict", {"note": " "})
    assert empty.status_code == 422 and "请说明利益冲突" in empty.json()["errors"]["conflict_note"][0]
    assert (
        scorer.post(f"/recognition/expert/assignments/{second.pk}/conflict", {"note": "x"}).status_code == 404
    )
    declared = recused.post(
        f"/recognition/expert/assignments/{second.pk}/conflict", {"note": "曾在该企业任职"}
    )
    assert declared.status_code == 200 and declared.json()["conflict_declared_at"]
    refused = recused.post(f"/recognition/expert/assignments/{second.pk}/scores", {"scores": sheet})
    assert refused.status_code == 422
    summary = services.expert_summary(application)
    assert (summary["count"], summary["mean"]) == (1, Decimal("80.00"))
    assert Application.objects.get(pk=application.pk).expert_score == Decimal("80.00")
