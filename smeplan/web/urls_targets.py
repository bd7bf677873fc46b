"""规划目标: dashboard, targets and reported values, map, charts and the annual report."""

from django.urls import path  # noqa: F401 — routes are added below as the pages land

urlpatterns: list = []
