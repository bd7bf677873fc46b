"""Screening benchmark: the three growth tiers (growth-province) and both transformation libraries
over every enterprise of ``smeplan_bench`` (1,000,000 × 3 years, PostgreSQL), averages included.

Prints each step's wall and CPU seconds (this process; PostgreSQL's CPU is not included), peak RSS
and the load average: the cold run (frame loaded, averages, 5 tiers), the compute alone on the
loaded frame with its memo cleared, the ``data_version`` check and the warm live-preview path
(``frame_cached`` + 5 tiers, memo kept); then a baseline: one ORM query per enterprise for its
figures and Python evaluation with ``indicators.derived`` on a 10,000-enterprise slice
(transformation library criterion: size class cached, revenue growth > 20%), extrapolated to the
province, and the ratio. Usage: ``.venv/bin/python bench/screening.py [--year Y] [--slice N]``.
Nothing is written.

2026-11-26 (2 cores shared, load ≈ 1): cold 5.4–5.7 s wall / 2.6 s CPU (load frame 4.6–5.0 s,
averages 0.2, tiers 0.6 together; 6.8–7.1 s at load 1.7–3.8); compute alone 0.74 s; warm preview
0.04 s when nothing was written since the frame was read, else + 0.5–1.1 s of data_version scans.
Before: cold 22.5 s / 14.5 s CPU at load 2.5 (69 s at load 4–7). See bench/README.md."""

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
    from smeplan.programmes import frame as frame_module
    from smeplan.programmes.engine import Averages, evaluate, fields_of, outcome, since_of
    from smeplan.programmes.frame import data_version, frame_cached, frame_load, unchanged_since
    from smeplan.programmes.models import Programme
    from smeplan.programmes.selectors import specs_of, version_for
    from smeplan.registry.models import Organisation

    t = args.year
    tiers = list(Programme.objects.get(code="growth-province").tiers.all()) + list(
        Programme.objects.get(code="transformation").tiers.all()
    )
    specs = {tier: specs_of(version_for(tier, t)) for tier in tiers}
    fields = tuple(dict.fromkeys(f for s in specs.values() for f in fields_of(s)))
    since: dict = {}
    for ss in specs.values():
        for f, y in since_of(ss, t).items():
            since[f] = min(since.get(f, y), y)
    log = []
    print(f"screening {t}: {', '.join(str(x) for x in tiers)}; load {os.getloadavg()}")
    total_w, total_c = time.perf_counter(), time.process_time()
    frame = step(
        "load frame (orgs + 3 years, classification)",
        lambda: frame_load(year=t, years_back=2, fields=fields, since=since),
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

    def all_tiers():
        av = Averages(frame=frame)
        for tier in tiers:
            outcome(evaluate(frame, specs[tier], averages=av, area=tier.programme.average_area), frame.n)

    # compute only: the frame in memory, its memo (averages, criterion arrays) cleared
    frame.memo.clear()
    step("compute again (frame in memory, memo cleared)", all_tiers, log)
    # the live-preview path: frame_cached checks the data version, then every array is memoised
    version = step("data_version (frame cache check)", lambda: data_version(t, 2), log)
    key = (frame_module.connection.settings_dict.get("NAME"), t, 2)
    frame_module._CACHE[key] = (version, frame)  # the frame just loaded, as a first screening leaves it

    def preview():
        f = frame_cached(year=t, years_back=2, fields=fields, since=since)
        assert f is frame
        all_tiers()

    quiet = step("unchanged_since (O(1) cache check)", lambda: unchanged_since(frame.seen), log)
    print(f"  no transaction in the cluster since the frame was read: {quiet} (else data_version is run)")
    step("warm: frame_cached + 5 tiers (memo kept)", preview, log)
    warm = log[-1][1]

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
