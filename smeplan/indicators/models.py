"""Yearly figures (年度经营数据) per organisation, in 万元 (employees in persons), with revisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# (field, Chinese label, unit) — the single list of yearly figures; forms, API, exports use it.
FIGURE_FIELDS: list[tuple[str, str, str]] = [
    ("operating_revenue", "营业收入", "万元"),
    ("main_business_revenue", "主营业务收入", "万元"),
    ("total_profit", "利润总额", "万元"),
    ("tax_paid", "实缴税金", "万元"),
    ("rd_expense", "研发费用", "万元"),
    ("employees", "从业人员", "人"),
    ("total_assets", "资产总额", "万元"),
    ("total_liabilities", "负债总额", "万元"),
    ("new_product_revenue", "新产品销售收入", "万元"),
    ("export_value", "出口交货值", "万元"),
]
FIGURE_NAMES = [f for f, _, _ in FIGURE_FIELDS]
FIGURE_LABELS = {f: label for f, label, _ in FIGURE_FIELDS}
FIGURE_UNITS = {f: unit for f, _, unit in FIGURE_FIELDS}
MONEY_FIELDS = [f for f, _, unit in FIGURE_FIELDS if unit == "万元"]


def _money(label: str):
    return models.DecimalField(f"{label}（万元）", max_digits=16, decimal_places=2, null=True, blank=True)


class FigureSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业填报")
    BUREAU = "bureau", _("主管部门录入")
    STATISTICS_IMPORT = "statistics_import", _("统计数据导入")


class AnnualFigures(models.Model):
    """年度数据 — one organisation's figures for one year. A missing figure is NULL, never 0."""

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="annual_figures",
        # No single-column index: the unique (organisation, year) constraint's index serves every
        # lookup by organisation, and a second index only costs a 10^6-row import another insert
        # per row. No database constraint either (see the FigureRevision docstring): a DEFERRABLE
        # INITIALLY DEFERRED foreign key checks each of a 10^6-row import's rows one by one at
        # COMMIT (≈ 5 s); the import checks all its organisations at once instead.
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    operating_revenue = _money("营业收入")
    main_business_revenue = _money("主营业务收入")
    total_profit = _money("利润总额")
    tax_paid = _money("实缴税金")
    rd_expense = _money("研发费用")
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    total_assets = _money("资产总额")
    total_liabilities = _money("负债总额")
    new_product_revenue = _money("新产品销售收入")
    export_value = _money("出口交货值")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    import_batch = models.ForeignKey(
        "exchange.ImportBatch",
        verbose_name=_("首次导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_figures",
        # The import that CREATED this row (NULL: entered by hand, by an application, or before
        # imports recorded it). Its first values need no FigureRevision each (a 10^6-row import
        # would write 3·10^6 of them): the batch is their history — who, when, which file — and
        # ``indicators.history`` shows them as the first entries of the row's history; the undo of
        # the batch finds the rows it created here. No database constraint (one deferred check per
        # row, see FigureRevision) and no index: only an undo looks rows up by batch (a scan), and
        # every imported row would otherwise cost one more index insertion.
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("年度数据")
        verbose_name_plural = _("年度数据")
        ordering = ["organisation_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="figures_unique_org_year"),
        ]
        indexes = [models.Index(fields=["year"], name="figures_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}"


class FigureRevision(models.Model):
    """数据修订记录 — one changed value: who, when, source, old → new. (The first values of a row an
    import created have none: the row carries its batch, see ``AnnualFigures.import_batch``.)

    The foreign keys to the organisation, the actor and the import batch have no database
    constraint (``db_constraint=False``). An import changing 10^6 rows writes ~3·10^6 revisions, and Django
    makes constraints DEFERRABLE INITIALLY DEFERRED: every revision queued one trigger event per
    foreign key, checked row by row at COMMIT (measured: ~85 s of a 1M-row import for 7·10^6
    events). Integrity is kept by the write paths instead:

    * a revision is only ever written in the transaction that writes the AnnualFigures row of the
      same (organisation, year) — the services of ``indicators`` and ``exchange`` — for an
      organisation read from the database in that transaction. ``AnnualFigures.organisation`` has
      no database constraint either (same reason: 10^6 deferred row-by-row checks at the COMMIT of
      a 10^6-row import); the import (``exchange.writing.figures_upsert``) instead locks all the
      organisations it writes for with ONE ``SELECT … FOR KEY SHARE`` (what the constraint's
      trigger did row by row: a concurrent delete waits for the import, or the import fails if an
      organisation is already gone) before writing any figure or revision;
    * ``actor`` is the authenticated user of the request/command that writes, read from the
      database in that request; nothing reads revisions by actor, so that column has no index
      either (only deleting a user scans them, through Django's ``SET_NULL``);
    * deleting an organisation or a user goes through Django (admin, services), whose collector
      applies ``on_delete`` (CASCADE / SET_NULL) to the revisions itself — it does not rely on the
      database constraint. The ``(organisation, year)`` index serves that delete and every lookup
      by organisation, so the single-column index of the foreign key is not created either.
    """

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="figure_revisions",
        # See the class docstring: no database constraint, no single-column index.
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    field = models.CharField(_("指标"), max_length=32)
    old_value = models.DecimalField(_("原值"), max_digits=16, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(_("新值"), max_digits=16, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=24, choices=FigureSource.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # see the class docstring
        db_index=False,
    )
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)
    import_batch = models.ForeignKey(
        "exchange.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        # Written only by the import services, in the transaction that holds the batch. No database
        # constraint: an import changing 10^6 rows writes millions of revisions, and a deferred FK check per row
        # on the same batch row was measured as a large part of the commit (see exchange/writing.py).
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("数据修订")
        verbose_name_plural = _("数据修订")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "year"], name="revision_org_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year} {self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        return FIGURE_LABELS.get(self.field, self.field)
