"""认定 (certify form), 认定名单, the certification page with 终止资格 / 晋级 / 报告重大变化, the
printable certificate, and 变化报告 (re-check, keep/terminate, rename: confirm then re-certify).

State changes only through ``recognition.services`` (which check who may act); reads through
``recognition.selectors`` (scoped)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from smeplan.accounts.models import BUREAU_ROLES, ORGANISATION_ROLES
from smeplan.accounts.scoping import regions_filter, scope_filter, scope_for
from smeplan.exchange import export as engine
from smeplan.exchange.export import DATE, Column, Export
from smeplan.programmes.models import Programme
from smeplan.recognition import clock, composition, selectors, services
from smeplan.recognition.models import (
    Ban,
    CertificationState,
    ChangeKind,
    ChangeReport,
    ChangeState,
    TerminationReason,
)
from smeplan.regions.models import PROVINCE_CODE, Region
from smeplan.regions.selectors import county_cities
from smeplan.registry.models import Organisation
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import county_choices, flash_errors, require_page, split_errors
from smeplan.web.views.notices import awaited_applications, back_to, parse_items
from smeplan.web.views.obligations import OFFICER_REASONS

# --- 认定 ------------------------------------------------------------------------------------------


@login_required
@require_POST
def certify(request):
    """Items "pk:version" from the notice page → the form (文号, 日期) → services.applications_certify."""
    user = request.user
    require_page(navigation.can_review(user))
    raw_items = request.POST.getlist("items")
    try:
        items = parse_items(raw_items)
    except ValidationError as e:
        flash_errors(request, e)
        return redirect(back_to(request, "notice_list"))
    applications = awaited_applications(user, items)
    form = {
        "document_number": request.POST.get("document_number", ""),
        "certified_on": request.POST.get("certified_on", "") or clock.today().isoformat(),
    }
    field_errors: dict[str, list[str]] = {}
    general: list[str] = []
    if "document_number" in request.POST:
        try:
            made = services.applications_certify(
                actor=user,
                items=items,
                document_number=form["document_number"],
                certified_on=form["certified_on"] or None,
            )
        except ValidationError as e:
            field_errors, general = split_errors(e)
        else:
            document = made[0].document_number
            messages.success(request, f"已认定 {len(made)} 家企业（{document}）")
            return redirect(reverse("certification_list") + "?" + _query(document=document))
    impacts = composition.batch_impacts(applications, day=clock.today())
    return render(
        request,
        "web/certification_certify.html",
        {
            "applications": applications,
            "impacts": impacts,
            "warnings": [i.message for i in impacts if i.warns],
            "items": raw_items,
            "form": form,
            "field_errors": field_errors,
            "general": general,
        },
        status=422 if (field_errors or general) else 200,
    )


def _query(**params) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v})


# --- 认定名单 ---------------------------------------------------------------------------------------

LIST_COLUMNS = [
    Column("统一社会信用代码", width=22),
    Column("企业名称（认定时）", width=36),
    Column("所在区县", width=12, shared=True),
    Column("认定项目", width=24, shared=True),
    Column("梯队", width=12, shared=True),
    Column("称号", width=24, shared=True),
    Column("认定部门", width=12, shared=True),
    Column("认定文号", width=24),
    Column("认定日期", DATE),
    Column("状态", width=10, shared=True),
    Column("终止日期", DATE),
    Column("终止原因", width=20, shared=True),
]


def _list_filters(request) -> dict[str, str]:
    return {
        k: request.GET.get(k, "").strip()
        for k in ("programme", "tier", "state", "city", "county", "document", "on", "year")
    }


def _filtered(user, f: dict[str, str]):
    qs = selectors.certifications_visible_to(user)
    # programme and tier may name several, comma-separated (the targets dashboard links to its
    # counts this way: 各级梯队企业 = the three growth programmes)
    if f["programme"]:
        qs = qs.filter(programme__code__in=f["programme"].split(","))
    if f["tier"]:
        qs = qs.filter(tier__code__in=f["tier"].split(","))
    if f["state"] in CertificationState.values:
        qs = qs.filter(state=f["state"])
    if f["city"]:
        qs = qs.filter(organisation__county__path__contains=f"/{f['city']}/")
    if f["county"]:
        qs = qs.filter(organisation__county_id=f["county"])
    if f["document"]:
        qs = qs.filter(document_number__contains=f["document"])
    # the lists behind the targets' numbers: in force on a day (a year's end), or certified in a year
    if f["on"]:
        try:
            day = dt.date.fromisoformat(f["on"])
        except ValueError:
            raise Http404(f"日期“{f['on']}”无效") from None
        qs = qs.filter(selectors.in_force_on(day))
    if f["year"]:
        if not f["year"].isdigit():
            raise Http404(f"年度“{f['year']}”无效")
        qs = qs.filter(certified_on__year=int(f["year"]))
    return qs.order_by("-certified_on", "-id")


@login_required
@require_GET
def certification_list(request):
    user = request.user
    require_page(navigation.can_browse_registry(user))
    f = _list_filters(request)
    qs = _filtered(user, f)
    programmes = list(Programme.objects.prefetch_related("tiers").order_by("position"))
    if request.GET.get("format") == "xlsx":
        return _list_export(user, qs, f, programmes)
    page = page_of(qs, request.GET.get("page"), size=30)
    tiers = sorted({(t.code, t.name) for p in programmes for t in p.tiers.all()}, key=lambda t: t[1])
    day = dt.date.fromisoformat(f["on"]) if f["on"] else clock.today()
    return render(
        request,
        "web/certification_list.html",
        {
            "page": page,
            "f": f,
            "programmes": programmes,
            "tiers": tiers,
            "states": CertificationState.choices,
            "counties": county_choices(user),
            "export_query": _query(format="xlsx", **f),
            "city_name": Region.objects.filter(code=f["city"]).values_list("name", flat=True).first()
            if f["city"]
            else "",
            "composition": _composition(user, f, day),
            "totals": qs.order_by().aggregate(
                titles=Count("id"), enterprises=Count("organisation_id", distinct=True)
            ),
        },
    )


def _composition(user, f: dict[str, str], day: dt.date):
    """梯队构成 of the area the list is narrowed to (a county, a city) or the user's own area."""
    scope = scope_for(user)
    if f["county"] and (scope.everything or f["county"] in (scope.county_codes or ())):
        return composition.composition(user=user, day=day, area_kind="county", area_code=f["county"])
    if f["city"] and regions_filter(user, Region.objects.filter(code=f["city"])).exists():
        return composition.composition(user=user, day=day, area_kind="city", area_code=f["city"])
    if scope.everything:
        return composition.composition(user=user, day=day, area_kind="province", area_code=PROVINCE_CODE)
    region = Region.objects.filter(code=user.region_id).first() if user.region_id else None
    if region is None:
        return None
    kind = (
        "county" if region.level == "county" and county_cities().get(region.code) != region.code else "city"
    )
    return composition.composition(user=user, day=day, area_kind=kind, area_code=region.code)


