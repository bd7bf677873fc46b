"""Regions (行政区划) arranged as the SME bureau hierarchy (中小企业主管部门层级).

The GB/T 2260 code table puts 杨陵区 under 咸阳 and 韩城市 under 渭南; the bureau hierarchy puts
杨凌示范区 (a bureau with no code of its own, here ``YANGLING_CODE``) and 韩城市 directly under the
province as city-level units (市级单位). ``Region.parent`` is the bureau parent; ``admin_parent_code``
keeps the code table's parent for reference.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

PROVINCE_CODE = "610000"
YANGLING_CODE = "619900"  # internal code of 杨凌示范区's bureau: GB/T 2260 has none for it
HANCHENG_CODE = "610581"


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class Region(models.Model):
    """行政区划 / 主管部门辖区 — one bureau's area.

    ``level`` is the bureau level (city = 市级单位, including 杨凌示范区 and 韩城市).
    ``is_county`` marks the 107 county-level divisions where organisations are registered; 韩城市 is
    both a city-level unit and its own county.
    ``path`` is the materialised bureau path ("610000/610100/610102/") used for scoping.
    """

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    level = models.CharField(_("层级"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级主管部门辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    admin_parent_code = models.CharField(_("区划表上级代码"), max_length=6, blank=True)
    is_county = models.BooleanField(_("县级行政区"), default=False)
    path = models.CharField(_("层级路径"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city_level_unit(self) -> bool:
        return self.level == RegionLevel.CITY

    def city_level_unit_code(self) -> str | None:
        """Code of the city-level unit this region belongs to (itself if city-level)."""
        return city_level_unit_of_path(self.path)


def city_level_unit_of_path(path: str) -> str | None:
    """The city-level unit of a materialised bureau path ("610000/610100/610113/" → 610100;
    杨陵区 → 619900, 韩城市 → itself); None for the province."""
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) > 1 else None


class RegionAlias(models.Model):
    """曾用名/旧代码 — an old name or code that resolves to a current division (e.g. 凤翔县 → 凤翔区)."""

    alias = models.CharField(_("旧名称或旧代码"), max_length=40, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("现区划"), on_delete=models.CASCADE, related_name="aliases"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("区划曾用名")
        verbose_name_plural = _("区划曾用名")

    def __str__(self) -> str:
        return f"{self.alias} → {self.region.name}"
