"""python manage.py demo_logins — print the demo logins (after demo_province)."""

from django.core.management.base import BaseCommand

from smeplan.registry.demo import DEFAULT_PASSWORD

#: (username, what to show in 区域 when the user has no region)
SHOWN = ("prov_admin", "prov_officer", "viewer", "expert", "city_610100", "county_610113", "ent_1")


class Command(BaseCommand):
    help = "列出演示账号（角色、用户名、区域）。演示密码仅供演示使用。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="加载时使用的演示密码；与演示账号一致时才显示（默认 %(default)s）",
        )

    def handle(self, *args, **options):
        from smeplan.accounts.models import User

        users = {
            u.username: u
            for u in User.objects.filter(username__in=SHOWN).select_related("region", "organisation")
        }
        if not users:
            self.stdout.write("尚未加载演示数据（python manage.py demo_province）。")
            return
        rows = []
        for username in SHOWN:
            user = users.get(username)
            if user is None:
                continue
            where = user.region.name if user.region else user.organisation.name if user.organisation else "—"
            rows.append((user.get_role_display(), username, where))
        widths = [max(_width(r[i]) for r in [("角色", "用户名", "区域"), *rows]) for i in range(3)]
        self.stdout.write("演示账号：")
        for row in [("角色", "用户名", "区域"), *rows]:
            self.stdout.write(
                "  " + "  ".join(_pad(text, w) for text, w in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write(
            "  其余：市级单位 city_<区划代码>（如 city_610300 宝鸡市、city_619900 杨凌示范区），"
            "县级 county_<区划代码>（如 county_610302 渭滨区），企业用户 ent_1 … ent_5。"
        )
        any_user = next(iter(users.values()))
        if any_user.check_password(options["password"]):
            self.stdout.write(f"密码：{options['password']}（演示密码仅供演示使用）")
        else:
            self.stdout.write("密码：加载演示数据时 --password 指定的密码（演示密码仅供演示使用）")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
