"""企业自助服务 — an enterprise's own door into the system: registration by credit code (企业注册),
colleagues invited by the firm's administrator (邀请同事), and changes the county approves
(企业信息变更申请: 更名, 迁址, 登记注册类型, 并购/重组/转让 — the 重大变更 of 梯队 六(三)).

State machines: ``services.REGISTRATION_TRANSITIONS`` and ``services.CHANGE_TRANSITIONS``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")


class EnterpriseRegistration(models.Model):
    """企业注册申请 — a firm asks for an account. The account (``user``) is made at once but sees
    nothing until the county bureau approves; approval links it to the registry's organisation
    (found by the credit code, or created from the request) and makes it the firm's administrator."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="registration",
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("单位名称"), max_length=120)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(_("联系人"), max_length=40)
    mobile = models.CharField(_("手机号码"), max_length=20)
    email = models.EmailField(_("电子邮箱"))
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("对应单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text=_("名录中已有该代码时为该单位；新登记的单位在审核通过时建立"),
    )
    proposes_new = models.BooleanField(_("申请新登记"), default=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=RegistrationState.choices, default=RegistrationState.PENDING
    )
    reason = models.CharField(_("不通过原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业注册申请")
        verbose_name_plural = _("企业注册申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["county", "state"], name="registration_county_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(state="pending"),
                name="registration_one_pending_per_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"


class Invitation(models.Model):
    """邀请同事 — the firm's administrator invites a colleague by e-mail; the link carries a token
    of which only the SHA-256 is kept; accepting it creates an enterprise account of that firm."""

    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("电子邮箱"))
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    token_hash = models.CharField(_("邀请码摘要"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接受人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.email


class ProfileChangeKind(models.TextChoices):
    RENAME = "rename", _("更名")
    RELOCATION = "relocation", _("迁址（变更所在区县）")
    LEGAL_FORM = "legal_form", _("变更登记注册类型")
    MERGER = "merger", _("并购")
    RESTRUCTURING = "restructuring", _("重组")
    TRANSFER = "transfer", _("转让")


class ProfileChangeState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class ProfileChangeRequest(models.Model):
    """企业信息变更申请 — a change the firm cannot make itself; the county approves it, the registry
    records it (name history, county, 登记注册类型), and for a certified firm each certification in
    force is raised to its certifying bureau as a 重大变化报告 (``raised_reports``) for the re-check."""

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("受理区县"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("申请时单位所在的区县（由其审核）"),
    )
    kind = models.CharField(_("变更类型"), max_length=16, choices=ProfileChangeKind.choices)
    new_name = models.CharField(_("新名称"), max_length=120, blank=True)
    new_county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("迁入区县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_address = models.CharField(_("新地址"), max_length=200, blank=True)
    new_ownership_type = models.CharField(_("新登记注册类型"), max_length=16, blank=True)
    description = models.TextField(_("变更情况"), max_length=2000)
    effective_on = models.DateField(_("变更日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=ProfileChangeState.choices, default=ProfileChangeState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    raised_reports = models.ManyToManyField(
        "recognition.ChangeReport", verbose_name=_("报认定部门复核"), blank=True, related_name="+"
    )
    before = models.JSONField(
        _("变更前"),
        default=dict,
        blank=True,
        help_text=_(
            "审核通过时名录中的原值（名称、区县、地址、登记注册类型），供信息变更记录显示“原值 → 新值”"
        ),
    )

    class Meta:
        verbose_name = _("企业信息变更申请")
        verbose_name_plural = _("企业信息变更申请")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["county", "state"], name="profile_change_county_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.organisation}"
