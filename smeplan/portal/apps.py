from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "smeplan.portal"
    verbose_name = _("企业自助服务")
    default_auto_field = "django.db.models.BigAutoField"
