"""Forms of the pages. They only render inputs and carry raw text: validation and every Chinese
message come from the services (one set of rules for pages, API and imports); a service's
``ValidationError`` is put beside the fields by :func:`add_service_errors`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smeplan.accounts.models import ORGANISATION_ROLES
from smeplan.indicators.models import FIGURE_FIELDS
from smeplan.registry.models import ConstructionQualification, OrganisationKind, OwnershipType
from smeplan.registry.services import EDITABLE_BY_ENTERPRISE

DATE_ATTRS = {"type": "date"}


def _text(label, *, required_mark=False, widget=None, help_text=""):
    field = forms.CharField(label=label, required=False, strip=True, widget=widget, help_text=help_text)
    field.required_mark = required_mark
    return field


def _number(label, *, integer=False):
    attrs = {"inputmode": "numeric" if integer else "decimal", "autocomplete": "off", "class": "num"}
    return _text(label, widget=forms.TextInput(attrs=attrs))


def _select(label, choices, *, blank=True, required_mark=False):
    options = ([("", "—")] if blank else []) + list(choices)
    return _text(label, required_mark=required_mark, widget=forms.Select(choices=options))


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put each message of a service's ValidationError beside its field (unknown keys: on top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class OrganisationForm(forms.Form):
    """登记 / 修改单位. ``county_choices`` are the counties within the user's scope, grouped by
    city-level unit: [(city name, [(code, name), …]), …]."""

    credit_code = _text(
        _("统一社会信用代码"),
        required_mark=True,
        widget=forms.TextInput(attrs={"maxlength": 30, "autocomplete": "off", "class": "code"}),
        help_text=_("18位，可含大写字母（不含 I、O、S、V、Z）"),
    )
    name = _text(_("单位名称"), required_mark=True, widget=forms.TextInput(attrs={"maxlength": 120}))
    kind = _select(_("单位类型"), OrganisationKind.choices, blank=False, required_mark=True)
    county = _select(_("所属区县"), [], required_mark=True)
    industry = _text(
        _("所属行业"),
        widget=forms.TextInput(attrs={"list": "industry-options", "autocomplete": "off"}),
        help_text=_("输入行业代码或名称关键字后从列表选择（GB/T 4754-2017）"),
    )
    founded_on = _text(_("成立日期"), widget=forms.DateInput(attrs=DATE_ATTRS, format="%Y-%m-%d"))
    registered_capital = _number(_("注册资本（万元）"))
    ownership_type = _select(_("登记注册类型"), OwnershipType.choices)
    construction_qualification = _select(_("建筑业资质"), ConstructionQualification.choices)
    address = _text(_("地址"), widget=forms.TextInput(attrs={"maxlength": 200}))
    contact_person = _text(_("联系人"), widget=forms.TextInput(attrs={"maxlength": 40}))
    contact_phone = _text(_("联系电话"), widget=forms.TextInput(attrs={"maxlength": 40}))

    def __init__(self, *args, user, county_choices=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].widget.choices = [("", "—"), *county_choices]
        if editing:
            del self.fields["credit_code"]
            del self.fields["name"]
            if user.role in ORGANISATION_ROLES:
                for name in list(self.fields):
                    if name not in EDITABLE_BY_ENTERPRISE:
                        del self.fields[name]

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}


class RenameForm(forms.Form):
    new_name = _text(_("新名称"), required_mark=True, widget=forms.TextInput(attrs={"maxlength": 120}))
    changed_on = _text(
        _("更名日期"),
        widget=forms.DateInput(attrs=DATE_ATTRS, format="%Y-%m-%d"),
        help_text=_("留空表示今天"),
    )


class FiguresForm(forms.Form):
    """新增 / 修改年度数据: the year (when adding) and every figure of FIGURE_FIELDS."""

    year = _text(
        _("年度"), required_mark=True, widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5})
    )

    def __init__(self, *args, with_year=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_year:
            del self.fields["year"]
        for field, label, unit in FIGURE_FIELDS:
            self.fields[field] = _number(f"{_(label)}（{_(unit)}）", integer=(unit == "人"))
        self.fields["note"] = _text(
            _("说明"), widget=forms.TextInput(attrs={"maxlength": 200}), help_text=_("如数据来源、修改原因")
        )

    def figure_data(self) -> dict:
        data = {f: self.cleaned_data.get(f, "") for f, _label, _unit in FIGURE_FIELDS}
        if "year" in self.fields:
            data["year"] = self.cleaned_data.get("year", "")
        return data
