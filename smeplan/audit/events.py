"""The one registry of audit event types (审计事件类型): what each is called in Chinese, and how the
keys of its payload read to a person.

Every ``event_type`` a service passes to ``audit_record`` has a name here
(``tests/audit/test_every_event_type_has_a_name.py`` reads every ``audit_record`` call to check it).
The pages (``audit/display.py``) show the name, never the code.

A payload key is described by ``(label, kind)``; the kind says how its value is shown:

``text``            as it is                      ``skip``        not shown (checksums, internal ids)
``amount``          万元, thousands separated      ``ratio``       a fraction as a percentage (0.05 → 5%)
``count:<unit>``    a number with its unit, or the length of a list (“3 项”)
``seconds``         a duration in 秒               ``bytes``       a file size (KB, MB)
``bool``            是 / 否                        ``date``        a date (2024-06-30)
``year``            a year (2024 年)               ``version``     a version number (第 2 版)
``ref:<app.model>``             the name of the object(s) with that primary key (one or a list)
``choice:<app.model.field>``    the label of that model field's choice
``state``           the label of the subject's ``state`` choice
``weights``         evaluation weights per indicator
``options``         an import's reading options, summarised
``title``           a certificate title format, with the placeholders people write ({地区}{梯队}企业)

Keys not listed for the event or in ``COMMON_FIELDS`` are looked up as fields of the event's
``values model`` (``VALUES_MODEL``, else the subject's model) and read through the field: its
verbose name, its choices, 万元 for the amounts.

Payload shapes read as changes (“字段：旧值 → 新值”): ``before``/``after`` and ``changes``
(``{field: [old, new]}``) over the values model's fields; the pairs in ``PAIRS``; ``values`` (set
values) over the values model's fields.
"""

