"""The reminder job (``reminders_run``): what is due, to whom, once per stage.

**Campaign tasks** (填报任务 of an open campaign, 待填报 or 已退回): one reminder per user and
*current* stage, the stage being the most pressing that applies today —

==========  ======================================
stage       when
==========  ======================================
OPENING     on or after the campaign's ``opens_on``
DUE_7       deadline − today ≤ 7
DUE_1       deadline − today ≤ 1
OVERDUE     today > deadline
==========  ======================================

A job that missed days (or a campaign opened three days before its deadline) sends the stage of
the day, not the ones it missed (as ``recognition.obligations`` does); the text always states the
real number of days left.

**年度报告与复核任务** (``recognition.Obligation``) keep their own schedule in
``recognition.obligations.obligations_due`` (due − 14 days, the due date, every week once overdue;
to the enterprise and its county bureau). This job only adds the two stages that schedule lacks,
DUE_7 and DUE_1, to the enterprise's users, for a task 待提交 whose first reminder has gone out
(``last_reminded_on`` set) on an earlier day and whose due date is still ahead: that schedule
never reminds between its first reminder and the due date, so the two never remind the same task
on the same day, in whichever order they run. A campaign task made for an obligation (the annual
report campaign, ``CampaignTask.obligation``) is reminded as that obligation (its link opens the
campaign task), not a second time as a task.

**Recipients**: the firm's active enterprise accounts (企业用户/服务机构用户 of the task's
organisation); e-mail only to those with an address and 接收邮件通知 on, and only where SMTP is
configured.

**Idempotent, set-based**: the candidates (user, subject, stage) come from one query per kind that
already leaves out those in the ledger (``Reminder``, unique on user + subject + stage); they are
inserted with ``ignore_conflicts`` (the constraint is the guarantee); the rows this run inserted
are read back with one query (ids above the largest before the run; concurrent runs are
serialised by an advisory lock on PostgreSQL, by SQLite's IMMEDIATE transaction), and only for
those are the notifications and outbox mails bulk-created, in chunks. The outbox is sent by the
caller (``tasks.reminders_daily``, ``manage.py reminders_send``) after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from smeplan.accounts.models import ORGANISATION_ROLES, User
from smeplan.notifications.mail import compose
from smeplan.notifications.models import OutgoingMail, Reminder, ReminderStage

CHUNK = 5000
KIND = "reminder"  # recognition.Notification.kind of every reminder
LOCK_ID = 0x5E11_0016  # pg_advisory_xact_lock key of the job


def _task_url_pattern() -> str:
    """``/campaigns/tasks/<pk>/`` through the url name ``campaign_task_detail`` where it exists."""
    from django.urls import NoReverseMatch, reverse

    marker = 987654321
    try:
        return reverse("campaign_task_detail", args=[marker]).replace(str(marker), "{}")
    except NoReverseMatch:
        return "/campaigns/tasks/{}/"


def _obligation_url_pattern() -> str:
    from django.urls import reverse

    marker = 987654321
    return reverse("obligation_detail", args=[marker]).replace(str(marker), "{}")


def _not_in_ledger():
    return ~Exists(
        Reminder.objects.filter(user_id=OuterRef("pk"), subject_key=OuterRef("key"), stage=OuterRef("stage"))
    )


def _enterprise_users():
    return User.objects.filter(is_active=True, role__in=list(ORGANISATION_ROLES), organisation__isnull=False)


def task_candidates(today: dt.date):
    """The users × campaign tasks whose reminder of today's stage is not yet in the ledger, as one
    query (``TASK_FIELDS``)."""
    from smeplan.campaigns.models import CampaignState, TaskState

    t = "organisation__campaign_tasks__"
    stage = Case(
        When(deadline__lt=today, then=Value(ReminderStage.OVERDUE)),
        When(deadline__lte=today + dt.timedelta(days=1), then=Value(ReminderStage.DUE_1)),
        When(deadline__lte=today + dt.timedelta(days=7), then=Value(ReminderStage.DUE_7)),
        default=Value(ReminderStage.OPENING),
        output_field=CharField(),
    )
    return (
        _enterprise_users()
        .filter(
            **{
                f"{t}state__in": [TaskState.PENDING, TaskState.RETURNED],
                f"{t}campaign__state": CampaignState.OPEN,
                f"{t}campaign__opens_on__lte": today,
                f"{t}obligation__isnull": True,
            }
        )
        .annotate(
            task_id=F(f"{t}id"),
            campaign_id=F(f"{t}campaign_id"),
            deadline=F(f"{t}campaign__deadline"),
        )
        .annotate(
            stage=stage,
            key=Concat(Value("campaign_task:"), Cast("task_id", CharField()), output_field=CharField()),
        )
        .filter(_not_in_ledger())
        .order_by()
    )


TASK_FIELDS = ("pk", "email", "email_notifications", "key", "stage", "task_id", "campaign_id", "deadline")


def obligation_candidates(today: dt.date):
    """The users × 年度报告与复核任务 due for their 7- or 1-day reminder not yet in the ledger, as
    one query (``OBLIGATION_FIELDS``)."""
    from smeplan.recognition.models import CertificationState, ObligationState

    o = "organisation__certifications__obligations__"
    stage = Case(
        When(due_on__lte=today + dt.timedelta(days=1), then=Value(ReminderStage.DUE_1)),
        default=Value(ReminderStage.DUE_7),
        output_field=CharField(),
    )
    return (
        _enterprise_users()
        .filter(
            **{
                "organisation__certifications__state": CertificationState.ACTIVE,
                f"{o}state": ObligationState.PENDING,
                f"{o}due_on__gt": today,
                f"{o}due_on__lte": today + dt.timedelta(days=7),
                f"{o}last_reminded_on__lt": today,
            }
        )
        .annotate(
            obligation_id=F(f"{o}id"),
            kind=F(f"{o}kind"),
            period=F(f"{o}period"),
            due_on=F(f"{o}due_on"),
            firm=F("organisation__certifications__organisation_name"),
            campaign_task_id=F(f"{o}campaign_task__id"),
        )
        .annotate(
            stage=stage,
            key=Concat(Value("obligation:"), Cast("obligation_id", CharField()), output_field=CharField()),
        )
        .filter(_not_in_ledger())
        .order_by()
    )


OBLIGATION_FIELDS = (
    "pk",
    "email",
    "email_notifications",
    "key",
    "stage",
    "obligation_id",
    "kind",
    "period",
    "due_on",
    "firm",
    "campaign_task_id",
)


def _days(deadline: dt.date, today: dt.date) -> str:
    n = (deadline - today).days
    return "今天" if n == 0 else ("明天" if n == 1 else f"{n}天后")


def task_title(stage: str, campaign_title: str, deadline: dt.date, today: dt.date) -> str:
    d = f"{deadline:%Y-%m-%d}"
    if stage == ReminderStage.OVERDUE:
        return f"填报已逾期：{campaign_title}已于{d}截止，请尽快填报并提交"
    if stage == ReminderStage.OPENING:
        return f"新的填报任务：{campaign_title}，请于{d}前填报并提交"
    return f"填报提醒：{campaign_title}将于{_days(deadline, today)}截止（{d}），请及时填报并提交"


def obligation_title(kind: str, period: int, firm: str, due_on: dt.date, today: dt.date) -> str:
    from smeplan.recognition.models import ObligationKind

    what = f"{period}年度报告" if kind == ObligationKind.ANNUAL_REPORT else f"{period}年复核材料"
    return f"报送提醒：{firm}的{what}将于{_days(due_on, today)}截止（{due_on:%Y-%m-%d}），请及时报送"


def _ledger_insert(candidates, today: dt.date) -> None:
    """INSERT … SELECT the candidates into the ledger, skipping those already there (the unique
    constraint): one statement, in the database."""
    sql, params = candidates.values_list("pk", "key", "stage").query.sql_with_params()
    table = connection.ops.quote_name(Reminder._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, subject_key, stage, sent_on, created_at) "  # noqa: S608
            f"SELECT c.*, %s, %s FROM ({sql}) c WHERE true ON CONFLICT DO NOTHING",
            [
                connection.ops.adapt_datefield_value(today),
                connection.ops.adapt_datetimefield_value(timezone.now()),
                *params,
            ],
        )


def _write(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows: COPY on PostgreSQL, ``bulk_create`` elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        q = connection.ops.quote_name
        columns = ", ".join(q(model._meta.get_field(f).column) for f in fields)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {q(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        model.objects.bulk_create(
            [model(**dict(zip(fields, r, strict=True))) for r in rows], batch_size=CHUNK
        )


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def reminders_run(*, today: dt.date | None = None) -> dict:
    """Remind every user of what is due today at a stage not yet reminded; returns a summary
    {"campaign_tasks", "obligations", "notifications", "mails", "by_stage": {stage: n}}."""
    from smeplan.campaigns.models import Campaign
    from smeplan.recognition import clock
    from smeplan.recognition.models import Notification

    today = today or clock.today()
    by_email = settings.SMEPLAN_NOTIFY_BY_EMAIL
    with transaction.atomic():
        _lock()
        before = Reminder.objects.order_by("-id").values_list("id", flat=True).first() or 0
        # (user, key, stage) → (title, url, e-mail, wants mail)
        wanted: dict[tuple[int, str, str], tuple[str, str, str, bool]] = {}
        task_url, obligation_url = _task_url_pattern(), _obligation_url_pattern()
        campaign_titles: dict[int, str] = {}
        task_rows = list(task_candidates(today).values_list(*TASK_FIELDS))
        if task_rows:
            ids = {r[6] for r in task_rows}
            campaign_titles = dict(Campaign.objects.filter(pk__in=ids).values_list("pk", "title"))
        titles: dict[tuple, str] = {}
        for user_id, email, wants, key, stage, task_id, campaign_id, deadline in task_rows:
            title = titles.get((campaign_id, stage))
            if title is None:
                title = titles[(campaign_id, stage)] = task_title(
                    stage, campaign_titles.get(campaign_id, "数据填报"), deadline, today
                )
            wanted[(user_id, key, stage)] = (title, task_url.format(task_id), email, wants)
        for row in obligation_candidates(today).values_list(*OBLIGATION_FIELDS):
            user_id, email, wants, key, stage, ob_id, kind, period, due_on, firm, ct_id = row
            url = task_url.format(ct_id) if ct_id else obligation_url.format(ob_id)
            wanted[(user_id, key, stage)] = (
                obligation_title(kind, period, firm, due_on, today),
                url,
                email,
                wants,
            )
        _ledger_insert(task_candidates(today), today)
        _ledger_insert(obligation_candidates(today), today)
        new = list(
            Reminder.objects.filter(id__gt=before, sent_on=today)
            .order_by("id")
            .values_list("id", "user_id", "subject_key", "stage")
        )
        stray = []  # candidates that appeared between the read and the insert: the next run's
        summary = {"campaign_tasks": 0, "obligations": 0, "notifications": 0, "mails": 0}
        by_stage: dict[str, int] = defaultdict(int)
        now = timezone.now()
        for start in range(0, len(new), CHUNK):
            notes, mails = [], []
            for reminder_id, user_id, key, stage in new[start : start + CHUNK]:
                item = wanted.get((user_id, key, stage))
                if item is None:
                    stray.append(reminder_id)
                    continue
                title, url, email, wants = item
                notes.append((user_id, KIND, title[:300], url, now))
                if by_email and email and wants:
                    subject, body = compose(title, url)
                    mails.append((email, subject, body, now, 0, ""))
                summary["obligations" if key.startswith("obligation:") else "campaign_tasks"] += 1
                by_stage[stage] += 1
            _write(Notification, ("user_id", "kind", "title", "url", "created_at"), notes)
            _write(OutgoingMail, ("to", "subject", "body", "created_at", "attempts", "last_error"), mails)
            summary["notifications"] += len(notes)
            summary["mails"] += len(mails)
        Reminder.objects.filter(pk__in=stray).delete()
    summary["by_stage"] = dict(by_stage)
    summary["candidates"] = len(wanted)
    return summary
