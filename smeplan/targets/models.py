"""规划目标 — the numbers each action plan sets for a plan period, and the values reported for them.

* ``PlanPeriod`` — 规划期: 十三五 (2016—2020), 十四五 (2021—2025), …
* ``Target`` — 目标: one number of one of the eight action plans (``ActionPlan``) to reach by a
  deadline, with its source as text (document and clause: ``source_document``, ``seed_section``):
  a value, a unit, a kind (cumulative count, count per year, share, amount), a scope
  (the province, or broken down per city-level unit) and the metric that measures it. A *computed*
  metric is counted from what smeplan holds (``metrics.METRICS``); a *reported* one is entered by
  the responsible bureau (``ReportedValue``), because the data belongs to another agency.
* ``TargetShare`` — 分解目标: a city-level unit's part of a target broken down per city.
* ``ReportedValue`` + ``ReportedValueRevision`` — 填报值: one value per target, region (the province,
  a city-level unit or a county) and year with its reporter, date, source note and attachment
  (``ReportedAttachment``); a county's value is confirmed by its city (``confirmed_by``); every
  change keeps the old value, note and attachment as a revision (who, when, old → new).

Seeded from ``data/targets-2016-2020.json`` (``loading.py``) by a data migration; provincial admins
add periods and targets in the page (``services``).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActionPlan(models.TextChoices):
    """The eight action plans of 陕中企规发〔2017〕69号, in the seed's order."""

    BASES = "bases", _("小微企业创业创新基地建设")
    BRAND = "brand", _("中小企业品牌提升培育")
    TRANSFORMATION = "transformation", _("千企示范万企转型")
    INTERNET = "internet", _("互联网+中小企业创业创新")
    GROWTH = "growth", _("中小企业成长梯队培育")
    FINANCING = "financing", _("中小企业融资渠道拓展")
    TALENT = "talent", _("中小企业人才兴企")
    PLATFORMS = "platforms", _("中小企业公共服务平台网络应用提升")


class TargetKind(models.TextChoices):
    CUMULATIVE = "cumulative", _("累计数")
    PER_YEAR = "per_year", _("年度数")
    SHARE = "share", _("比重")
    AMOUNT = "amount", _("金额")


class TargetScope(models.TextChoices):
    PROVINCE = "province", _("全省")
    PER_CITY = "per_city", _("分解到市")


class TargetSource(models.TextChoices):
    COMPUTED = "computed", _("系统统计")
    REPORTED = "reported", _("部门填报")


class PlanPeriod(models.Model):
    """规划期."""

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    start_year = models.PositiveSmallIntegerField(_("起始年度"))
    end_year = models.PositiveSmallIntegerField(_("终止年度"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("规划期")
        verbose_name_plural = _("规划期")
        ordering = ["start_year"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """目标 — see the module docstring."""

    period = models.ForeignKey(
        PlanPeriod, verbose_name=_("规划期"), on_delete=models.PROTECT, related_name="targets"
    )
    code = models.SlugField(_("代码"), max_length=60)
    plan = models.CharField(_("行动计划"), max_length=20, choices=ActionPlan.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    name = models.CharField(_("指标"), max_length=80)
    description = models.CharField(_("原文表述"), max_length=500)
    source_document = models.CharField(
        _("出处文件"), max_length=200, blank=True, help_text=_("如 陕中企规发〔2017〕69号")
    )
    seed_section = models.CharField(_("出处条款"), max_length=200, blank=True)
    value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20)
    kind = models.CharField(_("类型"), max_length=12, choices=TargetKind.choices)
    baseline = models.DecimalField(_("基期值"), max_digits=16, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("完成期限"))
    scope = models.CharField(
        _("范围"), max_length=10, choices=TargetScope.choices, default=TargetScope.PROVINCE
    )
    source = models.CharField(_("数据来源"), max_length=10, choices=TargetSource.choices)
    metric = models.CharField(_("统计口径"), max_length=60, blank=True)
    reporter = models.CharField(_("填报部门"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["period_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="target_unique_code_in_period")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.value.normalize():f}{self.unit}）"


class TargetShare(models.Model):
    """分解目标 — a city-level unit's part of a target."""

    target = models.ForeignKey(
        Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="shares"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("市级单位"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("分解目标")
        verbose_name_plural = _("分解目标")
        ordering = ["target_id", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "region"], name="target_share_unique_region")
        ]

    def __str__(self) -> str:
        return f"{self.target.name} · {self.region.name}分解目标"


def reported_attachment_path(instance, filename: str) -> str:
    """Stored under a random name (never the user's): targets/2026/12/<uuid>.xlsx"""
    suffix = Path(filename).suffix.lower()[:8]
    return f"targets/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ReportedAttachment(models.Model):
    """填报附件 — the document behind a reported value (PDF, PNG, JPEG or XLSX, recognised by content
    and size-limited by ``recognition.services.attachment_check``), kept private under a random name
    and never deleted, so every revision's file stays readable."""

    file = models.FileField(_("文件"), upload_to=reported_attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=80)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("校验值"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("填报附件")
        verbose_name_plural = _("填报附件")

    def __str__(self) -> str:
        return self.name


class ReportedValue(models.Model):
    """填报值 — the value of a reported target for one region (the province, a city-level unit or a
    county) and year, with its reporter, date, source note and attachment. A county's value waits
    for its city's confirmation (``confirmed_by``/``confirmed_at``; entered by the city or the
    province it is confirmed at once). Changes keep revisions."""

    target = models.ForeignKey(
        Target, verbose_name=_("目标"), on_delete=models.PROTECT, related_name="reported"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2)
    source_note = models.CharField(_("数据来源说明"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)
    attachment = models.ForeignKey(
        ReportedAttachment,
        verbose_name=_("附件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("填报值")
        verbose_name_plural = _("填报值")
        ordering = ["target_id", "region_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["target", "region", "year"], name="reported_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.target.name} · {self.region.name} {self.year}年填报值"


class ReportedValueRevision(models.Model):
    """填报修订 — one change of a reported value: old → new, who, when, why."""

    reported = models.ForeignKey(
        ReportedValue, verbose_name=_("填报值"), on_delete=models.CASCADE, related_name="revisions"
    )
    old_value = models.DecimalField(_("原值"), max_digits=16, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(_("新值"), max_digits=16, decimal_places=2)
    old_note = models.CharField(_("原来源说明"), max_length=300, blank=True)
    new_note = models.CharField(_("新来源说明"), max_length=300)
    old_attachment = models.ForeignKey(
        ReportedAttachment,
        verbose_name=_("原附件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_attachment = models.ForeignKey(
        ReportedAttachment,
        verbose_name=_("新附件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("填报修订")
        verbose_name_plural = _("填报修订")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value}"
