"""Scoring reads the applicants' answers (choices, yes/no, multi-choice, numbers, text with quotes
and backslashes) the same way on SQLite and PostgreSQL, with figures combined (net profit ÷ revenue),
and the explanation shows the answers as the applicant gave them."""

import pytest

from smeplan.indicators.models import AnnualFigures
from smeplan.programmes.models import Programme
from smeplan.programmes.services import rubric_version_create
from smeplan.recognition.models import Application, ApplicationScore
from smeplan.recognition.scoring import applications_score, score_explanation
from tests.recognition.make import YEAR, applicant, bureaus, submitted

B = "工信部企业〔2022〕63号 附件2 二"
DESIGN = {
    "max_total": 30,
    "pass_total": 10,
    "indicators": [
        {
            "code": "ip",
            "label": "知识产权",
            "max": 5,
            "basis": B,
            "source": {"answer": "ip_class"},
            "choices": {"i_high": 5, "none": 0},
        },
        {
            "code": "chain",
            "label": "产业链配套",
            "max": 5,
            "basis": B,
            "source": {"answer": "key_chain"},
            "choices": {"true": 5, "false": 0},
        },
        {
            "code": "quality",
            "label": "质量管理",
            "max": 5,
            "basis": B,
            "source": {"answer": "quality"},
            "overriding": {"award": 5},
            "each": {"iso": 3, "brand": 3},
        },
        {
            "code": "niche",
            "label": "细分市场年限",
            "max": 5,
            "basis": B,
            "unit": "years",
            "source": {"answer": "niche"},
            "per": {"step": 2, "points": 1},
        },
        {
            "code": "margin",
            "label": "净利润率",
            "max": 5,
            "basis": B,
            "unit": "percent",
            "source": {"ratio": [{"answer": "net_profit"}, {"metric": "operating_revenue", "year": -1}]},
            "bands": [
                {"low": "0.1", "points": 5},
                {"low": "0.02", "high": "0.1", "points": 2},
                {"high": "0.02", "points": 0},
            ],
        },
        {
            "code": "motto",
            "label": "企业口号",
            "max": 5,
            "basis": B,
            "source": {"answer": "motto"},
            "choices": {'说"专精特新"\\就是好': 5},
        },
    ],
    "exclusions": [
        {
            "code": "listed",
            "label": "失信名单",
            "basis": B,
            "test": {"source": {"answer": "abnormal_list"}, "op": "true"},
        }
    ],
}
ANSWERS = {
    "ip_class": "i_high",
    "key_chain": True,
    "quality": ["iso", "brand"],
    "niche": 5,
    "net_profit": "500.00",
    "motto": '说"专精特新"\\就是好',
    "abnormal_list": False,
}


@pytest.mark.django_db
def test_answers_are_scored_and_explained():
    officers = bureaus()
    programme = Programme.objects.get(code="growth-province")
    rubric_version_create(
        actor=officers["province"], programme=programme, design=DESIGN, effective_year=2020, title="答案计分"
    )
    org, user = applicant()
    AnnualFigures.objects.filter(organisation=org, year=YEAR - 1).update(operating_revenue=5000)
    application = submitted(user)
    Application.objects.filter(pk=application.pk).update(form={**application.form, **ANSWERS})
    applications_score(actor=officers["province"], applications=[application])
    stored = ApplicationScore.objects.get(application=application)
    # 5 + 5 + 5 (3 + 3, capped) + 2 (5 years) + 5 (500 / 5000 = 10%) + 5
    assert (str(stored.total), stored.outcome) == ("27.00", "passed")
    lines = {x["label"]: x for x in score_explanation(stored)["lines"]}
    assert lines["净利润率"]["value"] == "10%" and lines["净利润率"]["band"] == "数值 ≥ 10%"
    assert lines["细分市场年限"]["value"] == "5年" and lines["细分市场年限"]["points"] == "2"
    assert lines["产业链配套"]["value"] == "是" and lines["质量管理"]["value"] == "iso、brand"
    assert lines["企业口号"]["points"] == "5"
