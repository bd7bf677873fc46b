"""Benchmark of the figures import, on PostgreSQL (200,000 enterprises × 5 years = 1,000,000 rows)
or on the embedded default, SQLite (40,000 enterprises × 5 years = 200,000 rows).

    .venv/bin/python bench/import_figures.py [--engine postgresql|sqlite] [--enterprises N]
                                             [--years 5] [--skip-load] [--direct] [--again]
                                             [--baseline-rows 20000] [--no-baseline] [--profile FILE]

1. (unless --skip-load) PostgreSQL: drops and re-creates the database named by
   BENCH_IMPORT_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/smeplan_bench_import);
   SQLite: deletes and re-creates the file BENCH_IMPORT_SQLITE_PATH (default
   <tmp>/smeplan-bench-import.sqlite3, with the settings' pragmas: WAL, synchronous=NORMAL);
   migrates it and registers the enterprises with ``demo_province`` (one year of figures, Y−6, so
   the imported years are new); with --skip-load it reuses that database and first deletes what an
   earlier run imported (figures of years Y−5 … Y−1, revisions, the import batches);
2. writes the rows (years Y−5 … Y−1, long layout, six columns) as ONE .xlsx file (XlsxWriter,
   constant memory; not timed);
3. baseline (unless --no-baseline): the first ``--baseline-rows`` data rows read with openpyxl
   (read_only) and written with one ORM ``update_or_create`` per row, in a transaction rolled back
   afterwards; extrapolated to all rows;
4. END TO END, timed: read, understand and extract the file as the page, the API and the command
   do (``pipeline.parse_file``), ``import_validate``, ``import_commit`` (first import: every row
   new), with the commit's parts (``figures_upsert``, reclassification) and every SQL statement of
   a second or more timed separately;
5. with --again: the same records again (nothing changes) and 10% of the revenues changed.

Every line prints wall seconds, the CPU seconds of this process and of its PostgreSQL backend in
that step ("pg", 0 on SQLite: it runs inside this process), the 1-minute load average, the peak
resident memory of this process DURING that step ("step peak": the kernel's high-water mark is
reset before each step, /proc/self/clear_refs) and since the start ("peak"), so figures taken on a
shared machine can be judged. ``--direct`` skips the file (ParsedRecords built in
memory: validation + writing only). ``--profile FILE`` writes a cProfile of the end-to-end part.
"""

import argparse
import contextlib
import datetime as dt
import hashlib
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
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "smeplan-bench-import.sqlite3"
#: the goals of issue 14: (rows, wall seconds, peak MB) per engine
GOALS = {"postgresql": (1_000_000, 30, 2_000), "sqlite": (200_000, 60, 1_000)}
HEADER = ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "利润总额（万元）", "从业人员（人）"]

