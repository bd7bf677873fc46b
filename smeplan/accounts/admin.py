from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from smeplan.accounts.models import ApiToken, User
from smeplan.web.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """用户: role and where the user belongs (a bureau's region or an organisation)."""

    list_display = ("username", "display_name", "role", "region", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "email")
    list_select_related = ("region", "organisation")
    raw_id_fields = ("organisation",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "first_name", "last_name", "email")}),
        (_("角色与归属"), {"fields": ("role", "region", "organisation")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("角色与归属"), {"fields": ("display_name", "role", "region", "organisation")}),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = (*fieldsets, (_("超级用户"), {"fields": ("is_superuser",)}))
        return fieldsets


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """API 令牌: issued by the management command (the token is shown once); here only the hash is
    visible and a token can be renamed or revoked."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("user__username", "name", "prefix")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at", "revoked")
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False
