"""The recognition workflow (认定工作流): applications (推荐登记表) reviewed county → city → province,
expert review (专家评审), public notice with objections (公示与异议), certification (认定), changes
(重大变化、更名), terminations and bans (终止资格、不再受理), and in-system notifications.

Generic over the programmes of :mod:`smeplan.programmes`; the growth tiers are the complete case.
An application's state changes only through ``services.application_act``, which follows the one
table ``workflow.TRANSITIONS``.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RETURNED = "returned", _("退回修改")
    COUNTY_REVIEW = "county_review", _("县级审核")
    CITY_REVIEW = "city_review", _("市级审核")
    PROVINCE_REVIEW = "province_review", _("省级初选")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    SELECTED = "selected", _("待公示")
    ON_NOTICE = "on_notice", _("公示中")
    CERTIFIED = "certified", _("已认定")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class Channel(models.TextChoices):
    APPLY = "apply", _("企业直接申报")
    NOMINATE = "nominate", _("主管部门推荐")
    PROMOTE = "promote", _("晋级")


class Call(models.Model):
    """申报批次 — a programme's call for one year: the window (opens/closes), the regions that may
    apply (city-level codes; empty: the whole province), the form and rubric versions it uses and
    the attachments it requires. Quotas per city-level unit are :class:`CallQuota` rows."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("认定项目"), on_delete=models.PROTECT, related_name="calls"
    )
    year = models.PositiveSmallIntegerField(_("申报年度"))
    title = models.CharField(_("批次名称"), max_length=200)
    opens_at = models.DateTimeField(_("开始受理"))
    closes_at = models.DateTimeField(_("截止受理"))
    regions = models.JSONField(_("可申报地区"), default=list, blank=True)  # city-level codes; [] = all
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("申报表版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    rubric_version = models.ForeignKey(
        "programmes.RubricVersion",
        verbose_name=_("评分细则版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    attachments = models.JSONField(
        _("须提交的附件"), default=list, blank=True
    )  # [{code, label, types: ["pdf", "jpg", "png"], max_mb, required}]
    notes = models.TextField(_("申报须知"), max_length=4000, blank=True)
    total_quota = models.PositiveIntegerField(_("名额总数"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("发布部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # the province, or the city-level unit that opened a city-level programme's call
    closed_at = models.DateTimeField(_("提前截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CallQuota(models.Model):
    """推荐名额 — how many of a call's applications one city-level unit may put forward."""

    call = models.ForeignKey(
        Call, verbose_name=_("申报批次"), on_delete=models.CASCADE, related_name="quotas"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("市（区）"), on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveIntegerField(_("名额"))

    class Meta:
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [models.UniqueConstraint(fields=["call", "region"], name="call_quota_unique")]

    def __str__(self) -> str:
        return f"{self.call} {self.region_id}: {self.quota}"


class Application(models.Model):
    """推荐登记表 — one organisation applying for (or nominated to) one tier in one year.

    ``chain`` is the list of review steps [[level, region code], …] derived at creation from the
    organisation's county and the programme's level (``workflow.chain_for``); ``step`` is the index
    of the step now reviewing; ``waiting_region`` is the bureau that must act next (None while the
    applicant holds it). ``lock_version`` is the optimistic lock: every action names the version it
    saw, and the second of two simultaneous actions is refused.
    """

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("认定项目"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    tier = models.ForeignKey(
        "programmes.Tier", verbose_name=_("梯队"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="applications"
    )
    year = models.PositiveSmallIntegerField(_("数据年度"))
    channel = models.CharField(_("申报方式"), max_length=10, choices=Channel.choices, default=Channel.APPLY)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    lock_version = models.PositiveIntegerField(_("版本"), default=1)
    chain = models.JSONField(_("审核链"), default=list)
    step = models.PositiveSmallIntegerField(_("当前审核环节"), default=0)
    returned_step = models.PositiveSmallIntegerField(_("退回环节"), null=True, blank=True)
    waiting_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("待办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    nominated_by_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("推荐部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    call = models.ForeignKey(
        Call,
        verbose_name=_("申报批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("申报表版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    form = models.JSONField(_("登记表内容"), default=dict, blank=True)  # answers keyed by field code
    declared_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    eligibility = models.JSONField(_("提交时的条件核验"), default=dict, blank=True)
    eligibility_outcome = models.CharField(_("条件核验结果"), max_length=20, blank=True)  # "unavailable"
    screening_run = models.ForeignKey(
        "programmes.ScreeningRun",
        verbose_name=_("来源筛选"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promoted_from = models.ForeignKey(
        "recognition.Certification",
        verbose_name=_("晋级前的认定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promotions",
    )
    notice = models.ForeignKey(
        "recognition.PublicNotice",
        verbose_name=_("公示"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    expert_score = models.DecimalField(_("专家评分"), max_digits=6, decimal_places=2, null=True, blank=True)
    decision_reason = models.CharField(_("退回/不通过原因"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("认定申报")
        verbose_name_plural = _("认定申报")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["waiting_region", "state"], name="application_queue"),
            models.Index(fields=["organisation", "programme"], name="application_org_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.tier.programme.name}{self.tier.name}（{self.year}）"

    @property
    def is_open(self) -> bool:
        return self.state not in (State.CERTIFIED, State.REJECTED, State.WITHDRAWN)

    @property
    def step_level(self) -> str | None:
        return self.chain[self.step][0] if self.chain and self.step < len(self.chain) else None


class ApplicationEvent(models.Model):
    """流转记录 — one transition: action, from → to, who, for which bureau, why."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=24)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("操作部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("意见/原因"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}: {self.from_state} → {self.to_state}"


def attachment_path(instance, filename: str) -> str:
    """Stored under a random name (never the user's): recognition/2026/11/<uuid>.pdf"""
    suffix = Path(filename).suffix.lower()[:8]
    return f"recognition/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """申报附件 — a PDF or image, type checked by content, size-limited, kept private."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("校验值"), max_length=64)
    description = models.CharField(_("说明"), max_length=100, blank=True)
    field = models.CharField(
        _("对应表单项"), max_length=40, blank=True
    )  # a form field or call attachment code
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ExpertAssignment(models.Model):
    """专家评审任务 — one expert on one application: a declaration of no conflict of interest, then
    points (0 … max) per expert indicator of the application's rubric version (``score``: their sum);
    or a declared conflict (回避), which recuses the expert. Programmes without a rubric version
    keep the older 0–100 items of ``Programme.rubric`` (``score``: their weighted mean)."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="expert_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    no_conflict_declared_at = models.DateTimeField(_("无利益冲突声明时间"), null=True, blank=True)
    #: 声明存在利益冲突 → recused: the expert does not score and is not counted
    conflict_declared_at = models.DateTimeField(_("利益冲突声明时间"), null=True, blank=True)
    conflict_note = models.CharField(_("利益冲突说明"), max_length=300, blank=True)
    scores = models.JSONField(_("各项评分"), default=dict, blank=True)
    score = models.DecimalField(_("加权得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.CharField(_("评审意见"), max_length=1000, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审任务")
        verbose_name_plural = _("专家评审任务")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="expert_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application_id}"


class PublicNotice(models.Model):
    """公示 — a list of selected applications shown publicly from ``starts_on`` for ``days`` days
    (the last day is ``ends_on``). Objections may be filed while it runs."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("认定项目"), on_delete=models.PROTECT, related_name="notices"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("公示部门"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    starts_on = models.DateField(_("公示开始"))
    days = models.PositiveSmallIntegerField(_("公示天数"))
    ends_on = models.DateField(_("公示截止（含当日）"))
    contact = models.CharField(_("异议受理联系方式"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    end_notified_at = models.DateTimeField(_("结束提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def phase(self, today) -> str:
        """not_started | running | ended"""
        if today < self.starts_on:
            return "not_started"
        return "running" if today <= self.ends_on else "ended"


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """异议 — a named objection to one listed application, resolved by the notice's bureau."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="objections"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("被异议的申报"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objections",
    )
    change_report = models.ForeignKey(
        "recognition.ChangeReport",
        verbose_name=_("被异议的更名"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objections",
    )  # exactly one of application / change_report
    name = models.CharField(_("异议人姓名"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=20)
    text = models.TextField(_("异议内容"), max_length=2000)
    filed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    client = models.CharField(_("来源"), max_length=64, blank=True)  # sha256 of the client address
    state = models.CharField(_("处理结果"), max_length=10, choices=ObjectionState.choices, default="open")
    resolution = models.CharField(_("处理意见"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.application or self.change_report}"


class CertificationState(models.TextChoices):
    ACTIVE = "active", _("有效")
    TERMINATED = "terminated", _("已终止")
    SUPERSEDED = "superseded", _("已晋级/重新认定")
    EXPIRED = "expired", _("已到期")


class TerminationReason(models.TextChoices):
    CRITERIA = "criteria", _("不再符合认定条件")
    FALSE_INFORMATION = "false_information", _("提供虚假信息")
    MAJOR_CHANGE = "major_change", _("发生重大变化后不符合条件")
    VOLUNTARY = "voluntary", _("企业主动申请退出")
    EVALUATION = "evaluation", _("年度测评末位且不符合条件")
    VIOLATION = "violation", _("违法违规")
    REVIEW_FAILED = "review_failed", _("复核不合格")
    REPORT_MISSED = "report_missed", _("未按期报送年度报告")


class Certification(models.Model):
    """认定 — the decision: document number (文号), date, level, tier, title; valid until (None:
    kept by the yearly evaluation); terminated with a reason and a document number. A promotion
    (晋级) or a rename's re-certification makes a new certification whose ``previous`` is this one,
    so one organisation's recognition history is one chain."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certification",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("认定项目"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    tier = models.ForeignKey(
        "programmes.Tier", verbose_name=_("梯队"), on_delete=models.PROTECT, related_name="certifications"
    )
    level = models.CharField(_("层级"), max_length=10)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("认定部门"), on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField(_("认定文号"), max_length=60)
    certified_on = models.DateField(_("认定日期"))
    title = models.CharField(_("称号"), max_length=80)
    organisation_name = models.CharField(_("认定时的单位名称"), max_length=200)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    next_review_on = models.DateField(_("下次复核"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("上次复核"), null=True, blank=True)
    review_note = models.CharField(_("复核意见"), max_length=500, blank=True)
    review_notified_on = models.DateField(_("复核提醒日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=CertificationState.choices, default=CertificationState.ACTIVE
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("此前的认定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    termination_reason = models.CharField(
        _("终止原因"), max_length=20, choices=TerminationReason.choices, blank=True
    )
    termination_document = models.CharField(_("终止文号"), max_length=60, blank=True)
    termination_note = models.CharField(_("终止说明"), max_length=500, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认定")
        verbose_name_plural = _("认定")
        ordering = ["-certified_on", "-id"]
        indexes = [models.Index(fields=["programme", "state"], name="certification_programme_state")]

    def __str__(self) -> str:
        return f"{self.organisation_name} · {self.title}（{self.document_number}）"


class Ban(models.Model):
    """不再受理 — after a termination the organisation may not apply to the programme before ``until``."""

    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="bans"
    )
    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("认定项目"), on_delete=models.CASCADE, related_name="bans"
    )
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("被终止的认定"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="bans",
    )
    starts_on = models.DateField(_("开始日期"))
    until = models.DateField(_("截止日期（此日起可再申报）"))
    reason = models.CharField(_("原因"), max_length=500)

    class Meta:
        verbose_name = _("不再受理")
        verbose_name_plural = _("不再受理")
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.programme} → {self.until}"


class ChangeKind(models.TextChoices):
    MERGER = "merger", _("并购")
    RESTRUCTURING = "restructuring", _("重组")
    TRANSFER = "transfer", _("转让")
    RENAME = "rename", _("更名")
    OTHER = "other", _("其他重大变化")


class ChangeState(models.TextChoices):
    REPORTED = "reported", _("待核查")
    CONFIRMED = "confirmed", _("市级已确认，待重新认定")
    ON_NOTICE = "on_notice", _("更名公示中")
    REFUSED = "refused", _("公示异议成立，不予重新认定")
    KEPT = "kept", _("核查后保留资格")
    TERMINATED = "terminated", _("核查后终止资格")
    RECERTIFIED = "recertified", _("已按新名称重新认定")


class ChangeReport(models.Model):
    """重大变化报告 — merger, restructuring, transfer or rename of a certified organisation. A change
    is re-checked against the criteria and the certification kept or terminated; a rename is
    confirmed by the city and re-certified under the new name by the certifying bureau."""

    certification = models.ForeignKey(
        Certification, verbose_name=_("认定"), on_delete=models.PROTECT, related_name="change_reports"
    )
    kind = models.CharField(_("变化类型"), max_length=16, choices=ChangeKind.choices)
    description = models.TextField(_("变化情况"), max_length=2000)
    new_name = models.CharField(_("新名称"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=ChangeState.choices, default=ChangeState.REPORTED
    )
    recheck = models.JSONField(_("重新核验"), default=dict, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=500, blank=True)
    notice = models.ForeignKey(
        "recognition.PublicNotice",
        verbose_name=_("更名公示"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_reports",
    )

    class Meta:
        verbose_name = _("重大变化报告")
        verbose_name_plural = _("重大变化报告")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.certification.organisation_name} {self.get_kind_display()}"


class Notification(models.Model):
    """站内通知 — something for one user to act on or know (also e-mailed where SMTP is set up)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=24)
    title = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class ObligationKind(models.TextChoices):
    RE_REVIEW = "re_review", _("复核")
    ANNUAL_REPORT = "annual_report", _("年度报告")


class ObligationState(models.TextChoices):
    PENDING = "pending", _("待提交")
    SUBMITTED = "submitted", _("已提交")
    PASSED = "passed", _("已通过")
    FAILED = "failed", _("未通过")
    OVERDUE = "overdue", _("逾期")
    CANCELLED = "cancelled", _("已取消（认定已结束）")


class Obligation(models.Model):
    """年度报告与复核任务 — what a certified enterprise owes its certifying bureau: a re-review
    (复核, ``period`` = the year it falls due) or the annual report on ``period`` (年度报告, due in
    the following year by the programme's ``annual_report_due``). Its state changes only along
    ``obligations.TRANSITIONS``; created, reminded and marked overdue by the daily job."""

    certification = models.ForeignKey(
        Certification, verbose_name=_("认定"), on_delete=models.CASCADE, related_name="obligations"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ObligationKind.choices)
    period = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("截止日期"))
    state = models.CharField(
        _("状态"), max_length=12, choices=ObligationState.choices, default=ObligationState.PENDING
    )
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("年度报告表版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    answers = models.JSONField(_("报告内容"), default=dict, blank=True)  # keyed by field code
    statement = models.TextField(_("情况说明"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("已提醒次数"), default=0)
    overdue_reminders = models.PositiveSmallIntegerField(_("逾期催报次数"), default=0)
    last_reminded_on = models.DateField(_("上次提醒日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度报告与复核任务")
        verbose_name_plural = _("年度报告与复核任务")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "kind", "period"], name="obligation_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="obligation_state_due")]

    def __str__(self) -> str:
        label = (
            f"{self.period}年度报告" if self.kind == ObligationKind.ANNUAL_REPORT else f"{self.period}年复核"
        )
        return f"{self.certification.organisation_name} · {self.certification.title} · {label}"

    @property
    def is_open(self) -> bool:
        return self.state in (ObligationState.PENDING, ObligationState.OVERDUE, ObligationState.SUBMITTED)


class RevocationState(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已撤销资格")
    DISMISSED = "dismissed", _("不予撤销")
    WITHDRAWN = "withdrawn", _("已撤回（认定已结束）")


class RevocationProposal(models.Model):
    """撤销建议 — proposed by the daily job (a missed annual report after the reminders), by a failed
    re-review, or by an officer (违法违规, 提供虚假信息); confirmed by the certifying bureau through
    ``certification_terminate`` (文号, ban, audit) or dismissed with a reason. Withdrawn when the
    certification ends otherwise."""

    certification = models.ForeignKey(
        Certification, verbose_name=_("认定"), on_delete=models.CASCADE, related_name="revocation_proposals"
    )
    reason = models.CharField(_("撤销原因"), max_length=20, choices=TerminationReason.choices)
    evidence = models.CharField(_("事实与依据"), max_length=1000)
    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("所涉任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revocation_proposals",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=RevocationState.choices, default=RevocationState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建议人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )  # None: the system (daily job)
    proposed_at = models.DateTimeField(_("建议时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    document_number = models.CharField(_("撤销文号"), max_length=60, blank=True)
    decision_note = models.CharField(_("处理意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("撤销建议")
        verbose_name_plural = _("撤销建议")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=models.Q(state="proposed"),
                name="revocation_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification.organisation_name}的撤销建议（{self.get_reason_display()}）"


class PlainJSONField(models.JSONField):
    """JSON kept as written (PostgreSQL ``json``, not ``jsonb``): for documents written in bulk and
    read whole — the server does not re-encode them (a COPY of 20,000 score explanations: ≈ 0.4 s
    instead of ≈ 1 s). No containment lookups."""

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):  # psycopg decodes ``json`` itself
            return value
        return super().from_db_value(value, expression, connection)


class ApplicationScore(models.Model):
    """评分结果 — an application scored against a rubric version (``programmes.rubric``): automatic
    and expert points, total, outcome and the lines the explanation is rendered from (one per
    indicator, in the version's order: [points, state, band, value]; rule results per list; the
    experts' aggregation). Recomputed by ``recognition.scoring.applications_score``; editing a rubric
    never changes a stored score (a new version is scored by a new run)."""

    application = models.OneToOneField(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="score_result"
    )
    rubric_version = models.ForeignKey(
        "programmes.RubricVersion", verbose_name=_("评分细则版本"), on_delete=models.PROTECT, related_name="+"
    )
    reference_year = models.PositiveSmallIntegerField(_("申报年度"))
    automatic_points = models.DecimalField(_("自动计分"), max_digits=7, decimal_places=2)
    expert_points = models.DecimalField(_("专家评分"), max_digits=7, decimal_places=2)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    outcome = models.CharField(_("评分结论"), max_length=20)
    lines = PlainJSONField(_("评分明细"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("评分结果")
        verbose_name_plural = _("评分结果")
        indexes = [models.Index(fields=["rubric_version", "total"], name="score_version_total")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.total}"
