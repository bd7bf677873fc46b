"""For a certified firm, an approved change raises each certification in force to its certifying
bureau as a 重大变化报告 (更名 → 更名, 迁址/登记注册类型 → 其他重大变化), linked to the request; a
certification no longer in force is not raised."""

import datetime as dt

import pytest

from smeplan.portal.changes import change_request_approve
from smeplan.recognition.models import ChangeReport, Notification
from tests.factories import (
    OrganisationFactory,
    certification_make,
    change_request_make,
    county_officer,
    province_admin,
)

pytestmark = pytest.mark.django_db


def test_an_approved_change_of_a_certified_firm_is_raised_to_the_certifying_bureau():
    org = OrganisationFactory(name="认定企业有限公司", ownership_type="private")
    in_force = certification_make(org, level="province")
    certification_make(
        org, level="county", valid_until=dt.date(2020, 12, 31), certified_on=dt.date(2018, 1, 1)
    )
    province = province_admin()
    request = change_request_make(org, kind="legal_form", new_ownership_type="股份制")

    change_request_approve(actor=county_officer("610113"), request=request)

    (report,) = ChangeReport.objects.all()
    assert report.certification == in_force and report.kind == "other"
    assert "登记注册类型由“民营”变更为“股份制”" in report.description
    assert list(request.raised_reports.all()) == [report]
    assert Notification.objects.filter(
        user=province, kind="change", title__contains="认定企业有限公司"
    ).exists()
    org.refresh_from_db()
    assert org.ownership_type == "joint_stock"


def test_a_rename_is_raised_as_a_rename_with_the_new_name():
    org = OrganisationFactory(name="旧名认定有限公司")
    certification_make(org)
    request = change_request_make(org, kind="rename", new_name="新名认定有限公司")

    change_request_approve(actor=county_officer("610113"), request=request)

    (report,) = ChangeReport.objects.all()
    assert (report.kind, report.new_name) == ("rename", "新名认定有限公司")
    org.refresh_from_db()
    assert org.name == "新名认定有限公司"
