"""数据填报 in the admin: read-only (campaigns are issued and changed through the services, which
check the scope and write the audit event; tasks move only along ``answers.TASK_TRANSITIONS``)."""

from django.contrib import admin

from smeplan.campaigns.models import Campaign, CampaignTask
from smeplan.web.admin import ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "year",
        "region",
        "targeting",
        "content",
        "opens_on",
        "deadline",
        "state",
        "task_count",
    )
    list_filter = ("state", "targeting", "content", "year")
    search_fields = ("title", "auto_key")
    list_select_related = ("region",)


@admin.register(CampaignTask)
class CampaignTaskAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "organisation", "county", "state", "submitted_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("organisation__name", "organisation__credit_code")
    list_select_related = ("campaign", "organisation", "county")
    raw_id_fields = ("organisation", "obligation")
