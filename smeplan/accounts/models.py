"""Users (用户), their role (角色) and where they belong: a bureau's region or an organisation."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCIAL_ADMIN = "provincial_admin", _("省级管理员")
    PROVINCIAL_OFFICER = "provincial_officer", _("省级工作人员")
    CITY_OFFICER = "city_officer", _("市级工作人员")
    COUNTY_OFFICER = "county_officer", _("县级工作人员")
    EXPERT = "expert", _("评审专家")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    AGENCY_USER = "agency_user", _("服务机构用户")
    VIEWER = "viewer", _("只读用户")


BUREAU_ROLES = {Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
ORGANISATION_ROLES = {Role.ENTERPRISE_USER, Role.AGENCY_USER}
REGION_ROLES = BUREAU_ROLES | {Role.VIEWER}


class User(AbstractUser):
    """用户. A bureau user (and a read-only viewer) belongs to a region; an enterprise or agency user
    to an organisation; an expert to neither (experts see only what is assigned to them)."""

    role = models.CharField(_("角色"), max_length=24, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属主管部门辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField(_("姓名/称呼"), max_length=60, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    is_organisation_admin = models.BooleanField(
        _("企业管理员"),
        default=False,
        help_text=_("可邀请本单位的同事、管理本单位的账号"),
    )
    email_notifications = models.BooleanField(
        _("接收邮件通知"), default=True, help_text=_("任务开始、截止提醒与办理结果同时发送到邮箱")
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_provincial(self) -> bool:
        return self.role in (Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_OFFICER)

    @property
    def is_bureau(self) -> bool:
        return self.role in BUREAU_ROLES


class ApiToken(models.Model):
    """API 令牌: only the SHA-256 of the token is stored; the token itself is shown once when issued."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=60, blank=True)
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=8)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
