"""Daily recognition housekeeping: notify each notice's bureau once its public notice has ended.

    python manage.py recognition_daily

Safe to run more than once a day: a notice is notified only once."""

from django.core.management.base import BaseCommand

from smeplan.recognition import services


class Command(BaseCommand):
    help = "公示期结束提醒：通知发布公示的部门可以办理认定（每条公示只通知一次）"

    def handle(self, *args, **options):
        closed = services.notices_close_due()
        self.stdout.write(f"已结束的公示：{closed} 条已通知")
