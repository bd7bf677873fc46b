from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "smeplan.campaigns"
    verbose_name = _("数据填报")
    default_auto_field = "django.db.models.BigAutoField"
