"""An expert sees and scores only their own assignments (and only the applications assigned)."""

import pytest

from smeplan.accounts.models import Role
from smeplan.recognition import services
from smeplan.recognition.models import Application, State
from tests.factories import UserFactory
from tests.recognition.make import act, applicant, bureaus, submitted

pytestmark = pytest.mark.django_db


def _in_expert_review(officers):
    _, user = applicant()
    application = submitted(user, programme="transformation-demo", tier="demonstration")
    application = act(officers["county"], application, "recommend")
    application = act(officers["city"], application, "recommend")
    return act(officers["province"], application, "send_to_experts")


def test_expert_sees_only_own_assignments(api_as):
    officers = bureaus()
    mine, other = _in_expert_review(officers), _in_expert_review(officers)
    me = UserFactory(role=Role.EXPERT, region=None)
    colleague = UserFactory(role=Role.EXPERT, region=None)
    province = api_as(officers["province"])
    response = province.post(f"/recognition/applications/{mine.pk}/experts", {"expert_ids": [me.pk]})
    assert response.status_code == 201, response.content
    services.experts_assign(actor=officers["province"], application=other, expert_ids=[colleague.pk])
    (theirs,) = other.expert_assignments.all()

    api = api_as(me)
    (assignment,) = api.get("/recognition/expert/assignments").json()["items"]
    assert assignment["application_id"] == mine.pk and assignment["rubric"]
    assert [a["id"] for a in api.get("/recognition/applications").json()["items"]] == [mine.pk]
    assert api.get(f"/recognition/applications/{other.pk}").status_code == 404
    assert api.post(f"/recognition/expert/assignments/{theirs.pk}/declaration").status_code == 404
    assert api.post(f"/recognition/expert/assignments/{theirs.pk}/scores", {"scores": {}}).status_code == 404

    url = f"/recognition/expert/assignments/{assignment['id']}"
    response = api.post(f"{url}/scores", {"scores": {}})
    assert response.status_code == 422 and "请先声明与该企业无利益冲突" in response.content.decode()
    assert api.post(f"{url}/declaration").json()["no_conflict_declared_at"]
    scores = {item["code"]: item["max"] * 0.8 for item in assignment["rubric"]}  # 80% of 30/25/25/20
    response = api.post(f"{url}/scores", {"scores": scores, "comment": "创新能力突出"})
    assert response.status_code == 200, response.content
    assert response.json()["score"] == "80.00"
    assert Application.objects.get(pk=mine.pk).expert_score == 80
    assert Application.objects.get(pk=mine.pk).state == State.EXPERT_REVIEW
    # a bureau user has no assignments of its own
    assert province.get("/recognition/expert/assignments").status_code == 403
