"""demo_recognition lays out a workflow in every state through the real services, once."""

import io

import pytest
from django.core.management import call_command

from smeplan.accounts.models import User
from smeplan.recognition.models import Application, Certification, Objection, PublicNotice, State
from smeplan.recognition.selectors import queue_for


@pytest.mark.django_db
def test_demo_workflow_has_items_in_every_queue_and_runs_once():
    call_command(
        "demo_province",
        enterprises=3000,
        first_year=2021,
        last_year=2024,
        password="pw-demo-123",
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("demo_recognition", if_empty=True, stdout=out)
    assert "演示认定流程" in out.getvalue()
    states = set(Application.objects.values_list("state", flat=True))
    assert {
        State.DRAFT,
        State.COUNTY_REVIEW,
        State.CITY_REVIEW,
        State.SELECTED,
        State.ON_NOTICE,
        State.CERTIFIED,
        State.EXPERT_REVIEW,
    } <= states
    assert Certification.objects.count() == 4
    assert PublicNotice.objects.count() == 2 and Objection.objects.count() == 1
    for username in ("county_610113", "city_610100", "prov_admin"):
        assert queue_for(User.objects.get(username=username)).exists(), username
    before = Application.objects.count()
    call_command("demo_recognition", if_empty=True, stdout=io.StringIO())
    assert Application.objects.count() == before
