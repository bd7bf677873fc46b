from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "smeplan.notifications"
    verbose_name = _("提醒与邮件")
    default_auto_field = "django.db.models.BigAutoField"
