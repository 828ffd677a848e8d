"""The Celery application of itadesk: `celery -A itadesk.web.worker worker` runs the jobs.

Redis is the broker (ITADESK_BROKER_URL); results and progress live in the database (web/jobs),
so no result backend is used. Settings are Django's CELERY_* (settings.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itadesk.web.settings")

app = Celery("itadesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["itadesk.web.jobs"])
