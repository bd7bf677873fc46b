"""Yearly comprehensive evaluation (年度综合测评, annex 2) of the certified enterprises of a tier.

:class:`EvaluationScheme` (综合测评方案) is data: the weights of the indicators, the normalisation
method and the bottom share, per programme from an ``effective_year`` (the scheme used for year Y is
the newest with ``effective_year`` ≤ Y, like criteria versions). A run (:class:`EvaluationRun`)
keeps copies of what it used, its results (:class:`EvaluationResult`) and what it proposes
(:class:`TerminationProposal`, :class:`TierMoveProposal`) for the province to confirm.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: the indicators of the evaluation, in order: key → Chinese label (definitions: indicators.derived)
INDICATORS: dict[str, str] = {
    "revenue_growth": "营业收入增速",
    "profit_growth": "利润总额增速",
    "profit_margin": "营业收入利润率",
    "tax_ratio": "实缴税金占营业收入比重",
    "rd_ratio": "研发费用占营业收入比重",
}
DEFAULT_WEIGHTS = {k: 1 for k in INDICATORS}
#: the figures an evaluation result keeps, to recompute its indicators exactly (the what-if):
#: result column → (figure, years before the evaluation year)
RESULT_FIGURES: dict[str, tuple[str, int]] = {
    "operating_revenue": ("operating_revenue", 0),
    "operating_revenue_prev": ("operating_revenue", 1),
    "total_profit": ("total_profit", 0),
    "total_profit_prev": ("total_profit", 1),
    "tax_paid": ("tax_paid", 0),
    "rd_expense": ("rd_expense", 0),
}
DEFAULT_BOTTOM_SHARE = Decimal("0.05")


class Method(models.TextChoices):
    MINMAX = "minmax", _("极差标准化（最小-最大）")
    PERCENTILE = "percentile", _("百分位排名")


class EvaluationScheme(models.Model):
    """综合测评方案 — immutable once created; an edit is a new scheme."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("认定项目"),
        on_delete=models.CASCADE,
        related_name="evaluation_schemes",
    )
    effective_year = models.PositiveSmallIntegerField(_("生效年度"))
    weights = models.JSONField(_("指标权重"), default=dict)
    method = models.CharField(_("标准化方法"), max_length=12, choices=Method.choices, default=Method.MINMAX)
    bottom_share = models.DecimalField(
        _("末位比例"), max_digits=5, decimal_places=4, default=DEFAULT_BOTTOM_SHARE
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
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
        verbose_name = _("综合测评方案")
        verbose_name_plural = _("综合测评方案")
        ordering = ["programme", "-effective_year", "-id"]

    def __str__(self) -> str:
        return f"{self.programme.name}综合测评方案（{self.effective_year}年起）"


class EvaluationRun(models.Model):
    """综合测评 — one tier, one year, over the active certifications in the actor's scope."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("认定项目"), on_delete=models.CASCADE, related_name="+"
    )
    tier = models.ForeignKey(
        "programmes.Tier", verbose_name=_("梯队"), on_delete=models.CASCADE, related_name="evaluation_runs"
    )
    year = models.PositiveSmallIntegerField(_("测评年度"))
    scheme = models.ForeignKey(
        EvaluationScheme,
        verbose_name=_("所用方案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    weights = models.JSONField(_("所用权重"), default=dict)
    method = models.CharField(_("所用标准化方法"), max_length=12, choices=Method.choices)
    bottom_share = models.DecimalField(_("所用末位比例"), max_digits=5, decimal_places=4)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("测评范围"),
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
    evaluated = models.PositiveIntegerField(_("参评企业数"), default=0)
    with_missing = models.PositiveIntegerField(_("数据缺失企业数"), default=0)
    failing = models.PositiveIntegerField(_("不符合条件企业数"), default=0)
    bottom = models.PositiveIntegerField(_("末位企业数"), default=0)
    proposals = models.PositiveIntegerField(_("建议终止"), default=0)
    moves = models.PositiveIntegerField(_("建议调整梯队"), default=0)
    seconds = models.FloatField(_("用时（秒）"), default=0)

    class Meta:
        verbose_name = _("综合测评")
        verbose_name_plural = _("综合测评")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tier} {self.year}年综合测评#{self.pk}"


class EvaluationResult(models.Model):
    """One certified enterprise in a run: raw indicators (fractions; None = missing or undefined),
    normalised values (0–100), score, rank within the tier, flags.

    The foreign keys have no database constraint (``db_constraint=False``): the rows are written
    only by ``services.evaluation_run`` (COPY on PostgreSQL) from the run, certifications and
    organisations it has just read in the same transaction, and the deferred check of three keys
    per row cost ≈ 0.3 s at commit per 7,000 rows (bench/evaluation.py); nor single-column indexes
    (reads go by run, through the unique (run, certification) index). Deletions still cascade
    through the ORM."""

    run = models.ForeignKey(
        EvaluationRun,
        verbose_name=_("测评"),
        on_delete=models.CASCADE,
        related_name="results",
        db_constraint=False,
        db_index=False,  # the unique (run, certification) index serves it
    )
    certification = models.ForeignKey(
        "recognition.Certification",
        verbose_name=_("认定"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # the figures the indicators come from (万元; NULL = missing), kept so that the what-if recomputes
    # the indicators exactly (ties are decided on exact values, ``engine``)
    operating_revenue = models.DecimalField(
        _("营业收入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    operating_revenue_prev = models.DecimalField(
        _("上年营业收入（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    total_profit = models.DecimalField(
        _("利润总额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    total_profit_prev = models.DecimalField(
        _("上年利润总额（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    tax_paid = models.DecimalField(
        _("实缴税金（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_expense = models.DecimalField(
        _("研发费用（万元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # the indicators (fractions; NULL = missing or undefined) and their normalised values (0–100),
    # one float column each (COPY writes them without parsing JSON): ``raw`` / ``normalised`` list them
    revenue_growth = models.FloatField(_("营业收入增速"), null=True, blank=True)
    profit_growth = models.FloatField(_("利润总额增速"), null=True, blank=True)
    profit_margin = models.FloatField(_("营业收入利润率"), null=True, blank=True)
    tax_ratio = models.FloatField(_("实缴税金占营业收入比重"), null=True, blank=True)
    rd_ratio = models.FloatField(_("研发费用占营业收入比重"), null=True, blank=True)
    revenue_growth_score = models.FloatField(_("营业收入增速得分"), default=0)
    profit_growth_score = models.FloatField(_("利润总额增速得分"), default=0)
    profit_margin_score = models.FloatField(_("营业收入利润率得分"), default=0)
    tax_ratio_score = models.FloatField(_("实缴税金占营业收入比重得分"), default=0)
    rd_ratio_score = models.FloatField(_("研发费用占营业收入比重得分"), default=0)
    score = models.FloatField(_("综合得分"))
    rank = models.PositiveIntegerField(_("名次"))
    missing = models.BooleanField(_("数据缺失"), default=False)
    fails_criteria = models.BooleanField(_("不符合认定条件"), default=False)
    bottom = models.BooleanField(_("末位"), default=False)

    class Meta:
        verbose_name = _("测评结果")
        verbose_name_plural = _("测评结果")
        ordering = ["run", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "certification"], name="evaluation_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.rank} {self.organisation_id} {self.score:.2f}"

    @property
    def raw(self) -> list[float | None]:
        return [getattr(self, k) for k in INDICATORS]

    @property
    def normalised(self) -> list[float]:
        return [getattr(self, f"{k}_score") for k in INDICATORS]


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    WITHDRAWN = "withdrawn", _("已撤回")  # another proposal for the same certification was confirmed


class TerminationProposal(models.Model):
    """建议终止 — the bottom share failing the criteria, false information, failed re-checks."""

    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("测评"), on_delete=models.CASCADE, related_name="termination_proposals"
    )
    certification = models.ForeignKey(
        "recognition.Certification", verbose_name=_("认定"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("终止原因"), max_length=20)  # recognition.TerminationReason
    explanation = models.CharField(_("说明"), max_length=500)
    state = models.CharField(_("状态"), max_length=10, choices=ProposalState.choices, default="proposed")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("终止建议")
        verbose_name_plural = _("终止建议")
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "certification"], name="termination_proposal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.certification.organisation_name}的终止建议"

    @property
    def reason_label(self) -> str:
        from smeplan.recognition.models import TerminationReason

        return str(TerminationReason(self.reason).label) if self.reason in TerminationReason.values else "—"


class TierMoveProposal(models.Model):
    """建议调整梯队 — operating revenue of the evaluation year in another tier's band."""

    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("测评"), on_delete=models.CASCADE, related_name="move_proposals"
    )
    certification = models.ForeignKey(
        "recognition.Certification", verbose_name=_("认定"), on_delete=models.CASCADE, related_name="+"
    )
    to_tier = models.ForeignKey(
        "programmes.Tier", verbose_name=_("调整至"), on_delete=models.CASCADE, related_name="+"
    )
    operating_revenue = models.DecimalField(_("营业收入（万元）"), max_digits=16, decimal_places=2)
    explanation = models.CharField(_("说明"), max_length=500)
    state = models.CharField(_("状态"), max_length=10, choices=ProposalState.choices, default="proposed")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("梯队调整建议")
        verbose_name_plural = _("梯队调整建议")
        ordering = ["run", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "certification"], name="tier_move_unique")]

    def __str__(self) -> str:
        return f"{self.certification.organisation_name}的梯队调整建议（调整至{self.to_tier.name}）"
