from django.contrib import admin

from smeplan.notifications.models import OutgoingMail, Reminder
from smeplan.web.admin import ReadOnlyAdmin


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """待发邮件: what went out, what failed and why (retried by the scheduled sender)."""

    list_display = ("created_at", "to", "subject", "sent_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("to", "subject")
    show_full_result_count = False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("sent_on", "user", "subject_key", "stage")
    list_filter = ("stage",)
    search_fields = ("subject_key", "user__username")
    list_select_related = ("user",)
    show_full_result_count = False
