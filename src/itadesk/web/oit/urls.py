from django.urls import path

import itadesk.web.converters  # noqa: F401 - registers <year:…>
from itadesk.web.oit import views

urlpatterns = [
    path("", views.oit_home, name="oit"),
    path("<year:fiscal_year>/evidence/", views.evidence_form, name="oit_evidence"),
    path("<year:fiscal_year>/evidence/import/", views.evidence_import, name="oit_import"),
    path("<year:fiscal_year>/evidence/template/", views.evidence_template, name="oit_template"),
    path("<year:fiscal_year>/check/", views.start_check, name="oit_check"),
    path("runs/<int:run_id>/", views.run_detail, name="oit_run"),
    path("runs/<int:run_id>/report/<str:fmt>/", views.run_report, name="oit_report"),
]
