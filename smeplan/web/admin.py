"""The Django admin (后台管理) for provincial admins only, and the ModelAdmin bases every app uses.

- ``admin.site.has_permission`` admits active superusers and provincial admins (not ``is_staff``);
  the admin login form applies the same rule and the login page's lockout.
- :class:`ProvincialAdmin` gives provincial admins every model permission in the admin;
  :class:`ReadOnlyAdmin` lets them look but not add, change or delete (reference data, logs).
- Changes made in the admin to models that have no service are written to the audit trail.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from smeplan.accounts.throttle import ThrottledLoginMixin


def is_admin_user(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "role", None) == "provincial_admin")
    )


def _site_has_permission(request) -> bool:
    return is_admin_user(request.user)


class ProvincialAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's login form, with 'provincial admin' in place of 'is_staff', locked after repeated
    failures like the login page (the same counts: ``accounts.throttle``)."""

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        if not is_admin_user(user):
            raise forms.ValidationError(_("后台管理仅限省级管理员使用。"), code="invalid_login")


admin.site.has_permission = _site_has_permission
admin.site.login_form = ProvincialAdminAuthenticationForm
admin.site.site_header = _("陕西省中小企业行动计划管理系统 · 后台管理")
admin.site.site_title = _("后台管理")
admin.site.index_title = _("数据与账号管理")
admin.site.site_url = "/"


class ProvincialAdmin(admin.ModelAdmin):
    """Provincial admins hold every permission in the admin (no per-model Django permissions)."""

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request):
        return is_admin_user(request.user)

    def has_change_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_admin_user(request.user)


class ReadOnlyAdmin(ProvincialAdmin):
    """View only: reference data and records that only services may write."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(ProvincialAdmin):
    """For models without a write service: every save in the admin records an audit event
    (``<model>.created`` / ``<model>.updated`` with the changed fields) in the admin's transaction.
    Deleting is not offered (deactivate or revoke instead), so the trail stays complete."""

    audit_exclude_fields = ("password",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from smeplan.audit.services import audit_record

        super().save_model(request, obj, form, change)
        changed = [
            f
            for f in form.changed_data
            if f not in self.audit_exclude_fields and not f.startswith("password") and f != "usable_password"
        ]
        payload = {"changed": changed, "values": {f: _plain(form.cleaned_data.get(f)) for f in changed}}
        if any(f.startswith("password") for f in form.changed_data):
            payload["password_set"] = True
        audit_record(
            actor=request.user,
            event_type=f"{obj._meta.model_name}.{'updated' if change else 'created'}",
            subject=obj,
            payload=payload,
        )


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "pk"):
        return str(value.pk)
    if hasattr(value, "__iter__"):
        return [_plain(v) for v in value]
    return str(value)
