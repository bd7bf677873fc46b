"""年度报告 — the page to choose a plan period, an area and a year, and the downloads of the report
as PDF (WeasyPrint) and .xlsx (``targets.report``). Read like the dashboard: ``selectors.may_read``,
and the area through ``selectors.area_for`` (a city the user may not see is a 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from smeplan.recognition import clock
from smeplan.targets import report as annual
from smeplan.targets import selectors
from smeplan.web.views.common import require_page, split_errors

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def report_page(request):
    """GET: the choice; ``?format=pdf|xlsx``: the report as a download."""
    user = request.user
    require_page(selectors.may_read(user))
    today = clock.today()
    code = request.GET.get("period") or ""
    if code:
        period = selectors.periods().filter(code=code).first()
        if period is None:
            raise Http404("规划期不存在")
    else:
        period = selectors.period_current(today)
        if period is None:
            raise Http404("尚未设置规划期")
    city = request.GET.get("city") or None
    area = selectors.area_for(user, city)  # 404 for a city the user may not see
    fmt = request.GET.get("format") or ""
    if fmt and fmt not in FORMATS:
        raise Http404("不支持的格式")
    year_text = request.GET.get("year") or ""
    field_errors: dict = {}
    if fmt:
        try:
            report = annual.annual_report(user=user, period=period, city=city, year=year_text or None)
        except ValidationError as e:
            field_errors, _general = split_errors(e)
        else:
            body = annual.report_pdf(report) if fmt == "pdf" else annual.report_xlsx(report)
            response = HttpResponse(body, content_type=FORMATS[fmt])
            response["Content-Disposition"] = content_disposition_header(True, report.filename(fmt))
            response["Cache-Control"] = "private, no-store"
            return response
    last_year = min(max(today.year, period.start_year), period.end_year)
    return render(
        request,
        "web/targets/report_form.html",
        {
            "period": period,
            "periods": selectors.periods(),
            "area": area,
            "cities": selectors.cities_for(user),
            "years": list(range(last_year, period.start_year - 1, -1)),
            "year": year_text or str(last_year),
            "format": fmt or "pdf",
            "field_errors": field_errors,
        },
        status=422 if field_errors else 200,
    )
