"""Targets-dashboard benchmark (目标进度): the page ``/targets/`` — every target of 十三五 for the
whole province — over ``smeplan_bench`` (1,000,000 enterprises × 3 years, PostgreSQL) with ~20,000
certifications (growth tiers at three levels, the transformation library and demonstration
enterprises), goal ≤ 300 ms server time.

The page's 梯队构成 section (the share of 规模以下 enterprises per level and city) is counted by a
request of its own that the page makes after it arrives (``/targets/composition/``: it reads the
四上 status of every tier enterprise, one heap row each); its time is printed separately.

Steps: migrate the recognition and targets apps if the bench database predates them; insert the
certifications with annex3's ``INSERT … SELECT`` (every 50th enterprise, levels and tiers by turns)
plus 2,000 library entries and 500 demonstration certifications; ANALYZE; request the page through
Django's test client as a provincial admin (server time: the view, its queries and the template;
cold, then ``--repeat`` warm runs: best and median), the same for a city officer (西安) and the JSON
progress API; then certify one more demonstration enterprise and request again to show the number
moved (computed live: nothing to go stale); finally delete what it inserted, also when interrupted.
Usage: ``.venv/bin/python bench/targets_dashboard.py [--count N] [--repeat R]``.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench"
)

import django

django.setup()

import annex3  # noqa: E402 — the same certification loader as the annex-3 benchmark

GOAL_MS = 300.0
MARK = "BENCH-TARGETS-"
annex3.MARK = MARK + "G-"  # its loader, under this benchmark's own mark (the evaluation bench uses annex3's)


def _ensure_schema():
    """Bring the bench database up to date for what this benchmark reads (no-ops when applied):
    the registry's covering index, the recognition and targets apps."""
    from django.core.management import call_command

    for app in ("registry", "recognition", "targets"):
        t = time.perf_counter()
        call_command("migrate", app, verbosity=0)
        if time.perf_counter() - t > 1:
            print(f"migrated {app} in the bench database in {time.perf_counter() - t:.1f} s")


def _insert_other(year: int) -> int:
    """2,000 transformation-library entries and 500 demonstration certifications (every 97th and
    every 389th enterprise)."""
    from django.db import connection, transaction

    from smeplan.programmes.models import Tier

    library = Tier.objects.get(programme__code="transformation", code="upgrade_library")
    demo = Tier.objects.get(programme__code="transformation-demo")
    sql = """
        INSERT INTO recognition_certification (
            organisation_id, programme_id, tier_id, level, region_id, document_number, certified_on,
            title, organisation_name, state, review_note, termination_reason, termination_document,
            termination_note, created_at)
        SELECT o.id, %s, %s, 'province', '610000', %s || o.id,
               make_date(%s - (o.id %% 3)::int, 3, 1), '基准测试', o.name, 'active', '', '', '', '', now()
        FROM registry_organisation o WHERE o.id %% %s = 0 ORDER BY o.id LIMIT %s
    """
    n = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for tier, step, limit in ((library, 97, 2000), (demo, 389, 500)):
            cursor.execute(sql, [tier.programme_id, tier.pk, MARK, year, step, limit])
            n += cursor.rowcount
        cursor.execute("ANALYZE recognition_certification")
    return n


def _remove() -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM recognition_certification WHERE document_number LIKE %s", [MARK + "%"])
        return cursor.rowcount


def _get_ms(client, url) -> tuple[float, object]:
    t = time.perf_counter()
    response = client.get(url)
    ms = (time.perf_counter() - t) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return ms, response


