"""数据填报任务: the firm's side and the county's review (``web/views/campaign_tasks.py``)."""

from django.urls import path

from smeplan.web.views import campaign_tasks

urlpatterns = [
    path("campaigns/tasks/", campaign_tasks.campaign_task_list, name="campaign_task_list"),
    path("campaigns/tasks/<int:pk>/", campaign_tasks.campaign_task_detail, name="campaign_task_detail"),
    path(
        "campaigns/tasks/<int:pk>/review/", campaign_tasks.campaign_task_review, name="campaign_task_review"
    ),
    path(
        "campaigns/tasks/attachments/<int:pk>/",
        campaign_tasks.campaign_task_attachment,
        name="campaign_task_attachment",
    ),
    path("campaigns/review/", campaign_tasks.campaign_review_queue, name="campaign_review_queue"),
    path("campaigns/review/accept/", campaign_tasks.campaign_review_accept, name="campaign_review_accept"),
]