def _list_export(user, qs, f, programmes):
    labels = {
        "programme": ("认定项目", {p.code: p.name for p in programmes}),
        "tier": ("梯队", {t.code: t.name for p in programmes for t in p.tiers.all()}),
        "state": ("状态", dict(CertificationState.choices)),
        "city": ("市级单位", {}),
        "county": ("区县", {}),
        "document": ("文号包含", {}),
        "on": ("在此日有效", {}),
        "year": ("认定年度", {}),
    }
    filters = [(labels[k][0], str(labels[k][1].get(v, v))) for k, v in f.items() if v]
    states = dict(CertificationState.choices)
    reasons = dict(TerminationReason.choices)

    def rows():
        for c in qs.iterator(chunk_size=2000):
            yield (
                c.organisation.credit_code,
                c.organisation_name,
                c.organisation.county.name,
                c.programme.name,
                c.tier.name,
                c.title,
                c.region.name,
                c.document_number,
                c.certified_on,
                str(states.get(c.state, c.state)),
                c.ended_on,
                str(reasons.get(c.termination_reason, "")) or None,
            )

    return engine.xlsx_response(
        Export(
            title="认定名单",
            actor=user,
            columns=LIST_COLUMNS,
            rows=rows(),
            filters=filters,
            sheet_name="认定名单",
            empty_message="没有符合条件的认定记录",
        )
    )


# --- 认定详情与操作 --------------------------------------------------------------------------------


def may_report_change(user, certification) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role in ORGANISATION_ROLES:
        return user.organisation_id == certification.organisation_id
    return (
        user.role in BUREAU_ROLES
        and scope_filter(user, Organisation.objects.filter(pk=certification.organisation_id)).exists()
    )