#: event type → Chinese name
EVENT_NAMES: dict[str, str] = {
    # 单位与年度数据
    "organisation.created": "登记单位",
    "organisation.updated": "修改单位信息",
    "organisation.renamed": "单位更名",
    "figures.created": "新增年度数据",
    "figures.updated": "修改年度数据",
    # 数据导入
    "import.uploaded": "上传导入文件",
    "import.configured": "修改导入设置",
    "import.committed": "确认导入",
    "import.undone": "撤销导入",
    "import.discarded": "放弃导入",
    "import.template_saved": "保存列对应模板",
    "import.template_deleted": "删除列对应模板",
    # 认定项目与筛选
    "criteria.version_created": "修改认定条件（新版本）",
    "form_version.created": "设计申报表（新版本）",
    "programme.settings_updated": "修改认定流程设置",
    "programme.created": "新建认定项目",
    "programme.updated": "修改认定项目",
    "programme.closed": "关闭认定项目",
    "programme.reopened": "重新开放认定项目",
    "programme.deleted": "删除认定项目",
    "programme.tier_created": "增加梯队",
    "programme.tier_renamed": "梯队更名",
    "programme.tiers_reordered": "调整梯队顺序",
    "programme.tier_deleted": "删除梯队",
    "programme.files_loaded": "载入认定项目数据文件",
    "industry_averages.computed": "计算同行业平均",
    "screening.run": "筛选",
    # 申报与审核（application.<动作> 与 recognition.workflow.TRANSITIONS 的动作一一对应）
    "application.started": "新建申报",
    "application.updated": "修改申报",
    "application.attachment_added": "上传申报附件",
    "application.attachment_removed": "删除申报附件",
    "application.nominated": "主管部门推荐申报",
    "application.promoted": "晋级申报",
    "application.experts_assigned": "指派评审专家",
    "application.submit": "提交申报",
    "application.resubmit": "修改后重新提交申报",
    "application.withdraw": "撤回申报",
    "application.recommend": "审核通过，推荐上报",
    "application.select": "审核通过（初选/确认）",
    "application.send_to_experts": "提交专家评审",
    "application.return": "退回修改",
    "application.reject": "不予推荐",
    "application.publish": "列入公示",
    "application.uphold_objection": "异议成立，不予认定",
    "application.certify": "认定通过",
    "expert.declared": "评审专家声明无利益冲突",
    "expert.scored": "评审专家提交评分",
    "expert.conflict_declared": "评审专家声明存在利益冲突（回避）",
    "application.scored": "计算申报评分",
    "rubric_version.created": "新增评分细则版本",
    # 公示、认定与认定后管理
    "notice.published": "发布公示",
    "objection.filed": "收到异议",
    "objection.resolved": "处理异议",
    "certification.issued": "发文认定",
    "certification.terminated": "终止认定资格",
    "certification.moved": "梯队调整",
    "certification.recertified": "更名后重新认定",
    "certification.reviewed": "认定复核",
    "certification.expired": "认定到期",
    "change.reported": "报告重大变化",
    "change.decided": "重大变化复核结论",
    "change.rename_confirmed": "确认更名",
    "change.rename_published": "发布更名公示",
    # 年度报告与复核、撤销资格
    "obligation.created": "生成年度报告与复核任务",
    "obligation.overdue": "年度报告与复核任务逾期",
    "obligation.submitted": "提交年度报告或复核材料",
    "obligation.accept": "审核通过年度报告或复核",
    "obligation.return": "退回年度报告补正",
    "obligation.fail": "复核不合格",
    "revocation.proposed": "建议撤销资格",
    "revocation.confirmed": "确认撤销资格",
    "revocation.dismissed": "不予撤销资格",
    "revocation.withdrawn": "撤回撤销建议",
    # 年度综合测评与疑点
    "evaluation.scheme_created": "新建测评方案",
    "evaluation.run": "年度综合测评",
    "evaluation.proposals_confirmed": "确认终止资格建议",
    "evaluation.moves_confirmed": "确认梯队调整建议",
    "evaluation.proposal_withdrawn": "撤回终止建议",
    "evaluation.move_withdrawn": "撤回梯队调整建议",
    "flags.detected": "检查虚假信息疑点",
    "flag.decided": "核实虚假信息疑点",
    # 汇总表与市级年度计划（reporting.plan_<动作> 与 reporting.workflow.TRANSITIONS 对应）
    "reporting.plan_created": "填报市级年度计划",
    "reporting.plan_updated": "修改市级年度计划",
    "reporting.plan_submit": "上报市级年度计划",
    "reporting.plan_approve": "核准市级年度计划",
    "reporting.plan_return": "退回市级年度计划",
    "reporting.annex3_filed": "汇总表备案",
    # 申报批次
    "call.created": "发布申报批次",
    "call.updated": "修改申报批次",
    "call.quotas_set": "分配推荐名额",
    "call.closed": "申报批次提前截止",
    # 规划目标
    "target.period_created": "新建规划期",
    "target.created": "新增目标",
    "target.updated": "修改目标",
    "target.shares_set": "分解目标",
    "target.value_reported": "填报目标值",
    "target.value_confirmed": "确认县级填报值",
    "target.copied": "从其他规划期复制目标",
    "target.imported": "从表格导入目标",
    # 账号（后台管理中保存的用户与令牌记为 <模型>.created / <模型>.updated）
    "api_token.issued": "签发 API 令牌",
    "api_token.revoked": "吊销 API 令牌",
    "user.created": "新建用户账号",
    "user.updated": "修改用户账号",
    "apitoken.created": "新建 API 令牌",
    "apitoken.updated": "修改 API 令牌",
    # 演示数据
    "demo.loaded": "生成演示数据",
    # 提醒与邮件（issue 16 part 5）
    "notification.settings_updated": "修改通知设置",
    # 数据填报（发起方，issue 16 part 3）
    "campaign.created": "发起数据填报",
    "campaign.updated": "修改数据填报",
    "campaign.closed": "结束数据填报",
    "campaign.reopened": "重新开放数据填报",
    "campaign.annual_report_opened": "自动发起年度报告填报",
    "campaign.annual_report_extended": "年度报告填报追加任务",
    # --- 企业注册、本单位账号、登录保护（issue 16 第 1 部分：portal/registration.py, portal/members.py,
    # accounts/throttle.py）
    "registration.submitted": "提交企业注册申请",
    "registration.resubmit": "重新提交企业注册申请",
    "registration.approve": "企业注册审核通过",
    "registration.refuse": "企业注册审核不通过",
    "invitation.created": "邀请同事开通账号",
    "invitation.revoked": "撤回邀请",
    "invitation.accepted": "接受邀请开通账号",
    "member.deactivated": "停用本单位账号",
    "member.activated": "恢复本单位账号",
    "member.admin_granted": "设为企业管理员",
    "member.admin_withdrawn": "取消企业管理员",
    "account.updated": "修改本人账号信息",
    "auth.login_failed": "登录失败",
    "auth.locked_out": "登录失败次数过多，暂时锁定",
    "auth.password_reset_requested": "申请找回密码",
    # 企业信息变更申请（portal.changes；迁址 registry.services.organisation_relocate）
    "organisation.relocated": "单位迁址",
    "profile_change.filed": "提交企业信息变更申请",
    "profile_change.approved": "企业信息变更申请审核通过",
    "profile_change.refused": "企业信息变更申请不予通过",
    "profile_change.withdrawn": "撤回企业信息变更申请",
}


