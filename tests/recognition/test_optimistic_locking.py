"""Two officers act on the same application at once: the second is refused, nothing is lost."""

import pytest

from smeplan.accounts.models import Role
from smeplan.recognition import services
from smeplan.recognition.models import State
from tests.factories import UserFactory, region
from tests.recognition.make import applicant, submitted


@pytest.mark.django_db
def test_second_officer_acting_on_a_stale_version_gets_a_conflict_and_changes_nothing():
    _, user = applicant()
    first = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    second = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    application = submitted(user)
    seen_by_both = application.lock_version
    services.application_act(
        actor=first, application=application, action="recommend", expected_version=seen_by_both
    )
    with pytest.raises(services.ApplicationConflict) as refused:
        services.application_act(
            actor=second,
            application=application,
            action="reject",
            expected_version=seen_by_both,
            reason="不符合",
        )
    assert "已被" in refused.value.messages[0] and "刷新" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW  # the first officer's recommendation stands
    assert application.decision_reason == ""
    assert [e.action for e in application.events.all()][-1] == "recommend"


@pytest.mark.django_db
def test_bulk_action_with_one_stale_item_changes_none():
    officer = UserFactory(role=Role.COUNTY_OFFICER, region=region("610113"))
    a = submitted(applicant()[1])
    b = submitted(applicant()[1])
    with pytest.raises(services.ValidationError) as refused:
        services.applications_act(
            actor=officer, items=[(a.pk, a.lock_version), (b.pk, b.lock_version - 1)], action="recommend"
        )
    assert b.organisation.name in refused.value.messages[0]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, b.state) == (State.COUNTY_REVIEW, State.COUNTY_REVIEW)
