"""web/_form_design_fields.html renders a design as inputs with values, Chinese errors, hidden
conditional fields, table rows plus a blank row, upload inputs and the figures grid."""

from django.template.loader import render_to_string

from smeplan.programmes import formdesign
from tests.programmes.form_designs import FULL


def render(answers, **kw):
    sections = formdesign.layout(FULL, answers, reference_year=2024, **kw)
    return render_to_string("web/_form_design_fields.html", {"sections": sections})


def test_inputs_with_values_in_the_entered_form():
    html = render(
        {
            "name": "秦川",
            "rd_share": "0.05",
            "ip_class": "i",
            "markets": ["local"],
            "has_award": False,
            "products": [{"name": "车床", "sales": "800.00", "share": "0.125"}],
        }
    )
    assert 'name="name" id="id_name" value="秦川"' in html
    assert 'name="rd_share" id="id_rd_share" value="5"' in html  # percent shown as entered
    assert '<option value="i" selected>Ⅰ类知识产权</option>' in html
    assert 'name="markets" value="local" checked' in html
    assert 'name="has_award" value="false" checked' in html
    assert 'name="products-0-name" value="车床"' in html and 'name="products-0-share" value="12.5"' in html
    assert 'name="products-1-name" value=""' in html  # a blank row to fill
    assert 'data-add-row="products"' in html
    assert 'type="file" name="attachment-licence"' in html and 'accept=".pdf,.jpg,.jpeg,.png"' in html
    assert 'name="figures-2022-operating_revenue"' in html and 'name="figures-2024-employees"' in html


def test_a_field_whose_condition_does_not_hold_is_hidden_with_its_condition():
    html = render({"has_award": False})
    assert 'id="field-award_name" data-show-field="has_award" data-show-values="true" hidden' in html
    html = render({"has_award": True})
    assert 'id="field-award_name" data-show-field="has_award" data-show-values="true">' in html


def test_errors_per_field_in_chinese():
    html = render(
        {}, errors={"name": ["请填写企业名称"], "figures-2023-employees": ["2023年 从业人员应为整数"]}
    )
    assert '<ul class="field-errors" id="id_name-errors"><li>请填写企业名称</li></ul>' in html
    assert "2023年 从业人员应为整数" in html


def test_readonly_shows_values_as_users_read_them():
    sections = formdesign.layout(
        FULL,
        {"rd_share": "0.05", "revenue_last": "12.30", "has_award": True, "award_name": "省科技奖"},
        reference_year=2024,
        editable=False,
    )
    html = render_to_string("web/_form_design_fields.html", {"sections": sections, "readonly": True})
    assert "5%" in html and "12.30 万元" in html and "省科技奖" in html and "<input" not in html
