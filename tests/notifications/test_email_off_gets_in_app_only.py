"""A user who turned notification e-mails off (or has no address) is still notified in the system,
but gets no mail; a colleague who wants mail gets it."""

import datetime as dt

import pytest

from smeplan.notifications.mail import outbox_send
from smeplan.notifications.models import OutgoingMail
from smeplan.recognition.models import Notification
from tests.factories import enterprise_user
from tests.notifications.make import OPENS, firm_with_task, run


@pytest.mark.django_db
def test_setting_off_means_in_app_only(smtp):
    task, (wants, quiet) = firm_with_task(users=2)
    quiet.email_notifications = False
    quiet.save()
    no_address = enterprise_user(task.organisation, email="")

    summary = run(OPENS + dt.timedelta(days=1))
    outbox_send()

    assert summary["notifications"] == 3 and summary["mails"] == 1
    for user in (wants, quiet, no_address):
        assert Notification.objects.filter(user=user, kind="reminder").count() == 1
    assert smtp.inbox.to() == [wants.email]
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == [wants.email]
