"""Load the benchmark database: a fresh PostgreSQL database with 1,000,000 demo enterprises × 3 years.

    .venv/bin/python bench/load_demo.py [--enterprises N] [--years 3] [--keep-indexes]

Drops and re-creates the database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/smeplan_bench), migrates it, runs ``demo_province`` with
--first-year (Y−2) --last-year Y (Y = last year), then VACUUM ANALYZE, printing the time of each
step. bench/registry_list.py then measures the pages against that database.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/smeplan_bench"


def bench_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def _maintenance_url(url: str) -> tuple[str, str]:
    """(URL of the server's 'postgres' database, name of the bench database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"bad database name in {url!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(url: str) -> None:
    admin_url, name = _maintenance_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str, url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--keep-indexes", action="store_true", help="keep indexes and constraints in place during COPY"
    )
    args = parser.parse_args()
    url = bench_url()
    last = dt.date.today().year - 1
    first = last - args.years + 1

    steps: list[tuple[str, float]] = []
    t = time.perf_counter()
    recreate_database(url)
    manage("migrate", "--noinput", "--verbosity", "0", url=url)
    steps.append(("create + migrate", time.perf_counter() - t))

    t = time.perf_counter()
    manage(
        "demo_province", "--enterprises", str(args.enterprises), "--first-year", str(first),
        "--last-year", str(last), "--seed", str(args.seed),
        "--drop-indexes", "no" if args.keep_indexes else "yes", "--verbosity", "2",
        url=url,
    )  # fmt: skip
    steps.append(
        (f"demo_province {args.enterprises:,} × {args.years} years ({first}–{last})", time.perf_counter() - t)
    )

    t = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    steps.append(("VACUUM ANALYZE", time.perf_counter() - t))

    with psycopg.connect(url) as conn:
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    print()
    print(f"bench database: {url} ({size})")
    for label, seconds in steps:
        print(f"  {label:<52} {seconds:8.1f} s")
    load = steps[1][1]
    verdict = "OK" if load < 600 else "TOO SLOW"
    print(f"load time {load:.1f} s (goal < 600 s): {verdict}")


if __name__ == "__main__":
    main()
