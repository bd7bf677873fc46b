"""企业自助服务 in the admin: read-only (registrations are decided on the county's queue, invitations
by the firm's administrator, changes by the county — each through its service and audited)."""

from django.contrib import admin

from smeplan.portal.models import EnterpriseRegistration, Invitation, ProfileChangeRequest
from smeplan.web.admin import ReadOnlyAdmin


@admin.register(EnterpriseRegistration)
class EnterpriseRegistrationAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "county", "state", "created_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("name", "credit_code", "user__username")
    list_select_related = ("county",)
    raw_id_fields = ("user", "organisation", "decided_by")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organisation", "created_at", "expires_at", "accepted_at", "revoked_at")
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation",)
    exclude = ("token_hash",)
    raw_id_fields = ("organisation", "invited_by", "accepted_by")


@admin.register(ProfileChangeRequest)
class ProfileChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "kind", "state", "requested_at", "decided_at")
    list_filter = ("kind", "state")
    search_fields = ("organisation__name", "organisation__credit_code")
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation", "requested_by", "decided_by", "raised_reports")
