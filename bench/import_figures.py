"""Benchmark of the figures import on PostgreSQL: 200,000 enterprises × 5 years = 1,000,000 rows.

    .venv/bin/python bench/import_figures.py [--enterprises 200000] [--years 5] [--skip-load]
                                             [--direct] [--again] [--baseline-rows 20000]
                                             [--no-baseline] [--profile FILE]

1. (unless --skip-load) drops and re-creates the database named by BENCH_IMPORT_DATABASE_URL
   (default postgres://postgres@127.0.0.1:5432/smeplan_bench_import), migrates it and registers the
   enterprises with ``demo_province`` (one year of figures, Y−6, so the imported years are new);
   with --skip-load it reuses that database and first deletes what an earlier run imported
   (figures of years Y−5 … Y−1, their revisions, the import batches);
2. writes the rows (years Y−5 … Y−1, long layout, six columns) as ONE .xlsx file (XlsxWriter,
   constant memory; not timed);
3. baseline (unless --no-baseline): the first ``--baseline-rows`` data rows read with openpyxl
   (read_only) and written with one ORM ``update_or_create`` per row, in a transaction rolled back
   afterwards; extrapolated to all rows;
4. END TO END, timed: read the file (``reading.read_workbook``), understand + extract
   (``understanding``), ``import_validate``, ``import_commit`` (first import: every row new), with
   the commit's parts (``figures_upsert``, reclassification) timed separately;
5. with --again: the same records again (nothing changes) and 10% of the revenues changed.

Every line prints wall seconds, the CPU seconds of this process and of its PostgreSQL backend in
that step, the 1-minute load average and the peak resident memory of this process, so figures
taken on a shared machine can be judged. ``--direct`` skips the file (ParsedRecords built in
memory: validation + writing only). ``--profile FILE`` writes a cProfile of the end-to-end part.
"""

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/smeplan_bench_import"
HEADER = ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "利润总额（万元）", "从业人员（人）"]

_backend_pid: int | None = None


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def backend_cpu_s() -> float:
    """CPU seconds of this process's PostgreSQL backend (local server, /proc readable)."""
    if _backend_pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{_backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Clock:
    def __init__(self):
        self.wall, self.cpu, self.db = time.perf_counter(), cpu_s(), backend_cpu_s()

    def report(self, label: str) -> float:
        wall = time.perf_counter() - self.wall
        print(
            f"{label:<52} {wall:7.1f} s wall  {cpu_s() - self.cpu:6.1f} s cpu  "
            f"{backend_cpu_s() - self.db:6.1f} s pg  load {os.getloadavg()[0]:4.2f}  peak {peak_mb():6.0f} MB",
            flush=True,
        )
        return wall


def load(url: str, enterprises: int, year: int) -> None:
    import psycopg

    from bench.load_demo import _maintenance_url

    admin_url, name = _maintenance_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "demo_province",
            "--enterprises",
            str(enterprises),
            "--first-year",
            str(year),
            "--last-year",
            str(year),
            "-v",
            "0",
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )


def rows_for(codes, years, seed=7):
    rnd = random.Random(seed)
    for code, name in codes:
        revenue = Decimal(rnd.randint(500, 50_000))
        for year in years:
            revenue = (revenue * Decimal(rnd.uniform(0.9, 1.2))).quantize(Decimal("0.01"))
            yield (
                code,
                name,
                year,
                revenue,
                (revenue * Decimal("0.06")).quantize(Decimal("0.01")),
                rnd.randint(5, 900),
            )


def write_xlsx(path: Path, codes, years) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("数据")
    sheet.write_row(0, 0, HEADER)
    for i, (code, name, year, revenue, profit, staff) in enumerate(rows_for(codes, years), start=1):
        sheet.write_row(i, 0, [code, name, year, float(revenue), float(profit), staff])
    book.close()