@login_required
@require_GET
def certification_detail(request, pk: int):
    user = request.user
    certification = selectors.certification_get(user, pk)
    history = selectors.certification_history(certification)
    chain_ids = [c.pk for c in history]
    # a re-certification or promotion continues this one: the newest link of the chain, if any
    later = list(
        selectors.certifications_visible_to(user).filter(previous_id=certification.pk).order_by("pk")
    )
    bans = Ban.objects.filter(organisation_id=certification.organisation_id).select_related("programme")
    reports = ChangeReport.objects.filter(certification_id__in=chain_ids).order_by("-reported_at", "-id")
    active = certification.state == CertificationState.ACTIVE
    manage = services.may_manage_certification(user, certification)
    return render(
        request,
        "web/certification_detail.html",
        {
            "c": certification,
            "history": history,
            "later": later,
            "bans": bans,
            "today": clock.today(),
            "reports": reports,
            "application_link": reverse("application_detail", args=[certification.application_id])
            if certification.application_id
            else "",
            "may_manage": manage and active,
            "may_end": active and services.may_end_certification(user, certification),
            "may_report": active and may_report_change(user, certification),
            "reasons": TerminationReason.choices,
            "kinds": ChangeKind.choices,
            "ban_years": certification.programme.ban_years,
            "today_iso": clock.today().isoformat(),
            "promote_year": clock.today().year - 1,
            "may_review": manage and active and bool(certification.programme.review_interval_years),
            "obligations": certification.obligations.order_by("-due_on", "-id"),
            "may_propose": active
            and navigation.can_review(user)
            and scope_filter(user, Organisation.objects.filter(pk=certification.organisation_id)).exists(),
            "officer_reasons": OFFICER_REASONS,
        },
    )


