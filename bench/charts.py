"""统计图表 benchmark: the charts page (``/targets/charts/``: four charts, the growth-by-industry one
from the screening frame) for the provincial admin over the bench database (1,000,000 enterprises ×
3 years, PostgreSQL), through Django's test client (server time: view, queries, template) — above all
the first view after a data change, which used to read the whole frame again (≈ 4 s).

Each scenario starts a fresh process (nothing in memory; the stored columnar state of
``programmes.frame_store`` in the database as the previous one left it) and prints wall seconds,
the growth chart's share (``charts.growth_by_section`` alone, same process), peak RSS and the load
average:

1. ``first``   — the page's columns not stored yet (state deleted): the tables read once, the
   columns stored (a first view ever);
2. ``restart`` — a restart: the stored state read; then the page again (warm);
3. ``edits``   — in a running process that has shown the page: ``--edits`` enterprises' figures
   changed (default 50, as officers' form edits), then the page — the first view after the change;
4. ``import``  — the same after an import's worth of changes (``--changed``, default 200,000
   enterprises ≈ 530,000 rows) without the import job's refresh (the page patches the store
   itself), and in a fresh process after ``frame_store.store_refresh`` (what the import job does);
5. for comparison, the frame as the page read it before the store: ``frame_load`` of the same
   years and figures (what every first view after a change cost).

Each scenario undoes its change afterwards (and refreshes the store), so the data end as they began.
Usage: ``.venv/bin/python bench/charts.py [--year Y] [--edits N] [--changed N]`` against a copy of
the bench database (``BENCH_DATABASE_URL``). ``--scenario NAME`` runs one scenario in this process.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench"
)


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _say(name: str, seconds: float, extra: str = "") -> None:
    print(
        f"  {name:<52} {seconds:6.2f} s{extra}  peak RSS {_rss():5.0f} MB  load {os.getloadavg()[0]:.2f}",
        flush=True,
    )


def _client():
    from django.test import Client

    from smeplan.accounts.models import Role, User

    admin, _ = User.objects.get_or_create(
        username="bench-charts-province", defaults={"role": Role.PROVINCIAL_ADMIN, "region_id": "610000"}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    client.get("/")  # the process's one-off costs (URLconf, templates, imports) before the page
    return client, admin


def _page(client, name: str) -> float:
    from smeplan.targets import charts

    timings = []
    real = charts.growth_by_section

    def timed(**kw):
        t = time.perf_counter()
        try:
            return real(**kw)
        finally:
            timings.append(time.perf_counter() - t)

    charts.growth_by_section = timed
    try:
        t = time.perf_counter()
        response = client.get("/targets/charts/")
        seconds = time.perf_counter() - t
    finally:
        charts.growth_by_section = real
    assert response.status_code == 200, response.status_code
    assert b"chart-growth" in response.content
    _say(name, seconds, f"  (growth chart {timings[0]:.2f} s)")
    return seconds


def _rewrite(every: int, year: int, delta: str) -> int:
    """营业收入 of every ``every``-th enterprise changed by ``delta`` 万元 (2023–2025), as an import."""
    from decimal import Decimal

    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE indicators_annualfigures SET operating_revenue = operating_revenue + %s, updated_at = now() "
            "WHERE organisation_id %% %s = 0 AND year BETWEEN %s AND %s AND operating_revenue IS NOT NULL",
            [Decimal(delta), every, year - 2, year],
        )
        return cur.rowcount


def _every(n: int) -> int:
    from smeplan.registry.models import Organisation

    return max(1, round(Organisation.objects.filter(kind="enterprise").count() / n))


def scenario(name: str, args) -> dict:
    import django

    django.setup()
    from smeplan.programmes import frame_store

    out = {}
    if name == "first":
        frame_store.FrameState.objects.all().delete()
        client, _ = _client()
        out["first"] = _page(client, "first view ever (tables read, columns stored)")
    elif name == "restart":
        client, _ = _client()
        out["restart"] = _page(client, "first view after a restart (stored state)")
        out["warm"] = _page(client, "again (warm)")
    elif name == "edits":
        client, _ = _client()
        _page(client, "first view of this process")
        rows = _rewrite(_every(args.edits), args.year, "0.01")
        print(f"  (changed {rows} figure rows of ≈ {args.edits} enterprises)")
        out["edits"] = _page(client, "first view after the edits, same process")
        out["edits_warm"] = _page(client, "again (warm)")
        _rewrite(_every(args.edits), args.year, "-0.01")
        _page(client, "after the edits are undone")
    elif name == "import":
        client, _ = _client()
        _page(client, "first view of this process")
        t = time.perf_counter()
        rows = _rewrite(_every(args.changed), args.year, "0.01")
        print(
            f"  (changed {rows} figure rows of ≈ {args.changed} enterprises in {time.perf_counter() - t:.1f} s)"
        )
        out["import_lazy"] = _page(client, "first view after the import, no refresh (patched here)")
        _rewrite(_every(args.changed), args.year, "-0.01")
        frame_store.store_refresh()
    elif name == "import-refresh":
        rows = _rewrite(_every(args.changed), args.year, "0.01")
        t = time.perf_counter()
        frame_store.store_refresh()
        _say(f"store_refresh after {rows} rows (the import job's hook)", time.perf_counter() - t)
        client, _ = _client()
        out["import_refreshed"] = _page(client, "first view after the import, fresh process")
        _rewrite(_every(args.changed), args.year, "-0.01")
        frame_store.store_refresh()
    elif name == "direct":
        from smeplan.programmes.frame import frame_load
        from smeplan.targets import charts

        years = charts.growth_years(args.year)
        t = time.perf_counter()
        frame_load(year=years[-1], years_back=years[-1] - years[0] + 1, fields=charts.GROWTH_FIGURES)
        out["direct"] = time.perf_counter() - t
        _say("before the store: the page's frame read from the tables", out["direct"])
    print("RESULT " + json.dumps(out), flush=True)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--changed", type=int, default=200_000)
    parser.add_argument("--scenario")
    args = parser.parse_args()
    if args.scenario:
        scenario(args.scenario, args)
        return
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"charts page, year {args.year}; load {os.getloadavg()}", flush=True)
    results = {}
    for name in ("direct", "first", "restart", "edits", "import", "import-refresh", "restart"):
        print(f"{name}:", flush=True)
        cmd = [sys.executable, __file__, "--scenario", name, "--year", str(args.year)]
        cmd += ["--edits", str(args.edits), "--changed", str(args.changed)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT "):
                results.update(json.loads(line[7:]))
            else:
                print(line)
        if proc.returncode:
            print(proc.stderr)
            raise SystemExit(f"scenario {name} failed")
    print("summary: " + ", ".join(f"{k} {v:.2f} s" for k, v in results.items()))
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
