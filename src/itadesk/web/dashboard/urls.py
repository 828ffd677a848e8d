from django.urls import path

from itadesk.web.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="dashboard_export"),
    path("weaknesses/", views.weaknesses, name="dashboard_weaknesses"),
    path("summary.<str:fmt>", views.summary_report, name="dashboard_report"),
    path("national/", views.national_import, name="national_import"),
]