def _series(client, url, repeat):
    cold, response = _get_ms(client, url)
    warm = [_get_ms(client, url)[0] for _ in range(repeat)]
    return cold, min(warm), statistics.median(warm), response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from smeplan.accounts.models import Role, User
    from smeplan.recognition import clock

    _ensure_schema()
    province, _ = User.objects.get_or_create(
        username="bench-targets-province", defaults={"role": Role.PROVINCIAL_ADMIN, "region_id": "610000"}
    )
    city, _ = User.objects.get_or_create(
        username="bench-targets-city", defaults={"role": Role.CITY_OFFICER, "region_id": "610100"}
    )
    removed = _remove()
    if removed:
        print(f"removed {removed} certifications left by an earlier interrupted run")
    t = time.perf_counter()
    inserted = annex3._insert(args.count, args.year) + _insert_other(args.year)
    print(f"inserted {inserted:,} certifications in {time.perf_counter() - t:.2f} s")
    try:
        with clock.pretend_today(clock.today().replace(year=args.year, month=10, day=1)):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(province)
            # the process's first request pays Django's one-off costs (URLconf, template loading,
            # imports); another page first, so "cold" is the dashboard's own first request
            first_home, _ = _get_ms(client, "/")
            cold, best, median, response = _series(client, "/targets/", args.repeat)
            print(f"(the process's first request, the home page: {first_home:.0f} ms)")
            with CaptureQueriesContext(connection) as queries:
                client.get("/targets/")
            print(
                f"/targets/ (十三五, whole province, {response.content.count(b'data-code=')} targets): "
                f"cold {cold:.0f} ms; warm best {best:.0f} ms, median {median:.0f} ms over {args.repeat} "
                f"(goal ≤ {GOAL_MS:.0f} ms); {len(queries)} queries"
            )
            f_cold, f_best, f_median, _ = _series(client, "/targets/composition/?fragment=1", args.repeat)
            print(
                f"its 梯队构成 section (loaded after the page, every tier enterprise's 四上 status): "
                f"cold {f_cold:.0f} ms; warm best {f_best:.0f} ms, median {f_median:.0f} ms"
            )
            api_cold, api_best, api_median, _ = _series(
                client, "/api/v1/targets/periods/13th/progress", args.repeat
            )
            print(
                f"API progress: cold {api_cold:.0f} ms; warm best {api_best:.0f} ms, median {api_median:.0f} ms"
            )
            client.force_login(city)
            c_cold, c_best, c_median, _ = _series(client, "/targets/", args.repeat)
            print(
                f"/targets/ as 西安's officer: cold {c_cold:.0f} ms; warm best {c_best:.0f} ms, median {c_median:.0f} ms"
            )
            _, c_map_best, c_map_median, _ = _series(client, "/targets/map/", 3)
            print(
                f"/targets/map/ as 西安's officer: warm best {c_map_best:.0f} ms, median {c_map_median:.0f} ms"
            )
            client.force_login(province)
            _, map_best, map_median, _ = _series(client, "/targets/map/", 3)
            print(f"/targets/map/ province: warm best {map_best:.0f} ms, median {map_median:.0f} ms")
            # live: one more demonstration enterprise is counted on the next request
            from smeplan.targets.models import PlanPeriod
            from smeplan.targets.selectors import Area, dashboard

            period = PlanPeriod.objects.get(code="13th")
            area = Area("province", "610000", "全省")

            def demo_value():
                rows = dashboard(user=province, period=period, area=area, today=clock.today())
                return next(r.value for r in rows if r.target.metric == "transformation.demonstration")

            before = demo_value()
            _insert_one_demo(args.year)
            after = demo_value()
            print(f"transformation.demonstration before/after one more certification: {before} → {after}")
    finally:
        print(f"removed {_remove():,} benchmark certifications")


def _insert_one_demo(year):
    from django.db import connection

    from smeplan.programmes.models import Tier

    demo = Tier.objects.get(programme__code="transformation-demo")
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO recognition_certification (organisation_id, programme_id, tier_id, level, region_id,
                   document_number, certified_on, title, organisation_name, state, review_note,
                   termination_reason, termination_document, termination_note, created_at)
               SELECT id, %s, %s, 'province', '610000', %s || 'one', make_date(%s, 5, 1), '基准测试', name,
                   'active', '', '', '', '', now() FROM registry_organisation WHERE id %% 389 = 1 LIMIT 1""",
            [demo.programme_id, demo.pk, MARK, year],
        )


if __name__ == "__main__":
    main()
