"""更名公示 (梯队 六(三)): where the programme requires it, a city-confirmed rename is put on public
notice by the certifying bureau and re-certified only after the notice ends without an upheld
objection; without the setting the rename is re-certified directly as before."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import selectors, services
from smeplan.recognition.models import CertificationState, ChangeState
from tests.recognition.make import applicant, bureaus, certified, move_time, submitted, to_selected

DOC = "陕中小企发〔2027〕5号"


def _confirmed_rename(monkeypatch, *, notice: bool):
    officers = bureaus()
    _, user = applicant()
    old = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    programme = old.programme
    programme.rename_requires_notice = notice
    programme.save(update_fields=["rename_requires_notice"])
    report = services.change_report_file(
        actor=user,
        certification=old,
        kind="rename",
        description="股东会决议更名",
        new_name="陕西新名称科技有限公司",
    )
    services.rename_confirm(actor=officers["city"], report=report, note="已核实营业执照")
    report.refresh_from_db()
    return old, report, officers


@pytest.mark.django_db
def test_without_the_setting_the_rename_is_recertified_directly(monkeypatch):
    old, report, officers = _confirmed_rename(monkeypatch, notice=False)
    with pytest.raises(ValidationError, match="不需公示"):
        services.rename_notice_publish(actor=officers["province"], report_ids=[report.pk], title="更名公示")
    new = services.rename_recertify(actor=officers["province"], report=report, document_number=DOC)
    assert new.organisation_name == "陕西新名称科技有限公司" and new.previous == old


@pytest.mark.django_db
def test_with_the_setting_the_rename_goes_on_notice_first(monkeypatch):
    old, report, officers = _confirmed_rename(monkeypatch, notice=True)
    province = officers["province"]
    with pytest.raises(ValidationError, match="须先公示"):
        services.rename_recertify(actor=province, report=report, document_number=DOC)
    notice = services.rename_notice_publish(
        actor=province, report_ids=[report.pk], title="关于企业更名的公示", days=5
    )
    report.refresh_from_db()
    assert report.state == ChangeState.ON_NOTICE and report.notice == notice
    rows = selectors.public_notice_rows(notice)
    assert rows == [
        {
            "id": f"rename-{report.pk}",
            "name": f"陕西新名称科技有限公司（原名称：{old.organisation_name}）",
            "county": old.organisation.county.name,
            "tier": old.title,
        }
    ]
    objection = services.objection_file(
        notice=notice,
        change_report_id=report.pk,
        name="李四",
        phone="13800000000",
        text="新名称与我公司商标近似，请核实",
    )
    with pytest.raises(ValidationError, match="公示期满"):
        services.rename_recertify(actor=province, report=report, document_number=DOC)
    move_time(monkeypatch, (notice.ends_on - dt.date.today()).days + 1)
    with pytest.raises(ValidationError, match="未处理的异议"):
        services.rename_recertify(actor=province, report=report, document_number=DOC)
    services.objection_resolve(actor=province, objection=objection, upheld=False, resolution="商标不近似")
    new = services.rename_recertify(actor=province, report=report, document_number=DOC)
    old.refresh_from_db()
    report.refresh_from_db()
    assert old.state == CertificationState.SUPERSEDED
    assert new.organisation_name == "陕西新名称科技有限公司"
    assert report.state == ChangeState.RECERTIFIED


@pytest.mark.django_db
def test_an_upheld_objection_refuses_the_recertification(monkeypatch):
    old, report, officers = _confirmed_rename(monkeypatch, notice=True)
    province = officers["province"]
    notice = services.rename_notice_publish(
        actor=province, report_ids=[report.pk], title="关于企业更名的公示"
    )
    objection = services.objection_file(
        notice=notice,
        change_report_id=report.pk,
        name="李四",
        phone="13800000000",
        text="该企业更名系为逃避处罚，请核实",
    )
    services.objection_resolve(actor=province, objection=objection, upheld=True, resolution="经核实属实")
    report.refresh_from_db()
    assert report.state == ChangeState.REFUSED
    move_time(monkeypatch, (notice.ends_on - dt.date.today()).days + 1)
    with pytest.raises(ValidationError, match="异议成立"):
        services.rename_recertify(actor=province, report=report, document_number=DOC)
    old.refresh_from_db()
    assert old.state == CertificationState.ACTIVE and old.organisation.name != "陕西新名称科技有限公司"
