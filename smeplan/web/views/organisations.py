"""企业名录: list (search, filters, pinyin or credit-code sort, pages with the number found), detail (everything about one
organisation in one place), create / edit / rename."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.accounts.scoping import can_write_organisation, require
from smeplan.exchange.selectors import batches_touching
from smeplan.indicators.derived import GROWTH_FIELDS, RATIOS, DerivedStatus, year_derived
from smeplan.indicators.models import FIGURE_FIELDS
from smeplan.indicators.selectors import figures_of, revisions_of
from smeplan.industries.selectors import divisions, industry_options, sections
from smeplan.portal.selectors import change_history_of
from smeplan.recognition.models import CertificationState
from smeplan.regions.models import Region
from smeplan.registry.classification import above_scale, size_class
from smeplan.registry.models import OrganisationKind, SizeClass
from smeplan.registry.selectors import (
    OrganisationFilters,
    name_changes_of,
    organisation_count,
    organisation_get,
    organisation_page,
)
from smeplan.registry.services import organisation_create, organisation_rename, organisation_update
from smeplan.web import navigation
from smeplan.web.forms import OrganisationForm, RenameForm, add_service_errors
from smeplan.web.templatetags.smeplan_web import persons, wan
from smeplan.web.views.common import county_choices, require_page, visible_cities, visible_counties

PAGE_SIZE = 20
FILTER_KEYS = ("q", "city", "county", "section", "division", "size_class", "above_scale", "kind", "sort")
SORTABLE = ("name", "credit_code", "founded_on")
#: The sort choices offered beside the search box (the column headers also sort).
SORT_CHOICES = (
    ("name", "按名称拼音"),
    ("credit_code", "按统一社会信用代码"),
    ("-founded_on", "按成立日期（新的在前）"),
)


def filters_from(params) -> OrganisationFilters:
    values = {key: (params.get(key) or "").strip() for key in FILTER_KEYS}
    values["sort"] = values["sort"] or "name"
    return OrganisationFilters(**values)


def _chosen_region(regions: list[Region], code: str) -> Region | None:
    return next((r for r in regions if r.code == code), None)


def filter_options(user, filters: OrganisationFilters) -> dict:
    """Choices of the list's filters, limited to the user's scope."""
    cities = visible_cities(user)
    city = _chosen_region(cities, filters.city)
    if city is not None:
        county_list = visible_counties(user, city)
    elif len(cities) <= 1:
        county_list = visible_counties(user)
    else:
        county_list = []
    return {
        "cities": cities,
        "counties": county_list,
        "need_city": not county_list and len(cities) > 1,
        "sections": list(sections()),
        "divisions": list(divisions(filters.section)) if filters.section else [],
        "size_classes": [*SizeClass.choices, ("unknown", _("未划型"))],
        "above_scale_choices": [("1", _("是")), ("0", _("否")), ("unknown", _("无法判定"))],
        "kinds": OrganisationKind.choices,
    }


@login_required
def organisation_list(request):
    user = request.user
    require_page(navigation.can_browse_registry(user))
    filters = filters_from(request.GET)
    page = organisation_page(user, filters, request.GET.get("page"), size=PAGE_SIZE)
    context = {
        "filters": filters,
        "page": page,
        "count": organisation_count(user, filters),
        "sort_choices": [(value, _(label)) for value, label in SORT_CHOICES],
        "sort_values": [value for value, _label in SORT_CHOICES],
        "can_create": navigation.can_create_organisation(user),
        **filter_options(user, filters),
    }
    return render(request, "web/organisation_list.html", context)


# --- detail ---------------------------------------------------------------------------------------


def _figure_rows(figures: list) -> tuple[list[int], list[dict], list[dict]]:
    """Years (oldest first), one row per figure, one row per derived value (growth, ratios)."""
    by_year = {f.year: f for f in figures}
    years = sorted(by_year)
    figure_rows = []
    for field, label, unit in FIGURE_FIELDS:
        fmt = persons if unit == "人" else wan
        figure_rows.append(
            {
                "field": field,
                "label": _(label),
                "unit": _(unit),
                "cells": [fmt(getattr(by_year[y], field)) for y in years],
            }
        )
    derived_by_year = {y: year_derived(by_year[y], by_year.get(y - 1)) for y in years}
    labels = {f"{field}_growth": label for field, label in GROWTH_FIELDS.items()}
    labels |= {name: label for name, (_num, _den, label) in RATIOS.items()}
    derived_rows = []
    for key, label in labels.items():
        cells = []
        for y in years:
            d = derived_by_year[y][key]
            cells.append(
                {
                    "text": d.as_percent(1) if d.status == DerivedStatus.OK else _(d.as_percent(1)),
                    "status": str(d.status),
                    "reason": d.reason,
                }
            )
        derived_rows.append({"key": key, "label": _(label), "cells": cells})
    return years, figure_rows, derived_rows


def _classification(organisation, latest) -> dict | None:
    """Size class and 四上 of the latest year, with the functions' own explanation."""
    if latest is None:
        return None
    out = {"year": latest.year}
    try:
        out["size"] = size_class(
            industry_code=organisation.industry_id,
            employees=latest.employees,
            operating_revenue=latest.operating_revenue,
            total_assets=latest.total_assets,
            year=latest.year,
        )
    except (ValueError, TypeError) as exc:
        out["size_error"] = str(exc)
    try:
        out["scale"] = above_scale(
            industry_code=organisation.industry_id,
            main_business_revenue=latest.main_business_revenue,
            operating_revenue=latest.operating_revenue,
            construction_qualification=organisation.construction_qualification or None,
            year=latest.year,
        )
    except (ValueError, TypeError) as exc:
        out["scale_error"] = str(exc)
    return out


