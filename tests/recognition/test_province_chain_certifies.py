"""An enterprise applies for a provincial tier: county → city → province → notice → certified."""

import pytest

from smeplan.recognition.models import CertificationState, State
from tests.recognition.make import applicant, bureaus, certified, submitted, to_selected


@pytest.mark.django_db
def test_province_chain_ends_in_a_certificate_titled_for_the_tier(monkeypatch):
    officers = bureaus()
    _, user = applicant()
    application = submitted(user)
    assert application.state == State.COUNTY_REVIEW
    assert application.chain == [["county", "610113"], ["city", "610100"], ["province", "610000"]]
    assert application.eligibility["items"], "the criteria check is stored at submission"
    application = to_selected(application, officers)
    assert application.state == State.SELECTED
    certification = certified(application, officers["province"], monkeypatch)
    application.refresh_from_db()
    assert application.state == State.CERTIFIED
    assert certification.title == "陕西省成长之星企业"
    assert certification.state == CertificationState.ACTIVE
    assert certification.valid_until is None  # growth tiers: kept by the yearly evaluation
    assert [e.action for e in application.events.all()] == [
        "start", "submit", "recommend", "recommend", "select", "publish", "certify",
    ]  # fmt: skip
