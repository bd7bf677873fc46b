"""Import records (数据导入批次): who imported which file, when, with what result; undoable as a whole."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: At most this many issues are stored on a batch; the rest are only counted (``issues_omitted``).
ISSUES_STORED_MAX = 10_000


class ImportKind(models.TextChoices):
    """What a file is imported as. 年度数据: yearly figures (new enterprises registered with name and
    county). 企业名录: the registry — organisations created or updated with their attributes
    (renames recorded), and the yearly figures the same file carries."""

    FIGURES = "figures", _("年度数据")
    ORGANISATIONS = "organisations", _("企业名录（基本信息）")


#: The choice on the upload page / API / command: one of ImportKind, or left to the system.
KIND_AUTO = "auto"
KIND_CHOICES = [(KIND_AUTO, _("自动识别")), *ImportKind.choices]


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    VALIDATED = "validated", _("已校验")
    COMMITTED = "committed", _("已导入")
    UNDONE = "undone", _("已撤销")
    FAILED = "failed", _("未通过校验")
    DISCARDED = "discarded", _("已放弃")


class JobState(models.TextChoices):
    """后台任务状态 of a batch's current job (checking or writing); "" when none is pending."""

    IDLE = "", _("无")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    ERROR = "error", _("出错")


class JobAction(models.TextChoices):
    ANALYSE = "analyse", _("识别与校验")
    COMMIT = "commit", _("写入")


#: The ONE table of allowed status changes; :func:`batch_transition` is the only writer of ``status``.
#: A validated or failed batch may be checked again (another column mapping, sheets or year) until it
#: is written or discarded; a written batch can only be undone.
TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.UPLOADED: frozenset({ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.DISCARDED}),
    ImportStatus.VALIDATED: frozenset(
        {ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.COMMITTED, ImportStatus.DISCARDED}
    ),
    ImportStatus.FAILED: frozenset({ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.DISCARDED}),
    ImportStatus.COMMITTED: frozenset({ImportStatus.UNDONE}),
    ImportStatus.UNDONE: frozenset(),
    ImportStatus.DISCARDED: frozenset(),
}


def import_upload_path(batch: "ImportBatch", filename: str) -> str:
    """Uploaded files are stored under a random name (never the user's), outside any served URL."""
    suffix = Path(filename).suffix.lower()
    suffix = suffix if suffix in {".xlsx", ".xls", ".ods", ".csv", ".txt"} else ".bin"
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ImportMappingTemplate(models.Model):
    """列对应模板 — a saved column mapping for the next file from the same source (e.g. a city's
    yearly sheet): header text as written → what the column holds (and its year and unit)."""

    name = models.CharField(_("模板名称"), max_length=80)
    kind = models.CharField(
        _("导入类型"), max_length=16, choices=ImportKind.choices, default=ImportKind.FIGURES
    )
    mapping = models.JSONField(_("列对应关系"), default=dict)
    default_year = models.PositiveSmallIntegerField(_("默认年度"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_mapping_templates",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属辖区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("列对应模板")
        verbose_name_plural = _("列对应模板")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "name"], name="mapping_template_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


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
    updated_organisations = models.PositiveIntegerField(_("更新基本信息的单位"), default=0)
    renamed_organisations = models.PositiveIntegerField(_("更名的单位"), default=0)
    warning_count = models.PositiveIntegerField(_("警告数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    issues = models.JSONField(_("问题清单"), default=list, blank=True)
    issues_omitted = models.PositiveIntegerField(_("未列出的问题数"), default=0)
    warnings_confirmed = models.BooleanField(_("警告已确认"), default=False)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The highest FigureRevision id before the commit wrote anything: every revision after it is
    #: later than the rows this batch created (which carry no revisions of their own, see
    #: ``AnnualFigures.import_batch``) — for the undo's "changed since" check and the history.
    revision_mark = models.BigIntegerField(
        _("导入前最后一条修订记录编号"), null=True, blank=True, editable=False
    )
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
    source_file = models.FileField(_("上传的文件"), upload_to=import_upload_path, blank=True, max_length=200)
    options = models.JSONField(_("导入选项"), default=dict, blank=True)
    mapping_template = models.ForeignKey(
        ImportMappingTemplate,
        verbose_name=_("列对应模板"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="batches",
    )
    job_state = models.CharField(
        _("后台任务状态"), max_length=16, choices=JobState.choices, default=JobState.IDLE, blank=True
    )
    job_action = models.CharField(_("后台任务"), max_length=16, choices=JobAction.choices, blank=True)
    job_message = models.TextField(_("后台任务说明"), blank=True)
    job_started_at = models.DateTimeField(_("任务开始时间"), null=True, blank=True)
    job_finished_at = models.DateTimeField(_("任务结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据导入批次")
        verbose_name_plural = _("数据导入批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "-created_at"], name="import_region_created")]

    def __str__(self) -> str:
        return f"导入#{self.pk} {self.file_name}"

    @property
    def job_pending(self) -> bool:
        """A background job is queued or running on this batch."""
        return self.job_state in (JobState.QUEUED, JobState.RUNNING)


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


class ImportedOrganisationChange(models.Model):
    """导入修改的单位信息 — what a 企业名录 import changed on one registered organisation: the values
    before and after (model values as text: codes, ISO dates, decimals), and the name change it
    recorded, so that its undo can restore them (and refuse when they were changed since)."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="organisation_changes"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    before = models.JSONField(_("导入前"), default=dict)
    after = models.JSONField(_("导入后"), default=dict)
    name_change = models.ForeignKey(
        "registry.OrganisationNameChange",
        verbose_name=_("更名记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("导入修改的单位信息")
        verbose_name_plural = _("导入修改的单位信息")
        constraints = [
            models.UniqueConstraint(fields=["batch", "organisation"], name="imported_org_change_unique"),
        ]

    def __str__(self) -> str:
        return f"导入#{self.batch_id} 修改 {self.organisation_id}"


def may_act_on(user, batch: ImportBatch) -> bool:
    """Confirming, re-checking, discarding or undoing a batch: its uploader or a provincial admin."""
    from smeplan.accounts.scoping import is_provincial_admin

    return batch.uploaded_by_id == user.pk or is_provincial_admin(user)


def require_may_act_on(user, batch: ImportBatch, what: str = "操作该导入") -> None:
    if not may_act_on(user, batch):
        raise PermissionDenied(f"只有导入人或省级管理员可以{what}")


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
