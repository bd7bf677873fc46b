"""Evaluation benchmark (年度综合测评, annex 2): ``evaluation.services.evaluation_run`` for the three
growth tiers of 省级成长梯队 over ``smeplan_bench`` (1,000,000 enterprises × 3 years, PostgreSQL)
with 20,000 active certifications, proposals (termination and tier moves) included.

Steps: migrate the ``evaluation`` app (and what it depends on) if the bench database predates it;
insert N certifications (default 20,000; a third per tier, each tier's enterprises taken by their
operating revenue of year Y−1 in its band — 行业之星 ≥ 10,000万元, 成长之星 2,000–10,000, 创业之星
500–2,000 — every 7th enterprise (行业之星: every 2nd) so they spread over the counties) in one transaction with one
``INSERT … SELECT``; store the same-industry averages of year Y if none are stored (as a screening
run leaves them; timed apart); time ``evaluation_runs`` (the three tiers together, one read of the
figures) for a provincial user (cold, then ``--repeat``
more: best); a baseline: a per-enterprise ORM loop (one query per enterprise for its two years of
figures, ``indicators.derived`` in Python) on 1,000 enterprises, extrapolated to N, and the ratio;
finally delete everything it created (certifications marked ``BENCH-EVAL-``, the runs with their
results and proposals, their audit events, the averages it stored, its user), also when interrupted.
``--method percentile`` evaluates with a percentile scheme of equal weights (made for the bench and
deleted with the rest) instead of the scheme in force.
Usage: ``.venv/bin/python bench/evaluation.py [--count N] [--year Y] [--repeat R] [--method M]``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench"
)

import django

django.setup()

MARK = "BENCH-EVAL-"
USERNAME = "bench-evaluation"
GOAL_SECONDS = 1.0
#: tier → (revenue band of year Y−1 in 万元, every k-th enterprise id)
#: tier → (revenue from, to, every n-th enterprise of the band); the demo province is mostly micro
#: firms (about 3,300 of 10^6 above 1亿元), so the 行业之星 band takes all of them and the others share
#: the rest of the standard 20,000
BANDS = {"industry_star": (10000, None, 1), "growth_star": (2000, 10000, 3), "startup_star": (500, 2000, 7)}


def _ensure_schema():
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    for app, table in (("evaluation", "evaluation_evaluationrun"), ("flags", "flags_figureflag")):
        targets = [key for key in executor.loader.graph.leaf_nodes() if key[0] == app]
        if table not in connection.introspection.table_names() or executor.migration_plan(targets):
            t = time.perf_counter()
            call_command("migrate", app, verbosity=0)
            print(f"migrated the {app} app into the bench database in {time.perf_counter() - t:.1f} s")
            executor = MigrationExecutor(connection)


def _insert(count: int, year: int) -> dict:
    from django.db import connection, transaction

    from smeplan.programmes.models import Tier

    tiers = {t.code: t for t in Tier.objects.filter(programme__code="growth-province")}
    inserted = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for code, (low, high, step) in BANDS.items():
            tier = tiers[code]
            cursor.execute(
                """
                INSERT INTO recognition_certification (
                    organisation_id, programme_id, tier_id, level, region_id, document_number, certified_on,
                    title, organisation_name, state, review_note, termination_reason, termination_document,
                    termination_note, created_at)
                SELECT o.id, %s, %s, 'province', '610000', %s || o.id, make_date(%s, 6, 15),
                       %s, o.name, 'active', '', '', '', '', now()
                FROM registry_organisation o
                JOIN indicators_annualfigures f ON f.organisation_id = o.id AND f.year = %s
                WHERE o.id %% %s = 0 AND o.kind = 'enterprise' AND f.operating_revenue >= %s
                  AND (%s::numeric IS NULL OR f.operating_revenue < %s::numeric)
                ORDER BY o.id LIMIT %s
                """,
                [
                    tier.programme_id,
                    tier.pk,
                    MARK,
                    year - 1,
                    f"陕西省{tier.name}企业",
                    year - 1,
                    step,
                    low,
                    high,
                    high,
                    (count - sum(inserted.values())) // (len(BANDS) - len(inserted)),
                ],
            )
            inserted[tier] = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE recognition_certification")
    return inserted


def _averages(tiers, year: int) -> list[tuple[str, int]]:
    """Store the same-industry averages the tiers' criteria need for ``year`` when none are stored
    (a screening run stores them); returns the (metric, year) pairs it stored, to delete them."""
    from smeplan.programmes.averages import table_compute, tables_store
    from smeplan.programmes.engine import fields_of, since_of, years_back_of
    from smeplan.programmes.frame import frame_load
    from smeplan.programmes.models import IndustryAverage
    from smeplan.programmes.selectors import specs_of, version_for

    specs = [s for tier in tiers for s in specs_of(version_for(tier, year))]
    needed = sorted(
        {(s.metric, y) for s in specs if s.uses_average for y in range(year - s.years + 1, year + 1)}
    )
    missing = [(m, y) for m, y in needed if not IndustryAverage.objects.filter(metric=m, year=y).exists()]
    if not missing:
        return []
    frame = frame_load(
        year=year,
        years_back=max(2, years_back_of(specs)),
        fields=fields_of(specs),
        since=since_of(specs, year),
    )
    from django.db import transaction

    with transaction.atomic():
        tables_store([table_compute(frame, m, y) for m, y in missing])
    return missing


def _remove(user=None, stored=()) -> int:
    from django.db import connection, transaction

    from smeplan.accounts.models import User
    from smeplan.audit.models import AuditEvent
    from smeplan.evaluation.models import EvaluationRun, EvaluationScheme
    from smeplan.programmes.models import IndustryAverage

    with transaction.atomic():
        runs = EvaluationRun.objects.filter(actor__username=USERNAME)
        schemes = list(EvaluationScheme.objects.filter(note=MARK).values_list("pk", flat=True))
        AuditEvent.objects.filter(
            event_type="evaluation.run", subject_id__in=[str(pk) for pk in runs.values_list("pk", flat=True)]
        ).delete()
        runs.delete()
        EvaluationScheme.objects.filter(pk__in=schemes).delete()
        for metric, year in stored:
            IndustryAverage.objects.filter(metric=metric, year=year).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM recognition_certification WHERE document_number LIKE %s", [MARK + "%"]
            )
            removed = cursor.rowcount
        with connection.cursor() as cursor:  # raw: the ORM would also visit apps the bench database lacks
            cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE username = %s", [USERNAME])  # noqa: S608
    return removed


def _baseline(tier_certs, year: int, slice_size: int) -> float:
    """One ORM query per enterprise for its figures, the five indicators with indicators.derived."""
    from smeplan.indicators.derived import growth, ratio
    from smeplan.indicators.models import AnnualFigures

    started = time.perf_counter()
    for org_id in tier_certs[:slice_size]:
        rows = {
            r.year: r for r in AnnualFigures.objects.filter(organisation_id=org_id, year__in=(year - 1, year))
        }
        cur, prev = rows.get(year), rows.get(year - 1)

        def g(field, cur=cur, prev=prev):
            return growth(getattr(cur, field, None), getattr(prev, field, None))

        revenue = getattr(cur, "operating_revenue", None)
        [
            g("operating_revenue"),
            g("total_profit"),
            ratio(getattr(cur, "total_profit", None), revenue),
            ratio(getattr(cur, "tax_paid", None), revenue),
            ratio(getattr(cur, "rd_expense", None), revenue),
        ]
    return time.perf_counter() - started


def _dump(path: str, runs) -> None:
    """The stored rows of ``runs`` keyed by tier, organisation and document number (not by ids that
    differ between bench runs): results (every column), termination proposals and tier moves, as
    sorted JSON — to compare two versions of the code on the same data."""
    from smeplan.evaluation.models import EvaluationResult, TerminationProposal, TierMoveProposal

    out = {}
    for run in runs:
        order = ("certification__organisation_id", "certification__document_number")
        results = EvaluationResult.objects.filter(run=run).order_by(*order)
        skip = {"id", "run", "certification"}
        names = [
            "certification__document_number",
            *[f.attname for f in EvaluationResult._meta.concrete_fields if f.name not in skip],
        ]
        proposals = TerminationProposal.objects.filter(run=run).order_by(*order)
        moves = TierMoveProposal.objects.filter(run=run).order_by(*order)
        out[run.tier.code] = {
            "run": [
                run.evaluated,
                run.with_missing,
                run.failing,
                run.bottom,
                run.proposals,
                run.moves,
                run.weights,
                run.method,
                str(run.bottom_share),
            ],
            "results": [[str(v) for v in row] for row in results.values_list(*names)],
            "proposals": [
                [str(v) for v in row]
                for row in proposals.values_list(
                    "certification__organisation_id", "reason", "explanation", "state"
                )
            ],
            "moves": [
                [str(v) for v in row]
                for row in moves.values_list(
                    "certification__organisation_id",
                    "to_tier_id",
                    "operating_revenue",
                    "explanation",
                    "state",
                )
            ],
        }
    Path(path).write_text(json.dumps(out, ensure_ascii=False, sort_keys=True))
    print(f"wrote the stored rows of {len(runs)} runs to {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slice", type=int, default=1_000)
    parser.add_argument(
        "--dump",
        help="write the stored results, proposals and moves of the last run to this file (to compare)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the per-enterprise ORM baseline")
    parser.add_argument(
        "--method", choices=("scheme", "minmax", "percentile"), default="scheme",
        help="the normalisation: the scheme in force (default) or a bench scheme of equal weights",
    )  # fmt: skip
    args = parser.parse_args()
    from smeplan.accounts.models import Role, User
    from smeplan.evaluation.services import evaluation_run, evaluation_runs
    from smeplan.programmes.models import Tier
    from smeplan.recognition.models import Certification

    _ensure_schema()
    removed = _remove()
    if removed:
        print(f"removed {removed} certifications left by an earlier interrupted run")
    stored = []
    try:
        user = User.objects.create(
            username=USERNAME, role=Role.PROVINCIAL_ADMIN, region_id="610000", is_active=True
        )
        t = time.perf_counter()
        inserted = _insert(args.count, args.year)
        print(
            f"inserted {sum(inserted.values()):,} certifications (INSERT … SELECT, one transaction) in "
            f"{time.perf_counter() - t:.2f} s: " + ", ".join(f"{k.name} {v:,}" for k, v in inserted.items())
        )
        tiers = list(Tier.objects.select_related("programme").filter(programme__code="growth-province"))
        t = time.perf_counter()
        stored = _averages(tiers, args.year)
        if stored:
            print(
                f"stored {len(stored)} same-industry average tables (setup) in {time.perf_counter() - t:.2f} s"
            )

        scheme = None
        if args.method != "scheme":
            from smeplan.evaluation.models import DEFAULT_WEIGHTS, EvaluationScheme

            scheme = EvaluationScheme.objects.create(
                programme=tiers[0].programme,
                effective_year=args.year,
                weights=dict(DEFAULT_WEIGHTS),
                method=args.method,
                note=MARK,
            )
            print(f"method: {args.method}, equal weights (a bench scheme)")

        def all_tiers():
            """``evaluation_runs``: the three tiers together (one read of the figures)."""
            runs = evaluation_runs(
                actor=user, programme=tiers[0].programme, tiers=tiers, year=args.year, scheme=scheme
            )
            return [(run.tier, run, run.seconds) for run in runs]

        def one_by_one():
            """``evaluation_run`` per tier."""
            out = []
            for tier in tiers:
                w = time.perf_counter()
                run = evaluation_run(actor=user, tier=tier, year=args.year, scheme=scheme)
                out.append((tier, run, time.perf_counter() - w))
            return out

        totals = []
        for attempt in range(1 + args.repeat):
            w, c = time.perf_counter(), time.process_time()
            runs = all_tiers()
            wall, cpu = time.perf_counter() - w, time.process_time() - c
            totals.append(wall)
            label = "cold" if attempt == 0 else f"repeat {attempt}"
            print(f"{label:<9} three tiers: wall {wall:.3f} s cpu {cpu:.3f} s")
            for tier, run, seconds in runs:
                print(
                    f"    {tier.name}: {run.evaluated:,} evaluated in {seconds:.3f} s; 数据缺失 {run.with_missing:,}, "
                    f"不符合条件 {run.failing:,}, 末位 {run.bottom:,}, 建议终止 {run.proposals:,}, "
                    f"建议调整梯队 {run.moves:,}"
                )
        if args.dump:
            _dump(args.dump, [run for _tier, run, _s in runs])
        w = time.perf_counter()
        one_by_one()
        separate = time.perf_counter() - w
        print(f"evaluation_run per tier (three separate reads): wall {separate:.3f} s")
        best = min(totals)
        median = statistics.median(totals[1:] or totals)
        print(
            f"goal ≤ {GOAL_SECONDS} s: cold {totals[0]:.3f} s, median of the repeats {median:.3f} s, "
            f"best {best:.3f} s"
        )
        if args.no_baseline:
            return
        org_ids = list(
            Certification.objects.filter(document_number__startswith=MARK)
            .order_by("id")
            .values_list("organisation_id", flat=True)
        )
        base = _baseline(org_ids, args.year, args.slice)
        n = sum(inserted.values())
        extrapolated = base / min(args.slice, len(org_ids)) * n
        print(
            f"baseline per-enterprise ORM loop (indicators only, no ranking, no criteria): "
            f"{min(args.slice, len(org_ids)):,} in {base:.2f} s → {extrapolated:.1f} s for {n:,}; "
            f"ratio to cold {extrapolated / totals[0]:.0f}×, to best {extrapolated / best:.0f}×"
        )
    finally:
        removed = _remove(stored=stored)
        print(
            f"deleted {removed:,} certifications, the runs, their audit events and {len(stored)} average tables"
        )


if __name__ == "__main__":
    main()
