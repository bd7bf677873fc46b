"""Pages of the flags app (虚假信息疑点)."""

from django.urls import path

from smeplan.web.views import flags

urlpatterns = [
    path("flags/", flags.flag_list, name="flag_list"),
    path("flags/detect/", flags.flag_detect, name="flag_detect"),
    path("flags/<int:pk>/decide/", flags.flag_decide, name="flag_decide"),
]
