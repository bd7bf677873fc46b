"""python manage.py demo_self_service [--if-empty] — the self-service demo (after demo_recognition)."""

from django.core.management.base import BaseCommand, CommandError

from smeplan.registry.demo import DEFAULT_PASSWORD


class Command(BaseCommand):
    help = "为演示省份生成企业自助服务演示（待审核的企业注册、雁塔区数据填报及一家已提交）。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="已有数据填报时什么也不做")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="演示注册账号的密码")

    def handle(self, *args, **options):
        from smeplan.portal.demo import load_demo_self_service

        try:
            result = load_demo_self_service(
                if_empty=options["if_empty"], password=options["password"], say=self.stdout.write
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.get("skipped"):
            self.stdout.write("已有数据填报，未生成自助服务演示（--if-empty）。")
