"""Pages of the evaluation app (年度综合测评)."""

from django.urls import path

from smeplan.web.views import evaluation as views

urlpatterns = [
    path("evaluation/", views.evaluation_list, name="evaluation_list"),
    path("evaluation/runs/<int:pk>/", views.evaluation_run_detail, name="evaluation_run_detail"),
    path("evaluation/runs/<int:pk>/export.xlsx", views.evaluation_run_export, name="evaluation_run_export"),
    path("evaluation/runs/<int:pk>/what-if/", views.evaluation_what_if, name="evaluation_what_if"),
    path(
        "evaluation/runs/<int:pk>/proposals/", views.evaluation_run_proposals, name="evaluation_run_proposals"
    ),
    path("evaluation/runs/<int:pk>/moves/", views.evaluation_run_moves, name="evaluation_run_moves"),
    path("evaluation/schemes/", views.evaluation_schemes, name="evaluation_schemes"),
]
