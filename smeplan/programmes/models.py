"""Recognition programmes and their criteria as data (认定项目、梯队与认定条件).

A :class:`Programme` (e.g. 成长梯队, 转型升级企业库) has tiers (:class:`Tier`: 行业之星 …); a tier's
criteria come in versions (:class:`CriteriaVersion`), each taking effect from a year: the version
used for screening year Y is the newest one whose ``effective_year`` ≤ Y. A version is never edited
once created — an edit is a new version — so every screening run can name the one it used.
A :class:`Criterion` is a metric (``metrics.METRICS``), an operator and a threshold or the
same-industry average, over one year or N consecutive years ending at the screening year.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smeplan.registry.models import OrganisationKind
from smeplan.targets.models import ActionPlan


class OwnerLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class SubjectKind(models.TextChoices):
    """认定对象: the registry's kinds of organisation (``registry.OrganisationKind``) and products
    (产品 — a product is applied for by the enterprise making it, see ``Programme.applicant_kind``)."""

    ENTERPRISE = OrganisationKind.ENTERPRISE.value, OrganisationKind.ENTERPRISE.label
    BASE_OPERATOR = OrganisationKind.BASE_OPERATOR.value, OrganisationKind.BASE_OPERATOR.label
    SERVICE_AGENCY = OrganisationKind.SERVICE_AGENCY.value, OrganisationKind.SERVICE_AGENCY.label
    FINANCIAL_INSTITUTION = (
        OrganisationKind.FINANCIAL_INSTITUTION.value,
        OrganisationKind.FINANCIAL_INSTITUTION.label,
    )
    PRODUCT = "product", _("产品（由生产企业申报）")


def applying_kinds(organisation_kind: str) -> list[str]:
    """The programme subject kinds an organisation of ``organisation_kind`` applies to (an
    enterprise applies for itself and for its products)."""
    if organisation_kind == OrganisationKind.ENTERPRISE:
        return [SubjectKind.ENTERPRISE, SubjectKind.PRODUCT]
    return [organisation_kind]


class AverageArea(models.TextChoices):
    """同行业平均的范围: the whole province, or the enterprise's city-level unit (本区域)."""

    PROVINCE = "province", _("全省")
    CITY = "city", _("本市（区）")


class Operator(models.TextChoices):
    GE = "ge", "≥"
    GT = "gt", ">"
    LE = "le", "≤"
    LT = "lt", "<"
    BETWEEN = "between", _("介于（含下限，不含上限）")
    IN = "in", _("属于")
    NOT_IN = "not_in", _("不属于")


class CriterionRole(models.TextChoices):
    REQUIRED = "required", _("必备条件")
    PRIORITY = "priority", _("优先条件（不影响是否符合）")
    MANUAL = "manual", _("人工核实")


class Reference(models.TextChoices):
    THRESHOLD = "threshold", _("固定阈值")
    INDUSTRY_AVERAGE = "industry_average", _("同行业平均")


#: 认定流程的设置 on Programme (seeded from the data file, edited by provincial admins)
WORKFLOW_FIELDS = (
    "notice_days",
    "ban_years",
    "validity_years",
    "review_interval_years",
    "expert_review",
    "rubric",
    "title_template",
    "annual_report_due",
    "report_reminders",
    "rename_requires_notice",
)


#: the certificate title format's placeholders as people write them → the keys the stored format uses
TITLE_PLACEHOLDERS = {"地区": "region", "梯队": "tier"}


def title_template_from_text(text: str) -> str:
    """ "{地区}{梯队}企业" (as typed) → "{region}{tier}企业" (as stored); the stored form is accepted too."""
    for shown, key in TITLE_PLACEHOLDERS.items():
        text = text.replace(f"{{{shown}}}", f"{{{key}}}")
    return text


def title_template_as_text(template: str) -> str:
    """The stored format with the placeholders people write: "{region}{tier}企业" → "{地区}{梯队}企业"."""
    for shown, key in TITLE_PLACEHOLDERS.items():
        template = template.replace(f"{{{key}}}", f"{{{shown}}}")
    return template


