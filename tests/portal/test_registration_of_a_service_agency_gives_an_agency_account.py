"""A registration whose credit code belongs to a registry organisation that is not an enterprise
(a 服务机构) gives, on approval, a 服务机构用户 account of that organisation — its firm administrator."""

import pytest

from smeplan.accounts.models import Role
from smeplan.portal import registration as reg
from smeplan.registry.models import OrganisationKind
from tests.factories import OrganisationFactory, county_officer, region

pytestmark = pytest.mark.django_db


def test_an_agency_registers_and_gets_an_agency_account():
    agency = OrganisationFactory(county=region("610113"), kind=OrganisationKind.SERVICE_AGENCY)
    request = reg.registration_submit(
        data={
            "credit_code": agency.credit_code,
            "name": agency.name,
            "county": "610113",
            "contact_name": "赵敏",
            "mobile": "13700000001",
            "email": "zhao@agency.example.cn",
            "username": "agency-admin",
            "password": "Agency#2026ok",
            "password2": "Agency#2026ok",
        }
    )
    reg.registration_approve(actor=county_officer("610113"), registration=request)
    user = request.user
    user.refresh_from_db()
    assert user.organisation_id == agency.pk
    assert user.role == Role.AGENCY_USER and user.is_organisation_admin