def _revision_value(revision, value) -> str:
    if revision.field == "employees":
        return persons(value)
    return wan(value)


@login_required
def organisation_detail(request, pk):
    user = request.user
    organisation = organisation_get(user, pk)
    figures = figures_of(user, organisation)
    years, figure_rows, derived_rows = _figure_rows(figures)
    revisions = revisions_of(user, organisation, limit=200)
    for r in revisions:
        r.old_text = _revision_value(r, r.old_value)
        r.new_text = _revision_value(r, r.new_value)
    batches, other_batches = batches_touching(user, organisation)
    openable = {b.pk for b in batches} if navigation.can_import(user) else set()
    for r in revisions:
        r.batch_openable = r.import_batch_id in openable
    context = {
        "organisation": organisation,
        "former_names": [n for n in organisation.former_names.split("|") if n],
        "years": years,
        "figure_rows": figure_rows,
        "derived_rows": derived_rows,
        "classification": _classification(organisation, figures[-1] if figures else None),
        "revisions": revisions,
        "name_changes": name_changes_of(user, organisation),
        "change_history": change_history_of(user, organisation),
        "can_edit": can_write_organisation(user, organisation),
        "can_rename": can_write_organisation(user, organisation) and user.role not in ORGANISATION_ROLES,
        **_recognition_sections(user, organisation),
        "batches": batches,
        "batches_openable": bool(openable),
        "other_batches": other_batches,
    }
    return render(request, "web/organisation_detail.html", context)


def _recognition_sections(user, organisation) -> dict:
    """认定、申报、测评、疑点 of one organisation, each through its app's scoped selector — one query
    each, whatever their number; the links only where the user may open the page."""
    from smeplan.evaluation.selectors import results_of_organisation
    from smeplan.flags.selectors import flags_of
    from smeplan.recognition.selectors import applications_of, certifications_of

    certifications = list(certifications_of(user, organisation))
    today = timezone.localdate()
    for c in certifications:
        c.current = c.state == CertificationState.ACTIVE and (c.valid_until is None or c.valid_until >= today)
    may_flags = navigation.can_check_flags(user)
    return {
        "certifications": certifications,
        "current_certifications": sum(1 for c in certifications if c.current),
        "applications": list(applications_of(user, organisation)),
        "can_open_applications": navigation.can_view_applications(user),
        "evaluation_results": results_of_organisation(user, organisation),
        "can_open_runs": navigation.can_evaluate(user),
        "show_flags": may_flags,
        "flags": list(flags_of(user, organisation)) if may_flags else [],
    }


# --- forms ----------------------------------------------------------------------------------------


def _industry_initial(organisation) -> str:
    if organisation.industry is None:
        return ""
    return f"{organisation.industry.code} {organisation.industry.name}"


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create_view(request):
    user = request.user
    require_page(navigation.can_create_organisation(user))
    choices = county_choices(user)
    form = OrganisationForm(request.POST or None, user=user, county_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(actor=user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记单位“%(name)s”") % {"name": organisation.name})
            return redirect("organisation_detail", pk=organisation.pk)
    return render(
        request,
        "web/organisation_form.html",
        {"form": form, "title": _("新增单位"), "industry_options": industry_options(), "organisation": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    user = request.user
    organisation = organisation_get(user, pk)
    require(can_write_organisation(user, organisation), "无权修改该单位")
    initial = {
        "kind": organisation.kind,
        "county": organisation.county_id,
        "industry": _industry_initial(organisation),
        "founded_on": organisation.founded_on,
        "registered_capital": ""
        if organisation.registered_capital is None
        else organisation.registered_capital,
        "ownership_type": organisation.ownership_type,
        "construction_qualification": organisation.construction_qualification,
        "address": organisation.address,
        "contact_person": organisation.contact_person,
        "contact_phone": organisation.contact_phone,
    }
    form = OrganisationForm(
        request.POST or None, initial=initial, user=user, county_choices=county_choices(user), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(actor=user, organisation=organisation, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存单位信息"))
            return redirect("organisation_detail", pk=organisation.pk)
    return render(
        request,
        "web/organisation_form.html",
        {
            "form": form,
            "title": _("修改单位信息"),
            "industry_options": industry_options(),
            "organisation": organisation,
        },
    )


def parse_form_date(text: str, field: str, label: str) -> dt.date | None:
    """A date typed or picked in a form; raises ValidationError({field: [...]}) when unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError({field: [f"{label}应为日期（如 2024-06-30），收到“{text}”"]})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_rename_view(request, pk):
    user = request.user
    organisation = organisation_get(user, pk)
    require(can_write_organisation(user, organisation), "无权修改该单位")
    require(user.role not in ORGANISATION_ROLES, "企业更名请提交信息变更申请，由所在区县主管部门审核")
    form = RenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed_on = parse_form_date(form.cleaned_data["changed_on"], "changed_on", "更名日期")
            organisation_rename(
                actor=user,
                organisation=organisation,
                new_name=form.cleaned_data["new_name"],
                changed_on=changed_on,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已更名，原名称保留在更名记录中并可用于检索"))
            return redirect("organisation_detail", pk=organisation.pk)
    return render(request, "web/rename_form.html", {"form": form, "organisation": organisation})
