"""Registering, changing and renaming organisations through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smeplan.audit.models import AuditEvent
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from smeplan.registry.selectors import OrganisationFilters, organisation_search
from smeplan.registry.services import organisation_create, organisation_rename, organisation_update
from tests.factories import OrganisationFactory, county_officer, enterprise_user, province_admin

pytestmark = pytest.mark.django_db


def data(**kw):
    base = {
        "credit_code": make_credit_code("610113", 12345),
        "name": "西安秦川测试有限公司",
        "county": "雁塔区",
        "industry": "3311",
        "founded_on": "2015-06-30",
        "registered_capital": "1,000",
    }
    return base | kw


def test_create_normalises_code_and_records_audit():
    officer = county_officer("610113")
    raw = data()["credit_code"]
    fullwidth = " " + raw.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}) + " "
    org = organisation_create(actor=officer, data=data(credit_code=fullwidth))
    assert org.credit_code == raw
    assert org.registered_capital == 1000
    event = AuditEvent.objects.get(event_type="organisation.created")
    assert event.actor == officer and event.subject_id == str(org.pk)


def test_create_collects_every_error_and_saves_nothing():
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=province_admin(),
            data=data(
                credit_code="913400007117030788", county="火星区", industry="9999", registered_capital="abc"
            ),
        )
    errors = exc.value.message_dict
    assert set(errors) == {"credit_code", "county", "industry", "registered_capital"}
    assert "火星区" in errors["county"][0]
    assert "应为数字" in errors["registered_capital"][0]
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_duplicate_credit_code_is_refused():
    existing = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=province_admin(), data=data(credit_code=existing.credit_code))
    assert existing.name in exc.value.message_dict["credit_code"][0]


def test_county_officer_cannot_register_in_another_county():
    with pytest.raises(PermissionDenied):
        organisation_create(actor=county_officer("610113"), data=data(county="碑林区"))
    assert Organisation.objects.count() == 0


def test_enterprise_user_may_change_contact_but_not_county():
    org = OrganisationFactory()
    user = enterprise_user(org)
    organisation_update(actor=user, organisation=org, data={"contact_phone": "029-88886666"})
    org.refresh_from_db()
    assert org.contact_phone == "029-88886666"
    with pytest.raises(ValidationError):
        organisation_update(actor=user, organisation=org, data={"county": "碑林区"})


def test_rename_keeps_history_and_former_name_is_searchable():
    org = OrganisationFactory(name="西安老字号机械有限公司")
    officer = county_officer("610113")
    organisation_rename(
        actor=officer, organisation=org, new_name="西安新时代智能装备有限公司", changed_on=dt.date(2024, 3, 1)
    )
    org.refresh_from_db()
    assert org.name == "西安新时代智能装备有限公司"
    change = org.name_changes.get()
    assert (change.old_name, change.new_name, change.changed_on) == (
        "西安老字号机械有限公司",
        "西安新时代智能装备有限公司",
        dt.date(2024, 3, 1),
    )
    found = organisation_search(officer, OrganisationFilters(q="老字号"))
    assert list(found) == [org]


def test_rename_to_the_same_name_is_an_error():
    org = OrganisationFactory()
    with pytest.raises(ValidationError):
        organisation_rename(actor=province_admin(), organisation=org, new_name=org.name)
