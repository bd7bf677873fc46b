"""数据填报, the bureau side (``web/views/campaigns.py``); the task pages (/campaigns/tasks/…, the
review queue) are part 4's."""

from django.urls import path

from smeplan.web.views import campaigns

urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/progress.xlsx", campaigns.campaign_progress_xlsx, name="campaign_progress_xlsx"),
    path("campaigns/<int:pk>/tasks/", campaigns.campaign_tasks, name="campaign_tasks"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/reopen/", campaigns.campaign_reopen, name="campaign_reopen"),
]
