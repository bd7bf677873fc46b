"""Registry (企业名录): organisations keyed by 统一社会信用代码, with name history."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    BASE_OPERATOR = "base_operator", _("基地运营机构")
    SERVICE_AGENCY = "service_agency", _("服务机构")
    FINANCIAL_INSTITUTION = "financial_institution", _("金融机构")
    OTHER = "other", _("其他")


class OwnershipType(models.TextChoices):
    """登记注册类型 (simplified)."""

    STATE_OWNED = "state_owned", _("国有")
    COLLECTIVE = "collective", _("集体")
    PRIVATE = "private", _("民营")
    JOINT_STOCK = "joint_stock", _("股份制")
    FOREIGN = "foreign", _("外商投资")
    HK_MACAO_TAIWAN = "hmt", _("港澳台投资")
    OTHER = "other", _("其他")


class ConstructionQualification(models.TextChoices):
    """建筑业资质 — needed by 四上 for section E firms."""

    GENERAL = "general", _("施工总承包资质")
    SPECIALISED = "specialised", _("专业承包资质")
    NONE = "none", _("无资质")


class SizeClass(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Organisation(models.Model):
    """单位 / 企业 — keyed by the unified social credit code (统一社会信用代码, GB 32100).

    ``size_class`` and ``above_scale`` are a cache of the pure classification functions applied to
    the latest year's figures (``classified_year``); they are recomputed by the figures services and
    exist so that list filters need no per-row computation. ``former_names`` concatenates the name
    history so a search by a former name is one indexed predicate.
    """

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=120, db_index=True)
    former_names = models.TextField(_("曾用名"), blank=True, default="")
    kind = models.CharField(
        _("单位类型"), max_length=24, choices=OrganisationKind.choices, default=OrganisationKind.ENTERPRISE
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="organisations"
    )
    industry = models.ForeignKey(
        "industries.Industry",
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    ownership_type = models.CharField(
        _("登记注册类型"), max_length=16, choices=OwnershipType.choices, blank=True
    )
    construction_qualification = models.CharField(
        _("建筑业资质"), max_length=16, choices=ConstructionQualification.choices, blank=True
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    size_class = models.CharField(_("企业规模"), max_length=8, choices=SizeClass.choices, blank=True)
    above_scale = models.BooleanField(_("四上企业"), null=True, blank=True)
    classified_year = models.PositiveSmallIntegerField(_("划型依据年度"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name", "id"]
        # No index may cover size_class, above_scale or classified_year: an import rewrites them
        # for every organisation it touches, and only with none of them indexed (and fillfactor 50,
        # set by migration 0003 on PostgreSQL) is that a HOT update, which writes no index entry.
        indexes = [
            models.Index(fields=["county", "name"], name="org_county_name"),
            models.Index(fields=["industry", "name"], name="org_industry_name"),
            models.Index(fields=["founded_on", "id"], name="org_founded"),
            models.Index(fields=["registered_capital", "id"], name="org_capital"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationNameChange(models.Model):
    """更名记录 — old name, new name, date."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="name_changes"
    )
    old_name = models.CharField(_("原名称"), max_length=120)
    new_name = models.CharField(_("新名称"), max_length=120)
    changed_on = models.DateField(_("更名日期"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("更名记录")
        verbose_name_plural = _("更名记录")
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"


class OrganisationNameGram(models.Model):
    """检索表 (PostgreSQL only): one row per organisation and two-character piece of its name or a
    former name (plus the name's last character alone), with the current name, in pinyin order.

    Written by the database itself — triggers on ``registry_organisation`` (migration
    ``registry.0005_name_search_table``) — so every write path (services, imports, ``COPY``) keeps
    it in step; never written by Django (``managed = False``; SQLite has no such table and searches
    the names directly). Its index ``(gram, name, organisation_id) INCLUDE (county_id, former)``
    lists the organisations holding a fragment already in the list's order, so a search reads only
    the rows of the page it shows (:mod:`smeplan.registry.search`).
    """

    pk = models.CompositePrimaryKey("gram", "organisation")
    gram = models.TextField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="name_grams"
    )
    name = models.TextField()  # the organisation's current name, COLLATE "zh-x-icu"
    county = models.ForeignKey(
        "regions.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    former = models.BooleanField()  # the piece occurs in a former name

    class Meta:
        managed = False
        db_table = "registry_organisation_namegram"

    def __str__(self) -> str:
        return f"{self.gram} → {self.name}"
