"""recognition.services.certification_move: supersedes the certification and issues one in the new
tier of the same programme (previous = old, title from the programme), audited; refuses others."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.recognition.models import Certification
from smeplan.recognition.services import certification_move
from tests.evaluation.make import DOCUMENT, certify, enterprise
from tests.factories import city_officer, province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_move_to_industry_star():
    admin = province_admin()
    old = certify(enterprise(revenue=12000))
    new = certification_move(
        actor=admin,
        certification=old,
        tier=tier_of("growth-province", "industry_star"),
        document_number=DOCUMENT,
    )
    old.refresh_from_db()
    assert old.state == "superseded" and old.ended_on is not None
    assert new.previous_id == old.pk and new.tier.code == "industry_star" and new.state == "active"
    assert new.title == "陕西省行业之星企业" and new.region_id == "610000"
    assert AuditEvent.objects.filter(event_type="certification.moved").count() == 1


def test_refusals_change_nothing():
    old = certify(enterprise())
    admin = province_admin()
    with pytest.raises(PermissionDenied):
        certification_move(
            actor=city_officer(),
            certification=old,
            tier=tier_of("growth-province", "industry_star"),
            document_number=DOCUMENT,
        )
    with pytest.raises(ValidationError) as e:
        certification_move(actor=admin, certification=old, tier=old.tier, document_number=DOCUMENT)
    assert "该认定已是「成长之星」" in str(e.value)
    with pytest.raises(ValidationError) as e:
        certification_move(
            actor=admin,
            certification=old,
            tier=tier_of("growth-city", "industry_star"),
            document_number=DOCUMENT,
        )
    assert "不属于" in str(e.value)
    assert Certification.objects.get(pk=old.pk).state == "active" and Certification.objects.count() == 1
