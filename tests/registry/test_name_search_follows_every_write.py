"""The search follows every way an organisation changes — created one by one or in bulk (as imports
and the demo loader write), renamed, moved to another county, deleted — with nothing to refresh
(on PostgreSQL the search table is kept in step by triggers; SQLite searches the names directly)."""

import pytest

from smeplan.registry.models import Organisation
from smeplan.registry.selectors import OrganisationFilters, organisation_page
from smeplan.registry.services import organisation_rename, organisation_update
from tests.factories import OrganisationFactory, county_officer, province_admin, region

pytestmark = pytest.mark.django_db


def found(user, q, **filters) -> list[str]:
    return [o.name for o in organisation_page(user, OrganisationFilters(q=q, **filters), 1).items]


def test_a_new_organisation_is_found_at_once():
    OrganisationFactory(name="雁塔琥珀科技有限公司", county=region("610113"))
    assert found(province_admin(), "琥珀") == ["雁塔琥珀科技有限公司"]
    assert found(province_admin(), "珀科技") == ["雁塔琥珀科技有限公司"]


def test_organisations_written_in_bulk_are_found():
    county = region("610113")
    Organisation.objects.bulk_create(
        [
            Organisation(credit_code=f"91610113MA6U{i:05d}X", name=f"批量琉璃{i}有限公司", county=county)
            for i in range(30)
        ]
    )
    assert len(found(province_admin(), "琉璃")) == 20  # the first page
    assert found(province_admin(), "琉璃29") == ["批量琉璃29有限公司"]


def test_a_renamed_organisation_is_found_by_its_new_and_its_former_name():
    admin = province_admin()
    org = OrganisationFactory(name="雁塔旧名玳瑁有限公司", county=region("610113"))
    organisation_rename(actor=admin, organisation=org, new_name="雁塔新名翡翠有限公司")

    assert found(admin, "翡翠") == ["雁塔新名翡翠有限公司"]
    assert found(admin, "玳瑁") == ["雁塔新名翡翠有限公司"]  # by the former name
    assert found(admin, "旧名玳瑁") == ["雁塔新名翡翠有限公司"]


def test_an_organisation_moved_to_another_county_is_found_there_only():
    admin = province_admin()
    org = OrganisationFactory(name="雁塔麒麟机械有限公司", county=region("610113"))
    organisation_update(actor=admin, organisation=org, data={"county": "610402"})

    assert found(county_officer("610113"), "麒麟") == []
    assert found(county_officer("610402"), "麒麟") == ["雁塔麒麟机械有限公司"]
    assert found(admin, "麒麟", county="610402") == ["雁塔麒麟机械有限公司"]


def test_a_deleted_organisation_is_no_longer_found():
    org = OrganisationFactory(name="雁塔貔貅商贸有限公司", county=region("610113"))
    org.delete()
    assert found(province_admin(), "貔貅") == []
    Organisation.objects.filter(name__contains="雁塔").delete()
    assert found(province_admin(), "雁塔") == []
