"""Building blocks for recognition tests: the bureaus of one chain and applications moved to any
state through the real services (never by setting ``state``)."""

import datetime as dt

from smeplan.recognition import clock, services
from smeplan.recognition.models import Application, State
from tests.factories import (
    AnnualFiguresFactory,
    OrganisationFactory,
    city_officer,
    county_officer,
    enterprise_user,
    province_admin,
    tier_of,
)

YEAR = 2024
DOCUMENT = "陕中小企发〔2026〕12号"


def bureaus(county: str = "610113", city: str = "610100") -> dict:
    return {"county": county_officer(county), "city": city_officer(city), "province": province_admin()}


def applicant(county: str = "610113", **org_fields):
    """An enterprise of ``county`` with three years of figures and its enterprise user."""
    from tests.factories import region

    org = OrganisationFactory(county=region(county), **org_fields)
    for year in (YEAR - 2, YEAR - 1, YEAR):
        AnnualFiguresFactory(organisation=org, year=year)
    return org, enterprise_user(org)


ANSWERS = {"main_products": "工业阀门", "contact_person": "张三", "contact_phone": "029-88886666"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _sample(field: dict):
    """A plausible answer (as entered) of one required field of the application's form."""
    kind = field["type"]
    if kind in ("number", "money", "percent"):
        return field.get("min", "1") if field.get("min") not in (None, "0") else "1"
    if kind == "date":
        return "2015-06-01"
    if kind == "choice":
        return field["choices"][0][0]
    if kind == "multi_choice":
        return [field["choices"][0][0]]
    if kind == "yes_no":
        return "false"
    if kind == "table":
        return [{c["code"]: _sample(c) for c in field["columns"]}] * max(1, field["min_rows"])
    return f"{field['label']}（{YEAR}年填报）"


def filled(user, application: Application, *, declare: bool = True) -> Application:
    """``application`` with every required field of its form answered (annex 1: 工业阀门, 张三) and a
    PDF for every required attachment field, declared."""
    from smeplan.programmes import formdesign
    from smeplan.recognition import forms

    design = forms.design_of(application)
    answers = dict(ANSWERS)
    for field in formdesign.fields(design):
        if field["type"] == "attachment" and field["required"]:
            services.attachment_add(
                actor=user,
                application=application,
                name=f"{field['label']}.pdf",
                content=PDF,
                field=field["code"],
            )
        elif field["required"] and field["type"] != "figures" and field["code"] not in answers:
            answers[field["code"]] = _sample(field)
    application.refresh_from_db()
    return services.application_update(
        actor=user,
        application=application,
        expected_version=application.lock_version,
        form=answers,
        declare=declare,
    )


def submitted(user, *, programme: str = "growth-province", tier: str = "growth_star") -> Application:
    """A filled, declared and submitted application of ``user``'s enterprise (its form's required
    fields and attachments filled)."""
    application = services.application_start(actor=user, tier=tier_of(programme, tier), year=YEAR)
    application = filled(user, application)
    return services.application_act(
        actor=user, application=application, action="submit", expected_version=application.lock_version
    )


def act(actor, application: Application, action: str, reason: str = "") -> Application:
    application.refresh_from_db()
    return services.application_act(
        actor=actor,
        application=application,
        action=action,
        expected_version=application.lock_version,
        reason=reason,
    )


def to_selected(application: Application, officers: dict) -> Application:
    """Recommend up the chain, then select at its last step."""
    while application.state in (State.COUNTY_REVIEW, State.CITY_REVIEW, State.PROVINCE_REVIEW):
        level = application.chain[application.step][0]
        last = application.step == len(application.chain) - 1
        application = act(officers[level], application, "select" if last else "recommend")
    return application


def on_notice(application: Application, officer, *, days: int = 7):
    application.refresh_from_db()
    notice = services.notice_publish(
        actor=officer,
        items=[(application.pk, application.lock_version)],
        title="2026年省级成长梯队企业公示",
        days=days,
    )
    application.refresh_from_db()
    return application, notice


def move_time(monkeypatch, days: int) -> dt.date:
    """Move the workflow's clock ``days`` ahead of the real today; returns the new today."""
    new_today = dt.date.today() + dt.timedelta(days=days)
    monkeypatch.setattr(clock, "today", lambda: new_today)
    return new_today


def certified(application: Application, officer, monkeypatch):
    """Notice published today, time moved past its end, certified: returns the certification."""
    application, notice = on_notice(application, officer)
    move_time(monkeypatch, (notice.ends_on - dt.date.today()).days + 1)
    application.refresh_from_db()
    (certification,) = services.applications_certify(
        actor=officer, items=[(application.pk, application.lock_version)], document_number=DOCUMENT
    )
    return certification


def certified_demonstration(monkeypatch):
    """A certified 转型升级示范企业 (expert-scored); returns (certification, provincial officer)."""
    from smeplan.accounts.models import Role
    from tests.factories import UserFactory

    officers = bureaus()
    application = submitted(applicant()[1], programme="transformation-demo", tier="demonstration")
    for level in ("county", "city"):
        application = act(officers[level], application, "recommend")
    application = act(officers["province"], application, "send_to_experts")
    expert = UserFactory(role=Role.EXPERT, region=None)
    (assignment,) = services.experts_assign(
        actor=officers["province"], application=application, expert_ids=[expert.pk]
    )
    services.expert_declare(actor=expert, assignment=assignment)
    services.expert_score(
        actor=expert,
        assignment=assignment,
        scores={"transformation": 27, "innovation": 21, "performance": 20, "demonstration": 15},
    )
    application = act(officers["province"], application, "select")
    return certified(application, officers["province"], monkeypatch), officers["province"]
