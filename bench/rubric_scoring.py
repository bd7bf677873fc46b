"""Rubric scoring benchmark (评分, issue 15): ``recognition.scoring.applications_score`` of 20,000
submitted applications against a 20-indicator rubric — figures-based bands (ratios, growths, a
two-year mean, amounts), form answers (choices, yes/no, years per step, multi-choice with an
overriding item, net profit over revenue), an amount-or-share best-of, an expert indicator, plus
exclusions, direct-pass and basic conditions and group minimums — scored and stored (DELETE + COPY)
on PostgreSQL. Goal: ≤ 2 s.

It makes its own data in a fresh database ``smeplan_bench_rubric`` (dropped and re-created):
migrate, ``demo_province --enterprises 20000`` (figures of Y−3 … Y−1), a bench programme with the
rubric, 20,000 applications (one per enterprise, answers drawn with a fixed seed). Then it times the
first run in this process (the frame store is built from the tables) and ``--repeat`` more (the
stored scores replaced each time) and prints the figures.
Usage: ``.venv/bin/python bench/rubric_scoring.py [--count N] [--repeat R] [--keep]`` (``--keep``
reuses the database when it already holds the applications).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

URL = os.environ.get("BENCH_RUBRIC_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench_rubric")
GOAL_SECONDS = 2.0
YEAR = 2025
B = "bench: 评分细则基准（非正式规则）"


def bands(*rows):
    out = []
    for low, high, pts in rows:
        band = {"points": pts}
        if low is not None:
            band["low"] = low
        if high is not None:
            band["high"] = high
        out.append(band)
    return out


def pct5(metric, year=-1, cuts=("0.01", "0.03", "0.05", "0.10")):
    """a 5-point banded percentage indicator source."""
    a, b, c, d = cuts
    return {
        "source": {"metric": metric, "year": year},
        "unit": "percent",
        "bands": bands((d, None, 5), (c, d, 4), (b, c, 3), (a, b, 1), (None, a, 0)),
    }


def design() -> dict:
    m = lambda code, year=-1: {"metric": code, "year": year}  # noqa: E731
    finance = [
        ("rd_share", "研发强度", pct5("ratio.rd_ratio")),
        ("rd_share_2", "研发强度（前年）", pct5("ratio.rd_ratio", -2)),
        ("margin", "利润率", pct5("ratio.profit_margin")),
        ("tax", "税收占比", pct5("ratio.tax_ratio")),
        ("mb_share", "主营占比", pct5("ratio.main_business_share", -1, ("0.5", "0.6", "0.7", "0.8"))),
        ("revenue_growth", "营收增速", pct5("growth.operating_revenue", -1, ("0", "0.05", "0.10", "0.15"))),
        ("profit_growth", "利润增速", pct5("growth.total_profit", -1, ("0", "0.05", "0.10", "0.15"))),
        ("tax_growth", "税金增速", pct5("growth.tax_paid", -1, ("0", "0.05", "0.10", "0.15"))),
        (
            "mb_growth_2y",
            "主营两年平均增速",
            {
                **pct5("growth.main_business_revenue", -1, ("0", "0.04", "0.08", "0.10")),
                "source": {
                    "mean": [m("growth.main_business_revenue", -1), m("growth.main_business_revenue", -2)]
                },
            },
        ),
        (
            "debt",
            "资产负债率",
            {
                "source": m("ratio.debt_ratio"),
                "unit": "percent",
                "bands": bands((None, "0.5", 5), ("0.5", "0.6", 3), ("0.6", "0.7", 1), ("0.7", None, 0)),
            },
        ),
        (
            "revenue",
            "营业收入",
            {
                "source": m("operating_revenue"),
                "unit": "money",
                "bands": bands(("5000", None, 5), ("2000", "5000", 3), ("500", "2000", 1), (None, "500", 0)),
            },
        ),
    ]
    indicators = [
        {"code": c, "label": lbl, "group": "finance", "max": 5, "basis": B, **spec}
        for c, lbl, spec in finance
    ]
    answers = [
        ("ip", {"source": {"answer": "ip_class"}, "choices": {"i_high": 5, "i": 3, "ii": 1, "none": 0}}),
        ("emerging", {"source": {"answer": "strategic_emerging"}, "choices": {"true": 5, "false": 2}}),
        ("niche", {"source": {"answer": "niche_years"}, "unit": "years", "per": {"step": 2, "points": 1}}),
        (
            "quality",
            {
                "source": {"answer": "quality_items"},
                "overriding": {"award": 5},
                "each": {"iso": 3, "brand": 3, "standard": 3},
            },
        ),
        (
            "net_margin",
            {
                "source": {"ratio": [{"answer": "net_profit"}, m("operating_revenue")]},
                "unit": "percent",
                "bands": bands(("0.10", None, 5), ("0.05", "0.10", 3), ("0", "0.05", 1), (None, "0", 0)),
            },
        ),
    ]
    indicators += [
        {"code": c, "label": c, "group": "answers", "max": 5, "basis": B, **spec} for c, spec in answers
    ]
    indicators += [
        {
            "code": "rd",
            "label": "研发投入（金额或占比）",
            "group": "other",
            "max": 5,
            "basis": B,
            "best_of": [
                {
                    "label": "金额",
                    "source": m("rd_expense"),
                    "unit": "money",
                    "bands": bands(("200", None, 5), ("100", "200", 3), (None, "100", 0)),
                },
                {
                    "label": "占比",
                    "source": m("ratio.rd_ratio"),
                    "unit": "percent",
                    "bands": bands(("0.06", None, 5), ("0.03", "0.06", 3), (None, "0.03", 0)),
                },
            ],
        },
        {
            "code": "staff",
            "label": "从业人员",
            "group": "other",
            "max": 5,
            "basis": B,
            "source": m("employees"),
            "unit": "persons",
            "bands": bands(("100", None, 5), ("20", "100", 3), (None, "20", 0)),
        },
        {
            "code": "new_products",
            "label": "新产品占比",
            "group": "other",
            "max": 5,
            "basis": B,
            "unit": "percent",
            "source": {"ratio": [m("new_product_revenue"), m("operating_revenue")]},
            "bands": bands(("0.2", None, 5), ("0.1", "0.2", 3), (None, "0.1", 0)),
        },
        {
            "code": "experts",
            "label": "专家评价",
            "group": "experts",
            "max": 5,
            "basis": B,
            "source": {"expert": True},
        },
    ]
    yes = lambda code: {"source": {"answer": code}, "op": "true"}  # noqa: E731
    return {
        "max_total": 100,
        "pass_total": 60,
        "groups": [
            {"code": "finance", "label": "经营与创新", "max": 55, "minimum": 20},
            {"code": "answers", "label": "申报情况", "max": 25, "minimum": 10},
            {"code": "other", "label": "其他", "max": 15},
            {"code": "experts", "label": "专家", "max": 5},
        ],
        "indicators": indicators,
        "exclusions": [
            {"code": "accident", "label": "重大事故", "test": yes("major_accident"), "basis": B},
            {"code": "listed", "label": "失信名单", "test": yes("abnormal_list"), "basis": B},
        ],
        "direct_pass": [
            {"code": "award", "label": "科技奖励", "test": yes("sci_award_3y"), "basis": B},
            {
                "code": "equity",
                "label": "股权融资",
                "basis": B,
                "test": {"source": {"answer": "equity_financing_3y"}, "op": "ge", "value": "500"},
            },
        ],
        "basic_conditions": [
            {
                "code": "rd",
                "label": "有研发投入",
                "test": {"source": m("rd_expense"), "op": "gt", "value": "0"},
                "basis": B,
            },
            {
                "code": "revenue",
                "label": "营业收入或融资",
                "basis": B,
                "test": {
                    "any": [
                        {"source": m("operating_revenue"), "op": "ge", "value": "100"},
                        {"source": {"answer": "equity_financing_3y"}, "op": "ge", "value": "200"},
                    ]
                },
            },
        ],
        "experts": {"aggregation": "trimmed_mean", "outlier_points": 15},
    }


def prepare(count: int) -> None:
    from load_demo import manage, recreate_database

    t = time.perf_counter()
    recreate_database(URL)
    manage("migrate", "--verbosity", "0", url=URL)
    print(f"database smeplan_bench_rubric re-created and migrated in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    manage(
        "demo_province",
        "--enterprises",
        str(count),
        "--first-year",
        str(YEAR - 3),
        "--last-year",
        str(YEAR - 1),
        url=URL,
    )
    print(f"demo_province --enterprises {count} in {time.perf_counter() - t:.1f} s")


def applications(count: int):
    import numpy as np
    from django.db import transaction

    from smeplan.programmes.models import OwnerLevel, Programme, RubricVersion, Tier
    from smeplan.programmes.rubric import design_check
    from smeplan.recognition.models import Application, State
    from smeplan.registry.models import Organisation

    if Application.objects.filter(programme__code="bench-rubric").count() >= count:
        return Programme.objects.get(code="bench-rubric")
    t = time.perf_counter()
    with transaction.atomic():
        programme = Programme.objects.create(
            code="bench-rubric", name="评分基准项目", owner_level=OwnerLevel.PROVINCE
        )
        tier = Tier.objects.create(programme=programme, code="bench", name="基准", position=0)
        RubricVersion.objects.create(
            programme=programme,
            number=1,
            effective_year=2020,
            title="基准细则（20 项指标）",
            design=design_check(design()),
        )
        ids = list(Organisation.objects.order_by("id").values_list("id", flat=True)[:count])
        rng = np.random.default_rng(15)
        choice = lambda values: values[rng.integers(len(values))]  # noqa: E731
        rows = []
        for org in ids:
            rows.append(
                Application(
                    programme=programme,
                    tier=tier,
                    organisation_id=org,
                    year=YEAR,
                    state=State.PROVINCE_REVIEW,
                    form={
                        "ip_class": choice(["i_high", "i", "ii", "none"]),
                        "strategic_emerging": bool(rng.integers(2)),
                        "niche_years": str(int(rng.integers(0, 15))),
                        "quality_items": [
                            q for q in ("award", "iso", "brand", "standard") if rng.random() < 0.3
                        ],
                        "net_profit": f"{rng.normal(100, 200):.2f}",
                        "major_accident": bool(rng.random() < 0.01),
                        "abnormal_list": bool(rng.random() < 0.01),
                        "sci_award_3y": bool(rng.random() < 0.03),
                        "equity_financing_3y": f"{max(rng.normal(100, 300), 0):.2f}",
                    },
                )
            )
        Application.objects.bulk_create(rows, batch_size=5000)
    print(f"{len(rows)} applications with answers created in {time.perf_counter() - t:.1f} s")
    return programme


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--keep", action="store_true", help="reuse smeplan_bench_rubric if it holds the applications"
    )
    args = parser.parse_args()
    if not args.keep:
        prepare(args.count)
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
    import django

    django.setup()
    from collections import Counter

    from django.db import connection

    from smeplan.accounts.models import Role, User
    from smeplan.recognition.models import ApplicationScore
    from smeplan.recognition.scoring import applications_score

    programme = applications(args.count)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    actor, _ = User.objects.update_or_create(
        username="bench-rubric", defaults={"role": Role.PROVINCIAL_ADMIN, "region_id": "610000"}
    )
    times = []
    for run in range(1 + args.repeat):
        t = time.perf_counter()
        n = applications_score(actor=actor, programme=programme, year=YEAR)
        times.append(time.perf_counter() - t)
        label = "first run (frame store built from the tables)" if run == 0 else f"repeat {run}"
        print(f"{label}: {n} applications × 20 indicators scored and stored in {times[-1]:.2f} s")
    outcomes = Counter(ApplicationScore.objects.values_list("outcome", flat=True))
    print("outcomes:", dict(sorted(outcomes.items())))
    worst = max(times)
    print(
        f"goal ≤ {GOAL_SECONDS:.1f} s: {'met' if worst <= GOAL_SECONDS else 'NOT met'} (slowest {worst:.2f} s)"
    )


if __name__ == "__main__":
    main()
