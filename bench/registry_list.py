"""Server time of the enterprise list, its count, the name search and the detail page at the bench
database's scale.

    .venv/bin/python bench/registry_list.py [--iterations 50] [--warmup 5] [--no-page] [--only TEXT]

Runs against BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/smeplan_bench, loaded by
bench/load_demo.py). Each request kind is measured twice:

* ``selector`` — ``organisation_page`` (the page's rows, read as the page reads them) +
  ``organisation_count`` (共 N 家 / 约 N 家) + a template-free serialisation of the 20 rows (detail:
  organisation_get + its figures and name history);
* ``page`` — the whole Django request through the test Client (middleware, view, template), i.e.
  the server time of GET /organisations/?q=…&county=… and /organisations/<id>/, without network.

Users: the provincial admin, the 西安 city officer (13 counties), the 榆林 city officer (12 counties,
whose names sort after most others) and the 雁塔区 county officer. Name fragments of two, three and
four characters: region names (雁塔, 西安, 陕西, 宝鸡 — the names they begin sit together in name
order), common words and trade names, rare ones and ones found nowhere. Warm-up requests are not
counted. Prints p50 / p95 / max in ms per kind, then the name-search p95 by fragment length and user
(the worst kind of each cell); the goal is p95 ≤ 100 ms. Kinds marked "info" are reported outside the
goal (a one-character fragment; a search sorted by another column or filtered by size).
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from smeplan.accounts.models import User  # noqa: E402
from smeplan.indicators.models import AnnualFigures  # noqa: E402
from smeplan.registry.models import Organisation  # noqa: E402
from smeplan.registry.selectors import (  # noqa: E402
    OrganisationFilters,
    organisation_count,
    organisation_get,
    organisation_page,
)

GOAL_MS = 100.0
COUNTY = "610113"  # 雁塔区, the largest county of the demo province
OTHER_COUNTY = "610402"  # 秦都区 (咸阳)
CITY = "610100"  # 西安市: 13 counties
LATE_CITY = "610800"  # 榆林市: its names sort after most of the province's
#: Name fragments by length: (fragment, what it is).
FRAGMENTS = {
    2: [
        ("雁塔", "区县名"),
        ("西安", "市名"),
        ("陕西", "省名"),
        ("宝鸡", "他市名"),
        ("科技", "行业词"),
        ("秦川", "常见字号"),
        ("鼎盛", "少见字号"),
        ("航锦", "罕见"),
        ("量子", "不存在"),
    ],
    3: [
        ("雁塔秦", "区县名+字"),
        ("西安秦", "市名+字"),
        ("陕西华", "省名+字"),
        ("宝鸡华", "他市名+字"),
        ("科技有", "常见"),
        ("秦川科", "字号+字"),
        ("鼎盛华", "罕见"),
        ("量子科", "不存在"),
    ],
    4: [
        ("雁塔秦川", "区县名+字号"),
        ("陕西秦川", "省名+字号"),
        ("西安鼎盛", "市名+字号"),
        ("宝鸡华阳", "他市名+字号"),
        ("有限公司", "几乎都有"),
        ("秦川科技", "字号+行业词"),
        ("鼎盛华兴", "罕见"),
        ("量子科技", "不存在"),
    ],
}
ROLES = ("省级", "市级", "县级")


def serialise(org: Organisation) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "credit_code": org.credit_code,
        "county": org.county.name,
        "industry": org.industry.name if org.industry else "",
        "size_class": org.size_class,
        "above_scale": org.above_scale,
    }


def selector_list(user, **filters) -> Callable[[int], object]:
    def run(_i: int):
        f = OrganisationFilters(**filters)
        page = organisation_page(user, f, 1, size=20)
        count = organisation_count(user, f)
        return [serialise(o) for o in page.items], count

    return run


def selector_detail(user, ids: list[int]) -> Callable[[int], object]:
    def run(i: int):
        org = organisation_get(user, ids[i % len(ids)])
        figures = list(AnnualFigures.objects.filter(organisation=org).order_by("year").values())
        names = list(org.name_changes.values("old_name", "new_name", "changed_on"))
        return serialise(org), figures, names

    return run


def page(client: Client, url: str | Callable[[int], str]) -> Callable[[int], object]:
    def run(i: int):
        response = client.get(url(i) if callable(url) else url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url if not callable(url) else url(i)} → {response.status_code}")
        return response

    return run


def measure(fn: Callable[[int], object], iterations: int, warmup: int) -> list[float]:
    for i in range(warmup):
        fn(10_000 + i)
    times = []
    for i in range(iterations):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-page", action="store_true", help="measure the selectors only")
    parser.add_argument("--only", default="", help="measure only the kinds whose label contains this")
    args = parser.parse_args()

    admin = User.objects.get(username="prov_admin")
    county_user = User.objects.get(username=f"county_{COUNTY}")
    city_user = User.objects.get(username=f"city_{CITY}")
    late_city_user = User.objects.get(username=f"city_{LATE_CITY}")
    total = Organisation.objects.order_by().count()
    rng = random.Random(1)
    max_id = Organisation.objects.order_by("-id").values_list("id", flat=True).first()
    any_ids = [rng.randint(1, max_id) for _ in range(200)]
    county_ids = list(Organisation.objects.filter(county_id=COUNTY).values_list("id", flat=True)[:5000])
    county_ids = rng.sample(county_ids, min(200, len(county_ids)))
    counties = sorted(Organisation.objects.values_list("county_id", flat=True).distinct())

    clients = {}
    for user in (admin, county_user, city_user, late_city_user):
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    a, c, m, y = (clients[u.username] for u in (admin, county_user, city_user, late_city_user))
    role_of = {"省级": (admin, a), "市级": (city_user, m), "县级": (county_user, c)}

    # (label, selector, page, group): group None = in the goal; "info" = reported outside it;
    # (length, role) = a name search counted in the summary table.
    kinds: list[tuple[str, Callable, Callable | None, object]] = [
        ("列表首页 省级", selector_list(admin), page(a, "/organisations/"), None),
        ("列表首页 县级用户(雁塔区)", selector_list(county_user), page(c, "/organisations/"), None),
        ("列表首页 市级用户(西安市)", selector_list(city_user), page(m, "/organisations/"), None),
        ("列表首页 市级用户(榆林市)", selector_list(late_city_user), page(y, "/organisations/"), None),
        ("按区县筛选 省级 county=雁塔区", selector_list(admin, county=COUNTY), page(a, f"/organisations/?county={COUNTY}"), None),
        (
            "按区县筛选 省级 107个区县轮换",
            lambda i: selector_list(admin, county=counties[i % len(counties)])(i),
            page(a, lambda i: f"/organisations/?county={counties[i % len(counties)]}"),
            None,
        ),
        ("按信用代码排序 省级", selector_list(admin, sort="credit_code"), page(a, "/organisations/?sort=credit_code"), None),
        ("按信用代码排序 县级用户", selector_list(county_user, sort="credit_code"), page(c, "/organisations/?sort=credit_code"), None),
        ("按信用代码排序 市级用户(榆林市)", selector_list(late_city_user, sort="-credit_code"), page(y, "/organisations/?sort=-credit_code"), None),
        ("按成立日期排序 市级用户(西安市)", selector_list(city_user, sort="-founded_on"), page(m, "/organisations/?sort=-founded_on"), None),
    ]  # fmt: skip
    for length, fragments in FRAGMENTS.items():
        for fragment, what in fragments:
            for role in ROLES:
                user, client = role_of[role]
                kinds.append(
                    (
                        f"搜索“{fragment}”({what}) {role}",
                        selector_list(user, q=fragment),
                        page(client, "/organisations/?" + urlencode({"q": fragment})),
                        (length, role),
                    )
                )
    for fragment in ("雁塔", "西安", "宝鸡"):
        kinds.append(
            (
                f"搜索“{fragment}” 市级用户(榆林市)",
                selector_list(late_city_user, q=fragment),
                page(y, "/organisations/?" + urlencode({"q": fragment})),
                (2, "市级"),
            )
        )
    for fragment in ("科技", "鼎盛"):
        kinds.append((
            f"搜索“{fragment}”+county=秦都区 省级",
            selector_list(admin, q=fragment, county=OTHER_COUNTY),
            page(a, "/organisations/?" + urlencode({"q": fragment, "county": OTHER_COUNTY})),
            (2, "省级"),
        ))  # fmt: skip
    kinds += [
        ("详情页 省级(随机单位)", selector_detail(admin, any_ids), page(a, lambda i: f"/organisations/{any_ids[i % 200]}/"), None),
        ("详情页 县级用户(本县单位)", selector_detail(county_user, county_ids), page(c, lambda i: f"/organisations/{county_ids[i % len(county_ids)]}/"), None),
    ]  # fmt: skip
    info = [
        ("一个字“雁” 省级", dict(q="雁"), admin, a),
        ("一个字“西” 市级用户(榆林市)", dict(q="西"), late_city_user, y),
        ("一个字“鑫” 省级", dict(q="鑫"), admin, a),
        ("“雁塔”按信用代码排序 省级", dict(q="雁塔", sort="credit_code"), admin, a),
        ("“榆林”按成立日期排序 省级", dict(q="榆林", sort="-founded_on"), admin, a),
        ("“鼎盛”按信用代码排序 省级", dict(q="鼎盛", sort="credit_code"), admin, a),
        ("“西安”+大型企业 省级", dict(q="西安", size_class="large"), admin, a),
        ("“科技”+四上 县级用户", dict(q="科技", above_scale="1"), county_user, c),
    ]
    for label, filters, user, client in info:
        kinds.append(
            (
                f"参考：{label}",
                selector_list(user, **filters),
                page(client, "/organisations/?" + urlencode(filters)),
                "info",
            )
        )
    if args.only:
        kinds = [k for k in kinds if args.only in k[0]]

    page_available = not args.no_page
    print(f"database {connection.vendor} {connection.settings_dict['NAME']}: {total:,} organisations")
    print(
        f"{args.iterations} measured iterations per kind after {args.warmup} warm-up; "
        "times in ms (server side)"
    )
    header = f"{'kind':<46} {'mode':<9} {'p50':>8} {'p95':>8} {'max':>8}  goal p95 ≤ {GOAL_MS:.0f}"
    print(header)
    print("-" * len(header))
    failures = []
    summary: dict[tuple[int, str, str], float] = {}
    for label, selector_fn, page_fn, group in kinds:
        modes = [("selector", selector_fn)] + ([("page", page_fn)] if page_available and page_fn else [])
        for mode, fn in modes:
            times = measure(fn, args.iterations, args.warmup)
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
            ok = p95 <= GOAL_MS
            in_goal = group != "info"
            mark = ("OK" if ok else "FAIL") if in_goal else ("(ok)" if ok else "(slow)")
            if in_goal and not ok:
                failures.append(f"{label} [{mode}]")
            if isinstance(group, tuple):
                key = (*group, mode)
                summary[key] = max(summary.get(key, 0.0), p95)
            print(f"{_pad(label, 46)} {mode:<9} {p50:8.1f} {p95:8.1f} {max(times):8.1f}  {mark}", flush=True)
    if summary:
        print()
        print("name search: the worst p95 (ms) of each fragment length and user")
        modes = ["selector"] + (["page"] if page_available else [])
        print(f"{'':<10}" + "".join(f"{role + ' ' + mode:>16}" for role in ROLES for mode in modes))
        for length in sorted({k[0] for k in summary}):
            cells = [summary.get((length, role, mode)) for role in ROLES for mode in modes]
            print(
                f"{length} 个字     "
                + "".join(f"{v:16.1f}" if v is not None else f"{'—':>16}" for v in cells)
            )
    print()
    if failures:
        print("p95 above the goal: " + "; ".join(failures))
    else:
        print("every kind in the goal meets p95 ≤ 100 ms")


def _pad(text: str, width: int) -> str:
    """Left-justify counting CJK characters as two columns."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(0, width - shown)


if __name__ == "__main__":
    main()
