"""The results a firm waits for — returned, approved, certified, revoked — reach its users by
e-mail too (through the outbox, after the change is committed), at a real SMTP server."""

import pytest

from smeplan.recognition import clock, obligations, services
from smeplan.recognition.models import Obligation, ObligationKind, ObligationState
from tests.recognition.make import DOCUMENT, act, applicant, bureaus, certified, submitted, to_selected


@pytest.mark.django_db
def test_four_results_mailed(smtp, monkeypatch, django_capture_on_commit_callbacks):
    officers = bureaus()
    _, user = applicant()
    user.email = "boss@firm.example.cn"
    user.save()

    def subjects_after(step):
        before = len(smtp.inbox.messages)
        with django_capture_on_commit_callbacks(execute=True):
            result = step()
        return result, smtp.inbox.subjects[before:]

    application = submitted(user)
    _, got = subjects_after(lambda: act(officers["county"], application, "return", "请补充近三年纳税证明"))
    assert len(got) == 1 and "被退回修改：请补充近三年纳税证明" in got[0]

    application = act(user, application, "resubmit")
    application, got = subjects_after(lambda: to_selected(application, officers))
    assert got and all("已通过审核" in s for s in got)  # each review step passed (approved)
    certification, got = subjects_after(lambda: certified(application, officers["province"], monkeypatch))
    assert len(got) == 1 and got[0].endswith("申报已认定")

    task = Obligation.objects.create(
        certification=certification,
        kind=ObligationKind.ANNUAL_REPORT,
        period=clock.today().year - 1,
        due_on=clock.today(),
        state=ObligationState.SUBMITTED,
    )
    _, got = subjects_after(
        lambda: obligations.obligation_review(
            actor=officers["province"], obligation=task, action="accept", note="报告完整"
        )
    )
    assert len(got) == 1 and "审核通过（报告完整）" in got[0]

    _, got = subjects_after(
        lambda: services.certification_terminate(
            actor=officers["province"],
            certification=certification,
            reason="violation",
            document_number=DOCUMENT,
            note="存在违法违规行为",
        )
    )
    assert len(got) == 1 and "资格已终止" in got[0] and DOCUMENT in got[0]
    assert set(smtp.inbox.to()) == {"boss@firm.example.cn"}
    assert all(s.startswith("【陕西省中小企业行动计划管理系统】") for s in smtp.inbox.subjects)
