"""Pages of public notices, objections, certifications, terminations and changes (公示、认定、终止、变更),
including the public pages that need no login."""

from django.urls import path

from smeplan.web.views import certifications, notices

urlpatterns = [
    path("recognition/notices/", notices.notice_list, name="notice_list"),
    path("recognition/notices/new/", notices.notice_new, name="notice_new"),
    path("recognition/notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("recognition/objections/<int:pk>/resolve/", notices.objection_resolve, name="objection_resolve"),
    path("recognition/certify/", certifications.certify, name="certify"),
    path("recognition/certifications/", certifications.certification_list, name="certification_list"),
    path(
        "recognition/certifications/<int:pk>/",
        certifications.certification_detail,
        name="certification_detail",
    ),
    path(
        "recognition/certifications/<int:pk>/print/",
        certifications.certificate_print,
        name="certificate_print",
    ),
    path(
        "recognition/certifications/<int:pk>/terminate/",
        certifications.certification_terminate,
        name="certification_terminate",
    ),
    path(
        "recognition/certifications/<int:pk>/review/",
        certifications.certification_review,
        name="certification_review",
    ),
    path(
        "recognition/certifications/<int:pk>/promote/",
        certifications.certification_promote,
        name="certification_promote",
    ),
    path(
        "recognition/certifications/<int:pk>/changes/new/",
        certifications.change_report_new,
        name="change_report_new",
    ),
    path("recognition/changes/", certifications.change_report_list, name="change_report_list"),
    path("recognition/changes/<int:pk>/", certifications.change_report_detail, name="change_report_detail"),
    path(
        "recognition/changes/<int:pk>/decide/",
        certifications.change_report_decide,
        name="change_report_decide",
    ),
    path("recognition/changes/<int:pk>/confirm/", certifications.rename_confirm, name="rename_confirm"),
    path("recognition/changes/<int:pk>/recertify/", certifications.rename_recertify, name="rename_recertify"),
    path("recognition/changes/<int:pk>/publish/", certifications.rename_publish, name="rename_publish"),
    path("public/notices/", notices.public_notice_list, name="public_notice_list"),
    path("public/notices/<int:pk>/", notices.public_notice_detail, name="public_notice_detail"),
    path("public/certified/", notices.public_certified, name="public_certified"),
]
