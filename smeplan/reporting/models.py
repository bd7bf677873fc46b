"""市级年度计划 (六（一）) and 汇总表备案 (五（一）).

* ``CityAnnualPlan`` — a city-level unit's planned figures for one year: one ``CityPlanRow`` for the
  city as a whole and one per county under it (tier enterprises, new ones, total operating revenue
  and its growth). Its state follows the one table ``workflow.TRANSITIONS`` (草稿 → 已上报 → 已核准 /
  退回修改 → 已上报 …), changed only by ``services.plan_act``; every change leaves a
  ``CityPlanEvent``.
* ``Annex3Filing`` — a city's own annex-3 workbook filed with the province: who, when, the file's
  name, size and SHA-256, the values read from it and their differences from what the system holds.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上报")
    APPROVED = "approved", _("已核准")
    RETURNED = "returned", _("退回修改")


class CityAnnualPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("计划年度"))
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("市级单位"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    lock_version = models.PositiveIntegerField(_("版本"), default=1)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
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
        verbose_name = _("市级年度计划")
        verbose_name_plural = _("市级年度计划")
        ordering = ["-year", "city_id"]
        constraints = [models.UniqueConstraint(fields=["year", "city"], name="city_plan_unique_year_city")]

    def __str__(self) -> str:
        return f"{self.city.name}{self.year}年梯队企业计划"


class CityPlanRow(models.Model):
    plan = models.ForeignKey(
        CityAnnualPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="rows"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    enterprises = models.PositiveIntegerField(_("梯队企业总数（家）"), null=True, blank=True)
    new_enterprises = models.PositiveIntegerField(_("新增梯队企业（家）"), null=True, blank=True)
    revenue = models.DecimalField(
        _("合计营业收入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    revenue_growth = models.DecimalField(
        _("营业收入增速（%）"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("计划行")
        verbose_name_plural = _("计划行")
        ordering = ["plan_id", "region_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "region"], name="city_plan_row_unique_region")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.region_id}"


class CityPlanEvent(models.Model):
    plan = models.ForeignKey(
        CityAnnualPlan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=10, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("计划处理记录")
        verbose_name_plural = _("计划处理记录")
        ordering = ["plan_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_state} → {self.to_state}"


class Annex3Filing(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("市级单位"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    file_size = models.PositiveIntegerField(_("文件大小（字节）"))
    sha256 = models.CharField(_("文件校验值（SHA-256）"), max_length=64)
    values = models.JSONField(_("报送数据"), default=dict)  # {region code: {field key: value as text}}
    differences = models.JSONField(_("与系统数据的差异"), default=list)
    unmatched = models.JSONField(_("未能对应的行"), default=list)

    class Meta:
        verbose_name = _("汇总表备案")
        verbose_name_plural = _("汇总表备案")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.city.name}{self.year}年汇总表备案（{self.file_name}）"
