"""认定项目的建立与维护: 新建认定项目, 编辑 (name, plan, 依据 and 条款, level, owning city, subject
kind, certificate title, tiers), 关闭 / 重新开放 / 删除 (only an unused one). Provincial admins for
every programme, city officers for their own city's city- and county-level programmes — the
services (``smeplan.programmes.services``) decide; these views show their messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from smeplan.programmes import services
from smeplan.programmes.models import (
    AverageArea,
    OwnerLevel,
    Programme,
    SubjectKind,
    title_template_as_text,
)
from smeplan.regions.selectors import city_level_units
from smeplan.targets.models import ActionPlan
from smeplan.web.views.common import flash_errors, require_page

FIELDS = ("code", "name", "plan", "source", "basis_clause", "owner_level", "owner_region", "subject_kind")
FIELDS += ("average_area", "title_template")
NEW_TIER_ROWS = 3


def _programme(code: str) -> Programme:
    programme = Programme.objects.select_related("owner_region").filter(code=code).first()
    if programme is None:
        raise Http404("认定项目不存在")
    return programme


def _list_url(programme: Programme | None = None) -> str:
    return reverse("programme_list") + (f"#programme-{programme.code}" if programme else "")


def _context(user, values: dict, errors: dict, **extra) -> dict:
    city = services._city_unit_of(user)
    return {
        "values": values,
        "errors": errors,
        "plans": ActionPlan.choices,
        "levels": [c for c in OwnerLevel.choices if city is None or c[0] != OwnerLevel.PROVINCE],
        "subject_kinds": SubjectKind.choices,
        "areas": AverageArea.choices,
        "cities": [] if city is not None else list(city_level_units()),
        "own_city": city,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request):
    """新建认定项目 with its tiers."""
    user = request.user
    require_page(services.may_create_programme(user))
    errors: dict = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in FIELDS}
        tiers = [
            {"code": request.POST.get(f"tier-{i}-code", ""), "name": request.POST.get(f"tier-{i}-name", "")}
            for i in range(NEW_TIER_ROWS)
        ]
        try:
            programme = services.programme_create(actor=user, data={**values, "tiers": tiers})
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, f"已新建认定项目「{programme.name}」；请设置各梯队的认定条件和认定流程")
            return redirect(_list_url(programme))
    else:
        values = {"owner_level": "city" if services._city_unit_of(user) else "province", "plan": ""}
        values["subject_kind"] = SubjectKind.ENTERPRISE
        values["title_template"] = "{地区}{梯队}"
        tiers = [{"code": "", "name": ""} for _ in range(NEW_TIER_ROWS)]
    return render(
        request,
        "web/programme_form.html",
        _context(user, values, errors, tiers=tiers, creating=True),
        status=422 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, code: str):
    """编辑 a programme's identity; its tiers below (rename, order, add, delete)."""
    user = request.user
    programme = _programme(code)
    require_page(services.may_manage_programme(user, programme))
    errors: dict = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in FIELDS}
        values["code"] = programme.code
        try:
            services.programme_update(actor=user, programme=programme, data=values)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, f"已保存认定项目「{values['name']}」")
            return redirect(_list_url(programme))
    else:
        values = {
            **{k: getattr(programme, k) for k in FIELDS if k not in ("owner_region", "title_template")},
            "owner_region": programme.owner_region_id or "",
            "title_template": title_template_as_text(programme.title_template),
        }
    return render(request, "web/programme_form.html", _edit_context(user, programme, values, errors))


def _edit_context(user, programme, values, errors, tier_errors=None) -> dict:
    usage = services.programme_usage(programme)
    tiers = []
    for tier in programme.tiers.order_by("position", "code"):
        used = services._tier_usage(tier)
        tiers.append({"tier": tier, "used": used})
    return _context(
        user,
        values,
        errors,
        programme=programme,
        tier_rows=tiers,
        tier_errors=tier_errors or [],
        usage=services.usage_text(usage),
        in_use=any(usage.values()),
        creating=False,
    )


@login_required
@require_POST
def programme_tiers(request, code: str):
    """One tier action of the edit page: add, rename, up, down, delete."""
    user = request.user
    programme = _programme(code)
    require_page(services.may_manage_programme(user, programme))
    action = request.POST.get("action", "")
    tier = programme.tiers.filter(pk=request.POST.get("tier") or 0).first()
    try:
        if action == "add":
            services.tier_create(
                actor=user,
                programme=programme,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
            )
            done = "已增加梯队"
        elif tier is None:
            raise ValidationError({"tiers": ["请选择梯队"]})
        elif action == "rename":
            services.tier_rename(actor=user, tier=tier, name=request.POST.get("name", ""))
            done = "已修改梯队名称"
        elif action in ("up", "down"):
            order = list(programme.tiers.order_by("position", "code"))
            i = order.index(tier)
            j = i - 1 if action == "up" else i + 1
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
            services.tiers_reorder(actor=user, programme=programme, order=[t.pk for t in order])
            done = "已调整梯队顺序"
        elif action == "delete":
            services.tier_delete(actor=user, tier=tier)
            done = "已删除梯队"
        else:
            raise ValidationError({"tiers": ["无法识别的操作"]})
    except ValidationError as exc:
        problems = [m for ms in exc.message_dict.values() for m in ms]
        values = {
            **{k: getattr(programme, k) for k in FIELDS if k not in ("owner_region", "title_template")},
            "owner_region": programme.owner_region_id or "",
            "title_template": title_template_as_text(programme.title_template),
        }
        context = _edit_context(user, programme, values, {}, tier_errors=problems)
        return render(request, "web/programme_form.html", context, status=422)
    messages.success(request, done)
    return redirect(reverse("programme_edit", args=[programme.code]) + "#tiers")


@login_required
@require_POST
def programme_close(request, code: str):
    user = request.user
    programme = _programme(code)
    require_page(services.may_manage_programme(user, programme))
    try:
        services.programme_close(actor=user, programme=programme, note=request.POST.get("note", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, f"已关闭「{programme.name}」：不再受理新的申报和申报批次，已有认定和名单保持不变"
        )
    return redirect(_list_url(programme))


@login_required
@require_POST
def programme_reopen(request, code: str):
    user = request.user
    programme = _programme(code)
    require_page(services.may_manage_programme(user, programme))
    try:
        services.programme_reopen(actor=user, programme=programme)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已重新开放「{programme.name}」")
    return redirect(_list_url(programme))


@login_required
@require_POST
def programme_delete(request, code: str):
    user = request.user
    programme = _programme(code)
    require_page(services.may_manage_programme(user, programme))
    try:
        services.programme_delete(actor=user, programme=programme)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(_list_url(programme))
    messages.success(request, f"已删除认定项目「{programme.name}」")
    return redirect(_list_url())
