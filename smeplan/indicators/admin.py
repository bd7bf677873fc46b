"""Yearly figures in the admin. Saving goes through figures_create / figures_update, so every
changed value is a revision and an audit event; revisions themselves are read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision
from smeplan.indicators.services import figures_create, figures_update
from smeplan.indicators.validation import figures_clean
from smeplan.web.admin import ProvincialAdmin, ReadOnlyAdmin

ADMIN_NOTE = "后台管理录入"


class AnnualFiguresAdminForm(forms.ModelForm):
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
                )
        else:
            data = {f: form.cleaned_data.get(f) for f in ("year", *FIGURE_NAMES)}
            created = figures_create(
                actor=request.user, organisation=form.cleaned_data["organisation"], data=data, note=ADMIN_NOTE
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
