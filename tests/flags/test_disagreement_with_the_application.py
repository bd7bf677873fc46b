"""Figures that disagree with the enterprise's own application: a figure corrected on the application
form by ×5 or more, or changed after submission by another source by 10% or more of the submitted
value. Just under either threshold is not flagged; the application's own entries never are."""

import pytest

from smeplan.flags.models import FigureFlag, FlagKind
from smeplan.indicators.services import figures_update
from smeplan.recognition import services
from tests.factories import county_officer, tier_of
from tests.flags.make import YEAR, certify, detect
from tests.recognition.make import applicant


def _applied(revenue_on_form=None):
    """An enterprise (figures: revenue 5000 each year) that filled, corrected and submitted its
    application, and is certified."""
    org, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    application = services.application_update(
        actor=user,
        application=application,
        expected_version=application.lock_version,
        form={"main_products": "工业阀门", "contact_person": "张三", "contact_phone": "029-88886666"},
        figures={YEAR: {"operating_revenue": revenue_on_form}} if revenue_on_form else None,
        declare=True,
        confirm_warnings=True,  # a fivefold revenue is a plausibility warning the enterprise confirms
    )
    services.application_act(
        actor=user, application=application, action="submit", expected_version=application.lock_version
    )
    certify(org)
    return org, application


MISMATCH = FigureFlag.objects.filter(kind=FlagKind.APPLICATION_MISMATCH)


@pytest.mark.django_db
def test_a_large_correction_on_the_form_is_flagged():
    corrected, application = _applied(revenue_on_form="25000")
    just_under, _ = _applied(revenue_on_form="24999.99")
    plain, _ = _applied()

    detect()

    assert set(MISMATCH.values_list("organisation_id", "kind")) == {
        (corrected.pk, FlagKind.APPLICATION_MISMATCH)
    }
    flag = MISMATCH.get()
    assert flag.message == (
        f"申报#{application.pk}的登记表将2024年营业收入由5000万元更正为25000万元（5倍，阈值：5倍）"
    )
    assert flag.detail["items"] == [
        {
            "application": application.pk,
            "year": YEAR,
            "field": "operating_revenue",
            "kind": "form_correction",
            "before": "5000.00",
            "after": "25000.00",
        }
    ]
    assert not MISMATCH.filter(organisation__in=[just_under, plain]).exists()


@pytest.mark.django_db
def test_a_change_after_submission_by_another_source_is_flagged_from_ten_percent():
    changed, application = _applied()
    just_under, _ = _applied()
    officer = county_officer()
    figures_update(actor=officer, organisation=changed, year=YEAR - 1, data={"operating_revenue": "5500"})
    figures_update(
        actor=officer, organisation=just_under, year=YEAR - 1, data={"operating_revenue": "5499.99"}
    )

    detect()

    assert set(MISMATCH.values_list("organisation_id", "kind")) == {
        (changed.pk, FlagKind.APPLICATION_MISMATCH)
    }
    flag = MISMATCH.get()
    assert flag.message == (
        f"申报#{application.pk}提交时2023年营业收入为5000万元，提交后被其他来源改为5500万元（阈值：变化10%及以上）"
    )
    assert flag.detail["items"][0]["kind"] == "changed_after_submission"
    assert flag.detail["years"] == [YEAR - 1]
