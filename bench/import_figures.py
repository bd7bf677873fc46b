"""Benchmark of the figures import on PostgreSQL: 200,000 enterprises × 5 years = 1,000,000 rows.

    .venv/bin/python bench/import_figures.py [--enterprises 200000] [--years 5] [--xlsx] [--skip-load]

1. (unless --skip-load) drops and re-creates the database named by BENCH_IMPORT_DATABASE_URL
   (default postgres://postgres@127.0.0.1:5432/smeplan_bench_import), migrates it and registers the
   enterprises with ``demo_province`` (one year of figures, Y−6, so the imported years are new);
2. builds the rows (years Y−5 … Y−1): with ``--xlsx`` as one .xlsx file (XlsxWriter, constant
   memory) read back through ``reading`` + ``understanding`` (end to end); otherwise as
   ParsedRecords directly (validation + writing only);
3. times ``import_validate`` and ``import_commit`` (first import: all new), then the same records
   again (second import: all unchanged), then an undo-free update of 10% of the revenues;
4. prints seconds per step and the peak resident memory of the process.
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


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(label, started):
    print(f"{label:<44} {time.perf_counter() - started:8.1f} s   peak {peak_mb():7.0f} MB", flush=True)


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--xlsx", action="store_true", help="end to end from an .xlsx file")
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL)
    last = dt.date.today().year - 1
    years = list(range(last - args.years + 1, last + 1))
    if not args.skip_load:
        t = time.perf_counter()
        load(url, args.enterprises, years[0] - 1)
        step(f"load {args.enterprises} enterprises (demo_province)", t)

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
    import django

    django.setup()
    from smeplan.accounts.models import Role, User
    from smeplan.exchange.parsed import CellRef, ParsedRecord
    from smeplan.exchange.services import file_checksum, import_commit, import_validate
    from smeplan.regions.models import Region
    from smeplan.registry.models import Organisation

    admin, _ = User.objects.get_or_create(
        username="bench-import",
        defaults={"role": Role.PROVINCIAL_ADMIN, "region": Region.objects.get(pk="610000")},
    )
    codes = list(Organisation.objects.order_by("id").values_list("credit_code", "name")[: args.enterprises])
    print(f"{len(codes)} enterprises × {len(years)} years = {len(codes) * len(years)} rows", flush=True)

    def direct_records():
        out = []
        for i, (code, name, year, revenue, profit, staff) in enumerate(rows_for(codes, years)):
            row = i + 3
            out.append(
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
        return out

    def run(label, records, issues, checksum):
        t = time.perf_counter()
        batch = import_validate(
            actor=admin, file_name="bench.xlsx", checksum=checksum, records=records, sheet_issues=issues
        )
        step(f"{label}: validate ({batch.error_count} errors, {batch.warning_count} warnings)", t)
        t2 = time.perf_counter()
        batch = import_commit(
            actor=admin, batch=batch, records=records, sheet_issues=issues, confirm_warnings=True
        )
        step(
            f"{label}: commit (new {batch.new_count}, upd {batch.updated_count}, same {batch.unchanged_count})",
            t2,
        )
        step(f"{label}: validate + commit", t)
        return batch

    total = time.perf_counter()
    if args.xlsx:
        import xlsxwriter

        from smeplan.exchange.reading import read_workbook
        from smeplan.exchange.understanding import extract, understand_workbook

        path = Path(tempfile.gettempdir()) / "smeplan-bench-import.xlsx"
        t = time.perf_counter()
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("数据")
        sheet.write_row(
            0,
            0,
            [
                "统一社会信用代码",
                "企业名称",
                "年度",
                "营业收入（万元）",
                "利润总额（万元）",
                "从业人员（人）",
            ],
        )
        for i, (code, name, year, revenue, profit, staff) in enumerate(rows_for(codes, years), start=1):
            sheet.write_row(i, 0, [code, name, year, float(revenue), float(profit), staff])
        book.close()
        step(f"write .xlsx ({path.stat().st_size / 1e6:.0f} MB, not timed in total)", t)
        total = time.perf_counter()
        data = path.read_bytes()
        workbook = read_workbook(data, path.name)
        step("read (calamine)", total)
        t = time.perf_counter()
        records, issues = [], []
        for layout in understand_workbook(workbook):
            ex = extract(workbook.sheet(layout.sheet), layout)
            records.extend(ex.records)
            issues.extend(ex.issues)
        del workbook
        step(f"understand + extract ({len(records)} records)", t)
        checksum = file_checksum(data)
    else:
        t = time.perf_counter()
        records, issues = direct_records(), []
        step(f"build {len(records)} ParsedRecords (not in total)", t)
        total = time.perf_counter()
        checksum = file_checksum(b"bench" + str(len(records)).encode())
    run("first import", records, issues, checksum)
    step("END TO END (first import)", total)
    run("same rows again", records, issues, checksum)
    for r in records[::10]:
        r.values["operating_revenue"] = r.values["operating_revenue"] + 1
    run("10% of revenues changed", records, issues, file_checksum(checksum.encode()))


if __name__ == "__main__":
    main()
