"""Demo workflow for the demo province (``manage.py demo_recognition``, run by ``make run``).

One story, told by the logins ``demo_logins`` prints: the enterprise users ``ent_1`` … ``ent_5``
belong to firms of 雁塔区 (``registry.demo.STORY``, figures that meet the criteria of the tier each
applies for), so the county login ``county_610113``, the city login ``city_610100`` and the
provincial officer ``prov_officer`` see every one of them on their way:

* ``ent_1`` has filled in and submitted its 省级创业之星 application; it waits for 雁塔区 to review
  it — the steps from here to the certificate are the demo (县 → 市 → 省 → 公示 → 认定);
* ``ent_2`` went the whole way: certified after a public notice that ended last week (certificate);
* ``ent_3`` is drafting a 省级成长之星 application (not submitted);
* ``ent_4`` was returned by 雁塔区 for a missing document (to correct and resubmit);
* ``ent_5`` is on the public notice running now.

Beside the story, when the configured programmes are loaded (``manage.py programmes_load``): the
province's open call (申报批次) of 创新型中小企业 for this year, with quotas for 西安、宝鸡、咸阳, and on
it ``ent_6``'s application (another firm of 雁塔区), filled and submitted and scored by the province
against the call's rubric (评分结果 shows its explained score).

Beside them, 雁塔区 screened 创业之星 and nominated enterprises that met the criteria, moved along
the chain (certified with ent_2, on notice with ent_5 — one with an objection —, selected, at the
city, at the county), and a 转型升级示范企业 nomination (an enterprise meeting that tier's criteria)
is in expert review, assigned to the demo expert. Everything goes through the real services, as
the demo users. Idempotent with ``--if-empty`` (skips when any application exists).
"""

import datetime as dt

from django.db import transaction

DOCUMENT = "陕中小企发〔{year}〕{n}号（演示）"
#: The story's actors (usernames) and the county they work in.
STORY_USERS = (
    "prov_officer",
    "city_610100",
    "county_610113",
    "expert",
    "ent_1",
    "ent_2",
    "ent_3",
    "ent_4",
    "ent_5",
)
#: What each enterprise writes on its annex-1 form (推荐登记表).
FORMS = {
    "ent_1": {
        "main_products": "园区与政务管理应用软件、数据平台定制开发（演示）",
        "market_share": "省内园区管理软件市场约 6%（演示）",
        "it_use": "研发管理、项目管理、客户管理系统全覆盖（演示）",
        "rd_note": "研发中心 1 个，软件著作权 23 项（演示）",
    },
    "ent_2": {
        "main_products": "工业机器人末端执行器、焊接工作站（演示）",
        "market_share": "西北地区同类产品约 5%（演示）",
        "it_use": "ERP、MES 全覆盖（演示）",
        "rd_note": "市级企业技术中心，发明专利 4 项（演示）",
    },
    "ent_3": {
        "main_products": "建筑材料与环境检测服务（演示）",
    },
    "ent_4": {
        "main_products": "植物提取物与微生物制剂技术推广（演示）",
        "market_share": "省内同类服务约 3%（演示）",
        "it_use": "实验室信息管理系统（演示）",
    },
    "ent_5": {
        "main_products": "工业控制电路板、传感器模组（演示）",
        "market_share": "省内同类产品约 4%（演示）",
        "it_use": "ERP、条码追溯系统（演示）",
        "rd_note": "实用新型专利 11 项（演示）",
    },
}
RETURN_REASON = "请补充上传近三年的完税证明后重新提交。（演示）"
#: The call of 创新型中小企业 (innovative-sme) and what ``ent_6`` answers on its 申报表.
CALL_PROGRAMME = "innovative-sme"
CALL_QUOTAS = {"610100": 30, "610300": 10, "610400": 10}
CALL_USER = "ent_6"
CALL_ANSWERS = {
    "contact": "李明（演示）",
    "phone": "029-88880000",
    "main_products": "工业物联网网关与边缘计算设备（演示）",
    "ip_class": "i",
    "strategic_emerging": True,
    "sci_award_3y": False,
    "honours": [],
    "rd_institution": "city",
    "equity_financing_3y": "0",
    "major_accident": False,
    "tax_violation": False,
    "abnormal_list": False,
    "restricted_products": False,
}


