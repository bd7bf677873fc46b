"""Scoring applications against their rubric (评分): set-based over many applications at once.

``applications_score`` reads the applications in scope with one query, groups them by the rubric
version they use (the call's ``rubric_version`` when the application has a call, else
``rubric.rubric_version_for(programme, reference year)``), reads the metrics for all of them from
the screening frame (``frame_cached``; numpy, no query per application), the answers from
``Application.form``, the certifications in force for ``holds`` rules with one query per programme
named, and the counted experts' sheets with one query; scores them (``programmes.rubric.score``) and
replaces their stored :class:`ApplicationScore` rows (DELETE + COPY on PostgreSQL, bulk insert
elsewhere). One audit event per run.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES
from smeplan.accounts.scoping import require
from smeplan.audit.services import audit_record
from smeplan.programmes import rubric
from smeplan.programmes.models import Programme, RubricVersion
from smeplan.recognition import clock
from smeplan.recognition.models import (
    Application,
    ApplicationScore,
    Certification,
    ExpertAssignment,
    State,
)
from smeplan.registry.models import OrganisationKind

COLUMNS = (  # in the order of the COPY text
    "application_id",
    "rubric_version_id",
    "reference_year",
    "automatic_points",
    "expert_points",
    "total",
    "outcome",
    "lines",
    "computed_at",
)


def reference_year_of(application) -> int:
    """申报年度: the call's year, or without a call the application's data year."""
    call = getattr(application, "call", None)
    return call.year if call is not None else application.year


def expert_name(user) -> str:
    """How an expert is named in an explanation: the 姓名/称呼 the system knows, else the account."""
    return (user.display_name or user.get_full_name() or user.username).strip()


def rubric_version_of(application) -> RubricVersion | None:
    """The rubric version an application is scored with."""
    if application.call_id and application.call.rubric_version_id:
        return application.call.rubric_version
    return rubric.rubric_version_for(application.programme, reference_year_of(application))


def _frame_for(design: dict, ref_years: np.ndarray, subject_kind: str, org_ids: np.ndarray):
    from smeplan.programmes.frame import frame_cached, frame_load
    from smeplan.programmes.metrics import metric

    needs = rubric.metric_needs(design)
    if not needs:
        return None, needs
    fields: list[str] = []
    low, high = 0, -100
    for code, offset in needs:
        m = metric(code)
        fields.extend(f for f in m.figures if f not in fields)
        low = min(low, offset - m.years_back)
        high = max(high, offset)
    year = int(ref_years.max()) + high
    years_back = int(ref_years.max() - ref_years.min()) + high - low
    if subject_kind == OrganisationKind.ENTERPRISE:
        frame = frame_cached(year=year, years_back=years_back, fields=tuple(fields))
    else:
        frame = frame_load(
            year=year,
            years_back=years_back,
            fields=tuple(fields),
            kind=subject_kind,
            organisation_ids=sorted({int(i) for i in org_ids}),
        )
    return frame, needs


def inputs_for(design: dict, rows: list[dict], subject_kind: str, application_ids=None) -> rubric.Inputs:
    """What :func:`rubric.score` reads for ``rows`` (dicts of id, organisation_id, reference_year,
    form) — metrics from the frame, certifications in force, the experts' aggregated points.
    ``application_ids``: the rows' ids or a queryset of them (read as a subquery)."""
    n = len(rows)
    if application_ids is None:
        application_ids = [r["id"] for r in rows]
    org_ids = np.fromiter((r["organisation_id"] for r in rows), dtype=np.int64, count=n)
    ref_years = np.fromiter((r["reference_year"] for r in rows), dtype=np.int64, count=n)
    inputs = rubric.Inputs(n=n, reference_years=ref_years, answers=[r.get("form") or {} for r in rows])
    if "form" not in rows[0]:
        inputs.__dict__["_raw"] = _answer_columns(rubric.answer_needs(design), rows)
    frame, needs = _frame_for(design, ref_years, subject_kind, org_ids)
    if frame is not None:
        pos = np.searchsorted(frame.ids, org_ids)
        pos = np.minimum(pos, max(frame.n - 1, 0))
        found = (frame.ids[pos] == org_ids) if frame.n else np.zeros(n, dtype=bool)
        for code, offset in needs:
            inputs.metrics[(code, offset)] = rubric.metric_from_frame(
                frame, pos, found, code, ref_years + offset
            )
    for code in rubric.holds_needs(design):
        from smeplan.recognition.selectors import in_force_on

        holders = np.array(
            sorted(
                set(
                    Certification.objects.filter(
                        in_force_on(clock.today()), programme__code=code
                    ).values_list("organisation_id", flat=True)
                )
            ),
            dtype=np.int64,
        )
        inputs.holds[code] = np.isin(org_ids, holders)
    experts = rubric.expert_indicators(design)
    if experts:
        sheets: dict[int, list] = defaultdict(list)
        for a in (
            ExpertAssignment.objects.filter(
                application_id__in=application_ids,
                submitted_at__isnull=False,
                conflict_declared_at__isnull=True,
            )
            .select_related("expert")
            .order_by("application_id", "pk")
        ):
            sheets[a.application_id].append((expert_name(a.expert), a.scores or {}))
        values = {i["code"]: np.zeros(n) for i in experts}
        present = np.zeros(n, dtype=bool)
        notes: list = [None] * n
        if sheets:
            for k, r in enumerate(rows):
                if r["id"] in sheets:
                    agg, notes[k] = rubric.experts_aggregate(design, sheets[r["id"]])
                    present[k] = True
                    for code, v in agg.items():
                        values[code][k] = v
        inputs.experts = {code: (v, present) for code, v in values.items()}
        inputs.expert_notes = notes
    return inputs


