"""A band is low ≤ value < high: a value exactly on a bound belongs to the band that starts there
(工信部企业〔2022〕63号 附件1 一（一）2: R&D share 5% → 20, 3% → 15, 2.99% → 10, 1% → 5, 0.99% → 0),
and the explanation states the band with the convention."""

from smeplan.programmes import rubric
from tests.programmes.rubric_cases import design_of, inputs, points

RD = ("ratio.rd_ratio", -1)


def test_r_and_d_share_on_each_bound_falls_in_the_upper_band():
    design = design_of("innovative-sme", 2022)
    values = ["0.05", "0.0499999", "0.03", "0.0299", "0.02", "0.01", "0.0099", None]
    n = len(values)
    scores = rubric.score(design, inputs([{}] * n, metrics={RD: values}))
    assert [points(design, scores, k)["rd_share"] for k in range(n)] == [20, 15, 15, 10, 10, 5, 0, 0]
    text = rubric.explain(design, scores.lines[2], reference_year=2024)
    line = next(x for x in text["lines"] if x["label"].startswith("上年度研发费用"))
    assert line["value"] == "3%" and line["band"] == "3% ≤ 数值 < 5%" and line["points"] == "15"
    assert "研发强度（2023年度数据）" in line["source"] and line["basis"].endswith(
        "附件1《创新型中小企业评价标准》 一（一）2"
    )
    assert "a ≤ 数值 < b" in text["convention"]
    missing = rubric.explain(design, scores.lines[7], reference_year=2024)
    assert "上年度研发费用总额占营业收入总额比重" in missing["missing"]


def test_debt_ratio_below_55_percent_and_at_75_percent():
    design = design_of("innovative-sme", 2022)
    debt = ("ratio.debt_ratio", -1)
    scores = rubric.score(design, inputs([{}] * 4, metrics={debt: ["0.5499", "0.55", "0.7499", "0.75"]}))
    assert [points(design, scores, k)["debt"] for k in range(4)] == [10, 5, 5, 0]
    text = rubric.explain(design, scores.lines[3], reference_year=2024)
    assert any(x["band"] == "数值 ≥ 75%" for x in text["lines"])


def test_exact_ratio_of_integer_cents_on_a_bound():
    """3/60 is exactly 5% although neither float is: the near-tie is decided on fractions."""
    from fractions import Fraction

    import numpy as np

    num = rubric.Num(
        np.array([3 / 60, 0.1 + 0.2 - 0.25]),
        np.zeros(2, dtype=np.int8),
        lambda i: [Fraction(3, 60), Fraction(5, 100)][i],
    )
    pts, band = rubric.bands_score(num, [{"low": "0.05", "points": 20}, {"high": "0.05", "points": 0}])
    assert pts.tolist() == [20, 20] and band.tolist() == [0, 0]


def test_per_full_two_years_at_most_five_and_best_of_amount_or_share():
    design = design_of("specialised-sme", 2022)
    forms = [{"niche_years": y} for y in ("1", "2", "3.9", "4", "11", "20")]
    rd_amount, rd_share = ("rd_expense", -1), ("ratio.rd_ratio", -1)
    metrics = {
        rd_amount: ["350", "99", "500", None, "100", "0"],
        rd_share: ["0.02", "0.085", "0.01", "0.10", None, "0.03"],
    }
    scores = rubric.score(design, inputs(forms, metrics=metrics))
    assert [points(design, scores, k)["niche_years"] for k in range(6)] == [0, 1, 1, 2, 5, 5]
    assert [points(design, scores, k)["rd"] for k in range(6)] == [6, 8, 10, 10, 2, 2]
    text = rubric.explain(design, scores.lines[0], reference_year=2024)
    rd = next(x for x in text["lines"] if x["label"].startswith("上年度研发费用投入"))
    assert "研发费用总额：350.00万元，300.00万元 ≤ 数值 < 400.00万元（取此项）" in rd["value"]
    assert "研发费用占营业收入比重：2%，数值 < 3%" in rd["value"]
