"""Demo workflow for the demo province (``manage.py demo_recognition``, run by ``make run``).

Everything goes through the real services, as the demo users: a screening of 创业之星 by the
雁塔区 bureau; applications of 雁塔区 enterprises nominated by the county from it and moved along the
chain (some waiting at the county, the city, the province); ent_1's own submitted application and
ent_2's draft; a public notice that ran 10 days ago and its certified enterprises; a notice
running now with one objection; a 转型升级示范企业 application in expert review assigned to the
demo expert. Idempotent with ``--if-empty`` (skips when any application exists)."""

import datetime as dt

from django.db import transaction

DOCUMENT = "陕中小企发〔{year}〕{n}号（演示）"


def load_demo_recognition(*, if_empty: bool = True, say=lambda _m: None) -> dict:
    from smeplan.accounts.models import User
    from smeplan.indicators.models import AnnualFigures
    from smeplan.programmes.models import Outcome, Tier
    from smeplan.programmes.screening import screening_run
    from smeplan.recognition import clock, services
    from smeplan.recognition.models import Application

    if Application.objects.exists():
        if if_empty:
            return {"skipped": True}
        raise ValueError("已有认定申报，演示流程只能加载到没有申报的数据库")
    users = {u.username: u for u in User.objects.filter(username__in=[
        "prov_admin", "city_610100", "county_610113", "ent_1", "ent_2", "expert",
    ])}  # fmt: skip
    if len(users) < 6:
        raise ValueError("请先加载演示省份（manage.py demo_province）")
    year = AnnualFigures.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None or year > clock.today().year:
        raise ValueError("演示省份没有可用的年度数据")
    province, city, county = users["prov_admin"], users["city_610100"], users["county_610113"]
    growth = Tier.objects.select_related("programme").get(
        programme__code="growth-province", code="startup_star"
    )
    run = screening_run(actor=county, tier=growth, year=year)
    skip = {users["ent_1"].organisation_id, users["ent_2"].organisation_id}
    passing = [
        pk for pk in run.results.filter(outcome=Outcome.PASS).order_by("organisation_id")
        .values_list("organisation_id", flat=True) if pk not in skip
    ][:12]  # fmt: skip
    counts = {"screened": run.passed, "nominated": len(passing)}
    today = clock.today()
    with transaction.atomic():
        made = services.applications_nominate(
            actor=county, tier=growth, year=year, organisation_ids=passing, screening_run=run
        ) if passing else []  # fmt: skip

        def act(actor, application, action, reason=""):
            application.refresh_from_db()
            return services.application_act(
                actor=actor, application=application, action=action,
                expected_version=application.lock_version, reason=reason,
            )  # fmt: skip

        # 4 certified after a notice that ran 10 days ago; 3 on a notice running now; 2 selected;
        # 1 at the city; the rest wait at the county
        for application in made[:9]:
            act(city, act(county, application, "recommend"), "recommend")
            act(province, application, "select")
        if len(made) >= 4:
            started = today - dt.timedelta(days=10)
            with clock.pretend_today(started):
                for a in made[:4]:
                    a.refresh_from_db()
                notice = services.notice_publish(
                    actor=province, items=[(a.pk, a.lock_version) for a in made[:4]],
                    title=f"{year + 1}年第一批省级中小企业成长梯队拟认定企业名单公示（演示）", days=7,
                    contact="省中小企业促进局 029-00000000（演示）",
                )  # fmt: skip
            for a in made[:4]:
                a.refresh_from_db()
            services.applications_certify(
                actor=province, items=[(a.pk, a.lock_version) for a in made[:4]],
                document_number=DOCUMENT.format(year=today.year, n=1), certified_on=notice.ends_on + dt.timedelta(days=1),
            )  # fmt: skip
        if len(made) >= 7:
            for a in made[4:7]:
                a.refresh_from_db()
            running = services.notice_publish(
                actor=province, items=[(a.pk, a.lock_version) for a in made[4:7]],
                title=f"{year + 1}年第二批省级中小企业成长梯队拟认定企业名单公示（演示）",
            )  # fmt: skip
            services.objection_file(
                notice=running, application_id=made[4].pk, name="王五（演示）", phone="13800000000",
                text="该企业上年度实缴税金与纳税证明不一致，请核实。（演示异议）",
            )  # fmt: skip
        if len(made) >= 10:
            act(county, made[9], "recommend")
        if len(passing) >= 12:  # 转型升级示范企业: in expert review, assigned to the demo expert
            demo_tier = Tier.objects.get(programme__code="transformation-demo", code="demonstration")
            (reviewed,) = services.applications_nominate(
                actor=county, tier=demo_tier, year=year, organisation_ids=[passing[11]]
            )
            act(city, act(county, reviewed, "recommend"), "recommend")
            act(province, reviewed, "send_to_experts")
            services.experts_assign(actor=province, application=reviewed, expert_ids=[users["expert"].pk])
        own = services.application_start(actor=users["ent_1"], tier=growth, year=year)
        own = services.application_update(
            actor=users["ent_1"], application=own, expected_version=own.lock_version,
            form={"main_products": "工业控制软件及系统集成（演示）", "market_share": "省内同类产品约 8%（演示）",
                  "it_use": "ERP、MES 全覆盖（演示）"},
            declare=True,
        )  # fmt: skip
        act(users["ent_1"], own, "submit")
        services.application_start(
            actor=users["ent_2"], tier=Tier.objects.get(programme__code="growth-province", code="growth_star"), year=year
        )  # fmt: skip
        counts["applications"] = Application.objects.count()
    say(
        f"演示认定流程：筛选符合 {counts['screened']} 家，推荐 {counts['nominated']} 家，共 {counts['applications']} 份申报"
    )
    return counts
