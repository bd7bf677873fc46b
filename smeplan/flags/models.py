"""虚假信息疑点 — hints of implausible figures of evaluated (actively certified) enterprises.

A flag is a hint; a person decides (确认为虚假信息 / 核实无误), and the decision is recorded. One flag
per (organisation, year, kind); ``detail`` keeps the values, the years and the threshold used, and
``message`` explains the flag in one Chinese sentence.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FlagKind(models.TextChoices):
    GROWTH = "growth", _("增长超过阈值倍数")
    PROFIT_ABOVE_REVENUE = "profit_above_revenue", _("利润总额大于营业收入")
    TAX_ABOVE_REVENUE = "tax_above_revenue", _("实缴税金大于营业收入")
    RD_ABOVE_REVENUE = "rd_above_revenue", _("研发费用大于营业收入")
    IDENTICAL = "identical", _("连续年度数据完全相同")
    REVERSED_JUMP = "reversed_jump", _("大幅变化次年回落")
    APPLICATION_MISMATCH = "application_mismatch", _("与申报数据不一致")


class FlagState(models.TextChoices):
    OPEN = "open", _("待核实")
    CONFIRMED = "confirmed", _("确认为虚假信息")
    CLEARED = "cleared", _("核实无误")


class FigureFlag(models.Model):
    """虚假信息疑点 — one implausible pattern of one organisation's figures for one year."""

    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="figure_flags"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("疑点类型"), max_length=24, choices=FlagKind.choices)
    message = models.CharField(_("说明"), max_length=500)
    detail = models.JSONField(_("依据"), default=dict, blank=True)
    state = models.CharField(_("核实状态"), max_length=10, choices=FlagState.choices, default=FlagState.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    decision_note = models.CharField(_("核实意见"), max_length=500, blank=True)
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("虚假信息疑点")
        verbose_name_plural = _("虚假信息疑点")
        ordering = ["-year", "organisation_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"], name="flag_unique_org_year_kind"
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="flag_year_state")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year} {self.get_kind_display()}（{self.get_state_display()}）"
