"""A code new to the registry is proposed; on approval the organisation is registered in the
request's county (audited as 登记单位) and the account becomes its administrator."""

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.portal.registration import registration_approve
from smeplan.registry.models import Organisation
from tests.factories import city_officer, registration_make

pytestmark = pytest.mark.django_db


def test_approval_registers_the_organisation():
    registration = registration_make(name="渭水新材料有限公司", contact_name="李主任")
    assert registration.proposes_new and registration.organisation is None
    officer = city_officer("610100")  # 西安 covers 雁塔区

    registration_approve(actor=officer, registration=registration)

    org = Organisation.objects.get(credit_code=registration.credit_code)
    assert (org.name, org.county_id, org.kind, org.contact_person) == (
        "渭水新材料有限公司",
        "610113",
        "enterprise",
        "李主任",
    )
    registration.refresh_from_db()
    registration.user.refresh_from_db()
    assert registration.organisation == org and registration.user.organisation == org
    assert registration.user.is_organisation_admin
    assert AuditEvent.objects.filter(event_type="organisation.created", subject_id=str(org.pk)).exists()
    assert AuditEvent.objects.filter(
        event_type="registration.approve", subject_id=str(registration.pk)
    ).exists()
