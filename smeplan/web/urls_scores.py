"""Pages of points rubrics (评分细则) and stored scores (评分结果)."""

from django.urls import path

from smeplan.web.views import rubrics, scores

urlpatterns = [
    path("programmes/<slug:code>/rubrics/", rubrics.rubric_list, name="rubric_list"),
    path("programmes/<slug:code>/rubrics/new/", rubrics.rubric_new, name="rubric_new"),
    path("programmes/rubrics/<int:pk>/", rubrics.rubric_detail, name="rubric_detail"),
    path("recognition/scores/", scores.score_list, name="score_list"),
    path("recognition/scores/compute/", scores.score_compute, name="score_compute"),
    path("recognition/scores/export.xlsx", scores.score_export, name="score_export"),
    path("recognition/applications/<int:pk>/score/", scores.score_detail, name="score_detail"),
    path("recognition/applications/<int:pk>/score/compute/", scores.score_one, name="score_one"),
]
