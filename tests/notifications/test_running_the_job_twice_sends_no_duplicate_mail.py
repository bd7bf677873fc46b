"""The daily command run twice (cron twice, or beat and cron) reminds and mails each user once:
the mails arrive at a real SMTP server, in Chinese, with the full link."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from smeplan.notifications.models import OutgoingMail
from tests.notifications.make import DEADLINE, firm_with_task


@pytest.mark.django_db
def test_two_runs_one_mail_each(smtp):
    task, users = firm_with_task(users=2)
    _, (other,) = firm_with_task(campaign=task.campaign)
    day = (DEADLINE - dt.timedelta(days=1)).isoformat()

    out = io.StringIO()
    call_command("reminders_send", "--date", day, stdout=out)
    call_command("reminders_send", "--date", day, stdout=out)
    call_command("reminders_send", "--mail-only", stdout=out)

    assert sorted(smtp.inbox.to()) == sorted(u.email for u in [*users, other])
    assert set(smtp.inbox.subjects) == {
        "【陕西省中小企业行动计划管理系统】填报提醒：2026年度企业数据填报将于明天截止（2027-03-31），请及时填报并提交"
    }
    body = smtp.inbox.body(0)
    assert "请登录系统查看和办理" in body
    assert "https://smeplan.example.cn/campaigns/tasks/" in body
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 0
    assert OutgoingMail.objects.count() == 3
    report = out.getvalue()
    assert "填报任务 3 条" in report and "已发送 3 封" in report
    assert "填报任务 0 条" in report and "无新提醒" in report