@login_required
@require_POST
def certification_terminate(request, pk: int):
    user = request.user
    certification = selectors.certification_get(user, pk)
    try:
        certification = services.certification_terminate(
            actor=user,
            certification=certification,
            reason=request.POST.get("reason", ""),
            document_number=request.POST.get("document_number", ""),
            note=request.POST.get("note", ""),
            ended_on=request.POST.get("ended_on", "") or None,
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        ban = certification.bans.order_by("-until").first()
        text = f"已终止{certification.organisation_name}的{certification.title}资格（{certification.termination_document}）"
        if ban is not None:
            text += f"；{ban.until:%Y年%m月%d日} 前不再受理该单位的{certification.programme.name}申报"
        messages.success(request, text)
    return redirect("certification_detail", certification.pk)


@login_required
@require_POST
def certification_review(request, pk: int):
    """复核: confirmed (next re-review set) or not passed (terminated with a document number)."""
    user = request.user
    certification = selectors.certification_get(user, pk)
    passed = request.POST.get("passed", "") == "1"
    try:
        certification = services.certification_review(
            actor=user,
            certification=certification,
            passed=passed,
            note=request.POST.get("note", ""),
            document_number=request.POST.get("document_number", ""),
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        if passed:
            following = (
                f"，下次复核 {certification.next_review_on:%Y年%m月%d日}"
                if certification.next_review_on
                else ""
            )
            messages.success(
                request,
                f"复核通过，已确认{certification.organisation_name}的{certification.title}{following}",
            )
        else:
            messages.success(
                request, f"复核不合格，已终止{certification.organisation_name}的{certification.title}资格"
            )
    return redirect("certification_detail", certification.pk)


@login_required
@require_POST
def certification_promote(request, pk: int):
    user = request.user
    certification = selectors.certification_get(user, pk)
    try:
        application = services.certification_promote(
            actor=user, certification=certification, year=request.POST.get("year", "")
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        where = application.waiting_region.name if application.waiting_region_id else ""
        messages.success(
            request,
            f"已推荐晋级：{application.programme.name}·{application.tier.name}（{application.year}年度），"
            f"等待{where}审核",
        )
        link = reverse("application_detail", args=[application.pk])
        if link:
            return redirect(link)
    return redirect("certification_detail", certification.pk)


@login_required
@require_POST
def change_report_new(request, pk: int):
    user = request.user
    certification = selectors.certification_get(user, pk)
    try:
        report = services.change_report_file(
            actor=user,
            certification=certification,
            kind=request.POST.get("kind", ""),
            description=request.POST.get("description", ""),
            new_name=request.POST.get("new_name", ""),
        )
    except ValidationError as e:
        flash_errors(request, e)
        return redirect(reverse("certification_detail", args=[certification.pk]) + "#change")
    messages.success(request, f"已报告{report.get_kind_display()}，等待主管部门核查")
    return redirect("change_report_detail", report.pk)


# --- 证书打印 ---------------------------------------------------------------------------------------


@login_required
@require_GET
def certificate_print(request, pk: int):
    certification = selectors.certification_get(request.user, pk)
    issuer = f"{certification.region.name}中小企业主管部门"
    return render(request, "web/certificate_print.html", {"c": certification, "issuer": issuer})


# --- 变化报告 ---------------------------------------------------------------------------------------


def _report_get(user, pk) -> ChangeReport:
    try:
        return (
            selectors.change_reports_visible_to(user)
            .select_related("certification__organisation__county", "certification__region", "reported_by")
            .get(pk=int(pk))
        )
    except (ChangeReport.DoesNotExist, TypeError, ValueError):
        raise Http404("变化报告不存在或不在您的管辖范围内") from None


@login_required
@require_GET
def change_report_list(request):
    user = request.user
    require_page(navigation.can_browse_registry(user))
    qs = selectors.change_reports_visible_to(user).select_related("certification__organisation__county")
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    if state in ChangeState.values:
        qs = qs.filter(state=state)
    if kind in ChangeKind.values:
        qs = qs.filter(kind=kind)
    page = page_of(qs.order_by("-reported_at", "-id"), request.GET.get("page"), size=30)
    return render(
        request,
        "web/change_list.html",
        {
            "page": page,
            "state": state,
            "kind": kind,
            "states": ChangeState.choices,
            "kinds": ChangeKind.choices,
        },
    )


@login_required
@require_GET
def change_report_detail(request, pk: int):
    user = request.user
    report = _report_get(user, pk)
    certification = report.certification
    manage = services.may_manage_certification(user, certification)
    city = certification.organisation.county.city_level_unit_code()
    rename = report.kind == ChangeKind.RENAME
    successor = (
        selectors.certifications_visible_to(user).filter(previous_id=certification.pk).order_by("-pk").first()
    )
    notice_running = bool(report.notice_id and report.notice.phase(clock.today()) != "ended")
    return render(
        request,
        "web/change_detail.html",
        {
            "r": report,
            "c": certification,
            "recheck": report.recheck or {},
            "may_decide": manage and not rename and report.state == ChangeState.REPORTED,
            "may_confirm": rename
            and report.state == ChangeState.REPORTED
            and navigation.can_review(user)
            and user.region_id == city,
            "may_recertify": manage
            and rename
            and (
                (report.state == ChangeState.CONFIRMED and not certification.programme.rename_requires_notice)
                or (report.state == ChangeState.ON_NOTICE and not notice_running)
            ),
            "may_publish": manage
            and rename
            and report.state == ChangeState.CONFIRMED
            and certification.programme.rename_requires_notice,
            "notice_running": notice_running,
            "successor": successor,
            "today_iso": clock.today().isoformat(),
        },
    )


@login_required
@require_POST
def change_report_decide(request, pk: int):
    user = request.user
    report = _report_get(user, pk)
    keep = request.POST.get("keep")
    if keep not in ("1", "0"):
        messages.error(request, "请选择「保留资格」或「终止资格」")
        return redirect("change_report_detail", report.pk)
    try:
        report = services.change_report_decide(
            actor=user,
            report=report,
            keep=keep == "1",
            note=request.POST.get("note", ""),
            document_number=request.POST.get("document_number", ""),
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"已处理：{report.get_state_display()}")
    return redirect("change_report_detail", report.pk)


@login_required
@require_POST
def rename_confirm(request, pk: int):
    user = request.user
    report = _report_get(user, pk)
    try:
        services.rename_confirm(actor=user, report=report, note=request.POST.get("note", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, f"已确认更名为「{report.new_name}」，等待认定部门重新认定")
    return redirect("change_report_detail", report.pk)


@login_required
@require_POST
def rename_recertify(request, pk: int):
    user = request.user
    report = _report_get(user, pk)
    try:
        new = services.rename_recertify(
            actor=user,
            report=report,
            document_number=request.POST.get("document_number", ""),
            certified_on=request.POST.get("certified_on", "") or None,
        )
    except ValidationError as e:
        field_errors, general = split_errors(e)
        for text in general + [m for ms in field_errors.values() for m in ms]:
            messages.error(request, text)
        return redirect("change_report_detail", report.pk)
    messages.success(request, f"已按新名称「{new.organisation_name}」重新认定（{new.document_number}）")
    return redirect("certification_detail", new.pk)


@login_required
@require_POST
def rename_publish(request, pk: int):
    """更名公示 (programmes with ``rename_requires_notice``): the certifying bureau publishes it."""
    user = request.user
    report = _report_get(user, pk)
    try:
        notice = services.rename_notice_publish(
            actor=user,
            report_ids=[report.pk],
            title=request.POST.get("title", ""),
            starts_on=request.POST.get("starts_on", "") or None,
            days=request.POST.get("days", "") or None,
            contact=request.POST.get("contact", ""),
        )
    except ValidationError as e:
        flash_errors(request, e)
        return redirect("change_report_detail", report.pk)
    messages.success(
        request, f"已发布更名公示（{notice.starts_on:%Y年%m月%d日} 至 {notice.ends_on:%Y年%m月%d日}）"
    )
    return redirect("notice_detail", notice.pk)
