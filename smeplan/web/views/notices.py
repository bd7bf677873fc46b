"""公示管理 (bureau side) and the public pages that need no login (公示公告、异议、认定名单).

Views read through ``recognition.selectors`` and change state only through ``recognition.services``;
the services check who may act again. The public pages show only name, county and tier of each
listed enterprise; objections are rate-limited per client address here (the service stores the
address hashed)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smeplan.exchange import export as engine
from smeplan.exchange.export import DATE, Column, Export
from smeplan.programmes.models import Programme
from smeplan.recognition import clock, selectors, services
from smeplan.recognition.models import Application, Objection, State
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import flash_errors, require_page, safe_next, selected_items, split_errors

PHASE_LABELS = {"not_started": "未开始", "running": "公示中", "ended": "已结束"}
OBJECTIONS_PER_HOUR = 5
RATE_WINDOW_SECONDS = 3600


# --- shared helpers (also used by certifications.py) ----------------------------------------------


def may_read_notices(user) -> bool:
    """公示管理 pages: bureau users and read-only viewers (the selector narrows to their region)."""
    return navigation.can_view_notices(user)


def parse_items(values: list[str]) -> list[tuple[int, int]]:
    """The posted selection; at least one."""
    out = selected_items(values)
    if not out:
        raise ValidationError("请至少选择一项申报")
    return out


def awaited_applications(user, items: list[tuple[int, int]]) -> list[Application]:
    """The selected applications: visible to the user (else 404) and waiting for the user's bureau
    (else 403), in the order chosen."""
    ids = [pk for pk, _ in items]
    rows = {a.pk: a for a in selectors.applications_visible_to(user).filter(pk__in=ids)}
    if any(pk not in rows for pk in ids):
        raise Http404("申报不存在或不在您的管辖范围内")
    apps = [rows[pk] for pk in ids]
    for a in apps:
        if not services.is_awaited_bureau(user, a):
            raise PermissionDenied(f"{a.organisation.name}的申报不在本部门的待办中")
    return apps


def back_to(request, default_name: str) -> str:
    """The page the selection came from (the queue's ``next``), when it is one of ours."""
    return safe_next(request, reverse(default_name))


def notice_phase(notice, today=None) -> tuple[str, str]:
    phase = notice.phase(today or clock.today())
    return phase, PHASE_LABELS[phase]


# --- bureau side: 公示管理 -------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request):
    user = request.user
    require_page(may_read_notices(user))
    # Reading a page writes nothing: "公示期已结束" reminders come from the daily job alone (opening
    # this page used to create them, so the menu's 通知 count rose between two pages).
    today = clock.today()
    page = page_of(selectors.notices_visible_to(user), request.GET.get("page"), size=30)
    rows = [{"notice": n, "phase": notice_phase(n, today)} for n in page.items]
    return render(request, "web/notice_list.html", {"page": page, "rows": rows})


def _default_title(programme: Programme) -> str:
    return f"{clock.today().year}年{programme.name}拟认定企业名单公示"


@login_required
@require_POST
def notice_new(request):
    """From the queue: the selected 待公示 applications → the pre-filled form → 发布公示."""
    user = request.user
    require_page(navigation.can_review(user))
    field_errors: dict[str, list[str]] = {}
    general: list[str] = []
    raw_items = request.POST.getlist("items")
    try:
        items = parse_items(raw_items)
    except ValidationError as e:
        flash_errors(request, e)
        return redirect(back_to(request, "notice_list"))
    applications = awaited_applications(user, items)
    programme = applications[0].programme
    if "title" in request.POST:
        form = {k: request.POST.get(k, "") for k in ("title", "starts_on", "days", "contact")}
        try:
            notice = services.notice_publish(
                actor=user,
                items=items,
                title=form["title"],
                starts_on=form["starts_on"] or None,
                days=form["days"] or None,
                contact=form["contact"],
            )
        except ValidationError as e:
            field_errors, general = split_errors(e)
        else:
            messages.success(
                request,
                f"已发布公示「{notice.title}」，公示期 {notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}，"
                f"共 {len(items)} 家企业",
            )
            return redirect("notice_detail", notice.pk)
    else:
        region = user.region.name if user.region_id else ""
        form = {
            "title": _default_title(programme),
            "starts_on": clock.today().isoformat(),
            "days": str(programme.notice_days),
            "contact": f"{region}中小企业主管部门" + (f"，{user.email}" if user.email else ""),
        }
    return render(
        request,
        "web/notice_new.html",
        {
            "applications": applications,
            "items": raw_items,
            "programme": programme,
            "form": form,
            "field_errors": field_errors,
            "general": general,
        },
        status=200 if not (field_errors or general) else 422,
    )


@login_required
@require_GET
def notice_detail(request, pk: int):
    user = request.user
    require_page(may_read_notices(user))
    notice = selectors.notice_get(user, pk)
    phase, phase_label = notice_phase(notice)
    objections: dict[int, list[Objection]] = {}
    for o in selectors.objections_of(notice).order_by("filed_at", "id"):
        objections.setdefault(o.application_id, []).append(o)
    applications = list(
        notice.applications.select_related("organisation__county", "tier", "programme").order_by(
            "tier__position", "organisation__name"
        )
    )
    rows = [
        {
            "application": a,
            "objections": objections.get(a.pk, []),
            "link": reverse("application_detail", args=[a.pk]),
        }
        for a in applications
    ]
    renames = [
        {
            "report": r,
            "objections": [o for o in objections.get(None, []) if o.change_report_id == r.pk],
            "link": reverse("change_report_detail", args=[r.pk]),
        }
        for r in notice.change_reports.select_related("certification__organisation__county").order_by("pk")
    ]
    own = navigation.can_review(user) and user.region_id == notice.region_id
    certifiable = [a for a in applications if a.state == State.ON_NOTICE]
    return render(
        request,
        "web/notice_detail.html",
        {
            "notice": notice,
            "phase": phase,
            "phase_label": phase_label,
            "rows": rows,
            "renames": renames,
            "may_resolve": own,
            "may_certify": own and phase == "ended" and bool(certifiable),
            "certifiable": certifiable,
            "open_count": selectors.objections_of(notice, "open").count(),
        },
    )


@login_required
@require_POST
def objection_resolve(request, pk: int):
    user = request.user
    require_page(navigation.can_review(user))
    try:
        objection = Objection.objects.select_related("notice").get(
            pk=int(pk), notice__in=selectors.notices_visible_to(user)
        )
    except Objection.DoesNotExist:
        raise Http404("异议不存在或不在您的管辖范围内") from None
    upheld = request.POST.get("upheld")
    if upheld not in ("1", "0"):
        messages.error(request, "请选择「异议成立」或「异议不成立」")
        return redirect("notice_detail", objection.notice_id)
    try:
        services.objection_resolve(
            actor=user,
            objection=objection,
            upheld=upheld == "1",
            resolution=request.POST.get("resolution", ""),
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        if upheld == "1" and objection.change_report_id:
            messages.success(request, "异议成立：不予按新名称重新认定")
        elif upheld == "1":
            messages.success(request, "异议成立：该企业的申报已不予认定")
        else:
            messages.success(request, "异议不成立：该企业继续公示")
    return redirect(reverse("notice_detail", args=[objection.notice_id]) + f"#objection-{objection.pk}")


# --- public pages (no login) ----------------------------------------------------------------------


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_key(address: str) -> str:
    return "objection-rate:" + hashlib.sha256(address.encode()).hexdigest()


def objections_left(address: str) -> int:
    return max(0, OBJECTIONS_PER_HOUR - int(cache.get(_rate_key(address), 0)))


def _count_objection(address: str) -> None:
    key = _rate_key(address)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)


@require_GET
def public_notice_list(request):
    today = clock.today()
    groups = {"running": [], "not_started": [], "ended": []}
    for n in selectors.public_notices().order_by("-starts_on", "-id")[:500]:
        groups[n.phase(today)].append(n)
    return render(
        request,
        "web/public_notice_list.html",
        {
            "sections": [
                ("running", "正在公示", groups["running"]),
                ("not_started", "即将公示", groups["not_started"]),
                ("ended", "已结束的公示", groups["ended"]),
            ]
        },
    )


@require_http_methods(["GET", "POST"])
def public_notice_detail(request, pk: int):
    notice = selectors.public_notice_get(pk)
    phase, phase_label = notice_phase(notice)
    rows = selectors.public_notice_rows(notice)
    form = {"application": "", "name": "", "phone": "", "text": ""}
    field_errors: dict[str, list[str]] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        address = _client_address(request)
        if objections_left(address) <= 0:
            general = [
                f"同一网络地址每小时最多提出 {OBJECTIONS_PER_HOUR} 条异议，您的异议未提交，请稍后再试"
                f"或按公示所列联系方式（{notice.contact or '公示部门'}）反映"
            ]
            status = 429
        else:
            try:
                rename = form["application"].startswith("rename-")
                services.objection_file(
                    notice=notice,
                    application_id=None if rename else form["application"],
                    change_report_id=form["application"].removeprefix("rename-") if rename else None,
                    name=form["name"],
                    phone=form["phone"],
                    text=form["text"],
                    client=address,
                )
            except ValidationError as e:
                field_errors, general = split_errors(e)
                status = 422
            else:
                _count_objection(address)
                messages.success(request, "您的异议已提交，公示部门将核实处理。感谢您的监督。")
                return redirect("public_notice_detail", notice.pk)
    return render(
        request,
        "web/public_notice_detail.html",
        {
            "notice": notice,
            "phase": phase,
            "phase_label": phase_label,
            "rows": rows,
            "form": form,
            "field_errors": field_errors,
            "general": general,
        },
        status=status,
    )


PUBLIC_CERTIFIED_COLUMNS = [
    Column("企业名称", width=36),
    Column("所在区县", width=12, shared=True),
    Column("认定项目", width=24, shared=True),
    Column("梯队", width=12, shared=True),
    Column("称号", width=24, shared=True),
    Column("认定文号", width=24, shared=True),
    Column("认定日期", DATE),
]


@require_GET
def public_certified(request):
    programme = request.GET.get("programme", "")
    tier = request.GET.get("tier", "")
    year = request.GET.get("year", "").strip()
    qs = selectors.published_certifications(programme=programme, tier=tier, year=year)
    programmes = list(Programme.objects.prefetch_related("tiers").order_by("position"))
    if request.GET.get("format") == "xlsx":
        filters = []
        if programme:
            filters.append(("认定项目", next((p.name for p in programmes if p.code == programme), programme)))
        if tier:
            filters.append(("梯队", tier))
        if year:
            filters.append(("认定年度", year))

        def rows():
            for c in qs.iterator(chunk_size=2000):
                yield (
                    c.organisation_name,
                    c.organisation.county.name,
                    c.programme.name,
                    c.tier.name,
                    c.title,
                    c.document_number,
                    c.certified_on,
                )

        actor = request.user if request.user.is_authenticated else "公众（未登录）"
        return engine.xlsx_response(
            Export(
                title="认定企业名单",
                actor=actor,
                columns=PUBLIC_CERTIFIED_COLUMNS,
                rows=rows(),
                filters=filters,
                sheet_name="认定名单",
                empty_message="没有符合条件的认定企业",
            )
        )
    page = page_of(qs, request.GET.get("page"), size=50)
    tiers = sorted({(t.code, t.name) for p in programmes for t in p.tiers.all()}, key=lambda t: t[1])
    return render(
        request,
        "web/public_certified.html",
        {
            "page": page,
            "programmes": programmes,
            "tiers": tiers,
            "programme": programme,
            "tier": tier,
            "year": year,
        },
    )
