"""评分: the bureaus score the submitted applications of a programme and year in one run against the
rubric version in force; the scores are stored with their lines and explain themselves; a later
rubric version does not change them; one audit event per run; nothing outside the scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import AnnualFigures
from smeplan.programmes.models import Programme
from smeplan.programmes.services import rubric_version_create
from smeplan.recognition.models import ApplicationScore
from smeplan.recognition.scoring import applications_score, score_explanation
from tests.factories import county_officer, enterprise_user
from tests.recognition.make import YEAR, applicant, bureaus, submitted

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


def _figures(org, year, **values):
    AnnualFigures.objects.filter(organisation=org, year=year).update(**values)


@pytest.mark.django_db
def test_scores_are_stored_explained_and_kept_when_the_rubric_changes():
    officers = bureaus()
    programme = Programme.objects.get(code="growth-province")
    rubric_version_create(
        actor=officers["province"], programme=programme, design=DESIGN, effective_year=2020, title="测试细则"
    )
    first, user = applicant()
    _figures(first, YEAR - 1, rd_expense=250, operating_revenue=5000)  # exactly 5% → 20
    _figures(first, YEAR - 2, operating_revenue=4545)  # growth 10.01% → 10
    second, other = applicant()
    _figures(second, YEAR - 1, rd_expense=99, operating_revenue=5000)  # 1.98% → 0
    _figures(second, YEAR - 2, operating_revenue=None)  # growth missing → 数据不全
    a = submitted(user)
    b = submitted(other)
    events = AuditEvent.objects.filter(event_type="application.scored").count()
    assert applications_score(actor=officers["province"], programme=programme, year=YEAR) == 2
    assert AuditEvent.objects.filter(event_type="application.scored").count() == events + 1
    sa = ApplicationScore.objects.get(application=a)
    sb = ApplicationScore.objects.get(application=b)
    assert (str(sa.total), sa.outcome) == ("30.00", "passed")
    assert (str(sb.total), sb.outcome) == ("0.00", "incomplete")
    text = score_explanation(sa)
    rd = text["lines"][0]
    assert (rd["value"], rd["band"], rd["points"]) == ("5%", "数值 ≥ 5%", "20")
    assert rd["source"] == "研发强度（2023年度数据）" and rd["basis"] == BASIS
    assert score_explanation(sb)["missing"] == ["营业收入增速（上一年度）"]
    # a new version changes nothing stored until the next run
    rubric_version_create(
        actor=officers["province"],
        programme=programme,
        design={**DESIGN, "pass_total": 30},
        effective_year=2021,
        title="测试细则（修订）",
    )
    sa.refresh_from_db()
    assert sa.outcome == "passed" and sa.rubric_version.title == "测试细则"


@pytest.mark.django_db
def test_scoring_is_for_bureaus_and_within_their_scope():
    officers = bureaus()
    programme = Programme.objects.get(code="growth-province")
    rubric_version_create(
        actor=officers["province"], programme=programme, design=DESIGN, effective_year=2020, title="测试细则"
    )
    org, user = applicant()
    submitted(user)
    with pytest.raises(PermissionDenied):
        applications_score(actor=enterprise_user(org), programme=programme, year=YEAR)
    with pytest.raises(ValidationError, match="没有可评分的申报"):
        applications_score(actor=county_officer("610112"), programme=programme, year=YEAR)
    assert not ApplicationScore.objects.exists()
