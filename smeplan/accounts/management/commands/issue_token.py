"""python manage.py issue_token <username> [--name NAME] — 为用户签发 API 令牌（只显示一次）."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from smeplan.accounts.models import User
from smeplan.accounts.services import api_token_issue


class Command(BaseCommand):
    help = "为用户签发 API 令牌。令牌只显示这一次，系统仅保存其摘要。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="", help="令牌用途（如“统计数据同步”）")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在")
        try:
            token, raw_key = api_token_issue(actor=None, user=user, name=name)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(raw_key)
        self.stderr.write(
            f"已为用户“{user.username}”签发令牌 {token.prefix}…"
            f"{'（' + token.name + '）' if token.name else ''}。"
            "令牌只显示这一次，请妥善保存；调用接口时在请求头中提供：Authorization: Bearer <令牌>"
        )
