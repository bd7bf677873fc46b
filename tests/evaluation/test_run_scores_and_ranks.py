"""An evaluation run over a tier's active certifications: raw indicators from the figures,
normalised values, scores and ranks stored; terminated certifications and other tiers left out."""

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.evaluation.models import EvaluationResult
from smeplan.evaluation.services import evaluation_run
from smeplan.recognition.models import CertificationState
from tests.evaluation.make import YEAR, certify, enterprise
from tests.factories import province_admin, tier_of

pytestmark = pytest.mark.django_db


def test_run_hand_computed():
    admin = province_admin()
    # revenue growth 25%, 50%, 0%; profit growth 20%, 0%, base 0 → undefined
    a = enterprise(revenue=5000, revenue0=4000, profit=300, profit0=250, tax=250, rd=100)
    b = enterprise(revenue=6000, revenue0=4000, profit=300, profit0=300, tax=300, rd=600)
    c = enterprise(revenue=3000, revenue0=3000, profit=300, profit0=0, tax=None, rd=30)
    certs = [certify(o) for o in (a, b, c)]
    certify(enterprise(), tier="industry_star")  # another tier
    ended = certify(enterprise())
    ended.state = CertificationState.TERMINATED
    ended.save()
    run = evaluation_run(actor=admin, tier=tier_of("growth-province", "growth_star"), year=YEAR)
    assert run.evaluated == 3 and run.method == "minmax"
    rows = {r.certification_id: r for r in EvaluationResult.objects.filter(run=run)}
    ra, rb, rc = (rows[c.pk] for c in certs)
    assert (
        ra.raw[0] == pytest.approx(0.25) and rb.raw[0] == pytest.approx(0.5) and rc.raw[0] == pytest.approx(0)
    )
    assert rc.raw[1] is None and rc.raw[3] is None  # profit base 0 undefined; tax missing
    assert rc.missing and not ra.missing
    # revenue growth: 50, 100, 0; profit growth: 100, 0, 0 (undefined); margin 6%, 5%, 10% → 20, 0, 100
    # tax ratio 5%, 5%, missing → 100, 100, 0; R&D 2%, 10%, 1% → 11.11, 100, 0
    assert ra.normalised == pytest.approx([50, 100, 20, 100, 100 / 9])
    assert rb.normalised == pytest.approx([100, 0, 0, 100, 100])
    assert rc.normalised == pytest.approx([0, 0, 100, 0, 0])
    assert ra.score == pytest.approx((50 + 100 + 20 + 100 + 100 / 9) / 5)
    assert rb.score == pytest.approx(60)
    assert rc.score == pytest.approx(20)
    assert [rb.rank, ra.rank, rc.rank] == [1, 2, 3]
    assert str(ra.operating_revenue) == "5000.00"
    assert AuditEvent.objects.filter(event_type="evaluation.run").count() == 1


def test_run_refuses_non_bureau_users():
    from django.core.exceptions import PermissionDenied

    from tests.factories import enterprise_user

    user = enterprise_user(enterprise())
    with pytest.raises(PermissionDenied):
        evaluation_run(actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR)
