from django.apps import apps
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from smeplan.audit.display import describe_events
from smeplan.audit.events import EVENT_NAMES, event_name
from smeplan.audit.models import AuditEvent
from smeplan.web.admin import ReadOnlyAdmin


def _kind(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return "其他对象"


class EventTypeFilter(admin.SimpleListFilter):
    """事件类型, by its Chinese name: every type present in the trail."""

    title = _("事件类型")
    parameter_name = "event_type"

    def lookups(self, request, model_admin):
        order = {code: n for n, code in enumerate(EVENT_NAMES)}
        present = AuditEvent.objects.order_by().values_list("event_type", flat=True).distinct()
        return sorted(
            ((c, event_name(c)) for c in present), key=lambda x: (order.get(x[0], len(order)), x[1])
        )

    def queryset(self, request, queryset):
        return queryset.filter(event_type=self.value()) if self.value() else queryset


class SubjectTypeFilter(admin.SimpleListFilter):
    title = _("对象类别")
    parameter_name = "subject_type"

    def lookups(self, request, model_admin):
        present = AuditEvent.objects.order_by().values_list("subject_type", flat=True).distinct()
        return sorted(((label, _kind(label)) for label in present), key=lambda x: x[1])

    def queryset(self, request, queryset):
        return queryset.filter(subject_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "event", "subject_kind", "subject_label")
    list_filter = (EventTypeFilter, SubjectTypeFilter)
    search_fields = ("subject_label", "subject_id", "actor__username")
    list_select_related = ("actor",)
    show_full_result_count = False
    fields = ("created_at", "actor", "event", "subject_kind", "subject_label", "content")
    readonly_fields = fields

    @admin.display(description=_("操作"))
    def event(self, obj):
        return event_name(obj.event_type)

    @admin.display(description=_("对象类别"))
    def subject_kind(self, obj):
        return _kind(obj.subject_type)

    @admin.display(description=_("内容"))
    def content(self, obj):
        changes = describe_events([obj])[0].changes
        return format_html_join("\n", "<div>{}</div>", ((str(c),) for c in changes)) or "—"
