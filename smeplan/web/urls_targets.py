"""规划目标: dashboard, targets and reported values, map, charts and the annual report."""

from django.urls import path

from smeplan.web.views import target_charts, target_report, targets

urlpatterns: list = [
    path("targets/", targets.dashboard, name="target_dashboard"),
    path("targets/map/", targets.county_map, name="target_map"),
    path("targets/composition/", targets.composition_page, name="target_composition"),
    path("targets/periods/new/", targets.period_new, name="target_period_new"),
    path("targets/periods/<slug:period>/new/", targets.target_new, name="target_new"),
    path("targets/periods/<slug:period>/copy/", targets.targets_copy, name="targets_copy"),
    path("targets/periods/<slug:period>/import/", targets.targets_import, name="targets_import"),
    path("targets/import-template.xlsx", targets.targets_import_template, name="targets_import_template"),
    path("targets/<int:pk>/", targets.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", targets.target_edit, name="target_edit"),
    path("targets/values/<int:pk>/confirm/", targets.reported_value_confirm, name="reported_value_confirm"),
    path("targets/attachments/<int:pk>/", targets.reported_attachment, name="reported_attachment"),
    path("targets/report/", target_report.report_page, name="target_report"),
    path("targets/charts/", target_charts.charts_page, name="target_charts"),
]