def baseline(path: Path, rows: int, total_rows: int) -> float | None:
    """openpyxl (read_only) + one ORM update_or_create per row, rolled back; seconds for ``rows``."""
    try:
        import openpyxl  # a dev dependency (requirements.lock), used only by this baseline
    except ImportError:
        print("baseline skipped: openpyxl is not installed (.venv/bin/pip install openpyxl)", flush=True)
        return None
    from django.db import transaction

    from smeplan.indicators.models import AnnualFigures
    from smeplan.registry.models import Organisation

    class Rollback(Exception):
        pass

    clock = Clock()
    ids: dict[str, int] = {}
    done = 0
    try:
        with transaction.atomic():
            book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            for row in sheet.iter_rows(min_row=2, max_row=rows + 1, values_only=True):
                code, _name, year, revenue, profit, staff = row[:6]
                if code not in ids:
                    ids[code] = Organisation.objects.only("id").get(credit_code=code).pk
                AnnualFigures.objects.update_or_create(
                    organisation_id=ids[code],
                    year=int(year),
                    defaults={
                        "operating_revenue": Decimal(str(revenue)).quantize(Decimal("0.01")),
                        "total_profit": Decimal(str(profit)).quantize(Decimal("0.01")),
                        "employees": int(staff),
                    },
                )
                done += 1
            book.close()
            raise Rollback
    except Rollback:
        pass
    wall = clock.report(f"baseline: openpyxl + update_or_create, {done} rows")
    per_row = wall / max(done, 1)
    print(f"baseline extrapolated to {total_rows} rows: {per_row * total_rows:8.0f} s", flush=True)
    return per_row * total_rows