class Programme(models.Model):
    """认定项目 — knows nothing of any particular plan: code, name, owner level, subject kind."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    owner_level = models.CharField(_("认定层级"), max_length=10, choices=OwnerLevel.choices)
    subject_kind = models.CharField(
        _("认定对象"), max_length=24, choices=SubjectKind.choices, default=SubjectKind.ENTERPRISE
    )
    plan = models.CharField(
        _("所属行动计划"),
        max_length=20,
        choices=ActionPlan.choices,
        blank=True,
        help_text=_("规划目标按此统计"),
    )
    owner_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("市级、县级认定项目由所属市（区）管理；空：省级管理"),
    )
    average_area = models.CharField(
        _("同行业平均的范围"), max_length=10, choices=AverageArea.choices, default=AverageArea.PROVINCE
    )
    source = models.CharField(_("依据"), max_length=200, blank=True)
    basis_clause = models.CharField(_("依据条款"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    closed_at = models.DateTimeField(
        _("关闭时间"), null=True, blank=True, help_text=_("已关闭的认定项目不再受理申报和新的申报批次")
    )
    # 认定流程的设置 (recognition workflow settings, data an administrator may change)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    ban_years = models.PositiveSmallIntegerField(
        _("终止资格后不再受理的年数"), default=2, help_text=_("0 表示终止后可随时再次申报")
    )
    validity_years = models.PositiveSmallIntegerField(
        _("认定有效期（年）"), null=True, blank=True, help_text=_("空：不设固定期限，以年度测评维持")
    )
    review_interval_years = models.PositiveSmallIntegerField(_("复核周期（年）"), null=True, blank=True)
    expert_review = models.BooleanField(_("需要专家评审"), default=False)
    rubric = models.JSONField(
        _("专家评分细则"), default=list, blank=True
    )  # [{code, label, weight, bands: [{label, low, high}]}]
    title_template = models.CharField(
        _("认定称号格式"), max_length=80, default="{region}{tier}企业", help_text=_("如 {region}{tier}企业")
    )
    # 年度报告与更名 (issue 15 part 5, 6): obligations of certified enterprises
    annual_report_due = models.CharField(
        _("年度报告截止日（月-日）"),
        max_length=5,
        blank=True,
        help_text=_("如 03-31：每年此日前报送上一年度的年度报告；空：不要求年度报告"),
    )
    report_reminders = models.PositiveSmallIntegerField(
        _("逾期催报次数"), default=2, help_text=_("逾期未报送年度报告，催报这么多次后建议撤销资格")
    )
    rename_requires_notice = models.BooleanField(_("更名重新认定须公示"), default=False)

    class Meta:
        verbose_name = _("认定项目")
        verbose_name_plural = _("认定项目")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def applicant_kind(self) -> str:
        """The kind of organisation that applies: a product programme's applicants are enterprises."""
        return OrganisationKind.ENTERPRISE if self.subject_kind == SubjectKind.PRODUCT else self.subject_kind

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def title_for(self, *, region_name: str, tier_name: str) -> str:
        """The certificate title: "陕西省行业之星企业", "西安市成长之星企业" …"""
        return self.title_template.format(region=region_name, tier=tier_name)

    def annual_report_due_on(self, year: int):
        """The day the annual report on ``year - 1`` is due in ``year`` (None: no annual report);
        29 February falls on the 28th in a common year."""
        import datetime as dt

        if not self.annual_report_due:
            return None
        month, day = (int(part) for part in self.annual_report_due.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return dt.date(year, month, 28)


class Tier(models.Model):
    """梯队/库 — a level of recognition within a programme (行业之星, 示范推荐库 …)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("认定项目"), on_delete=models.CASCADE, related_name="tiers"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("梯队")
        verbose_name_plural = _("梯队")
        ordering = ["programme__position", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="tier_code_unique")]

    def __str__(self) -> str:
        return f"{self.programme.name}·{self.name}"


class CriteriaVersion(models.Model):
    """认定条件版本 — the criteria of a tier from ``effective_year`` on; immutable once created."""

    tier = models.ForeignKey(Tier, verbose_name=_("梯队"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    effective_year = models.PositiveSmallIntegerField(_("生效年度"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认定条件版本")
        verbose_name_plural = _("认定条件版本")
        ordering = ["tier", "-effective_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "number"], name="criteria_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tier} 第{self.number}版（{self.effective_year}年起）"


class Criterion(models.Model):
    """认定条件 — metric, operator, threshold or same-industry average, years."""

    version = models.ForeignKey(
        CriteriaVersion, verbose_name=_("条件版本"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    metric = models.CharField(_("指标"), max_length=60)
    operator = models.CharField(_("比较"), max_length=10, choices=Operator.choices, blank=True)
    reference = models.CharField(
        _("比较对象"), max_length=20, choices=Reference.choices, default=Reference.THRESHOLD
    )
    threshold = models.DecimalField(_("阈值"), max_digits=18, decimal_places=6, null=True, blank=True)
    threshold_high = models.DecimalField(_("上限"), max_digits=18, decimal_places=6, null=True, blank=True)
    choices = models.JSONField(_("取值"), default=list, blank=True)
    years = models.PositiveSmallIntegerField(_("连续年数"), default=1)
    role = models.CharField(
        _("性质"), max_length=10, choices=CriterionRole.choices, default=CriterionRole.REQUIRED
    )
    label = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("认定条件")
        verbose_name_plural = _("认定条件")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.label or self.metric

    @property
    def threshold_value(self) -> Decimal | None:
        return self.threshold


class IndustryAverage(models.Model):
    """同行业平均 — Σ value(t) / Σ value(t−1) − 1 (growth) or Σ numerator / Σ denominator (ratio) over
    the enterprises of an area and industry group having the figures (base > 0), with their number."""

    year = models.PositiveSmallIntegerField(_("年度"))
    metric = models.CharField(_("指标"), max_length=60)
    area = models.ForeignKey(
        "regions.Region", verbose_name=_("范围"), on_delete=models.CASCADE, related_name="+"
    )
    group_kind = models.CharField(_("行业层级"), max_length=10)  # division | section
    group_code = models.CharField(_("行业代码"), max_length=4)
    value = models.DecimalField(_("平均值"), max_digits=20, decimal_places=10, null=True)
    numerator = models.DecimalField(_("分子合计"), max_digits=24, decimal_places=2)
    denominator = models.DecimalField(_("分母合计"), max_digits=24, decimal_places=2)
    count = models.PositiveIntegerField(_("企业数"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("同行业平均")
        verbose_name_plural = _("同行业平均")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "metric", "area", "group_kind", "group_code"], name="industry_average_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "metric"], name="industry_average_year_metric")]

    def __str__(self) -> str:
        return f"{self.year} {self.metric} {self.area_id} {self.group_code}: {self.value} ({self.count})"


class Outcome(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    INCOMPLETE = "incomplete", _("数据不全")


class ScreeningRun(models.Model):
    """筛选 — one evaluation of a tier's criteria over every enterprise in the actor's scope."""

    tier = models.ForeignKey(Tier, verbose_name=_("梯队"), on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(
        CriteriaVersion, verbose_name=_("所用条件版本"), on_delete=models.PROTECT, related_name="runs"
    )
    year = models.PositiveSmallIntegerField(_("筛选年度"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("筛选范围"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执行人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("执行时间"), auto_now_add=True)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    evaluated = models.PositiveIntegerField(_("参评单位数"), default=0)
    passed = models.PositiveIntegerField(_("符合"), default=0)
    failed = models.PositiveIntegerField(_("不符合"), default=0)
    incomplete = models.PositiveIntegerField(_("数据不全"), default=0)
    breakdown = models.JSONField(
        _("分布"), default=dict, blank=True
    )  # {"city"|"county"|"section": {code: [pass, fail, incomplete]}}
    criteria = models.JSONField(
        _("所用条件"), default=list, blank=True
    )  # the version's criteria as evaluated

    class Meta:
        verbose_name = _("筛选记录")
        verbose_name_plural = _("筛选记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tier} {self.year}年筛选#{self.pk}"


class ScreeningResult(models.Model):
    """One enterprise's outcome in a run (stored for 符合 and 数据不全; 不符合 are only counted)."""

    run = models.ForeignKey(
        ScreeningRun, verbose_name=_("筛选"), on_delete=models.CASCADE, related_name="results"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    statuses = models.CharField(
        _("各条件结果"), max_length=64, blank=True
    )  # one letter per criterion: P F I M(anual)
    priority = models.BooleanField(_("有优先条件"), default=False)

    class Meta:
        verbose_name = _("筛选结果")
        verbose_name_plural = _("筛选结果")
        constraints = [
            models.UniqueConstraint(fields=["run", "organisation"], name="screening_result_unique")
        ]
        indexes = [models.Index(fields=["run", "outcome"], name="screening_result_outcome")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.organisation_id} {self.outcome}"


# --- the columnar snapshot of the screening frame (frame_store.py) ---------------------------------


class FrameChange(models.Model):
    """A write to the organisations or their yearly figures, logged by database triggers (migration
    ``0005_frame_store``) so that no write path can forget it; ``frame_store`` patches its columns
    from it.

    PostgreSQL: one row per writing statement (a 10^6-row import adds a handful): ``xid`` is the
    top-level transaction (what snapshots list), the row's own ``xmin`` the (sub)transaction id
    stamped on the rows the statement wrote, by which they are found; a DELETE statement carries
    what it removed (big-endian int8: ``deleted`` organisation ids, ``deleted_rows`` figure rows as
    organisation id · 10^4 + year, also a row moved to another organisation); ``everything``: a
    TRUNCATE. SQLite (one
    writer at a time, row triggers only): one row per changed row (``organisation_id``), ``id``
    increasing. Rows the stored state includes are deleted when it is written."""

    # no index in the model: SQLite writes a row for every changed row and an index would cost each
    # of them (PostgreSQL indexes ``xid`` in the migration)
    xid = models.BigIntegerField(null=True)
    organisation_id = models.BigIntegerField(null=True)
    everything = models.BooleanField(default=False)
    deleted = models.BinaryField(null=True)
    deleted_rows = models.BinaryField(null=True)

    class Meta:
        verbose_name = _("筛选数据变更")
        verbose_name_plural = _("筛选数据变更")

    def __str__(self) -> str:
        return f"{self.pk}"


class FrameState(models.Model):
    """The stored columnar frame (one current row; older ones are deleted when a newer is stored):
    what the data looked like at ``seen`` (PostgreSQL: the ``pg_current_snapshot()`` it was read in;
    SQLite: the last :class:`FrameChange` id it includes). ``horizon``: the log was pruned below it
    (a process holding an older copy must read this one instead)."""

    created_at = models.DateTimeField(auto_now_add=True)
    format = models.PositiveSmallIntegerField()
    seen = models.TextField()
    horizon = models.BigIntegerField()
    enterprises = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("筛选数据快照")
        verbose_name_plural = _("筛选数据快照")

    def __str__(self) -> str:
        return f"{self.pk}"


class FrameColumn(models.Model):
    """One array of a :class:`FrameState`: the organisation ids, one attribute, or one figure of one
    year (``dtype`` i4 / i8 big-endian with a NULL sentinel, or ``null``: no value at all)."""

    state = models.ForeignKey(FrameState, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=64)
    dtype = models.CharField(max_length=8)
    data = models.BinaryField()

    class Meta:
        verbose_name = _("筛选数据快照列")
        verbose_name_plural = _("筛选数据快照列")
        constraints = [models.UniqueConstraint(fields=["state", "name"], name="frame_column_unique")]

    def __str__(self) -> str:
        return self.name


# --- configured application forms and points rubrics (申报表与评分细则) ------------------------------


class FormPurpose(models.TextChoices):
    APPLICATION = "application", _("申报表")
    ANNUAL_REPORT = "annual_report", _("年度报告表")


class FormVersion(models.Model):
    """申报表版本 — the design of one programme's form (sections and fields, ``formdesign``) from
    ``effective_year`` on. Immutable once created: an edit is a new version, and an application or
    report keeps the version it was filed on."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("认定项目"), on_delete=models.PROTECT, related_name="form_versions"
    )
    purpose = models.CharField(
        _("用途"), max_length=16, choices=FormPurpose.choices, default=FormPurpose.APPLICATION
    )
    number = models.PositiveIntegerField(_("版本号"))
    effective_year = models.PositiveSmallIntegerField(_("生效年度"))
    title = models.CharField(_("表名"), max_length=120)
    design = models.JSONField(_("表单设计"), default=dict)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报表版本")
        verbose_name_plural = _("申报表版本")
        ordering = ["programme", "purpose", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "purpose", "number"], name="form_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} 第{self.number}版（{self.effective_year}年起）"


class RubricVersion(models.Model):
    """评分细则版本 — a programme's points rubric (``rubric``: groups, indicators with point bands,
    minimums, basic conditions, direct-pass conditions, exclusions) from ``effective_year`` on.
    Immutable once created: an edit is a new version; a score names the version it used."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("认定项目"), on_delete=models.PROTECT, related_name="rubric_versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    effective_year = models.PositiveSmallIntegerField(_("生效年度"))
    title = models.CharField(_("细则名称"), max_length=120)
    design = models.JSONField(_("评分细则"), default=dict)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分细则版本")
        verbose_name_plural = _("评分细则版本")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="rubric_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} 第{self.number}版（{self.effective_year}年起）"
