"""Two senders emptying the outbox at the same time (beat's schedule and a change's after-commit
send, or two workers) send every mail exactly once."""

import threading

import pytest
from django.db import connection

from smeplan.notifications.mail import compose, outbox_send
from smeplan.notifications.models import OutgoingMail


@pytest.mark.django_db(transaction=True)
def test_two_senders_each_mail_once(smtp):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent senders need separate database connections (PostgreSQL)")
    subject, body = compose("待办：测试企业的申报（县级审核）", "/applications/1/")
    OutgoingMail.objects.bulk_create(
        [OutgoingMail(to=f"officer{n}@example.cn", subject=subject, body=body) for n in range(240)]
    )
    results = []

    def sender():
        try:
            results.append(outbox_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert sum(r["sent"] for r in results) == 240 and all(r["failed"] == 0 for r in results)
    assert sorted(smtp.inbox.to()) == sorted(f"officer{n}@example.cn" for n in range(240))
    assert not OutgoingMail.objects.filter(sent_at__isnull=True).exists()
    assert set(OutgoingMail.objects.values_list("attempts", flat=True)) == {1}
