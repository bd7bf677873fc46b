"""The 十三五 (2016—2020) targets of the seed: shipped as ``targets-2016-2020.json``, loaded by the data
migration, and the loader's checks (a bad file is refused, naming the row and the field, and changes
nothing)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from smeplan.targets.loading import PERIOD_13TH, load_period
from smeplan.targets.models import PlanPeriod, Target, TargetShare

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "docs" / "seed" / "action-plans-2017-69.md"
COMPUTED_METRICS = {
    "growth.province",
    "growth.province.industry_star",
    "growth.province.growth_star",
    "growth.province.startup_star",
    "growth.all_levels",
    "transformation.demonstration",
    "transformation.demonstration.per_year",
    "transformation.library",
}


def _file() -> dict:
    return json.loads(PERIOD_13TH.read_text(encoding="utf-8"))


def _snapshot() -> list[tuple]:
    return list(
        Target.objects.order_by("period__code", "code").values_list(
            "period__code", "code", "plan", "position", "value", "name"
        )
    ) + list(PlanPeriod.objects.order_by("code").values_list("code", "name"))


def _write(tmp_path, data) -> Path:
    path = tmp_path / "targets.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_period_and_its_targets_exist_after_migrations():
    data = _file()
    period = PlanPeriod.objects.get(code="13th")
    assert (period.start_year, period.end_year) == (2016, 2020)
    codes = [t["code"] for t in data["targets"]]
    assert list(period.targets.order_by("position").values_list("code", flat=True)) == codes
    assert list(period.targets.order_by("position").values_list("position", flat=True)) == list(
        range(len(codes))
    )
    assert set(period.targets.values_list("plan", flat=True)) == {
        "bases",
        "brand",
        "transformation",
        "internet",
        "growth",
        "financing",
        "talent",
        "platforms",
    }


def test_the_tiers_are_rows_that_add_up_to_the_provincial_total():
    values = dict(Target.objects.filter(period__code="13th").values_list("code", "value"))
    assert values["growth-province-tier"] == Decimal(5000)
    tiers = [
        values["growth-province-industry-star"],
        values["growth-province-growth-star"],
        values["growth-province-startup-star"],
    ]
    assert tiers == [Decimal(500), Decimal(1500), Decimal(3000)]
    assert sum(tiers) == values["growth-province-tier"]
    assert values["growth-all-levels"] == Decimal(20000)


def test_computed_targets_name_a_known_metric_and_reported_ones_a_bureau():
    targets = Target.objects.filter(period__code="13th")
    computed = targets.filter(source="computed")
    assert computed.exists()
    for t in computed:
        assert t.metric in COMPUTED_METRICS, t.code
    for t in targets.filter(source="reported"):
        assert t.metric == "", t.code
        assert t.reporter, t.code
    assert set(computed.values_list("metric", flat=True)) == COMPUTED_METRICS


def test_every_row_follows_the_field_rules():
    data = _file()
    for row in data["targets"]:
        assert len(row["name"]) <= 20, row["code"]
        assert row["deadline"] == "2020-12-31", row["code"]
        if row["kind"] == "share":
            assert row["unit"] == "%", row["code"]
        if row["kind"] == "amount":
            assert row["unit"] in ("亿元", "万元"), row["code"]
        assert row["scope"] == "province" and "shares" not in row, row["code"]


def test_every_description_is_quoted_verbatim_from_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    data = _file()
    assert data["source"].split("《")[0] in seed
    for row in data["targets"]:
        assert row["description"] in seed, row["code"]


def test_loading_again_changes_nothing():
    before = _snapshot()
    assert load_period(None, PERIOD_13TH) == {"period": "13th", "created": 0, "updated": len(before) - 1}
    assert _snapshot() == before


def test_loading_updates_by_code_and_follows_the_file_order(tmp_path):
    data = _file()
    data["targets"][0]["value"] = 151
    data["targets"].reverse()
    load_period(None, _write(tmp_path, data))
    first = Target.objects.get(period__code="13th", code=data["targets"][-1]["code"])
    assert first.value == Decimal(151)
    assert first.position == len(data["targets"]) - 1
    assert Target.objects.get(period__code="13th", code=data["targets"][0]["code"]).position == 0
    assert Target.objects.filter(period__code="13th").count() == len(data["targets"])


def test_shares_are_written_for_a_per_city_target(tmp_path):
    data = _file()
    data["period"] = {"code": "test", "name": "测试期", "start_year": 2021, "end_year": 2025}
    row = dict(data["targets"][0], deadline="2025-12-31", scope="per_city")
    row["shares"] = {"610100": 30, "610581": 5}
    data["targets"] = [row]
    load_period(None, _write(tmp_path, data))
    target = Target.objects.get(period__code="test", code=row["code"])
    assert dict(TargetShare.objects.filter(target=target).values_list("region_id", "value")) == {
        "610100": Decimal(30),
        "610581": Decimal(5),
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda rows: rows[3].update(plan="nonsense"), ["“bases-national”", "plan", "行动计划", "nonsense"]),
        (lambda rows: rows[5].update(code=rows[2]["code"]), ["“bases-provincial”", "code", "重复"]),
        (lambda rows: rows[4].update(value=0), ["“brand-provincial-famous”", "value", "目标值"]),
        (lambda rows: rows[4].update(kind="total"), ["“brand-provincial-famous”", "kind", "类型"]),
        (lambda rows: rows[4].update(scope="county"), ["“brand-provincial-famous”", "scope", "范围"]),
        (lambda rows: rows[4].update(source="guess"), ["“brand-provincial-famous”", "source", "数据来源"]),
        (
            lambda rows: rows[4].update(deadline="2021-12-31"),
            ["“brand-provincial-famous”", "deadline", "完成期限"],
        ),
        (lambda rows: rows[4].pop("unit"), ["“brand-provincial-famous”", "unit", "缺失"]),
        (lambda rows: rows[1].update(shares={"610102": 1}), ["“bases-county-coverage”", "shares"]),
    ],
)
def test_a_bad_row_is_refused_naming_its_code_and_field_and_nothing_changes(tmp_path, change, expected):
    data = _file()
    data["targets"][0]["value"] = 999  # a valid change earlier in the file is not written either
    change(data["targets"])
    before = _snapshot()
    with pytest.raises(ValueError) as refused:
        load_period(None, _write(tmp_path, data))
    for text in expected:
        assert text in str(refused.value)
    assert _snapshot() == before


def test_a_new_period_in_a_bad_file_is_not_created(tmp_path):
    data = _file()
    data["period"] = {"code": "14th", "name": "“十四五”（2021—2025年）", "start_year": 2021, "end_year": 2025}
    with pytest.raises(ValueError, match="完成期限"):
        load_period(None, _write(tmp_path, data))
    assert not PlanPeriod.objects.filter(code="14th").exists()
