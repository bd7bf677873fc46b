"""Import records (数据导入批次): who imported which file, when, with what result; undoable as a whole."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: At most this many issues are stored on a batch; the rest are only counted (``issues_omitted``).
ISSUES_STORED_MAX = 10_000


class ImportKind(models.TextChoices):
    FIGURES = "figures", _("年度数据")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    VALIDATED = "validated", _("已校验")
    COMMITTED = "committed", _("已导入")
    UNDONE = "undone", _("已撤销")
    FAILED = "failed", _("失败")


#: The ONE table of allowed status changes; :func:`batch_transition` is the only writer of ``status``.
TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.UPLOADED: frozenset({ImportStatus.VALIDATED, ImportStatus.FAILED}),
    ImportStatus.VALIDATED: frozenset({ImportStatus.COMMITTED, ImportStatus.FAILED}),
    ImportStatus.COMMITTED: frozenset({ImportStatus.UNDONE}),
    ImportStatus.UNDONE: frozenset(),
    ImportStatus.FAILED: frozenset(),
}


class ImportBatch(models.Model):
    """数据导入批次 — one file imported (or refused): the record behind counts, issues and undo."""

    kind = models.CharField(
        _("导入类型"), max_length=16, choices=ImportKind.choices, default=ImportKind.FIGURES
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    checksum = models.CharField(_("文件校验和（SHA-256）"), max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(_("文件大小（字节）"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("导入人所属辖区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    layout = models.JSONField(_("列对应关系"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    new_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化"), default=0)
    new_organisations = models.PositiveIntegerField(_("新登记单位"), default=0)
    warning_count = models.PositiveIntegerField(_("警告数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    issues = models.JSONField(_("问题清单"), default=list, blank=True)
    issues_omitted = models.PositiveIntegerField(_("未列出的问题数"), default=0)
    warnings_confirmed = models.BooleanField(_("警告已确认"), default=False)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error_message = models.TextField(_("失败原因"), blank=True)

    class Meta:
        verbose_name = _("数据导入批次")
        verbose_name_plural = _("数据导入批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "-created_at"], name="import_region_created")]

    def __str__(self) -> str:
        return f"导入#{self.pk} {self.file_name}"


class ImportedOrganisation(models.Model):
    """导入时登记的单位 — organisations a batch registered (so that its undo can remove them)."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="registered"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("导入登记的单位")
        verbose_name_plural = _("导入登记的单位")
        constraints = [
            models.UniqueConstraint(fields=["batch", "organisation"], name="imported_org_unique"),
        ]

    def __str__(self) -> str:
        return f"导入#{self.batch_id} → {self.organisation_id}"


def batch_transition(batch: ImportBatch, to: str, **fields) -> ImportBatch:
    """Change ``batch.status`` to ``to`` if :data:`TRANSITIONS` allows it, saving ``fields`` with it."""
    if to not in TRANSITIONS.get(batch.status, frozenset()):
        raise ValidationError(
            f"导入批次#{batch.pk}当前状态为“{ImportStatus(batch.status).label}”，"
            f"不能变为“{ImportStatus(to).label}”"
        )
    batch.status = to
    now = timezone.now()
    if to == ImportStatus.COMMITTED:
        fields.setdefault("committed_at", now)
    elif to == ImportStatus.UNDONE:
        fields.setdefault("undone_at", now)
    for k, v in fields.items():
        setattr(batch, k, v)
    if batch.pk is None:
        batch.save()
    else:
        batch.save(update_fields=["status", *fields])
    return batch
