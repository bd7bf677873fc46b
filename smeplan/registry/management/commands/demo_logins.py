"""python manage.py demo_logins — print the demo logins and what each does in the demo's story.

After ``demo_province`` (and ``demo_recognition``): the accounts, then the steps of ``ent_1``'s
application from its county to the certificate — the county, city and provincial logins printed
are those of ``ent_1``'s own review chain, read from the database — and what the other enterprise
users, the expert and the viewer find."""

from django.core.management.base import BaseCommand

from smeplan.registry.demo import DEFAULT_PASSWORD

#: Bureau accounts of the table (the city and county logins are those of ent_1's review chain)
BUREAU = ("prov_admin", "prov_officer", "viewer", "expert")
ENTERPRISES = tuple(f"ent_{n}" for n in range(1, 6))


class Command(BaseCommand):
    help = "列出演示账号（角色、用户名、区域）和演示流程中各账号的操作。演示密码仅供演示使用。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="加载时使用的演示密码；与演示账号一致时才显示（默认 %(default)s）",
        )

    def handle(self, *args, **options):
        from smeplan.accounts.models import User

        enterprise_users = {
            u.username: u
            for u in User.objects.filter(username__in=ENTERPRISES).select_related("organisation__county")
        }
        first = enterprise_users.get("ent_1")
        application = _latest_application(first) if first else None
        chain = application.chain if application else None
        if chain:
            county_code = chain[0][1]
            city_code = next((code for level, code in chain if level == "city"), None)
        else:  # no workflow yet: the county and city of ent_1's firm
            county = first.organisation.county if first and first.organisation_id else None
            county_code = county.code if county else "610113"
            city_code = county.city_level_unit_code() if county else "610100"
        shown = [*BUREAU, f"city_{city_code}", f"county_{county_code}"]
        users = {u.username: u for u in User.objects.filter(username__in=shown).select_related("region")}
        if not users and not enterprise_users:
            self.stdout.write("尚未加载演示数据（python manage.py demo_province）。")
            return
        rows = []
        for username in shown:
            user = users.get(username)
            if user is not None:
                rows.append((user.get_role_display(), username, user.region.name if user.region else "—"))
        for username in ENTERPRISES:
            user = enterprise_users.get(username)
            if user is not None and user.organisation_id:
                where = f"{user.organisation.name}（{user.organisation.county.name}）"
                rows.append((user.get_role_display(), username, where))
        self.stdout.write("演示账号：")
        self._table([("角色", "用户名", "区域 / 单位"), *rows])

        if application is None:
            self.stdout.write("（尚未生成演示认定流程：python manage.py demo_recognition）")
        else:
            self._story(application, users, enterprise_users)
        self._self_service()
        self.stdout.write(
            "  其余：市级单位 city_<区划代码>（如 city_610300 宝鸡市、city_619900 杨凌示范区），"
            "县级 county_<区划代码>（如 county_610302 渭滨区）。"
        )
        any_user = next(iter(users.values()), None) or next(iter(enterprise_users.values()))
        if any_user.check_password(options["password"]):
            self.stdout.write(f"密码：{options['password']}（演示密码仅供演示使用）")
        else:
            self.stdout.write("密码：加载演示数据时 --password 指定的密码（演示密码仅供演示使用）")

    def _story(self, application, users, enterprise_users) -> None:
        from smeplan.accounts.models import User
        from smeplan.recognition.workflow import ACTION_LABELS
        from smeplan.regions.models import Region

        programme = application.programme
        names = dict(
            Region.objects.filter(code__in=[code for _, code in application.chain]).values_list(
                "code", "name"
            )
        )
        path = " → ".join(names[code] for _, code in application.chain)
        org = application.organisation
        self.stdout.write(
            f"演示流程：跟着 ent_1 的申报从提交到证书（{org.name}，{programme.name}{application.tier.name}，{path}）："
        )
        who = {"county": "county_{}", "city": "city_{}", "province": "prov_officer"}
        steps = [
            (
                "ent_1",
                f"我的申报：已填写并提交，现为「{application.get_state_display()}」"
                + (f"，等待{application.waiting_region.name}审核" if application.waiting_region_id else ""),
            )
        ]
        for i, (level, code) in enumerate(application.chain):
            username = who[level].format(code)
            if i < len(application.chain) - 1:
                steps.append((username, f"审核待办 → {ACTION_LABELS['recommend']}"))
            else:
                action = "send_to_experts" if programme.expert_review else "select"
                steps.append(
                    (username, f"审核待办 → {ACTION_LABELS[action]}；公示管理 → {ACTION_LABELS['publish']}")
                )
                steps.append(
                    (
                        username,
                        f"公示期（{programme.notice_days} 天）满且无异议后 → {ACTION_LABELS['certify']}（填写文号）；"
                        "ent_1 在「我的申报」中查看、打印证书",
                    )
                )
        self._table(steps, numbered=True)
        lines = []
        for username in ENTERPRISES[1:]:
            user = enterprise_users.get(username)
            own = _latest_application(user) if user else None
            if own is None:
                continue
            lines.append((username, user.organisation.name, _describe(own)))
        caller = User.objects.filter(username="ent_6").select_related("organisation").first()
        own = _latest_application(caller) if caller else None
        if own is not None and own.call_id:
            lines.append(
                (
                    "ent_6",
                    caller.organisation.name,
                    f"申报批次「{own.call.title}」的申报 · {own.get_state_display()}"
                    + (f"（等待{own.waiting_region.name}）" if own.waiting_region_id else "")
                    + "；已按评分细则计分，省级在「评分结果」中查看逐项说明",
                )
            )
        if "expert" in users:
            lines.append(("expert", "评审专家", "评审任务：转型升级示范企业申报的专家评审"))
        if "viewer" in users:
            lines.append(("viewer", "只读用户", "查看全省的企业、认定和目标进度，不能操作"))
        if "prov_admin" in users:
            lines.append(("prov_admin", "省级管理员", "认定条件与流程设置、规划目标、用户管理（后台管理）"))
        self.stdout.write("其他演示账号：")
        self._table(lines)

    def _table(self, rows, numbered: bool = False) -> None:
        if numbered:
            rows = [(f"{n}.", *row) for n, row in enumerate(rows, start=1)]
        columns = len(rows[0])
        widths = [max(_width(r[i]) for r in rows) for i in range(columns - 1)]
        for row in rows:
            head = "  ".join(_pad(text, w) for text, w in zip(row[:-1], widths, strict=True))
            self.stdout.write(f"  {head}  {row[-1]}".rstrip())

    def _self_service(self) -> None:
        """企业自助服务 (``demo_self_service``): who finds what."""
        from smeplan.campaigns.models import Campaign
        from smeplan.portal.demo import DEMO_COUNTY, REGISTRANT, REGISTRANT_FIRM
        from smeplan.portal.models import EnterpriseRegistration, RegistrationState

        pending = EnterpriseRegistration.objects.filter(
            user__username=REGISTRANT, state=RegistrationState.PENDING
        ).exists()
        campaign = Campaign.objects.filter(region_id=DEMO_COUNTY).order_by("-id").first()
        if not pending and campaign is None:
            return
        self.stdout.write("企业自助服务：")
        if pending:
            self.stdout.write(
                f"  {REGISTRANT}（{REGISTRANT_FIRM}）已提交企业注册，待 county_{DEMO_COUNTY} 在“企业注册审核”中审核；"
                "新企业也可在登录页“按统一社会信用代码注册”。"
            )
        if campaign is not None:
            self.stdout.write(
                f"  county_{DEMO_COUNTY} 发起的“{campaign.title}”：ent_1 在首页待办和“我的填报”中填写，"
                f"ent_2 已提交，待 county_{DEMO_COUNTY} 在“填报审核”中通过或退回。"
            )


def _latest_application(user):
    from smeplan.recognition.models import Application

    if user is None or not user.organisation_id:
        return None
    return (
        Application.objects.filter(organisation_id=user.organisation_id)
        .select_related("programme", "tier", "organisation", "waiting_region", "call")
        .order_by("-id")
        .first()
    )


def _describe(application) -> str:
    """'省级中小企业成长梯队创业之星 · 已认定（陕中小企发〔2026〕1号（演示））' …"""
    from smeplan.recognition.models import State

    text = f"{application.programme.name}{application.tier.name} · {application.get_state_display()}"
    if application.state == State.CERTIFIED and hasattr(application, "certification"):
        text += f"（{application.certification.document_number}，可查看、打印证书）"
    elif application.state == State.ON_NOTICE and application.notice_id:
        text += f"（至 {application.notice.ends_on:%Y-%m-%d}）"
    elif application.state == State.RETURNED:
        text += "（按退回意见修改后重新提交）"
    elif application.state == State.DRAFT:
        text += "（尚未提交）"
    elif application.waiting_region_id:
        text += f"（等待{application.waiting_region.name}）"
    return text


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
