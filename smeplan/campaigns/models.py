"""数据填报 — a bureau asks a set of firms for one year's figures or a form (梯队 六(二) 企业信息动态更新,
转型 四(四) 示范企业年度报告): a ``Campaign`` (填报任务批次) and one ``CampaignTask`` (填报任务) per firm.

A task's states follow the one table ``services.TASK_TRANSITIONS``; "逾期" is not a state but
derived: not submitted (待填报/已退回) after the campaign's deadline (``selectors.overdue_q``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Targeting(models.TextChoices):
    REGION = "region", _("按地区")
    PROGRAMME = "programme", _("认定项目的有效认定企业")
    SCREENING = "screening", _("筛选结果")
    LIST = "list", _("上传名单")


class Content(models.TextChoices):
    FIGURES = "figures", _("标准年度数据")
    FORM = "form", _("表单")


class CampaignState(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已结束")


class Campaign(models.Model):
    """填报任务批次 — year, the firms asked (``targeting`` + its detail), what is asked (the standard
    yearly figures or a form version of the programme form designer), when (opens → deadline)."""

    title = models.CharField(_("名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("数据年度"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("发起单位辖区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("发起填报的主管部门的辖区；任务只发给辖区内的企业"),
    )
    targeting = models.CharField(_("填报对象"), max_length=12, choices=Targeting.choices)
    targeting_detail = models.JSONField(
        _("对象说明"), default=dict, blank=True
    )  # region codes / programme code / screening run id / the uploaded list's file name and counts
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("认定项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    screening_run = models.ForeignKey(
        "programmes.ScreeningRun",
        verbose_name=_("筛选结果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.CharField(_("填报内容"), max_length=12, choices=Content.choices, default=Content.FIGURES)
    form_version = models.ForeignKey(
        "programmes.FormVersion",
        verbose_name=_("表单版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("截止日期"))
    state = models.CharField(
        _("状态"), max_length=12, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    auto_key = models.CharField(
        _("自动创建标识"), max_length=60, null=True, blank=True, unique=True
    )  # "annual_report:<programme code>:<year>" for the yearly annual report campaign
    note = models.TextField(_("填报说明"), max_length=2000, blank=True)
    task_count = models.PositiveIntegerField(_("任务数"), default=0)  # kept at creation: no COUNT(*)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据填报")
        verbose_name_plural = _("数据填报")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TaskState(models.TextChoices):
    PENDING = "pending", _("待填报")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")


class CampaignTask(models.Model):
    """填报任务 — one firm's part of a campaign. ``answers`` holds the draft and then the submitted
    values (figures keyed by the ``AnnualFigures`` field names in 万元 text, or a form's field codes);
    on acceptance the figures become the firm's yearly figures with source 企业填报."""

    # no single-column indexes of these two: (campaign, organisation) and (campaign, county, state)
    # lead with the campaign, (organisation, state) with the organisation — four fewer index
    # writes per task when a campaign writes 100,000 of them
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("填报批次"), on_delete=models.CASCADE, related_name="tasks", db_index=False
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="campaign_tasks",
        db_index=False,
    )
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区县"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("任务建立时单位所在区县（由其审核）"),
    )
    state = models.CharField(_("状态"), max_length=12, choices=TaskState.choices, default=TaskState.PENDING)
    answers = models.JSONField(_("填报内容"), default=dict, blank=True)
    warnings = models.JSONField(_("已确认的提示"), default=list, blank=True)
    explanation = models.TextField(_("情况说明"), max_length=2000, blank=True)
    saved_at = models.DateTimeField(_("暂存时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    obligation = models.OneToOneField(
        "recognition.Obligation",
        verbose_name=_("年度报告任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_task",
    )
    lock_version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("填报任务")
        verbose_name_plural = _("填报任务")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="campaign_task_one_per_firm")
        ]
        indexes = [
            models.Index(fields=["campaign", "county", "state"], name="campaign_task_progress"),
            models.Index(fields=["organisation", "state"], name="campaign_task_of_firm"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}：{self.organisation_id}"


class TaskAttachment(models.Model):
    """填报佐证材料 — checked by content and size (``recognition.services.attachment_check``), kept
    under a random name, sent only to those who may see the task."""

    task = models.ForeignKey(
        CampaignTask, verbose_name=_("填报任务"), on_delete=models.CASCADE, related_name="attachments"
    )
    field = models.CharField(_("对应项目"), max_length=60, blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(_("存储名"), max_length=80, unique=True)
    content_type = models.CharField(_("类型"), max_length=80)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("填报佐证材料")
        verbose_name_plural = _("填报佐证材料")
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return self.original_name
