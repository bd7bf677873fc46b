"""A 产品 programme's call is applied for by the enterprise making the product: its open calls are
offered to enterprise users like any other."""

import pytest

from smeplan.programmes.models import Programme, SubjectKind
from smeplan.recognition import calls
from tests.recognition.calls_make import open_call
from tests.recognition.make import applicant

pytestmark = pytest.mark.django_db


def test_an_open_call_of_a_product_programme_is_offered_to_an_enterprise(monkeypatch):
    call = open_call(monkeypatch)
    Programme.objects.filter(pk=call.programme_id).update(subject_kind=SubjectKind.PRODUCT)
    _, user = applicant("610113")
    assert [c.pk for c in calls.calls_open_for(user)] == [call.pk]


def test_a_service_agency_is_not_offered_an_enterprise_programme(monkeypatch):
    from smeplan.registry.models import Organisation, OrganisationKind

    open_call(monkeypatch)
    org, user = applicant("610113")
    Organisation.objects.filter(pk=org.pk).update(kind=OrganisationKind.SERVICE_AGENCY)
    user.refresh_from_db()
    assert calls.calls_open_for(user) == []
