"""Screening benchmark: the three growth tiers (growth-province) and both transformation libraries
over every enterprise of ``smeplan_bench`` (1,000,000 × 3 years, PostgreSQL), averages included.

Prints each step's wall and CPU seconds, peak RSS and the load average, then a baseline: one ORM
query per enterprise for its figures and Python evaluation with ``indicators.derived`` on a
10,000-enterprise slice (transformation library criterion: size class cached, revenue growth > 20%),
extrapolated to the province, and the ratio. Usage: ``.venv/bin/python bench/screening.py [--year Y]``.
Nothing is written (``screening_preview``; the frame is loaded cold, then once more warm).
"""

import argparse
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench"
)

import django

django.setup()


def step(name, fn, log):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name:<44} wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak RSS {rss:7.0f} MB  load {os.getloadavg()[0]:.2f}"
    )
    log.append((name, wall, cpu))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--slice", type=int, default=10_000)
    args = parser.parse_args()
    from smeplan.accounts.models import User
    from smeplan.indicators.derived import growth
    from smeplan.indicators.models import AnnualFigures
    from smeplan.programmes.engine import Averages, evaluate, fields_of, outcome
    from smeplan.programmes.frame import frame_load
    from smeplan.programmes.models import Programme
    from smeplan.programmes.selectors import specs_of, version_for
    from smeplan.registry.models import Organisation

    t = args.year
    tiers = list(Programme.objects.get(code="growth-province").tiers.all()) + list(
        Programme.objects.get(code="transformation").tiers.all()
    )
    specs = {tier: specs_of(version_for(tier, t)) for tier in tiers}
    fields = tuple(dict.fromkeys(f for s in specs.values() for f in fields_of(s)))
    log = []
    print(f"screening {t}: {', '.join(str(x) for x in tiers)}; load {os.getloadavg()}")
    total_w, total_c = time.perf_counter(), time.process_time()
    frame = step(
        "load frame (orgs + 3 years, classification)",
        lambda: frame_load(year=t, years_back=2, fields=fields),
        log,
    )
    averages = Averages(frame=frame)
    needed = {
        (s.metric, y)
        for ss in specs.values()
        for s in ss
        if s.uses_average
        for y in range(t - s.years + 1, t + 1)
    }
    step(
        f"same-industry averages ({len(needed)} metric-years)",
        lambda: [averages.table(m, y) for m, y in sorted(needed)],
        log,
    )
    counts = {}
    for tier in tiers:

        def run(tier=tier):
            res = evaluate(frame, specs[tier], averages=averages, area=tier.programme.average_area)
            out = outcome(res, frame.n)
            return [int((out == k).sum()) for k in (0, 1, 2)]

        counts[tier] = step(f"evaluate {tier}", run, log)
    wall, cpu = time.perf_counter() - total_w, time.process_time() - total_c
    print(f"{'TOTAL (cold, end to end)':<44} wall {wall:7.2f} s  cpu {cpu:7.2f} s")
    for tier, (p, f, i) in counts.items():
        print(f"  {tier}: {frame.n} evaluated, 符合 {p}, 不符合 {f}, 数据不全 {i}")
    warm_w = time.perf_counter()
    averages2 = Averages(frame=frame)
    for tier in tiers:
        outcome(evaluate(frame, specs[tier], averages=averages2, area=tier.programme.average_area), frame.n)
    warm = time.perf_counter() - warm_w
    print(f"{'warm (frame cached: averages + 5 tiers)':<44} wall {warm:7.2f} s")

    # baseline: per-enterprise ORM loop on a slice, extrapolated
    ids = list(Organisation.objects.order_by("id").values_list("id", "size_class")[: args.slice])
    b_w, b_c = time.perf_counter(), time.process_time()
    passed = 0
    threshold = Decimal("0.20")
    for pk, size in ids:
        rows = {
            r.year: r for r in AnnualFigures.objects.filter(organisation_id=pk, year__gte=t - 1, year__lte=t)
        }
        g = growth(
            getattr(rows.get(t), "operating_revenue", None),
            getattr(rows.get(t - 1), "operating_revenue", None),
        )
        if size in ("medium", "small", "micro") and g.ok and g.value > threshold:
            passed += 1
    b_wall, b_cpu = time.perf_counter() - b_w, time.process_time() - b_c
    per = b_wall / len(ids)
    extrapolated = per * frame.n
    print(
        f"baseline ORM loop, {len(ids)} enterprises, ONE criterion of one tier: wall {b_wall:.2f} s cpu {b_cpu:.2f} s "
        f"→ {extrapolated:.0f} s for {frame.n} (× 5 tiers ≈ {extrapolated * 5:.0f} s)"
    )
    print(
        f"ratio (baseline one tier extrapolated / cold total of 5 tiers): {extrapolated / wall:.0f}×; "
        f"(baseline × 5 / cold): {extrapolated * 5 / wall:.0f}×; (baseline × 5 / warm): {extrapolated * 5 / warm:.0f}×"
    )
    print(
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; load {os.getloadavg()}"
    )
    _ = User


if __name__ == "__main__":
    main()
