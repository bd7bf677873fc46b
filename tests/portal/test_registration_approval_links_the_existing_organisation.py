"""The county approves a request whose code is in the registry: the account joins that organisation
as its administrator, and the applicant is notified; the registry name is told when it differs."""

import pytest

from smeplan.recognition.models import Notification
from smeplan.registry.models import Organisation
from tests.factories import OrganisationFactory, county_officer, registration_make

pytestmark = pytest.mark.django_db


def test_approval_links_the_registry_organisation(client):
    org = OrganisationFactory(name="秦岭智造有限公司")
    registration = registration_make(credit_code=org.credit_code, name="秦岭智造（西安）有限公司")
    assert registration.organisation == org
    assert any("秦岭智造有限公司" in note for note in registration.notes)
    officer = county_officer("610113")
    client.force_login(officer)
    organisations = Organisation.objects.count()

    response = client.post(f"/portal/registrations/{registration.pk}/approve/")

    assert response.status_code == 302
    registration.refresh_from_db()
    applicant = registration.user
    applicant.refresh_from_db()
    assert registration.state == "approved" and registration.decided_by == officer
    assert applicant.organisation == org and applicant.is_organisation_admin
    assert Organisation.objects.count() == organisations
    assert Notification.objects.filter(user=applicant, title__contains="已通过审核").exists()
    client.force_login(applicant)
    assert client.get(f"/organisations/{org.pk}/").status_code == 200
