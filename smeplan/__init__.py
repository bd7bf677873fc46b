"""smeplan — 陕西省中小企业行动计划管理系统."""

from smeplan.celery import app as celery_app

__all__ = ["celery_app"]
