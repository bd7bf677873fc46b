"""数据填报 — the bureau side: issuing a campaign (发起填报), changing, closing and reopening it, and the
yearly annual report campaign the daily job creates (转型 四(四) 示范企业年度报告).

A campaign is issued for the actor's region (``Campaign.region = actor.region``) by a provincial,
city or county officer; its tasks go only to firms in the actor's scope (``targeting.resolve``) and
are written set-based (``targeting.tasks_insert``). Only the issuing region's bureau or a bureau
above it manages a campaign (:func:`may_manage`).

The campaign's own states follow the one table ``CAMPAIGN_TRANSITIONS`` (填报中 ⇄ 已结束), changed
only by :func:`_move`. The tasks' states are ``answers.TASK_TRANSITIONS`` (part 4).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from smeplan.accounts.models import BUREAU_ROLES
from smeplan.accounts.scoping import require
from smeplan.audit.services import audit_record
from smeplan.campaigns import targeting as targeting_mod
from smeplan.campaigns.models import Campaign, CampaignState, CampaignTask, Content, Targeting
from smeplan.recognition import clock

TITLE_MAX = 120
NOTE_MAX = 2000

#: (state, action) → next state: the one table of a campaign's states
CAMPAIGN_TRANSITIONS: dict[tuple[str, str], str] = {
    (CampaignState.OPEN, "close"): CampaignState.CLOSED,
    (CampaignState.CLOSED, "reopen"): CampaignState.OPEN,
}
ACTION_LABELS = {"close": "结束", "reopen": "重新开放"}


def _move(campaign: Campaign, action: str) -> None:
    """The only code that changes a campaign's state, along a row of ``CAMPAIGN_TRANSITIONS``."""
    next_state = CAMPAIGN_TRANSITIONS.get((campaign.state, action))
    if next_state is None:
        raise ValidationError(f"「{campaign.get_state_display()}」的填报不能{ACTION_LABELS[action]}")
    campaign.state = next_state
    campaign.closed_at = timezone.now() if next_state == CampaignState.CLOSED else None


# --- who may act ----------------------------------------------------------------------------------


def may_issue(user) -> bool:
    """发起数据填报: active provincial, city and county officers of a region."""
    return bool(
        user.is_authenticated and user.is_active and user.role in BUREAU_ROLES and user.region_id is not None
    )


def may_manage(user, campaign: Campaign) -> bool:
    """Change, close, reopen: the issuing region's bureau or a bureau above it."""
    if not may_issue(user):
        return False
    from smeplan.regions.models import Region

    paths = dict(
        Region.objects.filter(code__in=[user.region_id, campaign.region_id]).values_list("code", "path")
    )
    return paths.get(campaign.region_id, "").startswith(paths.get(user.region_id, "\0"))


# --- reading the submitted values ------------------------------------------------------------------


def _date(value, field: str, label: str, problems: dict) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        problems.setdefault(field, []).append(f"请填写{label}")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.setdefault(field, []).append(f"{label}「{text}」不是有效的日期（格式如 2026-03-31）")
        return None


def _text(data: dict, field: str) -> str:
    value = data.get(field)
    return "" if value is None else str(value).strip()


def _check_dates(opens_on, deadline, problems: dict, today: dt.date) -> None:
    if opens_on and deadline and deadline < opens_on:
        problems.setdefault("deadline", []).append("截止日期不能早于开始日期")
    if deadline and deadline < today:
        problems.setdefault("deadline", []).append(f"截止日期不能早于今天（{today:%Y-%m-%d}）")


def _form_version(data: dict, problems: dict):
    from smeplan.programmes.models import FormVersion

    raw = _text(data, "form_version")
    if not raw:
        problems.setdefault("form_version", []).append("请选择填报的表单")
        return None
    version = (
        FormVersion.objects.filter(pk=int(raw)).select_related("programme").first() if raw.isdigit() else None
    )
    if version is None:
        problems.setdefault("form_version", []).append("所选表单不存在")
    return version


