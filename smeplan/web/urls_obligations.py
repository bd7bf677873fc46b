"""年度报告与复核任务 and 撤销建议 (``web/views/obligations.py``)."""

from django.urls import path

from smeplan.web.views import obligations

urlpatterns = [
    path("recognition/obligations/", obligations.obligation_list, name="obligation_list"),
    path("recognition/obligations/<int:pk>/", obligations.obligation_detail, name="obligation_detail"),
    path("recognition/obligations/<int:pk>/review/", obligations.obligation_review, name="obligation_review"),
    path("recognition/revocations/", obligations.revocation_list, name="revocation_list"),
    path(
        "recognition/revocations/<int:pk>/confirm/", obligations.revocation_confirm, name="revocation_confirm"
    ),
    path(
        "recognition/revocations/<int:pk>/dismiss/", obligations.revocation_dismiss, name="revocation_dismiss"
    ),
    path(
        "recognition/certifications/<int:pk>/revocations/new/",
        obligations.revocation_propose,
        name="revocation_propose",
    ),
]
