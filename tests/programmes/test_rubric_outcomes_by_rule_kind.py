"""Outcome order, hand-computed: excluded > direct pass > basic conditions not met > points (total ≥
pass_total and every group ≥ its minimum); a missing value is 数据不全 naming the indicator."""

from smeplan.programmes import rubric
from tests.programmes.rubric_cases import design_of, inputs

NO_EXCLUSION = {
    "major_accident": False,
    "tax_violation": False,
    "abnormal_list": False,
    "restricted_products": False,
}
# 创新型: ip 20 + rd 15 + growth 5 + debt 10 + field 10 + share 20 = 80, groups 35 / 15 / 30
GOOD = {
    **NO_EXCLUSION,
    "ip_class": "i_high",
    "strategic_emerging": True,
    "sci_award_3y": False,
    "honours": [],
    "rd_institution": "none",
    "equity_financing_3y": "0.00",
}
METRICS = {
    ("ratio.rd_ratio", -1): "0.04",
    ("growth.main_business_revenue", -1): "0.02",
    ("ratio.debt_ratio", -1): "0.30",
    ("ratio.main_business_share", -1): "0.90",
}


def run(design, forms, metrics=None, **kw):
    metrics = metrics or METRICS
    return rubric.score(
        design, inputs(forms, metrics={k: [v] * len(forms) for k, v in metrics.items()}, **kw)
    )


def test_points_pass_with_every_group_minimum_and_fail_on_one_group():
    design = design_of("innovative-sme", 2022)
    scores = run(design, [GOOD])
    assert scores.total.tolist() == [80.0] and scores.outcomes == [rubric.PASSED]
    # 成长性 below its minimum 15: growth < 0 → 0, debt ≥ 75% → 0; total 65 ≥ 60 still fails
    weak = {**METRICS, ("growth.main_business_revenue", -1): "-0.01", ("ratio.debt_ratio", -1): "0.75"}
    scores = run(design, [{**GOOD}], weak)
    assert scores.total.tolist() == [65.0] and scores.outcomes == [rubric.FAILED]
    groups = rubric.explain(design, scores.lines[0], reference_year=2024)["groups"]
    assert [(g["label"], g["points"], g["ok"]) for g in groups] == [
        ("创新能力", "35", True),
        ("成长性", "0", False),
        ("专业化", "30", True),
    ]


def test_total_below_the_pass_mark_fails():
    design = design_of("innovative-sme", 2022)
    scores = run(design, [{**GOOD, "ip_class": "none", "strategic_emerging": False}])
    # 0 + 15 + 5 + 10 + 5 + 20 = 55
    assert scores.total.tolist() == [55.0] and scores.outcomes == [rubric.FAILED]


def test_direct_pass_qualifies_regardless_of_points_but_an_exclusion_refuses_first():
    design = design_of("innovative-sme", 2022)
    poor = {**GOOD, "ip_class": "none", "honours": ["hightech"]}
    excluded = {**poor, "abnormal_list": True}
    financed = {**GOOD, "ip_class": "none", "equity_financing_3y": "500.00"}
    scores = run(design, [poor, excluded, financed], {})
    assert scores.outcomes == [rubric.DIRECT_PASS, rubric.EXCLUDED, rubric.DIRECT_PASS]
    text = rubric.explain(design, scores.lines[1], reference_year=2024)
    listed = next(r for r in text["rules"]["exclusions"] if r["holds"])
    assert listed["label"] == "被列入经营异常名录或严重失信主体名单" and "附件1" in listed["basis"]


def test_unanswered_exclusion_declaration_is_incomplete():
    design = design_of("innovative-sme", 2022)
    form = {k: v for k, v in GOOD.items() if k != "tax_violation"}
    assert run(design, [form]).outcomes == [rubric.INCOMPLETE]


def test_missing_figure_is_incomplete_and_named():
    design = design_of("innovative-sme", 2022)
    metrics = {k: v for k, v in METRICS.items() if k[0] != "ratio.debt_ratio"}
    scores = run(design, [GOOD], metrics)
    assert scores.outcomes == [rubric.INCOMPLETE]
    assert rubric.explain(design, scores.lines[0], reference_year=2024)["missing"] == ["上年度资产负债率"]


SPECIALISED = {
    **NO_EXCLUSION,
    "niche_years": "6",
    "product_role": "key_gap",
    "digital_level": "level3",
    "quality_items": ["iso", "brand"],
    "net_profit": "120.00",
    "key_chain_supplier": True,
    "specialised_product": False,
    "ip_class": "i_high",
    "rd_institution": "provincial",
    "rd_staff": "30",
    "equity_financing_2y": "0.00",
    "sci_award_rank": "none",
    "makers_top500": False,
}
SPECIALISED_METRICS = {
    ("ratio.main_business_share", -1): "0.85",
    ("growth.main_business_revenue", -1): "0.12",
    ("growth.main_business_revenue", -2): "0.06",
    ("operating_revenue", -1): "1000",
    ("ratio.debt_ratio", -1): "0.55",
    ("new_product_revenue", -1): "100",
    ("rd_expense", -1): "150",
    ("rd_expense", -2): "150",
    ("ratio.rd_ratio", -1): "0.15",
    ("employees", -1): "200",
}


def test_specialised_basic_conditions_holds_innovative_and_revenue_or_financing():
    design = design_of("specialised-sme", 2022)
    forms = [SPECIALISED, SPECIALISED, {**SPECIALISED, "equity_financing_2y": "2000.00"}]
    small = {**SPECIALISED_METRICS, ("operating_revenue", -1): "999.99"}
    scores = run(design, forms[:2], SPECIALISED_METRICS, holds={"innovative-sme": [True, False]})
    assert scores.outcomes == [rubric.PASSED, rubric.BASIC_UNMET]
    # 专业化 5 + 8 (mean growth 9%) + 3 (6 years) + 5 = 21; 精细化 5 + 5 (iso+brand 6, capped) + 10 (net
    # margin 12%) + 3 (debt 55%) = 23; 特色化 7 + 2 (new products 10%) + 0 = 9; 创新能力 10 + 10 (15% beats
    # 150万) + 3 (staff 15%) + 8 = 31
    assert scores.total.tolist()[0] == 84.0
    scores = run(design, [SPECIALISED, forms[2]], small, holds={"innovative-sme": [True, True]})
    assert scores.outcomes == [rubric.BASIC_UNMET, rubric.PASSED]
    text = rubric.explain(
        design, scores.lines[0], reference_year=2024, programme_names={"innovative-sme": "创新型中小企业"}
    )
    revenue = next(
        r for r in text["rules"]["basic_conditions"] if r["label"].startswith("上年度营业收入总额")
    )
    assert revenue["result"] == "否" and "营业收入（2023年度数据） ≥ 1,000.00万元" in revenue["test"]
    assert text["rules"]["basic_conditions"][0]["test"] == "持有有效的「创新型中小企业」"


def test_quality_award_overrides_the_sum():
    design = design_of("specialised-sme", 2022)
    forms = [
        {**SPECIALISED, "quality_items": q} for q in (["award"], ["iso"], ["iso", "brand", "standard"], [])
    ]
    scores = run(design, forms, SPECIALISED_METRICS, holds={"innovative-sme": [True] * 4})
    quality = [line["i"][5][0] for line in scores.lines]
    assert quality == [5, 3, 5, 0]
