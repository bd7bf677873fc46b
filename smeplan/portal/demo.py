"""The self-service part of the demo (``manage.py demo_self_service``, after ``demo_recognition``):
everything through the services, as people would do it.

- a firm of 雁塔区 not yet in the registry asks for an account (``yunqi``) and waits in the
  county's 企业注册审核 queue;
- the 雁塔区 bureau (``county_610113``) opens last year's data campaign for the firms of its county;
- ``ent_2`` fills and submits its task (waiting in 填报审核); ``ent_1``'s task is still to do, so its
  home lists it under 待办.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from smeplan.registry.credit_code import make_credit_code

DEMO_COUNTY = "610113"  # 雁塔区
REGISTRANT = "yunqi"
REGISTRANT_FIRM = "西安云启数智科技有限公司"


def load_demo_self_service(*, if_empty: bool, password: str, say=print) -> dict:
    from smeplan.accounts.models import User
    from smeplan.campaigns.models import Campaign

    if if_empty and (
        User.objects.filter(username=REGISTRANT).exists()
        or Campaign.objects.filter(auto_key__isnull=True).exists()
    ):
        return {"skipped": True}
    officer = User.objects.filter(username=f"county_{DEMO_COUNTY}").first()
    if officer is None:
        raise ValueError("尚未加载演示省份（python manage.py demo_province）")
    out = {}
    with transaction.atomic():
        out["registration"] = _registration(password)
        campaign = _campaign(officer)
        out["campaign"] = campaign.pk
        out["submitted"] = _submitted(campaign, "ent_2")
    say(
        f"企业注册：{REGISTRANT_FIRM}（用户名 {REGISTRANT}）待雁塔区审核；"
        f"数据填报“{campaign.title}”已向 {campaign.task_count} 家企业发出任务"
        + ("，ent_2 已提交待审核。" if out["submitted"] else "。")
    )
    return out


def _registration(password: str) -> int:
    from smeplan.portal.registration import registration_submit

    strong = "Demo#" + secrets.token_urlsafe(12)  # the policy's password; the demo's is set below
    registration = registration_submit(
        data={
            "credit_code": make_credit_code(DEMO_COUNTY, 88_000_001),
            "name": REGISTRANT_FIRM,
            "county": DEMO_COUNTY,
            "contact_name": "李云",
            "mobile": "13900000001",
            "email": "liyun@yunqi.example.cn",
            "username": REGISTRANT,
            "password": strong,
            "password2": strong,
        }
    )
    user = registration.user
    user.set_password(password)  # the one published demo password, like every demo account
    user.save(update_fields=["password"])
    return registration.pk


def _campaign(officer):
    from smeplan.campaigns.services import campaign_create
    from smeplan.recognition import clock

    today = clock.today()
    year = today.year - 1
    return campaign_create(
        actor=officer,
        data={
            "title": f"{year}年度雁塔区企业数据填报",
            "year": str(year),
            "targeting": "region",
            "regions": [DEMO_COUNTY],
            "content": "figures",
            "opens_on": today.isoformat(),
            "deadline": (today + dt.timedelta(days=30)).isoformat(),
            "note": "请核对上一年度数据后提交；数据经区县审核通过后计入企业年度数据。",
        },
    )


def _submitted(campaign, username: str) -> bool:
    """``username``'s firm submits last year's figures as the registry holds them (its own check)."""
    from smeplan.accounts.models import User
    from smeplan.campaigns.answers import task_submit
    from smeplan.campaigns.models import CampaignTask
    from smeplan.indicators.models import AnnualFigures

    user = User.objects.filter(username=username, organisation__isnull=False).first()
    task = (
        user and CampaignTask.objects.filter(campaign=campaign, organisation_id=user.organisation_id).first()
    )
    if task is None:
        return False
    figures = AnnualFigures.objects.filter(organisation_id=user.organisation_id, year=campaign.year).first()
    fields = (
        "operating_revenue",
        "main_business_revenue",
        "total_profit",
        "tax_paid",
        "rd_expense",
        "employees",
        "total_assets",
        "total_liabilities",
    )
    answers = {
        f: str(getattr(figures, f) if figures and getattr(figures, f) is not None else 0) for f in fields
    }
    task_submit(
        actor=user,
        task=task,
        answers=answers,
        confirm_warnings=True,
        explanation="与财务报表核对无误。",
        lock_version=task.lock_version,
    )
    return True
