from django.contrib import admin

from smeplan.regions.models import Region, RegionAlias
from smeplan.web.admin import ReadOnlyAdmin


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    extra = 0
    fields = ("alias", "note")
    readonly_fields = ("alias", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """区划: shipped reference data (GB/T 2260 and the bureau hierarchy); read-only here because
    the materialised paths drive every user's data scope."""

    list_display = ("code", "name", "level", "parent", "is_county", "path")
    list_filter = ("level", "is_county")
    search_fields = ("code", "name", "aliases__alias")
    list_select_related = ("parent",)
    inlines = [RegionAliasInline]
