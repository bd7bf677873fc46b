"""Pages of the reporting app: 附件3 汇总表, 市级年度计划 and their assessment, 汇总表备案."""

from django.urls import path

from smeplan.web.views import reporting

urlpatterns = [
    path("reporting/annex3/", reporting.annex3_page, name="reporting_annex3"),
    path("reporting/plans/", reporting.plan_list, name="reporting_plan_list"),
    path("reporting/plans/edit/", reporting.plan_edit, name="reporting_plan_edit"),
    path("reporting/plans/<int:pk>/", reporting.plan_detail, name="reporting_plan_detail"),
    path("reporting/plans/<int:pk>/act/", reporting.plan_act_view, name="reporting_plan_act"),
    path("reporting/assessment/", reporting.assessment_page, name="reporting_assessment"),
    path("reporting/filings/", reporting.filing_list, name="reporting_filing_list"),
    path("reporting/filings/<int:pk>/", reporting.filing_detail, name="reporting_filing_detail"),
]
