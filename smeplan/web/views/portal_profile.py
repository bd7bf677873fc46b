"""本单位信息 and 企业信息变更申请 (issue 16, part 2).

* ``/portal/profile/`` — an enterprise (or agency) user's own organisation: the registry record, the
  contact details it edits directly (``registry.services.organisation_update``, limited to
  ``EDITABLE_BY_ENTERPRISE``), its requests and the 信息变更记录;
* ``/portal/changes/`` — its requests and a form per kind (更名, 迁址, 登记注册类型, 并购/重组/转让);
* ``/portal/changes/queue/`` — a bureau's 信息变更审核 (requests of the counties it covers);
* ``/portal/changes/<pk>/`` — one request (before → after, the reports raised), and its actions
  (approve / refuse with a note, withdraw) through ``portal.changes``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from smeplan.portal import changes, selectors
from smeplan.portal.models import ProfileChangeKind, ProfileChangeState
from smeplan.regions.selectors import counties
from smeplan.registry.models import OwnershipType
from smeplan.registry.selectors import organisation_get
from smeplan.registry.services import organisation_update
from smeplan.web import navigation
from smeplan.web.forms import DATE_ATTRS, add_service_errors
from smeplan.web.views.common import flash_errors, require_page


def _text(label, *, required=False, widget=None, help_text=""):
    field = forms.CharField(label=label, required=False, strip=True, widget=widget, help_text=help_text)
    field.required_mark = required
    return field


class ContactForm(forms.Form):
    contact_person = _text("联系人", widget=forms.TextInput(attrs={"maxlength": 40}))
    contact_phone = _text("联系电话", widget=forms.TextInput(attrs={"maxlength": 40}))


def _county_options():
    """Every county of the province, grouped by city-level unit (a firm may move anywhere)."""
    groups: dict[str, list] = {}
    labels: dict[str, str] = {}
    for county in counties().select_related("parent"):
        city_code = county.city_level_unit_code() or county.code
        groups.setdefault(city_code, []).append((county.code, county.name))
        if county.parent is not None:
            labels.setdefault(
                city_code, county.parent.name if county.parent.code == city_code else county.name
            )
    return [("", "—"), *[(labels.get(code, code), options) for code, options in groups.items()]]


class ChangeForm(forms.Form):
    """The fields of one kind of request (the service checks them and says what is wrong)."""

    new_name = _text("新名称", required=True, widget=forms.TextInput(attrs={"maxlength": 120}))
    new_county = _text("迁入区县", required=True, widget=forms.Select())
    new_address = _text("新地址", required=True, widget=forms.TextInput(attrs={"maxlength": 200}))
    new_ownership_type = _text(
        "新登记注册类型", required=True, widget=forms.Select(choices=[("", "—"), *OwnershipType.choices])
    )
    description = _text(
        "变更情况",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text="变更的原因和情况（并购、重组、转让须写明，至少5个字）",
    )
    effective_on = _text(
        "变更日期",
        widget=forms.DateInput(attrs=DATE_ATTRS, format="%Y-%m-%d"),
        help_text="工商变更登记的日期，不能晚于今天；可留空",
    )

    FIELDS = {
        ProfileChangeKind.RENAME: ("new_name", "description", "effective_on"),
        ProfileChangeKind.RELOCATION: ("new_county", "new_address", "description", "effective_on"),
        ProfileChangeKind.LEGAL_FORM: ("new_ownership_type", "description", "effective_on"),
        ProfileChangeKind.MERGER: ("description", "effective_on"),
        ProfileChangeKind.RESTRUCTURING: ("description", "effective_on"),
        ProfileChangeKind.TRANSFER: ("description", "effective_on"),
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in self.FIELDS[kind]:
                del self.fields[name]
        if "new_county" in self.fields:
            self.fields["new_county"].widget.choices = _county_options()
        if kind in (ProfileChangeKind.MERGER, ProfileChangeKind.RESTRUCTURING, ProfileChangeKind.TRANSFER):
            self.fields["description"].required_mark = True

    def service_data(self) -> dict:
        return {"kind": self.kind, **{name: self.cleaned_data.get(name, "") for name in self.fields}}


def _own_organisation(user):
    require_page(navigation.can_open_profile(user))
    return organisation_get(user, user.organisation_id)


# --- 本单位信息 -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    organisation = _own_organisation(user)
    initial = {"contact_person": organisation.contact_person, "contact_phone": organisation.contact_phone}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(actor=user, organisation=organisation, data=dict(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存联系方式")
            return redirect("portal_profile")
    requests = list(selectors.change_requests_of(user, organisation)[:10])
    return render(
        request,
        "web/portal/profile_detail.html",
        {
            "organisation": organisation,
            "former_names": [n for n in organisation.former_names.split("|") if n],
            "form": form,
            "pending": [r for r in requests if r.state == ProfileChangeState.PENDING],
            "history": selectors.change_history_of(user, organisation),
            "kinds": ProfileChangeKind.choices,
        },
        status=422 if form.errors else 200,
    )


# --- 企业信息变更申请 (the firm) -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_list(request):
    user = request.user
    organisation = _own_organisation(user)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    form = None
    if kind in ProfileChangeKind.values:
        form = ChangeForm(request.POST or None, kind=kind)
        if request.method == "POST" and form.is_valid():
            try:
                created = changes.change_request_file(
                    actor=user, organisation=organisation, data=form.service_data()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "已提交变更申请，等待所在区县主管部门审核")
                return redirect("change_request_detail", pk=created.pk)
    elif request.method == "POST":
        messages.error(request, "请选择变更类型")
        return redirect("change_request_list")
    rows = list(selectors.change_requests_of(user, organisation))
    for r in rows:
        r.lines = selectors.change_lines(r)
        r.may_withdraw = "withdraw" in changes.actions_for(user, r)
    return render(
        request,
        "web/portal/change_list.html",
        {
            "organisation": organisation,
            "rows": rows,
            "kinds": ProfileChangeKind.choices,
            "kind": kind if form is not None else "",
            "kind_label": ProfileChangeKind(kind).label if form is not None else "",
            "form": form,
        },
        status=422 if form is not None and form.errors else 200,
    )


# --- 信息变更审核 (the bureau) -----------------------------------------------------------------------

QUEUE_STATES = [("pending", "待审核"), ("all", "全部")]


@login_required
def change_queue(request):
    user = request.user
    require_page(navigation.can_review_changes(user))
    show = request.GET.get("show") or "pending"
    kind = request.GET.get("kind") or ""
    rows = list(selectors.change_queue(user, state="pending" if show != "all" else "", kind=kind)[:200])
    for r in rows:
        r.lines = selectors.change_lines(r)
    return render(
        request,
        "web/portal/change_queue.html",
        {"rows": rows, "show": show, "kind": kind, "shows": QUEUE_STATES, "kinds": ProfileChangeKind.choices},
    )


# --- one request ----------------------------------------------------------------------------------


@login_required
def change_detail(request, pk):
    user = request.user
    change = selectors.change_request_get(user, pk)
    reports = list(change.raised_reports.select_related("certification").order_by("id"))
    return render(
        request,
        "web/portal/change_detail.html",
        {
            "change": change,
            "lines": selectors.change_lines(change),
            "actions": changes.actions_for(user, change),
            "reports": reports,
            "can_open_reports": navigation.can_browse_registry(user),
            "back_to_queue": navigation.can_review_changes(user),
            "back_to_list": navigation.can_open_profile(user),
        },
    )


@login_required
@require_POST
def change_act(request, pk):
    """审核通过 / 不予通过 / 撤回 (``action``), through the one transition of ``portal.changes``."""
    user = request.user
    change = selectors.change_request_get(user, pk)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    try:
        if action == "approve":
            changes.change_request_approve(actor=user, request=change, note=note)
            messages.success(request, "已审核通过，名录已按申请变更")
        elif action == "refuse":
            changes.change_request_refuse(actor=user, request=change, note=note)
            messages.success(request, "已不予通过，并通知申请单位")
        elif action == "withdraw":
            changes.change_request_withdraw(actor=user, request=change)
            messages.success(request, "已撤回申请")
        else:
            messages.error(request, "请选择操作")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("change_request_detail", pk=change.pk)
