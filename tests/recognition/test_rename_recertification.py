"""更名: the enterprise reports it, the city confirms, the province re-certifies under the new name —
one continuous history (the old certification superseded, the registry keeps the former name)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.recognition import services
from smeplan.recognition.models import CertificationState, ChangeState
from smeplan.recognition.selectors import certification_history
from tests.recognition.make import applicant, bureaus, certified, submitted, to_selected


@pytest.mark.django_db
def test_rename_confirmed_by_city_and_recertified_by_province(monkeypatch):
    officers = bureaus()
    org, user = applicant()
    old = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    report = services.change_report_file(
        actor=user,
        certification=old,
        kind="rename",
        description="股东会决议更名",
        new_name="陕西新名称科技有限公司",
    )
    with pytest.raises(ValidationError, match="市（区）主管部门确认"):
        services.rename_recertify(
            actor=officers["province"], report=report, document_number="陕中小企发〔2027〕5号"
        )
    with pytest.raises(PermissionDenied):
        services.rename_confirm(actor=officers["county"], report=report)
    services.rename_confirm(actor=officers["city"], report=report, note="已核实营业执照")
    new = services.rename_recertify(
        actor=officers["province"], report=report, document_number="陕中小企发〔2027〕5号"
    )
    org.refresh_from_db()
    old.refresh_from_db()
    report.refresh_from_db()
    assert org.name == "陕西新名称科技有限公司"
    assert old.organisation_name in org.former_names
    assert old.state == CertificationState.SUPERSEDED
    assert new.organisation_name == "陕西新名称科技有限公司" and new.title == old.title
    assert certification_history(new) == [old, new]
    assert report.state == ChangeState.RECERTIFIED


@pytest.mark.django_db
def test_merger_is_rechecked_and_terminated_with_a_ban(monkeypatch):
    officers = bureaus()
    _, user = applicant()
    cert = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    report = services.change_report_file(
        actor=user, certification=cert, kind="merger", description="被某集团并购"
    )
    assert report.recheck["items"], "the criteria are re-checked when the change is reported"
    services.change_report_decide(
        actor=officers["province"],
        report=report,
        keep=False,
        note="并购后为大型企业",
        document_number="陕中小企发〔2027〕6号",
    )
    cert.refresh_from_db()
    assert cert.state == CertificationState.TERMINATED and cert.termination_reason == "major_change"
    assert cert.bans.get().until
