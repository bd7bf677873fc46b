"""Pages of the calls (申报批次)."""

from django.urls import path

from smeplan.web.views import calls

urlpatterns = [
    path("recognition/calls/", calls.call_list, name="call_list"),
    path("recognition/calls/new/", calls.call_new, name="call_new"),
    path("recognition/calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("recognition/calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("recognition/calls/<int:pk>/close/", calls.call_close, name="call_close"),
    path("recognition/calls/<int:pk>/apply/", calls.call_apply, name="call_apply"),
    path("recognition/calls/<int:pk>/progress.xlsx", calls.call_progress_export, name="call_progress_export"),
]