# --- issuing a campaign -----------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, actor, data: dict, list_file=None) -> Campaign:
    """发起数据填报. ``data``: title, year, targeting (+ its fields, see ``targeting.resolve``),
    content (figures | form + form_version), opens_on, deadline, note. Every problem is reported at
    once (``ValidationError`` per field) and nothing is written when anything is wrong."""
    require(may_issue(actor), "只有省、市、县主管部门的工作人员可以发起数据填报")
    today = clock.today()
    problems: dict[str, list[str]] = {}
    title = _text(data, "title")
    if not title:
        problems["title"] = ["请填写名称"]
    elif len(title) > TITLE_MAX:
        problems["title"] = [f"名称最多{TITLE_MAX}个字"]
    year_raw = _text(data, "year")
    year = int(year_raw) if year_raw.isdigit() else None
    if year is None:
        problems["year"] = ["请填写数据年度（如 2025）"]
    elif year > today.year:
        problems["year"] = [f"数据年度不能晚于今年（{today.year}年）"]
    elif year < 2000:
        problems["year"] = ["数据年度不能早于2000年"]
    kind = _text(data, "targeting")
    if kind not in Targeting.values:
        problems["targeting"] = ["请选择填报对象"]
    content = _text(data, "content") or Content.FIGURES
    form_version = None
    if content not in Content.values:
        problems["content"] = ["请选择填报内容"]
    elif content == Content.FORM:
        form_version = _form_version(data, problems)
    opens_on = _date(data.get("opens_on"), "opens_on", "开始日期", problems)
    deadline = _date(data.get("deadline"), "deadline", "截止日期", problems)
    _check_dates(opens_on, deadline, problems, today)
    note = _text(data, "note")
    if len(note) > NOTE_MAX:
        problems["note"] = [f"填报说明最多{NOTE_MAX}个字"]
    target = None
    if kind in Targeting.values:
        try:
            target = targeting_mod.resolve(
                actor=actor, targeting=kind, data=data, list_file=list_file, today=today
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    campaign = Campaign.objects.create(
        title=title,
        year=year,
        region_id=actor.region_id,
        targeting=kind,
        targeting_detail=target.detail,
        programme=target.programme,
        screening_run=target.screening_run,
        content=content,
        form_version=form_version,
        opens_on=opens_on,
        deadline=deadline,
        note=note,
        created_by=actor,
    )
    campaign.task_count = targeting_mod.tasks_insert(campaign, target)
    if campaign.task_count == 0:
        raise ValidationError({"targeting": ["所选范围内没有可以发出填报任务的企业"]})
    campaign.save(update_fields=["task_count"])
    audit_record(
        actor=actor,
        event_type="campaign.created",
        subject=campaign,
        payload={
            "year": year,
            "targeting": kind,
            "content": content,
            "deadline": deadline.isoformat(),
            "task_count": campaign.task_count,
        },
    )
    return campaign


# --- changing, closing, reopening ------------------------------------------------------------------


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, data: dict) -> Campaign:
    """Title, note and a later deadline (延长截止日期), only while the campaign is open."""
    require(may_manage(actor, campaign), "只有发起填报的主管部门或其上级可以修改")
    campaign = _locked(campaign)
    if campaign.state != CampaignState.OPEN:
        raise ValidationError("已结束的填报不能修改，请先重新开放")
    problems: dict[str, list[str]] = {}
    title = _text(data, "title") if "title" in data else campaign.title
    if not title:
        problems["title"] = ["请填写名称"]
    elif len(title) > TITLE_MAX:
        problems["title"] = [f"名称最多{TITLE_MAX}个字"]
    note = _text(data, "note") if "note" in data else campaign.note
    if len(note) > NOTE_MAX:
        problems["note"] = [f"填报说明最多{NOTE_MAX}个字"]
    deadline = campaign.deadline
    if _text(data, "deadline"):
        deadline = _date(data.get("deadline"), "deadline", "截止日期", problems)
        if deadline and deadline < campaign.deadline:
            problems.setdefault("deadline", []).append(
                f"截止日期只能延长，不能早于原截止日期（{campaign.deadline:%Y-%m-%d}）"
            )
        _check_dates(campaign.opens_on, deadline, problems, clock.today())
    if problems:
        raise ValidationError(problems)
    changes = {}
    for field, value in (("title", title), ("note", note), ("deadline", deadline)):
        old = getattr(campaign, field)
        if old != value:
            changes[field] = [str(old), str(value)]
            setattr(campaign, field, value)
    if not changes:
        return campaign
    campaign.save(update_fields=list(changes))
    audit_record(actor=actor, event_type="campaign.updated", subject=campaign, payload={"changes": changes})
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    """结束填报: firms can no longer submit (part 4 checks the campaign's state)."""
    require(may_manage(actor, campaign), "只有发起填报的主管部门或其上级可以结束填报")
    campaign = _locked(campaign)
    before = campaign.state
    _move(campaign, "close")
    campaign.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=actor,
        event_type="campaign.closed",
        subject=campaign,
        payload={"from": before, "to": campaign.state},
    )
    return campaign


