"""python manage.py demo_targets [--if-empty] — demo lists of past years (after demo_province)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "为演示省份逐年生成历年认定名单（梯队、转型升级库、示范企业）：只认定当年符合认定条件的企业，"
        "每年测评调整梯队、终止不再符合条件的认定，有效期届满的记为已到期。供目标进度、地图、图表和综合测评演示。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="已加载时什么也不做")

    def handle(self, *args, **options):
        from smeplan.targets.demo import load_demo_targets

        try:
            result = load_demo_targets(if_empty=options["if_empty"], say=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.get("skipped"):
            self.stdout.write("演示历年名单已存在，未重复生成（--if-empty）。")
