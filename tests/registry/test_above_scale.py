"""“四上” (above-scale) status — pure tests of smeplan.registry.classification.above_scale (no Django)."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from smeplan.registry.classification import (
    ABOVE_SCALE_CSV,
    AboveScale,
    above_scale,
    load_above_scale_rules,
)

INDUSTRY_CSV = Path(__file__).resolve().parents[2] / "smeplan" / "industries" / "data" / "gbt4754-2017.csv"
OUT_OF_SCOPE = "该行业不属于“四上”统计范围"
STAND_IN = "主营业务收入缺失，以营业收入代替："


def check(code, main=None, operating=None, qualification=None, year=2024, **kw) -> AboveScale:
    return above_scale(
        industry_code=code,
        main_business_revenue=main,
        operating_revenue=operating,
        construction_qualification=qualification,
        year=year,
        **kw,
    )


# Revenue rules of the README (threshold in 万元), each with GB/T 4754-2017 codes it must cover.
# Divisions checked against gbt4754-2017.csv: P 83 教育, Q 84 卫生, Q 85 社会工作.
REVENUE_RULES = [
    ("industry", "规模以上工业", 2000, True, ["B", "06", "0610", "C", "13", "1310", "43", "D", "44", "4610"]),
    ("wholesale", "限额以上批发业", 2000, True, ["51", "511", "5111"]),
    ("retail", "限额以上零售业", 500, True, ["52", "5211"]),
    ("accommodation", "限额以上住宿业", 200, True, ["61", "6110"]),
    ("catering", "限额以上餐饮业", 200, True, ["62", "6210"]),
    # 规模以上服务业 ≥ 2000: transport/storage/post G (53–60, railway included), I (63–65), N (76–79), health 84.
    (
        "services_2000",
        "规模以上服务业",
        2000,
        False,
        ["G", "53", "5411", "59", "60", "I", "63", "64", "65", "N", "76", "79", "84", "8411"],
    ),
    # ≥ 1000: L (71–72), M (73–75), education P 83, real estate 7020/7030/7040/7090.
    (
        "services_1000",
        "规模以上服务业",
        1000,
        False,
        ["L", "71", "7211", "M", "73", "75", "P", "83", "8310", "7020", "7030", "7040", "7090"],
    ),
    # ≥ 500: O (80–82), R (86–90), social work 85.
    ("services_500", "规模以上服务业", 500, False, ["O", "80", "82", "R", "86", "90", "85", "8510"]),
]
REVENUE_CASES = [
    pytest.param(code, rule, name, threshold, verified, id=f"{rule}-{code}")
    for rule, name, threshold, verified, codes in REVENUE_RULES
    for code in codes
]


@pytest.mark.parametrize(("code", "rule", "name", "threshold", "verified"), REVENUE_CASES)
@pytest.mark.parametrize(
    ("offset", "expected"),
    [(Decimal("-0.01"), False), (Decimal(0), True), (Decimal("0.01"), True)],
    ids=["below", "at", "above"],
)
def test_revenue_rule_boundaries(code, rule, name, threshold, verified, offset, expected):
    result = check(code, main=Decimal(threshold) + offset)
    assert (result.value, result.rule, result.rule_code, result.verified) == (expected, name, rule, verified)
    assert result.effective_from_year == 2011
    amount = f"{Decimal(threshold) + offset}".removesuffix(".00")
    sign = "≥" if expected else "<"
    assert result.reason.startswith(f"主营业务收入{amount}万元{sign}{threshold}万元，"), result.reason
    assert "待核实" not in result.reason  # the flag is for maintainers; users never read such notes


def test_reasons_read_naturally():
    assert check("C", main=2500).reason == "主营业务收入2500万元≥2000万元，属于规模以上工业企业"
    assert (
        check("52", main=Decimal("499.99")).reason
        == "主营业务收入499.99万元<500万元，未达到限额以上零售业标准"
    )
    assert check("85", main=600).reason == "主营业务收入600万元≥500万元，属于规模以上服务业企业"


# --- operating revenue standing in -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "main", "operating", "value", "reason"),
    [
        ("C", None, 2000, True, STAND_IN + "营业收入2000万元≥2000万元，属于规模以上工业企业"),
        (
            "C",
            None,
            Decimal("1999.99"),
            False,
            STAND_IN + "营业收入1999.99万元<2000万元，未达到规模以上工业标准",
        ),
        ("62", None, 200.0, True, STAND_IN + "营业收入200万元≥200万元，属于限额以上餐饮业企业"),
        # Main-business revenue given: it is the basis, operating revenue is ignored.
        ("C", 1999, 5000, False, "主营业务收入1999万元<2000万元，未达到规模以上工业标准"),
        ("C", 2000, 0, True, "主营业务收入2000万元≥2000万元，属于规模以上工业企业"),
        ("C", 0, None, False, "主营业务收入0万元<2000万元，未达到规模以上工业标准"),
        ("C", None, None, None, "缺少主营业务收入和营业收入数据，无法判定"),
    ],
)
def test_operating_revenue_stands_in(code, main, operating, value, reason):
    result = check(code, main=main, operating=operating)
    assert (result.value, result.reason) == (value, reason)


# --- construction and real estate ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["E", "47", "4710", "50"])
@pytest.mark.parametrize(
    ("qualification", "value", "reason"),
    [
        ("general", True, "持有施工总承包资质，属于有资质的建筑业企业"),
        ("specialised", True, "持有专业承包资质，属于有资质的建筑业企业"),
        ("none", False, "无施工总承包或专业承包资质，不属于有资质的建筑业企业"),
        (None, None, "缺少建筑业资质信息，无法判定是否属于有资质的建筑业企业"),
        ("", None, "缺少建筑业资质信息，无法判定是否属于有资质的建筑业企业"),
    ],
)
def test_construction_needs_a_qualification(code, qualification, value, reason):
    for main in (None, 0, 10**6):  # revenue plays no part
        result = check(code, main=main, qualification=qualification)
        assert (result.value, result.rule, result.rule_code) == (value, "有资质的建筑业", "construction")
        assert result.reason == reason
        assert result.verified is False


def test_unknown_qualification_raises():
    with pytest.raises(ValueError, match="建筑业资质"):
        check("E", qualification="甲级")


def test_qualification_is_ignored_outside_construction():
    assert check("C", main=100, qualification="general").value is False


@pytest.mark.parametrize("code", ["7010", "701", "K7010"])
@pytest.mark.parametrize("main", [None, 0, 1, 10**6])
def test_real_estate_development_has_no_threshold(code, main):
    result = check(code, main=main)
    assert (result.value, result.rule, result.rule_code, result.verified) == (
        True,
        "房地产开发经营业",
        "real_estate_development",
        False,
    )
    assert result.reason == "房地产开发经营业企业不设收入门槛，均属于“四上”企业"


# --- outside the scope, undecidable codes ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["A", "01", "0111", "05", "0511", "J", "66", "6610", "S", "91", "T", "97"])
def test_industries_outside_the_scope(code):
    result = check(code, main=10**6, operating=10**6)
    assert (result.value, result.rule, result.rule_code, result.reason) == (False, None, None, OUT_OF_SCOPE)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (
            "F",
            "行业代码“F”包含适用不同“四上”标准的行业（限额以上批发业（≥2000万元）、限额以上零售业（≥500万元）），"
            "请细化行业代码，无法判定",
        ),
        (
            "H",
            "行业代码“H”包含适用不同“四上”标准的行业（限额以上住宿业（≥200万元）、限额以上餐饮业（≥200万元）），"
            "请细化行业代码，无法判定",
        ),
        (
            "Q",
            "行业代码“Q”包含适用不同“四上”标准的行业（规模以上服务业（≥2000万元）、规模以上服务业（≥500万元）），"
            "请细化行业代码，无法判定",
        ),
        ("K", None),
        ("70", None),
        (None, "缺少所属行业，无法判定"),
        ("", "缺少所属行业，无法判定"),
        ("98", "行业代码“98”无法识别（应为 GB/T 4754-2017 门类、大类、中类或小类代码），无法判定"),
        ("C99", "行业代码“C99”无法识别（应为 GB/T 4754-2017 门类、大类、中类或小类代码），无法判定"),
    ],
)
def test_undecidable_industry(code, reason):
    result = check(code, main=10**6, operating=10**6, qualification="general")
    assert (result.value, result.rule, result.rule_code) == (None, None, None)
    if reason:
        assert result.reason == reason
    else:
        assert "房地产开发经营业" in result.reason and "规模以上服务业（≥1000万元）" in result.reason


@pytest.mark.skipif(
    not INDUSTRY_CSV.exists(), reason="GB/T 4754-2017 table of the industries app not present"
)
def test_every_gbt4754_code_is_decided_except_a_few_coarse_ones():
    with open(INDUSTRY_CSV, encoding="utf-8") as fh:
        codes = [r["code"] for r in csv.DictReader(fh)]
    undecided = {c for c in codes if check(c, main=5000, qualification="general").value is None}
    assert undecided == {"F", "H", "K", "70", "Q"}


# --- data and versions --------------------------------------------------------------------------------------


def test_csv_layout_and_verified_flags():
    lines = [
        ln for ln in ABOVE_SCALE_CSV.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")
    ]
    assert lines[0].split(",") == [
        "effective_from_year",
        "rule",
        "name_zh",
        "selectors",
        "basis",
        "threshold_wan",
        "verified",
        "note_zh",
    ]
    rules = {r.rule: r for r in load_above_scale_rules().for_year(2024)}
    assert {code: (r.basis, r.threshold_wan, r.verified) for code, r in rules.items()} == {
        "industry": ("main_business_revenue", 2000, True),
        "wholesale": ("main_business_revenue", 2000, True),
        "retail": ("main_business_revenue", 500, True),
        "accommodation": ("main_business_revenue", 200, True),
        "catering": ("main_business_revenue", 200, True),
        "construction": ("qualification", None, False),
        "real_estate_development": ("none", None, False),
        "services_2000": ("main_business_revenue", 2000, False),
        "services_1000": ("main_business_revenue", 1000, False),
        "services_500": ("main_business_revenue", 500, False),
    }


def _with_rows(tmp_path, *lines: str) -> Path:
    path = tmp_path / "above_scale.csv"
    path.write_text(
        ABOVE_SCALE_CSV.read_text(encoding="utf-8") + "".join(line + "\n" for line in lines), encoding="utf-8"
    )
    return path


def test_a_later_row_changes_the_result_from_its_year(tmp_path):
    rules = load_above_scale_rules(
        _with_rows(tmp_path, "2024,industry,规模以上工业,B C D,main_business_revenue,3000,false,hypothetical")
    )
    before = check("C", main=2500, year=2023, rules=rules)
    assert (before.value, before.effective_from_year, before.verified) == (True, 2011, True)
    for year in (2024, 2030):
        after = check("C", main=2500, year=year, rules=rules)
        assert (after.value, after.effective_from_year, after.verified) == (False, 2024, False)
        assert after.reason == "主营业务收入2500万元<3000万元，未达到规模以上工业标准"
    assert check("C", main=3000, year=2024, rules=rules).value is True
    # Other rules keep their 2011 rows.
    assert check("51", main=2000, year=2024, rules=rules).effective_from_year == 2011


def test_a_later_row_can_change_the_basis_and_selectors(tmp_path):
    rules = load_above_scale_rules(
        _with_rows(
            tmp_path,
            "2025,services_2000,规模以上服务业,G I N 84,operating_revenue,2000,false,basis changed",
            "2025,real_estate_development,房地产开发经营业,701,withdrawn,,false,rule dropped",
        )
    )
    result = check("84", main=100, operating=2500, year=2025, rules=rules)
    assert (result.value, result.reason) == (
        True,
        "营业收入2500万元≥2000万元，属于规模以上服务业企业",
    )
    stand_in = check("84", main=2500, operating=None, year=2025, rules=rules)
    assert stand_in.reason.startswith("营业收入缺失，以主营业务收入代替：")
    assert check("7010", year=2024, rules=rules).value is True
    assert check("7010", year=2025, rules=rules).reason == OUT_OF_SCOPE


def test_no_rules_before_the_first_effective_year():
    result = check("C", main=5000, year=2010)
    assert (result.value, result.reason) == (None, "没有适用于2010年的“四上”标准，无法判定")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2025,industry,规模以上工业,B C D,revenue,3000,true,x", "unknown basis"),
        ("2025,industry,规模以上工业,B C D,main_business_revenue,,true,x", "threshold_wan"),
        ("2025,construction,有资质的建筑业,E,qualification,100,true,x", "threshold_wan"),
        ("2011,industry,规模以上工业,B C D,main_business_revenue,2000,true,x", "duplicate"),
        ("2025,industry,规模以上工业,B C 99,main_business_revenue,2000,true,x", "selector"),
        ("2025,industry,规模以上工业,B 13-1,main_business_revenue,2000,true,x", "range"),
    ],
)
def test_loader_rejects_bad_rows(tmp_path, line, message):
    with pytest.raises(ValueError, match=message):
        load_above_scale_rules(_with_rows(tmp_path, line))


def test_overlapping_rules_of_the_same_specificity_are_reported(tmp_path):
    rules = load_above_scale_rules(
        _with_rows(tmp_path, "2025,extra,重复规则,C,main_business_revenue,1,true,x")
    )
    with pytest.raises(ValueError, match="conflicting selectors"):
        check("1310", main=1, year=2025, rules=rules)
