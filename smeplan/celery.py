"""Celery application for background work (imports, large exports).

With ``CELERY_BROKER_URL`` set (e.g. ``redis://127.0.0.1:6379/0``) tasks go to workers started with
``celery -A smeplan worker``; without it they run eagerly in the calling process
(``CELERY_TASK_ALWAYS_EAGER``), so the embedded default needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeplan.settings")

app = Celery("smeplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
