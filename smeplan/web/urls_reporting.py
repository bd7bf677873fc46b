"""Pages of the reporting app: 附件3 汇总表, 市级年度计划 and their assessment, 汇总表备案."""

from django.urls import path

from smeplan.web.views import reporting

urlpatterns = [
    path("reporting/annex3/", reporting.annex3_page, name="reporting_annex3"),
]
