"""GB/T 4754-2017 国民经济行业分类: sections (门类 A–T), divisions (大类, 2 digits), groups (中类, 3), classes (小类, 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")
    GROUP = "group", _("中类")
    CLASS = "class", _("小类")


class Industry(models.Model):
    """行业 — one code of GB/T 4754-2017 at any level.

    ``section`` and ``division`` are derived from the code on load so an organisation carrying a
    class (or a coarser code) can be grouped by division and section without string surgery.
    Where a group has a single class the table lists only the class (e.g. 6520 stands for 652 too).
    """

    code = models.CharField(_("行业代码"), max_length=4, primary_key=True)
    name = models.CharField(_("行业名称"), max_length=80)
    level = models.CharField(_("层级"), max_length=8, choices=IndustryLevel.choices)
    section = models.CharField(_("门类"), max_length=1, db_index=True)
    division = models.CharField(_("大类"), max_length=2, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