def clean_previous(years) -> None:
    """Remove what an earlier run imported (so --skip-load starts from the same state)."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("DELETE FROM indicators_figurerevision")
        cur.execute("DELETE FROM indicators_annualfigures WHERE year >= %s", [years[0]])
        cur.execute("DELETE FROM exchange_importedorganisation")
        cur.execute("DELETE FROM exchange_importbatch")
    # the cached size class / 四上 back to the loaded year's figures, as after a fresh load
    from smeplan.exchange.writing import organisations_reclassify
    from smeplan.registry.models import Organisation

    with transaction.atomic():
        organisations_reclassify(Organisation.objects.values_list("id", flat=True))
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE indicators_figurerevision")
        cur.execute("VACUUM ANALYZE indicators_annualfigures")
        cur.execute("VACUUM ANALYZE registry_organisation")


def main() -> None:
    global _backend_pid
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--direct", action="store_true", help="ParsedRecords in memory, no file")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--again", action="store_true", help="then import again, and 10%% changed")
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--profile", help="write a cProfile of the end-to-end import to this file")
    args = parser.parse_args()
    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL)
    last = dt.date.today().year - 1
    years = list(range(last - args.years + 1, last + 1))
    print(f"cores {os.cpu_count()}, load {os.getloadavg()}", flush=True)
    if not args.skip_load:
        clock = Clock()
        load(url, args.enterprises, years[0] - 1)
        clock.report(f"load {args.enterprises} enterprises (demo_province)")
    else:  # the code may have new migrations since the database was loaded
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
            check=True,
            env={**os.environ, "DATABASE_URL": url},
            cwd=ROOT,
        )

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
    import django

    django.setup()
    from django.db import connection

    from smeplan.accounts.models import Role, User
    from smeplan.exchange import services
    from smeplan.exchange.parsed import CellRef, ParsedRecord
    from smeplan.exchange.reading import read_workbook
    from smeplan.exchange.services import file_checksum, import_commit, import_validate
    from smeplan.exchange.understanding import extract, understand_workbook
    from smeplan.regions.models import Region
    from smeplan.registry.models import Organisation

    if args.skip_load:
        clean_previous(years)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        _backend_pid = cur.fetchone()[0]

    admin, _ = User.objects.get_or_create(
        username="bench-import",
        defaults={"role": Role.PROVINCIAL_ADMIN, "region": Region.objects.get(pk="610000")},
    )
    codes = list(Organisation.objects.order_by("id").values_list("credit_code", "name")[: args.enterprises])
    total_rows = len(codes) * len(years)
    print(f"{len(codes)} enterprises × {len(years)} years = {total_rows} rows", flush=True)

    def hot_updates() -> tuple[int, int]:
        """(updated, HOT-updated) rows of registry_organisation in this transaction so far."""
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_stat_get_xact_tuples_updated('registry_organisation'::regclass), "
                "pg_stat_get_xact_tuples_hot_updated('registry_organisation'::regclass)"
            )
            return cur.fetchone()

    # the commit's parts, timed by wrapping the functions import_commit calls
    for name in ("figures_upsert", "organisations_to_reclassify", "organisations_reclassify"):
        original = getattr(services, name)

        def timed(*a, _original=original, _name=name, **kw):
            before = hot_updates()
            clock = Clock()
            out = _original(*a, **kw)
            clock.report(f"    commit part: {_name}")
            if _name == "organisations_reclassify":
                after = hot_updates()
                print(
                    f"      organisation rows updated {after[0] - before[0]:,}, "
                    f"of which HOT (no index touched) {after[1] - before[1]:,}",
                    flush=True,
                )
            return out

        setattr(services, name, timed)

    def slow_statements(execute, sql, params, many, context):
        """Prints each SQL statement of the import that takes a second or more."""
        clock = Clock()
        try:
            return execute(sql, params, many, context)
        finally:
            if time.perf_counter() - clock.wall >= 1.0:
                clock.report("      sql: " + " ".join(str(sql).split())[:44])

    statements_timer = connection.execute_wrapper(slow_statements)  # kept: exits when collected
    statements_timer.__enter__()

    def run(label, records, issues, checksum) -> None:
        clock = Clock()
        batch = import_validate(
            actor=admin, file_name="bench.xlsx", checksum=checksum, records=records, sheet_issues=issues
        )
        clock.report(f"{label}: validate ({batch.error_count} errors, {batch.warning_count} warnings)")
        clock2 = Clock()
        batch = import_commit(
            actor=admin, batch=batch, records=records, sheet_issues=issues, confirm_warnings=True
        )
        clock2.report(
            f"{label}: commit (new {batch.new_count}, upd {batch.updated_count}, same {batch.unchanged_count})"
        )

    base_s = None
    path = Path(tempfile.gettempdir()) / f"smeplan-bench-import-{len(codes)}x{len(years)}.xlsx"
    if not args.direct:
        if not path.exists():
            clock = Clock()
            write_xlsx(path, codes, years)
            clock.report(f"write .xlsx ({path.stat().st_size / 1e6:.0f} MB, not timed)")
        if not args.no_baseline:
            base_s = baseline(path, min(args.baseline_rows, total_rows), total_rows)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    total = Clock()
    if args.direct:
        records = []
        for i, (code, name, year, revenue, profit, staff) in enumerate(rows_for(codes, years)):
            row = i + 2
            records.append(
                ParsedRecord(
                    sheet="数据",
                    row=row,
                    credit_code=code,
                    name=name,
                    year=year,
                    values={"operating_revenue": revenue, "total_profit": profit, "employees": staff},
                    cells={"credit_code": CellRef("数据", row, "A")},
                )
            )
        issues = []
        total.report(f"build {len(records)} ParsedRecords (direct)")
        checksum = file_checksum(b"bench" + str(len(records)).encode())
    else:
        clock = Clock()
        data = path.read_bytes()
        workbook = read_workbook(data, path.name)
        clock.report("read (calamine)")
        clock = Clock()
        records, issues = [], []
        for layout in understand_workbook(workbook):
            ex = extract(workbook.sheet(layout.sheet), layout)
            records.extend(ex.records)
            issues.extend(ex.issues)
        del workbook
        clock.report(f"understand + extract ({len(records)} records)")
        checksum = file_checksum(data)
        del data
    run("first import", records, issues, checksum)
    wall = total.report("END TO END (first import)")
    if base_s is not None:
        print(f"baseline (extrapolated) / this import: {base_s:.0f} s / {wall:.1f} s = {base_s / wall:.1f}×")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    met = "met" if wall <= 60 and peak_mb() <= 2500 else "NOT met"
    if total_rows < 1_000_000:
        met += f" (but the goal is for 1,000,000 rows, this run had {total_rows})"
    print(f"goal: ≤ 60 s and ≤ 2,500 MB → {met}", flush=True)
    if args.again:
        run("same rows again", records, issues, checksum)
        for r in records[::10]:
            r.values["operating_revenue"] = r.values["operating_revenue"] + 1
        run("10% of revenues changed", records, issues, file_checksum(checksum.encode()))


if __name__ == "__main__":
    main()
