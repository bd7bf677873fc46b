"""评分结果 (stored scores of applications against their rubric): the list per programme and year,
sortable, with the .xlsx export; 计算评分 for the bureaus; one application's explanation line by
line. Everything through ``recognition.scoring`` and the scoped application selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from smeplan.exchange import export as engine
from smeplan.exchange.export import MONEY, Column, Export
from smeplan.programmes import rubric
from smeplan.programmes.models import Programme
from smeplan.recognition import selectors
from smeplan.recognition.models import ApplicationScore
from smeplan.recognition.scoring import applications_score, score_explanation
from smeplan.registry.selectors import page_of
from smeplan.web import navigation
from smeplan.web.views.common import require_page

SORT_LABELS = {key: label for key, (_, label) in selectors.SCORE_SORTS.items()}


def _programmes():
    return Programme.objects.filter(rubric_versions__isnull=False).distinct().order_by("position", "code")


def _latest_scored(user) -> str:
    """The programme of the latest score the user sees: the list opens on what was just computed."""
    return (
        selectors.scores_visible_to(user)
        .order_by("-computed_at", "-id")
        .values_list("application__programme__code", flat=True)
        .first()
        or ""
    )


def _filters(request):
    programmes = list(_programmes())
    code = (
        request.GET.get("programme")
        or _latest_scored(request.user)
        or (programmes[0].code if programmes else "")
    )
    programme = next((p for p in programmes if p.code == code), None)
    try:
        year = int(request.GET.get("year", "") or 0) or None
    except ValueError:
        year = None
    sort = request.GET.get("sort", "total")
    if sort not in selectors.SCORE_SORTS:
        sort = "total"
    return programmes, programme, year, sort


def scores_of(user, programme, year, sort):
    return selectors.scores_of(user, programme=programme, year=year, sort=sort)


@login_required
@require_GET
def score_list(request):
    user = request.user
    require_page(navigation.can_review(user))
    programmes, programme, year, sort = _filters(request)
    qs = scores_of(user, programme, year, sort)
    page = page_of(qs, request.GET.get("page"), size=50)
    years = sorted(
        set(
            ApplicationScore.objects.filter(application__programme=programme).values_list(
                "reference_year", flat=True
            )
        )
        if programme
        else set(),
        reverse=True,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/score_list.html",
        {
            "programmes": programmes,
            "programme": programme,
            "year": year,
            "years": years,
            "sort": sort,
            "sorts": SORT_LABELS,
            "page": page,
            "outcomes": rubric.OUTCOME_NAMES,
            "convention": rubric.CONVENTION,
            "query": query.urlencode(),
            "export_url": reverse("score_export") + ("?" + request.GET.urlencode() if request.GET else ""),
        },
    )


@login_required
@require_POST
def score_compute(request):
    user = request.user
    require_page(navigation.can_review(user))
    programme = Programme.objects.filter(code=request.POST.get("programme", "")).first()
    if programme is None:
        raise Http404("认定项目不存在")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "请填写申报年度（如 2024）")
        return redirect(f"{reverse('score_list')}?programme={programme.code}")
    try:
        count = applications_score(actor=user, programme=programme, year=year)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已计算 {count} 件申报的评分")
    return redirect(f"{reverse('score_list')}?programme={programme.code}&year={year}")


COLUMNS = [
    Column("企业名称", width=36),
    Column("统一社会信用代码", width=22),
    Column("所在区县", shared=True),
    Column("梯队/类别", shared=True),
    Column("申报年度", "integer"),
    Column("评分细则", width=30, shared=True),
    Column("自动计分", MONEY, unit="分"),
    Column("专家评分", MONEY, unit="分"),
    Column("总分", MONEY, unit="分"),
    Column("评分结论", shared=True),
    Column("数据不全的指标", width=40),
]


@login_required
@require_GET
def score_export(request):
    user = request.user
    require_page(navigation.can_review(user))
    _choices, programme, year, sort = _filters(request)
    qs = scores_of(user, programme, year, sort)
    filters = [
        ("认定项目", programme.name if programme else "全部"),
        ("申报年度", str(year) if year else "全部"),
    ]

    def rows():
        for s in qs.iterator(chunk_size=2000):
            a = s.application
            items = s.rubric_version.design.get("indicators", [])
            missing = [
                i["label"]
                for i, line in zip(items, s.lines.get("i", []), strict=False)
                if line[1] == rubric.MISSING
            ]
            yield (
                a.organisation.name,
                a.organisation.credit_code,
                a.organisation.county.name,
                a.tier.name,
                s.reference_year,
                str(s.rubric_version),
                s.automatic_points,
                s.expert_points,
                s.total,
                rubric.OUTCOME_NAMES.get(s.outcome, ""),
                "、".join(missing) or None,
            )

    return engine.xlsx_response(
        Export(
            title="评分结果",
            actor=user,
            columns=COLUMNS,
            rows=rows(),
            filters=filters,
            sheet_name="评分结果",
            empty_message="没有符合条件的评分结果",
            notes=[("区间约定", rubric.CONVENTION)],
        )
    )


@login_required
@require_GET
def score_detail(request, pk: int):
    """One application's score, line by line (its detail page links here)."""
    user = request.user
    application = selectors.application_get(user, pk)
    require_page(navigation.can_review(user))
    score = ApplicationScore.objects.filter(application=application).select_related("rubric_version").first()
    return render(
        request,
        "web/score_detail.html",
        {
            "application": application,
            "score": score,
            "explanation": score_explanation(score) if score else None,
            "can_compute": navigation.can_review(user),
        },
    )


@login_required
@require_POST
def score_one(request, pk: int):
    user = request.user
    application = selectors.application_get(user, pk)
    require_page(navigation.can_review(user))
    try:
        applications_score(actor=user, applications=[application])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "评分已重新计算")
    return redirect("score_detail", application.pk)
