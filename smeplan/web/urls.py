from django.contrib.auth import views as auth_views
from django.urls import include, path

from smeplan.web.views import (
    audit,
    export,
    figures,
    formdesigner,
    home,
    imports,
    organisations,
    portal_accounts,
    programme_admin,
    programmes,
    regions,
)

urlpatterns = [
    path("", home.home, name="home"),
    # the login form counts failures and locks out brute force (accounts/throttle.py)
    path("login/", portal_accounts.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/export.xlsx", export.organisation_export, name="organisation_export"),
    path("organisations/export.csv", export.organisation_export_csv, name="organisation_export_csv"),
    path("organisations/figures-<str:layout>.xlsx", export.figures_export, name="figures_export"),
    path("organisations/figures-<str:layout>.csv", export.figures_export_csv, name="figures_export_csv"),
    path("organisations/templates/<str:kind>.xlsx", export.import_template, name="import_template"),
    path("organisations/new/", organisations.organisation_create_view, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/rename/", organisations.organisation_rename_view, name="organisation_rename"
    ),
    path(
        "organisations/<int:pk>/figures.xlsx",
        export.organisation_figures_export,
        name="organisation_figures_export",
    ),
    path("organisations/<int:pk>/figures/new/", figures.figures_create_view, name="figures_create"),
    path("organisations/<int:pk>/figures/<int:year>/edit/", figures.figures_edit_view, name="figures_edit"),
    path("regions/", regions.region_index, name="region_index"),
    path("regions/<str:code>/", regions.region_detail, name="region_detail"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_new, name="import_new"),
    path("imports/templates/", imports.mapping_template_list, name="mapping_template_list"),
    path(
        "imports/templates/<int:pk>/delete/",
        imports.mapping_template_delete_view,
        name="mapping_template_delete",
    ),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/commit/", imports.import_commit_view, name="import_commit"),
    path("imports/<int:pk>/undo/", imports.import_undo_view, name="import_undo"),
    path("imports/<int:pk>/discard/", imports.import_discard_view, name="import_discard"),
    path("imports/<int:pk>/reset/", imports.import_reset_view, name="import_reset"),
    path("imports/<int:pk>/save-template/", imports.import_template_save_view, name="import_template_save"),
    path("imports/<int:pk>/file/", imports.import_file, name="import_file"),
    path("imports/<int:pk>/report.xlsx", imports.import_report, name="import_report"),
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programme_admin.programme_new, name="programme_new"),
    path("programmes/<slug:code>/edit/", programme_admin.programme_edit, name="programme_edit"),
    path("programmes/<slug:code>/tiers/", programme_admin.programme_tiers, name="programme_tiers"),
    path("programmes/<slug:code>/close/", programme_admin.programme_close, name="programme_close"),
    path("programmes/<slug:code>/reopen/", programme_admin.programme_reopen, name="programme_reopen"),
    path("programmes/<slug:code>/delete/", programme_admin.programme_delete, name="programme_delete"),
    path("programmes/<slug:code>/settings/", programmes.programme_settings, name="programme_settings"),
    path(
        "programmes/<slug:code>/forms/<str:purpose>/",
        formdesigner.form_versions,
        name="programme_form_versions",
    ),
    path(
        "programmes/<slug:code>/forms/<str:purpose>/new/",
        formdesigner.form_version_new,
        name="programme_form_version_new",
    ),
    path("programmes/tiers/<int:pk>/edit/", programmes.criteria_edit, name="programme_criteria_edit"),
    path(
        "programmes/tiers/<int:pk>/preview/", programmes.criteria_preview, name="programme_criteria_preview"
    ),
    path("programmes/tiers/<int:pk>/screen/", programmes.screening_new, name="programme_screen"),
    path("programmes/tiers/<int:pk>/explain/<int:org_id>/", programmes.explanation, name="programme_explain"),
    path("programmes/runs/", programmes.run_list, name="programme_run_list"),
    path("programmes/runs/<int:pk>/", programmes.run_detail, name="programme_run_detail"),
    path("programmes/runs/<int:pk>/compare/", programmes.run_compare, name="programme_run_compare"),
    path("programmes/runs/<int:pk>/results.xlsx", programmes.run_export_xlsx, name="programme_run_xlsx"),
    path("programmes/runs/<int:pk>/results.csv", programmes.run_export_csv, name="programme_run_csv"),
    path("programmes/averages/", programmes.average_list, name="programme_averages"),
    path("programmes/averages/compute/", programmes.average_compute, name="programme_averages_compute"),
    path("programmes/averages/export.xlsx", programmes.average_export, name="programme_averages_xlsx"),
    path("", include("smeplan.web.urls_applications")),
    path("", include("smeplan.web.urls_calls")),
    path("", include("smeplan.web.urls_scores")),
    path("", include("smeplan.web.urls_notices")),
    path("", include("smeplan.web.urls_obligations")),
    path("", include("smeplan.web.urls_evaluation")),
    path("", include("smeplan.web.urls_reporting")),
    path("", include("smeplan.web.urls_flags")),
    path("", include("smeplan.web.urls_targets")),
    # 数据填报: the firm's tasks and the review (part 4), the bureau side (part 3)
    path("", include("smeplan.web.urls_campaign_tasks")),
    path("", include("smeplan.web.urls_campaigns")),
]

# 提醒与邮件 (issue 16 part 5)
from smeplan.web.views import notification_settings  # noqa: E402

urlpatterns += [
    path(
        "notifications/settings/", notification_settings.notification_settings, name="notification_settings"
    ),
    # 企业注册、注册审核、本单位账号、我的账号、找回密码 (issue 16 part 1)
    path("", include("smeplan.web.urls_portal_accounts")),
    # 本单位信息, 企业信息变更申请 (issue 16 part 2)
    path("", include("smeplan.web.urls_portal_changes")),
]
