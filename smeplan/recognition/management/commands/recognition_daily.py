"""Daily recognition housekeeping: notify each notice's bureau once its public notice has ended;
mark certifications past their validity as expired; announce re-reviews that have come due;
create, remind and mark overdue the re-review and annual report tasks (``obligations``).

    python manage.py recognition_daily

Safe to run more than once a day: a notice is notified only once."""

from django.core.management.base import BaseCommand

from smeplan.recognition import services


class Command(BaseCommand):
    help = "每日提醒：公示期结束（可以办理认定）、认定到期、复核到期（每项只通知一次）"

    def handle(self, *args, **options):
        closed = services.notices_close_due()
        self.stdout.write(f"已结束的公示：{closed} 条已通知")
        due = services.certifications_due()
        self.stdout.write(f"已到期的认定：{due['expired']} 项；复核到期提醒：{due['review_due']} 项")
        from smeplan.recognition.obligations import obligations_due

        tasks = obligations_due()
        self.stdout.write(
            f"年度报告与复核任务：新建 {tasks['created']} 项，逾期 {tasks['overdue']} 项，"
            f"提醒 {tasks['reminded']} 项，建议撤销 {tasks['proposed']} 项"
        )
        from smeplan.campaigns.services import annual_report_campaigns_open

        added = annual_report_campaigns_open()
        self.stdout.write(f"年度报告数据填报：新增填报任务 {added} 项")
