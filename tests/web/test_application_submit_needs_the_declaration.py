"""Submitting without ticking the declaration: the form is saved, nothing is submitted, and the page
says why."""

import pytest

from smeplan.recognition import services
from smeplan.recognition.models import State
from tests.factories import tier_of
from tests.recognition.make import YEAR, applicant
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_missing_declaration_is_refused_with_a_message(client):
    _, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    client.force_login(user)
    response = client.post(
        f"/recognition/applications/{application.pk}/edit/",
        {"version": str(application.lock_version), "main_products": "工业阀门", "op": "submit"},
    )
    body = text(response)
    assert response.status_code == 200
    assert "未能提交" in body and "请先勾选并确认《真实性承诺》" in body
    application.refresh_from_db()
    assert application.state == State.DRAFT and application.submitted_at is None
    assert application.events.filter(action="submit").count() == 0


def test_a_field_error_is_shown_beside_the_field_and_nothing_is_saved(client):
    _, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    client.force_login(user)
    response = client.post(
        f"/recognition/applications/{application.pk}/edit/",
        {
            "version": str(application.lock_version),
            "main_products": "工业阀门",
            "contact_phone": "打电话",
            "figures-2024-employees": "-3",
            "op": "save",
        },
    )
    body = text(response)
    assert 'id="id_contact_phone-errors"' in body and "联系电话格式不正确" in body
    assert 'id="id_figures-2024-employees-errors"' in body
    assert 'value="打电话"' in body, "the user's input is kept"
    application.refresh_from_db()
    assert application.form.get("main_products", "") == ""
