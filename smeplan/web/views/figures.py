"""年度数据: add a year, edit a year — through figures_create / figures_update."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smeplan.accounts.scoping import can_write_organisation, require
from smeplan.indicators.models import FIGURE_NAMES
from smeplan.indicators.selectors import figures_get
from smeplan.indicators.services import figures_create, figures_update
from smeplan.registry.selectors import organisation_get
from smeplan.web.forms import FiguresForm, add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def figures_create_view(request, pk):
    user = request.user
    organisation = organisation_get(user, pk)
    require(can_write_organisation(user, organisation), "无权填报该单位的数据")
    form = FiguresForm(request.POST or None, with_year=True)
    if request.method == "POST" and form.is_valid():
        try:
            figures = figures_create(
                actor=user, organisation=organisation, data=form.figure_data(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(year)s 年度数据") % {"year": figures.year})
            return redirect(f"{organisation_url(organisation)}#figures")
    return render(
        request,
        "web/figures_form.html",
        {"form": form, "organisation": organisation, "year": None, "title": _("新增年度数据")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def figures_edit_view(request, pk, year):
    user = request.user
    organisation = organisation_get(user, pk)
    figures = figures_get(user, organisation, year)
    if figures is None:
        raise Http404("没有该年度数据")
    require(can_write_organisation(user, organisation), "无权填报该单位的数据")
    initial = {f: "" if getattr(figures, f) is None else getattr(figures, f) for f in FIGURE_NAMES}
    form = FiguresForm(request.POST or None, initial=initial, with_year=False)
    if request.method == "POST" and form.is_valid():
        try:
            figures_update(
                actor=user,
                organisation=organisation,
                year=figures.year,
                data=form.figure_data(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(year)s 年度数据") % {"year": figures.year})
            return redirect(f"{organisation_url(organisation)}#figures")
    return render(
        request,
        "web/figures_form.html",
        {"form": form, "organisation": organisation, "year": figures.year, "title": _("修改年度数据")},
    )


def organisation_url(organisation) -> str:
    from django.urls import reverse

    return reverse("organisation_detail", args=[organisation.pk])
