"""企业划型 by 工信部联企业〔2011〕300号 — pure tests of smeplan.registry.classification (no Django)."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from smeplan.registry.classification import (
    INDUSTRY_MAP_CSV,
    SECTIONS_CSV,
    SIZE_CLASS_CSV,
    Classification,
    IndustryGroup,
    industry_group_for,
    load_sections,
    load_size_class_table,
    parse_industry_code,
    size_class,
)

INDUSTRY_CSV = Path(__file__).resolve().parents[2] / "smeplan" / "industries" / "data" / "gbt4754-2017.csv"

# The README table (/work/shared/domain/README.md), written out independently of the CSV:
# group → (Chinese name, a GB/T 4754 code of the group, {metric: (SME upper bound, medium min, small min)}).
E, R, A = "employees", "revenue", "assets"
README_TABLE = {
    "agriculture": ("农、林、牧、渔业", "0111", {R: (20000, 500, 50)}),
    "industry": ("工业", "1310", {E: (1000, 300, 20), R: (40000, 2000, 300)}),
    "construction": ("建筑业", "4710", {R: (80000, 6000, 300), A: (80000, 5000, 300)}),
    "wholesale": ("批发业", "5111", {E: (200, 20, 5), R: (40000, 5000, 1000)}),
    "retail": ("零售业", "5211", {E: (300, 50, 10), R: (20000, 500, 100)}),
    "transport": ("交通运输业", "5411", {E: (1000, 300, 20), R: (30000, 3000, 200)}),
    "warehousing": ("仓储业", "5920", {E: (200, 100, 20), R: (30000, 1000, 100)}),
    "postal": ("邮政业", "6010", {E: (1000, 300, 20), R: (30000, 2000, 100)}),
    "accommodation": ("住宿业", "6110", {E: (300, 100, 10), R: (10000, 2000, 100)}),
    "catering": ("餐饮业", "6210", {E: (300, 100, 10), R: (10000, 2000, 100)}),
    "information_transmission": ("信息传输业", "6311", {E: (2000, 100, 10), R: (100000, 1000, 100)}),
    "software_it": ("软件和信息技术服务业", "6510", {E: (300, 100, 10), R: (10000, 1000, 50)}),
    "real_estate_development": ("房地产开发经营", "7010", {R: (200000, 1000, 100), A: (10000, 5000, 2000)}),
    "property_management": ("物业管理", "7020", {E: (1000, 300, 100), R: (5000, 1000, 500)}),
    "leasing_business": ("租赁和商务服务业", "7211", {E: (300, 100, 10), A: (120000, 8000, 100)}),
    "other": ("其他未列明行业", "7310", {E: (300, 100, 10)}),
}
LEVELS = ["micro", "small", "medium", "large"]
BOUND_LEVEL = {0: "large", 1: "medium", 2: "small"}  # index in the (upper, medium, small) tuple → class at it
STEP = {E: 1, R: Decimal("0.01"), A: Decimal("0.01")}


def classify(code, employees=None, revenue=None, assets=None, year=2024, **kw) -> Classification:
    return size_class(
        industry_code=code,
        employees=employees,
        operating_revenue=revenue,
        total_assets=assets,
        year=year,
        **kw,
    )


def figures_at(group: str, level_index: int) -> dict:
    """Every metric of ``group`` exactly at the bound of ``level_index`` (0 upper, 1 medium, 2 small)."""
    return {m: bounds[level_index] for m, bounds in README_TABLE[group][2].items()}


def call(group: str, figures: dict, **kw) -> Classification:
    code = README_TABLE[group][1]
    return classify(code, figures.get(E), figures.get(R), figures.get(A), **kw)


# --- the data matches the README ------------------------------------------------------------------------


def test_thresholds_csv_matches_the_readme_table():
    table = load_size_class_table()
    in_force = table.for_year(2011)
    assert set(in_force) == set(README_TABLE)
    for group, (name, _, metrics) in README_TABLE.items():
        rows = in_force[group]
        assert {r.metric: (r.sme_upper, r.medium_min, r.small_min) for r in rows} == {
            m: tuple(Decimal(b) for b in bounds) for m, bounds in metrics.items()
        }, group
        assert {r.group_name_zh for r in rows} == {name}
        assert all(r.effective_from_year == 2011 for r in rows)


def test_csv_files_have_the_documented_columns():
    def header(path):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
        return lines[0].split(",")

    assert header(SIZE_CLASS_CSV) == [
        "effective_from_year",
        "industry_group",
        "group_name_zh",
        "metric",
        "sme_upper",
        "medium_min",
        "small_min",
        "verified",
        "source",
    ]
    assert header(INDUSTRY_MAP_CSV) == ["selector", "industry_group", "verified", "note_zh"]
    assert header(SECTIONS_CSV) == ["section", "name_zh", "division_from", "division_to"]


@pytest.mark.skipif(
    not INDUSTRY_CSV.exists(), reason="GB/T 4754-2017 table of the industries app not present"
)
def test_sections_csv_matches_gbt4754_table():
    with open(INDUSTRY_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    divisions = {r["code"]: r["section"] for r in rows if r["level"] == "division"}
    assert load_sections() == divisions


@pytest.mark.skipif(
    not INDUSTRY_CSV.exists(), reason="GB/T 4754-2017 table of the industries app not present"
)
def test_every_industry_code_below_section_level_maps_to_a_group_except_finance_and_division_70():
    with open(INDUSTRY_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    undecided = {r["code"] for r in rows if industry_group_for(r["code"]) is None}
    finance = {r["code"] for r in rows if r["section"] == "J"}
    assert undecided == finance | {"F", "G", "H", "I", "K", "70"}


# --- every boundary of every group -------------------------------------------------------------------------

BOUNDARY_CASES = [
    pytest.param(group, metric, index, offset, id=f"{group}-{metric}-{BOUND_LEVEL[index]}-{name}")
    for group, (_, _, metrics) in README_TABLE.items()
    for metric in metrics
    for index in (0, 1, 2)
    for offset, name in ((-1, "below"), (0, "at"), (1, "above"))
]


@pytest.mark.parametrize(("group", "metric", "index", "offset"), BOUNDARY_CASES)
def test_boundary(group, metric, index, offset):
    """Other metrics exactly at the same bound; this metric at / just below / just above it."""
    figures = figures_at(group, index)
    figures[metric] = figures[metric] + offset * STEP[metric]
    level = BOUND_LEVEL[index]
    expected = LEVELS[LEVELS.index(level) - 1] if offset < 0 else level
    result = call(group, figures)
    assert result.value == expected, result.reason
    assert result.group == IndustryGroup(group, README_TABLE[group][0])
    assert result.label_zh == {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}[expected]
    assert result.effective_from_year == 2011


@pytest.mark.parametrize("group", [g for g, (_, _, m) in README_TABLE.items() if len(m) == 2])
def test_large_needs_both_figures_at_the_upper_bound(group):
    """300号: an SME when EITHER figure is below its upper bound (“…以下或…以下的为中小微型企业”)."""
    (m1, b1), (m2, b2) = README_TABLE[group][2].items()
    huge = {m1: b1[0] * 100, m2: b2[0] * 100}
    assert call(group, huge).value == "large"
    for low_metric, bounds in ((m1, b1), (m2, b2)):
        figures = dict(huge)
        figures[low_metric] = bounds[0] - STEP[low_metric]
        assert call(group, figures).value == "medium"  # the other is far above: only “either below” holds


@pytest.mark.parametrize("group", [g for g, (_, _, m) in README_TABLE.items() if len(m) == 2])
def test_medium_and_small_need_both_lower_bounds_micro_when_either_below(group):
    (m1, b1), (m2, b2) = README_TABLE[group][2].items()
    # One figure medium-sized, the other only small-sized → small.
    assert call(group, {m1: b1[1], m2: b2[2]}).value == "small"
    assert call(group, {m1: b1[2], m2: b2[1]}).value == "small"
    # One figure below the small bound → micro, however large the other.
    assert call(group, {m1: b1[2] - STEP[m1], m2: b2[0] * 100}).value == "micro"
    assert call(group, {m1: b1[0] * 100, m2: b2[2] - STEP[m2]}).value == "micro"
    assert call(group, {m1: 0, m2: 0}).value == "micro"


def test_figures_a_group_does_not_use_are_ignored():
    # 其他未列明行业: staff only; 农林牧渔业: revenue only.
    assert classify("7310", employees=150, revenue=None, assets=None).value == "medium"
    assert classify("7310", employees=150, revenue=1, assets=10**9).value == "medium"
    assert classify("0111", employees=None, revenue=600).value == "medium"
    assert classify("0111", employees=100000, revenue=49).value == "micro"
    # 建筑业: revenue and assets, not staff.
    assert classify("4710", employees=1, revenue=6000, assets=5000).value == "medium"


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (350, 2500, "medium"),
        (350, Decimal("2500.00"), "medium"),
        (350, 2500.0, "medium"),
        (350, "2500", "medium"),
        (300, 1999.99, "small"),
        (1000, 40000.0, "large"),
        (0, 0, "micro"),
    ],
)
def test_number_types(employees, revenue, expected):
    assert classify("C", employees, revenue).value == expected


# --- reasons -----------------------------------------------------------------------------------------------


def test_reason_names_the_figures_and_the_thresholds():
    result = classify("1310", employees=350, revenue=2500)
    assert result.reason == (
        "工业：从业人员350人，营业收入2500万元。从业人员350人<1000人，营业收入2500万元<40000万元，"
        "未达到大型标准（从业人员≥1000人且营业收入≥40000万元）；达到中型标准（从业人员≥300人且营业收入≥2000万元），"
        "为中型企业"
    )
    assert (
        "达到大型标准（从业人员≥1000人且营业收入≥40000万元），为大型企业" in classify("C", 1000, 40000).reason
    )
    small = classify("C", 299, 100000)
    assert "从业人员299人<300人，未达到中型标准" in small.reason
    assert small.reason.endswith("为小型企业")
    micro = classify("C", 19, Decimal("299.5"))
    assert "从业人员19人<20人，营业收入299.5万元<300万元，低于小型标准" in micro.reason
    assert micro.reason.endswith("为微型企业")


# --- missing figures: determined or undecidable ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "employees", "revenue", "assets", "expected", "reason_start"),
    [
        # A figure below the small bound already makes it micro, whatever the missing one is.
        ("C", 10, None, None, "micro", "工业：从业人员10人，缺少营业收入数据。"),
        ("C", None, 299, None, "micro", "工业：营业收入299万元，缺少从业人员数据。"),
        ("E", None, None, 299, "micro", "建筑业：资产总额299万元，缺少营业收入数据。"),
        ("7010", None, None, 1999, "micro", "房地产开发经营：资产总额1999万元，缺少营业收入数据。"),
        # Otherwise the missing figure could change the class → undecidable.
        ("C", None, 2500, None, None, "缺少从业人员数据，无法判定"),
        ("C", 20, None, None, None, "缺少营业收入数据，无法判定"),
        ("C", None, None, None, None, "缺少从业人员、营业收入数据，无法判定"),
        ("E", None, 100000, None, None, "缺少资产总额数据，无法判定"),
        ("0111", 50, None, None, None, "缺少营业收入数据，无法判定"),
        ("7310", None, 5000, 5000, None, "缺少从业人员数据，无法判定"),
        ("L", 10, None, None, None, "缺少资产总额数据，无法判定"),
    ],
)
def test_missing_figures(code, employees, revenue, assets, expected, reason_start):
    result = classify(code, employees, revenue, assets)
    assert result.value == expected
    assert result.reason.startswith(reason_start), result.reason
    if expected is None:
        assert result.label_zh == "无法判定"
        assert result.group is not None
    else:
        assert "均为微型企业" in result.reason


def test_undecidable_reason_lists_the_possible_classes():
    assert (
        classify("C", None, 2500).reason
        == "缺少从业人员数据，无法判定（工业：营业收入2500万元，可能为微型、小型或中型）"
    )
    assert classify("C", None, 50000).reason.endswith("可能为微型、小型、中型或大型）")


# --- industry mapping --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "group"),
    [
        # 农、林、牧、渔业: the whole section A, including division 05 (专业及辅助性活动).
        ("A", "agriculture"),
        ("01", "agriculture"),
        ("0111", "agriculture"),
        ("05", "agriculture"),
        ("0511", "agriculture"),
        # 工业 = B, C, D.
        ("B", "industry"),
        ("06", "industry"),
        ("0610", "industry"),
        ("C", "industry"),
        ("13", "industry"),
        ("131", "industry"),
        ("1310", "industry"),
        ("43", "industry"),
        ("D", "industry"),
        ("44", "industry"),
        ("4610", "industry"),
        ("E", "construction"),
        ("47", "construction"),
        ("50", "construction"),
        ("51", "wholesale"),
        ("5111", "wholesale"),
        ("52", "retail"),
        ("5211", "retail"),
        # 交通运输业 54–58; railway 53 falls to 其他未列明行业.
        ("53", "other"),
        ("5311", "other"),
        ("54", "transport"),
        ("5411", "transport"),
        ("58", "transport"),
        ("59", "warehousing"),
        ("5920", "warehousing"),
        ("60", "postal"),
        ("61", "accommodation"),
        ("62", "catering"),
        ("63", "information_transmission"),
        ("64", "information_transmission"),
        ("65", "software_it"),
        ("6510", "software_it"),
        # 房地产业: 7010 开发经营, 7020 物业管理, the rest 其他未列明行业.
        ("7010", "real_estate_development"),
        ("701", "real_estate_development"),
        ("7020", "property_management"),
        ("702", "property_management"),
        ("7030", "other"),
        ("7040", "other"),
        ("7090", "other"),
        ("L", "leasing_business"),
        ("71", "leasing_business"),
        ("7211", "leasing_business"),
        ("M", "other"),
        ("73", "other"),
        ("N", "other"),
        ("O", "other"),
        ("P", "other"),
        ("83", "other"),
        ("Q", "other"),
        ("84", "other"),
        ("85", "other"),
        ("R", "other"),
        ("S", "other"),
        ("T", "other"),
        ("97", "other"),
        # Accepted spellings.
        ("c", "industry"),
        (" 13 ", "industry"),
        ("C1310", "industry"),
        ("K7010", "real_estate_development"),
    ],
)
def test_industry_group_for(code, group):
    assert industry_group_for(code) == group


@pytest.mark.parametrize(
    "code",
    [
        # Sections / divisions whose parts fall in different groups.
        "F",
        "G",
        "H",
        "I",
        "K",
        "70",
        # 金融业: not covered by 300号 (separate standard).
        "J",
        "66",
        "6610",
        # Malformed or non-existent.
        None,
        "",
        "5",
        "00",
        "98",
        "99",
        "12345",
        "U",
        "B13",
        "13a",
        "１３",
    ],
)
def test_industry_group_for_undecidable(code):
    assert industry_group_for(code) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("F", "行业代码“F”包含划型标准不同的行业（批发业、零售业），请细化行业代码，无法判定"),
        (
            "70",
            "行业代码“70”包含划型标准不同的行业（其他未列明行业、房地产开发经营、物业管理），请细化行业代码，无法判定",
        ),
        (
            "J",
            "金融业适用《金融业企业划型标准规定》（银发〔2015〕309号），不适用工信部联企业〔2011〕300号，无法判定",
        ),
        ("98", "行业代码“98”无法识别（应为 GB/T 4754-2017 门类、大类、中类或小类代码），无法判定"),
        (None, "缺少所属行业，无法判定"),
        ("", "缺少所属行业，无法判定"),
    ],
)
def test_unknown_or_undecidable_industry(code, reason):
    result = classify(code, 5000, 10**6, 10**6)
    assert (result.value, result.label_zh, result.group, result.reason) == (None, "无法判定", None, reason)


@pytest.mark.parametrize(
    ("code", "verified"), [("53", False), ("63", False), ("64", False), ("54", True), ("C", True)]
)
def test_verified_flag_follows_the_mapping_rows(code, verified):
    result = classify(code, 150, 5000)
    assert result.verified is verified
    assert "待核实" not in result.reason  # the flag is for maintainers; users never read such notes


def test_parse_industry_code():
    assert parse_industry_code("C") is not None
    assert parse_industry_code("1310") == parse_industry_code("C1310") == parse_industry_code(" c1310 ")
    assert parse_industry_code("D1310") is None


# --- versions, years, input errors ----------------------------------------------------------------------


def test_no_thresholds_before_the_first_effective_year():
    result = classify("C", 500, 5000, year=2010)
    assert result.value is None
    assert result.reason == "没有适用于2010年的工业划型标准，无法判定"


def test_a_later_version_changes_results_from_its_year(tmp_path):
    path = tmp_path / "thresholds.csv"
    text = SIZE_CLASS_CSV.read_text(encoding="utf-8")
    text += "2025,other,其他未列明行业,employees,500,200,20,false,hypothetical revision\n"
    path.write_text(text, encoding="utf-8")
    table = load_size_class_table(path)
    for year, expected, eff in [(2024, "medium", 2011), (2025, "small", 2025), (2030, "small", 2025)]:
        result = classify("7310", 150, year=year, table=table)
        assert (result.value, result.effective_from_year) == (expected, eff)
    assert classify("7310", 15, year=2025, table=table).value == "micro"  # new small bound 20
    assert classify("7310", 15, year=2024, table=table).value == "small"
    assert classify("7310", 500, year=2025, table=table).verified is False
    # Other groups keep their 2011 rows.
    assert classify("C", 350, 2500, year=2025, table=table).value == "medium"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2025,other,其他未列明行业,employees,500,600,20,true,x", "small_min ≤ medium_min ≤ sme_upper"),
        ("2025,other,其他未列明行业,staff,500,200,20,true,x", "unknown metric"),
        ("2011,other,其他未列明行业,employees,300,100,10,true,x", "duplicate"),
        ("2025,other,其他未列明行业,employees,500,200,20,maybe,x", "verified"),
    ],
)
def test_loader_rejects_bad_rows(tmp_path, line, message):
    path = tmp_path / "thresholds.csv"
    path.write_text(SIZE_CLASS_CSV.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_size_class_table(path)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"employees": -1}, ValueError),
        ({"employees": Decimal("10.5")}, ValueError),
        ({"employees": True}, TypeError),
        ({"revenue": float("nan")}, ValueError),
        ({"revenue": "abc"}, ValueError),
        ({"assets": [1]}, TypeError),
    ],
)
def test_bad_figures_raise(kwargs, error):
    with pytest.raises(error):
        classify("C", **kwargs)


def test_results_are_frozen():
    result = classify("C", 10, 10)
    with pytest.raises(AttributeError):
        result.value = "large"