#: events written without a signed-in user that a member of the public caused (else: 系统)
PUBLIC_EVENTS: frozenset[str] = frozenset({"objection.filed"})


def event_name(event_type: str) -> str:
    """The Chinese name of an event type; an unknown type reads as 其他操作 (never its code)."""
    return EVENT_NAMES.get(event_type, "其他操作")


#: keys that mean the same in every event's payload
COMMON_FIELDS: dict[str, tuple[str, str]] = {
    "year": ("年度", "year"),
    "reason": ("理由", "text"),
    "note": ("说明", "text"),
    "document": ("文号", "text"),
    "file_name": ("文件名", "text"),
    "checksum": ("校验值", "skip"),
    "sha256": ("校验值", "skip"),
    "seconds": ("用时", "seconds"),
    "tier": ("梯队", "text"),
    "from": ("状态", "state"),
    "to": ("状态", "state"),
    "changed": ("修改的字段", "skip"),
    "password_set": ("设置了新密码", "bool"),
}

#: keys whose meaning depends on the event
EVENT_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "api_token.issued": {
        "token_id": ("令牌", "skip"),
        "prefix": ("令牌前缀", "text"),
        "name": ("用途", "text"),
    },
    "api_token.revoked": {
        "token_id": ("令牌", "skip"),
        "prefix": ("令牌前缀", "text"),
        "name": ("用途", "text"),
    },
    "application.started": {
        "tier": ("梯队", "ref:programmes.tier"),
        "call": ("申报批次", "ref:recognition.call"),
    },
    "application.updated": {"declared": ("已确认申报声明", "bool")},
    "application.attachment_added": {
        "name": ("附件", "text"),
        "size": ("大小", "bytes"),
        "field": ("申报表附件项", "text"),
    },
    "application.attachment_removed": {"name": ("附件", "text")},
    "application.nominated": {"run": ("依据的筛选", "ref:programmes.screeningrun")},
    "application.promoted": {"from": ("原认定", "ref:recognition.certification")},
    "application.experts_assigned": {"experts": ("评审专家", "ref:accounts.user")},
    "expert.scored": {"score": ("评分", "text")},
    "expert.conflict_declared": {"note": ("利益冲突说明", "text")},
    "application.scored": {
        "count": ("评分的申报", "count:件"),
        "rubric_versions": ("评分细则版本", "ref:programmes.rubricversion"),
    },
    "rubric_version.created": {
        "number": ("版本号", "text"),
        "effective_year": ("生效年度", "text"),
        "title": ("细则名称", "text"),
    },
    "notice.published": {"applications": ("公示的申报", "ref:recognition.application")},
    "objection.filed": {"objection": ("异议", "skip")},
    "objection.resolved": {"objection": ("异议", "skip"), "upheld": ("异议成立", "bool")},
    "certification.issued": {"count": ("认定企业", "count:家")},
    "certification.terminated": {
        "reason": ("终止原因", "choice:recognition.certification.termination_reason")
    },
    "certification.moved": {
        "previous": ("原认定", "ref:recognition.certification"),
        "from_tier": ("梯队", "ref:programmes.tier"),
        "to_tier": ("梯队", "ref:programmes.tier"),
    },
    "certification.recertified": {"previous": ("原认定", "ref:recognition.certification")},
    "certification.reviewed": {
        "passed": ("复核通过", "bool"),
        "next_review_on": ("下次复核日期", "date"),
    },
    "certification.expired": {"valid_until": ("有效期至", "date")},
    "change.reported": {"kind": ("变化类型", "choice:recognition.changereport.kind")},
    "change.decided": {"keep": ("保留认定资格", "bool")},
    "change.rename_confirmed": {"new_name": ("新名称", "text")},
    "change.rename_published": {"reports": ("公示的更名", "ref:recognition.changereport")},
    "obligation.created": {"count": ("任务", "count:项"), "obligations": ("任务", "skip")},
    "obligation.overdue": {"count": ("逾期任务", "count:项"), "obligations": ("任务", "skip")},
    "obligation.submitted": {
        "kind": ("类型", "choice:recognition.obligation.kind"),
        "period": ("年度", "year"),
    },
    "obligation.accept": {"note": ("审核意见", "text")},
    "obligation.return": {"note": ("审核意见", "text")},
    "obligation.fail": {"note": ("审核意见", "text")},
    "revocation.proposed": {
        "reason": ("撤销原因", "choice:recognition.revocationproposal.reason"),
        "certification": ("认定", "ref:recognition.certification"),
    },
    "revocation.confirmed": {"document": ("撤销文号", "text")},
    "revocation.dismissed": {"note": ("不予撤销的理由", "text")},
    "revocation.withdrawn": {"because": ("撤回原因", "text")},
    "programme.settings_updated": {"title_template": ("认定称号格式", "title")},
    "programme.created": {"tiers": ("梯队", "text"), "title_template": ("认定称号格式", "title")},
    "programme.updated": {"title_template": ("认定称号格式", "title")},
    "programme.closed": {"note": ("说明", "text")},
    "programme.reopened": {"closed_at": ("原关闭时间", "datetime")},
    "programme.tiers_reordered": {"order_before": ("原顺序", "text"), "order_after": ("新顺序", "text")},
    "programme.files_loaded": {
        "file": ("数据文件", "text"),
        "created": ("新建", "bool"),
        "filled": ("补充的字段", "text"),
        "tiers": ("新增梯队", "text"),
    },
    "form_version.created": {
        "programme": ("认定项目", "ref:programmes.programme"),
        "purpose": ("用途", "choice:programmes.formversion.purpose"),
        "number": ("版本", "version"),
        "effective_year": ("生效年度", "year"),
        "title": ("表名", "text"),
        "note": ("修改说明", "text"),
        "fields": ("字段", "count:项"),
    },
    "criteria.version_created": {
        "number": ("版本", "version"),
        "effective_year": ("起施行年度", "year"),
        "criteria": ("条件", "count:项"),
    },
    "screening.run": {
        "version": ("条件版本", "version"),
        "evaluated": ("参与筛选", "count:家"),
        "passed": ("符合", "count:家"),
        "failed": ("不符合", "count:家"),
        "incomplete": ("数据不全", "count:家"),
    },
    "industry_averages.computed": {
        "metrics": ("指标", "count:项"),
        "rows": ("平均值", "count:个"),
        "enterprises": ("参与企业", "count:家"),
    },
    "evaluation.scheme_created": {
        "programme": ("认定项目", "skip"),  # the scheme's own name says it
        "effective_year": ("起施行年度", "year"),
        "weights": ("指标权重", "weights"),
        "method": ("标准化方法", "choice:evaluation.evaluationscheme.method"),
        "bottom_share": ("末位比例", "ratio"),
    },
    "evaluation.run": {
        "scheme": ("测评方案", "ref:evaluation.evaluationscheme"),
        "method": ("标准化方法", "choice:evaluation.evaluationscheme.method"),
        "evaluated": ("参与测评", "count:家"),
        "proposals": ("终止资格建议", "count:条"),
        "moves": ("梯队调整建议", "count:条"),
    },
    "evaluation.proposals_confirmed": {"proposals": ("确认的建议", "count:条")},
    "evaluation.moves_confirmed": {"moves": ("确认的建议", "count:条")},
    "evaluation.proposal_withdrawn": {
        "run": ("测评", "skip"),
        "certification": ("认定", "ref:recognition.certification"),
    },
    "evaluation.move_withdrawn": {
        "run": ("测评", "skip"),
        "certification": ("认定", "ref:recognition.certification"),
    },
    "flags.detected": {
        "programme": ("认定项目", "ref:programmes.programme"),
        "enterprises": ("检查企业", "count:家"),
        "found": ("发现疑点", "count:条"),
        "created": ("新增疑点", "count:条"),
        "refreshed": ("更新疑点", "count:条"),
        "kept": ("已核实未变", "count:条"),
        "withdrawn": ("不再成立", "count:条"),
        "thresholds": ("所用阈值", "skip"),
    },
    "flag.decided": {
        "organisation": ("单位", "ref:registry.organisation"),
        "kind": ("疑点类型", "choice:flags.figureflag.kind"),
    },
    "figures.created": {"source": ("来源", "choice:indicators.figurerevision.source")},
    "figures.updated": {"source": ("来源", "choice:indicators.figurerevision.source")},
    "organisation.renamed": {
        "old_name": ("名称", "text"),
        "new_name": ("名称", "text"),
        "changed_on": ("更名日期", "date"),
    },
    "import.uploaded": {"size": ("文件大小", "bytes")},
    "import.configured": {"options": ("读取设置", "options")},
    "import.committed": {
        "rows": ("数据行", "count:行"),
        "new": ("新增数值", "count:个"),
        "updated": ("修改数值", "count:个"),
        "unchanged": ("未变数值", "count:个"),
        "new_organisations": ("新登记单位", "count:家"),
        "updated_organisations": ("更新信息的单位", "count:家"),
        "renamed_organisations": ("更名单位", "count:家"),
        "warnings": ("提醒", "count:条"),
        "warnings_confirmed": ("已确认提醒", "bool"),
        "reclassified": ("重新划型", "count:家"),
    },
    "import.undone": {
        "values_reverted": ("恢复的数值", "count:个"),
        "rows_deleted": ("删除的年度数据", "count:行"),
        "organisations_removed": ("删除的单位", "count:家"),
        "organisations_kept": ("保留的单位", "count:家"),
        "organisations_restored": ("恢复原信息的单位", "count:家"),
    },
    "import.template_saved": {
        "name": ("模板名称", "text"),
        "columns": ("列", "count:列"),
        "created": ("新建模板", "bool"),
        "batch": ("来自导入", "ref:exchange.importbatch"),
    },
    "import.template_deleted": {"name": ("模板名称", "text")},
    "reporting.plan_created": {"city": ("市", "ref:regions.region"), "rows": ("计划行", "count:行")},
    "reporting.plan_updated": {"city": ("市", "ref:regions.region"), "rows": ("计划行", "count:行")},
    "reporting.annex3_filed": {
        "rows": ("数据行", "count:行"),
        "differences": ("与系统数据不一致", "count:处"),
    },
    "target.period_created": {"code": ("规划期代码", "text")},
    "target.created": {"code": ("目标代码", "skip")},
    "target.value_reported": {
        "target": ("目标", "skip"),  # the reported value's own name says it
        "region": ("地区", "ref:regions.region"),
        "old": ("填报值", "text"),
        "new": ("填报值", "text"),
        "attachment": ("附件", "text"),
        "confirmed": ("已确认", "bool"),
    },
    "target.value_confirmed": {
        "target": ("目标", "skip"),
        "region": ("地区", "ref:regions.region"),
        "value": ("确认值", "text"),
    },
    "call.created": {"quotas": ("推荐名额", "text")},
    "call.updated": {"quotas": ("推荐名额", "text")},
    "target.copied": {"from": ("来源规划期", "text"), "codes": ("复制的目标", "count:项")},
    "target.imported": {
        "file": ("文件名", "text"),
        "created": ("新增目标", "count:项"),
        "updated": ("更新目标", "count:项"),
    },
    "demo.loaded": {
        "enterprises": ("企业数", "count:家"),
        "first_year": ("起始年度", "year"),
        "last_year": ("结束年度", "year"),
        "seed": ("随机种子", "skip"),
        "organisations": ("生成单位", "count:家"),
        "figures": ("生成年度数据", "count:行"),
        "name_changes": ("更名记录", "count:条"),
        "users": ("演示账号", "count:个"),
    },
    # 数据填报（发起方，issue 16 part 3）
    "campaign.created": {
        "targeting": ("填报对象", "choice:campaigns.campaign.targeting"),
        "content": ("填报内容", "choice:campaigns.campaign.content"),
        "deadline": ("截止日期", "date"),
        "task_count": ("填报任务", "count:项"),
    },
    "campaign.reopened": {"deadline": ("新的截止日期", "date")},
    "campaign.annual_report_opened": {
        "programme": ("认定项目", "ref:programmes.programme"),
        "added": ("新增任务", "count:项"),
        "task_count": ("填报任务", "count:项"),
    },
    "campaign.annual_report_extended": {
        "programme": ("认定项目", "ref:programmes.programme"),
        "added": ("新增任务", "count:项"),
        "task_count": ("填报任务", "count:项"),
    },
    # --- 企业注册、本单位账号、登录保护（issue 16 第 1 部分）
    "registration.submitted": {
        "credit_code": ("统一社会信用代码", "text"),
        "county": ("所在区县", "ref:regions.region"),
        "organisation": ("名录中的单位", "ref:registry.organisation"),
        "proposes_new": ("申请新登记", "bool"),
        "username": ("用户名", "text"),
    },
    "registration.resubmit": {
        "credit_code": ("统一社会信用代码", "text"),
        "county": ("所在区县", "ref:regions.region"),
        "organisation": ("名录中的单位", "ref:registry.organisation"),
        "proposes_new": ("申请新登记", "bool"),
    },
    "registration.approve": {
        "organisation": ("单位", "ref:registry.organisation"),
        "organisation_created": ("新登记单位", "bool"),
    },
    "registration.refuse": {"reason": ("不通过原因", "text")},
    "invitation.created": {"email": ("电子邮箱", "text"), "expires_at": ("有效期至", "date")},
    "invitation.revoked": {"email": ("电子邮箱", "text")},
    "invitation.accepted": {"email": ("电子邮箱", "text"), "username": ("用户名", "text")},
    "member.deactivated": {"username": ("用户名", "text")},
    "member.activated": {"username": ("用户名", "text")},
    "member.admin_granted": {"username": ("用户名", "text")},
    "member.admin_withdrawn": {"username": ("用户名", "text")},
    "account.updated": {"fields": ("修改的项目", "text")},
    "auth.login_failed": {
        "username": ("输入的用户名", "text"),
        "client": ("来源地址", "text"),
        "attempts": ("15 分钟内失败次数", "count:次"),
        "locked_until": ("锁定至", "text"),
    },
    "auth.locked_out": {
        "username": ("输入的用户名", "text"),
        "client": ("来源地址", "text"),
        "attempts": ("15 分钟内失败次数", "count:次"),
        "locked_until": ("锁定至", "text"),
    },
    "auth.password_reset_requested": {
        "email": ("电子邮箱", "text"),
        "client": ("来源地址", "text"),
        "known": ("有对应账号", "bool"),
        "locked_until": ("请求过多，锁定至", "text"),
    },
    # 企业信息变更申请
    "profile_change.filed": {
        "kind": ("变更类型", "choice:portal.profilechangerequest.kind"),
        "change_request": ("申请", "skip"),
    },
    "profile_change.approved": {
        "kind": ("变更类型", "choice:portal.profilechangerequest.kind"),
        "change_request": ("申请", "skip"),
        "note": ("审核意见", "text"),
        "reports": ("报认定部门复核", "ref:recognition.changereport"),
    },
    "profile_change.refused": {
        "kind": ("变更类型", "choice:portal.profilechangerequest.kind"),
        "change_request": ("申请", "skip"),
        "note": ("不予通过的理由", "text"),
    },
    "profile_change.withdrawn": {
        "kind": ("变更类型", "choice:portal.profilechangerequest.kind"),
        "change_request": ("申请", "skip"),
    },
}

