"""Screening runs (筛选): services and the live preview.

The province frame of the year (``frame.frame_cached``: kept in process memory per (database, year,
data version)) is evaluated at once by ``engine.evaluate``; the screened enterprises are the actor's
scope (``frame.scope_mask`` → ``accounts.scoping.scope_for``), while the same-industry averages are
always over the whole area as the programme defines it (province or city-level unit).
"""

from __future__ import annotations

import io
import time

import numpy as np
from django.db import connection, transaction
from django.http import Http404

from smeplan.accounts.scoping import require, scope_for
from smeplan.audit.services import audit_record
from smeplan.programmes.averages import tables_store
from smeplan.programmes.criteria import CriterionSpec
from smeplan.programmes.engine import (
    OUTCOME_FAIL,
    OUTCOME_INCOMPLETE,
    OUTCOME_PASS,
    Averages,
    evaluate,
    fields_of,
    letters,
    outcome,
    priority_met,
    since_of,
    years_back_of,
)
from smeplan.programmes.frame import frame_cached, scope_mask
from smeplan.programmes.models import ScreeningResult, ScreeningRun
from smeplan.programmes.selectors import specs_of, version_for


def _require_bureau(actor):
    require(
        actor is not None and actor.is_authenticated and (actor.is_superuser or actor.is_bureau),
        "只有主管部门用户可以筛选",
    )


def _evaluate(actor, tier, year, specs):
    frame = frame_cached(
        year=year,
        years_back=max(2, years_back_of(specs)),
        fields=fields_of(specs),
        since=since_of(specs, year),
    )
    averages = Averages(frame=frame)
    mask = scope_mask(frame, actor)
    sub = frame.subset(mask) if not mask.all() else frame
    # the averages are computed over the whole province frame; resolve them for the screened subset
    results = evaluate(sub, specs, averages=averages, area=tier.programme.average_area)
    return frame, sub, averages, results, outcome(results, sub.n)


def _breakdown(sub, out) -> dict:
    data = {}
    for name, key in (("city", sub.city), ("county", sub.county), ("section", sub.section)):
        uniq, inv = np.unique(key, return_inverse=True)
        counts = np.zeros((len(uniq), 3), dtype=np.int64)
        np.add.at(counts, (inv, out), 1)
        labels = [(chr(u) if u else "") if name == "section" else str(u) for u in uniq.tolist()]
        data[name] = {lab: [int(c) for c in row] for lab, row in zip(labels, counts, strict=True)}
    return data


def screening_run(*, actor, tier, year, version=None) -> ScreeningRun:
    """Screen every enterprise in ``actor``'s scope against ``tier`` for ``year`` (the version in
    force unless given); stores the run (version, counts, breakdown by city / county / section,
    seconds) and the 符合/数据不全 results (不符合 only counted), refreshes the stored averages it
    used; one audit event. Bureau users only."""
    _require_bureau(actor)
    started = time.perf_counter()
    year = int(year)
    version = version or version_for(tier, year)
    if version.tier_id != tier.pk:
        raise Http404("条件版本不属于该梯队")
    specs = specs_of(version)
    # the heavy read happens before the transaction (parallel connections are allowed there)
    _frame, sub, averages, results, out = _evaluate(actor, tier, year, specs)
    with transaction.atomic():
        used = [t for t in averages.tables.values() if t is not None]
        tables_store(used)
        scope = scope_for(actor)
        run = ScreeningRun.objects.create(
            tier=tier,
            version=version,
            year=year,
            region=None if scope.everything else actor.region,
            actor=actor,
            evaluated=sub.n,
            passed=int((out == OUTCOME_PASS).sum()),
            failed=int((out == OUTCOME_FAIL).sum()),
            incomplete=int((out == OUTCOME_INCOMPLETE).sum()),
            breakdown=_breakdown(sub, out),
            criteria=[s.to_dict() for s in specs],
        )
        keep = np.flatnonzero(out != OUTCOME_FAIL)
        _results_write(
            run, sub.ids[keep], out[keep], letters(results)[keep], priority_met(results, sub.n)[keep]
        )
        run.seconds = round(time.perf_counter() - started, 3)
        run.save(update_fields=["seconds"])
        audit_record(
            actor=actor,
            event_type="screening.run",
            subject=run,
            payload={
                "tier": str(tier),
                "year": year,
                "version": version.number,
                "evaluated": run.evaluated,
                "passed": run.passed,
                "failed": run.failed,
                "incomplete": run.incomplete,
                "seconds": run.seconds,
            },
        )
    return run


def _results_write(run, ids, out, codes, priority) -> None:
    names = {OUTCOME_PASS: "pass", OUTCOME_INCOMPLETE: "incomplete"}
    if connection.vendor == "postgresql" and len(ids) > 1000:
        buf = io.StringIO()
        for i, o, c, p in zip(ids.tolist(), out.tolist(), codes.tolist(), priority.tolist(), strict=True):
            buf.write(f"{run.pk}\t{i}\t{names[o]}\t{c}\t{'t' if p else 'f'}\n")
        table = ScreeningResult._meta.db_table
        columns = "(run_id, organisation_id, outcome, statuses, priority)"
        with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
            copy.write(buf.getvalue())
        return
    ScreeningResult.objects.bulk_create(
        [
            ScreeningResult(run=run, organisation_id=i, outcome=names[o], statuses=c, priority=p)
            for i, o, c, p in zip(ids.tolist(), out.tolist(), codes.tolist(), priority.tolist(), strict=True)
        ],
        batch_size=5000,
    )


def screening_preview(*, actor, tier, year, specs: list[CriterionSpec]) -> dict:
    """How many enterprises in ``actor``'s scope would pass ``specs`` for ``tier`` in ``year`` (no
    writes): {"evaluated", "passed", "failed", "incomplete", "seconds"}. The province frame is cached
    in process memory, so repeated previews only recompute the comparisons."""
    _require_bureau(actor)
    started = time.perf_counter()
    _, sub, _, _, out = _evaluate(actor, tier, int(year), list(specs))
    return {
        "evaluated": int(sub.n),
        "passed": int((out == OUTCOME_PASS).sum()),
        "failed": int((out == OUTCOME_FAIL).sum()),
        "incomplete": int((out == OUTCOME_INCOMPLETE).sum()),
        "seconds": round(time.perf_counter() - started, 3),
    }


def _run_visible(actor, run) -> bool:
    scope = scope_for(actor)
    if scope.everything:
        return True
    if run.region_id is None or not scope.region_codes:
        return False
    return run.region_id in scope.region_codes


def runs_compare(*, actor, run_a, run_b) -> dict:
    """Who entered / left between two runs: {"entered": [org ids], "left": [org ids]} — entered:
    符合 in ``run_b`` but not in ``run_a``; left: the reverse. Both runs must be visible to the actor."""
    _require_bureau(actor)
    require(_run_visible(actor, run_a) and _run_visible(actor, run_b), "无权查看该筛选记录")
    a = set(run_a.results.filter(outcome="pass").values_list("organisation_id", flat=True))
    b = set(run_b.results.filter(outcome="pass").values_list("organisation_id", flat=True))
    return {"entered": sorted(b - a), "left": sorted(a - b)}
