"""Notifications: the next bureau when an item arrives in its queue, the applicant when it is
returned, by e-mail too where configured (sent only once the change is committed)."""

import pytest
from django.core import mail

from smeplan.recognition.models import Notification
from tests.factories import UserFactory, region
from tests.recognition.make import act, applicant, bureaus, submitted


@pytest.mark.django_db
def test_next_bureau_and_applicant_are_notified():
    officers = bureaus()
    _, user = applicant()
    application = submitted(user)
    assert Notification.objects.filter(user=officers["county"], kind="queue").count() == 1
    act(officers["county"], application, "recommend")
    assert Notification.objects.filter(user=officers["city"], kind="queue").count() == 1
    (approved,) = Notification.objects.filter(user=user, kind="approved")  # the applicant hears of it
    assert "已通过审核，当前：市级审核" in approved.title
    act(officers["city"], application, "return", "请补充近三年纳税证明")
    (returned,) = Notification.objects.filter(user=user, kind="returned")
    assert "请补充近三年纳税证明" in returned.title
    assert not Notification.objects.filter(
        user=UserFactory(role="county_officer", region=region("610302"))
    ).exists()


@pytest.mark.django_db
def test_email_is_sent_after_commit_when_enabled(settings, django_capture_on_commit_callbacks):
    settings.SMEPLAN_NOTIFY_BY_EMAIL = True
    officers = bureaus()
    officers["county"].email = "county@example.org"
    officers["county"].save()
    with django_capture_on_commit_callbacks(execute=True):
        submitted(applicant()[1])
    assert [m.to for m in mail.outbox] == [["county@example.org"]]
    assert "待办" in mail.outbox[0].subject
