"""Organisations in the admin. Saving goes through the registry services (validation, audit,
name history), exactly like the pages and the API."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smeplan.registry.models import Organisation, OrganisationNameChange
from smeplan.registry.services import organisation_create, organisation_rename, organisation_update
from smeplan.registry.validation import organisation_clean
from smeplan.web.admin import ProvincialAdmin

EDIT_FIELDS = (
    "kind", "county", "industry", "founded_on", "registered_capital", "ownership_type",
    "construction_qualification", "address", "contact_person", "contact_phone",
)  # fmt: skip


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("credit_code", "name", *EDIT_FIELDS)

    def clean(self):
        cleaned = super().clean()
        data = {f: cleaned.get(f) for f in self.fields if f in cleaned}
        if self.instance.pk:
            data.pop("credit_code", None)
            data.pop("name", None)
        try:
            organisation_clean(data, partial=bool(self.instance.pk))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
                elif field not in self.fields:
                    self.add_error(None, messages)
        return cleaned


class NameChangeInline(admin.TabularInline):
    model = OrganisationNameChange
    extra = 0
    fields = ("changed_on", "old_name", "new_name", "recorded_by", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ProvincialAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "credit_code", "county", "industry", "kind", "size_class", "above_scale")
    list_filter = ("kind", "size_class", "above_scale")
    search_fields = ("name", "credit_code", "former_names")
    list_select_related = ("county", "industry")
    raw_id_fields = ("industry",)
    show_full_result_count = False
    readonly_fields = (
        "former_names",
        "size_class",
        "above_scale",
        "classified_year",
        "created_at",
        "updated_at",
    )
    inlines = [NameChangeInline]
    fieldsets = (
        (None, {"fields": ("credit_code", "name", "former_names", "kind")}),
        (_("所属"), {"fields": ("county", "industry")}),
        (
            _("登记信息"),
            {"fields": ("founded_on", "registered_capital", "ownership_type", "construction_qualification")},
        ),
        (_("联系方式"), {"fields": ("address", "contact_person", "contact_phone")}),
        (_("划型（由年度数据计算）"), {"fields": ("size_class", "above_scale", "classified_year")}),
        (_("记录"), {"fields": ("created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "credit_code") if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        return False  # organisations are never deleted (figures, users and history refer to them)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in form.changed_data if f in EDIT_FIELDS}
        if not change:
            values = {f: form.cleaned_data.get(f) for f in ("credit_code", "name", *EDIT_FIELDS)}
            created = organisation_create(actor=request.user, data=values)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        if "name" in form.changed_data:
            organisation_rename(actor=request.user, organisation=obj, new_name=form.cleaned_data["name"])
        if data:
            organisation_update(actor=request.user, organisation=obj, data=data)
        obj.refresh_from_db()
