"""An unknown enterprise with name and county is registered; old county names map to today's."""

import pytest

from smeplan.exchange.services import import_commit, import_validate
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.exchange.test_import_records_builder import issues_of, rec
from tests.factories import province_admin

pytestmark = pytest.mark.django_db


def test_old_county_name_registers_in_the_current_county():
    admin = province_admin()
    code = make_credit_code("610322", 4242)
    records = [rec(2, code, 2024, name="凤翔新材料有限公司", county="凤翔县", operating_revenue=800)]
    batch = import_validate(actor=admin, file_name="f.xlsx", data_bytes=b"f", records=records)
    assert batch.error_count == 0, batch.issues
    assert batch.new_organisations == 1
    import_commit(actor=admin, batch=batch, records=records)
    org = Organisation.objects.get(credit_code=code)
    assert org.county_id == "610305"
    assert org.name == "凤翔新材料有限公司"


def test_a_city_is_not_a_county():
    admin = province_admin()
    records = [
        rec(2, make_credit_code("610100", 1), 2024, name="某公司", county="西安市", operating_revenue=1)
    ]
    batch = import_validate(actor=admin, file_name="f.xlsx", data_bytes=b"f", records=records)
    assert "不是县级行政区" in issues_of(batch, row=2)[0]["message"]
