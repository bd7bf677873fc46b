"""Services of the false-information hints: detection over the evaluated enterprises and the person's
decision. A flag is a hint; a person decides, and the decision is recorded."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES
from smeplan.accounts.scoping import can_write_region, require, scope_filter, scope_for
from smeplan.audit.services import audit_record
from smeplan.flags.detection import detect_all
from smeplan.flags.models import FigureFlag, FlagState
from smeplan.flags.thresholds import thresholds_for
from smeplan.indicators.history import first_imports
from smeplan.indicators.models import FIGURE_NAMES, AnnualFigures, FigureRevision
from smeplan.recognition.models import Application, Certification, CertificationState

MESSAGE_MAX = 500


def may_detect(user) -> bool:
    return (
        user.is_authenticated
        and (user.is_superuser or user.role in BUREAU_ROLES)
        and not scope_for(user).nothing
    )


def may_decide(user, flag: FigureFlag) -> bool:
    """Bureau users whose scope covers the organisation; a decided flag only the province (final say)."""
    if not user.is_authenticated or not (user.is_superuser or user.role in BUREAU_ROLES):
        return False
    if not can_write_region(user, flag.organisation.county):
        return False
    return flag.state == FlagState.OPEN or scope_for(user).everything


def evaluated_certifications(*, actor, programme=None):
    """The ACTIVE certifications in ``actor``'s scope (optionally of one programme)."""
    qs = Certification.objects.filter(state=CertificationState.ACTIVE)
    if programme is not None:
        qs = qs.filter(programme=programme)
    return scope_filter(actor, qs, organisation="organisation")


def _read(org_ids_query, year: int):
    """The figures of Y−2…Y, the submitted applications and the history of their figures
    (revisions, and the first values of rows imports created: ``indicators.history``)."""
    figures: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in AnnualFigures.objects.filter(
        organisation_id__in=org_ids_query, year__range=(year - 2, year)
    ).values_list("organisation_id", "year", *FIGURE_NAMES):
        figures[row[0]][row[1]] = dict(zip(FIGURE_NAMES, row[2:], strict=True))
    applications = list(
        Application.objects.filter(
            organisation_id__in=org_ids_query,
            submitted_at__isnull=False,
            year__range=(year - 2, year + 2),
        ).values_list("id", "organisation_id", "year", "submitted_at")
    )
    revisions = []
    if applications:
        org_ids = sorted({a[1] for a in applications})
        revisions = list(
            FigureRevision.objects.filter(
                organisation_id__in=org_ids, year__range=(year - 2, year)
            ).values_list("organisation_id", "year", "field", "old_value", "new_value", "note", "created_at")
        )
        # the first values of rows an import created have no revision: the batch is their history
        revisions.extend(
            (r.organisation_id, r.year, r.field, r.old_value, r.new_value, r.note, r.created_at)
            for r in first_imports(
                AnnualFigures.objects.filter(organisation_id__in=org_ids, year__range=(year - 2, year))
            )
        )
    return figures, applications, revisions


@transaction.atomic
def flags_detect(*, actor, year: int, programme=None) -> dict[str, int]:
    """Detect the patterns for ``year`` over the ACTIVE certifications in ``actor``'s scope.

    New flags are created; open ones still found are refreshed (values, sentence); open ones no
    longer found are withdrawn (deleted); decided ones (confirmed or cleared) are kept as they are.
    Returns the counts.
    """
    require(may_detect(actor), "只有主管部门可以检测虚假信息疑点")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": [f"年度应为四位数字年份，收到“{year}”"]}) from None
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": [f"年度应在2000年至{timezone.localdate().year}年之间，收到 {year}"]})
    thresholds = thresholds_for(year)
    org_ids_query = Subquery(
        evaluated_certifications(actor=actor, programme=programme).values("organisation_id")
    )
    org_ids = set(
        evaluated_certifications(actor=actor, programme=programme).values_list("organisation_id", flat=True)
    )
    figures, applications, revisions = _read(org_ids_query, year)
    found = detect_all(figures, applications, revisions, year, thresholds)

    existing = {
        (f.organisation_id, f.kind): f
        for f in FigureFlag.objects.filter(year=year, organisation_id__in=org_ids_query)
    }
    counts = {
        "enterprises": len(org_ids),
        "found": len(found),
        "created": 0,
        "refreshed": 0,
        "kept": 0,
        "withdrawn": 0,
    }
    new, changed = [], []
    for (org, kind), (message, detail) in found.items():
        message = message[:MESSAGE_MAX]
        flag = existing.get((org, kind))
        if flag is None:
            new.append(FigureFlag(organisation_id=org, year=year, kind=kind, message=message, detail=detail))
        elif flag.state != FlagState.OPEN:
            counts["kept"] += 1
        elif flag.message != message or flag.detail != detail:
            flag.message, flag.detail = message, detail
            changed.append(flag)
    gone = [f.pk for key, f in existing.items() if key not in found and f.state == FlagState.OPEN]
    counts["kept"] += sum(1 for key, f in existing.items() if key not in found and f.state != FlagState.OPEN)
    FigureFlag.objects.bulk_create(new, batch_size=2000)
    if changed:
        FigureFlag.objects.bulk_update(changed, ["message", "detail", "updated_at"], batch_size=2000)
    if gone:
        FigureFlag.objects.filter(pk__in=gone).delete()
    counts.update(created=len(new), refreshed=len(changed), withdrawn=len(gone))
    audit_record(
        actor=actor,
        event_type="flags.detected",
        subject=programme or actor.region or actor,
        payload={
            "year": year,
            "programme": programme.pk if programme else None,
            **counts,
            "thresholds": thresholds.as_dict(),
        },
    )
    return counts


@transaction.atomic
def flag_decide(*, actor, flag: FigureFlag, confirmed: bool, note: str) -> FigureFlag:
    """Confirm (确认为虚假信息) or clear (核实无误) a flag, with a note. Bureau users whose scope covers
    the organisation decide an open flag; only the province may change a decision already taken."""
    flag = FigureFlag.objects.select_for_update().select_related("organisation__county").get(pk=flag.pk)
    if not may_decide(actor, flag):
        if flag.state != FlagState.OPEN and can_write_region(actor, flag.organisation.county):
            raise PermissionDenied(f"该疑点已{flag.get_state_display()}，只有省级主管部门可以改变核实结论")
        raise PermissionDenied("无权核实该单位的疑点")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ["请填写核实意见"]})
    if len(note) > 500:
        raise ValidationError({"note": [f"核实意见不能超过500字（现为{len(note)}字）"]})
    before = flag.state
    flag.state = FlagState.CONFIRMED if confirmed else FlagState.CLEARED
    flag.decided_by = actor
    flag.decided_at = timezone.now()
    flag.decision_note = note
    flag.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit_record(
        actor=actor,
        event_type="flag.decided",
        subject=flag,
        payload={
            "organisation": flag.organisation_id,
            "year": flag.year,
            "kind": flag.kind,
            "from": before,
            "to": flag.state,
            "note": note,
        },
    )
    return flag
