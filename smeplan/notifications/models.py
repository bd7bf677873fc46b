"""提醒与邮件 — the reminder ledger that makes the reminder job idempotent, and the outbox through
which every notification e-mail leaves (sent after commit by ``mail.outbox_send``; a mail is never
sent twice). The in-system notifications themselves are ``recognition.Notification``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderStage(models.TextChoices):
    OPENING = "opening", _("任务开始")
    DUE_7 = "due_7", _("7天后截止")
    DUE_1 = "due_1", _("明天截止")
    OVERDUE = "overdue", _("已逾期")


class Reminder(models.Model):
    """提醒记录 — one reminder of one stage of one due item to one user, written once: the unique
    key is what stops a second run of the job from reminding (or mailing) again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    subject_key = models.CharField(_("事项"), max_length=80)  # "campaign_task:<id>", "obligation:<id>"
    stage = models.CharField(_("提醒阶段"), max_length=12, choices=ReminderStage.choices)
    sent_on = models.DateField(_("提醒日期"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(fields=["user", "subject_key", "stage"], name="reminder_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.subject_key} {self.get_stage_display()}"


class OutgoingMail(models.Model):
    """待发邮件 — written in the transaction of the change it reports, sent after it by the outbox
    sender over the configured SMTP server; ``sent_at`` set once sent, failures retried."""

    to = models.EmailField(_("收件人"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    dedupe_key = models.CharField(_("去重标识"), max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")
        indexes = [models.Index(fields=["sent_at", "id"], name="outgoing_mail_unsent")]

    def __str__(self) -> str:
        return f"{self.to}：{self.subject}"
