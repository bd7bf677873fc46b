"""Pages of the recognition workflow's applications (申报、审核待办、专家评审、通知)."""

from django.urls import path

from smeplan.web.views import applications as views

urlpatterns: list = [
    path("recognition/applications/", views.application_list, name="application_list"),
    path("recognition/applications/new/", views.application_new, name="application_new"),
    path("recognition/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("recognition/applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("recognition/applications/<int:pk>/act/", views.application_act_view, name="application_act"),
    path("recognition/applications/<int:pk>/print/", views.application_print, name="application_print"),
    path("recognition/applications/<int:pk>/pdf/", views.application_pdf, name="application_pdf"),
    path("recognition/applications/<int:pk>/experts/", views.application_experts, name="application_experts"),
    path(
        "recognition/applications/<int:pk>/attachments/",
        views.attachment_upload,
        name="application_attachment_upload",
    ),
    path("recognition/attachments/<int:pk>/", views.attachment_download, name="application_attachment"),
    path(
        "recognition/attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="application_attachment_delete",
    ),
    path("recognition/queue/", views.recognition_queue, name="recognition_queue"),
    path("recognition/queue/act/", views.queue_act, name="recognition_queue_act"),
    path("recognition/nominate/", views.nominate, name="recognition_nominate"),
    path("recognition/expert/", views.expert_assignment_list, name="expert_assignment_list"),
    path("recognition/expert/<int:pk>/", views.expert_assignment_detail, name="expert_assignment_detail"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
