"""prefill: answers taken from the registry and from the yearly figures relative to the reference
year ("营业收入（上一年度）" is the figure of the year before); what the registry lacks stays empty."""

import pytest

from smeplan.programmes import formdesign
from tests.factories import AnnualFiguresFactory, OrganisationFactory
from tests.programmes.form_designs import FULL

pytestmark = pytest.mark.django_db


def test_registry_and_figures_of_the_year_before_the_reference_year():
    org = OrganisationFactory(name="秦川机床有限公司")
    AnnualFiguresFactory(organisation=org, year=2023, operating_revenue=5000, rd_expense=150)
    AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=9999, rd_expense=1)
    out = formdesign.prefill(FULL, org, 2024)
    assert out == {"name": "秦川机床有限公司", "revenue_last": "5000.00", "rd_share": "0.03"}
    assert (
        formdesign.answers_clean(FULL, formdesign.answers_for_input(FULL, out), drafting=True)["rd_share"]
        == "0.03"
    )


def test_a_missing_year_leaves_the_field_empty():
    org = OrganisationFactory()
    AnnualFiguresFactory(organisation=org, year=2024)
    out = formdesign.prefill(FULL, org, 2024)
    assert "revenue_last" not in out and "rd_share" not in out


def test_registry_attributes_in_their_field_types():
    import datetime

    org = OrganisationFactory(
        founded_on=datetime.date(2010, 5, 1), registered_capital=500, contact_phone="029-1234567"
    )
    design = {
        "sections": [
            {
                "code": "s",
                "title": "一",
                "fields": [
                    {
                        "code": "founded",
                        "label": "成立日期",
                        "type": "date",
                        "prefill": {"registry": "founded_on"},
                    },
                    {
                        "code": "capital",
                        "label": "注册资本",
                        "type": "money",
                        "prefill": {"registry": "registered_capital"},
                    },
                    {
                        "code": "county",
                        "label": "所在区县",
                        "type": "text",
                        "prefill": {"registry": "county"},
                    },
                    {
                        "code": "phone",
                        "label": "联系电话",
                        "type": "text",
                        "prefill": {"registry": "contact_phone"},
                    },
                    {
                        "code": "person",
                        "label": "联系人",
                        "type": "text",
                        "prefill": {"registry": "contact_person"},
                    },
                ],
            }
        ]
    }
    assert formdesign.prefill(design, org, 2024) == {
        "founded": "2010-05-01",
        "capital": "500.00",
        "county": "雁塔区",
        "phone": "029-1234567",
    }
