"""Progress of an approved plan, under /agencies/<agency_id>/plans/<plan_year>/progress/."""

from django.urls import path  # noqa: F401  (routes are added by the views' modules below)

urlpatterns: list = []
