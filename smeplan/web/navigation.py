"""The menu (导航) and the page-level permissions it is built from.

Each entry is shown only to users who may open it; the views check the same predicates, so the menu
and the pages cannot disagree. Data access itself is still decided by the scoping function
(:mod:`smeplan.accounts.scoping`): these predicates only say whether a page makes sense for a role.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES, REGION_ROLES, Role
from smeplan.accounts.scoping import is_provincial_admin, scope_for


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url: str
    active: bool = False
    group: str = ""  # the heading it sits under in the side navigation


# Headings of the side navigation, by entry (entries keep their order; a heading is shown where the
# group changes).
GROUPS = {
    "organisations": _("企业与数据"),
    "own_organisation": _("企业与数据"),
    "profile": _("企业与数据"),
    "organisation_create": _("企业与数据"),
    "imports": _("企业与数据"),
    "campaign_tasks": _("企业与数据"),  # 我的填报 (issue 16 part 4)
    "campaign_review": _("企业与数据"),  # 填报审核 (issue 16 part 4)
    "campaigns": _("企业与数据"),
    "registrations": _("企业与数据"),
    "members": _("企业与数据"),
    "change_queue": _("企业与数据"),
    "regions": _("目标与统计"),
    "programmes": _("认定工作"),
    "calls": _("认定工作"),
    "queue": _("认定工作"),
    "applications": _("认定工作"),
    "notices": _("认定工作"),
    "scores": _("认定工作"),
    "certifications": _("认定工作"),
    "obligations": _("认定工作"),
    "revocations": _("认定工作"),
    "expert": _("认定工作"),
    "evaluation": _("年度管理"),
    "reporting": _("年度管理"),
    "flags": _("年度管理"),
    "targets": _("目标与统计"),
    "charts": _("目标与统计"),
    "audit": _("系统"),
    "admin": _("系统"),
    "notifications": _("系统"),
    "api_docs": _("系统"),
}


def can_browse_registry(user) -> bool:
    """企业名录: bureau users, read-only viewers (their region) and organisation users (their own)."""
    if not user.is_authenticated:
        return False
    return not scope_for(user).nothing


def can_create_organisation(user) -> bool:
    """新增单位: bureau roles with a region (the service still checks the county)."""
    if not user.is_authenticated:
        return False
    if not (user.is_superuser or user.role in BUREAU_ROLES):
        return False
    scope = scope_for(user)
    return scope.everything or bool(scope.county_codes)


def can_view_regions(user) -> bool:
    """区域概况: users bound to a region (bureau roles and viewers)."""
    if not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.everything or bool(scope.region_codes)


def can_import(user) -> bool:
    """数据导入: active bureau users (rows outside their counties are refused by the validation)."""
    from smeplan.exchange.uploads import may_import

    return may_import(user)


def can_view_programmes(user) -> bool:
    """认定条件与筛选 (criteria, screening runs, explanations, averages): active bureau users with a
    region (a city or county bureau screens its own area; the engine narrows by ``scope_for``)."""
    from smeplan.programmes.selectors import may_use_programmes

    return may_use_programmes(user)


def can_edit_criteria(user) -> bool:
    """修改认定条件, live preview and recomputing the same-industry averages: provincial admins only."""
    from smeplan.programmes.selectors import may_edit_criteria

    return may_edit_criteria(user)


def can_view_obligations(user) -> bool:
    """年度报告与复核 (待办 for enterprises): users with a scope (the selector narrows it)."""
    return can_browse_registry(user)


def can_review(user) -> bool:
    """审核待办 and 公示管理 actions: active bureau users of a region (their queue is what waits for it)."""
    return bool(user.is_authenticated and user.is_active and user.role in BUREAU_ROLES and user.region_id)


def can_view_applications(user) -> bool:
    """认定申报 (我的申报 for enterprises): bureau users, viewers and enterprise users; the selector
    narrows to their region or organisation."""
    return (
        user.is_authenticated
        and (can_review(user) or user.role == Role.VIEWER or user.role == Role.ENTERPRISE_USER)
        and not scope_for(user).nothing
    )


def can_view_calls(user) -> bool:
    """申报批次: bureau users and viewers of a region (the calls open to it or published by it) and
    enterprise users (the calls open to their city)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            (user.role in REGION_ROLES and user.region_id)
            or (user.role == Role.ENTERPRISE_USER and user.organisation_id)
        )
    )