@transaction.atomic
def campaign_reopen(*, actor, campaign: Campaign, deadline=None) -> Campaign:
    """重新开放; a campaign whose deadline has passed needs a new one at the same time."""
    require(may_manage(actor, campaign), "只有发起填报的主管部门或其上级可以重新开放")
    campaign = _locked(campaign)
    before = campaign.state
    _move(campaign, "reopen")
    problems: dict[str, list[str]] = {}
    today = clock.today()
    new_deadline = campaign.deadline
    if deadline not in (None, ""):
        new_deadline = _date(deadline, "deadline", "截止日期", problems)
    if new_deadline is not None and new_deadline < today:
        problems.setdefault("deadline", []).append(
            f"截止日期（{new_deadline:%Y-%m-%d}）已过，重新开放时请同时设定新的截止日期"
        )
    if new_deadline is not None and new_deadline < campaign.opens_on:
        problems.setdefault("deadline", []).append("截止日期不能早于开始日期")
    if problems:
        raise ValidationError(problems)
    payload = {"from": before, "to": campaign.state}
    if new_deadline != campaign.deadline:
        payload["deadline"] = new_deadline.isoformat()
        campaign.deadline = new_deadline
    campaign.save(update_fields=["state", "closed_at", "deadline"])
    audit_record(actor=actor, event_type="campaign.reopened", subject=campaign, payload=payload)
    return campaign


# --- the yearly annual report campaign (转型 四(四)) -------------------------------------------------


def annual_report_key(programme, year: int) -> str:
    return f"annual_report:{programme.code}:{year}"


def annual_report_campaigns_open(*, today: dt.date | None = None) -> int:
    """For each open programme with an annual report due date (``annual_report_due``): the campaign of
    this year's annual report on last year, issued by the province, whose tasks are the firms with an
    open annual report task (``Obligation``) of that programme and period, each task linked to it.
    Idempotent (``auto_key``); a later run adds the obligations created since. Returns the number of
    tasks written. Runs right after ``obligations_due`` in the daily job."""
    from smeplan.programmes.models import Programme

    today = today or clock.today()
    written = 0
    for programme in Programme.objects.filter(closed_at__isnull=True).exclude(annual_report_due=""):
        written += _annual_report_campaign(programme, today)
    return written


@transaction.atomic
def _annual_report_campaign(programme, today: dt.date) -> int:
    from smeplan.programmes import formdesign
    from smeplan.recognition.models import Obligation, ObligationKind, ObligationState
    from smeplan.regions.models import Region

    period = today.year - 1
    due_on = programme.annual_report_due_on(today.year)
    owed = Obligation.objects.filter(
        kind=ObligationKind.ANNUAL_REPORT,
        period=period,
        certification__programme=programme,
        state__in=[ObligationState.PENDING, ObligationState.OVERDUE],
        campaign_task__isnull=True,
    )
    if not owed.exists():
        return 0
    key = annual_report_key(programme, today.year)
    campaign = Campaign.objects.select_for_update().filter(auto_key=key).first()
    created = campaign is None
    if created:
        province = Region.objects.get(parent__isnull=True)
        version = formdesign.form_version_for(programme, "annual_report", today.year)
        campaign = Campaign.objects.create(
            title=f"{programme.name}{period}年度报告",
            year=period,
            region=province,
            targeting=Targeting.PROGRAMME,
            targeting_detail={
                "programme": programme.code,
                "programme_name": programme.name,
                "tier": None,
                "tier_name": "",
                "annual_report": True,
            },
            programme=programme,
            content=Content.FORM if version else Content.FIGURES,
            form_version=version,
            opens_on=dt.date(today.year, 1, 1),
            deadline=max(due_on, dt.date(today.year, 1, 1)),
            auto_key=key,
            note=f"按《{programme.name}》的规定，请于{due_on:%Y-%m-%d}前报送{period}年度报告。",
        )
    added = targeting_mod.obligation_tasks_insert(campaign, owed)
    campaign.task_count = CampaignTask.objects.filter(campaign=campaign).count()
    campaign.save(update_fields=["task_count"])
    audit_record(
        actor=None,
        event_type="campaign.annual_report_opened" if created else "campaign.annual_report_extended",
        subject=campaign,
        payload={
            "year": period,
            "programme": programme.pk,
            "added": added,
            "task_count": campaign.task_count,
        },
    )
    return added
