"""The expert assignment form says why it offers nobody: every expert account is already assigned
(not "没有可指派的评审专家账号" while one is assigned), or there is no expert account at all."""

import pytest

from smeplan.accounts.models import Role
from tests.factories import UserFactory
from tests.recognition.make import act, applicant, bureaus, submitted
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def _in_expert_review(officers):
    _, user = applicant()
    application = submitted(user, programme="transformation-demo", tier="demonstration")
    for level, action in (("county", "recommend"), ("city", "recommend"), ("province", "send_to_experts")):
        application = act(officers[level], application, action)
    return application


def test_when_the_only_expert_is_assigned_the_page_says_all_are_assigned(client):
    officers = bureaus()
    application = _in_expert_review(officers)
    expert = UserFactory(role=Role.EXPERT, region=None, first_name="王专家")
    client.force_login(officers["province"])
    client.post(f"/recognition/applications/{application.pk}/experts/", {"experts": [expert.pk]})

    page = text(client.get(f"/recognition/applications/{application.pk}/"))

    assert "王专家" in page.split('id="experts"')[1]
    assert "全部 1 位评审专家均已指派，没有其他可指派的专家。" in page
    assert "没有可指派的评审专家账号" not in page and "还没有评审专家账号" not in page


def test_without_any_expert_account_the_page_says_how_to_add_one(client):
    officers = bureaus()
    application = _in_expert_review(officers)
    client.force_login(officers["province"])

    page = text(client.get(f"/recognition/applications/{application.pk}/"))

    assert "系统中还没有评审专家账号：请省级管理员在后台管理中新建角色为“评审专家”的用户。" in page


def test_unassigned_experts_are_offered(client):
    officers = bureaus()
    application = _in_expert_review(officers)
    first = UserFactory(role=Role.EXPERT, region=None, first_name="王专家")
    UserFactory(role=Role.EXPERT, region=None, first_name="赵专家")
    client.force_login(officers["province"])
    client.post(f"/recognition/applications/{application.pk}/experts/", {"experts": [first.pk]})

    form = text(client.get(f"/recognition/applications/{application.pk}/")).split('id="assign-experts"')[1]

    assert "赵专家" in form.split("</form>")[0] and "王专家" not in form.split("</form>")[0]
    assert 'id="no-more-experts"' not in form.split("</form>")[0]