def _answer_columns(fields: list[str], rows: list[dict]) -> dict[str, list]:
    """The answers to ``fields`` of the applications ``rows`` (in their order), one column per
    field: PostgreSQL hands out each answer as a small JSON text (``form -> field``) decoded
    without parsing whole forms; elsewhere the forms are read whole."""
    ids = [r["id"] for r in rows]
    if not fields:
        return {}
    if connection.vendor != "postgresql":
        forms = dict(Application.objects.filter(pk__in=ids).values_list("id", "form"))
        return {f: [(forms.get(i) or {}).get(f) for i in ids] for f in fields}
    table = Application._meta.db_table
    picks = ", ".join("(form -> %s)::text" for _ in fields)
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, {picks} FROM {table} WHERE id = ANY(%s)", [*fields, ids])  # noqa: S608
        found = {row[0]: row[1:] for row in cur.fetchall()}
    empty = (None,) * len(fields)
    got = [found.get(i, empty) for i in ids]
    cell = rubric.json_cell
    return {f: [cell(row[k]) for row in got] for k, f in enumerate(fields)}


def _copy_text(value) -> str:
    text = str(value)
    if "\\" not in text and text.isprintable():
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _store(version_id: int, rows: list[dict], scores: rubric.Scores, now) -> None:
    """Insert the scores of ``rows`` (COPY of text built column-wise on PostgreSQL)."""
    n = len(rows)
    if not n:
        return
    if connection.vendor == "postgresql":
        row = f"%d\t{version_id}\t%d\t%.2f\t%.2f\t%.2f\t%s\t%s\t{now.isoformat()}\n"
        text = "".join(
            row
            % (
                r["id"],
                r["reference_year"],
                auto,
                expert,
                total,
                outcome,
                line.replace("\\", "\\\\") if "\\" in line else line,
            )
            for r, auto, expert, total, outcome, line in zip(
                rows,
                scores.automatic.tolist(),
                scores.expert.tolist(),
                scores.total.tolist(),
                scores.outcomes,
                scores.lines_json,
                strict=True,
            )
        )
        table = ApplicationScore._meta.db_table
        with (
            connection.cursor() as cur,
            cur.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            copy.write(text)
        return
    lines = scores.lines
    ApplicationScore.objects.bulk_create(
        [
            ApplicationScore(
                application_id=r["id"],
                rubric_version_id=version_id,
                reference_year=r["reference_year"],
                automatic_points=f"{scores.automatic[k]:.2f}",
                expert_points=f"{scores.expert[k]:.2f}",
                total=f"{scores.total[k]:.2f}",
                outcome=scores.outcomes[k],
                lines=lines[k],
                computed_at=now,
            )
            for k, r in enumerate(rows)
        ],
        batch_size=2000,
    )


def _delete(ids: list[int]) -> None:
    table = ApplicationScore._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"DELETE FROM {table} WHERE application_id = ANY(%s)", [ids])  # noqa: S608
        else:
            ApplicationScore.objects.filter(application_id__in=ids).delete()


