"""A criterion the engine could not honour is refused with a Chinese message instead of being
silently evaluated otherwise."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.programmes.criteria import spec_clean, specs_clean


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"metric": "size_class", "operator": "in", "choices": ["small"], "years": 2}, "只按筛选年度判断"),
        (
            {"metric": "years_since_founding", "operator": "le", "threshold": "5", "years": 3},
            "只按筛选年度判断",
        ),
        (
            {"metric": "operating_revenue", "operator": "gt", "reference": "industry_average"},
            "只有增速和比率",
        ),
        ({"metric": "size_class", "operator": "ge", "threshold": "1"}, "只能用“属于/不属于”"),
        (
            {"metric": "operating_revenue", "operator": "between", "threshold": "10", "threshold_high": "5"},
            "上限应大于下限",
        ),
        ({"metric": "operating_revenue", "operator": "ge", "threshold": "十万"}, "不是数字"),
        ({"metric": "salary", "operator": "ge", "threshold": "1"}, "未知指标"),
    ],
)
def test_refused(item, message):
    spec, errors = spec_clean(item)
    assert spec is None
    assert any(message in m for ms in errors.values() for m in ms), errors


def test_rates_in_percent_become_fractions_and_growth_may_span_years():
    spec, errors = spec_clean(
        {"metric": "growth.operating_revenue", "operator": "gt", "threshold": "20%", "years": 2}
    )
    assert not errors and str(spec.threshold) == "0.2" and spec.years == 2
    assert spec.describe() == "营业收入增速 > 20%（连续 2 年）"


def test_every_problem_of_an_edit_at_once():
    with pytest.raises(ValidationError) as exc:
        specs_clean([{"metric": "salary"}, {"metric": "operating_revenue", "operator": "ge"}])
    assert set(exc.value.message_dict) == {"criteria.0.metric", "criteria.1.threshold"}
