"""本单位信息 and 企业信息变更申请 (``web/views/portal_profile.py``)."""

from django.urls import path

from smeplan.web.views import portal_profile

urlpatterns = [
    path("portal/profile/", portal_profile.profile, name="portal_profile"),
    path("portal/changes/", portal_profile.change_list, name="change_request_list"),
    path("portal/changes/queue/", portal_profile.change_queue, name="change_request_queue"),
    path("portal/changes/<int:pk>/", portal_profile.change_detail, name="change_request_detail"),
    path("portal/changes/<int:pk>/act/", portal_profile.change_act, name="change_request_act"),
]
