"""Reminder job benchmark (issue 16 part 5): ``notifications.reminders.reminders_run`` over
100,000 due campaign tasks (goal ≤ 30 s), a second run the same day (must create nothing), and the
outbox sent to a local SMTP server (aiosmtpd) — 2,000 mails, mails per second.

On PostgreSQL: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/smeplan_bench_rem``,
created when missing), migrated first. Firms and their users are
made once, set-based (``bulk_create``; names ``提醒基准企业N``, users ``bench-rem-N`` with an address
at bench-rem.example.cn) and kept for the next run; each run makes a fresh campaign with one task
per firm, deadline tomorrow (stage 明天截止, e-mail on), and removes it afterwards with everything
the job wrote (reminders, notifications, outbox rows).

Usage: ``.venv/bin/python bench/reminders.py [--tasks N] [--mails M]``.
"""

import argparse
import os
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/smeplan_bench_rem"
)


def _database_ensure(url: str) -> None:
    """Create the bench database when it does not exist yet (its own: it keeps 100,000 bench firms)."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


_database_ensure(os.environ["DATABASE_URL"])

import django  # noqa: E402 - after the bench database exists

django.setup()

GOAL_SECONDS = 30.0
DOMAIN = "bench-rem.example.cn"
PREFIX = "bench-rem-"
CHUNK = 10_000


def _migrate():
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")


def _firms(n: int) -> list[tuple[int, int]]:
    """(organisation id, user id) of n bench firms, made if missing."""
    from smeplan.accounts.models import Role, User
    from smeplan.registry.credit_code import make_credit_code
    from smeplan.registry.models import Organisation

    have = Organisation.objects.filter(name__startswith="提醒基准企业").count()
    if have < n:
        t = time.perf_counter()
        counties = ["610113", "610112", "610302", "610402", "610502", "610602", "610702", "610802"]
        for start in range(have, n, CHUNK):
            stop = min(n, start + CHUNK)
            orgs = Organisation.objects.bulk_create(
                [
                    Organisation(
                        credit_code=make_credit_code(counties[i % 8], 70_000_000 + i),
                        name=f"提醒基准企业{i}",
                        county_id=counties[i % 8],
                        industry_id="3311",
                    )
                    for i in range(start, stop)
                ]
            )
            User.objects.bulk_create(
                [
                    User(
                        username=f"{PREFIX}{i}",
                        password="!",
                        role=Role.ENTERPRISE_USER,
                        organisation=o,
                        email=f"{PREFIX}{i}@{DOMAIN}",
                    )
                    for i, o in zip(range(start, stop), orgs, strict=True)
                ]
            )
        print(f"made {n - have:,} firms with one enterprise user each in {time.perf_counter() - t:.1f} s")
    return list(
        User.objects.filter(username__startswith=PREFIX, organisation__name__startswith="提醒基准企业")
        .order_by("organisation_id")
        .values_list("organisation_id", "pk")[:n]
    )


def _campaign(pairs, today):
    import datetime as dt

    from smeplan.campaigns.models import Campaign, CampaignTask
    from smeplan.registry.models import Organisation

    t = time.perf_counter()
    campaign = Campaign.objects.create(
        title="提醒基准：2026年度企业数据填报",
        year=today.year - 1,
        region_id="610000",
        targeting="region",
        opens_on=today - dt.timedelta(days=20),
        deadline=today + dt.timedelta(days=1),
        task_count=len(pairs),
    )
    counties = dict(Organisation.objects.filter(pk__in=[p[0] for p in pairs]).values_list("pk", "county_id"))
    CampaignTask.objects.bulk_create(
        [CampaignTask(campaign=campaign, organisation_id=o, county_id=counties[o]) for o, _ in pairs],
        batch_size=CHUNK,
    )
    print(f"campaign with {len(pairs):,} tasks made in {time.perf_counter() - t:.1f} s")
    return campaign


def _clean(campaign=None):
    from smeplan.accounts.models import User
    from smeplan.notifications.models import OutgoingMail, Reminder
    from smeplan.recognition.models import Notification

    users = User.objects.filter(username__startswith=PREFIX).values("pk")
    Reminder.objects.filter(user_id__in=users).delete()
    Notification.objects.filter(user_id__in=users, kind="reminder").delete()
    OutgoingMail.objects.filter(to__endswith=f"@{DOMAIN}").delete()
    if campaign is not None:
        campaign.delete()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _smtp_server(port, received, ready, stop):
    """A local SMTP server in its own process (in-process, it would share the sender's GIL)."""
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def _drain(mails: int):
    import multiprocessing as mp

    from django.test import override_settings

    from smeplan.notifications.mail import outbox_send
    from smeplan.notifications.models import OutgoingMail

    port = _free_port()
    ctx = mp.get_context("spawn")
    received, ready, stop = ctx.Value("i", 0), ctx.Event(), ctx.Event()
    server = ctx.Process(target=_smtp_server, args=(port, received, ready, stop), daemon=True)
    server.start()
    ready.wait(30)
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        with override_settings(MAILERS=mailers, SMEPLAN_NOTIFY_BY_EMAIL=True):
            t = time.perf_counter()
            result = outbox_send(limit=mails)
            seconds = time.perf_counter() - t
    finally:
        stop.set()
        server.join(10)
    left = OutgoingMail.objects.filter(sent_at__isnull=True, to__endswith=f"@{DOMAIN}").count()
    print(
        f"outbox → local SMTP (aiosmtpd, own process): {result['sent']:,} sent, {result['failed']} failed, "
        f"{received.value:,} received by the server in {seconds:.2f} s = {result['sent'] / seconds:,.0f} mails/s "
        f"({left:,} left in the outbox: removed with the rest)"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--mails", type=int, default=2_000)
    args = parser.parse_args()

    from django.db import connection
    from django.test import override_settings

    from smeplan.notifications.reminders import reminders_run
    from smeplan.recognition import clock

    assert connection.vendor == "postgresql", "the bench runs on PostgreSQL"
    _migrate()
    _clean()
    pairs = _firms(args.tasks)
    today = clock.today()
    campaign = _campaign(pairs, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from django.urls import reverse

    reverse("home")  # the URLconf is imported once per process (≈ 3 s), not part of the job
    try:
        with override_settings(SMEPLAN_NOTIFY_BY_EMAIL=True):
            t = time.perf_counter()
            first = reminders_run(today=today)
            seconds = time.perf_counter() - t
            verdict = "goal met" if seconds <= GOAL_SECONDS else "GOAL MISSED"
            print(
                f"reminders_run, {len(pairs):,} due tasks: {seconds:.1f} s ({verdict}, goal ≤ {GOAL_SECONDS:.0f} s) — "
                f"{first['campaign_tasks']:,} reminders, {first['notifications']:,} notifications, "
                f"{first['mails']:,} mails written; stages {first['by_stage']}"
            )
            t = time.perf_counter()
            second = reminders_run(today=today)
            seconds = time.perf_counter() - t
            assert second["notifications"] == 0 and second["mails"] == 0 and second["candidates"] == 0
            print(f"second run the same day: {seconds:.1f} s, created nothing")
        _drain(args.mails)
    finally:
        t = time.perf_counter()
        _clean(campaign)
        print(f"cleaned up the campaign and what the job wrote in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
