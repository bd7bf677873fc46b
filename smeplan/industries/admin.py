from django.contrib import admin

from smeplan.industries.models import Industry
from smeplan.web.admin import ReadOnlyAdmin


@admin.register(Industry)
class IndustryAdmin(ReadOnlyAdmin):
    """行业 (GB/T 4754-2017): shipped reference data, read-only."""

    list_display = ("code", "name", "level", "section", "division", "parent")
    list_filter = ("level", "section")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
