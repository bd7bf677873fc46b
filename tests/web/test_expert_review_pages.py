"""Expert review of a 转型升级示范企业 application: the province assigns experts on the detail page;
each expert sees only their own assignments, must declare no conflict of interest before scoring,
and the scores aggregate on the application's detail page."""

import re

import pytest

from smeplan.accounts.models import Role, User
from smeplan.recognition.models import ExpertAssignment, State
from tests.factories import UserFactory
from tests.recognition.make import act, applicant, bureaus, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

# points of the rubric version's expert indicators (30 / 25 / 25 / 20)
SCORES_A = {"transformation": "27", "innovation": "20", "performance": "17.5", "demonstration": "12"}
SCORES_B = {"transformation": "24", "innovation": "20", "performance": "20", "demonstration": "16"}


def _in_expert_review(officers, **org):
    _, user = applicant(**org)
    application = submitted(user, programme="transformation-demo", tier="demonstration")
    application = act(officers["county"], application, "recommend")
    application = act(officers["city"], application, "recommend")
    application = act(officers["province"], application, "send_to_experts")
    assert application.state == State.EXPERT_REVIEW
    return application


def _score(client, assignment, scores):
    return client.post(
        f"/recognition/expert/{assignment.pk}/",
        {"op": "score", "comment": "示范作用明显", **{f"score-{k}": v for k, v in scores.items()}},
        follow=True,
    )


def test_experts_see_their_own_assignments_declare_then_score(client):
    officers = bureaus()
    application = _in_expert_review(officers, name="示范评审甲有限公司")
    other = _in_expert_review(officers, name="示范评审乙有限公司")
    e1 = UserFactory(role=Role.EXPERT, region=None, first_name="王专家")
    e2 = UserFactory(role=Role.EXPERT, region=None, first_name="赵专家")

    client.force_login(officers["province"])
    page = text(client.get(f"/recognition/applications/{application.pk}/"))
    assert 'id="assign-experts"' in page
    client.post(f"/recognition/applications/{application.pk}/experts/", {"experts": [e1.pk, e2.pk]})
    client.post(f"/recognition/applications/{other.pk}/experts/", {"experts": [e2.pk]})
    mine = ExpertAssignment.objects.get(application=application, expert=e1)
    theirs = ExpertAssignment.objects.get(application=other, expert=e2)

    client.force_login(e1)
    listing = text(client.get("/recognition/expert/"))
    assert "示范评审甲有限公司" in listing and "示范评审乙有限公司" not in listing
    assert client.get(f"/recognition/expert/{theirs.pk}/").status_code == 404

    page = text(client.get(f"/recognition/expert/{mine.pk}/"))
    assert "声明无利益冲突" in page and 'id="score-form"' not in page
    body = text(_score(client, mine, SCORES_A))
    assert "请先声明与该企业无利益冲突" in body
    mine.refresh_from_db()
    assert mine.submitted_at is None

    client.post(f"/recognition/expert/{mine.pk}/", {"op": "declare"})
    page = text(client.get(f"/recognition/expert/{mine.pk}/"))
    assert 'id="score-form"' in page and "转型升级成效" in page and "“千企示范万企转型”行动计划" in page
    body = text(_score(client, mine, {**SCORES_A, "innovation": "26"}))
    assert "得分应在 0–25 分之间（收到 26）" in body
    body = text(_score(client, mine, SCORES_A))
    assert "评分已提交" in body and 'id="my-score">76.50' in body

    e2_assignment = ExpertAssignment.objects.get(application=application, expert=e2)
    client.force_login(e2)
    client.post(f"/recognition/expert/{e2_assignment.pk}/", {"op": "declare"})
    _score(client, e2_assignment, SCORES_B)

    client.force_login(officers["province"])
    page = re.sub(r"<[^>]+>", "", text(client.get(f"/recognition/applications/{application.pk}/")))
    assert (
        "已有 2 位专家提交评分，汇总得分 78.25（不足 3 位专家，未去掉最高最低分，按各位专家评分的算术平均）"
        in page
    )
    assert "最高与最低相差 3.50 分" in page

    # the enterprise does not see the experts' scores
    client.force_login(User.objects.get(organisation=application.organisation))
    page = text(client.get(f"/recognition/applications/{application.pk}/"))
    assert "汇总得分" not in page and "王专家" not in page