#: payload keys whose values are the other fields' model: the figures events' values are figures
VALUES_MODEL: dict[str, str] = {
    "figures.created": "indicators.annualfigures",
    "figures.updated": "indicators.annualfigures",
}

#: (old key, new key) pairs shown as one change “字段：旧值 → 新值”
PAIRS: tuple[tuple[str, str], ...] = (
    ("from", "to"),
    ("old", "new"),
    ("old_name", "new_name"),
    ("from_tier", "to_tier"),
)

#: payloads keyed by region code (a target's share per city-level unit)
REGION_KEYED: frozenset[str] = frozenset({"target.shares_set", "call.quotas_set"})


def field_spec(event_type: str, key: str) -> tuple[str, str] | None:
    """(label, kind) of a payload key of this event, or None when the key is a model field."""
    own = EVENT_FIELDS.get(event_type, {})
    if key in own:
        return own[key]
    return COMMON_FIELDS.get(key)


# --- 数据填报任务 (issue 16 part 4: ``campaigns/answers.py``) -----------------------------------------
EVENT_NAMES.update(
    {
        "campaign_task.saved": "暂存数据填报",
        "campaign_task.submitted": "提交数据填报",
        "campaign_task.accepted": "数据填报审核通过",
        "campaign_task.returned": "退回数据填报",
        "campaign_task.attachment_added": "上传填报佐证材料",
        "campaign_task.attachment_removed": "删除填报佐证材料",
        "campaign.answers_pushed": "报送企业填报内容（平台接口）",
    }
)
EVENT_FIELDS.update(
    {
        "campaign_task.saved": {"campaign": ("填报批次", "ref:campaigns.campaign")},
        "campaign_task.submitted": {
            "campaign": ("填报批次", "ref:campaigns.campaign"),
            "warnings_confirmed": ("已确认的提示", "text"),
            "late": ("逾期提交", "bool"),
        },
        "campaign_task.accepted": {
            "campaign": ("填报批次", "ref:campaigns.campaign"),
            "years_written": ("写入年度数据", "count:年"),
            "comment": ("审核意见", "text"),
        },
        "campaign_task.returned": {
            "campaign": ("填报批次", "ref:campaigns.campaign"),
            "comment": ("审核意见", "text"),
        },
        "campaign_task.attachment_added": {"name": ("佐证材料", "text"), "size": ("大小", "bytes")},
        "campaign_task.attachment_removed": {"name": ("佐证材料", "text")},
        "campaign.answers_pushed": {"count": ("报送企业", "count:家"), "submitted": ("其中提交", "count:家")},
    }
)