def _innovative_call(users: dict, *, skip: set[int]):
    """The open call of 创新型中小企业 for this year and ``ent_6``'s scored application on it; nothing
    when the configured programmes are not loaded. ``ent_6`` (a firm of 雁塔区 outside the story and
    the nominations) gets the story's password."""
    from smeplan.accounts.models import Role, User
    from smeplan.programmes.models import Programme
    from smeplan.recognition import calls, clock, services
    from smeplan.recognition.scoring import applications_score
    from smeplan.registry.models import Organisation

    programme = Programme.objects.filter(code=CALL_PROGRAMME, closed_at__isnull=True).first()
    if programme is None:
        return None
    province, ent_1 = users["prov_officer"], users["ent_1"]
    county = users["county_610113"].region_id
    user = User.objects.filter(username=CALL_USER).first()
    if user is None:
        firm = (
            Organisation.objects.filter(county_id=county, kind=ent_1.organisation.kind)
            .exclude(pk__in=skip)
            .order_by("id")
            .first()
        )
        if firm is None:
            return None
        user = User.objects.create(
            username=CALL_USER, password=ent_1.password, role=Role.ENTERPRISE_USER, organisation=firm,
            display_name=firm.name[:60],
        )  # fmt: skip
    today = clock.today()
    call = calls.call_create(
        actor=province,
        data={
            "programme": programme,
            "year": today.year,
            "title": f"{today.year}年度创新型中小企业评价（演示）",
            "opens_at": f"{today - dt.timedelta(days=14):%Y-%m-%d} 09:00",
            "closes_at": f"{today + dt.timedelta(days=45):%Y-%m-%d} 17:00",
            "regions": [],
            "notes": "请按申报表如实填报，上年度财务数据以企业名录中的年度数据为准。（演示）",
        },
        quotas=CALL_QUOTAS,
    )
    tier = programme.tiers.first()
    application = services.application_start(actor=user, tier=tier, call=call)
    application = services.application_update(
        actor=user,
        application=application,
        expected_version=application.lock_version,
        form={**application.form, **CALL_ANSWERS},
        declare=True,
    )
    services.application_act(
        actor=user, application=application, action="submit", expected_version=application.lock_version
    )
    applications_score(actor=province, call=call)
    return call


