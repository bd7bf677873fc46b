"""Yearly figures in the admin. Saving goes through figures_create / figures_update, so every
changed value is a revision and an audit event; revisions themselves are read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision
from smeplan.indicators.services import (
    FiguresNeedConfirmation,
    figures_check_warnings,
    figures_create,
    figures_update,
)
from smeplan.indicators.validation import figures_clean
from smeplan.web.admin import ProvincialAdmin, ReadOnlyAdmin

ADMIN_NOTE = "后台管理录入"


class AnnualFiguresAdminForm(forms.ModelForm):
    confirm_warnings = forms.BooleanField(
        label="确认无误",
        required=False,
        help_text="数据核实提示（如实缴税金高于营业收入、利润总额正负号改变）已核实无误时勾选后保存",
    )

    class Meta:
        model = AnnualFigures
        fields = ("organisation", "year", *FIGURE_NAMES)

    def clean(self):
        cleaned = super().clean()
        data = {f: cleaned.get(f) for f in FIGURE_NAMES if f in cleaned}
        with_year = not self.instance.pk
        if with_year:
            data["year"] = cleaned.get("year")
        try:
            figures_clean(data, with_year=with_year)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
            return cleaned
        organisation = self.instance.organisation if self.instance.pk else cleaned.get("organisation")
        year = self.instance.year if self.instance.pk else cleaned.get("year")
        if organisation is None or year is None or self.errors:
            return cleaned
        values = {f: cleaned.get(f) for f in FIGURE_NAMES}
        changed = set(self.changed_data) & set(FIGURE_NAMES) if self.instance.pk else None
        try:  # the same plausibility check as every other entry point
            figures_check_warnings(
                organisation=organisation,
                year=int(year),
                values=values,
                changed=changed,
                confirm_warnings=bool(cleaned.get("confirm_warnings")),
            )
        except FiguresNeedConfirmation as exc:
            for w in exc.warnings:
                self.add_error(w.field if w.field in self.fields else None, w.message)
            self.add_error("confirm_warnings", "以上数据请核实；确认无误后勾选“确认无误”再保存")
        return cleaned


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(ProvincialAdmin):
    form = AnnualFiguresAdminForm
    list_display = ("organisation", "year", "operating_revenue", "total_profit", "employees", "total_assets")
    search_fields = ("organisation__name", "organisation__credit_code")
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ("organisation", "year", "updated_at") if obj is not None else ("updated_at",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            data = {f: form.cleaned_data.get(f) for f in form.changed_data if f in FIGURE_NAMES}
            if data:
                figures_update(
                    actor=request.user,
                    organisation=obj.organisation,
                    year=obj.year,
                    data=data,
                    note=ADMIN_NOTE,
                    confirm_warnings=bool(form.cleaned_data.get("confirm_warnings")),
                )
        else:
            data = {f: form.cleaned_data.get(f) for f in ("year", *FIGURE_NAMES)}
            created = figures_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                data=data,
                note=ADMIN_NOTE,
                confirm_warnings=bool(form.cleaned_data.get("confirm_warnings")),
            )
            obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(FigureRevision)
class FigureRevisionAdmin(ReadOnlyAdmin):
    list_display = (
        "organisation",
        "year",
        "field",
        "old_value",
        "new_value",
        "source",
        "actor",
        "created_at",
    )
    list_filter = ("source",)
    search_fields = ("organisation__name", "organisation__credit_code", "field")
    list_select_related = ("organisation", "actor")
    show_full_result_count = False
