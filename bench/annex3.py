"""Annex-3 benchmark (附件3 汇总表): ``reporting.selectors.annex3`` for the whole province over
``smeplan_bench`` (1,000,000 enterprises × 3 years, PostgreSQL) with ~20,000 growth-tier
certifications.

Steps: migrate the ``recognition`` app if the bench database predates it (only that app and its
dependencies); insert N certifications (default 20,000) in one transaction with one
``INSERT … SELECT`` over every 50th enterprise (so they spread over all the counties), levels and
tiers by turns, certified over the three years, one in ten ended; ANALYZE; time ``annex3`` for a
provincial user (cold, then ``--repeat`` warm runs: best and median) and for one city; print the
figures, and ``EXPLAIN ANALYZE`` of the revenue query when above the goal (2 s) or with
``--explain``; finally delete what it inserted (their document numbers start with ``BENCH-ANNEX3-``),
also when interrupted. Usage: ``.venv/bin/python bench/annex3.py [--count N] [--year Y]``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench"
)

import django

django.setup()

MARK = "BENCH-ANNEX3-"
GOAL_SECONDS = 2.0


def _ensure_schema():
    from django.core.management import call_command
    from django.db import connection

    if "recognition_certification" not in connection.introspection.table_names():
        t = time.perf_counter()
        call_command("migrate", "recognition", verbosity=0)
        print(f"migrated the recognition app into the bench database in {time.perf_counter() - t:.1f} s")


def _insert(count: int, year: int) -> int:
    from django.db import connection, transaction

    from smeplan.programmes.models import Tier

    tiers = {
        (t.programme.code, t.code): t
        for t in Tier.objects.select_related("programme").filter(programme__code__startswith="growth-")
    }
    combos = [
        (level, tiers[(f"growth-{level}", tier)])
        for level in ("province", "city", "county")
        for tier in ("industry_star", "growth_star", "startup_star")
    ]
    values = ", ".join(["(%s::int, %s::text, %s::bigint, %s::bigint)"] * len(combos))
    combo_params = [
        v for i, (level, tier) in enumerate(combos) for v in (i, level, tier.programme_id, tier.pk)
    ]
    sql = f"""
        INSERT INTO recognition_certification (
            organisation_id, programme_id, tier_id, level, region_id, document_number, certified_on,
            title, organisation_name, state, review_note, termination_reason, termination_document,
            termination_note, ended_on, created_at)
        SELECT o.id, c.programme_id, c.tier_id, c.level,
               CASE WHEN c.level = 'province' THEN '610000' ELSE o.county_id END,
               %s || o.rn, make_date(%s - (o.rn %% 3)::int, 1 + (o.rn %% 12)::int, 15),
               '基准测试企业', o.name,
               CASE WHEN o.rn %% 10 = 0 THEN 'terminated' ELSE 'active' END, '', '', '', '',
               CASE WHEN o.rn %% 10 = 0 THEN make_date(%s, 6, 30) END, now()
        FROM (SELECT id, name, county_id, row_number() OVER (ORDER BY id) AS rn
              FROM registry_organisation WHERE id %% 50 = 0 ORDER BY id LIMIT %s) o
        JOIN (VALUES {values}) AS c(k, level, programme_id, tier_id) ON c.k = o.rn %% 9
    """  # noqa: S608 - only placeholders are interpolated
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [MARK, year, year, count, *combo_params])
        inserted = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recognition_certification")
    return inserted


def _remove() -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM recognition_certification WHERE document_number LIKE %s", [MARK + "%"])
        return cursor.rowcount


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _explain(user, year):
    from django.db import connection

    from smeplan.indicators.models import AnnualFigures
    from smeplan.reporting.selectors import tier_certifications

    certs = tier_certifications(user, year)
    qs = AnnualFigures.objects.filter(
        organisation_id__in=certs.values("organisation_id"), year__in=(year - 1, year)
    ).values("organisation__county_id")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(r[0] for r in cursor.fetchall()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    from smeplan.accounts.models import Role, User
    from smeplan.regions.models import Region
    from smeplan.reporting.selectors import annex3

    _ensure_schema()
    province = User(username="bench-province", role=Role.PROVINCIAL_ADMIN, region_id="610000", is_active=True)
    city = User(username="bench-city", role=Role.CITY_OFFICER, region=Region.objects.get(pk="610100"))
    city.is_active = True
    removed = _remove()
    if removed:
        print(f"removed {removed} certifications left by an earlier interrupted run")
    inserted, seconds = _timed(lambda: _insert(args.count, args.year))
    print(f"inserted {inserted:,} certifications (INSERT … SELECT, one transaction) in {seconds:.2f} s")
    try:
        result, cold = _timed(lambda: annex3(user=province, year=args.year))
        warm = [_timed(lambda: annex3(user=province, year=args.year))[1] for _ in range(args.repeat)]
        _, city_seconds = _timed(lambda: annex3(user=city, year=args.year))
        total = result.total
        print(
            f"annex3 {args.year}, whole province: cold {cold:.3f} s; warm best {min(warm):.3f} s, "
            f"median {statistics.median(warm):.3f} s over {len(warm)} runs (goal ≤ {GOAL_SECONDS} s); "
            f"西安 only: {city_seconds:.3f} s"
        )
        growth = "—" if total.growth is None else f"{total.growth * 100:.2f}%"
        print(
            f"rows {len(result.rows)}; tier enterprises {total.enterprises:,} (new {total.new_enterprises:,}); "
            f"revenue {total.revenue:,.2f} 万元 from {total.revenue_reported:,}; growth {growth} "
            f"over {total.comparable:,} comparable"
        )
        if args.explain or max(cold, statistics.median(warm)) > GOAL_SECONDS:
            _explain(province, args.year)
    finally:
        print(f"removed {_remove():,} benchmark certifications")


if __name__ == "__main__":
    main()
