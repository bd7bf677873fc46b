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
from smeplan.indicators.services import FiguresNeedConfirmation, figures_create, figures_update
from smeplan.registry.selectors import organisation_get
from smeplan.web.forms import FiguresForm, add_service_errors
from smeplan.web.views.common import confirmed_for, warnings_digest


def save_with_confirmation(request, form, save):
    """Run ``save(confirm_warnings)``: first unconfirmed; when it stops at plausibility warnings
    (tax above revenue, a sign flip …) and the user ticked 确认无误 under exactly these warnings,
    again confirmed; otherwise the warnings go on the form (shown with the tick box) and None is
    returned. Errors are put beside their fields as usual."""
    try:
        return save(False)
    except FiguresNeedConfirmation as exc:
        messages_ = [w.message for w in exc.warnings]
        if confirmed_for(request.POST, messages_):
            try:
                return save(True)
            except ValidationError as again:
                add_service_errors(form, again)
                return None
        form.plausibility_warnings = exc.warnings
        form.warnings_digest = warnings_digest(messages_)
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def figures_create_view(request, pk):
    user = request.user
    organisation = organisation_get(user, pk)
    require(can_write_organisation(user, organisation), "无权填报该单位的数据")
    form = FiguresForm(request.POST or None, with_year=True)
    if request.method == "POST" and form.is_valid():
        figures = save_with_confirmation(
            request,
            form,
            lambda confirm: figures_create(
                actor=user,
                organisation=organisation,
                data=form.figure_data(),
                note=form.cleaned_data["note"],
                confirm_warnings=confirm,
            ),
        )
        if figures is not None:
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
        saved = save_with_confirmation(
            request,
            form,
            lambda confirm: figures_update(
                actor=user,
                organisation=organisation,
                year=figures.year,
                data=form.figure_data(),
                note=form.cleaned_data["note"],
                confirm_warnings=confirm,
            ),
        )
        if saved is not None:
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
