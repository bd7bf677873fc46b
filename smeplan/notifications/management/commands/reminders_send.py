"""The reminder job from cron, where there is no Celery broker:

    python manage.py reminders_send                     # daily: reminders of today, then the outbox
    python manage.py reminders_send --date 2027-03-24   # as if today were that day
    python manage.py reminders_send --mail-only         # every few minutes: send / retry the outbox

Idempotent: a second run the same day reminds no one again and sends no mail twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from smeplan.notifications.mail import outbox_send
from smeplan.notifications.models import OutgoingMail
from smeplan.notifications.reminders import reminders_run

STAGE_LABELS = {"opening": "任务开始", "due_7": "7天内截止", "due_1": "明天截止", "overdue": "已逾期"}


class Command(BaseCommand):
    help = "发送提醒（填报任务开始、7天/1天内截止、逾期；年度报告与复核的7天/1天提醒）并发送待发邮件"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期计算提醒（YYYY-MM-DD，默认今天）")
        parser.add_argument("--mail-only", action="store_true", help="只发送待发邮件（含失败重试）")

    def handle(self, *args, **options):
        if not options["mail_only"]:
            today = None
            if options["date"]:
                try:
                    today = dt.date.fromisoformat(options["date"])
                except ValueError:
                    raise CommandError("日期格式应为 YYYY-MM-DD，例如 2027-03-24") from None
            s = reminders_run(today=today)
            stages = "，".join(f"{STAGE_LABELS.get(k, k)} {v} 条" for k, v in sorted(s["by_stage"].items()))
            self.stdout.write(
                f"提醒：填报任务 {s['campaign_tasks']} 条，年度报告与复核 {s['obligations']} 条"
                f"（{stages or '无新提醒'}）；站内通知 {s['notifications']} 条，待发邮件 {s['mails']} 封"
            )
        sent = outbox_send()
        left = OutgoingMail.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(f"邮件：已发送 {sent['sent']} 封，失败 {sent['failed']} 封；尚未发出 {left} 封")
