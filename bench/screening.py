"""Screening benchmark: the three growth tiers (growth-province) and both transformation libraries
over every enterprise of the bench database (1,000,000 × 3 years, PostgreSQL), averages included —
cold, from the columnar store (``programmes.frame_store``), as a screening after a restart or after
an import sees it.

Each step runs in a fresh process (nothing in memory) and prints its wall and CPU seconds (CPU of
that process; PostgreSQL's own is not in it), peak RSS, the load average and the five tiers' counts
(符合 / 不符合 / 数据不全), which must be the same in every step:

1. ``direct``  — the frame read straight from the tables (``frame_load``: binary COPY of bytea
   aggregates), as every cold screening did before the store;
2. ``build``   — no stored state yet: the tables read once and the store written (a first
   screening ever, or after a format change);
3. ``cold``    — a restart: the stored state read (``--drop-caches``: the OS page cache dropped
   first; PostgreSQL's own buffers stay); then, in the same process, the warm live preview
   (``frame_cached`` again: one indexed check) and the compute alone;
4. ``write+``  — an import's worth of writes: 营业收入 of ``--changed`` enterprises (default
   200,000 ≈ 530,000 rows, 2023–2025) raised by 0.01 万元 in one transaction;
5. ``patched`` — a fresh process after that write, nobody having refreshed the store: stored state
   + the changed rows read by ``xmin`` and patched in (and the patched state stored, included);
   then ``direct`` again: its counts must equal ``patched``'s;
6. ``write-`` (the change undone, as an import's undo would), then ``refresh`` — what the import
   job does after committing (``frame_store.store_refresh``), then ``cold`` — the first screening
   after an import; its counts must equal the first steps'.

Then a baseline: one ORM query per enterprise and ``indicators.derived.growth`` on a 10,000 slice
(one criterion of one tier), extrapolated, and its ratio to the cold screening.
Usage: ``.venv/bin/python bench/screening.py [--year Y] [--slice N] [--changed N] [--drop-caches]``
against a copy of the bench database (``BENCH_DATABASE_URL``; it writes the stored state and
rewrites figure rows). ``--step NAME`` runs one step in this process.

2026-12-07 (2 cores shared with other engineers): see bench/README.md (Screening).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench"
)


def _setup():
    import django

    django.setup()


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _line(name, wall, cpu) -> str:
    return (
        f"  {name:<46} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak RSS {_rss():6.0f} MB  "
        f"load {os.getloadavg()[0]:.2f}"
    )


class Clock:
    def __init__(self):
        self.log = []

    def __call__(self, name, fn):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        print(_line(name, wall, cpu), flush=True)
        self.log.append((name, wall, cpu))
        return out


def _tiers(t):
    from smeplan.programmes.engine import fields_of, since_of
    from smeplan.programmes.models import Programme
    from smeplan.programmes.selectors import specs_of, version_for

    tiers = list(Programme.objects.get(code="growth-province").tiers.all()) + list(
        Programme.objects.get(code="transformation").tiers.all()
    )
    specs = {tier: specs_of(version_for(tier, t)) for tier in tiers}
    fields = tuple(dict.fromkeys(f for s in specs.values() for f in fields_of(s)))
    since: dict = {}
    for ss in specs.values():
        for f, y in since_of(ss, t).items():
            since[f] = min(since.get(f, y), y)
    return tiers, specs, fields, since


def _screen(frame, tiers, specs, clock, label=""):
    from smeplan.programmes.engine import Averages, evaluate, outcome

    averages = Averages(frame=frame)
    counts = {}

    def run():
        for tier in tiers:
            out = outcome(
                evaluate(frame, specs[tier], averages=averages, area=tier.programme.average_area), frame.n
            )
            counts[str(tier)] = [int((out == k).sum()) for k in (0, 1, 2)]

    clock(f"{label}averages + 5 tiers", run)
    return counts


def step_screening(name, t):
    """One screening from cold in this process: ``direct`` (the tables) or through ``frame_cached``."""
    from smeplan.programmes import frame as frame_module
    from smeplan.programmes import frame_store
    from smeplan.programmes.frame import frame_cached, frame_load

    tiers, specs, fields, since = _tiers(t)
    clock = Clock()
    w0, c0 = time.perf_counter(), time.process_time()
    if name == "build":
        frame_store.FrameState.objects.all().delete()
    if name == "direct":
        frame = clock(
            "frame read from the tables (frame_load)", lambda: frame_load(year=t, fields=fields, since=since)
        )
    else:
        timings = {}
        real_get, real_assemble = frame_store.store_get, frame_module.frame_from_store

        def timed(key, fn):
            def wrapper(*a, **kw):
                w = time.perf_counter()
                try:
                    return fn(*a, **kw)
                finally:
                    timings[key] = timings.get(key, 0) + time.perf_counter() - w

            return wrapper

        frame_store.store_get = timed("store", real_get)
        frame_module.frame_from_store = timed("assemble", real_assemble)
        frame = clock(
            "frame_cached (store + assembly)", lambda: frame_cached(year=t, fields=fields, since=since)
        )
        print(f"    of which store {timings['store']:.2f} s, assembly {timings['assemble']:.2f} s")
        frame_store.store_get, frame_module.frame_from_store = real_get, real_assemble
    counts = _screen(frame, tiers, specs, clock)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    print(_line(f"TOTAL {name} (cold, end to end)", wall, cpu), flush=True)
    out = {"step": name, "total": wall, "counts": counts, "n": frame.n}
    if name == "cold":

        def again():
            f = frame_cached(year=t, fields=fields, since=since)
            assert f is frame
            _screen(f, tiers, specs, Clock(), "(warm) ")

        clock("warm live preview: frame_cached + 5 tiers", again)
        out["warm"] = clock.log[-1][1]
        frame.memo.clear()
        _screen(frame, tiers, specs, clock, "compute alone (memo cleared): ")
    print("RESULT " + json.dumps(out), flush=True)


def step_write(t, changed, delta):
    """Change 营业收入 of ``changed`` enterprises (every k-th id) by ``delta`` 万元 (2023–2025)."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM registry_organisation WHERE kind = 'enterprise'")
        (n,) = cur.fetchone()
    k = max(1, round(n / changed))
    w = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE indicators_annualfigures SET operating_revenue = operating_revenue + %s, updated_at = now() "
            "WHERE organisation_id %% %s = 0 AND year BETWEEN %s AND %s AND operating_revenue IS NOT NULL",
            [Decimal(delta), k, t - 2, t],
        )
        rows = cur.rowcount
    print(
        f"  营业收入 {delta} 万元 in {rows} figure rows of every {k}th enterprise (≈ {n // k}) "
        f"in {time.perf_counter() - w:.1f} s"
    )
    w = time.perf_counter()
    with connection.cursor() as cur:  # the old row versions go (repeated runs do not bloat the table)
        cur.execute("VACUUM indicators_annualfigures")
    print(f"  VACUUM {time.perf_counter() - w:.1f} s")


