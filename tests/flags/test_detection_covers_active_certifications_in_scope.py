"""Detection looks at the ACTIVE certifications in the actor's scope only (optionally one programme),
reads the figures set-based (a fixed number of queries whatever the number of enterprises), and
records one audit event with the counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smeplan.audit.models import AuditEvent
from smeplan.flags.models import FigureFlag
from smeplan.programmes.models import Programme
from smeplan.recognition.models import CertificationState
from tests.factories import UserFactory, city_officer, province_admin
from tests.flags.make import detect, evaluated, revenues

JUMP = revenues(1000, 6000)


@pytest.mark.django_db
def test_only_active_certifications_in_scope_and_the_programme():
    mine = evaluated(JUMP)
    terminated = evaluated(JUMP, state=CertificationState.TERMINATED)
    foreign = evaluated(JUMP, county="610302")
    county_level = evaluated(JUMP, programme="growth-county")

    detect(city_officer("610100"))
    assert set(FigureFlag.objects.values_list("organisation_id", flat=True)) == {mine.pk, county_level.pk}

    detect(province_admin(), programme=Programme.objects.get(code="growth-county"))
    assert set(FigureFlag.objects.values_list("organisation_id", flat=True)) == {mine.pk, county_level.pk}

    counts = detect(province_admin())
    assert counts["enterprises"] == 3 and counts["created"] == 1
    assert set(FigureFlag.objects.values_list("organisation_id", flat=True)) == {
        mine.pk,
        county_level.pk,
        foreign.pk,
    }
    assert not FigureFlag.objects.filter(organisation=terminated).exists()
    event = AuditEvent.objects.filter(event_type="flags.detected").order_by("pk").last()
    assert event.payload["created"] == 1 and event.payload["thresholds"]["growth_factor"] == "5"


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_enterprises():
    for _ in range(3):
        evaluated(JUMP)
    admin = province_admin()
    detect(admin)  # warm the region caches of the scoping
    FigureFlag.objects.all().delete()
    with CaptureQueriesContext(connection) as few:
        detect(admin)
    FigureFlag.objects.all().delete()
    for _ in range(12):
        evaluated(JUMP)
    with CaptureQueriesContext(connection) as many:
        detect(admin)
    assert len(many) == len(few)
    assert FigureFlag.objects.count() == 15


@pytest.mark.django_db
def test_refused_to_others_and_for_a_bad_year():
    from smeplan.accounts.models import Role

    with pytest.raises(PermissionDenied):
        detect(UserFactory(role=Role.VIEWER))
    with pytest.raises(ValidationError):
        detect(province_admin(), year=1990)
    assert not AuditEvent.objects.filter(event_type="flags.detected").exists()
