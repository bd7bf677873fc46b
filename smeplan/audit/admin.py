from django.contrib import admin

from smeplan.audit.models import AuditEvent
from smeplan.web.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "event_type", "subject_type", "subject_label")
    list_filter = ("event_type", "subject_type")
    search_fields = ("subject_label", "subject_id", "actor__username")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"
    show_full_result_count = False