def can_view_notices(user) -> bool:
    """公示管理: bureau users and read-only viewers."""
    return bool(user.is_authenticated and user.is_active and user.role in REGION_ROLES and user.region_id)


def can_evaluate(user) -> bool:
    """综合测评 (runs, annex 2, proposals): bureau users; runs are narrowed to their region."""
    from smeplan.evaluation.selectors import is_reader

    return is_reader(user)


def can_view_summaries(user) -> bool:
    """附件3 汇总表, city annual plans and filings: bureau users and viewers."""
    from smeplan.reporting.selectors import may_read

    return may_read(user)


def can_check_flags(user) -> bool:
    """虚假信息疑点: bureau users with a scope."""
    from smeplan.flags.selectors import may_read_flags

    return may_read_flags(user)


def can_view_targets(user) -> bool:
    """目标进度 (targets, map, charts, annual report): bureau users and viewers."""
    from smeplan.targets.selectors import may_read

    return may_read(user)


def can_view_campaigns(user) -> bool:
    """数据填报: bureau users of a region (the campaigns of their area) and enterprise users (the
    campaigns they have a task in)."""
    from smeplan.campaigns.selectors import may_view_campaigns

    return may_view_campaigns(user)


def is_expert(user) -> bool:
    return user.is_authenticated and user.role == Role.EXPERT


def can_view_audit(user) -> bool:
    """审计日志: provincial admins only."""
    return is_provincial_admin(user)


def can_use_admin(user) -> bool:
    """后台管理 (Django admin): active provincial admins (and superusers) only."""
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.PROVINCIAL_ADMIN)
    )


def is_organisation_user(user) -> bool:
    return user.is_authenticated and user.role in ORGANISATION_ROLES and bool(user.organisation_id)


def can_review_registrations(user) -> bool:
    """企业注册审核: active bureau users with an area (the queue is narrowed to its counties)."""
    from smeplan.portal.registration import may_review

    return may_review(user)


def is_firm_admin(user) -> bool:
    """本单位账号: the firm's administrator (企业管理员)."""
    from smeplan.portal.members import is_firm_admin as firm_admin

    return firm_admin(user)


# --- 本单位信息 and 信息变更审核 (issue 16 part 2) ---


def can_open_profile(user) -> bool:
    """本单位信息 and its 企业信息变更申请: an organisation's own users."""
    return is_organisation_user(user) and user.is_active


def can_review_changes(user) -> bool:
    """信息变更审核: bureau users of a region (the queue holds their counties' requests)."""
    return can_review(user)


def _notifications_label(user) -> str:
    """通知, with the number unread (one indexed count of the user's own rows)."""
    from smeplan.recognition.selectors import UNREAD_CAP, unread_count

    n = unread_count(user)
    shown = f"{UNREAD_CAP}+" if n > UNREAD_CAP else str(n)
    return f"{_('通知')}（{shown}）" if n else str(_("通知"))


def api_docs_url() -> str:
    try:
        return reverse("api:openapi-view")
    except NoReverseMatch:
        return "/api/v1/docs"