def step_refresh():
    from smeplan.programmes import frame_store

    clock = Clock()
    clock("store_refresh (the import job's hook)", frame_store.store_refresh)


def _run(step, args) -> dict | None:
    cmd = [sys.executable, __file__, "--step", step, "--year", str(args.year), "--changed", str(args.changed)]
    if args.drop_caches and step in ("cold", "direct", "patched"):
        subprocess.run(["sync"], check=True)
        try:
            Path("/proc/sys/vm/drop_caches").write_text("3\n")
            print("  (OS page cache dropped)")
        except OSError as exc:
            print(f"  (could not drop the page cache: {exc})")
    print(f"{step}:", flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
        else:
            print(line)
    if proc.returncode:
        print(proc.stderr)
        raise SystemExit(f"step {step} failed")
    return result


def baseline(t, size, cold):
    from smeplan.indicators.derived import growth
    from smeplan.indicators.models import AnnualFigures
    from smeplan.registry.models import Organisation

    ids = list(Organisation.objects.order_by("id").values_list("id", "size_class")[:size])
    n = Organisation.objects.filter(kind="enterprise").count()
    w = time.perf_counter()
    passed = 0
    threshold = Decimal("0.20")
    for pk, size_class in ids:
        rows = {
            r.year: r for r in AnnualFigures.objects.filter(organisation_id=pk, year__gte=t - 1, year__lte=t)
        }
        g = growth(
            getattr(rows.get(t), "operating_revenue", None),
            getattr(rows.get(t - 1), "operating_revenue", None),
        )
        if size_class in ("medium", "small", "micro") and g.ok and g.value > threshold:
            passed += 1
    wall = time.perf_counter() - w
    extrapolated = wall / len(ids) * n
    print(
        f"baseline ORM loop, {len(ids)} enterprises, ONE criterion of one tier: {wall:.2f} s "
        f"→ {extrapolated:.0f} s for {n} (× 5 tiers ≈ {extrapolated * 5:.0f} s)"
    )
    print(
        f"ratio to the cold screening of 5 tiers ({cold:.2f} s): one tier {extrapolated / cold:.0f}×, "
        f"five tiers {extrapolated * 5 / cold:.0f}×"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--slice", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=200_000)
    parser.add_argument("--drop-caches", action="store_true")
    parser.add_argument("--step")
    args = parser.parse_args()
    _setup()
    if args.step in ("direct", "build", "cold", "patched"):
        return step_screening(args.step, args.year)
    if args.step in ("write+", "write-"):
        return step_write(args.year, args.changed, "0.01" if args.step == "write+" else "-0.01")
    if args.step == "refresh":
        return step_refresh()
    from django.core.management import call_command

    call_command("migrate", "programmes", verbosity=0)
    print(f"screening {args.year}; load {os.getloadavg()}", flush=True)
    steps = ("direct", "build", "cold", "cold", "write+", "patched", "direct", "write-", "refresh", "cold")
    results = [r for r in (_run(step, args) for step in steps) if r]
    changed = results[4:6]  # patched, then direct, on the changed data
    same = [r for r in results if r not in changed]
    equal = (
        all(r["counts"] == same[0]["counts"] for r in same) and changed[0]["counts"] == changed[1]["counts"]
    )
    print(f"counts identical in every step on the same data (patched = direct after the change): {equal}")
    for tier, (p, f, i) in results[0]["counts"].items():
        print(f"  {tier}: {results[0]['n']} evaluated, 符合 {p}, 不符合 {f}, 数据不全 {i}")
    print("summary: " + ", ".join(f"{r['step']} {r['total']:.2f} s" for r in results))
    colds = [r["total"] for r in results if r["step"] == "cold"]
    baseline(args.year, args.slice, max(colds))
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