_backend_pid: int | None = None


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_peak_mb() -> float | None:
    """The resident-memory high-water mark since the last ``reset_step_peak`` (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_step_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


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


_open_steps: list["Clock"] = []


class Clock:
    """Times one step. ``step=True`` also measures the peak resident memory of the step: the
    kernel's high-water mark is reset when it starts; a step inside another resets it again, so
    the outer one keeps the peaks seen before each reset and those of its inner steps."""

    def __init__(self, step: bool = False):
        self.step, self.seen, self.peak = step, 0.0, None
        if step:
            hwm = step_peak_mb() or 0.0
            for outer in _open_steps:
                outer.seen = max(outer.seen, hwm)
            reset_step_peak()
            _open_steps.append(self)
        self.wall, self.cpu, self.db = time.perf_counter(), cpu_s(), backend_cpu_s()

    def report(self, label: str) -> float:
        wall = time.perf_counter() - self.wall
        step = ""
        if self.step:
            hwm = step_peak_mb()
            if hwm is not None:
                self.peak = max(self.seen, hwm)
                for outer in _open_steps:
                    outer.seen = max(outer.seen, self.peak)
                step = f"step peak {self.peak:6.0f} MB  "
            if self in _open_steps:
                _open_steps.remove(self)
        print(
            f"{label:<52} {wall:7.1f} s wall  {cpu_s() - self.cpu:6.1f} s cpu  "
            f"{backend_cpu_s() - self.db:6.1f} s pg  load {os.getloadavg()[0]:4.2f}  "
            f"{step}peak {peak_mb():6.0f} MB",
            flush=True,
        )
        return wall


def load(url: str, enterprises: int, year: int) -> None:
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
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

    with transaction.atomic(), connection.cursor() as cur:
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
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE indicators_figurerevision")
            cur.execute("VACUUM ANALYZE indicators_annualfigures")
            cur.execute("VACUUM ANALYZE registry_organisation")
        else:
            cur.execute("VACUUM")
            cur.execute("ANALYZE")


def main() -> None:
    global _backend_pid
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--enterprises", type=int, help="default 200,000 (PostgreSQL) or 40,000 (SQLite)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--direct", action="store_true", help="ParsedRecords in memory, no file")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--again", action="store_true", help="then import again, and 10%% changed")
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--profile", help="write a cProfile of the end-to-end import to this file")
    args = parser.parse_args()
    if args.engine == "sqlite":
        url = "sqlite:///" + str(Path(os.environ.get("BENCH_IMPORT_SQLITE_PATH", DEFAULT_SQLITE)).resolve())
    else:
        url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL)
    if args.enterprises is None:
        args.enterprises = 200_000 if args.engine == "postgresql" else 40_000
    last = dt.date.today().year - 1
    years = list(range(last - args.years + 1, last + 1))
    print(f"{args.engine}: {url}; cores {os.cpu_count()}, load {os.getloadavg()}", flush=True)
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
    from smeplan.exchange.pipeline import parse_file
    from smeplan.exchange.services import file_checksum, import_commit, import_validate
    from smeplan.regions.models import Region
    from smeplan.registry.models import Organisation

    if args.skip_load:
        clean_previous(years)
    if connection.vendor == "postgresql":
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
        if connection.vendor != "postgresql":
            return (0, 0)
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
            if _name == "organisations_reclassify" and connection.vendor == "postgresql":
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
        clock = Clock(step=True)
        batch = import_validate(
            actor=admin, file_name="bench.xlsx", checksum=checksum, records=records, sheet_issues=issues
        )
        clock.report(f"{label}: validate ({batch.error_count} errors, {batch.warning_count} warnings)")
        clock2 = Clock(step=True)
        batch = import_commit(
            actor=admin, batch=batch, records=records, sheet_issues=issues, confirm_warnings=True
        )
        clock2.report(
            f"{label}: commit (new {batch.new_count}, upd {batch.updated_count}, same {batch.unchanged_count})"
        )

    base_s = None
    # the file is kept between runs, named for the registry it was written from (another load of the
    # demo province has other credit codes: a file of the old ones would only be refused)
    key = hashlib.sha256("\n".join(code for code, _name in codes).encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"smeplan-bench-import-{len(codes)}x{len(years)}-{key}.xlsx"
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
    total = Clock(step=True)
    if args.direct:
        clock = Clock()
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
        clock.report(f"build {len(records)} ParsedRecords (direct)")
        checksum = file_checksum(b"bench" + str(len(records)).encode())
    else:
        clock = Clock()
        # as the upload flow does: the stored file's path, read and understood by the one pipeline
        parsed = parse_file(path, path.name)
        records, issues = parsed.records, parsed.issues
        del parsed
        clock.report(f"read + understand + extract ({len(records)} records)")
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        checksum = digest.hexdigest()
    run("first import", records, issues, checksum)
    wall = total.report("END TO END (first import)")
    peak = total.peak or peak_mb()
    if base_s is not None:
        print(f"baseline (extrapolated) / this import: {base_s:.0f} s / {wall:.1f} s = {base_s / wall:.1f}×")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    goal_rows, goal_s, goal_mb = GOALS[args.engine]
    met = "met" if wall <= goal_s and peak <= goal_mb else "NOT met"
    if total_rows != goal_rows:
        met += f" (but the goal is for {goal_rows:,} rows, this run had {total_rows:,})"
    print(
        f"goal ({args.engine}, {goal_rows:,} rows): ≤ {goal_s} s and ≤ {goal_mb:,} MB → "
        f"{wall:.1f} s, {peak:.0f} MB: {met}",
        flush=True,
    )
    if args.again:
        run("same rows again", records, issues, checksum)
        for r in records[::10]:
            r.values["operating_revenue"] = r.values["operating_revenue"] + 1
        run("10% of revenues changed", records, issues, file_checksum(checksum.encode()))


if __name__ == "__main__":
    main()