def load_demo_recognition(*, if_empty: bool = True, say=lambda _m: None) -> dict:
    from smeplan.accounts.models import User
    from smeplan.indicators.models import AnnualFigures
    from smeplan.programmes.models import Outcome, Tier
    from smeplan.programmes.screening import screening_run
    from smeplan.recognition import clock, services
    from smeplan.recognition.models import Application, Ban, Certification, CertificationState

    if Application.objects.exists():
        if if_empty:
            return {"skipped": True}
        raise ValueError("已有认定申报，演示流程只能加载到没有申报的数据库")
    users = {u.username: u for u in User.objects.filter(username__in=STORY_USERS)}
    if len(users) < len(STORY_USERS):
        raise ValueError("请先加载演示省份（manage.py demo_province）")
    year = AnnualFigures.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None or year > clock.today().year:
        raise ValueError("演示省份没有可用的年度数据")
    province, city, county = users["prov_officer"], users["city_610100"], users["county_610113"]
    startup = Tier.objects.select_related("programme").get(
        programme__code="growth-province", code="startup_star"
    )
    growth = Tier.objects.select_related("programme").get(
        programme__code="growth-province", code="growth_star"
    )
    demo_tier = Tier.objects.select_related("programme").get(
        programme__code="transformation-demo", code="demonstration"
    )
    # enterprises of the story, and any already on a list or barred, are not nominated
    skip = {users[f"ent_{n}"].organisation_id for n in range(1, 6)}
    skip |= set(
        Certification.objects.filter(state=CertificationState.ACTIVE).values_list(
            "organisation_id", flat=True
        )
    )
    skip |= set(Ban.objects.filter(until__gt=clock.today()).values_list("organisation_id", flat=True))

    def passing(run, n: int, also_skip=()) -> list[int]:
        ids = run.results.filter(outcome=Outcome.PASS).order_by("organisation_id")
        return [
            pk
            for pk in ids.values_list("organisation_id", flat=True)
            if pk not in skip and pk not in also_skip
        ][:n]

    run = screening_run(actor=county, tier=startup, year=year)
    nominees = passing(run, 9)
    demo_run = screening_run(actor=county, tier=demo_tier, year=year)
    reviewed = passing(demo_run, 1, also_skip=set(nominees))
    counts = {"screened": run.passed, "nominated": len(nominees)}
    today = clock.today()
    with transaction.atomic():

        def act(actor, application, action, reason=""):
            application.refresh_from_db()
            return services.application_act(
                actor=actor, application=application, action=action,
                expected_version=application.lock_version, reason=reason,
            )  # fmt: skip

        def apply(username, tier, *, submit=True):
            user = users[username]
            own = services.application_start(actor=user, tier=tier, year=year)
            own = services.application_update(
                actor=user,
                application=own,
                expected_version=own.lock_version,
                form=FORMS[username],
                declare=submit,
            )
            return act(user, own, "submit") if submit else own

        def up_to_the_province(application):
            act(city, act(county, application, "recommend"), "recommend")
            return act(province, application, "select")

        made = (
            services.applications_nominate(
                actor=county, tier=startup, year=year, organisation_ids=nominees, screening_run=run
            )
            if nominees
            else []
        )
        apply("ent_1", startup)  # waits at the county: the demo's story starts here
        certified = [up_to_the_province(apply("ent_2", startup))]
        returned = apply("ent_4", startup)
        act(county, returned, "return", reason=RETURN_REASON)
        noticed = [up_to_the_province(apply("ent_5", startup))]
        apply("ent_3", growth, submit=False)
        for application in made[:7]:
            up_to_the_province(application)
        certified += made[:3]
        noticed += made[3:5]
        # selected, not yet on notice: made[5:7]; at the city: made[7]; at the county: made[8]
        if len(made) >= 8:
            act(county, made[7], "recommend")

        # a notice that ran 10 days ago (7 days) and its certification
        started = today - dt.timedelta(days=10)
        with clock.pretend_today(started):
            for a in certified:
                a.refresh_from_db()
            notice = services.notice_publish(
                actor=province, items=[(a.pk, a.lock_version) for a in certified],
                title=f"{year + 1}年第一批省级中小企业成长梯队拟认定企业名单公示（演示）", days=7,
                contact="省中小企业促进局 029-00000000（演示）",
            )  # fmt: skip
        for a in certified:
            a.refresh_from_db()
        services.applications_certify(
            actor=province, items=[(a.pk, a.lock_version) for a in certified],
            document_number=DOCUMENT.format(year=today.year, n=1), certified_on=notice.ends_on + dt.timedelta(days=1),
        )  # fmt: skip

        # the notice running now, with one objection
        for a in noticed:
            a.refresh_from_db()
        running = services.notice_publish(
            actor=province, items=[(a.pk, a.lock_version) for a in noticed],
            title=f"{year + 1}年第二批省级中小企业成长梯队拟认定企业名单公示（演示）",
        )  # fmt: skip
        if len(noticed) > 1:
            services.objection_file(
                notice=running, application_id=noticed[1].pk, name="王五（演示）", phone="13800000000",
                text="该企业上年度实缴税金与纳税证明不一致，请核实。（演示异议）",
            )  # fmt: skip

        # 转型升级示范企业: an enterprise meeting the tier's criteria, in expert review
        if reviewed:
            (in_review,) = services.applications_nominate(
                actor=county, tier=demo_tier, year=year, organisation_ids=reviewed, screening_run=demo_run
            )
            act(city, act(county, in_review, "recommend"), "recommend")
            act(province, in_review, "send_to_experts")
            services.experts_assign(actor=province, application=in_review, expert_ids=[users["expert"].pk])
        call = _innovative_call(users, skip=skip | set(nominees) | set(reviewed))
        counts["call"] = call.pk if call is not None else None
        counts["applications"] = Application.objects.count()
    say(
        f"演示认定流程：筛选符合 {counts['screened']} 家，推荐 {counts['nominated']} 家，共 {counts['applications']} 份申报"
    )
    return counts