def menu_for(user, path: str) -> list[MenuItem]:
    """The entries ``user`` may open, the one matching ``path`` (longest prefix) marked active."""
    if user is None or not user.is_authenticated:
        return []
    entries: list[tuple[str, str, str]] = [("home", _("首页"), reverse("home"))]
    if is_organisation_user(user):
        entries.append(
            ("own_organisation", _("本单位"), reverse("organisation_detail", args=[user.organisation_id]))
        )
        if can_open_profile(user):
            entries.append(("profile", _("信息维护与变更"), reverse("portal_profile")))
    elif can_browse_registry(user):
        entries.append(("organisations", _("企业名录"), reverse("organisation_list")))
    if can_create_organisation(user):
        entries.append(("organisation_create", _("新增单位"), reverse("organisation_create")))
    if can_import(user):
        entries.append(("imports", _("数据导入"), reverse("import_list")))
    # 数据填报 (issue 16): the bureaus' campaigns and review queue; a firm's own tasks
    if can_view_campaigns(user) and not is_organisation_user(user):  # a firm has 我的填报
        entries.append(("campaigns", _("数据填报"), reverse("campaign_list")))
    if can_review(user):
        entries.append(("campaign_review", _("填报审核"), reverse("campaign_review_queue")))
    if is_organisation_user(user):
        entries.append(("campaign_tasks", _("我的填报"), reverse("campaign_task_list")))
    if can_review_registrations(user):
        entries.append(("registrations", _("企业注册审核"), reverse("registration_list")))
    if is_firm_admin(user):
        entries.append(("members", _("本单位账号"), reverse("member_list")))
    if can_review_changes(user):
        entries.append(("change_queue", _("信息变更审核"), reverse("change_request_queue")))
    if can_view_programmes(user):
        entries.append(("programmes", _("认定条件与筛选"), reverse("programme_list")))
    if can_view_calls(user):
        entries.append(("calls", _("申报批次"), reverse("call_list")))
    if can_review(user):
        entries.append(("queue", _("审核待办"), reverse("recognition_queue")))
    if can_view_applications(user):
        label = _("我的申报") if user.role == Role.ENTERPRISE_USER else _("认定申报")
        entries.append(("applications", label, reverse("application_list")))
    if can_view_notices(user):
        entries.append(("notices", _("公示管理"), reverse("notice_list")))
    if can_review(user):
        entries.append(("scores", _("评分结果"), reverse("score_list")))
    if can_browse_registry(user):
        entries.append(("certifications", _("认定名单"), reverse("certification_list")))
    if can_view_obligations(user):
        label = _("待办（年度报告与复核）") if is_organisation_user(user) else _("年度报告与复核")
        entries.append(("obligations", label, reverse("obligation_list")))
    if can_review(user):
        entries.append(("revocations", _("撤销建议"), reverse("revocation_list")))
    if is_expert(user):
        entries.append(("expert", _("评审任务"), reverse("expert_assignment_list")))
    if can_evaluate(user):
        entries.append(("evaluation", _("综合测评"), reverse("evaluation_list")))
    if can_view_summaries(user):
        entries.append(("reporting", _("汇总表与年度计划"), reverse("reporting_annex3")))
    if can_check_flags(user):
        entries.append(("flags", _("虚假信息疑点"), reverse("flag_list")))
    if can_view_regions(user):
        entries.append(("regions", _("区域概况"), reverse("region_index")))
    if can_view_targets(user):
        entries.append(("targets", _("目标进度"), reverse("target_dashboard")))
        entries.append(("charts", _("统计图表"), reverse("target_charts")))
    if can_view_audit(user):
        entries.append(("audit", _("审计日志"), reverse("audit_list")))
    if can_use_admin(user):
        entries.append(("admin", _("后台管理"), reverse("admin:index")))
    entries.append(("notifications", _notifications_label(user), reverse("notification_list")))
    entries.append(("api_docs", _("API 文档"), api_docs_url()))

    def matches(url: str) -> int:
        if url == "/":
            return 1 if path == "/" else 0
        return len(url) if path.startswith(url) else 0

    best = max(entries, key=lambda e: matches(e[2]))
    best_key = best[0] if matches(best[2]) else None
    # "新增单位" lives under /organisations/ too: the longest prefix wins, so it is marked, not 企业名录.
    return [
        MenuItem(key, str(label), url, key == best_key, str(GROUPS.get(key, "")))
        for key, label, url in entries
    ]