@transaction.atomic
def applications_score(
    *, actor, applications=None, call=None, programme: Programme | None = None, year: int | None = None
) -> int:
    """Score the submitted (not draft) applications — given ones, a call's, or a programme's of a
    reference year — in the actor's scope; replace their stored scores. Returns how many."""
    from smeplan.recognition.selectors import applications_visible_to

    require(
        actor.is_authenticated and actor.is_active and actor.role in BUREAU_ROLES,
        "只有主管部门可以计算评分",
    )
    qs = applications_visible_to(actor).exclude(state=State.DRAFT)
    if applications is not None:
        qs = qs.filter(pk__in=[getattr(a, "pk", a) for a in applications])
    elif call is not None:
        qs = qs.filter(call=call)
    elif programme is not None:
        qs = qs.filter(programme=programme)
        if year is not None:
            from django.db.models import Q

            qs = qs.filter(Q(call__year=year) | Q(call__isnull=True, year=year))
    else:
        raise ValidationError("请选择要评分的申报、申报批次或认定项目")
    raw = list(
        qs.order_by().values(
            "id", "organisation_id", "year", "call__year", "call__rubric_version_id", "programme_id"
        )
    )
    for r in raw:
        r["reference_year"] = r["call__year"] if r["call__year"] is not None else r["year"]
    version_of: dict[tuple[int, int], int | None] = {}
    groups: dict[int, list[dict]] = defaultdict(list)
    for r in raw:
        vid = r["call__rubric_version_id"]
        if vid is None:
            key = (r["programme_id"], r["reference_year"])
            if key not in version_of:
                v = rubric.rubric_version_for(key[0], key[1])
                version_of[key] = v.pk if v is not None else None
            vid = version_of[key]
        if vid is not None:
            groups[vid].append(r)
    if not groups:
        raise ValidationError("没有可评分的申报（已提交且所属认定项目设有评分细则）")
    versions = RubricVersion.objects.select_related("programme").in_bulk(list(groups))
    now = timezone.now()
    ids = [r["id"] for rows in groups.values() for r in rows]
    _delete(ids)
    for vid, rows in groups.items():
        version = versions[vid]
        subquery = qs.values("id") if len(groups) == 1 else None
        inputs = inputs_for(version.design, rows, version.programme.subject_kind, subquery)
        _store(vid, rows, rubric.score(version.design, inputs), now)
    subject = call if call is not None else (programme or versions[next(iter(groups))].programme)
    audit_record(
        actor=actor,
        event_type="application.scored",
        subject=subject,
        payload={"count": len(ids), "rubric_versions": sorted(groups)},
    )
    return len(ids)


def score_explanation(score: ApplicationScore) -> dict:
    """The stored score of one application as the explanation page shows it."""
    application = score.application
    form_design = application.form_version.design if application.form_version_id else None
    codes = set()

    def walk(node):
        if isinstance(node, dict):
            if "holds" in node:
                codes.add(node["holds"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(score.rubric_version.design)
    names = dict(Programme.objects.filter(code__in=codes).values_list("code", "name"))
    explanation = rubric.explain(
        score.rubric_version.design,
        score.lines,
        reference_year=score.reference_year,
        form_design=form_design,
        programme_names=names,
    )
    explanation["outcome"] = rubric.OUTCOME_NAMES.get(score.outcome, "")
    explanation["outcome_code"] = score.outcome
    explanation["total"] = rubric._num(score.total)
    explanation["automatic"] = rubric._num(score.automatic_points)
    explanation["expert"] = rubric._num(score.expert_points)
    explanation["experts_note"] = score.lines.get("e")
    return explanation


def total_decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
