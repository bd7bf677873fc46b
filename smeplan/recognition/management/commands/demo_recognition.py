"""python manage.py demo_recognition [--if-empty] — the demo workflow (after demo_province)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "为演示省份生成演示认定流程（筛选、推荐、审核、公示、异议、认定、专家评审）。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="已有申报时什么也不做")

    def handle(self, *args, **options):
        from smeplan.recognition.demo import load_demo_recognition

        try:
            result = load_demo_recognition(if_empty=options["if_empty"], say=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.get("skipped"):
            self.stdout.write("已有认定申报，未生成演示流程（--if-empty）。")
