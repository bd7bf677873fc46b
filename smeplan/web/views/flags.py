"""虚假信息疑点: the list for the province and the bureaus (filters: year, kind, state, county,
programme), each flag with its explanation, the enterprise link and the decision (确认为虚假信息 /
核实无误, with a note); the 检测 form runs detection for a year. A flag is a hint; a person decides.

Changes only through ``flags.services`` (which check who may act); reads through ``flags.selectors``
(scoped)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from smeplan.flags import selectors, services
from smeplan.flags.models import FlagKind, FlagState
from smeplan.programmes.models import Programme
from smeplan.registry.selectors import page_of
from smeplan.web.views.common import county_choices, flash_errors, require_page, safe_next


def _filters(request) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in selectors.FILTERS}


@login_required
@require_GET
def flag_list(request):
    user = request.user
    require_page(selectors.may_read_flags(user))
    f = _filters(request)
    page = page_of(selectors.flags_filtered(user, **f), request.GET.get("page"), size=30)
    for flag in page.items:
        flag.may_decide = services.may_decide(user, flag)
    this_year = timezone.localdate().year
    return render(
        request,
        "web/flags_list.html",
        {
            "page": page,
            "f": f,
            "kinds": FlagKind.choices,
            "states": FlagState.choices,
            "counties": county_choices(user),
            "programmes": Programme.objects.order_by("position"),
            "years": list(range(this_year, this_year - 8, -1)),
            "may_detect": services.may_detect(user),
            "detect_year": f["year"] or str(this_year - 1),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def flag_detect(request):
    user = request.user
    require_page(services.may_detect(user))
    year = request.POST.get("year", "").strip()
    code = request.POST.get("programme", "").strip()
    programme = Programme.objects.filter(code=code).first() if code else None
    try:
        if code and programme is None:
            raise ValidationError({"programme": [f"认定项目“{code}”不存在"]})
        counts = services.flags_detect(actor=user, year=year, programme=programme)
    except ValidationError as e:
        flash_errors(request, e)
        return redirect("flag_list")
    messages.success(
        request,
        f"{year}年检测完成：评价企业 {counts['enterprises']} 家，发现疑点 {counts['found']} 条"
        f"（新增 {counts['created']}，更新 {counts['refreshed']}，已核实保持不变 {counts['kept']}，"
        f"不再出现而撤销 {counts['withdrawn']}）",
    )
    return redirect(
        reverse("flag_list") + "?" + urlencode({"year": year, **({"programme": code} if code else {})})
    )


@login_required
@require_POST
def flag_decide(request, pk: int):
    user = request.user
    require_page(selectors.may_read_flags(user))
    flag = selectors.flag_get(user, pk)
    confirmed = request.POST.get("confirmed", "") == "1"
    try:
        flag = services.flag_decide(
            actor=user, flag=flag, confirmed=confirmed, note=request.POST.get("note", "")
        )
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(
            request,
            f"已将{flag.organisation.name}的疑点（{flag.get_kind_display()}）核实为：{flag.get_state_display()}",
        )
    return redirect(safe_next(request, reverse("flag_list")))
