"""An approved 更名 request renames the firm in the registry through the rename service: the old name
stays in the name history and remains searchable; the request shows before → after."""

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.portal.changes import change_request_approve
from smeplan.portal.selectors import change_history_of
from smeplan.registry.selectors import OrganisationFilters, organisation_search
from tests.factories import OrganisationFactory, change_request_make, county_officer, enterprise_user

pytestmark = pytest.mark.django_db


def test_approving_a_rename_keeps_the_old_name_in_the_history():
    org = OrganisationFactory(name="西安老字号机械有限公司")
    firm = enterprise_user(org)
    request = change_request_make(
        org, actor=firm, kind="rename", new_name="西安新时代智能装备有限公司", effective_on="2026-03-01"
    )
    org.refresh_from_db()
    assert org.name == "西安老字号机械有限公司"  # nothing changes before the county decides

    officer = county_officer("610113")
    change_request_approve(actor=officer, request=request, note="材料齐全")

    org.refresh_from_db()
    assert org.name == "西安新时代智能装备有限公司"
    (change,) = org.name_changes.all()
    assert (change.old_name, change.new_name, str(change.changed_on)) == (
        "西安老字号机械有限公司",
        "西安新时代智能装备有限公司",
        "2026-03-01",
    )
    assert list(organisation_search(officer, OrganisationFilters(q="老字号"))) == [org]
    (approved,) = change_history_of(firm, org)
    assert approved.decided_by == officer and approved.decision_note == "材料齐全"
    assert [(line.label, line.before, line.after) for line in approved.lines] == [
        ("名称", "西安老字号机械有限公司", "西安新时代智能装备有限公司")
    ]
    assert set(AuditEvent.objects.values_list("event_type", flat=True)) >= {
        "profile_change.filed",
        "profile_change.approved",
        "organisation.renamed",
    }
    assert firm.notifications.filter(title__contains="已通过").count() == 1
